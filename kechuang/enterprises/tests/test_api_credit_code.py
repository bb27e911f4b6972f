"""Write APIs that name an enterprise by its 统一社会信用代码 do not tell a user which codes
exist outside the user's scope: a registered code the user cannot see is answered exactly like
a code nobody registered. A malformed code keeps its precise message (it reveals nothing)."""

import pytest

from kechuang.brokerage.models import OverseasService, TechContract, Visit
from kechuang.core.testing import make_user, uscc_for
from kechuang.core.uscc import make_uscc
from kechuang.demands.models import TechDemand
from kechuang.enterprises.api.serializers import ENTERPRISE_NOT_FOUND
from kechuang.enterprises.models import AnnualIndicator, Award, Certification, Standard
from kechuang.matching.tests.factories import make_expert

pytestmark = pytest.mark.django_db

# every API endpoint that takes an enterprise's credit code: (url, body without it, model)
WRITES = [
    ("/api/demands/demands/", lambda c: {"title": "印染废水处理工艺",
                                         "description": "印染废水化学需氧量超标需要处理工艺"},
     TechDemand),
    ("/api/enterprises/indicators/", lambda c: {"year": 2018, "staff_total": 10},
     AnnualIndicator),
    ("/api/enterprises/certifications/", lambda c: {"kind": "national_tech_sme", "year": 2018,
                                                    "status": "granted"}, Certification),
    ("/api/enterprises/awards/", lambda c: {"name": "国家科学技术进步奖", "level": "national",
                                            "grade": "second", "org_rank": 2, "year": 2018,
                                            "issuer": "国务院"}, Award),
    ("/api/enterprises/standards/", lambda c: {"code": "GB/T 30001-2018", "level": "national",
                                               "name": "智能装备通用技术条件", "role": "lead",
                                               "drafting_rank": 1,
                                               "published_on": "2018-06-01"}, Standard),
    ("/api/brokerage/visits/", lambda c: {"visited_on": "2020-04-01", "kind": "phone",
                                          "broker": c.broker.pk}, Visit),
    ("/api/brokerage/contracts/", lambda c: {"kind": "service", "title": "服务合同",
                                             "seller": "示例大学", "amount": "100000",
                                             "signed_on": "2020-05-01",
                                             "registered_on": "2020-05-02",
                                             "registration_number": "Z2020-1"}, TechContract),
    ("/api/brokerage/overseas-services/", lambda c: {"kind": "match",
                                                     "occurred_on": "2020-05-01",
                                                     "engineer": c.engineer.pk,
                                                     "platform": "海外工程师服务平台"},
     OverseasService),
]
PERMS = ("enterprises.view_enterprise", "demands.view_techdemand", "demands.add_techdemand",
         "demands.change_techdemand",
         "enterprises.add_annualindicator", "enterprises.add_certification",
         "enterprises.add_award", "enterprises.add_standard", "brokerage.add_visit",
         "brokerage.add_techcontract", "brokerage.add_overseasservice", "brokerage.view_broker",
         # an engineer named by id must be one the writer may see (core.api scoped fields)
         "experts.view_expert")


@pytest.fixture
def ctx(regions, ent_east, ent_west, bureau_admin):
    """A writer who sees 东湖街道 (``ent_east``) but not 西山街道 (``ent_west``)."""
    from types import SimpleNamespace

    from kechuang.brokerage.models import Broker

    writer = make_user(perms=PERMS, scope="region_tree", region=regions.east,
                       username="donghu-writer")
    broker = Broker.objects.create(user=writer, name="王经纪", organisation="示范技术转移中心",
                                   region=regions.east, grade="senior")
    engineer = make_expert(bureau_admin, regions.east, "Dr. Example", "锂电池",
                           kind="overseas_engineer", country="德国")
    return SimpleNamespace(writer=writer, broker=broker, engineer=engineer, seen=ent_east,
                           unseen=ent_west)


def _post(client, url, body, code):
    return client.post(url, {**body, "enterprise": code}, content_type="application/json")


@pytest.mark.parametrize(("url", "body", "model"), WRITES, ids=[w[0] for w in WRITES])
def test_a_code_out_of_scope_is_answered_like_an_unregistered_one(url, body, model, ctx,
                                                                  client_for, changes):
    client = client_for(ctx.writer)
    unregistered = uscc_for(987654)
    start = changes()

    unseen = _post(client, url, body(ctx), ctx.unseen.uscc)
    missing = _post(client, url, body(ctx), unregistered)

    assert (unseen.status_code, missing.status_code) == (400, 400)
    assert unseen.json() == {"enterprise": [ENTERPRISE_NOT_FOUND.format(value=ctx.unseen.uscc)]}
    assert missing.json() == {"enterprise": [ENTERPRISE_NOT_FOUND.format(value=unregistered)]}
    assert model.objects.count() == 0
    assert changes() == start


@pytest.mark.parametrize(("url", "body", "model"), WRITES, ids=[w[0] for w in WRITES])
def test_a_malformed_code_keeps_its_precise_message(url, body, model, ctx, client_for):
    client = client_for(ctx.writer)
    good = make_uscc("91330106MA27XY123")
    wrong_check = good[:17] + ("0" if good[17] != "0" else "1")

    response = _post(client, url, body(ctx), wrong_check)

    assert response.status_code == 400
    message = f"统一社会信用代码校验位错误：第18位应为“{good[17]}”"
    assert response.json() == {"enterprise": [message]}
    assert model.objects.count() == 0


@pytest.mark.parametrize(("url", "body", "model"), WRITES, ids=[w[0] for w in WRITES])
def test_a_code_in_scope_is_accepted(url, body, model, ctx, client_for):
    response = _post(client_for(ctx.writer), url, body(ctx), ctx.seen.uscc)

    assert response.status_code == 201, response.content.decode()
    assert model.objects.get().enterprise == ctx.seen


def test_an_update_may_send_back_the_enterprise_it_shows(ctx, client_for):
    from kechuang.demands import services

    demand = services.create_demand(actor=ctx.writer, enterprise=ctx.seen, data={
        "title": "印染废水处理工艺", "description": "印染废水化学需氧量超标需要处理工艺"})
    client = client_for(ctx.writer)
    shown = client.get(f"/api/demands/demands/{demand.pk}/").json()

    response = client.put(f"/api/demands/demands/{demand.pk}/",
                          {"enterprise": shown["enterprise"], "title": "印染废水深度处理工艺",
                           "description": shown["description"]},
                          content_type="application/json")

    assert response.status_code == 200, response.content.decode()
    assert response.json()["title"] == "印染废水深度处理工艺"


def test_the_browsable_api_form_lists_only_enterprises_in_scope(ctx, client_for):
    html = client_for(ctx.writer).get("/api/demands/demands/",
                                      HTTP_ACCEPT="text/html").content.decode()
    assert ctx.seen.uscc in html
    assert ctx.unseen.uscc not in html
    assert ctx.unseen.name not in html
