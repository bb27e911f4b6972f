from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.catalogue_view, name="catalogue"),
    path("records/<slug:code>/", views.records_view, name="records"),
    path("district-figures/", views.DistrictFigureListView.as_view(),
         name="districtfigure_list"),
    path("district-figures/add/", views.DistrictFigureEditView.as_view(),
         name="districtfigure_add"),
    path("district-figures/import/", views.DistrictFigureImportView.as_view(),
         name="districtfigure_import"),
    path("district-figures/<int:pk>/edit/", views.DistrictFigureEditView.as_view(),
         name="districtfigure_edit"),
    path("targets/", views.TargetListView.as_view(), name="target_list"),
    path("targets/add/", views.TargetEditView.as_view(), name="target_add"),
    path("targets/<int:pk>/edit/", views.TargetEditView.as_view(), name="target_edit"),
    path("monthly-stats/", views.MonthlyStatListView.as_view(), name="monthlystat_list"),
    path("monthly-stats/import/", views.MonthlyStatImportView.as_view(),
         name="monthlystat_import"),
]
