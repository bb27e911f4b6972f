from django.urls import path

from . import views
from .importers import OverseasServiceImporter, TechContractImporter, VisitImporter
from .models import OverseasService, TechContract, Visit

app_name = "brokerage"


def _import_view(model, importer, list_url):
    from kechuang.core.views import ImportView

    return type(f"{model.__name__}ImportView", (ImportView,), {
        "model": model, "importer_name": importer.name, "list_url_name": list_url}).as_view()


urlpatterns = [
    path("", views.queue, name="queue"),
    path("kpi/", views.kpi_page, name="kpi"),
    path("brokers/", views.BrokerListView.as_view(), name="broker_list"),
    path("brokers/<int:pk>/", views.BrokerDetailView.as_view(), name="broker_detail"),
    path("visits/", views.VisitListView.as_view(), name="visit_list"),
    path("visits/add/", views.VisitEditView.as_view(), name="visit_add"),
    path("visits/import/", _import_view(Visit, VisitImporter, "brokerage:visit_list"),
         name="visit_import"),
    path("visits/<int:pk>/", views.VisitDetailView.as_view(), name="visit_detail"),
    path("cases/", views.CaseListView.as_view(), name="case_list"),
    path("cases/add/", views.CaseOpenView.as_view(), name="case_add"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="case_detail"),
    path("cases/<int:pk>/<str:action>/", views.CaseActionView.as_view(), name="case_action"),
    path("events/", views.EventListView.as_view(), name="event_list"),
    path("events/<int:pk>/", views.EventDetailView.as_view(), name="event_detail"),
    path("events/<int:pk>/<str:action>/", views.EventActionView.as_view(), name="event_action"),
    path("contracts/", views.TechContractListView.as_view(), name="contract_list"),
    path("contracts/add/", views.TechContractEditView.as_view(), name="contract_add"),
    path("contracts/import/", _import_view(TechContract, TechContractImporter,
                                           "brokerage:contract_list"), name="contract_import"),
    path("contracts/<int:pk>/", views.TechContractDetailView.as_view(), name="contract_detail"),
    path("overseas/", views.OverseasServiceListView.as_view(), name="overseas_list"),
    path("overseas/import/", _import_view(OverseasService, OverseasServiceImporter,
                                          "brokerage:overseas_list"), name="overseas_import"),
    path("tasks/", views.TaskItemListView.as_view(), name="task_list"),
    path("tasks/<int:pk>/", views.TaskItemDetailView.as_view(), name="task_detail"),
]
