"""Cultivation fixtures: the 科小 worked example in the registry, a 清零 campaign, a policy."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from kechuang.accounts.choices import RoleCode
from kechuang.core.testing import (
    AnnualIndicatorFactory,
    CertificationFactory,
    EnterpriseFactory,
    make_user,
)
from kechuang.cultivation import services
from kechuang.cultivation.choices import CampaignBasis, SubsidyKind, SubsidyTierStatus

WAN = Decimal(10_000)


def worked_example_year(enterprise, year=2019, **overrides):
    """domain-rules §1.3: 职工120、科技人员30、销售5000万、研发220万、成本费用4200万."""
    data = {
        "staff_total": 120, "st_staff": 30, "sales_revenue": 5000 * WAN,
        "main_business_revenue": 5000 * WAN, "total_income": 5000 * WAN,
        "rd_expense": 220 * WAN, "rd_expense_domestic": 220 * WAN,
        "cost_expense_total": 4200 * WAN, "total_assets": 6000 * WAN,
        "total_liabilities": 2000 * WAN, "hitech_revenue": 3500 * WAN,
        "ip_class1": 0, "ip_class2": 3, "conversions": 4,
    }
    data.update(overrides)
    return AnnualIndicatorFactory(enterprise=enterprise, year=year, **data)


@pytest.fixture
def scored(ent_east):
    """東湖's enterprise with three years of figures; 2019 is the 科小 worked example (64分)."""
    worked_example_year(ent_east, 2017, sales_revenue=2000 * WAN, rd_expense=120 * WAN,
                        rd_expense_domestic=120 * WAN, main_business_revenue=2000 * WAN)
    worked_example_year(ent_east, 2018, sales_revenue=2600 * WAN, rd_expense=130 * WAN,
                        rd_expense_domestic=130 * WAN, main_business_revenue=2600 * WAN)
    worked_example_year(ent_east, 2019)
    return ent_east


@pytest.fixture
def officer(regions):
    return make_user(RoleCode.STAFF, region=regions.district, username="zerenkeyuan")


@pytest.fixture
def broker_user(regions):
    return make_user(RoleCode.BROKER, username="qinglingjingji")


@pytest.fixture
def zero_rd(regions, ent_east, ent_west):
    """规上工业 enterprises in 2020: east with zero R&D, west (industrial) unreported, one more
    with R&D, one below the 2000万 line; plus an out-of-district one."""
    ent_west.industry_code = "C3911"
    ent_west.save()
    with_rd = EnterpriseFactory(region=regions.east, industry_code="C2611")
    small = EnterpriseFactory(region=regions.east, industry_code="C2611")
    outside = EnterpriseFactory(region=regions.north, industry_code="C2611")
    big = Decimal(30_000_000)
    rows = {
        "east": AnnualIndicatorFactory(enterprise=ent_east, year=2020, rd_expense=Decimal(0),
                                       main_business_revenue=big),
        "west": AnnualIndicatorFactory(enterprise=ent_west, year=2020, rd_expense=None,
                                       main_business_revenue=big),
        "with_rd": AnnualIndicatorFactory(enterprise=with_rd, year=2020,
                                          rd_expense=Decimal(500_000),
                                          main_business_revenue=big),
        "small": AnnualIndicatorFactory(enterprise=small, year=2020, rd_expense=Decimal(0),
                                        main_business_revenue=Decimal(19_999_999)),
        "outside": AnnualIndicatorFactory(enterprise=outside, year=2020, rd_expense=Decimal(0),
                                          main_business_revenue=big),
    }
    return SimpleNamespace(east=ent_east, west=ent_west, with_rd=with_rd, small=small,
                           outside=outside, rows=rows)


@pytest.fixture
def campaign(zero_rd, staff, regions):
    return services.build_zero_rd_campaign(actor=staff, year=2020, region=regions.district,
                                           basis=CampaignBasis.ANNUAL)


@pytest.fixture
def entry_east(campaign, zero_rd):
    return campaign.entries.get(enterprise=zero_rd.east)


@pytest.fixture
def level_policy(bureau_admin):
    return services.save_subsidy_policy(
        actor=bureau_admin,
        data={"name": "研发费用后补助", "kind": SubsidyKind.LEVEL, "year": 2020,
              "local_rule": True, "is_active": True},
        tiers=[{"status": SubsidyTierStatus.HIGH_TECH, "rate": Decimal("0.05"),
                "cap": Decimal(500_000)},
               {"status": SubsidyTierStatus.TECH_SME, "rate": Decimal("0.04"),
                "cap": Decimal(300_000)},
               {"status": SubsidyTierStatus.ABOVE_SCALE, "rate": Decimal("0.02"),
                "cap": None}])


@pytest.fixture
def high_tech_east(scored):
    """東湖's enterprise: first-time 高企 certificate issued in 2019."""
    return CertificationFactory(enterprise=scored, year=2019, number="GR201933000001",
                                issued_on=dt.date(2019, 12, 2), is_first_application=True)


def compute_lists(year=2020, mode="all"):
    """Store the assessments behind the candidate lists of ``year`` (what 重新计算 does)."""
    from kechuang.cultivation import candidates

    return candidates.start(actor=None, year=year, mode=mode, inline=True)
