from django.shortcuts import get_object_or_404

from kechuang.core.api import RestrictedModelViewSet

from .. import services
from ..filtersets import AnnualIndicatorFilterSet, CertificationFilterSet, EnterpriseFilterSet
from ..models import AnnualIndicator, Award, Certification, Enterprise, Standard
from ..record_filters import AwardFilterSet, StandardFilterSet
from .serializers import (
    AnnualIndicatorSerializer,
    AwardSerializer,
    CertificationSerializer,
    EnterpriseSerializer,
    StandardSerializer,
)


def _enterprise_in_scope(user, enterprise):
    """The enterprise named in a child row must be one the user can see (else 404)."""
    return get_object_or_404(Enterprise.objects.restrict(user, "view"), pk=enterprise.pk)


class EnterpriseViewSet(RestrictedModelViewSet):
    model = Enterprise
    queryset = Enterprise.objects.all()
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().select_related("region")

    def perform_create(self, serializer):
        serializer.instance = services.create_enterprise(actor=self.request.user,
                                                         data=serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.update_enterprise(
            actor=self.request.user, enterprise=serializer.instance,
            data=serializer.validated_data)


class AnnualIndicatorViewSet(RestrictedModelViewSet):
    model = AnnualIndicator
    queryset = AnnualIndicator.objects.all()
    serializer_class = AnnualIndicatorSerializer
    filterset_class = AnnualIndicatorFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        enterprise = _enterprise_in_scope(self.request.user, data.pop("enterprise"))
        year = data.pop("year")
        serializer.instance = services.record_annual_indicator(
            actor=self.request.user, enterprise=enterprise, year=year, data=data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("enterprise", None)
        year = data.pop("year", serializer.instance.year)
        serializer.instance = services.record_annual_indicator(
            actor=self.request.user, enterprise=serializer.instance.enterprise, year=year,
            data=data)


class CertificationViewSet(RestrictedModelViewSet):
    model = Certification
    queryset = Certification.objects.all()
    serializer_class = CertificationSerializer
    filterset_class = CertificationFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        enterprise = _enterprise_in_scope(self.request.user, data.pop("enterprise"))
        serializer.instance = services.record_certification(
            actor=self.request.user, enterprise=enterprise, data=data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("enterprise", None)
        serializer.instance = services.record_certification(
            actor=self.request.user, enterprise=serializer.instance.enterprise, data=data,
            certification=serializer.instance)


class AwardViewSet(RestrictedModelViewSet):
    model = Award
    queryset = Award.objects.all()
    serializer_class = AwardSerializer
    filterset_class = AwardFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        enterprise = _enterprise_in_scope(self.request.user, data.pop("enterprise"))
        serializer.instance = services.record_award(actor=self.request.user,
                                                    enterprise=enterprise, data=data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("enterprise", None)
        serializer.instance = services.record_award(
            actor=self.request.user, enterprise=serializer.instance.enterprise, data=data,
            award=serializer.instance)


class StandardViewSet(RestrictedModelViewSet):
    model = Standard
    queryset = Standard.objects.all()
    serializer_class = StandardSerializer
    filterset_class = StandardFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        enterprise = _enterprise_in_scope(self.request.user, data.pop("enterprise"))
        serializer.instance = services.record_standard(actor=self.request.user,
                                                       enterprise=enterprise, data=data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("enterprise", None)
        serializer.instance = services.record_standard(
            actor=self.request.user, enterprise=serializer.instance.enterprise, data=data,
            standard=serializer.instance)
