"""The district's cultivation pipeline: counts per tier and next year's candidate lists.

Everything here reads an already-restricted ``Enterprise`` queryset (the caller passes
``Enterprise.objects.restrict(user, "view")``); nothing writes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Max, Prefetch, Q

from kechuang.core.money import format_amount
from kechuang.enterprises.choices import CertificationKind, CertificationStatus
from kechuang.enterprises.models import AnnualIndicator, Certification, Enterprise

from . import assessment
from .engine import InputError, RuleSet

DEFAULT_MAX_GAP_WAN = Decimal(50)  # R&D still missing for 高企, in 万元
DEFAULT_MAX_UNMET = 1
CACHE_SECONDS = 3600


def default_year() -> int:
    """The next call year: the year after the latest recorded accounting year."""
    latest = AnnualIndicator.objects.aggregate(y=Max("year"))["y"]
    return (latest + 1) if latest else dt.date.today().year  # noqa: DTZ011


def as_of_for(year: int) -> dt.date:
    """Assessment date used for a call year (the data year is the year before)."""
    return dt.date(year, 5, 31)


def _granted(kind: str):
    return Certification.objects.filter(kind=kind, status=CertificationStatus.GRANTED)


def _valid_on(day: dt.date) -> Q:
    return (Q(issued_on__lte=day) | Q(issued_on__isnull=True)) & (
        Q(valid_until__gte=day) | Q(valid_until__isnull=True))


def tier_sets(enterprises, data_year: int) -> dict[str, set[int]]:
    """Enterprise ids per tier at the end of ``data_year``."""
    end = dt.date(data_year, 12, 31)
    ids = enterprises.values("pk")
    return {
        "above_scale": set(AnnualIndicator.objects.filter(
            enterprise__in=ids, year=data_year, is_above_scale_industrial=True)
            .values_list("enterprise_id", flat=True)),
        "tech_sme": set(_granted(CertificationKind.NATIONAL_TECH_SME).filter(
            enterprise__in=ids, year=data_year).values_list("enterprise_id", flat=True)),
        "provincial_tech_sme": set(_granted(CertificationKind.PROVINCIAL_TECH_SME).filter(
            enterprise__in=ids, year__lte=data_year).filter(_valid_on(end))
            .values_list("enterprise_id", flat=True)),
        "high_tech": set(_granted(CertificationKind.HIGH_TECH).filter(
            enterprise__in=ids, year__lte=data_year).filter(_valid_on(end))
            .values_list("enterprise_id", flat=True)),
    }


TIER_LABELS = {
    "all": "企业总数", "above_scale": "规上工业企业", "tech_sme": "国家科技型中小企业",
    "provincial_tech_sme": "省科技型中小企业", "high_tech": "高新技术企业",
}


def tier_counts(enterprises, data_year: int) -> list[dict]:
    sets = tier_sets(enterprises, data_year)
    rows = [{"code": "all", "label": TIER_LABELS["all"],
             "count": enterprises.filter(is_active=True).count()}]
    rows += [{"code": k, "label": TIER_LABELS[k], "count": len(v)} for k, v in sets.items()]
    both = sets["tech_sme"] & sets["high_tech"]
    rows.append({"code": "tech_sme_and_high_tech", "label": "科小中已是高企",
                 "count": len(both)})
    return rows


# ---------------------------------------------------------------------------------------------
# Candidate lists


@dataclass
class Params:
    year: int
    max_gap_wan: Decimal = DEFAULT_MAX_GAP_WAN
    max_unmet: int = DEFAULT_MAX_UNMET

    @property
    def data_year(self) -> int:
        return self.year - 1

    @property
    def as_of(self) -> dt.date:
        return as_of_for(self.year)


@dataclass
class CandidateList:
    code: str
    title: str
    description: str
    headers: tuple[str, ...]
    build: Callable[[object, Params, RuleSet], list[dict]]
    uses_gap: bool = False
    extra: dict = field(default_factory=dict)


def _with_data(qs, params: Params):
    """Enterprises with the rows the engine reads: the three data years and the
    certifications that decide the direct grounds."""
    years = AnnualIndicator.objects.filter(
        year__gte=params.data_year - 2, year__lte=params.data_year).order_by("year")
    certs = Certification.objects.filter(kind__in=(
        CertificationKind.HIGH_TECH, CertificationKind.RD_INSTITUTION))
    return qs.select_related("region").prefetch_related(
        Prefetch("annual_indicators", years), Prefetch("certifications", certs))


def _assess(ent: Enterprise, scheme: str, params: Params, rules: RuleSet):
    try:
        case = assessment.stored_case(ent, params.as_of)
        return assessment.run(case, scheme, params.as_of, rules), None
    except InputError as exc:
        return None, exc


def _row(ent: Enterprise, cells: list, **extra) -> dict:
    return {"pk": ent.pk, "cells": [ent.name, ent.uscc, ent.region.name, *cells], **extra}


def _unmet(result) -> list[str]:
    return [c.id for c in result.conditions if c.met is False and not c.skipped]


def _gap_yuan(result, cid: str) -> Decimal:
    return sum((Decimal(g.missing) for g in result.gaps if g.id == cid and g.unit == "元"),
               Decimal(0))


def _tech_sme_to_high_tech(enterprises, params: Params, rules: RuleSet) -> list[dict]:
    sets = tier_sets(enterprises, params.data_year)
    high_tech_now = set(_granted(CertificationKind.HIGH_TECH).filter(
        enterprise__in=enterprises.values("pk")).filter(_valid_on(params.as_of))
        .values_list("enterprise_id", flat=True))
    ids = sets["tech_sme"] - high_tech_now
    rows = []
    limit = params.max_gap_wan * 10_000
    for ent in _with_data(enterprises.filter(pk__in=ids), params):
        result, _error = _assess(ent, "high-tech", params, rules)
        if result is None:
            continue
        unmet = _unmet(result)
        rd_gap = _gap_yuan(result, "H5")
        near = result.verdict in ("pass", "borderline") and not unmet
        if not near and (len(unmet) > params.max_unmet or rd_gap > limit):
            continue
        lo, hi = result.score_range or (0, 0)
        rows.append(_row(ent, [
            assessment.VERDICT_LABELS.get(result.verdict or "", ""), f"{lo}–{hi}",
            "、".join(unmet) or "无", format_amount(rd_gap, "万元") if rd_gap else "—",
        ], sort=(len(unmet), rd_gap)))
    rows.sort(key=lambda r: r["sort"])
    return rows


def _high_tech_expiring(enterprises, params: Params, rules: RuleSet) -> list[dict]:
    years = (params.year, params.year + 1)
    certs = _granted(CertificationKind.HIGH_TECH).filter(
        enterprise__in=enterprises.values("pk"), valid_until__year__in=years)
    renewed = set(_granted(CertificationKind.HIGH_TECH).filter(
        enterprise__in=enterprises.values("pk"), valid_until__year__gt=params.year + 1)
        .values_list("enterprise_id", flat=True))
    by_ent = {c.enterprise_id: c for c in certs.order_by("valid_until")
              if c.enterprise_id not in renewed}
    rows = []
    for ent in _with_data(enterprises.filter(pk__in=by_ent), params):
        cert = by_ent[ent.pk]
        result, _error = _assess(ent, "high-tech", params, rules)
        verdict = (assessment.VERDICT_LABELS.get(result.verdict or "", "") if result
                   else "数据不全")
        rows.append(_row(ent, [cert.number or "—", f"{cert.issued_on or '—'}",
                               f"{cert.valid_until}", verdict], sort=(cert.valid_until,)))
    rows.sort(key=lambda r: r["sort"])
    return rows


def _above_scale_without_tech_sme(enterprises, params: Params, rules: RuleSet) -> list[dict]:
    sets = tier_sets(enterprises, params.data_year)
    ids = sets["above_scale"] - sets["tech_sme"]
    rows = []
    for ent in _with_data(enterprises.filter(pk__in=ids), params):
        result, _error = _assess(ent, "tech-sme", params, rules)
        indicator = next((i for i in ent.annual_indicators.all()
                          if i.year == params.data_year), None)
        rd = indicator.rd_expense if indicator else None
        if result is None:
            verdict, score, gaps = "数据不全", "—", "—"
        else:
            verdict = "符合" if result.eligible else "暂不符合"
            score = "—" if result.score is None else str(result.score)
            gaps = "、".join(_unmet(result)) or "无"
        rows.append(_row(ent, [format_amount(rd, "万元"), verdict, score, gaps],
                         sort=(0 if result is not None and result.eligible else 1,
                               -(result.score or 0) if result else 0)))
    rows.sort(key=lambda r: r["sort"])
    return rows


def _tech_sme_candidates(enterprises, params: Params, rules: RuleSet) -> list[dict]:
    sets = tier_sets(enterprises, params.data_year)
    have_data = AnnualIndicator.objects.filter(year=params.data_year).values("enterprise_id")
    qs = enterprises.filter(is_active=True, pk__in=have_data).exclude(pk__in=sets["tech_sme"])
    rows = []
    for ent in _with_data(qs, params):
        result, _error = _assess(ent, "tech-sme", params, rules)
        if result is None or not result.eligible:
            continue
        rows.append(_row(ent, [str(result.score) if result.score is not None else "直通车",
                               ent.industry_code], sort=(-(result.score or 100),)))
    rows.sort(key=lambda r: r["sort"])
    return rows


LISTS: dict[str, CandidateList] = {c.code: c for c in (
    CandidateList(
        "tech-sme-to-high-tech", "科小→高企后备",
        "已入库国家科技型中小企业、尚未持有有效高企证书，按高企条件预评估已很可能通过、临界，"
        "或不符合的条件不超过设定项数且研发费用缺口不超过设定金额。",
        ("企业名称", "统一社会信用代码", "区域", "高企预评估", "创新能力评分", "未满足条件",
         "研发费用缺口"),
        _tech_sme_to_high_tech, uses_gap=True),
    CandidateList(
        "high-tech-expiring", "高企证书到期（本年/次年）",
        "高新技术企业证书在评价年度或次年到期、尚无更新证书的企业；到期须重新认定。",
        ("企业名称", "统一社会信用代码", "区域", "证书编号", "发证日期", "有效期至",
         "重新认定预评估"),
        _high_tech_expiring),
    CandidateList(
        "above-scale-without-tech-sme", "规上工业未入库科小",
        "上年度规上工业企业中，未入库国家科技型中小企业的企业及其科小预评估结果。",
        ("企业名称", "统一社会信用代码", "区域", "上年研发费用", "科小预评估", "得分",
         "未满足条件"),
        _above_scale_without_tech_sme),
    CandidateList(
        "tech-sme-candidates", "科小入库后备",
        "尚未入库国家科技型中小企业、按上年度数据预评估已符合入库条件的企业。",
        ("企业名称", "统一社会信用代码", "区域", "预评估得分", "行业代码"),
        _tech_sme_candidates),
)}


def _data_stamp() -> tuple:
    """Changes whenever an input of the lists changes (registry rows or rule rows)."""
    from .models import RuleRow

    return tuple(
        tuple(m.objects.aggregate(n=Count("id"), i=Max("id"), t=Max("updated_at")).values())
        for m in (Enterprise, AnnualIndicator, Certification, RuleRow))


def candidate_rows(spec: CandidateList, enterprises, params: Params) -> list[dict]:
    """The list for the whole registry (cached until the data changes), cut to ``enterprises``
    (the caller's restricted and filtered queryset)."""
    key = "kechuang:cultivation:candidates:" + hashlib.sha1(repr((
        spec.code, params.year, str(params.max_gap_wan), params.max_unmet, _data_stamp(),
    )).encode()).hexdigest()
    rows = cache.get(key)
    if rows is None:
        rows = spec.build(Enterprise.objects.all(), params, assessment.rule_set())
        cache.set(key, rows, CACHE_SECONDS)
    allowed = set(enterprises.values_list("pk", flat=True))
    return [r for r in rows if r["pk"] in allowed]


def filter_enterprises(enterprises, *, region=None, section: str = "", q: str = ""):
    from kechuang.enterprises.filtersets import search_q

    if region is not None:
        enterprises = enterprises.filter(region__path__startswith=region.path)
    if section:
        enterprises = enterprises.filter(industry_code__startswith=section)
    if q:
        enterprises = enterprises.filter(search_q(q))
    return enterprises
