from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("changes/", views.ChangeRecordListView.as_view(), name="change_list"),
    path("operations/", views.OperationLogListView.as_view(), name="operation_list"),
    path("logins/", views.LoginLogListView.as_view(), name="login_list"),
]
