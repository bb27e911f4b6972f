"""浙江省科技型中小企业 (浙科发高〔2016〕88号): conditions Z1–Z6, no points scoring."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from .common import (
    ZERO,
    age_days,
    fmt_money,
    fmt_num,
    fmt_ratio,
    gap,
    industry,
    local_suffix,
    pct,
    pct_rule,
    staff_gaps,
    tri_and,
    yuan,
)
from .model import Case, Condition, Gap, Result, YearData
from .rules import RuleRow, SchemeRules
from .shared_conditions import credit_condition, uscc_facts
from .tables import eval_table, threshold_of

Z6_TEXT = "上一年度未发生重大安全、质量事故，无严重环境违法和严重失信行为"


def _z1(case: Case, as_of: date, sr: SchemeRules) -> tuple[Condition, list[Gap]]:
    days = age_days(case, as_of)
    facts: dict[str, object] = {
        **uscc_facts(case),
        "age_days": None if days is None else Decimal(days),
        "legal_form": case.legal_form,
    }
    out = eval_table(sr, "Z1", facts)
    value = {"age_days": days, "uscc": case.uscc, "legal_form": case.legal_form}
    gaps: list[Gap] = []
    reasons: list[str] = []
    for r in out.failed:
        if r.field == "age_days":
            need = int(r.threshold)
            assert days is not None
            when = (as_of + timedelta(days=need - days)).isoformat()
            reasons.append(f"成立仅{days}天，未满一年")
            gaps.append(
                gap("Z1", need - days, "天", f"还需{need - days}天（{when}起）方满注册一年")
            )
        elif r.field == "legal_form":
            reasons.append(f"组织形式“{case.legal_form}”属于排除类型（分支机构、个人独资企业等）")
        elif r.field == "uscc_province":
            reasons.append(f"登记机关区划“{facts['uscc_province']}”不在浙江省")
        else:
            reasons.append(f"统一社会信用代码前两位为“{facts.get('uscc_type')}”，不是企业")
    if out.met is True:
        msg = (f"在浙江省注册已{days}天，组织形式“{case.legal_form}”不属于排除类型；"
               "限制类、淘汰类产业需人工确认")
    elif out.met is False:
        msg = "不满足：" + "；".join(reasons)
    else:
        names = sorted({"uscc" if r.field.startswith("uscc") else
                        "established" if r.field == "age_days" else r.field for r in out.unknown})
        msg = f"缺少数据（{'、'.join(names)}），无法判断注册和组织形式条件"
    return Condition("Z1", out.met, value, "在浙江省注册满一年的独立法人企业",
                     local_suffix(msg, out.local), out.local), gaps


def _z2(case: Case, sr: SchemeRules) -> tuple[Condition, list[Gap]]:
    row = sr.row("Z2.ip_items")
    c1, c2 = case.ip.class1, case.ip.class2
    if c1 is None and c2 is None:
        return Condition("Z2", None, None, fmt_num(row.threshold),
                         local_suffix("缺少数据（ip.class1、ip.class2），无法判断是否拥有自主知识产权",
                                      row.local_rule), row.local_rule), []
    items = (c1 or 0) + (c2 or 0)
    ok = row.test(Decimal(items))
    if ok:
        msg = f"拥有已授权知识产权{items}项"
        return Condition("Z2", True, items, fmt_num(row.threshold),
                         local_suffix(msg, row.local_rule), row.local_rule), []
    msg = "未录入已授权的专利或软件著作权；如有专利申请、标准、商标或其他科技成果，请人工确认"
    return (
        Condition("Z2", False, items, fmt_num(row.threshold), local_suffix(msg, row.local_rule),
                  row.local_rule),
        [gap("Z2", 1, "项", "取得至少1项授权专利或软件著作权", row.local_rule)],
    )


def _z3(y: YearData, year: int, sr: SchemeRules) -> tuple[Condition, list[Gap]]:
    p = threshold_of(sr, "Z3.st_share")
    if y.staff_total is None or y.st_staff is None:
        return Condition("Z3", None, None, fmt_ratio(p),
                         f"缺少数据（years.{year}.staff_total、years.{year}.st_staff），"
                         "无法判断科技人员占比"), []
    share = y.st_staff / y.staff_total if y.staff_total > ZERO else ZERO
    ok = share >= p
    msg = f"{year}年科技人员占比{pct(share)}，{'达到' if ok else '低于'}{pct_rule(p)}"
    if not ok:
        msg += "（办法表述为“原则上”，可由审核部门酌情认定）"
    gaps = [] if ok else staff_gaps("Z3", y.staff_total, y.st_staff, p, "满足省科小科技人员比例")
    return Condition("Z3", ok, fmt_ratio(share), fmt_ratio(p), msg), gaps


def _z4(y: YearData, year: int, sr: SchemeRules) -> Condition:
    row = sr.row("Z4.rd_expense")
    if y.rd_expense is None:
        return Condition("Z4", None, None, fmt_money(row.threshold),
                         local_suffix(f"缺少数据（years.{year}.rd_expense），无法判断科技创新投入",
                                      row.local_rule), row.local_rule)
    ok = row.test(y.rd_expense)
    msg = (f"{year}年研发费用{yuan(y.rd_expense)}" if ok
           else f"{year}年无研发费用投入，不满足“有一定的科技创新投入”")
    return Condition("Z4", ok, fmt_money(y.rd_expense), fmt_money(row.threshold),
                     local_suffix(msg, row.local_rule), row.local_rule)


def _sector_rows(case: Case, sr: SchemeRules) -> list[RuleRow]:
    code = industry(case)
    if code is None:
        return []
    best: list[RuleRow] = []
    best_len = -1
    for r in sr.table("Z5"):
        for prefix in r.applies_to or ("",):
            if code.code.startswith(prefix) and len(prefix) >= best_len:
                if len(prefix) > best_len:
                    best, best_len = [], len(prefix)
                best.append(r)
    return best


def _z5(case: Case, y: YearData, year: int, sr: SchemeRules) -> Condition:
    rows = _sector_rows(case, sr)
    local = any(r.local_rule for r in rows) or sr.is_local("Z5")
    if case.industry_code is None:
        return Condition("Z5", None, None, None,
                         local_suffix("缺少数据（industry_code），无法确定中小企业划型标准", local),
                         local)
    if not rows:
        return Condition("Z5", None, None, None,
                         local_suffix("该行业的中小企业划型标准未配置，请人工确认", local), local)
    sector = rows[0].band or ""
    facts = {"staff_total": y.staff_total, "sales_revenue": y.sales_revenue,
             "total_assets": y.total_assets}
    results = []
    for r in rows:
        x = facts.get(r.field)
        results.append(None if x is None else r.test(x))
    met = True if any(v is True for v in results) else (None if None in results else False)
    threshold = {r.field: fmt_num(r.threshold) if r.field == "staff_total" else
                 fmt_money(r.threshold) for r in rows}
    value = {r.field: (None if facts.get(r.field) is None else
                       fmt_num(facts[r.field]) if r.field == "staff_total"  # type: ignore[arg-type]
                       else fmt_money(facts[r.field])) for r in rows}  # type: ignore[arg-type]
    crit = "或".join(r.label.split("：", 1)[-1] for r in rows)
    if met is True:
        msg = f"按{sector}划型标准（{crit}）属于中小微企业"
    elif met is False:
        msg = f"按{sector}划型标准（{crit}）不属于中小微企业"
    else:
        msg = f"缺少{year}年职工或营业收入数据，无法按{sector}划型标准判断"
    return Condition("Z5", met, value, threshold, local_suffix(msg, local), local)


def assess_zj_tech_sme(case: Case, as_of: date, sr: SchemeRules) -> Result:
    data_year = as_of.year - 1
    y = case.years[data_year]
    z1, g1 = _z1(case, as_of, sr)
    z2, g2 = _z2(case, sr)
    z3, g3 = _z3(y, data_year, sr)
    z4 = _z4(y, data_year, sr)
    z5 = _z5(case, y, data_year, sr)
    z6 = credit_condition("Z6", case, Z6_TEXT)
    conditions = [z1, z2, z3, z4, z5, z6]
    outcome = tri_and(c.met for c in conditions)
    return Result(
        scheme="zj-tech-sme",
        as_of=as_of,
        data_year=data_year,
        data_years=[data_year],
        conditions=conditions,
        gaps=[*g1, *g2, *g3],
        eligible=outcome is True,
        complete=outcome is not None,
    )
