from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("brokers", views.BrokerViewSet, basename="broker")
router.register("visits", views.VisitViewSet, basename="visit")
router.register("cases", views.CaseViewSet, basename="case")
router.register("candidates", views.CaseCandidateViewSet, basename="casecandidate")
router.register("contracts", views.TechContractViewSet, basename="techcontract")
router.register("overseas-services", views.OverseasServiceViewSet, basename="overseasservice")
router.register("events", views.EventViewSet, basename="event")
router.register("tasks", views.TaskItemViewSet, basename="taskitem")
urlpatterns = router.urls
