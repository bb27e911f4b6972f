"""高新技术企业: H1–H8, score ranges, growth edge rules, H5 bands and gaps (domain-rules.md §2)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kechuang.cultivation.engine import IPHoldings, assess
from kechuang.cultivation.engine.high_tech import growth_rate
from kechuang.cultivation.engine.rules import load_builtin_rules
from kechuang.cultivation.tests.test_engine_support import AS_OF, D, case, cond, three_years, year

WAN = 10_000


def run(c=None, as_of=AS_OF, **kw):
    if c is None:
        kw.setdefault("years", three_years())
        c = case(**kw)
    return assess(c, "high-tech", as_of)


def sales_years(s1, s2, s3, rd_total, dom_share=Decimal(1)):
    """Three years with given sales; R&D split evenly; domestic share as given."""
    rd = Decimal(rd_total) / 3
    return {
        y: year(y, sales_revenue=s, rd_expense=rd, rd_expense_domestic=rd * dom_share)
        for y, s in ((2022, s1), (2023, s2), (2024, s3))
    }


def worked_example_years():
    # domain-rules.md §2.3: sales 2,000/2,600/3,000万, R&D 120/130/110万, NA 1,000/1,300/1,800万
    data = ((2022, 2000, 120, 1000), (2023, 2600, 130, 1300), (2024, 3000, 110, 1800))
    return {
        y: year(y, sales_revenue=s * WAN, rd_expense=rd * WAN, total_assets=na * WAN + 500 * WAN,
                total_liabilities=500 * WAN)
        for y, s, rd, na in data
    }


def test_uses_three_years_before_as_of():
    r = run()
    assert r.data_year == 2024
    assert r.data_years == [2022, 2023, 2024]


def test_worked_example_rd_gap_and_growth():
    r = run(years=worked_example_years())
    h5 = cond(r, "H5")
    assert h5.met is False
    assert h5.threshold["rd_ratio"] == "0.0500"
    assert h5.value["rd_ratio"] == "0.0473"  # 360 / 7,600 = 4.7368% (truncated)
    rd_gap = next(g for g in r.gaps if g.id == "H5")
    assert rd_gap.missing == "200000.00"  # 380万 − 360万 = 20万
    assert rd_gap.unit == "元"
    h7 = cond(r, "H7")
    assert h7.value["net_assets_growth"] == "0.3423"
    assert h7.value["sales_growth"] == "0.2269"
    assert r.parts["growth"] == [12, 14]  # B 7–8 + C 5–6
    growth_gaps = [g for g in r.gaps if g.id == "H7" and "净资产" in g.message]
    # NA3 must reach 1,300 × (2 × 1.35 − 1.3) = 1,820万: 20万 more
    assert growth_gaps[0].missing == "200000.00"


@pytest.mark.parametrize(
    ("_case", "latest_sales", "ratio"),
    [
        ("exactly 5,000万", "50000000", "0.0500"),
        ("just above 5,000万", "50000000.01", "0.0400"),
        ("exactly 2亿", "200000000", "0.0400"),
        ("just above 2亿", "200000000.01", "0.0300"),
        ("small", "1000000", "0.0500"),
        ("large", "900000000", "0.0300"),
    ],
)
def test_h5_required_ratio_bands(_case, latest_sales, ratio):
    r = run(years=sales_years(D(latest_sales), D(latest_sales), D(latest_sales), 10**6))
    assert cond(r, "H5").threshold["rd_ratio"] == ratio


def test_h5_non_monotonic_just_above_5000wan_needs_less():
    rd_total = Decimal("0.045") * 150_000_000  # 4.5% of three years' sales
    at = run(years=sales_years(50_000_000, 50_000_000, 50_000_000, rd_total))
    above = run(years=sales_years(50_000_000, 50_000_000, 50_000_001, rd_total))
    assert cond(at, "H5").met is False  # needs 5%
    assert cond(above, "H5").met is True  # needs 4%, although sales grew by 1元
    alt = [g for g in at.gaps if g.id == "H5" and "另一途径" in g.message]
    assert alt
    assert alt[0].missing == "0.01"
    assert "降为4%" in alt[0].message


def test_h5_boundary_gap_at_2yi():
    rd_total = Decimal("0.035") * 600_000_000
    r = run(years=sales_years(200_000_000, 200_000_000, 200_000_000, rd_total))
    assert cond(r, "H5").met is False
    assert any("降为3%" in g.message for g in r.gaps if g.id == "H5")


def test_h5_rd_gap_formula():
    # required 5% × 1.2亿 = 600万; R&D 500万 → gap 100万
    r = run(years=sales_years(40_000_000, 40_000_000, 40_000_000, 5_000_000))
    g = next(g for g in r.gaps if g.id == "H5")
    assert g.missing == "1000000.00"


@pytest.mark.parametrize(
    ("_case", "share", "met"),
    [("60% exactly", "0.60", True), ("just below 60%", "0.5999", False), ("all", "1", True)],
)
def test_h5_domestic_share_edges(_case, share, met):
    r = run(years=sales_years(40_000_000, 40_000_000, 40_000_000, 9_000_000, D(share)))
    assert cond(r, "H5").met is met
    if not met:
        g = next(g for g in r.gaps if g.id == "H5" and "境内" in g.message)
        # 0.6 × 900万 − 0.5999 × 900万 = 900元
        assert g.missing == "900.00"


@pytest.mark.parametrize(
    ("_case", "st", "met"), [("10% exactly", 12, True), ("just below", "11.99", False)]
)
def test_h4_staff_share_edges(_case, st, met):
    r = run(years=three_years(latest={"staff_total": 120, "st_staff": st}))
    assert cond(r, "H4").met is met


def test_h4_gap_reclassify_vs_hire():
    r = run(years=three_years(latest={"staff_total": 120, "st_staff": 10}))
    assert [g.missing for g in r.gaps if g.id == "H4"] == [2, 3]


@pytest.mark.parametrize(
    ("_case", "hitech", "non_taxable", "met"),
    [
        ("60% exactly", 30_000_000, 0, True),
        ("just below", "29999999.99", 0, False),
        ("non-taxable income shrinks the base", 27_000_000, 5_000_000, True),
        ("non-taxable edge", "26999999.99", 5_000_000, False),
    ],
)
def test_h6_hitech_revenue_edges(_case, hitech, non_taxable, met):
    latest = {"total_income": 50_000_000, "non_taxable_income": non_taxable,
              "hitech_revenue": hitech}
    r = run(years=three_years(latest=latest))
    assert cond(r, "H6").met is met


def test_h6_gap():
    latest = {"total_income": 50_000_000, "hitech_revenue": 20_000_000}
    r = run(years=three_years(latest=latest))
    assert [g.missing for g in r.gaps if g.id == "H6"] == ["10000000.00"]


@pytest.mark.parametrize(
    ("_case", "established", "met"),
    [("365 days", date(2024, 5, 1), True), ("364 days", date(2024, 5, 2), False)],
)
def test_h1_one_year_edge(_case, established, met):
    r = run(established=established, years={2024: year(2024)})
    assert cond(r, "H1").met is met
    if not met:
        assert [g.missing for g in r.gaps if g.id == "H1"] == [1]


def test_h2_class2_used_items_do_not_count():
    assert cond(run(ip=IPHoldings(0, 3, 3)), "H2").met is False
    assert cond(run(ip=IPHoldings(0, 3, 2)), "H2").met is True
    assert cond(run(ip=IPHoldings(1, 0, 0)), "H2").met is True


@pytest.mark.parametrize(
    ("_case", "class1", "class2", "used", "band"),
    [
        ("class I", 1, 0, 0, (7, 8)),
        ("5 class II", 0, 5, 0, (5, 6)),
        ("5 class II, 1 used", 0, 5, 1, (3, 4)),
        ("3 class II", 0, 3, 0, (3, 4)),
        ("2 class II", 0, 2, 0, (1, 2)),
        ("none", 0, 0, 0, (0, 0)),
    ],
)
def test_ip_count_band(_case, class1, class2, used, band):
    r = run(ip=IPHoldings(class1, class2, used))
    lo, hi = r.parts["ip"]
    if band == (0, 0):
        assert (lo, hi) == (0, 2)  # only the standards bonus remains possible
    else:
        # count band + ④ acquisition 1–6 + ①② 0–8 each + ⑤ 0–2, capped at 30
        assert lo == band[0] + 1
        assert hi == min(30, band[1] + 6 + 16 + 2)


@pytest.mark.parametrize(
    ("_case", "per_year", "band"),
    [
        ("10 in 3 years = 3.33 → C", (3, 3, 4), [13, 18]),
        ("15 in 3 years = 5 → A", (5, 5, 5), [25, 30]),
        ("14 in 3 years = 4.67 → B", (5, 5, 4), [19, 24]),
        ("2 in 3 years = 0.67 → F", (0, 1, 1), [0, 0]),
        ("3 in 3 years = 1 → E", (1, 1, 1), [1, 6]),
        ("none", (0, 0, 0), [0, 0]),
    ],
)
def test_conversion_bands_fractional(_case, per_year, band):
    years = {y: year(y, conversions=n) for y, n in zip((2022, 2023, 2024), per_year, strict=True)}
    assert run(years=years).parts["conversion"] == band


def test_conversions_divide_by_actual_operating_years():
    years = {2023: year(2023, conversions=5), 2024: year(2024, conversions=5)}
    r = run(established=date(2023, 2, 1), years=years)
    assert r.data_years == [2023, 2024]
    assert r.parts["conversion"] == [25, 30]  # 10 / 2 = 5 per year


def test_conversion_gap_counts_items():
    years = {y: year(y, conversions=n) for y, n in ((2022, 3), (2023, 3), (2024, 4))}
    g = next(g for g in run(years=years).gaps if g.unit == "项" and "转化" in g.message)
    assert g.missing == 2  # 12 needed for an average of 4


# ---- growth edge rules ------------------------------------------------------------------


def rate(xs):
    return growth_rate([D(x) for x in xs], load_builtin_rules().select("high-tech", AS_OF), "X")


def test_growth_three_years():
    g = rate([1000, 1300, 1800])
    assert g.rate.quantize(Decimal("0.0001")) == Decimal("0.3423")


def test_growth_zero_first_year_uses_later_two():
    g = rate([0, 1000, 1500])
    assert g.rate == Decimal("0.5")
    assert g.formula == "later_two"


def test_growth_zero_second_year_scores_zero():
    g = rate([1000, 0, 1500])
    assert g.rate is None
    assert g.points == (0, 0)


def test_growth_two_years_is_local_rule():
    g = rate([1000, 1200])
    assert g.rate == Decimal("0.2")
    assert g.local is True


def test_growth_one_year_scores_zero():
    g = rate([1000])
    assert g.rate is None
    assert g.points == (0, 0)
    assert g.local is True


def test_growth_negative_base_scores_zero():
    g = rate([-100, 500, 900])
    assert g.rate is None
    assert g.local is True


def test_negative_rate_scores_zero():
    years = worked_example_years()
    years[2024] = year(2024, sales_revenue=1000 * WAN, total_assets=600 * WAN,
                       total_liabilities=500 * WAN)
    r = run(years=years)
    assert r.parts["growth"][0] == 0


@pytest.mark.parametrize(
    ("_case", "rate_pct", "band"),
    [("35%", 35, (9, 10)), ("34.99%", "34.99", (7, 8)), ("25%", 25, (7, 8)),
     ("15%", 15, (5, 6)), ("5%", 5, (3, 4)), ("0.01%", "0.01", (1, 2)), ("0%", 0, (0, 0)),
     ("negative", -5, (0, 0))],
)
def test_growth_band_edges(_case, rate_pct, band):
    # two-year rule: X2/X1 − 1 exactly equals the rate
    x2 = Decimal(10000) * (1 + Decimal(rate_pct) / 100)
    sr = load_builtin_rules().select("high-tech", AS_OF)
    g = growth_rate([D(10000), x2], sr, "X")
    assert sr.band("score.growth", g.rate).points_min == band[0]
    assert sr.band("score.growth", g.rate).points_max == band[1]


def test_fewer_than_three_years_growth_flagged_local():
    years = {2023: year(2023, sales_revenue=10_000_000), 2024: year(2024, sales_revenue=14_000_000)}
    r = run(established=date(2023, 1, 10), years=years)
    h7 = cond(r, "H7")
    assert h7.local_rule is True
    assert "地方规则，请确认" in h7.message


# ---- verdict ----------------------------------------------------------------------------


def test_verdict_fail_when_hard_condition_fails():
    r = run(years=worked_example_years())
    assert r.verdict == "fail"


def test_verdict_borderline_when_experts_decide():
    r = run(ip=IPHoldings(2, 0, 0))
    assert all(c.met for c in r.conditions if c.id != "H7")
    assert cond(r, "H7").met is None
    assert r.verdict == "borderline"
    lo, hi = r.score_range
    assert lo <= 70 < hi


def test_verdict_pass_with_self_assessment():
    years = {y: year(y, conversions=5, sales_revenue=s, total_assets=a)
             for y, s, a in ((2022, 20_000_000, 30_000_000), (2023, 30_000_000, 45_000_000),
                             (2024, 45_000_000, 70_000_000))}
    sa = {"ip_advanced": (7, 8), "ip_core_support": (7, 8), "ip_acquisition": (5, 6),
          "management": (14, 16)}
    r = run(years=years, ip=IPHoldings(1, 0, 0), self_assessment=sa)
    assert r.score_range[0] >= 71
    assert r.verdict == "pass"


def test_verdict_fail_when_max_score_at_most_70():
    years = {y: year(y, conversions=0, sales_revenue=10_000_000, total_assets=30_000_000,
                     rd_expense=1_000_000)
             for y in (2022, 2023, 2024)}
    r = run(years=years, ip=IPHoldings(0, 1, 0))
    assert r.score_range[1] <= 70
    assert cond(r, "H7").met is False
    assert r.verdict == "fail"


def test_missing_fields_make_conditions_null():
    years = three_years(latest={"hitech_revenue": None, "rd_expense_domestic": None})
    r = run(years=years, hitech_field=None, credit_clean=None)
    assert cond(r, "H3").met is None
    assert cond(r, "H6").met is None
    assert "years.2024.hitech_revenue" in cond(r, "H6").message
    assert cond(r, "H5").met is None
    assert cond(r, "H8").met is None
    assert r.verdict == "borderline"


def test_hitech_field_accepts_number_and_subfield():
    assert cond(run(hitech_field="1"), "H3").value == "电子信息"
    assert cond(run(hitech_field="电子信息/软件/基础软件"), "H3").value == "电子信息"
    assert cond(run(hitech_field="量子玄学"), "H3").met is False
