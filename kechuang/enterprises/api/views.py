from django.shortcuts import get_object_or_404

from kechuang.core.api import PersonalDataViewSetMixin, RestrictedModelViewSet

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


class EnterpriseViewSet(PersonalDataViewSetMixin, RestrictedModelViewSet):
    personal_permission = "enterprises.view_personal_data"
    personal_message = "查看联系人明文（接口）"
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


class _EnterpriseRecordViewSet(RestrictedModelViewSet):
    """Records of one enterprise (certifications, awards, standards), written through the
    service ``record(actor=, enterprise=, data=, <instance_kw>=)``; the enterprise of a new
    record must be in the user's scope and cannot be changed afterwards."""

    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    instance_kw = ""

    def record(self, **kwargs):
        raise NotImplementedError

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        enterprise = _enterprise_in_scope(self.request.user, data.pop("enterprise"))
        serializer.instance = self.record(actor=self.request.user, enterprise=enterprise,
                                          data=data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("enterprise", None)
        serializer.instance = self.record(
            actor=self.request.user, enterprise=serializer.instance.enterprise, data=data,
            **{self.instance_kw: serializer.instance})


class CertificationViewSet(_EnterpriseRecordViewSet):
    model = Certification
    queryset = Certification.objects.all()
    serializer_class = CertificationSerializer
    filterset_class = CertificationFilterSet
    instance_kw = "certification"

    def record(self, **kwargs):
        return services.record_certification(**kwargs)


class AwardViewSet(_EnterpriseRecordViewSet):
    model = Award
    queryset = Award.objects.all()
    serializer_class = AwardSerializer
    filterset_class = AwardFilterSet
    instance_kw = "award"

    def record(self, **kwargs):
        return services.record_award(**kwargs)


class StandardViewSet(_EnterpriseRecordViewSet):
    model = Standard
    queryset = Standard.objects.all()
    serializer_class = StandardSerializer
    filterset_class = StandardFilterSet
    instance_kw = "standard"

    def record(self, **kwargs):
        return services.record_standard(**kwargs)
