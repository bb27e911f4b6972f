"""JSON (de)serialisation of cases and results (the external JSON contract).

Input::

    {"uscc", "established": "YYYY-MM-DD", "industry_code": "C3511", "legal_form",
     "tax_collection": "查账征收"|"核定征收", "credit_clean": bool,
     "years": {"2023": {"staff_total", "st_staff", "sales_revenue", "total_income",
                        "non_taxable_income", "rd_expense", "rd_expense_domestic",
                        "cost_expense_total", "total_assets", "total_liabilities",
                        "hitech_revenue", "conversions"}, …},
     "ip": {"class1", "class2", "class2_used"}, "hitech_field",
     "direct": {"hitech_cert_valid", "national_award_top3_5y", "provincial_rd_institution",
                "led_standard_5y"}}

Amounts are numbers or decimal strings in 元. Every field may be omitted; a condition that
needs an omitted field comes out as ``"met": null``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from .common import fmt_num
from .errors import FieldError, InputError
from .model import (
    DIRECT_FIELDS,
    MONEY_FIELDS,
    SELF_ASSESSMENT_ITEMS,
    STAFF_FIELDS,
    Case,
    DirectGrounds,
    IPHoldings,
    Plan,
    Result,
    YearData,
)

IP_FIELDS = ("class1", "class2", "class2_used")


class _Parser:
    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def err(self, path: str, msg: str) -> None:
        self.errors.append(FieldError(path, msg))

    def text(self, obj: Mapping[str, Any], key: str, path: str) -> str | None:
        v = obj.get(key)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, str | int):
            self.err(path, "应为文本")
            return None
        s = str(v).strip()
        return s or None

    def boolean(self, obj: Mapping[str, Any], key: str, path: str) -> bool | None:
        v = obj.get(key)
        if v is None or isinstance(v, bool):
            return v
        self.err(path, "应为 true 或 false")
        return None

    def decimal(self, obj: Mapping[str, Any], key: str, path: str, what: str) -> Decimal | None:
        v = obj.get(key)
        if v is None:
            return None
        if isinstance(v, bool):
            self.err(path, f"应为{what}")
            return None
        try:
            if isinstance(v, float):
                d = Decimal(repr(v))
            elif isinstance(v, int | Decimal):
                d = Decimal(v)
            elif isinstance(v, str):
                d = Decimal(v.strip())
            else:
                raise InvalidOperation
        except InvalidOperation:
            self.err(path, f"应为{what}，实际为“{v}”")
            return None
        if not d.is_finite():
            self.err(path, f"应为有限的{what}")
            return None
        return d

    def integer(self, obj: Mapping[str, Any], key: str, path: str, what: str) -> int | None:
        d = self.decimal(obj, key, path, what)
        if d is None:
            return None
        if d != d.to_integral_value():
            self.err(path, f"应为整数（{what}）")
            return None
        return int(d)

    def mapping(self, obj: Mapping[str, Any], key: str, path: str) -> Mapping[str, Any]:
        v = obj.get(key)
        if v is None:
            return {}
        if not isinstance(v, Mapping):
            self.err(path, "应为对象（JSON object）")
            return {}
        return v


def parse_date(raw: Any, path: str) -> date:
    """Strict ``YYYY-MM-DD``; raises :class:`InputError` naming ``path``."""
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str) and len(raw.strip()) == 10:
        try:
            return date.fromisoformat(raw.strip())
        except ValueError:
            pass
    raise InputError.single(path, f"日期格式错误（“{raw}”），应为 YYYY-MM-DD 的有效日期")


def case_from_dict(obj: Any) -> Case:
    """Build a :class:`Case` from the JSON contract; raises :class:`InputError`."""
    if not isinstance(obj, Mapping):
        raise InputError.single("$", "输入应为 JSON 对象")
    p = _Parser()
    uscc = p.text(obj, "uscc", "uscc")
    established = None
    if obj.get("established") not in (None, ""):
        try:
            established = parse_date(obj["established"], "established")
        except InputError as exc:
            p.errors.extend(exc.errors)
    years: dict[int, YearData] = {}
    for key, raw in p.mapping(obj, "years", "years").items():
        path = f"years.{key}"
        if not (isinstance(key, str | int) and str(key).isdigit() and len(str(key)) == 4):
            p.err(path, "年度键应为四位年份，如“2023”")
            continue
        if not isinstance(raw, Mapping):
            p.err(path, "应为对象（JSON object）")
            continue
        year = int(key)
        vals: dict[str, Any] = {}
        for name in STAFF_FIELDS:
            vals[name] = p.decimal(raw, name, f"{path}.{name}", "人数（可为月平均数）")
        for name in MONEY_FIELDS:
            vals[name] = p.decimal(raw, name, f"{path}.{name}", "金额（元，数字或数字字符串）")
        vals["conversions"] = p.integer(raw, "conversions", f"{path}.conversions", "成果转化项数")
        years[year] = YearData(year=year, **vals)
    ip_raw = p.mapping(obj, "ip", "ip")
    ip = IPHoldings(**{n: p.integer(ip_raw, n, f"ip.{n}", "知识产权项数") for n in IP_FIELDS})
    direct_raw = p.mapping(obj, "direct", "direct")
    direct = DirectGrounds(**{n: p.boolean(direct_raw, n, f"direct.{n}") for n in DIRECT_FIELDS})
    self_assessment: dict[str, tuple[int, int]] = {}
    for key, raw in p.mapping(obj, "self_assessment", "self_assessment").items():
        path = f"self_assessment.{key}"
        if key not in SELF_ASSESSMENT_ITEMS:
            p.err(path, f"未知的自评项，应为 {'、'.join(SELF_ASSESSMENT_ITEMS)} 之一")
            continue
        pair = raw if isinstance(raw, list) and len(raw) == 2 else [raw, raw]
        lo = p.integer({"v": pair[0]}, "v", path, "整数分值或[最低分, 最高分]")
        hi = p.integer({"v": pair[1]}, "v", path, "整数分值或[最低分, 最高分]")
        if lo is not None and hi is not None:
            if lo > hi:
                p.err(path, "最低分不能大于最高分")
            else:
                self_assessment[key] = (lo, hi)
    case = Case(
        uscc=None if uscc is None else uscc.upper(),
        established=established,
        industry_code=p.text(obj, "industry_code", "industry_code"),
        legal_form=p.text(obj, "legal_form", "legal_form"),
        tax_collection=p.text(obj, "tax_collection", "tax_collection"),
        credit_clean=p.boolean(obj, "credit_clean", "credit_clean"),
        years=years,
        ip=ip,
        hitech_field=p.text(obj, "hitech_field", "hitech_field"),
        direct=direct,
        name=p.text(obj, "name", "name"),
        self_assessment=self_assessment,
    )
    if p.errors:
        raise InputError(p.errors)
    return case


def case_from_json(text: str) -> Case:
    """Parse JSON text (floats are read as ``Decimal``) into a :class:`Case`."""
    try:
        obj = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise InputError.single(
            "$", f"JSON 格式错误（第{exc.lineno}行第{exc.colno}列：{exc.msg}）"
        ) from exc
    return case_from_dict(obj)


def case_to_dict(case: Case) -> dict[str, Any]:
    """The inverse of :func:`case_from_dict` (amounts as decimal strings)."""
    years: dict[str, Any] = {}
    for year, y in sorted(case.years.items()):
        row: dict[str, Any] = {}
        for name in STAFF_FIELDS:
            v = getattr(y, name)
            if v is not None:
                row[name] = fmt_num(v)
        for name in MONEY_FIELDS:
            v = getattr(y, name)
            if v is not None:
                row[name] = str(v)
        if y.conversions is not None:
            row["conversions"] = y.conversions
        years[str(year)] = row
    out: dict[str, Any] = {
        "uscc": case.uscc,
        "established": None if case.established is None else case.established.isoformat(),
        "industry_code": case.industry_code,
        "legal_form": case.legal_form,
        "tax_collection": case.tax_collection,
        "credit_clean": case.credit_clean,
        "years": years,
        "ip": {n: getattr(case.ip, n) for n in IP_FIELDS if getattr(case.ip, n) is not None},
        "hitech_field": case.hitech_field,
        "direct": {n: getattr(case.direct, n) for n in DIRECT_FIELDS
                   if getattr(case.direct, n) is not None},
    }
    if case.name:
        out["name"] = case.name
    if case.self_assessment:
        out["self_assessment"] = {k: list(v) for k, v in case.self_assessment.items()}
    return {k: v for k, v in out.items() if v is not None}


def _jsonable(v: Any) -> Any:
    if isinstance(v, Decimal):
        return str(v)
    if isinstance(v, tuple):
        return [_jsonable(x) for x in v]
    if isinstance(v, list):
        return [_jsonable(x) for x in v]
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items()}
    if isinstance(v, date):
        return v.isoformat()
    return v


def _gap_dict(g: Any) -> dict[str, Any]:
    d = {"id": g.id, "missing": _jsonable(g.missing), "unit": g.unit, "message": g.message}
    if g.local_rule:
        d["local_rule"] = True
    return d


def _plan_dict(plan: Plan) -> dict[str, Any]:
    return {"points_after": plan.points_after, "steps": [_gap_dict(g) for g in plan.steps]}


def result_to_dict(result: Result) -> dict[str, Any]:
    """The output JSON contract as a dict (amounts as decimal strings in 元)."""
    out: dict[str, Any] = {
        "scheme": result.scheme,
        "as_of": result.as_of.isoformat(),
        "data_year": result.data_year,
        "data_years": list(result.data_years),
    }
    if result.scheme == "high-tech":
        out["verdict"] = result.verdict
        out["score_range"] = list(result.score_range or (0, 0))
    else:
        out["eligible"] = bool(result.eligible)
        if result.score is not None:
            out["score"] = result.score
    if result.parts:
        out["parts"] = _jsonable(result.parts)
    out["conditions"] = [
        {
            "id": c.id,
            "met": c.met,
            "value": _jsonable(c.value),
            "threshold": _jsonable(c.threshold),
            "message": c.message,
            "local_rule": c.local_rule,
            **({"skipped": True} if c.skipped else {}),
        }
        for c in result.conditions
    ]
    out["gaps"] = [_gap_dict(g) for g in result.gaps]
    if result.plans:
        out["plans"] = [_plan_dict(p) for p in result.plans]
    out["complete"] = result.complete
    out["warnings"] = list(result.warnings)
    out["rule_versions"] = list(result.rule_versions)
    if result.region_code:
        out["region_code"] = result.region_code
    return out


def result_to_json(result: Result, indent: int | None = 2) -> str:
    return json.dumps(result_to_dict(result), ensure_ascii=False, indent=indent)


def error_to_dict(exc: InputError) -> dict[str, Any]:
    """Machine-readable form of an input error: ``{"error", "errors": [{"field","message"}]}``."""
    return {"error": str(exc), "errors": [{"field": e.field, "message": e.message}
                                          for e in exc.errors]}


_MARK = {True: "✔", False: "✘", None: "？"}
_VERDICT = {
    "pass": "很可能通过",
    "borderline": "临界（取决于专家评分或待补数据）",
    "fail": "不符合",
}
_SCHEME = {
    "tech-sme": "国家科技型中小企业",
    "high-tech": "高新技术企业",
    "zj-tech-sme": "浙江省科技型中小企业",
}


def result_to_text(result: Result) -> str:
    """A readable Chinese summary of a result (the CLI's default output)."""
    lines = [
        f"{_SCHEME.get(result.scheme, result.scheme)}预评估"
        f"（评价日期{result.as_of.isoformat()}，数据年度"
        f"{'、'.join(str(y) for y in result.data_years) or result.data_year}）",
    ]
    if result.scheme == "high-tech":
        lo, hi = result.score_range or (0, 0)
        lines.append(f"结论：{_VERDICT.get(result.verdict or '', result.verdict)}")
        parts = result.parts
        lines.append(
            f"创新能力评价：{lo}–{hi}分（知识产权{_rng(parts.get('ip'))}，"
            f"成果转化{_rng(parts.get('conversion'))}，组织管理{_rng(parts.get('management'))}，"
            f"成长性{_rng(parts.get('growth'))}）"
        )
    else:
        if result.eligible:
            verdict = "符合条件"
        elif result.complete:
            verdict = "不符合条件"
        else:
            verdict = "尚不能确定（数据不全或待人工确认）"
        lines.append(f"结论：{verdict}")
        if result.score is not None:
            p = result.parts
            lines.append(f"综合得分：{result.score}分（科技人员{p.get('staff')}分，"
                         f"研发投入{p.get('rd')}分，科技成果{p.get('ip')}分）")
    lines.append("条件：")
    for c in result.conditions:
        skipped = "（已跳过）" if c.skipped else ""
        lines.append(f"  {_MARK[c.met]} {c.id}{skipped} {c.message}")
    if result.gaps:
        lines.append("差距与建议：")
        lines.extend(f"  - [{g.id}] {g.message}" for g in result.gaps)
    if result.plans:
        lines.append("达标组合（由易到难）：")
        for i, plan in enumerate(result.plans, start=1):
            steps = "；".join(g.message for g in plan.steps)
            lines.append(f"  {i}. {steps}（达标后{plan.points_after}分）")
    if result.warnings:
        lines.append("提示：")
        lines.extend(f"  - {w}" for w in result.warnings)
    return "\n".join(lines)


def _rng(v: Any) -> str:
    if isinstance(v, list | tuple) and len(v) == 2:
        return f"{v[0]}–{v[1]}分"
    return "—"
