"""Property tests: scores never decrease when a single input improves."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.cultivation.engine import IPHoldings, YearData, assess
from kechuang.cultivation.tests.test_engine_support import AS_OF, case, three_years

money = st.integers(min_value=0, max_value=400_000_000).map(Decimal)
positive_money = st.integers(min_value=1, max_value=400_000_000).map(Decimal)
small = st.integers(min_value=0, max_value=12)


@st.composite
def tech_sme_year(draw):
    staff = draw(st.integers(min_value=1, max_value=600))
    st_staff = draw(st.integers(min_value=0, max_value=staff))
    rd = draw(money)
    return YearData(
        year=2024,
        staff_total=Decimal(staff),
        st_staff=Decimal(st_staff),
        sales_revenue=draw(positive_money),
        rd_expense=rd,
        rd_expense_domestic=rd,
        cost_expense_total=draw(positive_money),
        total_assets=draw(money),
    )


def score(y, ip):
    return assess(case(years={2024: y}, ip=ip), "tech-sme", AS_OF).score


@settings(max_examples=150, deadline=None)
@given(tech_sme_year(), money, small, small)
def test_more_rd_never_lowers_the_score(y, extra, c1, c2):
    ip = IPHoldings(c1, c2, 0)
    more = replace(y, rd_expense=y.rd_expense + extra, rd_expense_domestic=y.rd_expense + extra)
    assert score(more, ip) >= score(y, ip)


@settings(max_examples=150, deadline=None)
@given(tech_sme_year(), small, small, st.integers(0, 5), st.integers(0, 5))
def test_more_ip_never_lowers_the_score(y, c1, c2, d1, d2):
    assert score(y, IPHoldings(c1 + d1, c2 + d2, 0)) >= score(y, IPHoldings(c1, c2, 0))


@settings(max_examples=150, deadline=None)
@given(tech_sme_year(), st.integers(0, 600), small, small)
def test_more_tech_staff_same_total_never_lowers_the_score(y, extra, c1, c2):
    more = replace(y, st_staff=min(y.staff_total, y.st_staff + extra))
    ip = IPHoldings(c1, c2, 0)
    assert score(more, ip) >= score(y, ip)


@settings(max_examples=150, deadline=None)
@given(tech_sme_year(), small, small)
def test_score_is_bounded_and_equals_parts(y, c1, c2):
    r = assess(case(years={2024: y}, ip=IPHoldings(c1, c2, 0)), "tech-sme", AS_OF)
    assert 0 <= r.score <= 100
    assert r.score == sum(r.parts.values())
    if r.score < 60:
        assert any(g.unit == "分" for g in r.gaps)


@settings(max_examples=100, deadline=None)
@given(small, small, st.integers(0, 5), st.integers(0, 30))
def test_high_tech_more_ip_or_conversions_never_lowers_range(c1, c2, d, conv):
    years = three_years()
    base = assess(case(years=years, ip=IPHoldings(c1, c2, 0)), "high-tech", AS_OF)
    more_ip = assess(case(years=years, ip=IPHoldings(c1, c2 + d, 0)), "high-tech", AS_OF)
    assert more_ip.score_range[0] >= base.score_range[0]
    assert more_ip.score_range[1] >= base.score_range[1]
    conv_years = {y: replace(v, conversions=(v.conversions or 0) + conv)
                  for y, v in years.items()}
    more_conv = assess(case(years=conv_years, ip=IPHoldings(c1, c2, 0)), "high-tech", AS_OF)
    assert more_conv.score_range[0] >= base.score_range[0]


@settings(max_examples=100, deadline=None)
@given(positive_money, positive_money, positive_money, money)
def test_h5_gap_closes_the_gap(s1, s2, s3, rd):
    years = three_years(y2022={"sales_revenue": s1, "rd_expense": rd},
                        y2023={"sales_revenue": s2, "rd_expense": rd},
                        y2024={"sales_revenue": s3, "rd_expense": rd})
    r = assess(case(years=years), "high-tech", AS_OF)
    gaps = [g for g in r.gaps if g.id == "H5" and "还差" in g.message]
    if r.condition("H5").met is False and gaps:
        add = Decimal(gaps[0].missing)
        fixed = dict(years)
        y = fixed[2024]
        fixed[2024] = replace(y, rd_expense=y.rd_expense + add,
                              rd_expense_domestic=y.rd_expense_domestic + add)
        assert assess(case(years=fixed), "high-tech", AS_OF).condition("H5").met is True
