"""API shapes; rules are the services' job."""

from django.db.models import Q
from rest_framework import serializers

from kechuang.achievements.choices import VISIBLE_STATUSES
from kechuang.achievements.models import Achievement
from kechuang.core.api import ScopedPrimaryKeyRelatedField
from kechuang.demands.models import TechDemand
from kechuang.enterprises.api.serializers import EnterpriseByCodeField
from kechuang.experts.models import Expert

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


# Rows named by id in a write are looked up among those the user may see (``core.api``): an
# id out of scope is answered exactly like an id that does not exist (400, same message).
def _optional(queryset, **kwargs) -> ScopedPrimaryKeyRelatedField:
    return ScopedPrimaryKeyRelatedField(queryset=queryset, required=False, allow_null=True,
                                        **kwargs)


def _broker() -> ScopedPrimaryKeyRelatedField:
    return _optional(Broker.objects.all())


def _event() -> ScopedPrimaryKeyRelatedField:
    return _optional(Event.objects.all())


def _achievement() -> ScopedPrimaryKeyRelatedField:
    # published achievements are open to everyone (the portal's), as in the page form
    return _optional(Achievement.objects.all(), public=Q(status__in=VISIBLE_STATUSES))


class BrokerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Broker
        fields = ("id", "name", "organisation", "certificate_number", "grade", "fields",
                  "region", "is_active")


class VisitSerializer(serializers.ModelSerializer):
    enterprise = EnterpriseByCodeField()
    broker = ScopedPrimaryKeyRelatedField(queryset=Broker.objects.all(), required=False)

    class Meta:
        model = Visit
        fields = ("id", "broker", "enterprise", "visited_on", "kind", "people_met",
                  "problems_found", "summary", "follow_up", "follow_up_due",
                  "follow_up_done_on")
        read_only_fields = ("follow_up_done_on",)


class CaseSerializer(serializers.ModelSerializer):
    demand = ScopedPrimaryKeyRelatedField(queryset=TechDemand.objects.all())
    enterprise = serializers.CharField(source="enterprise.uscc", read_only=True)
    owner = ScopedPrimaryKeyRelatedField(queryset=Broker.objects.all(), noun="科技经纪人")
    event = _event()

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
    # registering a contract closes its case: the case must be one the user may change
    case = _optional(Case.objects.all(), scope_action="change")
    event = _event()
    achievement = _achievement()
    broker = _broker()

    class Meta:
        model = TechContract
        fields = ("id", "kind", "title", "enterprise", "seller", "amount", "signed_on",
                  "registration_number", "registered_on", "case", "event", "achievement",
                  "broker")
        extra_kwargs = {"registration_number": {"validators": []}}
        validators = []


class OverseasServiceSerializer(serializers.ModelSerializer):
    enterprise = EnterpriseByCodeField()
    engineer = ScopedPrimaryKeyRelatedField(queryset=Expert.objects.all(), noun="海外工程师")
    broker = _broker()
    case = _optional(Case.objects.all())

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
