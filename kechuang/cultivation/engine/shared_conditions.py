"""Conditions built the same way in several schemes (registration, industry, credit, D1–D4)."""

from __future__ import annotations

from .common import industry, local_suffix
from .model import DIRECT_FIELDS, Case, Condition
from .rules import SchemeRules
from .tables import eval_table


def uscc_facts(case: Case) -> dict[str, object]:
    if not case.uscc:
        return {}
    return {"uscc_type": case.uscc[:2], "uscc_province": case.uscc[2:4]}


def e1_condition(case: Case, sr: SchemeRules) -> Condition:
    """E1: resident enterprise registered in mainland China, taxed on audited books."""
    facts = {**uscc_facts(case), "tax_collection": case.tax_collection}
    out = eval_table(sr, "E1", facts)
    value = {"uscc": case.uscc, "tax_collection": case.tax_collection}
    if out.met is True:
        msg = "境内注册的居民企业，企业所得税查账征收"
    elif out.met is False:
        reasons = []
        for r in out.failed:
            if r.field == "tax_collection":
                reasons.append(f"企业所得税为“{case.tax_collection}”，须为查账征收")
            elif r.field == "uscc_type":
                reasons.append(f"统一社会信用代码前两位为“{facts['uscc_type']}”，不是企业（应为91）")
            else:
                reasons.append(f"登记机关区划“{facts['uscc_province']}”不在中国境内（不含港澳台）")
        msg = "不满足：" + "；".join(reasons)
    else:
        names = sorted({"uscc" if r.field.startswith("uscc") else r.field for r in out.unknown})
        msg = f"缺少数据（{'、'.join(names)}），无法判断是否为查账征收的境内居民企业"
    return Condition("E1", out.met, value, "境内居民企业，查账征收", local_suffix(msg, out.local),
                     out.local)


def e3_condition(case: Case, sr: SchemeRules, cid: str) -> Condition:
    """E3: industry not excluded (super-deduction blacklist); 限制/淘汰类 is manual."""
    code = industry(case)
    row = sr.row("E3.excluded_industries")
    if code is None:
        return Condition(cid, None, None, list(row.threshold),
                         "缺少数据（industry_code），无法判断行业是否属于排除行业")
    ok = row.test(code.code)
    if ok:
        msg = (f"行业{code.code}（{code.section_name}）不属于研发费用加计扣除排除行业；"
               "是否属于《产业结构调整指导目录》限制类、淘汰类需人工确认")
    else:
        msg = (f"行业{code.code}（{code.section_name}）属于不适用研发费用加计扣除的行业"
               "（以该业务收入占比超过50%为准，请核实主营业务）")
    return Condition(cid, ok, code.code, list(row.threshold), local_suffix(msg, row.local_rule),
                     row.local_rule)


def credit_condition(cid: str, case: Case, text: str) -> Condition:
    """E4 / H8 / Z6: self-declared or credit-data check."""
    if case.credit_clean is None:
        return Condition(cid, None, None, True, f"缺少数据（credit_clean），无法判断：{text}")
    if case.credit_clean:
        return Condition(cid, True, True, True, f"已声明：{text}")
    return Condition(cid, False, False, True, f"不满足：{text}")


def direct_conditions(case: Case, sr: SchemeRules) -> list[Condition]:
    """D1–D4 direct-qualification grounds (any one, together with E1–E4, qualifies)."""
    out: list[Condition] = []
    facts = {name: getattr(case.direct, name) for name in DIRECT_FIELDS}
    for cid in ("D1", "D2", "D3", "D4"):
        res = eval_table(sr, cid, facts)
        label = "；".join(r.label for r in res.rows)
        field = res.rows[0].field if res.rows else cid
        if res.met is True:
            msg = f"满足：{label}"
        elif res.met is False:
            msg = f"不满足：{label}"
        else:
            msg = f"未填报（direct.{field}）：{label}"
        out.append(Condition(cid, res.met, facts.get(field), True,
                             local_suffix(msg, res.local), res.local))
    return out
