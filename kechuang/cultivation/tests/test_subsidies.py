"""免申即享 arithmetic on hand-worked examples, then the services that store and pay it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kechuang.core.errors import OutOfScope
from kechuang.core.testing import AnnualIndicatorFactory, CertificationFactory, make_user
from kechuang.cultivation import events, services, subsidies
from kechuang.cultivation.choices import (
    EntitlementStatus,
    SubsidyKind,
    SubsidyTierStatus,
)
from kechuang.cultivation.models import SubsidyEntitlement, SubsidyPolicy
from kechuang.enterprises.choices import CertificationKind

D = Decimal
HT, SME, ABOVE = (SubsidyTierStatus.HIGH_TECH, SubsidyTierStatus.TECH_SME,
                  SubsidyTierStatus.ABOVE_SCALE)
TIERS = [subsidies.Tier(HT, D("0.05"), D(500_000)), subsidies.Tier(SME, D("0.04"), D(300_000)),
         subsidies.Tier(ABOVE, D("0.02"), None)]


def facts(rd=None, prev=None, statuses=(), first=False):
    return subsidies.Facts(base_year=2019, rd_base=rd, rd_previous=prev,
                           statuses=frozenset(statuses), first_high_tech=first)


# --- pure computations ---------------------------------------------------------------------

def test_level_high_tech_below_cap():
    # 4,000,000 × 5% = 200,000.00
    out = subsidies.compute(SubsidyKind.LEVEL, TIERS, facts(D(4_000_000), statuses={HT}))
    assert (out.qualifies, out.tier, out.amount) == (True, HT, D("200000.00"))
    assert out.base == D(4_000_000)
    assert "4,000,000.00元（400.00万元） × 5% = 200,000.00元（20.00万元）" in out.computation


def test_level_capped():
    # 12,345,678.91 × 5% = 617,283.9455 → above the 500,000 cap
    out = subsidies.compute(SubsidyKind.LEVEL, TIERS, facts(D("12345678.91"), statuses={HT}))
    assert out.amount == D("500000.00")
    assert "超过封顶 500,000.00元（50.00万元），按封顶金额兑现" in out.lines


def test_cap_is_inclusive():
    # exactly the cap: 10,000,000 × 5% = 500,000 → paid in full, no cap line
    out = subsidies.compute(SubsidyKind.LEVEL, TIERS, facts(D(10_000_000), statuses={HT}))
    assert out.amount == D("500000.00")
    assert not any("封顶" in line for line in out.lines)


def test_rounding_is_half_up_to_the_fen():
    # 100.50 × 5% = 5.025 → 5.03 (banker's rounding would give 5.02)
    out = subsidies.compute(SubsidyKind.LEVEL, TIERS, facts(D("100.50"), statuses={HT}))
    assert out.amount == D("5.03")


def test_highest_status_decides_the_tier():
    # 科小 and 规上: the 科小 tier (4%, cap 300,000) applies; 1,000,000 × 4% = 40,000
    out = subsidies.compute(SubsidyKind.LEVEL, TIERS, facts(D(1_000_000), statuses={SME, ABOVE}))
    assert (out.tier, out.amount) == (SME, D("40000.00"))
    assert "按“科技型中小企业”档计算" in out.lines[0]


def test_uncapped_tier():
    # 规上 only: 30,000,000 × 2% = 600,000, no cap on that tier
    out = subsidies.compute(SubsidyKind.LEVEL, TIERS, facts(D(30_000_000), statuses={ABOVE}))
    assert out.amount == D("600000.00")


def test_no_status_no_subsidy():
    out = subsidies.compute(SubsidyKind.LEVEL, TIERS, facts(D(1_000_000)))
    assert out.qualifies is False
    assert out.tier == ""
    assert out.amount == 0


def test_missing_rd_is_explained_not_guessed():
    out = subsidies.compute(SubsidyKind.LEVEL, TIERS, facts(None, statuses={HT}))
    assert out.qualifies is False
    assert out.tier == HT
    assert "缺少2019年研发费用" in out.computation


def test_increment_positive_growth():
    # (1,500,000 − 1,000,000) × 10% = 50,000
    tiers = [subsidies.Tier(HT, D("0.10"), D(200_000))]
    out = subsidies.compute(SubsidyKind.INCREMENT, tiers,
                            facts(D(1_500_000), D(1_000_000), statuses={HT}))
    assert (out.base, out.amount) == (D(500_000), D("50000.00"))


def test_increment_negative_growth_is_zero():
    tiers = [subsidies.Tier(HT, D("0.10"), D(200_000))]
    out = subsidies.compute(SubsidyKind.INCREMENT, tiers,
                            facts(D(800_000), D(1_000_000), statuses={HT}))
    assert out.qualifies is True
    assert (out.base, out.amount) == (D(0), D("0.00"))
    assert "增量不为正，按0计算" in out.lines
    assert "= -200,000.00元（-20.00万元）" in out.computation


def test_increment_needs_the_previous_year():
    tiers = [subsidies.Tier(HT, D("0.10"), None)]
    out = subsidies.compute(SubsidyKind.INCREMENT, tiers, facts(D(800_000), None, {HT}))
    assert out.qualifies is False
    assert "缺少2018年研发费用" in out.computation


def test_one_off_first_time_high_tech():
    out = subsidies.compute(SubsidyKind.ONE_OFF_FIRST_HIGH_TECH, [], facts(first=True),
                            D(200_000))
    assert (out.qualifies, out.amount) == (True, D("200000.00"))
    assert out.lines == ["2019年首次认定为高新技术企业", "一次性奖励 200,000.00元（20.00万元）"]
    out = subsidies.compute(SubsidyKind.ONE_OFF_FIRST_HIGH_TECH, [],
                            facts(statuses={HT}), D(200_000))
    assert out.qualifies is False
    assert out.amount == 0


# --- services --------------------------------------------------------------------------------



@pytest.fixture
def one_off_policy(bureau_admin):
    return services.save_subsidy_policy(
        actor=bureau_admin,
        data={"name": "首次认定高企奖励", "kind": SubsidyKind.ONE_OFF_FIRST_HIGH_TECH,
              "year": 2020, "one_off_amount": D(200_000), "is_active": True},
        tiers=[])


@pytest.mark.django_db
def test_policy_validation_names_the_field(bureau_admin):
    with pytest.raises(ValidationError) as exc:
        services.save_subsidy_policy(
            actor=bureau_admin, data={"name": "", "kind": SubsidyKind.LEVEL, "year": 2020},
            tiers=[{"status": HT, "rate": D("1.5"), "cap": None}])
    assert exc.value.message_dict == {
        "name": ["请填写政策名称"],
        "tiers": ["高新技术企业档的比例应大于0且不超过1（如0.05表示5%）"],
    }
    assert not SubsidyPolicy.objects.exists()


@pytest.mark.django_db
def test_policy_needs_district_scope(sub_east, changes):
    with pytest.raises(OutOfScope):
        services.save_subsidy_policy(
            actor=sub_east, data={"name": "街道政策", "kind": SubsidyKind.LEVEL, "year": 2020},
            tiers=[{"status": HT, "rate": D("0.05"), "cap": None}])
    assert not SubsidyPolicy.objects.exists()
    assert changes() == []


@pytest.mark.django_db
def test_compute_for_every_enterprise(level_policy, high_tech_east, ent_west, bureau_admin,
                                      changes):
    # east: 高企 valid in 2019 with R&D 2,200,000 → 5% = 110,000
    # west: 规上 only (industrial, main revenue 2,500万) with R&D 1,500,000 → 2% = 30,000
    ent_west.industry_code = "C3911"
    ent_west.save()
    AnnualIndicatorFactory(enterprise=ent_west, year=2019, rd_expense=D(1_500_000))
    counts = services.compute_entitlements(actor=bureau_admin, policy=level_policy)
    assert counts == {"created": 2, "updated": 0, "removed": 0, "locked": 0}
    east = SubsidyEntitlement.objects.get(enterprise=high_tech_east.enterprise)
    west = SubsidyEntitlement.objects.get(enterprise=ent_west)
    assert (east.tier, east.amount, east.rate) == (HT, D("110000.00"), D("0.05"))
    assert (west.tier, west.amount) == (ABOVE, D("30000.00"))
    assert "2,200,000.00元（220.00万元） × 5% = 110,000.00元（11.00万元）" in east.computation
    assert [c.action for c in changes()] == [events.COMPUTE_ENTITLEMENT] * 2
    # Recomputing with the same data changes nothing.
    assert services.compute_entitlements(actor=bureau_admin, policy=level_policy) == {
        "created": 0, "updated": 0, "removed": 0, "locked": 0}


@pytest.mark.django_db
def test_reviewed_rows_are_not_recomputed(level_policy, high_tech_east, bureau_admin):
    services.compute_entitlements(actor=bureau_admin, policy=level_policy)
    row = SubsidyEntitlement.objects.get()
    services.review_entitlement(actor=bureau_admin, entitlement=row, approve=True)
    ind = high_tech_east.enterprise.annual_indicators.get(year=2019)
    ind.rd_expense = D(3_000_000)
    ind.save()
    counts = services.compute_entitlements(actor=bureau_admin, policy=level_policy)
    assert counts["locked"] == 1
    row.refresh_from_db()
    assert row.amount == D("110000.00")


@pytest.mark.django_db
def test_one_off_only_for_first_time(one_off_policy, high_tech_east, ent_west, bureau_admin):
    CertificationFactory(enterprise=ent_west, year=2019, number="GR201933000002",
                         is_first_application=False)
    services.compute_entitlements(actor=bureau_admin, policy=one_off_policy)
    rows = list(SubsidyEntitlement.objects.values_list("enterprise_id", "amount"))
    assert rows == [(high_tech_east.enterprise_id, D("200000.00"))]


@pytest.mark.django_db
def test_review_and_payment(one_off_policy, high_tech_east, bureau_admin, changes):
    services.compute_entitlements(actor=bureau_admin, policy=one_off_policy)
    row = SubsidyEntitlement.objects.get()
    with pytest.raises(ValidationError) as exc:  # not approved yet
        services.record_entitlement_payment(actor=bureau_admin, entitlement=row,
                                            amount=D(200_000), paid_on=dt.date(2020, 8, 28))
    assert "status" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.review_entitlement(actor=bureau_admin, entitlement=row, approve=False)
    assert exc.value.message_dict == {"review_note": ["不予兑现须填写理由"]}
    row = services.review_entitlement(actor=bureau_admin, entitlement=row, approve=True,
                                      note="已核对")
    assert row.status == EntitlementStatus.APPROVED
    assert row.reviewed_by == bureau_admin
    with pytest.raises(ValidationError) as exc:
        services.record_entitlement_payment(actor=bureau_admin, entitlement=row,
                                            amount=D("200000.01"), paid_on=dt.date(2020, 8, 28))
    assert exc.value.message_dict == {"paid_amount": ["实付金额不能超过应兑现金额200,000.00元"]}
    row = services.record_entitlement_payment(actor=bureau_admin, entitlement=row,
                                              amount=D(200_000), paid_on=dt.date(2020, 8, 28),
                                              reference="CZ-1")
    assert (row.status, row.paid_amount, row.paid_on) == (
        EntitlementStatus.PAID, D("200000.00"), dt.date(2020, 8, 28))
    actions = [c.action for c in changes()]
    assert actions[-2:] == [events.APPROVE_ENTITLEMENT, events.PAY_ENTITLEMENT]
    assert changes()[-1].before["status"] == "approved"
    with pytest.raises(ValidationError):  # cannot review twice
        services.review_entitlement(actor=bureau_admin, entitlement=row, approve=True)


@pytest.mark.django_db
def test_out_of_region_reviewer_changes_nothing(one_off_policy, high_tech_east, bureau_admin,
                                                regions, changes):
    services.compute_entitlements(actor=bureau_admin, policy=one_off_policy)
    row = SubsidyEntitlement.objects.get()
    west_reviewer = make_user(perms=("cultivation.approve_subsidyentitlement",),
                              scope="custom", scope_regions=[regions.west])
    start = len(changes())
    with pytest.raises(OutOfScope):
        services.review_entitlement(actor=west_reviewer, entitlement=row, approve=True)
    row.refresh_from_db()
    assert row.status == EntitlementStatus.COMPUTED
    assert len(changes()) == start


@pytest.mark.django_db
def test_catalogue_counts_paid_amounts(one_off_policy, high_tech_east, bureau_admin):
    from kechuang.indicators.catalogue import Period, all_indicators

    services.compute_entitlements(actor=bureau_admin, policy=one_off_policy)
    row = services.review_entitlement(actor=bureau_admin,
                                      entitlement=SubsidyEntitlement.objects.get(), approve=True)
    services.record_entitlement_payment(actor=bureau_admin, entitlement=row, amount=D(150_000),
                                        paid_on=dt.date(2020, 8, 28))
    indicator = all_indicators()["subsidy_paid_amount"]
    qs = indicator.source(Period.year(2020), None)
    assert qs.aggregate(v=indicator.aggregate)["v"] == D("150000.00")
    assert indicator.source(Period.year(2019), None).count() == 0
    assert CertificationKind.HIGH_TECH  # the kind the one-off policy reads
