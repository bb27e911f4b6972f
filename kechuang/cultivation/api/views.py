from rest_framework import viewsets

from kechuang.core.api import RestrictedModelViewSet

from ..filtersets import CampaignEntryFilterSet, RuleRowFilterSet, SubsidyEntitlementFilterSet
from ..models import CampaignEntry, RuleRow, SubsidyEntitlement
from .serializers import (
    CampaignEntrySerializer,
    RuleRowSerializer,
    SubsidyEntitlementSerializer,
)


class _ReadOnly(RestrictedModelViewSet, viewsets.ReadOnlyModelViewSet):
    http_method_names = ["get", "head", "options"]


class RuleRowViewSet(_ReadOnly):
    model = RuleRow
    queryset = RuleRow.objects.all()
    serializer_class = RuleRowSerializer
    filterset_class = RuleRowFilterSet

    def get_queryset(self):
        return RuleRow.visible_to(self.request.user)


class CampaignEntryViewSet(_ReadOnly):
    model = CampaignEntry
    queryset = CampaignEntry.objects.all()
    serializer_class = CampaignEntrySerializer
    filterset_class = CampaignEntryFilterSet

    def get_queryset(self):
        return super().get_queryset().select_related("campaign", "enterprise")


class SubsidyEntitlementViewSet(_ReadOnly):
    model = SubsidyEntitlement
    queryset = SubsidyEntitlement.objects.all()
    serializer_class = SubsidyEntitlementSerializer
    filterset_class = SubsidyEntitlementFilterSet

    def get_queryset(self):
        return super().get_queryset().select_related("policy", "enterprise")
