"""The district's cultivation pipeline: counts per tier and next year's candidate lists.

Everything here reads an already-restricted ``Enterprise`` queryset (the caller passes
``Enterprise.objects.restrict(user, "view")``); nothing writes. The lists read the stored
per-enterprise assessments (``candidates``), never the engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, Prefetch, Q

from kechuang.core.money import format_amount
from kechuang.enterprises.choices import CertificationKind, CertificationStatus
from kechuang.enterprises.models import AnnualIndicator, Certification

from . import assessment

DEFAULT_MAX_GAP_WAN = Decimal(50)  # R&D still missing for 高企, in 万元
DEFAULT_MAX_UNMET = 1


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
    build: Callable[[object, Params], list[dict]]
    uses_gap: bool = False
    extra: dict = field(default_factory=dict)


def with_data(qs, params: Params):
    """Enterprises with the rows the engine reads: the three data years, the certifications
    that decide the direct grounds, awards (D2) and standards (D4)."""
    years = AnnualIndicator.objects.filter(
        year__gte=params.data_year - 2, year__lte=params.data_year).order_by("year")
    certs = Certification.objects.filter(kind__in=(
        CertificationKind.HIGH_TECH, CertificationKind.RD_INSTITUTION))
    return qs.select_related("region").prefetch_related(
        Prefetch("annual_indicators", years), Prefetch("certifications", certs),
        "awards", "standards")


def gap_yuan(result, cid: str) -> Decimal:
    """The condition's first gap in 元: for H5 the R&D still missing for the ratio (or, when
    only the domestic share fails, the R&D to move or add in China). Later H5 gaps are the
    "另一途径" sales-growth alternatives, amounts of sales revenue that are not R&D."""
    return next((Decimal(g.missing) for g in result.gaps if g.id == cid and g.unit == "元"),
                Decimal(0))


# The lists read the assessments stored by ``candidates.compute`` (``CandidateAssessment``);
# no engine call happens here.


def _stored(params: Params, scheme: str, enterprises):
    from .models import CandidateAssessment

    return CandidateAssessment.objects.filter(
        year=params.year, scheme=scheme, enterprise__in=enterprises.values("pk"))


# Rows are read as tuples (lists reach tens of thousands of rows on a large registry).
_ENT = ("enterprise_id", "enterprise__name", "enterprise__uscc", "enterprise__region__name")


def _by_enterprise(params: Params, scheme: str, enterprises, ids, *fields) -> dict:
    return {r[0]: r[1:] for r in _stored(params, scheme, enterprises).filter(
        enterprise_id__in=ids).values_list("enterprise_id", *fields)}


def _missing_label(params: Params) -> str:
    """What a list shows for an enterprise without a stored assessment."""
    from .models import CandidateRun

    done = CandidateRun.objects.filter(year=params.year, status="done").exists()
    return "数据不全" if done else "待计算"


def _tech_sme_ids(enterprises, data_year: int):
    return _granted(CertificationKind.NATIONAL_TECH_SME).filter(
        enterprise__in=enterprises.values("pk"), year=data_year).values("enterprise_id")


def _row(ent: tuple, cells: list, **extra) -> dict:
    """``ent`` = (pk, name, uscc, region name)."""
    pk, name, uscc, region = ent
    return {"pk": pk, "cells": [name, uscc, region, *cells], **extra}


def _tech_sme_to_high_tech(enterprises, params: Params) -> list[dict]:
    high_tech_now = _granted(CertificationKind.HIGH_TECH).filter(
        enterprise__in=enterprises.values("pk")).filter(_valid_on(params.as_of)).values(
        "enterprise_id")
    stored = (_stored(params, "high-tech", enterprises).filter(
        assessed=True, enterprise_id__in=_tech_sme_ids(enterprises, params.data_year))
        .exclude(enterprise_id__in=high_tech_now)
        .values_list(*_ENT, "verdict", "score_min", "score_max", "unmet", "rd_gap"))
    rows = []
    limit = params.max_gap_wan * 10_000
    for *ent, verdict, lo, hi, unmet, rd_gap in stored:
        rd_gap = rd_gap or Decimal(0)
        near = verdict in ("pass", "borderline") and not unmet
        if not near and (len(unmet) > params.max_unmet or rd_gap > limit):
            continue
        rows.append(_row(ent, [
            assessment.VERDICT_LABELS.get(verdict, ""), f"{lo or 0}–{hi or 0}",
            "、".join(unmet) or "无", format_amount(rd_gap, "万元") if rd_gap else "—",
        ], sort=(len(unmet), rd_gap, ent[1])))
    rows.sort(key=lambda r: r["sort"])
    return rows


def _high_tech_expiring(enterprises, params: Params) -> list[dict]:
    years = (params.year, params.year + 1)
    ids = enterprises.values("pk")
    certs = _granted(CertificationKind.HIGH_TECH).filter(
        enterprise__in=ids, valid_until__year__in=years)
    renewed = _granted(CertificationKind.HIGH_TECH).filter(
        enterprise__in=ids, valid_until__year__gt=params.year + 1).values("enterprise_id")
    by_ent: dict[int, tuple] = {}
    for row in certs.exclude(enterprise_id__in=renewed).order_by("valid_until", "pk").values_list(
            *_ENT, "number", "issued_on", "valid_until"):
        by_ent.setdefault(row[0], row)
    stored = _by_enterprise(params, "high-tech", enterprises, certs.values("enterprise_id"),
                            "assessed", "verdict")
    rows = []
    missing = _missing_label(params)
    for ent_id, (*ent, number, issued_on, valid_until) in by_ent.items():
        a = stored.get(ent_id)
        verdict = (missing if a is None else "数据不全" if not a[0]
                   else assessment.VERDICT_LABELS.get(a[1], ""))
        rows.append(_row(ent, [number or "—", f"{issued_on or '—'}", f"{valid_until}",
                               verdict], sort=(valid_until, ent[1])))
    rows.sort(key=lambda r: r["sort"])
    return rows


def _above_scale_without_tech_sme(enterprises, params: Params) -> list[dict]:
    indicators = (AnnualIndicator.objects.filter(
        enterprise__in=enterprises.values("pk"), year=params.data_year,
        is_above_scale_industrial=True)
        .exclude(enterprise_id__in=_tech_sme_ids(enterprises, params.data_year)))
    stored = _by_enterprise(params, "tech-sme", enterprises,
                            indicators.values("enterprise_id"),
                            "assessed", "eligible", "score", "unmet")
    rows = []
    missing = _missing_label(params)
    for *ent, rd in indicators.values_list(*_ENT, "rd_expense"):
        a = stored.get(ent[0])
        ok = a is not None and a[0]
        if not ok:
            verdict, score, gaps = missing if a is None else "数据不全", "—", "—"
        else:
            _assessed, eligible, points, unmet = a
            verdict = "符合" if eligible else "暂不符合"
            score = "—" if points is None else str(points)
            gaps = "、".join(unmet) or "无"
        rows.append(_row(ent, [format_amount(rd, "万元"), verdict, score, gaps],
                         sort=(0 if ok and a[1] else 1, -(a[2] or 0) if ok else 0, ent[1])))
    rows.sort(key=lambda r: r["sort"])
    return rows


def _tech_sme_candidates(enterprises, params: Params) -> list[dict]:
    have_data = AnnualIndicator.objects.filter(year=params.data_year).values("enterprise_id")
    stored = (_stored(params, "tech-sme", enterprises.filter(is_active=True))
              .filter(assessed=True, eligible=True, enterprise_id__in=have_data)
              .exclude(enterprise_id__in=_tech_sme_ids(enterprises, params.data_year))
              .values_list(*_ENT, "enterprise__industry_code", "score"))
    rows = [_row(ent, [str(score) if score is not None else "直通车", industry_code],
                 sort=(-(score if score is not None else 100), ent[1]))
            for *ent, industry_code, score in stored]
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


def candidate_rows(spec: CandidateList, enterprises, params: Params) -> list[dict]:
    """The list cut to ``enterprises`` (the caller's restricted and filtered queryset), read
    from the stored assessments of ``params.year``; rows of enterprises whose data changed
    since carry ``changed``."""
    from .candidates import changed_ids

    rows = spec.build(enterprises, params)
    changed = changed_ids(params.year)
    for r in rows:
        r["changed"] = r["pk"] in changed
    return rows


def filter_enterprises(enterprises, *, region=None, section: str = "", q: str = ""):
    from kechuang.enterprises.filtersets import search_q

    if region is not None:
        enterprises = enterprises.filter(region__path__startswith=region.path)
    if section:
        enterprises = enterprises.filter(industry_code__startswith=section)
    if q:
        enterprises = enterprises.filter(search_q(q))
    return enterprises
