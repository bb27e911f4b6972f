"""Read side of the assessment: the engine fed with the database rule rows, and results
explained in plain Chinese for pages, exports and the API. Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db.models import Count, Max

from kechuang.core.money import format_amount

from .engine import (
    SCHEME_LABELS,
    Case,
    InputError,
    IPHoldings,
    Result,
    RuleSet,
    YearData,
    assess,
    load_rules,
)
from .engine.model import YEAR_FIELD_LABELS
from .engine.rules import LOCAL_RULE_MESSAGE
from .engine.validate import periods
from .models import RuleRow

LOCAL_RULE_TEXT = LOCAL_RULE_MESSAGE  # 「地方规则，请确认」

CONDITION_TITLES = {
    "E1": "境内居民企业、查账征收",
    "E2": "规模：职工≤500人，销售收入、资产总额均≤2亿元",
    "E3": "行业不属于限制、淘汰类或不适用加计扣除的行业",
    "E4": "无重大安全、质量事故，无严重环境违法和失信",
    "E5": "综合评价得分≥60分且科技人员指标不为0",
    "D1": "直通车：有效期内的高新技术企业",
    "D2": "直通车：近五年获国家级科技奖（前三名）",
    "D3": "直通车：拥有省部级以上研发机构",
    "D4": "直通车：近五年主导制定国际、国家或行业标准",
    "H1": "注册成立一年以上",
    "H2": "拥有核心支持作用的知识产权",
    "H3": "技术属于国家重点支持的高新技术领域",
    "H4": "科技人员占职工总数≥10%",
    "H5": "近三年研发费用占销售收入比例达标，境内研发费用≥60%",
    "H6": "近一年高新技术产品（服务）收入占总收入≥60%",
    "H7": "创新能力评价得分>70分",
    "H8": "申请前一年无重大安全、质量事故和严重环境违法",
    "Z1": "在本省注册一年以上，独立核算的企业法人",
    "Z2": "拥有自主知识产权及相应产品或服务",
    "Z3": "科技人员原则上占职工总数≥10%",
    "Z4": "有一定的科技创新投入",
    "Z5": "符合中小企业划型标准",
    "Z6": "上一年无重大事故、严重环境违法和失信",
}
PART_LABELS = {
    "staff": "科技人员指标", "rd": "研发投入指标", "ip": "知识产权/科技成果",
    "conversion": "科技成果转化能力", "management": "研究开发组织管理水平",
    "growth": "企业成长性",
}
PART_MAX = {
    "tech-sme": {"staff": 20, "rd": 50, "ip": 30},
    "high-tech": {"ip": 30, "conversion": 30, "management": 20, "growth": 20},
}
VERDICT_LABELS = {"pass": "很可能通过", "borderline": "临界：取决于专家评分或待补数据",
                  "fail": "暂不符合"}
MONEY_UNITS = {"元"}

# ---------------------------------------------------------------------------------------------
# Rules from the database


_cache_lock = threading.Lock()
_cache: dict[str, object] = {"key": None, "rules": None}


def rule_set() -> RuleSet:
    """The engine rule set built from ``RuleRow`` (rebuilt whenever the table changes)."""
    stamp = RuleRow.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    key = (stamp["n"], stamp["t"])
    with _cache_lock:
        if _cache["key"] == key and _cache["rules"] is not None:
            return _cache["rules"]  # type: ignore[return-value]
    rows = [r.to_engine_dict() for r in RuleRow.objects.all()]
    if not rows:
        raise InputError.single(
            "rules", "评价规则尚未载入数据库，请管理员运行“kechuang load_rules”")
    rules = load_rules(rows)
    with _cache_lock:
        _cache["key"], _cache["rules"] = key, rules
    return rules


# ---------------------------------------------------------------------------------------------
# Cases


def required_years(scheme: str, as_of: dt.date, established: dt.date | None) -> list[int]:
    return periods(scheme, Case(established=established), as_of)[1]


def case_with_figures(case: Case, figures: dict[int, dict], ip: dict | None) -> Case:
    """``case`` with the typed ``figures`` (``{year: {field: value}}``) replacing stored ones."""
    years = dict(case.years)
    for year, values in figures.items():
        base = years.get(year) or YearData(year=year)
        years[year] = replace(base, **{k: v for k, v in values.items()
                                       if k in YEAR_FIELD_LABELS})
    holdings = case.ip
    if ip is not None:
        holdings = IPHoldings(class1=ip.get("class1"), class2=ip.get("class2"),
                              class2_used=ip.get("class2_used"))
    return replace(case, years=years, ip=holdings)


def stored_case(enterprise, as_of: dt.date) -> Case:
    from .adapters import case_from_enterprise

    return case_from_enterprise(enterprise, as_of=as_of)


def run(case: Case, scheme: str, as_of: dt.date, rules: RuleSet | None = None) -> Result:
    return assess(case, scheme, as_of, rules if rules is not None else rule_set())


# ---------------------------------------------------------------------------------------------
# Explanation


@dataclass
class Explained:
    scheme: str
    scheme_label: str
    result: Result | None
    errors: list[tuple[str, str]]
    summary: str = ""
    tone: str = "secondary"
    conditions: list[dict] | None = None
    parts: list[dict] | None = None
    gaps: list[dict] | None = None
    plans: list[dict] | None = None
    has_local_rule: bool = False


FIELD_LABELS = {
    **YEAR_FIELD_LABELS, "class1": "Ⅰ类知识产权", "class2": "Ⅱ类知识产权",
    "class2_used": "已用于高企申报的Ⅱ类知识产权", "uscc": "统一社会信用代码",
    "established": "成立日期", "industry_code": "行业代码", "rules": "评价规则",
    "as_of": "评价日期", "tax_collection": "征收方式",
}


def field_label(path: str) -> str:
    """``years.2023.st_staff`` → ``2023年 科技人员数``."""
    parts = path.split(".")
    if parts[0] == "years" and len(parts) >= 2:
        name = FIELD_LABELS.get(parts[2], parts[2]) if len(parts) > 2 else "年度数据"
        return f"{parts[1]}年 {name}"
    return FIELD_LABELS.get(parts[-1], path)


def _amount(missing, unit: str) -> str:
    if unit in MONEY_UNITS:
        try:
            dec = Decimal(str(missing))
        except ArithmeticError:
            return f"{missing}{unit}"
        return f"{format_amount(dec, '万元')}（{dec:,.2f}元）"
    return f"{missing}{unit}"


VALUE_LABELS = {
    "uscc": "统一社会信用代码", "tax_collection": "征收方式", "staff_total": "职工总数",
    "st_staff": "科技人员", "sales_revenue": "销售收入", "total_assets": "资产总额",
    "score": "总分", "staff_points": "科技人员得分", "rd_points": "研发投入得分",
    "ip_points": "科技成果得分", "staff_share": "科技人员占比",
    "rd_sales_ratio": "研发费用/销售收入", "rd_cost_ratio": "研发费用/成本费用",
    "class1": "Ⅰ类知识产权", "class2": "Ⅱ类知识产权", "class2_available": "可用Ⅱ类知识产权",
    "years": "年度", "rd_expense_sum": "研发费用合计", "sales_revenue_sum": "销售收入合计",
    "latest_sales_revenue": "最近一年销售收入", "score_range": "得分区间",
    "net_assets_growth": "净资产增长率", "sales_growth": "销售收入增长率",
    "required_ratio": "要求比例", "ratio": "比例", "domestic_share": "境内研发占比",
    "rd_ratio": "研发费用占比", "rd_domestic_share": "境内研发费用占比",
    "rd_option": "研发投入选项", "age_days": "成立天数", "legal_form": "企业类型",
}
_PERCENT_KEYS = ("share", "ratio", "growth")
_MONEY_KEYS = ("revenue", "assets", "expense", "income", "_sum")


def _decimal(value) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal | int | float):
        return Decimal(str(value))
    if isinstance(value, str):
        try:
            return Decimal(value)
        except ArithmeticError:
            return None
    return None


def _fmt(value, key: str = "") -> str:
    """Condition values and thresholds as plain Chinese (dicts by label, ratios in %)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        return "；".join(f"{VALUE_LABELS.get(k, FIELD_LABELS.get(k, k))} {_fmt(v, k)}"
                        for k, v in value.items())
    if isinstance(value, tuple | list):
        if len(value) == 2 and all(isinstance(v, int) for v in value):
            return f"{value[0]}–{value[1]}"
        return "、".join(_fmt(v) for v in value)
    dec = _decimal(value)
    if dec is None:
        return str(value)
    if dec == 0:
        return "0"
    if any(k in key for k in _PERCENT_KEYS) or (
            not key and "." in str(value) and 0 <= dec <= 1):
        return f"{(dec * 100).quantize(Decimal('0.01'))}%"
    if any(k in key for k in _MONEY_KEYS) or abs(dec) >= 10_000:
        return format_amount(dec, "万元")
    return f"{dec.normalize():f}" if dec == dec.to_integral_value() else str(value)


def format_value(value) -> str:
    """Public name of the value formatter (rule pages, exports)."""
    return "" if value is None else _fmt(value)


def explain(scheme: str, result: Result | None = None,
            error: InputError | None = None) -> Explained:
    out = Explained(scheme=scheme, scheme_label=SCHEME_LABELS.get(scheme, scheme),
                    result=result, errors=[])
    if error is not None:
        out.errors = [(field_label(e.field), e.message) for e in error.errors]
        out.summary = "数据不完整或有误，暂时无法评价"
        out.tone = "warning"
        return out
    assert result is not None
    out.conditions = [
        {"id": c.id, "title": CONDITION_TITLES.get(c.id, c.id), "met": c.met,
         "mark": {True: "符合", False: "不符合", None: "待确认"}[c.met],
         "tone": {True: "success", False: "danger", None: "warning"}[c.met],
         "value": _fmt(c.value), "threshold": _fmt(c.threshold), "message": c.message,
         "local_rule": c.local_rule, "skipped": c.skipped}
        for c in result.conditions
    ]
    maxima = PART_MAX.get(scheme, {})
    out.parts = [{"label": PART_LABELS.get(k, k), "value": _fmt(v), "max": maxima.get(k)}
                 for k, v in result.parts.items()]
    out.gaps = [{"id": g.id, "title": CONDITION_TITLES.get(g.id, g.id),
                 "missing": _amount(g.missing, g.unit), "message": g.message,
                 "local_rule": g.local_rule} for g in result.gaps]
    out.plans = [{"points_after": p.points_after,
                  "steps": [{"message": s.message, "missing": _amount(s.missing, s.unit)}
                            for s in p.steps]} for p in result.plans]
    out.has_local_rule = any(c["local_rule"] for c in out.conditions) or any(
        g["local_rule"] for g in out.gaps)
    if scheme == "high-tech":
        lo, hi = result.score_range or (0, 0)
        verdict = VERDICT_LABELS.get(result.verdict or "", result.verdict)
        out.summary = f"{verdict}（创新能力评价 {lo}–{hi} 分）"
        out.tone = {"pass": "success", "borderline": "warning"}.get(result.verdict or "", "danger")
    else:
        ok = bool(result.eligible)
        score = f"（综合得分 {result.score} 分）" if result.score is not None else ""
        out.summary = ("符合条件" if ok else "暂不符合") + score
        out.tone = "success" if ok else "danger"
    if not result.complete:
        out.summary += "；部分条件缺少数据或需人工确认"
    return out


def explain_enterprise(enterprise, scheme: str, as_of: dt.date,
                       case: Case | None = None) -> Explained:
    try:
        case = case if case is not None else stored_case(enterprise, as_of)
        return explain(scheme, run(case, scheme, as_of))
    except InputError as exc:
        return explain(scheme, error=exc)
