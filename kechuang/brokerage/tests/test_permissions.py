"""Permission matrix per page and endpoint: anonymous / no permission / out of region / in
region; denied writes change nothing."""

import datetime as dt
import json
from types import SimpleNamespace

import pytest

from kechuang.accounts.choices import RoleCode
from kechuang.brokerage import services
from kechuang.brokerage.models import Broker, Case, CaseCandidate, TechContract, Visit
from kechuang.core.testing import Audience, Endpoint, check_endpoint, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(staff, broker, broker_user, portfolio, demand, achievement, engineer, ent_east,
        regions):
    case = services.open_case(actor=broker_user, demand=demand, opened_on=dt.date(2020, 3, 1))
    cand = services.propose_candidate(actor=broker_user, case=case, achievement=achievement,
                                      on=dt.date(2020, 3, 2))
    visit = services.log_visit(actor=broker_user, data={
        "enterprise": ent_east, "visited_on": dt.date(2020, 3, 3), "kind": "on_site"})
    contract = services.register_contract(actor=staff, data={
        "kind": "consulting", "title": "咨询合同", "enterprise": ent_east, "seller": "院所",
        "amount": "5000", "signed_on": dt.date(2020, 3, 1), "registered_on": dt.date(2020, 3, 2),
        "registration_number": "P1"})
    # a broker serving 东湖街道, whom the 街道 user may name (the district-wide one is out of
    # that user's scope and is answered like an id that does not exist)
    east_broker = Broker.objects.create(name="东湖经纪", organisation="东湖科技服务站",
                                        region=regions.east)
    return SimpleNamespace(case=case, cand=cand, visit=visit, contract=contract,
                           ent=ent_east, regions=regions, east_broker=east_broker)


def _audience_users(ctx_ns, broker_user, regions):
    return {
        Audience.NO_PERMISSION: make_user(RoleCode.SYSTEM_ADMIN, username="sys"),
        Audience.OUT_OF_REGION: make_user(RoleCode.SUBDISTRICT, region=regions.west,
                                          username="west"),
        Audience.IN_REGION: make_user(RoleCode.SUBDISTRICT, region=regions.east,
                                      username="east"),
    }


ENDPOINTS = [
    Endpoint("visit list", "GET", lambda c: "/brokerage/visits/", object_level=False),
    Endpoint("visit detail", "GET", lambda c: f"/brokerage/visits/{c.visit.pk}/"),
    Endpoint("case detail", "GET", lambda c: f"/brokerage/cases/{c.case.pk}/"),
    Endpoint("contract detail", "GET", lambda c: f"/brokerage/contracts/{c.contract.pk}/"),
    Endpoint("case close", "POST", lambda c: f"/brokerage/cases/{c.case.pk}/close/",
             data=lambda c: {"outcome": "closed", "note": "企业放弃"}, ok=302,
             writes=(Case,)),
    Endpoint("api visits", "GET", lambda c: "/api/brokerage/visits/", api=True,
             object_level=False),
    Endpoint("api case", "GET", lambda c: f"/api/brokerage/cases/{c.case.pk}/", api=True),
    Endpoint("api visit create", "POST", lambda c: "/api/brokerage/visits/", api=True,
             data=lambda c: {"enterprise": c.ent.uscc, "visited_on": "2020-04-01",
                             "kind": "phone", "broker": c.east_broker.pk},
             # a credit code the user cannot see is answered like one nobody registered
             ok=201, out_of_region=400, writes=(Visit,)),
    Endpoint("api respond", "POST",
             lambda c: f"/api/brokerage/candidates/{c.cand.pk}/respond/", api=True,
             data=lambda c: {"accepted": False, "reason": "price"}, writes=(CaseCandidate,)),
]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
@pytest.mark.parametrize("audience", list(Audience), ids=str)
def test_matrix(endpoint, audience, ctx, broker_user, regions, client_for):
    users = _audience_users(ctx, broker_user, regions)
    client = client_for(users.get(audience))
    response = check_endpoint(client, endpoint, audience, ctx)
    if audience == Audience.OUT_OF_REGION and not endpoint.object_level and \
            endpoint.method == "GET" and endpoint.api:
        assert json.loads(response.content)["results"] == [] if "results" in json.loads(
            response.content) else json.loads(response.content) == []


def test_broker_queue_and_kpi_pages(ctx, broker_user, client_for):
    client = client_for(broker_user)
    page = client.get("/brokerage/")
    assert page.status_code == 200
    assert ctx.case.title in page.content.decode()
    kpi = client.get("/brokerage/kpi/?year=2020")
    assert kpi.status_code == 200
    assert "王经纪" in kpi.content.decode()


def test_bad_contract_amount_via_api_changes_nothing(ctx, staff, client_for):
    before = TechContract.objects.count()
    response = client_for(staff).post("/api/brokerage/contracts/", {
        "kind": "service", "title": "服务合同", "enterprise": ctx.ent.uscc, "seller": "院所",
        "amount": "0", "signed_on": "2020-05-01", "registered_on": "2020-05-02",
        "registration_number": "Z1"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["amount"] == ["合同金额必须大于0元"]
    assert TechContract.objects.count() == before


def test_export_is_scoped_and_audited(ctx, regions, client_for):
    from kechuang.audit.models import ChangeRecord

    east = make_user(RoleCode.SUBDISTRICT, region=regions.east, username="east2")
    response = client_for(east).get("/brokerage/contracts/?export=xlsx")
    assert response.status_code == 200
    assert ChangeRecord.objects.filter(action="export", actor=east).count() == 1
