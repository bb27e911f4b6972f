"""API shapes; cross-field rules are the services' job."""

from rest_framework import serializers

from kechuang.core.api import PersonalDataSerializerMixin
from kechuang.core.masking import mask_name, mask_phone
from kechuang.enterprises.api.serializers import EnterpriseByCodeField

from ..models import TechDemand


class TechDemandSerializer(PersonalDataSerializerMixin, serializers.ModelSerializer):
    personal_fields = {"contact_name": mask_name, "contact_phone": mask_phone}

    enterprise = EnterpriseByCodeField()
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    region = serializers.CharField(source="region.code", read_only=True)
    keywords = serializers.ListField(child=serializers.CharField(max_length=32),
                                     required=False)

    class Meta:
        model = TechDemand
        fields = ("id", "enterprise", "enterprise_name", "title", "description", "field",
                  "sub_field", "keywords", "budget", "deadline", "is_anonymous", "status",
                  "region", "contact_name", "contact_phone", "published_at", "review_note",
                  "created_at", "updated_at")
        read_only_fields = ("status", "published_at", "review_note", "created_at",
                            "updated_at")
