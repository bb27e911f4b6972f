from rest_framework import serializers

from kechuang.core.api import PersonalDataSerializerMixin
from kechuang.core.masking import mask_email, mask_id_number, mask_phone
from kechuang.regions.models import Region

from ..models import Expert


class ExpertSerializer(PersonalDataSerializerMixin, serializers.ModelSerializer):
    personal_fields = {"phone": mask_phone, "email": mask_email, "id_number": mask_id_number}

    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    languages = serializers.ListField(child=serializers.CharField(max_length=32),
                                      required=False)
    fields = serializers.ListField(child=serializers.CharField(max_length=2), required=False)
    talent_programmes = serializers.ListField(child=serializers.CharField(max_length=32),
                                              required=False)

    class Meta:
        model = Expert
        fields = ("id", "kind", "name", "organisation", "title", "country", "languages",
                  "fields", "specialties", "bio", "availability_from", "availability_until",
                  "service_mode", "talent_programmes", "phone", "email", "id_number", "region",
                  "status", "registered_on", "created_at", "updated_at")
        read_only_fields = ("status", "registered_on", "created_at", "updated_at")
