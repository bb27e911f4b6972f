"""国家科技型中小企业 evaluation (国科发政〔2017〕115号; 国科火字〔2022〕67号).

Conditions E1–E5, direct qualification D1–D4, scores A (staff) / B (R&D, best of two
options) / C (knowledge property), and the gap to 60 points.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .common import (
    ZERO,
    ceil_int,
    fmt_money,
    fmt_money_up,
    fmt_num,
    fmt_ratio,
    gap,
    local_suffix,
    pct_rule,
    staff_gap,
    staff_gaps,
    tri_and,
    tri_or,
    yuan,
)
from .model import Case, Condition, Gap, Plan, Result, YearData
from .rules import RuleRow, SchemeRules
from .shared_conditions import credit_condition, direct_conditions, e1_condition, e3_condition
from .tables import eval_table

E4_TEXT = (
    "上一会计年度至今无重大安全、质量事故、严重环境违法、严重弄虚作假和科研严重失信行为，"
    "且未列入经营异常名录和严重违法失信名单"
)


@dataclass(slots=True)
class Option:
    """One reachable band of one score dimension."""

    points: int
    rank: int  # band steps above the current band (0 = current)
    steps: list[Gap]


@dataclass(slots=True)
class Scores:
    staff: int
    rd: int
    ip: int
    staff_known: bool
    rd_known: bool
    ip_known: bool
    staff_share: Decimal | None
    rd_sales_ratio: Decimal | None
    rd_cost_ratio: Decimal | None
    rd_sales_points: int | None
    rd_cost_points: int | None

    @property
    def total(self) -> int:
        return self.staff + self.rd + self.ip

    @property
    def complete(self) -> bool:
        return self.staff_known and self.rd_known and self.ip_known


def _ratio(num: Decimal | None, den: Decimal | None) -> Decimal | None:
    if num is None or den is None or den <= ZERO:
        return None
    return num / den


def score(case: Case, y: YearData, sr: SchemeRules) -> Scores:
    """Exact 科小 scores; missing inputs score 0 and clear the ``*_known`` flag."""
    share: Decimal | None = None
    staff_points, staff_known = 0, False
    if y.st_staff is not None and y.staff_total is not None:
        share = y.st_staff / y.staff_total if y.staff_total > ZERO else ZERO
        staff_points = sr.band("score.staff", share).points_min or 0
        staff_known = True

    r1 = _ratio(y.rd_expense, y.sales_revenue)
    r2 = _ratio(y.rd_expense, y.cost_expense_total)
    p1 = None if r1 is None else sr.band("score.rd_sales", r1).points_min or 0
    p2 = None if r2 is None else sr.band("score.rd_cost", r2).points_min or 0
    rd_points = max(p1 or 0, p2 or 0)
    # an option is "missing" only when its input is absent (a zero denominator is a real 0)
    opt1_missing = y.rd_expense is None or y.sales_revenue is None
    opt2_missing = y.rd_expense is None or y.cost_expense_total is None
    top = sr.table("score.rd_sales")[0].points_min or 0
    rd_known = rd_points >= top or not (opt1_missing or opt2_missing)

    ip = case.ip
    ip_points, ip_known = 0, False
    if ip.class1 is not None and ip.class1 >= 1:
        ip_points, ip_known = sr.band("score.ip", Decimal(ip.class1)).points_min or 0, True
    else:
        facts_c1 = Decimal(ip.class1 or 0)
        facts_c2 = Decimal(ip.class2 or 0)
        for r in sr.table("score.ip"):
            x = facts_c1 if r.field == "class1" else facts_c2
            if r.test(x):
                ip_points = r.points_min or 0
                break
        ip_known = ip.class1 is not None and ip.class2 is not None
    return Scores(
        staff=staff_points, rd=rd_points, ip=ip_points,
        staff_known=staff_known, rd_known=rd_known, ip_known=ip_known,
        staff_share=share, rd_sales_ratio=r1, rd_cost_ratio=r2,
        rd_sales_points=p1, rd_cost_points=p2,
    )


def _e2(y: YearData, sr: SchemeRules, data_year: int) -> Condition:
    facts = {"staff_total": y.staff_total, "sales_revenue": y.sales_revenue,
             "total_assets": y.total_assets}
    out = eval_table(sr, "E2", facts)
    value = {
        "staff_total": None if y.staff_total is None else fmt_num(y.staff_total),
        "sales_revenue": None if y.sales_revenue is None else fmt_money(y.sales_revenue),
        "total_assets": None if y.total_assets is None else fmt_money(y.total_assets),
    }
    threshold = {r.field: (fmt_num(r.threshold) if r.field == "staff_total"
                           else fmt_money(r.threshold)) for r in out.rows}
    if out.met is True:
        msg = f"{data_year}年职工总数、销售收入、资产总额均未超过上限"
    elif out.met is False:
        msg = "不满足：" + "；".join(r.label for r in out.failed)
    else:
        msg = f"缺少{data_year}年数据（" + "、".join(
            f"years.{data_year}.{r.field}" for r in out.unknown) + "），无法判断规模条件"
    return Condition("E2", out.met, value, threshold, local_suffix(msg, out.local), out.local)


def _e5(s: Scores, sr: SchemeRules) -> Condition:
    pass_mark = sr.row("E5.total_score").threshold
    total = s.total
    value = {
        "score": total,
        "staff_points": s.staff,
        "rd_points": s.rd,
        "ip_points": s.ip,
        "staff_share": None if s.staff_share is None else fmt_ratio(s.staff_share),
        "rd_sales_ratio": None if s.rd_sales_ratio is None else fmt_ratio(s.rd_sales_ratio),
        "rd_cost_ratio": None if s.rd_cost_ratio is None else fmt_ratio(s.rd_cost_ratio),
        "rd_option": (1 if (s.rd_sales_points or 0) >= (s.rd_cost_points or 0) else 2)
        if s.rd_sales_points is not None or s.rd_cost_points is not None else None,
    }
    met_score = sr.row("E5.total_score").test(Decimal(total))
    met_staff = sr.row("E5.staff_points").test(Decimal(s.staff))
    parts = f"科技人员{s.staff}分、研发投入{s.rd}分、科技成果{s.ip}分"
    if s.staff_known and not met_staff:
        met: bool | None = False
        msg = f"科技人员指标得0分（占比低于10%），不符合条件；综合得分{total}分（{parts}）"
    elif met_score and met_staff:
        met = True
        msg = f"综合得分{total}分（{parts}），达到{fmt_num(pass_mark)}分且科技人员指标不为0"
    elif s.complete:
        met = False
        msg = f"综合得分{total}分（{parts}），低于{fmt_num(pass_mark)}分"
    else:
        met = None
        missing = [n for n, k in (("科技人员", s.staff_known), ("研发投入", s.rd_known),
                                  ("科技成果", s.ip_known)) if not k]
        msg = (f"数据不全（{'、'.join(missing)}指标缺少数据），已知部分得分{total}分（{parts}），"
               f"无法判断是否达到{fmt_num(pass_mark)}分")
    return Condition("E5", met, value, fmt_num(pass_mark), msg)


# ---------------------------------------------------------------- gap analysis


def _staff_options(y: YearData, s: Scores, sr: SchemeRules) -> list[Option]:
    opts = [Option(s.staff, 0, [])]
    if not s.staff_known or y.staff_total is None or y.st_staff is None or y.staff_total <= 0:
        return opts
    higher = [r for r in sr.table("score.staff") if (r.points_min or 0) > s.staff]
    for rank, r in enumerate(sorted(higher, key=lambda r: r.points_min or 0), start=1):
        p = r.threshold
        reclassify, hire = staff_gap(y.staff_total, y.st_staff, p)
        g = gap("E5", reclassify, "人",
                f"科技人员占比提升至{pct_rule(p)}（得{r.points_min}分）：将{reclassify}名现有职工"
                f"认定为科技人员，或新招聘{hire}名科技人员")
        opts.append(Option(r.points_min or 0, rank, [g]))
    return opts


def _rd_need(r: RuleRow, rd: Decimal, den: Decimal | None) -> Decimal | None:
    if den is None or den <= ZERO:
        return None
    return max(ZERO, r.threshold * den - rd)


def _rd_options(y: YearData, s: Scores, sr: SchemeRules) -> list[Option]:
    opts = [Option(s.rd, 0, [])]
    if y.rd_expense is None:
        return opts
    by_points: dict[int, list[tuple[Decimal, str, RuleRow]]] = {}
    for table, den, label in (("score.rd_sales", y.sales_revenue, "销售收入"),
                              ("score.rd_cost", y.cost_expense_total, "成本费用支出总额")):
        for r in sr.table(table):
            pts = r.points_min or 0
            if pts <= s.rd:
                continue
            need = _rd_need(r, y.rd_expense, den)
            if need is not None:
                by_points.setdefault(pts, []).append((need, label, r))
    for rank, pts in enumerate(sorted(by_points), start=1):
        need, label, r = min(by_points[pts], key=lambda t: t[0])
        g = gap("E5", fmt_money_up(need), "元",
                f"研发费用增加{_yuan_up(need)}，研发费用占{label}比例达到{pct_rule(r.threshold)}"
                f"（得{pts}分）")
        opts.append(Option(pts, rank, [g]))
    return opts


def _yuan_up(d: Decimal) -> str:
    return yuan(Decimal(fmt_money_up(d)))


def _ip_options(case: Case, s: Scores, sr: SchemeRules) -> list[Option]:
    opts = [Option(s.ip, 0, [])]
    c1 = case.ip.class1 or 0
    c2 = case.ip.class2 or 0
    higher = [r for r in sr.table("score.ip") if (r.points_min or 0) > s.ip]
    for rank, r in enumerate(sorted(higher, key=lambda r: r.points_min or 0), start=1):
        if r.field == "class1":
            need = max(0, ceil_int(r.threshold) - c1)
            msg = f"新增{need}项Ⅰ类知识产权（如发明专利）（得{r.points_min}分）"
        else:
            need = max(0, ceil_int(r.threshold) - c2)
            msg = f"新增{need}项Ⅱ类知识产权（实用新型、外观设计、软件著作权）（得{r.points_min}分）"
        opts.append(Option(r.points_min or 0, rank, [gap("E5", need, "项", msg)]))
    return opts


def _plans(staff: list[Option], rd: list[Option], ip: list[Option], target: int,
           limit: int = 3) -> list[Plan]:
    """Pareto-minimal combinations of band upgrades reaching ``target`` with staff > 0."""
    found: list[tuple[tuple[int, int, int], Plan]] = []
    for a in staff:
        if a.points <= 0:
            continue
        for b in rd:
            need = target - a.points - b.points
            c = next((o for o in ip if o.points >= need), None)
            if c is None:
                continue
            # minimality: no chosen upgrade can drop one step and still pass
            total = a.points + b.points + c.points
            minimal = True
            for opts, chosen in ((staff, a), (rd, b), (ip, c)):
                if chosen.rank == 0:
                    continue
                lower = max((o for o in opts if o.rank < chosen.rank), key=lambda o: o.rank)
                if opts is staff and lower.points <= 0:
                    continue
                if total - chosen.points + lower.points >= target:
                    minimal = False
                    break
            if not minimal:
                continue
            changed = sum(1 for o in (a, b, c) if o.rank > 0)
            steps = [*a.steps, *b.steps, *c.steps]
            key = (changed, a.rank + b.rank + c.rank, -total)
            found.append((key, Plan(points_after=total, steps=steps)))
    found.sort(key=lambda kv: kv[0])
    return [p for _, p in found[:limit]]


def _gaps(case: Case, y: YearData, s: Scores, sr: SchemeRules) -> tuple[list[Gap], list[Plan]]:
    target = int(sr.row("E5.total_score").threshold)
    staff_zero = s.staff_known and s.staff <= 0
    if s.total >= target and not staff_zero:
        return [], []
    gaps: list[Gap] = []
    if s.total < target:
        gaps.append(gap("E5", target - s.total, "分",
                        f"综合得分{s.total}分，距{target}分还差{target - s.total}分"))
    staff = _staff_options(y, s, sr)
    rd = _rd_options(y, s, sr)
    ip = _ip_options(case, s, sr)
    if staff_zero and y.staff_total is not None and y.st_staff is not None:
        p = sr.table("score.staff")[-2].threshold  # lowest band that scores (10%)
        gaps.extend(staff_gaps("E5", y.staff_total, y.st_staff, p, "科技人员指标不得0分"))
    elif len(staff) > 1:
        gaps.extend(_staff_step_pair(y, staff[1], sr, s))
    for opts in (rd, ip):
        if len(opts) > 1:
            gaps.extend(opts[1].steps)
    if y.rd_expense is not None:
        gaps.extend(_rd_alternatives(y, s, sr, exclude=rd[1].steps if len(rd) > 1 else []))
    plans = _plans(staff, rd, ip, target)
    if plans and s.total < target:
        first = plans[0]
        gaps[0].message += "。最省力的组合：" + "；".join(g.message for g in first.steps)
    return gaps, plans


def _staff_step_pair(y: YearData, opt: Option, sr: SchemeRules, s: Scores) -> list[Gap]:
    row = next(r for r in sr.table("score.staff") if (r.points_min or 0) == opt.points)
    if y.staff_total is None or y.st_staff is None:
        return []
    return staff_gaps("E5", y.staff_total, y.st_staff, row.threshold,
                      f"科技人员指标由{s.staff}分提高到{opt.points}分")


def _rd_alternatives(y: YearData, s: Scores, sr: SchemeRules, exclude: list[Gap]) -> list[Gap]:
    """The next R&D band under the *other* ratio option, so both options are visible."""
    out: list[Gap] = []
    assert y.rd_expense is not None
    shown = {g.message for g in exclude}
    for table, den, label, cur in (
        ("score.rd_sales", y.sales_revenue, "销售收入", s.rd_sales_points),
        ("score.rd_cost", y.cost_expense_total, "成本费用支出总额", s.rd_cost_points),
    ):
        if den is None or den <= ZERO:
            continue
        higher = [r for r in sr.table(table) if (r.points_min or 0) > max(cur or 0, s.rd)]
        if not higher:
            continue
        r = min(higher, key=lambda r: r.points_min or 0)
        need = max(ZERO, r.threshold * den - y.rd_expense)
        msg = (f"研发费用增加{_yuan_up(need)}，研发费用占{label}比例达到{pct_rule(r.threshold)}"
               f"（得{r.points_min}分）")
        if msg not in shown:
            out.append(gap("E5", fmt_money_up(need), "元", msg))
    return out


# ---------------------------------------------------------------- entry point


def assess_tech_sme(case: Case, as_of: date, sr: SchemeRules) -> Result:
    data_year = as_of.year - 1
    y = case.years[data_year]
    e1 = e1_condition(case, sr)
    e2 = _e2(y, sr, data_year)
    e3 = e3_condition(case, sr, "E3")
    e4 = credit_condition("E4", case, E4_TEXT)
    s = score(case, y, sr)
    e5 = _e5(s, sr)
    ds = direct_conditions(case, sr)
    base = tri_and(c.met for c in (e1, e2, e3, e4))
    direct = tri_or(d.met for d in ds)
    if direct is True:
        e5.skipped = True
        first = next(d.id for d in ds if d.met)
        e5.message = f"满足直通条件{first}，无需评分（评分仅供参考）：" + e5.message
    outcome = tri_and([base, tri_or([e5.met, direct])])
    gaps, plans = ([], []) if direct is True else _gaps(case, y, s, sr)
    warnings = _site_check_warnings(y, s, sr)
    return Result(
        scheme="tech-sme",
        as_of=as_of,
        data_year=data_year,
        data_years=[data_year],
        conditions=[e1, e2, e3, e4, e5, *ds],
        gaps=gaps,
        plans=plans,
        eligible=outcome is True,
        score=s.total,
        parts={"staff": s.staff, "rd": s.rd, "ip": s.ip},
        complete=outcome is not None,
        warnings=warnings,
    )


def _site_check_warnings(y: YearData, s: Scores, sr: SchemeRules) -> list[str]:
    """On-site-check triggers (checks, not grounds for rejection; rule table ``site_check``)."""
    out: list[str] = []
    facts = {"staff_total": y.staff_total, "st_share": s.staff_share}
    groups: dict[str, list[RuleRow]] = {}
    for r in sr.table("site_check"):
        groups.setdefault(r.band or r.rule_id, []).append(r)
    for rows in groups.values():
        res = [None if facts.get(r.field) is None else r.test(facts[r.field]) for r in rows]
        if all(v is True for v in res):
            out.append(local_suffix(f"可能触发实地核查：{rows[0].label}", rows[0].local_rule))
    return out
