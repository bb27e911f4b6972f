"""API shapes of the cultivation app (read-only: writes go through the pages' services)."""

from rest_framework import serializers

from ..models import CampaignEntry, RuleRow, SubsidyEntitlement


class RuleRowSerializer(serializers.ModelSerializer):
    local_rule_flag = serializers.SerializerMethodField()

    class Meta:
        model = RuleRow
        fields = ("id", "rule_id", "scheme", "version", "effective_from", "effective_to",
                  "table", "rank", "condition", "band", "field", "op", "threshold",
                  "points_min", "points_max", "value", "applies_to", "label", "source",
                  "confidence", "local_rule", "note", "local_rule_flag")

    def get_local_rule_flag(self, obj) -> str:
        return "地方规则，请确认" if obj.is_flagged_local else ""


class CampaignEntrySerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="campaign.year", read_only=True)
    uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = CampaignEntry
        fields = ("id", "year", "uscc", "enterprise_name", "officer", "broker", "status",
                  "status_label", "status_changed_on", "reason", "main_business_revenue",
                  "rd_expense")


class SubsidyEntitlementSerializer(serializers.ModelSerializer):
    uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    policy_name = serializers.CharField(source="policy.name", read_only=True)

    class Meta:
        model = SubsidyEntitlement
        fields = ("id", "policy", "policy_name", "uscc", "enterprise_name", "tier",
                  "base_amount", "rate", "cap", "amount", "computation", "status",
                  "paid_amount", "paid_on")
