from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("dashboard/", views.dashboard_view, name="dashboard"),
    path("dashboard/data/<slug:name>.json", views.chart_data, name="chart_data"),
    path("summary/", views.report_view, name="report"),
    path("summary/<int:pk>/download/", views.report_download, name="report_download"),
    path("template/<slug:kind>.docx", views.template_download, name="template"),
]
