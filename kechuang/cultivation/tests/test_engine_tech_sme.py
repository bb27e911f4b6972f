"""国家科技型中小企业: conditions, scores, band edges and gaps (domain-rules.md §1)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kechuang.cultivation.engine import DirectGrounds, IPHoldings, assess
from kechuang.cultivation.engine.common import staff_gap
from kechuang.cultivation.tests.test_engine_support import AS_OF, D, case, cond, year


def run(c=None, **kw):
    return assess(c or case(**kw), "tech-sme", AS_OF)


def test_worked_example_scores_64_and_passes():
    # 120 staff / 30 tech; sales 5,000万, R&D 220万, costs 4,200万; 0 Class I, 3 Class II
    r = run()
    assert r.parts == {"staff": 16, "rd": 30, "ip": 18}
    assert r.score == 64
    assert r.eligible is True
    assert r.data_year == 2024
    e5 = cond(r, "E5")
    assert e5.met is True
    assert e5.value["rd_sales_ratio"] == "0.0440"
    assert e5.value["rd_cost_ratio"] == "0.0523"
    assert e5.value["rd_option"] == 1
    assert r.gaps == []


@pytest.mark.parametrize(
    ("_case", "st_staff", "points"),
    [
        ("30% exactly", 30, 20),
        ("just below 30%", "29.99", 16),
        ("25% exactly", 25, 16),
        ("just below 25%", "24.99", 12),
        ("20% exactly", 20, 12),
        ("just below 20%", "19.99", 8),
        ("15% exactly", 15, 8),
        ("just below 15%", "14.99", 4),
        ("10% exactly", 10, 4),
        ("just below 10%", "9.99", 0),
        ("none", 0, 0),
    ],
)
def test_staff_share_band_edges(_case, st_staff, points):
    r = run(years={2024: year(2024, staff_total=100, st_staff=st_staff)})
    assert r.parts["staff"] == points


def test_staff_zero_points_fails_e5_even_with_high_total():
    r = run(years={2024: year(2024, staff_total=100, st_staff="9.99", rd_expense=3_000_000)},
            ip=IPHoldings(class1=1, class2=0))
    assert r.score == 0 + 50 + 30
    assert cond(r, "E5").met is False
    assert r.eligible is False


@pytest.mark.parametrize(
    ("_case", "rd", "points"),
    [
        ("6% exactly", 6_000_000, 50),
        ("just below 6%", 5_999_999, 40),
        ("5% exactly", 5_000_000, 40),
        ("just below 5%", 4_999_999, 30),
        ("4% exactly", 4_000_000, 30),
        ("just below 4%", 3_999_999, 20),
        ("3% exactly", 3_000_000, 20),
        ("just below 3%", 2_999_999, 10),
        ("2% exactly", 2_000_000, 10),
        ("just below 2%", 1_999_999, 0),
    ],
)
def test_rd_option1_band_edges(_case, rd, points):
    # sales 1亿, cost so large that option (2) scores 0
    y = year(2024, sales_revenue=100_000_000, rd_expense=rd, cost_expense_total=10**12)
    assert run(years={2024: y}).parts["rd"] == points


@pytest.mark.parametrize(
    ("_case", "rd", "points"),
    [
        ("30% exactly", 3_000_000, 50),
        ("just below 30%", 2_999_999, 40),
        ("25% exactly", 2_500_000, 40),
        ("just below 25%", 2_499_999, 30),
        ("20% exactly", 2_000_000, 30),
        ("just below 20%", 1_999_999, 20),
        ("15% exactly", 1_500_000, 20),
        ("just below 15%", 1_499_999, 10),
        ("10% exactly", 1_000_000, 10),
        ("just below 10%", 999_999, 0),
    ],
)
def test_rd_option2_band_edges(_case, rd, points):
    # costs 1,000万, sales so large that option (1) scores 0
    y = year(2024, cost_expense_total=10_000_000, rd_expense=rd, sales_revenue=10**12)
    assert run(years={2024: y}).parts["rd"] == points


def test_rd_takes_the_higher_of_the_two_options():
    # option 1: 2% → 10; option 2: 25% → 40
    y = year(2024, sales_revenue=100_000_000, rd_expense=2_000_000, cost_expense_total=8_000_000)
    r = run(years={2024: y})
    assert r.parts["rd"] == 40
    assert cond(r, "E5").value["rd_option"] == 2


@pytest.mark.parametrize(
    ("_case", "class1", "class2", "points"),
    [
        ("one class I", 1, 0, 30),
        ("class I beats class II", 2, 10, 30),
        ("four class II", 0, 4, 24),
        ("many class II capped at 24", 0, 40, 24),
        ("three class II", 0, 3, 18),
        ("two class II", 0, 2, 12),
        ("one class II", 0, 1, 6),
        ("none", 0, 0, 0),
    ],
)
def test_ip_bands(_case, class1, class2, points):
    assert run(ip=IPHoldings(class1=class1, class2=class2)).parts["ip"] == points


def test_class2_used_for_high_tech_still_counts_for_tech_sme():
    assert run(ip=IPHoldings(class1=0, class2=3, class2_used=3)).parts["ip"] == 18


@pytest.mark.parametrize(
    ("_case", "field", "value", "met"),
    [
        ("staff at cap", "staff_total", 500, True),
        ("staff over cap", "staff_total", 501, False),
        ("sales at cap", "sales_revenue", 200_000_000, True),
        ("sales over cap", "sales_revenue", "200000000.01", False),
        ("assets at cap", "total_assets", 200_000_000, True),
        ("assets over cap", "total_assets", "200000000.01", False),
    ],
)
def test_e2_caps_are_inclusive(_case, field, value, met):
    kw = {field: value}
    if field == "staff_total":
        kw["st_staff"] = 100
    assert cond(run(years={2024: year(2024, **kw)}), "E2").met is met


def test_e1_deemed_tax_collection_fails():
    r = run(tax_collection="核定征收")
    assert cond(r, "E1").met is False
    assert "查账征收" in cond(r, "E1").message
    assert r.eligible is False


def test_e1_non_enterprise_uscc_fails():
    # 个体工商户 (92…) cannot apply
    from kechuang.cultivation.engine import uscc_check_char

    code = "92350100M000100Y4"
    r = run(uscc=code + uscc_check_char(code))
    assert cond(r, "E1").met is False


@pytest.mark.parametrize(
    ("_case", "code", "met"),
    [
        ("manufacturing", "C3511", True),
        ("tobacco", "C1610", False),
        ("wholesale", "F5111", False),
        ("catering", "H6210", False),
        ("real estate", "K7010", False),
        ("leasing & business services", "L7211", False),
        ("entertainment", "R9011", False),
        ("culture, not entertainment", "R8610", True),
        ("software", "I6510", True),
    ],
)
def test_e3_excluded_industries(_case, code, met):
    assert cond(run(industry_code=code), "E3").met is met


def test_e4_credit_not_clean_fails():
    assert cond(run(credit_clean=False), "E4").met is False


@pytest.mark.parametrize("ground", ["hitech_cert_valid", "national_award_top3_5y",
                                    "provincial_rd_institution", "led_standard_5y"])
def test_direct_qualification_skips_e5(ground):
    weak = year(2024, st_staff=0, rd_expense=0)
    direct = DirectGrounds(**{ground: True})
    r = run(years={2024: weak}, ip=IPHoldings(0, 0, 0), direct=direct)
    assert cond(r, "E5").met is False
    assert cond(r, "E5").skipped is True
    assert r.eligible is True
    assert r.gaps == []


def test_direct_qualification_still_needs_e1_to_e4():
    r = run(direct=DirectGrounds(hitech_cert_valid=True), tax_collection="核定征收")
    assert r.eligible is False


def test_d4_is_flagged_as_local_rule():
    r = run(direct=DirectGrounds(led_standard_5y=True))
    d4 = cond(r, "D4")
    assert d4.met is True
    assert d4.local_rule is True
    assert "地方规则，请确认" in d4.message


def test_staff_gap_formula_worked_example():
    # n = 120, t = 10 → reclassify 2, or hire 3
    assert staff_gap(D(120), D(10), Decimal("0.10")) == (2, 3)


def test_staff_gap_general_form_and_no_gap():
    assert staff_gap(D(100), D(10), Decimal("0.10")) == (0, 0)
    # p = 30%, n = 100, t = 20: reclassify 10, hire ceil(10/0.7) = 15
    assert staff_gap(D(100), D(20), Decimal("0.30")) == (10, 15)


def test_gap_when_staff_share_below_ten_percent():
    r = run(years={2024: year(2024, staff_total=120, st_staff=10)})
    staff_gaps = [g for g in r.gaps if g.unit == "人"]
    assert [g.missing for g in staff_gaps] == [2, 3]
    assert "认定" in staff_gaps[0].message
    assert "招聘" in staff_gaps[1].message
    assert all(g.id == "E5" for g in staff_gaps)


def test_points_gap_and_next_rd_band_for_both_options():
    # staff 16; R&D 90万 = 1.8% of sales → 0 and 2.14% of costs → 0; IP 18 → 34 points
    r = run(years={2024: year(2024, rd_expense=900_000)})
    assert r.score == 34
    points = [g for g in r.gaps if g.unit == "分"]
    assert points[0].missing == 26
    assert points[0].id == "E5"
    by_option = {("销售收入" in g.message): g.missing for g in r.gaps if g.unit == "元"}
    # next_threshold × denominator − R&D: 2% × 5,000万 − 90万 = 10万; 10% × 4,200万 − 90万 = 330万
    assert by_option == {True: "100000.00", False: "3300000.00"}
    assert r.plans
    assert all(p.points_after >= 60 for p in r.plans)


def test_next_rd_band_gap_is_threshold_times_denominator_minus_rd():
    # option 1: 4.4% → next band 5% needs 0.05 × 5,000万 − 220万 = 30万
    r = run(ip=IPHoldings(0, 0, 0))  # 16 + 30 + 0 = 46 → gaps
    assert r.score == 46
    rd = [g for g in r.gaps if g.unit == "元" and "销售收入" in g.message]
    assert rd[0].missing == "300000.00"
    cost = [g for g in r.gaps if g.unit == "元" and "成本费用" in g.message]
    # option 2: 5.24% → next paying band is 20% (30 points is not above 30) → 25% for 40:
    # 0.25 × 4,200万 − 220万 = 830万
    assert cost[0].missing == "8300000.00"


def test_cheapest_plans_are_minimal_and_reach_60():
    r = run(ip=IPHoldings(0, 0, 0))  # 16 + 30 + 0 = 46
    first = r.plans[0]
    assert first.points_after >= 60
    assert len(first.steps) == 1  # one dimension is enough (R&D to 6% → +20)
    assert first.steps[0].unit == "元"
    assert first.steps[0].missing == "800000.00"  # 6% × 5,000万 − 220万
    assert "最省力的组合" in r.gaps[0].message
    for plan in r.plans:
        assert plan.points_after >= 60


def test_missing_field_gives_null_condition_not_crash():
    y = year(2024, cost_expense_total=None, total_assets=None)
    r = run(years={2024: y}, credit_clean=None)
    assert cond(r, "E2").met is None
    assert "years.2024.total_assets" in cond(r, "E2").message
    assert cond(r, "E4").met is None
    assert r.eligible is False
    assert r.complete is False


def test_missing_cost_but_score_already_passes_is_met():
    y = year(2024, cost_expense_total=None)
    assert cond(run(years={2024: y}), "E5").met is True


def test_missing_staff_makes_e5_null():
    y = year(2024, st_staff=None)
    r = run(years={2024: y}, ip=IPHoldings(class1=1, class2=0))
    assert cond(r, "E5").met is None


def test_uses_the_accounting_year_before_as_of():
    r = run(years={2023: year(2023, st_staff=0), 2024: year(2024)})
    assert r.data_year == 2024
    assert r.parts["staff"] == 16


def test_site_check_warning_for_tiny_enterprise():
    r = run(years={2024: year(2024, staff_total=5, st_staff=2)})
    assert any("实地核查" in w for w in r.warnings)
