"""高新技术企业 pre-assessment (国科发火〔2016〕32号; 国科发火〔2016〕195号).

Hard conditions H1–H6 and H8 are decided by data where data exists; H7 (innovation score)
is a ``[min, max]`` range because experts award points inside each band.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .common import (
    CENT,
    ONE,
    ZERO,
    age_days,
    ceil_int,
    fmt_money,
    fmt_money_up,
    fmt_num,
    fmt_ratio,
    gap,
    local_suffix,
    pct,
    pct_rule,
    staff_gaps,
    tri_and,
    yuan,
)
from .errors import InputError
from .model import SELF_ASSESSMENT_ITEMS, Case, Condition, Gap, Result, YearData
from .rules import RuleRow, SchemeRules
from .shared_conditions import credit_condition
from .tables import threshold_of
from .validate import periods

TWO = Decimal(2)
HALF = Decimal("0.5")
Range = tuple[int, int]

_SELF_KEYS = {rule_id: key for key, rule_id in SELF_ASSESSMENT_ITEMS.items()}
H8_TEXT = "申请认定前一年内未发生重大安全、重大质量事故或严重环境违法行为"
_FIELD_SPLIT = re.compile(r"[/>＞—\-·、，,]")


@dataclass(slots=True)
class Growth:
    """One growth rate (net assets or sales) with its score range and explanation."""

    rate: Decimal | None
    points: Range
    note: str
    local: bool = False
    formula: str = ""  # "three" | "later_two" | "two_years" | "" (no rate)
    known: bool = True


# ---------------------------------------------------------------- hard conditions


def _h1(case: Case, as_of: date, sr: SchemeRules) -> tuple[Condition, list[Gap]]:
    row = sr.row("H1.age_days")
    days = age_days(case, as_of)
    if days is None:
        return Condition("H1", None, None, fmt_num(row.threshold),
                         "缺少数据（established），无法判断是否注册成立一年以上"), []
    need = int(row.threshold)
    ok = row.test(Decimal(days))
    assert case.established is not None
    if ok:
        return Condition("H1", True, days, need,
                         f"成立于{case.established.isoformat()}，至评价日已{days}天，满一年"), []
    short = need - days
    when = (as_of + timedelta(days=short)).isoformat()
    return (
        Condition("H1", False, days, need,
                  f"成立于{case.established.isoformat()}，至评价日仅{days}天，不满一年"),
        [gap("H1", short, "天", f"还需{short}天（{when}起）方满注册成立一年的条件")],
    )


def _h2(case: Case, sr: SchemeRules) -> tuple[Condition, list[Gap]]:
    row = sr.row("H2.ip_items")
    ip = case.ip
    c1, c2a = ip.class1, ip.class2_available
    value = {"class1": c1, "class2_available": c2a}
    if c1 is not None and c1 >= 1:
        return Condition("H2", True, value, fmt_num(row.threshold),
                         f"拥有{c1}项Ⅰ类知识产权"), []
    if c1 is None or c2a is None:
        return Condition("H2", None, value, fmt_num(row.threshold),
                         "缺少数据（ip.class1、ip.class2），无法判断是否拥有核心知识产权"), []
    items = c1 + c2a
    if row.test(Decimal(items)):
        return Condition("H2", True, value, fmt_num(row.threshold),
                         f"拥有可用于本次申请的Ⅱ类知识产权{c2a}项"), []
    used = f"（已在以往高企申请中使用的{ip.class2_used}项Ⅱ类知识产权不能重复使用）" \
        if ip.class2_used else ""
    return (
        Condition("H2", False, value, fmt_num(row.threshold),
                  f"没有可用于本次申请的核心知识产权{used}"),
        [gap("H2", 1, "项",
             "需至少取得1项授权的知识产权（发明专利或实用新型、外观设计、软件著作权）")],
    )


def normalise_field(raw: str, fields: tuple[str, ...]) -> str | None:
    """Map "1".."8", a field name, or "电子信息/软件/…" to one of the 8 top-level fields."""
    s = raw.strip()
    if s.isdigit() and 1 <= int(s) <= len(fields):
        return fields[int(s) - 1]
    head = _FIELD_SPLIT.split(s, maxsplit=1)[0].strip()
    for f in fields:
        if head == f or s.startswith(f):
            return f
    return None


def _h3(case: Case, sr: SchemeRules) -> Condition:
    row = sr.row("H3.fields")
    fields = tuple(row.threshold)
    if not case.hitech_field:
        return Condition("H3", None, None, list(fields),
                         "缺少数据（hitech_field），无法判断核心技术是否属于国家重点支持的高新技术领域")
    top = normalise_field(case.hitech_field, fields)
    if top is None:
        return Condition("H3", False, case.hitech_field, list(fields),
                         f"“{case.hitech_field}”不属于《国家重点支持的高新技术领域》八个领域")
    return Condition("H3", True, top, list(fields),
                     f"核心技术属于“{top}”领域（二、三级子领域需人工确认）")


def _h4(y: YearData | None, year: int, sr: SchemeRules) -> tuple[Condition, list[Gap]]:
    p = threshold_of(sr, "H4.st_share")
    if y is None or y.staff_total is None or y.st_staff is None:
        return Condition("H4", None, None, fmt_ratio(p),
                         f"缺少数据（years.{year}.staff_total、years.{year}.st_staff），"
                         "无法判断科技人员占比"), []
    share = y.st_staff / y.staff_total if y.staff_total > ZERO else ZERO
    ok = share >= p
    msg = (f"{year}年科技人员{fmt_num(y.st_staff)}人，职工总数{fmt_num(y.staff_total)}人，"
           f"占比{pct(share)}，{'达到' if ok else '低于'}{pct_rule(p)}")
    gaps = [] if ok else staff_gaps("H4", y.staff_total, y.st_staff, p, "满足高企科技人员比例")
    return Condition("H4", ok, fmt_ratio(share), fmt_ratio(p), msg), gaps


def _ratio_row(sr: SchemeRules, latest_sales: Decimal) -> RuleRow:
    return sr.band("H5.ratio", latest_sales)


def _h5(years: list[YearData], sr: SchemeRules) -> tuple[Condition, list[Gap]]:
    dom_p = threshold_of(sr, "H5.domestic_share")
    if not years:
        return Condition("H5", None, None, None, "尚无完整会计年度数据，无法计算研发费用比例"), []
    missing = [f"years.{y.year}.{n}" for y in years for n in ("rd_expense", "sales_revenue")
               if getattr(y, n) is None]
    if missing:
        return Condition("H5", None, None, None,
                         f"缺少数据（{'、'.join(missing)}），无法计算研发费用比例"), []
    latest = years[-1]
    assert latest.sales_revenue is not None
    sum_s = sum((y.sales_revenue for y in years), ZERO)  # type: ignore[misc]
    sum_rd = sum((y.rd_expense for y in years), ZERO)  # type: ignore[misc]
    band = _ratio_row(sr, latest.sales_revenue)
    r = Decimal(band.value or "0")
    span = f"{years[0].year}–{years[-1].year}年" if len(years) > 1 else f"{years[0].year}年"
    value: dict[str, object] = {
        "years": [y.year for y in years],
        "rd_expense_sum": fmt_money(sum_rd),
        "sales_revenue_sum": fmt_money(sum_s),
        "latest_sales_revenue": fmt_money(latest.sales_revenue),
        "rd_ratio": None,
        "rd_domestic_share": None,
    }
    threshold = {"rd_ratio": fmt_ratio(r), "rd_domestic_share": fmt_ratio(dom_p)}
    gaps: list[Gap] = []
    msgs: list[str] = []

    ratio_ok: bool | None
    if sum_s > ZERO:
        ratio = sum_rd / sum_s
        value["rd_ratio"] = fmt_ratio(ratio)
        ratio_ok = ratio >= r
        msgs.append(
            f"{span}研发费用合计{yuan(sum_rd)}，占同期销售收入{yuan(sum_s)}的{pct(ratio)}；"
            f"最近一年销售收入{yuan(latest.sales_revenue)}，要求不低于{pct_rule(r)}"
            f"（{'达到' if ratio_ok else '未达到'}）"
        )
        if not ratio_ok:
            need = r * sum_s - sum_rd
            gaps.append(gap("H5", fmt_money_up(need), "元",
                            f"{span}研发费用合计还差{yuan(need.quantize(CENT))}才能达到"
                            f"{pct_rule(r)}（需{yuan(r * sum_s)}）"))
            gaps.extend(_boundary_gaps(sr, band, latest.sales_revenue, sum_s, sum_rd, need))
    else:
        ratio_ok = None
        msgs.append(f"{span}销售收入合计为0，无法计算研发费用占销售收入比例")

    dom_missing = [f"years.{y.year}.rd_expense_domestic" for y in years
                   if y.rd_expense_domestic is None]
    dom_ok: bool | None
    if dom_missing:
        dom_ok = None
        msgs.append(f"缺少数据（{'、'.join(dom_missing)}），无法判断境内研发费用占比")
    elif sum_rd <= ZERO:
        dom_ok = None if ratio_ok is not False else False
        msgs.append("研发费用合计为0，境内研发费用占比无从计算")
    else:
        sum_dom = sum((y.rd_expense_domestic for y in years), ZERO)  # type: ignore[misc]
        dshare = sum_dom / sum_rd
        value["rd_domestic_share"] = fmt_ratio(dshare)
        dom_ok = dshare >= dom_p
        msgs.append(f"境内研发费用占比{pct(dshare)}（要求不低于{pct_rule(dom_p)}）")
        if not dom_ok:
            shift = dom_p * sum_rd - sum_dom
            add = shift / (ONE - dom_p)
            gaps.append(gap("H5", fmt_money_up(shift), "元",
                            f"境内研发费用占比不足：需将{yuan(shift.quantize(CENT))}的境外研发活动"
                            f"转为境内开展，或新增境内研发费用{yuan(add.quantize(CENT))}"))
    met = tri_and([ratio_ok, dom_ok])
    return Condition("H5", met, value, threshold, "；".join(msgs)), gaps


def _boundary_gaps(sr: SchemeRules, band: RuleRow, latest_sales: Decimal, sum_s: Decimal,
                   sum_rd: Decimal, need_now: Decimal) -> list[Gap]:
    """Re-evaluate H5 when the latest year's sales grow past a band boundary.

    The required ratio falls from 5% to 4% above 5,000万 and to 3% above 2亿, so growing
    sales can *reduce* the R&D still missing (the rule is not monotonic).
    """
    out: list[Gap] = []
    rows = sr.table("H5.ratio")
    idx = rows.index(band)
    for k in range(idx + 1, len(rows)):
        prev = rows[k - 1]
        if prev.op != "<=":
            continue
        min_sales = prev.threshold + CENT
        delta = min_sales - latest_sales
        r2 = Decimal(rows[k].value or "0")
        need2 = max(ZERO, r2 * (sum_s + delta) - sum_rd)
        if need2 >= need_now:
            continue
        tail = (f"届时研发费用缺口为{yuan(need2.quantize(CENT))}" if need2 > 0
                else "届时现有研发费用即可满足比例要求")
        out.append(gap(
            "H5", fmt_money_up(delta), "元",
            f"另一途径：最近一年销售收入再增加{yuan(delta)}（超过{yuan(prev.threshold)}），"
            f"所需研发费用比例由{pct_rule(Decimal(band.value or '0'))}降为{pct_rule(r2)}，{tail}",
        ))
    return out


def _h6(y: YearData | None, year: int, sr: SchemeRules) -> tuple[Condition, list[Gap]]:
    p = threshold_of(sr, "H6.hitech_share")
    if y is None or None in (y.hitech_revenue, y.total_income, y.non_taxable_income):
        fields = "、".join(f"years.{year}.{n}" for n in
                          ("hitech_revenue", "total_income", "non_taxable_income")
                          if y is None or getattr(y, n) is None)
        return Condition("H6", None, None, fmt_ratio(p),
                         f"缺少数据（{fields}），无法判断高新技术产品（服务）收入占比"), []
    total_income, non_taxable = y.total_income, y.non_taxable_income
    hitech = y.hitech_revenue
    if total_income is None or non_taxable is None or hitech is None:  # narrowed above
        raise AssertionError
    base = total_income - non_taxable
    if base <= ZERO:
        return Condition("H6", None, None, fmt_ratio(p),
                         f"{year}年总收入（收入总额−不征税收入）为0，"
                         "无法计算高新技术产品（服务）收入占比"), []
    share = hitech / base
    ok = share >= p
    msg = (f"{year}年高新技术产品（服务）收入{yuan(hitech)}，占总收入{yuan(base)}的"
           f"{pct(share)}，{'达到' if ok else '低于'}{pct_rule(p)}")
    gaps: list[Gap] = []
    if not ok:
        need = p * base - hitech
        new_rev = (need / (ONE - p)).quantize(CENT)
        gaps.append(gap("H6", fmt_money_up(need), "元",
                        f"高新技术产品（服务）收入还差{yuan(need.quantize(CENT))}"
                        f"（按现有总收入计；若为新增收入，需新增{yuan(new_rev)}）"))
    return Condition("H6", ok, fmt_ratio(share), fmt_ratio(p), msg), gaps


# ---------------------------------------------------------------- innovation score (H7)


def _row_range(r: RuleRow) -> Range:
    return (r.points_min or 0, r.points_max or 0)


def expert_range(case: Case, sr: SchemeRules, rule_id: str) -> Range:
    """Points range of an expert-judged item, narrowed by the enterprise's self-assessment."""
    lo, hi = _row_range(sr.row(rule_id))
    key = _SELF_KEYS.get(rule_id)
    given = case.self_assessment.get(key) if key else None
    if given is None:
        return lo, hi
    if not (lo <= given[0] <= given[1] <= hi):
        raise InputError.single(f"self_assessment.{key}", f"自评分应在{lo}–{hi}分之间")
    return given


def _ip_part(case: Case, sr: SchemeRules) -> tuple[Range, list[str], list[Gap]]:
    ip = case.ip
    notes: list[str] = []
    c1, c2a = ip.class1, ip.class2_available
    count_rows = sr.table("score.ip.count")
    count: Range
    has_ip: bool | None
    if c1 is not None and c1 >= 1:
        count, has_ip = _row_range(count_rows[0]), True
    elif c1 is None or c2a is None:
        count = (0, max(r.points_max or 0 for r in count_rows))
        has_ip = None
        notes.append("知识产权数量缺少数据，按全区间计")
    else:
        row = next(r for r in count_rows if r.field != "class1" and r.test(Decimal(c2a)))
        count, has_ip = _row_range(row), c2a > 0
    expert = [expert_range(case, sr, r.rule_id) for r in sr.table("score.ip.expert")]
    acq = expert_range(case, sr, "ip.acquisition")
    bonus = expert_range(case, sr, "ip.standard_bonus")
    if has_ip is False:
        expert = [(0, 0) for _ in expert]
        acq = (0, 0)
    elif has_ip is None:
        acq = (0, acq[1])
    if case.direct.led_standard_5y:
        bonus = (max(1, bonus[0]), bonus[1])
    cap = int(threshold_of(sr, "ip.cap"))
    lo = min(cap, count[0] + acq[0] + bonus[0] + sum(e[0] for e in expert))
    hi = min(cap, count[1] + acq[1] + bonus[1] + sum(e[1] for e in expert))

    gaps: list[Gap] = []
    if c1 is not None and c2a is not None and c1 < 1:
        gaps.append(gap("H7", 1, "项",
                        f"新增1项Ⅰ类知识产权（如发明专利），知识产权数量得分可提高到"
                        f"{count_rows[0].points_min}–{count_rows[0].points_max}分"))
        higher = [r for r in count_rows[1:] if (r.points_min or 0) > count[0]]
        if higher:
            nxt = min(higher, key=lambda r: r.points_min or 0)
            need = ceil_int(nxt.threshold) - c2a
            gaps.append(gap("H7", need, "项",
                            f"或新增{need}项Ⅱ类知识产权（未在以往高企申请中使用），知识产权数量得分可提高到"
                            f"{nxt.points_min}–{nxt.points_max}分"))
    return (lo, hi), notes, gaps


def _conversion_part(years: list[YearData], sr: SchemeRules) -> tuple[Range, list[str],
                                                                         list[Gap]]:
    rows = sr.table("score.conversion")
    n = len(years)
    if n == 0:
        return (0, 0), ["尚无完整会计年度，科技成果转化按0分计"], []
    missing = [f"years.{y.year}.conversions" for y in years if y.conversions is None]
    if missing:
        return ((0, max(r.points_max or 0 for r in rows)),
                [f"缺少数据（{'、'.join(missing)}），科技成果转化按全区间计"], [])
    total = sum(y.conversions or 0 for y in years)
    avg = Decimal(total) / n
    row = sr.band("score.conversion", avg)
    note = f"近{n}年科技成果转化{total}项，年均{avg.quantize(CENT)}项"
    gaps: list[Gap] = []
    higher = [r for r in rows if (r.points_min or 0) > (row.points_min or 0)]
    if higher:
        nxt = min(higher, key=lambda r: r.points_min or 0)
        need = ceil_int(nxt.threshold * n - total)
        gaps.append(gap("H7", need, "项",
                        f"近{n}年科技成果转化再增加{need}项（年均达到{fmt_num(nxt.threshold)}项），"
                        f"转化能力得分可提高到{nxt.points_min}–{nxt.points_max}分"))
    return _row_range(row), [note], gaps


def growth_rate(xs: list[Decimal], sr: SchemeRules, what: str) -> Growth:
    """Growth rate over 1–3 years with the 指引 edge rules (domain-rules.md §2.3 (4))."""
    n = len(xs)
    neg = sr.get("growth.negative_base")
    if n <= 1:
        row = sr.get("growth.one_year")
        return Growth(None, (0, 0), f"仅有{n}个会计年度，{what}增长率按0分计",
                      bool(row and row.local_rule))
    if n == 2:
        row = sr.get("growth.two_years")
        x1, x2 = xs
        local = bool(row and row.local_rule)
        if x1 < ZERO:
            return Growth(None, (0, 0), f"基期{what}为负，增长率按0分计",
                          local or bool(neg and neg.local_rule))
        if x1 == ZERO:
            return Growth(None, (0, 0), f"第一年{what}为0，无法计算增长率，按0分计", local)
        return Growth(x2 / x1 - ONE, (0, 0), f"仅两个会计年度，按 X2/X1−1 计算{what}增长率",
                      local, "two_years")
    x1, x2, x3 = xs[-3:]
    if x2 == ZERO:
        return Growth(None, (0, 0), f"第二年{what}为0，增长率按0分计")
    if x2 < ZERO or x1 < ZERO:
        return Growth(None, (0, 0), f"基期{what}为负，增长率按0分计", bool(neg and neg.local_rule))
    if x1 == ZERO:
        return Growth(x3 / x2 - ONE, (0, 0), f"第一年{what}为0，按后两年计算（X3/X2−1）",
                      formula="later_two")
    return Growth(HALF * (x2 / x1 + x3 / x2) - ONE, (0, 0), "", formula="three")


def _score_growth(g: Growth, sr: SchemeRules) -> Growth:
    if g.rate is not None:
        g.points = _row_range(sr.band("score.growth", g.rate))
    return g


def _growth_target(g: Growth, xs: list[Decimal], thr: Decimal) -> Decimal | None:
    """Latest-year value needed for the rate to reach ``thr`` (same formula as used)."""
    if g.formula == "three":
        x1, x2, _ = xs[-3:]
        return x2 * (TWO * (ONE + thr) - x2 / x1)
    if g.formula == "later_two":
        return xs[-2] * (ONE + thr)
    if g.formula == "two_years":
        return xs[0] * (ONE + thr)
    return None


def _growth_part(years: list[YearData], sr: SchemeRules) -> tuple[Range, list[str], bool,
                                                                    list[Gap], dict[str, object]]:
    notes: list[str] = []
    local = False
    gaps: list[Gap] = []
    detail: dict[str, object] = {}
    total = [0, 0]
    top = max(r.points_max or 0 for r in sr.table("score.growth"))
    for key, what, getter in (
        ("net_assets_growth", "净资产", lambda y: y.net_assets),
        ("sales_growth", "销售收入", lambda y: y.sales_revenue),
    ):
        xs = [getter(y) for y in years]
        if any(x is None for x in xs):
            total[1] += top
            notes.append(f"{what}数据不全，{what}增长率按全区间计")
            detail[key] = None
            continue
        g = _score_growth(growth_rate(xs, sr, what), sr)
        total[0] += g.points[0]
        total[1] += g.points[1]
        local = local or g.local
        detail[key] = None if g.rate is None else fmt_ratio(g.rate)
        rate_txt = "" if g.rate is None else f"{what}增长率{pct(g.rate)}，"
        notes.append(local_suffix(f"{rate_txt}{g.note + '，' if g.note else ''}"
                                  f"得{g.points[0]}–{g.points[1]}分", g.local))
        if g.rate is None:
            continue
        higher = [r for r in sr.table("score.growth")
                  if (r.points_min or 0) > g.points[0] and r.op in (">=", ">")]
        if higher:
            nxt = min(higher, key=lambda r: r.points_min or 0)
            target = _growth_target(g, xs, nxt.threshold)
            if target is not None:
                need = max(ZERO, target - xs[-1])
                if nxt.op == ">" and need == ZERO:
                    need = CENT
                gaps.append(gap("H7", fmt_money_up(need), "元",
                                f"最近一年{what}再增加{yuan(need.quantize(CENT))}，{what}增长率可达到"
                                f"{pct_rule(nxt.threshold)}以上，成长性得分提高到{nxt.points_min}–"
                                f"{nxt.points_max}分"))
    return (total[0], total[1]), notes, local, gaps, detail


def _h7(score: Range, sr: SchemeRules, notes: list[str], local: bool) -> Condition:
    pass_row = sr.row("H7.pass")
    t = int(pass_row.threshold)
    lo, hi = score
    if lo > t:
        met: bool | None = True
        head = f"创新能力评价得分区间{lo}–{hi}分，最低分也高于{t}分"
    elif hi <= t:
        met = False
        head = f"创新能力评价得分区间{lo}–{hi}分，即使专家给满分也不超过{t}分"
    else:
        met = None
        head = f"创新能力评价得分区间{lo}–{hi}分，是否高于{t}分取决于专家评分（临界）"
    msg = head + "。" + "；".join(notes)
    return Condition("H7", met, [lo, hi], t + 1, local_suffix(msg, local), local)


# ---------------------------------------------------------------- entry point


def assess_high_tech(case: Case, as_of: date, sr: SchemeRules) -> Result:
    latest, data_years = periods("high-tech", case, as_of)
    years = [case.years[y] for y in data_years]
    latest_y = case.years.get(latest) if data_years else None

    h1, g1 = _h1(case, as_of, sr)
    h2, g2 = _h2(case, sr)
    h3 = _h3(case, sr)
    h4, g4 = _h4(latest_y, latest, sr)
    h5, g5 = _h5(years, sr)
    h6, g6 = _h6(latest_y, latest, sr)
    h8 = credit_condition("H8", case, H8_TEXT)

    ip_range, ip_notes, ip_gaps = _ip_part(case, sr)
    conv_range, conv_notes, conv_gaps = _conversion_part(years, sr)
    mgmt = expert_range(case, sr, "management.overall")
    growth_range, growth_notes, growth_local, growth_gaps, growth_detail = _growth_part(years, sr)
    lo = ip_range[0] + conv_range[0] + mgmt[0] + growth_range[0]
    hi = ip_range[1] + conv_range[1] + mgmt[1] + growth_range[1]
    notes = [
        f"知识产权{ip_range[0]}–{ip_range[1]}分"
        + (f"（{'；'.join(ip_notes)}）" if ip_notes else ""),
        f"科技成果转化{conv_range[0]}–{conv_range[1]}分（{'；'.join(conv_notes)}）",
        f"研究开发组织管理水平{mgmt[0]}–{mgmt[1]}分（专家评判"
        + ("，企业自评" if "management" in case.self_assessment else "") + "）",
        f"企业成长性{growth_range[0]}–{growth_range[1]}分（{'；'.join(growth_notes)}）",
    ]
    if case.self_assessment:
        notes.append("专家评判项含企业自评分，正式评审结果可能不同")
    h7 = _h7((lo, hi), sr, notes, growth_local)
    h7.value = {"score_range": [lo, hi], **growth_detail}

    conditions = [h1, h2, h3, h4, h5, h6, h7, h8]
    hard = tri_and(c.met for c in conditions if c.id != "H7")
    if hard is False or h7.met is False:
        verdict = "fail"
    elif hard is True and h7.met is True:
        verdict = "pass"
    else:
        verdict = "borderline"
    gaps = [*g1, *g2, *g4, *g5, *g6]
    if h7.met is not True:
        t = int(h7.threshold)  # 71
        gaps.append(gap("H7", max(0, t - lo), "分",
                        f"创新能力评价最低得分{lo}分，距{t}分差{max(0, t - lo)}分"
                        + ("；即使专家给满分也只有" + str(hi) + "分，须先提高可量化指标" if hi < t
                           else "；组织管理水平、知识产权质量等由专家评判，可通过完善研发管理制度、"
                           "研发费用辅助账和产学研合作争取高分")))
        gaps.extend([*ip_gaps, *conv_gaps, *growth_gaps])
    return Result(
        scheme="high-tech",
        as_of=as_of,
        data_year=latest,
        data_years=data_years,
        conditions=conditions,
        gaps=gaps,
        verdict=verdict,
        score_range=(lo, hi),
        parts={"ip": list(ip_range), "conversion": list(conv_range), "management": list(mgmt),
               "growth": list(growth_range)},
        complete=verdict != "borderline" or all(c.met is not None for c in conditions if
                                                c.id != "H7"),
    )
