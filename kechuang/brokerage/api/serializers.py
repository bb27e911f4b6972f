"""API shapes; rules are the services' job."""

from rest_framework import serializers

from kechuang.enterprises.api.serializers import EnterpriseByCodeField

from ..choices import DeclineReason
from ..models import (
    Broker,
    Case,
    CaseCandidate,
    Event,
    OverseasService,
    TaskItem,
    TechContract,
    Visit,
)


class BrokerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Broker
        fields = ("id", "name", "organisation", "certificate_number", "grade", "fields",
                  "region", "is_active")


class VisitSerializer(serializers.ModelSerializer):
    enterprise = EnterpriseByCodeField()
    broker = serializers.PrimaryKeyRelatedField(queryset=Broker.objects.all(), required=False)

    class Meta:
        model = Visit
        fields = ("id", "broker", "enterprise", "visited_on", "kind", "people_met",
                  "problems_found", "summary", "follow_up", "follow_up_due",
                  "follow_up_done_on")
        read_only_fields = ("follow_up_done_on",)


class CaseSerializer(serializers.ModelSerializer):
    enterprise = serializers.CharField(source="enterprise.uscc", read_only=True)

    class Meta:
        model = Case
        fields = ("id", "demand", "enterprise", "owner", "title", "opened_on", "event",
                  "status", "closed_on", "outcome_note")
        read_only_fields = ("enterprise", "status", "closed_on", "outcome_note")


class CaseCandidateSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseCandidate
        fields = ("id", "case", "kind", "achievement", "expert", "proposed_on", "response",
                  "decline_reason", "response_note", "responded_on")
        read_only_fields = fields


class ResponseSerializer(serializers.Serializer):
    accepted = serializers.BooleanField(help_text="true 接受；false 婉拒（须给出 reason）")
    reason = serializers.ChoiceField(
        choices=DeclineReason.choices, required=False, allow_blank=True, default="",
        help_text="婉拒原因代码（接受时留空）")
    note = serializers.CharField(required=False, allow_blank=True, default="",
                                 max_length=CaseCandidate._meta.get_field(
                                     "response_note").max_length)


class TechContractSerializer(serializers.ModelSerializer):
    enterprise = EnterpriseByCodeField()

    class Meta:
        model = TechContract
        fields = ("id", "kind", "title", "enterprise", "seller", "amount", "signed_on",
                  "registration_number", "registered_on", "case", "event", "achievement",
                  "broker")
        extra_kwargs = {"registration_number": {"validators": []}}
        validators = []


class OverseasServiceSerializer(serializers.ModelSerializer):
    enterprise = EnterpriseByCodeField()

    class Meta:
        model = OverseasService
        fields = ("id", "kind", "occurred_on", "enterprise", "engineer", "broker", "platform",
                  "project_title", "description", "case")


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = Event
        fields = ("id", "title", "kind", "organiser", "starts_on", "ends_on", "venue",
                  "is_online", "region", "description")


class TaskItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaskItem
        fields = ("id", "title", "campaign", "description", "owner", "region", "deadline",
                  "status", "completed_on", "enterprises")
        read_only_fields = ("completed_on", "enterprises")
