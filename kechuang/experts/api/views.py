from kechuang.core.api import PersonalDataViewSetMixin, RestrictedModelViewSet

from .. import services
from ..filtersets import ExpertFilterSet
from ..models import Expert
from .serializers import ExpertSerializer


class ExpertViewSet(PersonalDataViewSetMixin, RestrictedModelViewSet):
    personal_permission = "experts.view_personal_data"
    personal_message = "查看专家个人信息明文（接口）"
    model = Expert
    queryset = Expert.objects.all()
    serializer_class = ExpertSerializer
    filterset_class = ExpertFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().select_related("region")

    def perform_create(self, serializer):
        serializer.instance = services.create_expert(actor=self.request.user,
                                                     data=serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.update_expert(actor=self.request.user,
                                                     expert=serializer.instance,
                                                     data=serializer.validated_data)
