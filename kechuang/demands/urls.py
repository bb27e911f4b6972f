from django.urls import path

from . import views

app_name = "demands"
urlpatterns = [
    path("", views.TechDemandListView.as_view(), name="techdemand_list"),
    path("add/", views.TechDemandEditView.as_view(), name="techdemand_add"),
    path("import/", views.TechDemandImportView.as_view(), name="techdemand_import"),
    path("<int:pk>/", views.TechDemandDetailView.as_view(), name="techdemand_detail"),
    path("<int:pk>/edit/", views.TechDemandEditView.as_view(), name="techdemand_edit"),
    path("<int:pk>/review/", views.TechDemandReviewView.as_view(), name="techdemand_review"),
    path("<int:pk>/status/", views.TechDemandStatusView.as_view(), name="techdemand_status"),
]
