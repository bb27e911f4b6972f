from django.urls import path

from . import views

app_name = "carriers"
urlpatterns = [
    path("", views.CarrierListView.as_view(), name="carrier_list"),
    path("add/", views.CarrierEditView.as_view(), name="carrier_add"),
    path("import/", views.CarrierImportView.as_view(), name="carrier_import"),
    path("<int:pk>/", views.CarrierDetailView.as_view(), name="carrier_detail"),
    path("<int:pk>/edit/", views.CarrierEditView.as_view(), name="carrier_edit"),
]
