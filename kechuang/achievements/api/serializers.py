from rest_framework import serializers

from kechuang.core.api import PersonalDataSerializerMixin
from kechuang.core.masking import mask_name, mask_phone
from kechuang.regions.models import Region

from ..models import Achievement


class AchievementSerializer(PersonalDataSerializerMixin, serializers.ModelSerializer):
    personal_fields = {"contact_name": mask_name, "contact_phone": mask_phone}

    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    keywords = serializers.ListField(child=serializers.CharField(max_length=32),
                                     required=False)

    class Meta:
        model = Achievement
        fields = ("id", "owner_name", "owner_kind", "institution", "title", "abstract",
                  "keywords", "field", "sub_field", "maturity", "ip_type", "ip_number",
                  "transfer_mode", "price", "status", "region", "contact_name",
                  "contact_phone", "published_at", "created_at", "updated_at")
        read_only_fields = ("status", "published_at", "created_at", "updated_at")
