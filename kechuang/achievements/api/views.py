from kechuang.core.api import PersonalDataViewSetMixin, RestrictedModelViewSet

from .. import services
from ..filtersets import AchievementFilterSet
from ..models import Achievement
from .serializers import AchievementSerializer


class AchievementViewSet(PersonalDataViewSetMixin, RestrictedModelViewSet):
    personal_permission = "enterprises.view_personal_data"
    personal_message = "查看成果联系人明文（接口）"
    model = Achievement
    queryset = Achievement.objects.all()
    serializer_class = AchievementSerializer
    filterset_class = AchievementFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().select_related("region")

    def perform_create(self, serializer):
        serializer.instance = services.create_achievement(actor=self.request.user,
                                                          data=serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.update_achievement(
            actor=self.request.user, achievement=serializer.instance,
            data=serializer.validated_data)
