"""Cultivation figures in the indicator catalogue (清零 progress, 免申即享 payments)."""

from django.db.models import Sum

from kechuang.indicators.catalogue import FLOW, STOCK, Indicator, region_filter, register

from .choices import EntitlementStatus, EntryStatus
from .models import CampaignEntry, SubsidyEntitlement

MODULE = "企业培育"


def _campaign_entries(period, region):
    return CampaignEntry.objects.filter(
        campaign__year=period.end.year, **region_filter("enterprise__region", region))


register(Indicator(
    code="zero_rd_campaign_enterprises", name="研发费用清零名单企业", unit="家", module=MODULE,
    definition="当年“清零”行动名单中的规上工业企业数（研发费用为零或未填报）",
    semantics=STOCK, source=_campaign_entries,
))

register(Indicator(
    code="zero_rd_campaign_reported", name="清零企业已填报研发费用", unit="家", module=MODULE,
    definition="当年“清零”行动名单中，截至期末状态为“已填报”的企业数",
    semantics=STOCK,
    source=lambda period, region: _campaign_entries(period, region).filter(
        status=EntryStatus.REPORTED, status_changed_on__lte=period.end),
))

register(Indicator(
    code="zero_rd_campaign_engaged", name="清零企业已走访及以上", unit="家", module=MODULE,
    definition="当年“清零”行动名单中，截至期末已走访、已建账或已填报的企业数",
    semantics=STOCK,
    source=lambda period, region: _campaign_entries(period, region).filter(
        status__in=(EntryStatus.VISITED, EntryStatus.LEDGER_SET_UP, EntryStatus.REPORTED),
        status_changed_on__lte=period.end),
))

register(Indicator(
    code="subsidy_paid_amount", name="免申即享兑付金额", unit="元", module=MODULE,
    definition="期间内登记兑付的免申即享政策资金（按兑付日期计）",
    semantics=FLOW,
    source=lambda period, region: SubsidyEntitlement.objects.filter(
        status=EntitlementStatus.PAID, paid_on__range=(period.start, period.end),
        **region_filter("enterprise__region", region)),
    aggregate=Sum("paid_amount"),
))
