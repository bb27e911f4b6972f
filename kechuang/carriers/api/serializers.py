from rest_framework import serializers

from kechuang.core.api import PersonalDataSerializerMixin, ScopedPrimaryKeyRelatedField
from kechuang.core.masking import mask_name, mask_phone
from kechuang.enterprises.models import Enterprise
from kechuang.regions.models import Region

from ..models import Carrier


class CarrierSerializer(PersonalDataSerializerMixin, serializers.ModelSerializer):
    personal_fields = {"contact_name": mask_name, "contact_phone": mask_phone}

    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    # an enterprise the user may see (else 400, like an id that does not exist); an update may
    # send back the one the carrier already names
    host_enterprise = ScopedPrimaryKeyRelatedField(
        queryset=Enterprise.objects.all(), required=False, allow_null=True, noun="依托企业")
    fields = serializers.ListField(child=serializers.CharField(max_length=2), required=False)

    class Meta:
        model = Carrier
        fields = ("id", "name", "kind", "level", "host_name", "host_enterprise", "opened_on",
                  "recognized_on", "fields", "description", "address", "area",
                  "contact_name", "contact_phone", "region", "is_active", "created_at",
                  "updated_at")
        read_only_fields = ("created_at", "updated_at")
