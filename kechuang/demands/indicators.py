"""Indicators of the demand registry (the first step of the matching funnel)."""

from kechuang.indicators.catalogue import FLOW, Indicator, Period, region_filter, register

from .models import TechDemand


def _published(period: Period, region):
    return TechDemand.objects.filter(
        published_at__date__range=(period.start, period.end), **region_filter("region", region)
    )


register(Indicator(
    code="demands_new", name="新发布技术需求", unit="项", module="五库一网",
    definition="期间内经审核发布的企业技术需求项数（以发布日期计）",
    semantics=FLOW, source=_published,
    extra={"columns": [("需求名称", "title"), ("企业", lambda d: d.enterprise.name),
                       ("技术领域", lambda d: d.get_field_display()),
                       ("状态", lambda d: d.get_status_display()),
                       ("发布时间", "published_at")],
           "select_related": ["enterprise"]},
))
