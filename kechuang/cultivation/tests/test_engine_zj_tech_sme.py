"""浙江省科技型中小企业 Z1–Z6 (domain-rules.md §6.1)."""

from __future__ import annotations

from datetime import date

import pytest

from kechuang.cultivation.engine import IPHoldings, assess
from kechuang.cultivation.tests.test_engine_support import AS_OF, ZJ_USCC, case, cond, year


def run(**kw):
    kw.setdefault("uscc", ZJ_USCC)
    return assess(case(**kw), "zj-tech-sme", AS_OF)


def test_healthy_zhejiang_enterprise_is_eligible():
    r = run()
    assert [c.id for c in r.conditions] == ["Z1", "Z2", "Z3", "Z4", "Z5", "Z6"]
    assert r.eligible is True
    assert r.data_year == 2024


def test_outside_zhejiang_fails_z1_as_local_rule():
    r = run(uscc="91350100M000100Y43")
    z1 = cond(r, "Z1")
    assert z1.met is False
    assert z1.local_rule is True


@pytest.mark.parametrize(("_case", "established", "met"),
                         [("exactly one year", date(2024, 5, 1), True),
                          ("one day short", date(2024, 5, 2), False)])
def test_z1_age(_case, established, met):
    r = run(established=established, years={2024: year(2024)})
    assert cond(r, "Z1").met is met


@pytest.mark.parametrize("form", ["分公司（非法人）", "个人独资企业", "branch"])
def test_z1_excluded_legal_forms(form):
    assert cond(run(legal_form=form), "Z1").met is False


def test_z2_needs_an_ip_item_and_is_local():
    r = run(ip=IPHoldings(0, 0, 0))
    assert cond(r, "Z2").met is False
    assert cond(r, "Z2").local_rule is True
    assert [g.id for g in r.gaps] == ["Z2"]


@pytest.mark.parametrize(("_case", "st", "met"), [("10%", 12, True), ("below", "11.99", False)])
def test_z3_staff_share(_case, st, met):
    r = run(years={2024: year(2024, staff_total=120, st_staff=st)})
    assert cond(r, "Z3").met is met


def test_z4_rd_spending():
    assert cond(run(years={2024: year(2024, rd_expense=0)}), "Z4").met is False


@pytest.mark.parametrize(
    ("_case", "code", "staff", "sales", "met"),
    [
        ("industry small", "C3511", 999, 500_000_000, True),
        ("industry big on both", "C3511", 1000, 400_000_000, False),
        ("software under staff cap", "I6510", 299, 200_000_000, True),
        ("software big on both", "I6510", 300, 100_000_000, False),
        ("other sector by staff", "M7320", 299, 10**9, True),
    ],
)
def test_z5_sme_size(_case, code, staff, sales, met):
    y = year(2024, staff_total=staff, st_staff=100, sales_revenue=sales, total_assets=10**7)
    z5 = cond(run(industry_code=code, years={2024: y}), "Z5")
    assert z5.met is met
    assert z5.local_rule is True


def test_z6_credit():
    assert cond(run(credit_clean=None), "Z6").met is None
    assert cond(run(credit_clean=False), "Z6").met is False
