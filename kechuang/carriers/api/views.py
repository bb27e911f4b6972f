from kechuang.core.api import PersonalDataViewSetMixin, RestrictedModelViewSet

from .. import services
from ..filtersets import CarrierFilterSet
from ..models import Carrier
from .serializers import CarrierSerializer


class CarrierViewSet(PersonalDataViewSetMixin, RestrictedModelViewSet):
    personal_permission = "enterprises.view_personal_data"
    personal_message = "查看载体联系人明文（接口）"
    model = Carrier
    queryset = Carrier.objects.all()
    serializer_class = CarrierSerializer
    filterset_class = CarrierFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().select_related("region")

    def perform_create(self, serializer):
        serializer.instance = services.create_carrier(actor=self.request.user,
                                                      data=serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.update_carrier(actor=self.request.user,
                                                      carrier=serializer.instance,
                                                      data=serializer.validated_data)
