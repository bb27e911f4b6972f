from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.response import Response

from kechuang.core.api import RestrictedModelViewSet

from .. import services
from ..filtersets import (
    BrokerFilterSet,
    CaseFilterSet,
    EventFilterSet,
    OverseasServiceFilterSet,
    TaskItemFilterSet,
    TechContractFilterSet,
    VisitFilterSet,
)
from ..models import (
    Broker,
    Case,
    CaseCandidate,
    Event,
    OverseasService,
    TaskItem,
    TechContract,
    Visit,
)
from . import serializers as s

READ = ["get", "head", "options"]
CREATE = ["get", "post", "head", "options"]


class BrokerViewSet(RestrictedModelViewSet):
    model = Broker
    queryset = Broker.objects.all()
    serializer_class = s.BrokerSerializer
    filterset_class = BrokerFilterSet
    http_method_names = READ


class VisitViewSet(RestrictedModelViewSet):
    model = Visit
    queryset = Visit.objects.all()
    serializer_class = s.VisitSerializer
    filterset_class = VisitFilterSet
    http_method_names = CREATE

    def perform_create(self, serializer):
        serializer.instance = services.log_visit(actor=self.request.user,
                                                 data=serializer.validated_data)


class CaseViewSet(RestrictedModelViewSet):
    model = Case
    queryset = Case.objects.all()
    serializer_class = s.CaseSerializer
    filterset_class = CaseFilterSet
    http_method_names = CREATE

    def perform_create(self, serializer):
        # the serializer found the demand among those the user may see (else 400)
        data = serializer.validated_data
        serializer.instance = services.open_case(
            actor=self.request.user, demand=data["demand"], owner=data.get("owner"),
            opened_on=data.get("opened_on"), event=data.get("event"), title=data.get("title"))


# Requests addressed to an expert show here; ``POST …/respond/`` records the answer. (A
# comment: drf-spectacular would publish a docstring as the endpoints' description.)
class CaseCandidateViewSet(RestrictedModelViewSet):
    model = CaseCandidate
    queryset = CaseCandidate.objects.all()
    serializer_class = s.CaseCandidateSerializer
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(exclude=True)  # pushes are made from a case; this answers 405
    def create(self, request, *args, **kwargs):
        return Response({"detail": "请在案件中推送候选"}, status=405)

    # The enterprise, the expert asked or the case's broker answers a push (a change of the
    # candidate, so ``change_casecandidate``, which those roles hold, not ``add``).
    @extend_schema(request=s.ResponseSerializer, responses=s.CaseCandidateSerializer,
                   description="对推送的候选作出反馈：接受，或婉拒并给出原因代码"
                               "（技术不匹配、成熟度不够、价格、地域、已有方案、其他）；"
                               "每条推送只能反馈一次。")
    @action(detail=True, methods=["post"], serializer_class=s.ResponseSerializer,
            model_action="change", name="推送候选反馈")
    def respond(self, request, pk=None):
        candidate = get_object_or_404(self.get_queryset(), pk=pk)
        body = s.ResponseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            candidate = services.record_response(actor=request.user, candidate=candidate,
                                                 **body.validated_data)
        except DjangoValidationError as exc:
            # the service names the model field; the caller sent ``reason``
            if hasattr(exc, "error_dict") and "decline_reason" in exc.error_dict:
                errors = exc.message_dict
                errors["reason"] = errors.pop("decline_reason")
                raise exceptions.ValidationError(errors) from exc
            raise
        return Response(s.CaseCandidateSerializer(candidate).data)


class TechContractViewSet(RestrictedModelViewSet):
    model = TechContract
    queryset = TechContract.objects.all()
    serializer_class = s.TechContractSerializer
    filterset_class = TechContractFilterSet
    http_method_names = CREATE

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise")

    def perform_create(self, serializer):
        serializer.instance = services.register_contract(actor=self.request.user,
                                                         data=serializer.validated_data)


class OverseasServiceViewSet(RestrictedModelViewSet):
    model = OverseasService
    queryset = OverseasService.objects.all()
    serializer_class = s.OverseasServiceSerializer
    filterset_class = OverseasServiceFilterSet
    http_method_names = CREATE

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise")

    def perform_create(self, serializer):
        serializer.instance = services.record_overseas_service(actor=self.request.user,
                                                               data=serializer.validated_data)


class EventViewSet(RestrictedModelViewSet):
    model = Event
    queryset = Event.objects.all()
    serializer_class = s.EventSerializer
    filterset_class = EventFilterSet
    http_method_names = CREATE

    def perform_create(self, serializer):
        serializer.instance = services.create_event(actor=self.request.user,
                                                    data=serializer.validated_data)


class TaskItemViewSet(RestrictedModelViewSet):
    model = TaskItem
    queryset = TaskItem.objects.all()
    serializer_class = s.TaskItemSerializer
    filterset_class = TaskItemFilterSet
    http_method_names = READ
