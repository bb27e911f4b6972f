from django.urls import path

from . import views

app_name = "enterprises"
urlpatterns = [
    path("", views.EnterpriseListView.as_view(), name="enterprise_list"),
    path("add/", views.EnterpriseEditView.as_view(), name="enterprise_add"),
    path("import/", views.EnterpriseImportView.as_view(), name="enterprise_import"),
    path("mine/", views.my_enterprise, name="my_enterprise"),
    path("<int:pk>/", views.EnterpriseDetailView.as_view(), name="enterprise_detail"),
    path("<int:pk>/edit/", views.EnterpriseEditView.as_view(), name="enterprise_edit"),
    path("<int:enterprise_pk>/indicators/add/", views.AnnualIndicatorEditView.as_view(),
         name="indicator_add"),
    path("<int:enterprise_pk>/indicators/<int:pk>/edit/", views.AnnualIndicatorEditView.as_view(),
         name="indicator_edit"),
    path("<int:enterprise_pk>/certifications/add/", views.CertificationEditView.as_view(),
         name="certification_add"),
    path("<int:enterprise_pk>/certifications/<int:pk>/edit/",
         views.CertificationEditView.as_view(), name="certification_edit"),
    path("indicators/", views.AnnualIndicatorListView.as_view(), name="indicator_list"),
    path("indicators/import/", views.AnnualIndicatorImportView.as_view(),
         name="indicator_import"),
    path("certifications/", views.CertificationListView.as_view(), name="certification_list"),
    path("certifications/import/", views.CertificationImportView.as_view(),
         name="certification_import"),
]
