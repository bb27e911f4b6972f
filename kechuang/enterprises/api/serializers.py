"""API shapes; cross-field rules are the services' job."""

from rest_framework import serializers

from kechuang.core.api import PersonalDataSerializerMixin, ScopedSlugRelatedField
from kechuang.core.masking import mask_email, mask_name, mask_phone
from kechuang.core.uscc import uscc_error
from kechuang.regions.models import Region

from ..models import AnnualIndicator, Award, Certification, Enterprise, Standard

ENTERPRISE_NOT_FOUND = "统一社会信用代码为{value}的企业不存在或不在您的数据权限范围内"


# The enterprise a record belongs to, named by its 统一社会信用代码: a well-formed code of an
# enterprise the user cannot see is answered exactly like a code nobody registered; a
# malformed code gets the precise message (``core.uscc``). Used by every API that takes one.
class EnterpriseByCodeField(ScopedSlugRelatedField):

    def __init__(self, **kwargs):
        super().__init__(slug_field="uscc", queryset=Enterprise.objects.all(),
                         not_found=ENTERPRISE_NOT_FOUND, key_error=uscc_error, **kwargs)


class EnterpriseSerializer(PersonalDataSerializerMixin, serializers.ModelSerializer):
    personal_fields = {"legal_representative": mask_name, "contact_name": mask_name,
                       "contact_phone": mask_phone, "contact_email": mask_email}

    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Enterprise
        fields = ("id", "uscc", "name", "name_pinyin", "name_initials", "region",
                  "region_name", "industry_code", "legal_form", "established_on",
                  "registered_capital", "address", "tax_collection", "is_credit_clean",
                  "legal_representative", "contact_name", "contact_phone", "contact_email",
                  "is_active", "hitech_field", "hitech_sub_field", "created_at", "updated_at")
        read_only_fields = ("name_pinyin", "name_initials", "created_at", "updated_at")
        extra_kwargs = {"uscc": {"validators": []}}


class AnnualIndicatorSerializer(serializers.ModelSerializer):
    enterprise = EnterpriseByCodeField()

    class Meta:
        model = AnnualIndicator
        fields = ("id", "enterprise", "year", "staff_total", "st_staff", "sales_revenue",
                  "main_business_revenue", "total_income", "non_taxable_income", "rd_expense",
                  "rd_expense_domestic", "cost_expense_total", "total_assets",
                  "total_liabilities", "hitech_revenue", "ip_class1", "ip_class2",
                  "ip_class2_used", "conversions", "is_above_scale_industrial")
        read_only_fields = ("is_above_scale_industrial",)
        validators = []


class CertificationSerializer(serializers.ModelSerializer):
    enterprise = EnterpriseByCodeField()

    class Meta:
        model = Certification
        fields = ("id", "enterprise", "kind", "status", "year", "number", "name", "level",
                  "applied_on", "issued_on", "valid_until", "is_first_application", "note")
        validators = []


class AwardSerializer(serializers.ModelSerializer):
    enterprise = EnterpriseByCodeField()

    class Meta:
        model = Award
        fields = ("id", "enterprise", "name", "project", "level", "grade", "org_rank", "year",
                  "issuer", "certificate_number", "note")
        validators = []


class StandardSerializer(serializers.ModelSerializer):
    enterprise = EnterpriseByCodeField()

    class Meta:
        model = Standard
        fields = ("id", "enterprise", "code", "name", "level", "role", "drafting_rank",
                  "published_on", "note")
        validators = []
