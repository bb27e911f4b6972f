"""Indicators of the enterprise registry (certifications and tiers), for the catalogue.

新增 (FLOW) counts certifications dated within the period; 有效 (STOCK) counts enterprises
holding a granted certification valid on the period's last day. Each enterprise counts once.
"""

from django.db.models import Count, Q

from kechuang.indicators.catalogue import FLOW, STOCK, Indicator, Period, region_filter, register

from .choices import CertificationKind, CertificationStatus
from .models import Certification, Enterprise

_CERT_COLUMNS = [
    ("企业", lambda c: c.enterprise.name),
    ("统一社会信用代码", lambda c: c.enterprise.uscc),
    ("所属区域", lambda c: c.enterprise.region.name),
    ("类别", lambda c: c.get_kind_display()),
    ("年度", "year"),
    ("状态", lambda c: c.get_status_display()),
    ("编号", "number"),
    ("申报日期", "applied_on"),
    ("认定日期", "issued_on"),
    ("有效期至", "valid_until"),
    ("首次申报", lambda c: "是" if c.is_first_application else "否"),
]
_CERT_EXTRA = {"columns": _CERT_COLUMNS, "select_related": ["enterprise", "enterprise__region"]}
DISTINCT_ENTERPRISES = Count("enterprise", distinct=True)


def _certs(region):
    return Certification.objects.filter(**region_filter("enterprise__region", region))


def _granted_within(kind: str):
    """First registrations: granted within the period to an enterprise with no granted one
    of a year before the period's first year (a non-correlated subquery: fast on SQLite)."""
    def source(period: Period, region):
        earlier = Certification.objects.filter(
            kind=kind, status=CertificationStatus.GRANTED, year__lt=period.start.year,
        ).values("enterprise_id")
        return _certs(region).filter(
            kind=kind, status=CertificationStatus.GRANTED,
            issued_on__range=(period.start, period.end)).exclude(enterprise_id__in=earlier)
    return source


def _valid_on_end(kind: str):
    def source(period: Period, region):
        day = period.end
        return _certs(region).filter(
            kind=kind, status=CertificationStatus.GRANTED, issued_on__lte=day,
        ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
    return source


def _applications(first_time: bool):
    def source(period: Period, region):
        qs = _certs(region).filter(kind=CertificationKind.HIGH_TECH,
                                   applied_on__range=(period.start, period.end))
        if first_time:
            qs = qs.filter(is_first_application=True)
        return qs
    return source


register(Indicator(
    code="new_national_tech_sme", name="新增国家科技型中小企业", unit="家",
    module="创新主体培育",
    definition="期间内首次取得国家科技型中小企业入库登记编号的企业数（以登记日期计；"
               "以前年度已入库、本年重新登记的不计）",
    semantics=FLOW, source=_granted_within(CertificationKind.NATIONAL_TECH_SME),
    aggregate=DISTINCT_ENTERPRISES, extra=_CERT_EXTRA,
))
register(Indicator(
    code="new_municipal_tech_sme", name="新增市科技型中小企业", unit="家",
    module="创新主体培育",
    definition="期间内首次被认定为市科技型中小企业的企业数（以认定日期计；以前年度已认定的不计）",
    semantics=FLOW, source=_granted_within(CertificationKind.MUNICIPAL_TECH_SME),
    aggregate=DISTINCT_ENTERPRISES, extra=_CERT_EXTRA,
))
register(Indicator(
    code="hitech_applications", name="申报高新技术企业", unit="家",
    module="创新主体培育",
    definition="期间内提交高新技术企业认定申报的企业数（以申报日期计，含认定、未通过及待评审）",
    semantics=FLOW, source=_applications(first_time=False),
    aggregate=DISTINCT_ENTERPRISES, extra=_CERT_EXTRA,
))
register(Indicator(
    code="hitech_applications_first_time", name="首次申报高新技术企业", unit="家",
    module="创新主体培育",
    definition="期间内首次申报高新技术企业认定的企业数（以申报日期计）",
    semantics=FLOW, source=_applications(first_time=True),
    aggregate=DISTINCT_ENTERPRISES, extra=_CERT_EXTRA,
))
register(Indicator(
    code="national_tech_sme_valid", name="有效国家科技型中小企业", unit="家",
    module="企业梯队",
    definition="期末持有有效国家科技型中小企业入库登记编号的企业数",
    semantics=STOCK, source=_valid_on_end(CertificationKind.NATIONAL_TECH_SME),
    aggregate=DISTINCT_ENTERPRISES, extra=_CERT_EXTRA,
))
register(Indicator(
    code="municipal_tech_sme_valid", name="有效市科技型中小企业", unit="家",
    module="企业梯队",
    definition="期末持有有效市科技型中小企业认定的企业数",
    semantics=STOCK, source=_valid_on_end(CertificationKind.MUNICIPAL_TECH_SME),
    aggregate=DISTINCT_ENTERPRISES, extra=_CERT_EXTRA,
))
register(Indicator(
    code="hitech_valid", name="有效高新技术企业", unit="家",
    module="企业梯队",
    definition="期末持有有效高新技术企业证书（发证之日起三年）的企业数",
    semantics=STOCK, source=_valid_on_end(CertificationKind.HIGH_TECH),
    aggregate=DISTINCT_ENTERPRISES, extra=_CERT_EXTRA,
))
register(Indicator(
    code="enterprises_registered", name="在库企业", unit="家",
    module="企业梯队",
    definition="期末企业库中成立日期不晚于期末、仍存续的企业数",
    semantics=STOCK,
    source=lambda period, region: Enterprise.objects.filter(
        is_active=True, established_on__lte=period.end, **region_filter("region", region)),
    extra={"columns": [("企业", "name"), ("统一社会信用代码", "uscc"),
                       ("所属区域", lambda e: e.region.name), ("成立日期", "established_on")],
           "select_related": ["region"]},
))

TIER_CODES = ("enterprises_registered", "municipal_tech_sme_valid", "national_tech_sme_valid",
              "hitech_valid")
