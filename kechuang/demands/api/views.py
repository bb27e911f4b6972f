from django.shortcuts import get_object_or_404

from kechuang.core.api import PersonalDataViewSetMixin, RestrictedModelViewSet
from kechuang.enterprises.models import Enterprise

from .. import services
from ..filtersets import TechDemandFilterSet
from ..models import TechDemand
from .serializers import TechDemandSerializer


class TechDemandViewSet(PersonalDataViewSetMixin, RestrictedModelViewSet):
    personal_permission = "enterprises.view_personal_data"
    personal_message = "查看需求联系人明文（接口）"
    model = TechDemand
    queryset = TechDemand.objects.all()
    serializer_class = TechDemandSerializer
    filterset_class = TechDemandFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise", "region")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        enterprise = get_object_or_404(Enterprise.objects.restrict(self.request.user, "view"),
                                       pk=data.pop("enterprise").pk)
        serializer.instance = services.create_demand(actor=self.request.user,
                                                     enterprise=enterprise, data=data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("enterprise", None)
        serializer.instance = services.update_demand(actor=self.request.user,
                                                     demand=serializer.instance, data=data)
