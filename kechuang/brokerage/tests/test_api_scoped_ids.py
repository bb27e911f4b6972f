"""Write APIs that name a row by id (a broker, demand, case, event, achievement or engineer)
do not tell a user which ids exist outside the user's scope: an id the user cannot see is
answered exactly like an id nobody uses (400, same message), nothing is stored, and an id in
scope works. The browsable API's forms offer only the rows in scope."""

import datetime as dt
from types import SimpleNamespace

import pytest

from kechuang.achievements.models import Achievement
from kechuang.brokerage import services
from kechuang.brokerage.models import Broker, Case, Event, OverseasService, TechContract, Visit
from kechuang.core.api import PK_NOT_FOUND
from kechuang.core.testing import make_user
from kechuang.demands.models import TechDemand
from kechuang.experts.models import Expert

pytestmark = pytest.mark.django_db

PERMS = ("enterprises.view_enterprise", "demands.view_techdemand", "experts.view_expert",
         "achievements.view_achievement", "brokerage.view_broker", "brokerage.view_event",
         "brokerage.view_case", "brokerage.add_case", "brokerage.change_case",
         "brokerage.view_visit", "brokerage.add_visit", "brokerage.view_techcontract",
         "brokerage.add_techcontract", "brokerage.view_overseasservice",
         "brokerage.add_overseasservice")


def _side(staff, region, enterprise, tag):
    """A broker, event, demand, open case, unpublished achievement and engineer in
    ``region``."""
    broker = Broker.objects.create(name=f"{tag}经纪", organisation=f"{tag}科技服务站",
                                   region=region)
    event = Event.objects.create(title=f"{tag}院企对接会", kind="matchmaking", organiser="科技局",
                                 starts_on=dt.date(2020, 3, 1), ends_on=dt.date(2020, 3, 1),
                                 region=region)
    demand = TechDemand.objects.create(enterprise=enterprise, region=region,
                                       title=f"{tag}注塑件翘曲变形控制",
                                       description="产品翘曲超差", field="05",
                                       status="published")
    spare = TechDemand.objects.create(enterprise=enterprise, region=region,
                                      title=f"{tag}印染废水处理", description="化学需氧量超标",
                                      field="05", status="published")
    case = services.open_case(actor=staff, demand=demand, owner=broker,
                              opened_on=dt.date(2020, 3, 2))
    achievement = Achievement.objects.create(owner_name=f"{tag}大学", title=f"{tag}低应力成型技术",
                                             abstract="降低注塑件内应力", field="05",
                                             status="pending", region=region)
    engineer = Expert.objects.create(kind="overseas_engineer", name=f"{tag} Engineer",
                                     country="德国", fields=["05"], region=region)
    return SimpleNamespace(broker=broker, event=event, demand=spare, case=case,
                           achievement=achievement, engineer=engineer)


@pytest.fixture
def ctx(regions, staff, ent_east, ent_west):
    """A writer who sees 东湖街道 (``seen``) but not 西山街道 (``hidden``)."""
    writer = make_user(perms=PERMS, scope="region_tree", region=regions.east,
                       username="donghu-writer")
    return SimpleNamespace(writer=writer, ent=ent_east,
                           seen=_side(staff, regions.east, ent_east, "东湖"),
                           hidden=_side(staff, regions.west, ent_west, "西山"))


def _contract(c):
    return {"kind": "service", "title": "服务合同", "enterprise": c.ent.uscc, "seller": "示例大学",
            "amount": "100000", "signed_on": "2020-05-01", "registered_on": "2020-05-02",
            "registration_number": "Z2020-1"}


# (url, model, body in scope, field, attribute of a side naming the row, noun in the message)
CASES = [
    ("/api/brokerage/visits/", Visit,
     lambda c: {"enterprise": c.ent.uscc, "visited_on": "2020-04-01", "kind": "phone",
                "broker": c.seen.broker.pk}, "broker", "broker", "科技经纪人"),
    ("/api/brokerage/cases/", Case,
     lambda c: {"demand": c.seen.demand.pk, "owner": c.seen.broker.pk, "title": "对接",
                "opened_on": "2020-04-01"},
     "demand", "demand", "技术需求"),
    ("/api/brokerage/cases/", Case,
     lambda c: {"demand": c.seen.demand.pk, "owner": c.seen.broker.pk, "title": "对接",
                "opened_on": "2020-04-01"},
     "owner", "broker", "科技经纪人"),
    ("/api/brokerage/cases/", Case,
     lambda c: {"demand": c.seen.demand.pk, "owner": c.seen.broker.pk, "title": "对接",
                "opened_on": "2020-04-01",
                "event": c.seen.event.pk}, "event", "event", "对接活动"),
    ("/api/brokerage/contracts/", TechContract, lambda c: {**_contract(c), "case": c.seen.case.pk},
     "case", "case", "对接案件"),
    ("/api/brokerage/contracts/", TechContract,
     lambda c: {**_contract(c), "event": c.seen.event.pk}, "event", "event", "对接活动"),
    ("/api/brokerage/contracts/", TechContract,
     lambda c: {**_contract(c), "achievement": c.seen.achievement.pk}, "achievement",
     "achievement", "科技成果"),
    ("/api/brokerage/contracts/", TechContract,
     lambda c: {**_contract(c), "broker": c.seen.broker.pk}, "broker", "broker", "科技经纪人"),
    ("/api/brokerage/overseas-services/", OverseasService,
     lambda c: {"kind": "match", "occurred_on": "2020-05-01", "enterprise": c.ent.uscc,
                "engineer": c.seen.engineer.pk, "platform": "海外工程师服务平台"},
     "engineer", "engineer", "海外工程师"),
    ("/api/brokerage/overseas-services/", OverseasService,
     lambda c: {"kind": "match", "occurred_on": "2020-05-01", "enterprise": c.ent.uscc,
                "engineer": c.seen.engineer.pk, "broker": c.seen.broker.pk},
     "broker", "broker", "科技经纪人"),
    ("/api/brokerage/overseas-services/", OverseasService,
     lambda c: {"kind": "match", "occurred_on": "2020-05-01", "enterprise": c.ent.uscc,
                "engineer": c.seen.engineer.pk, "platform": "海外工程师服务平台",
                "case": c.seen.case.pk}, "case", "case", "对接案件"),
]
IDS = [f"{url.split('/')[3]}.{field}" for url, _m, _b, field, _a, _n in CASES]


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


@pytest.mark.parametrize(("url", "model", "body", "field", "attr", "noun"), CASES, ids=IDS)
def test_an_id_out_of_scope_is_answered_like_a_missing_one(url, model, body, field, attr, noun,
                                                           ctx, client_for, changes):
    client = client_for(ctx.writer)
    hidden_row = getattr(ctx.hidden, attr)
    hidden_id = hidden_row.pk
    missing_id = type(hidden_row).objects.order_by("-pk").first().pk + 1000
    before = model.objects.count()
    start = changes()

    hidden = _post(client, url, {**body(ctx), field: hidden_id})
    missing = _post(client, url, {**body(ctx), field: missing_id})

    assert (hidden.status_code, missing.status_code) == (400, 400)
    assert hidden.json() == {field: [PK_NOT_FOUND.format(pk_value=hidden_id, noun=noun)]}
    assert missing.json() == {field: [PK_NOT_FOUND.format(pk_value=missing_id, noun=noun)]}
    assert model.objects.count() == before
    assert changes() == start


@pytest.mark.parametrize(("url", "model", "body", "field", "attr", "noun"), CASES, ids=IDS)
def test_an_id_in_scope_is_accepted(url, model, body, field, attr, noun, ctx, client_for):
    before = set(model.objects.values_list("pk", flat=True))

    response = _post(client_for(ctx.writer), url, body(ctx))

    assert response.status_code == 201, response.content.decode()
    created = model.objects.exclude(pk__in=before).get()
    assert getattr(created, field) == getattr(ctx.seen, attr)


def test_a_published_achievement_out_of_scope_may_be_named(ctx, client_for):
    published = ctx.hidden.achievement
    published.status = "published"
    published.save()

    response = _post(client_for(ctx.writer), "/api/brokerage/contracts/",
                     {**_contract(ctx), "achievement": published.pk})

    assert response.status_code == 201, response.content.decode()
    assert TechContract.objects.get().achievement == published


def test_an_id_of_the_wrong_type_gets_a_chinese_message(ctx, client_for):
    response = _post(client_for(ctx.writer), "/api/brokerage/contracts/",
                     {**_contract(ctx), "broker": True})

    assert response.status_code == 400
    assert response.json() == {"broker": ["科技经纪人应填写记录编号（整数），收到的是bool类型"]}
    assert TechContract.objects.count() == 0


def test_a_case_the_user_may_see_but_not_change_is_refused_for_a_contract(ctx, regions,
                                                                           client_for):
    reader = make_user(perms=tuple(p for p in PERMS if p != "brokerage.change_case"),
                       scope="region_tree", region=regions.east, username="donghu-reader")

    response = _post(client_for(reader), "/api/brokerage/contracts/",
                     {**_contract(ctx), "case": ctx.seen.case.pk})

    assert response.status_code == 400
    assert response.json() == {"case": [PK_NOT_FOUND.format(pk_value=ctx.seen.case.pk,
                                                            noun="对接案件")]}
    assert TechContract.objects.count() == 0


# (url, attributes of a side whose rows the form offers, the label each row shows)
FORMS = [
    ("/api/brokerage/contracts/", (("broker", "name"), ("event", "title"), ("case", "title"),
                                   ("achievement", "title"))),
    ("/api/brokerage/cases/", (("broker", "name"), ("event", "title"), ("demand", "title"))),
    ("/api/brokerage/overseas-services/", (("broker", "name"), ("engineer", "name"),
                                           ("case", "title"))),
    ("/api/brokerage/visits/", (("broker", "name"),)),
]


@pytest.mark.parametrize(("url", "rows"), FORMS, ids=[f[0] for f in FORMS])
def test_the_browsable_api_form_offers_only_rows_in_scope(url, rows, ctx, client_for):
    html = client_for(ctx.writer).get(url, HTTP_ACCEPT="text/html").content.decode()

    for attr, label in rows:
        assert getattr(getattr(ctx.seen, attr), label) in html
        assert getattr(getattr(ctx.hidden, attr), label) not in html



@pytest.mark.parametrize(("url", "name", "attr"), [
    ("/api/brokerage/visits/", "broker", "broker"),
    ("/api/brokerage/cases/", "owner", "broker"),
    ("/api/brokerage/cases/", "event", "event"),
    ("/api/brokerage/contracts/", "case", "case"),
    ("/api/brokerage/overseas-services/", "broker", "broker"),
])
def test_a_list_filtered_by_an_id_out_of_scope_answers_like_a_missing_id(url, name, attr, ctx,
                                                                         client_for):
    client = client_for(ctx.writer)
    row = getattr(ctx.hidden, attr)
    missing_id = type(row).objects.order_by("-pk").first().pk + 1000

    hidden = client.get(url, {name: row.pk})
    missing = client.get(url, {name: missing_id})
    seen = client.get(url, {name: getattr(ctx.seen, attr).pk})

    assert (hidden.status_code, missing.status_code, seen.status_code) == (400, 400, 200)
    assert hidden.json() == missing.json()
