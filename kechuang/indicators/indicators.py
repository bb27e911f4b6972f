"""Indicators computed from the monthly statistics of above-scale enterprises."""

from django.db.models import Q, Sum

from kechuang.core.money import format_amount

from .catalogue import FLOW, Indicator, Period, region_filter, register

INDUSTRIAL_Q = (Q(enterprise__industry_code__startswith="B")
                | Q(enterprise__industry_code__startswith="C")
                | Q(enterprise__industry_code__startswith="D"))

_COLUMNS = [
    ("企业", lambda s: s.enterprise.name),
    ("统一社会信用代码", lambda s: s.enterprise.uscc),
    ("所属区域", lambda s: s.enterprise.region.name),
    ("年月", lambda s: f"{s.year}年{s.month}月"),
    ("工业增加值", lambda s: format_amount(s.value_added)),
    ("研发费用", lambda s: format_amount(s.rd_expense)),
    ("高新技术产业", lambda s: "是" if s.is_hitech_industry else "否"),
]


def _monthly(period: Period, region):
    from .models import MonthlyEnterpriseStat

    # A month counts when it ends within the period (1-9月 = months ending 01-31 … 09-30).
    return MonthlyEnterpriseStat.objects.filter(
        month_end__range=(period.start, period.end), **region_filter("enterprise__region",
                                                                     region))


register(Indicator(
    code="hitech_industry_value_added", name="高新技术产业增加值", unit="元",
    module="科技争投",
    definition="期间内各月规上工业企业属高新技术产业的工业增加值之和（月度统计报表当月数累加）",
    semantics=FLOW, rank_in_city=True,
    source=lambda period, region: _monthly(period, region).filter(
        INDUSTRIAL_Q, is_hitech_industry=True, value_added__isnull=False),
    aggregate=Sum("value_added"),
    extra={"display_unit": "亿元", "columns": _COLUMNS,
           "select_related": ["enterprise", "enterprise__region"]},
))

register(Indicator(
    code="rd_expense_above_scale_industrial", name="规上工业企业研发费用", unit="元",
    module="科技争投",
    definition="期间内各月规模以上工业企业（主营业务收入2000万元及以上，门类B、C、D）"
               "研发费用之和（月度统计报表当月数累加）",
    semantics=FLOW, rank_in_city=True,
    source=lambda period, region: _monthly(period, region).filter(
        INDUSTRIAL_Q, rd_expense__isnull=False),
    aggregate=Sum("rd_expense"),
    extra={"display_unit": "亿元", "columns": _COLUMNS,
           "select_related": ["enterprise", "enterprise__region"]},
))
