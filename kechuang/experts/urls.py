from django.urls import path

from . import views

app_name = "experts"
urlpatterns = [
    path("", views.ExpertListView.as_view(), name="expert_list"),
    path("add/", views.ExpertEditView.as_view(), name="expert_add"),
    path("import/", views.ExpertImportView.as_view(), name="expert_import"),
    path("mine/", views.my_profile, name="my_profile"),
    path("<int:pk>/", views.ExpertDetailView.as_view(), name="expert_detail"),
    path("<int:pk>/edit/", views.ExpertEditView.as_view(), name="expert_edit"),
]
