"""Permission matrix for every cultivation page and API endpoint:
anonymous / no permission / permission but out of region / permission in region.

Street-level matrix: the objects live in 东湖街道; in region is 东湖's street officer, out of
region 西山's, no permission an expert. Bureau-level writes (open a campaign, set or compute
a policy, review and pay) get their own matrix with the bureau administrator in region and a
user holding the same permissions scoped to 西山街道 out of region. Every denied write is
checked to leave the listed tables and the change records untouched.
"""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from kechuang.core.testing import Audience, Endpoint, check_endpoint, make_user
from kechuang.cultivation import services
from kechuang.cultivation.choices import SubsidyKind
from kechuang.cultivation.models import (
    CampaignEntry,
    Intervention,
    SubsidyEntitlement,
    SubsidyPolicy,
    SubsidyTier,
    ZeroRdCampaign,
)
from kechuang.enterprises.models import AnnualIndicator

C = "/cultivation"
API = "/api/cultivation"
ASSESS_WRITES = (AnnualIndicator,)
CAMPAIGN_WRITES = (ZeroRdCampaign, CampaignEntry, Intervention)
SUBSIDY_WRITES = (SubsidyPolicy, SubsidyTier, SubsidyEntitlement)
ALL_403 = {Audience.OUT_OF_REGION: 403, Audience.IN_REGION: 403}


def figures(ctx, action="assess"):
    data = {"scheme": "tech-sme", "as_of": "2020-06-01", "action": action,
            "ip_class1": "1", "ip_class2": "3"}
    data.update({f"y2019_{k}": v for k, v in {
        "staff_total": "120", "st_staff": "40", "sales_revenue": "50000000",
        "total_income": "50000000", "rd_expense": "2200000", "rd_expense_domestic": "2200000",
        "cost_expense_total": "42000000", "total_assets": "60000000",
        "total_liabilities": "20000000"}.items()})
    return data


def intervention(ctx):
    return {"form": "intervention", "kind": "visit", "happened_on": "2020-04-01",
            "note": "上门走访", "new_status": "visited"}


# Exports are GETs that write an audit record, so they are checked in test_exports below.
STREET = [
    # self-assessment
    Endpoint("pick an enterprise", "GET", lambda c: f"{C}/assessment/?q={c.ent.uscc}",
             object_level=False),
    Endpoint("assessment page", "GET", lambda c: f"{C}/assessment/{c.ent.pk}/"),
    Endpoint("assessment high-tech", "GET",
             lambda c: f"{C}/assessment/{c.ent.pk}/?scheme=high-tech&as_of=2020-06-01"),
    Endpoint("assessment try", "POST", lambda c: f"{C}/assessment/{c.ent.pk}/", figures,
             writes=ASSESS_WRITES),
    Endpoint("assessment save", "POST", lambda c: f"{C}/assessment/{c.ent.pk}/",
             lambda c: figures(c, "save"), ok=302, writes=ASSESS_WRITES),
    Endpoint("assessment json", "GET",
             lambda c: f"{C}/assessment/{c.ent.pk}/result.json?as_of=2020-06-01"),
    # rule tables and pipeline
    Endpoint("rules", "GET", lambda c: f"{C}/rules/", object_level=False),
    Endpoint("pipeline", "GET", lambda c: f"{C}/pipeline/?year=2020", object_level=False),
    *[Endpoint(f"candidates {code}", "GET", lambda c, code=code: f"{C}/pipeline/{code}/?year=2020",
               object_level=False)
      for code in ("tech-sme-to-high-tech", "high-tech-expiring",
                   "above-scale-without-tech-sme", "tech-sme-candidates")],
    # 清零 (西山 has its own entry in the campaign, so it sees the campaign filtered)
    Endpoint("campaign list", "GET", lambda c: f"{C}/campaigns/", object_level=False),
    Endpoint("campaign detail", "GET", lambda c: f"{C}/campaigns/{c.campaign.pk}/",
             object_level=False),
    Endpoint("campaign chart", "GET", lambda c: f"{C}/campaigns/{c.campaign.pk}/chart.json",
             object_level=False),
    Endpoint("campaign build (bureau only)", "POST", lambda c: f"{C}/campaigns/build/",
             lambda c: {"year": 2020, "basis": "annual"}, writes=CAMPAIGN_WRITES,
             extra=ALL_403),
    Endpoint("entry detail", "GET", lambda c: f"{C}/campaign-entries/{c.entry.pk}/"),
    Endpoint("entry log intervention", "POST", lambda c: f"{C}/campaign-entries/{c.entry.pk}/",
             intervention, ok=302, writes=CAMPAIGN_WRITES),
    Endpoint("entry assign", "POST", lambda c: f"{C}/campaign-entries/{c.entry.pk}/",
             lambda c: {"form": "assign", "officer": c.sub_east.pk}, ok=302,
             writes=CAMPAIGN_WRITES),
    # 免申即享 (西山 has no entitlement, so it does not see the policy)
    Endpoint("policy list", "GET", lambda c: f"{C}/subsidies/", object_level=False),
    Endpoint("policy detail", "GET", lambda c: f"{C}/subsidies/{c.policy.pk}/"),
    Endpoint("policy compute (bureau only)", "POST", lambda c: f"{C}/subsidies/{c.policy.pk}/",
             writes=SUBSIDY_WRITES, extra=ALL_403),
    Endpoint("policy add page (bureau only)", "GET", lambda c: f"{C}/subsidies/add/",
             extra=ALL_403),
    Endpoint("entitlement detail", "GET", lambda c: f"{C}/entitlements/{c.entitlement.pk}/"),
    Endpoint("entitlement review (bureau only)", "POST",
             lambda c: f"{C}/entitlements/{c.entitlement.pk}/",
             lambda c: {"form": "review", "decision": "approve"}, writes=SUBSIDY_WRITES,
             extra=ALL_403),
    Endpoint("my subsidies", "GET", lambda c: f"{C}/subsidies/mine/", object_level=False),
    # API
    Endpoint("api rules", "GET", lambda c: f"{API}/rules/", api=True, object_level=False),
    Endpoint("api rule create (read-only)", "POST", lambda c: f"{API}/rules/",
             lambda c: {"rule_id": "X"}, api=True, extra=ALL_403),
    Endpoint("api entries", "GET", lambda c: f"{API}/campaign-entries/", api=True,
             object_level=False),
    Endpoint("api entry detail", "GET", lambda c: f"{API}/campaign-entries/{c.entry.pk}/",
             api=True),
    Endpoint("api entitlements", "GET", lambda c: f"{API}/entitlements/", api=True,
             object_level=False),
    Endpoint("api entitlement detail", "GET",
             lambda c: f"{API}/entitlements/{c.entitlement.pk}/", api=True),
]


@pytest.fixture
def ctx(regions, scored, campaign, entry_east, level_policy, bureau_admin, sub_east):
    services.compute_entitlements(actor=bureau_admin, policy=level_policy)
    return SimpleNamespace(
        regions=regions, ent=scored, campaign=campaign, entry=entry_east, policy=level_policy,
        entitlement=SubsidyEntitlement.objects.get(enterprise=scored), sub_east=sub_east)


@pytest.fixture
def street_users(expert, sub_west, sub_east):
    return {Audience.ANONYMOUS: None, Audience.NO_PERMISSION: expert,
            Audience.OUT_OF_REGION: sub_west, Audience.IN_REGION: sub_east}


@pytest.mark.parametrize("audience", list(Audience), ids=str)
@pytest.mark.parametrize("endpoint", STREET, ids=str)
def test_street_permission_matrix(endpoint, audience, ctx, street_users, client_for):
    check_endpoint(client_for(street_users[audience]), endpoint, audience, ctx)


# --- bureau-level writes -----------------------------------------------------------------------

BUREAU_PERMS = (
    "cultivation.add_zerordcampaign", "cultivation.add_campaignentry",
    "cultivation.view_subsidypolicy", "cultivation.add_subsidypolicy",
    "cultivation.change_subsidypolicy", "cultivation.view_subsidyentitlement",
    "cultivation.add_subsidyentitlement", "cultivation.change_subsidyentitlement",
    "cultivation.approve_subsidyentitlement", "cultivation.pay_subsidyentitlement",
)


def policy_form(ctx):
    return {"name": "研发费用增量补助", "kind": SubsidyKind.INCREMENT, "year": 2020,
            "rate_high_tech": "0.1", "cap_high_tech": "200000", "is_active": "on"}


BUREAU = [
    # Out of region the service refuses the district-wide write: 403, nothing written.
    Endpoint("campaign build", "POST", lambda c: f"{C}/campaigns/build/",
             lambda c: {"year": 2021, "basis": "annual"}, ok=302, out_of_region=403,
             writes=CAMPAIGN_WRITES),
    Endpoint("policy add", "POST", lambda c: f"{C}/subsidies/add/", policy_form, ok=302,
             out_of_region=403, writes=SUBSIDY_WRITES),
    Endpoint("policy edit", "POST", lambda c: f"{C}/subsidies/{c.policy.pk}/edit/",
             policy_form, ok=302, writes=SUBSIDY_WRITES),
    Endpoint("policy compute", "POST", lambda c: f"{C}/subsidies/{c.policy.pk}/", ok=302,
             writes=SUBSIDY_WRITES),
    Endpoint("entitlement review", "POST", lambda c: f"{C}/entitlements/{c.entitlement.pk}/",
             lambda c: {"form": "review", "decision": "approve", "note": "已核对"}, ok=302,
             writes=SUBSIDY_WRITES),
    Endpoint("entitlement pay", "POST", lambda c: f"{C}/entitlements/{c.approved.pk}/",
             lambda c: {"form": "pay", "paid_amount": "200000", "paid_on": "2020-08-28"},
             ok=302, writes=SUBSIDY_WRITES),
]


@pytest.fixture
def bureau_ctx(ctx, high_tech_east, bureau_admin):
    one_off = services.save_subsidy_policy(
        actor=bureau_admin, data={"name": "首次认定高企奖励", "year": 2020, "is_active": True,
                                  "kind": SubsidyKind.ONE_OFF_FIRST_HIGH_TECH,
                                  "one_off_amount": Decimal(200_000)}, tiers=[])
    services.compute_entitlements(actor=bureau_admin, policy=one_off)
    ctx.approved = services.review_entitlement(
        actor=bureau_admin, entitlement=one_off.entitlements.get(), approve=True)
    ctx.entitlement.refresh_from_db()
    return ctx


@pytest.fixture
def bureau_users(sub_east, bureau_admin, regions):
    west = make_user(perms=BUREAU_PERMS, scope="custom", scope_regions=[regions.west],
                     username="xishanjuji")
    return {Audience.ANONYMOUS: None, Audience.NO_PERMISSION: sub_east,
            Audience.OUT_OF_REGION: west, Audience.IN_REGION: bureau_admin}


@pytest.mark.parametrize("audience", list(Audience), ids=str)
@pytest.mark.parametrize("endpoint", BUREAU, ids=str)
def test_bureau_permission_matrix(endpoint, audience, bureau_ctx, bureau_users, client_for):
    check_endpoint(client_for(bureau_users[audience]), endpoint, audience, bureau_ctx)


# --- enterprise users see only their own ---------------------------------------------------

def test_enterprise_user_sees_only_its_own_assessment(ctx, ent_user, ent_west, client_for):
    client = client_for(ent_user)
    assert client.get(f"{C}/assessment/").url == f"{C}/assessment/{ctx.ent.pk}/"
    assert client.get(f"{C}/assessment/{ctx.ent.pk}/").status_code == 200
    assert client.get(f"{C}/assessment/{ent_west.pk}/").status_code == 404
    assert client.get(f"{C}/assessment/{ent_west.pk}/result.json").status_code == 404
    assert client.post(f"{C}/assessment/{ent_west.pk}/", figures(ctx)).status_code == 404


def test_enterprise_user_sees_only_its_own_subsidies(ctx, ent_user, client_for, bureau_admin,
                                                     ent_west):
    client = client_for(ent_user)
    page = client.get(f"{C}/subsidies/mine/").content.decode()
    assert "研发费用后补助" in page
    assert "应兑现 <strong>44000.00</strong> 元" in page
    api = client.get(f"{API}/entitlements/").json()
    assert [r["uscc"] for r in api["results"]] == [ctx.ent.uscc]
    for url in (f"{C}/subsidies/", f"{C}/campaigns/", f"{C}/pipeline/", f"{C}/rules/"):
        assert client.get(url).status_code == 403, url


def test_enterprise_search_is_scoped(ctx, sub_east, sub_west, client_for):
    url = f"{C}/assessment/?q={ctx.ent.uscc}"
    assert ctx.ent.name in client_for(sub_east).get(url).content.decode()
    assert ctx.ent.name not in client_for(sub_west).get(url).content.decode()


def test_out_of_region_street_sees_only_its_own_campaign_rows(ctx, sub_west, client_for,
                                                              zero_rd):
    client = client_for(sub_west)
    page = client.get(f"{C}/campaigns/{ctx.campaign.pk}/").content.decode()
    assert zero_rd.west.name in page
    assert zero_rd.east.name not in page
    data = client.get(f"{C}/campaigns/{ctx.campaign.pk}/chart.json").json()
    assert data["total"] == 1
    assert client.get(f"{API}/campaign-entries/").json()["count"] == 1


# --- exports: allowed ones are audited, denied ones write nothing ----------------------------

EXPORTS = {
    "candidates": lambda c: f"{C}/pipeline/above-scale-without-tech-sme/?year=2020&export=xlsx",
    "campaign": lambda c: f"{C}/campaigns/{c.campaign.pk}/?export=xlsx",
    "policy": lambda c: f"{C}/subsidies/{c.policy.pk}/?export=xlsx",
}


@pytest.mark.parametrize("name", EXPORTS)
def test_exports(name, ctx, street_users, client_for, changes):
    from kechuang.audit.events import EXPORT

    url = EXPORTS[name](ctx)
    expected = {Audience.ANONYMOUS: 302, Audience.NO_PERMISSION: 403,
                Audience.OUT_OF_REGION: 404 if name == "policy" else 200,
                Audience.IN_REGION: 200}
    for audience, status in expected.items():
        start = len(changes())
        response = client_for(street_users[audience]).get(url)
        assert response.status_code == status, (name, audience)
        written = changes()[start:]
        if status == 200:
            assert response["Content-Type"].startswith("application/vnd.openxmlformats")
            assert [c.action for c in written] == [EXPORT]
        else:
            assert written == []
