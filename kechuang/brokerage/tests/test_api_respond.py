"""``POST /api/brokerage/candidates/<id>/respond/``: the enterprise and the expert asked answer
a push through the API; bad answers are refused on the field the caller sent and change
nothing."""

import datetime as dt
import json
from types import SimpleNamespace

import pytest

from kechuang.brokerage import services
from kechuang.brokerage.models import CaseCandidate, OverseasService

pytestmark = pytest.mark.django_db

URL = "/api/brokerage/candidates/{}/respond/"


@pytest.fixture
def pushes(broker_user, portfolio, demand, achievement, engineer):
    case = services.open_case(actor=broker_user, demand=demand, opened_on=dt.date(2020, 3, 1))
    return SimpleNamespace(
        achievement=services.propose_candidate(actor=broker_user, case=case,
                                               achievement=achievement, on=dt.date(2020, 3, 2)),
        engineer=services.propose_candidate(actor=broker_user, case=case, expert=engineer,
                                            on=dt.date(2020, 3, 2)))


def _post(client, candidate, body):
    return client.post(URL.format(candidate.pk), json.dumps(body),
                       content_type="application/json")


def test_enterprise_declines_a_push_with_a_reason(pushes, ent_user, client_for, changes):
    response = _post(client_for(ent_user), pushes.achievement,
                     {"accepted": False, "reason": "price", "note": "报价超出预算"})

    assert response.status_code == 200
    assert response.json()["response"] == "declined"
    assert response.json()["decline_reason"] == "price"
    pushes.achievement.refresh_from_db()
    assert (pushes.achievement.response, pushes.achievement.decline_reason,
            pushes.achievement.response_note) == ("declined", "price", "报价超出预算")
    assert [(c.action, c.object_id, c.actor_id) for c in changes()] == [
        ("brokerage.record_response", str(pushes.achievement.pk), ent_user.pk)]


def test_expert_asked_accepts_a_push(pushes, engineer_user, client_for, changes):
    response = _post(client_for(engineer_user), pushes.engineer, {"accepted": True})

    assert response.status_code == 200
    pushes.engineer.refresh_from_db()
    assert pushes.engineer.response == "accepted"
    assert [c.action for c in changes()] == ["brokerage.record_response",
                                               "brokerage.record_overseas_service"]
    assert OverseasService.objects.filter(engineer=pushes.engineer.expert).count() == 1


@pytest.mark.parametrize(("_case", "body", "errors"), [
    ("unknown reason code", {"accepted": False, "reason": "太贵"},
     {"reason": ["“太贵” 不是合法选项。"]}),
    ("decline without a reason", {"accepted": False},
     {"reason": ["婉拒须选择原因：技术不匹配、成熟度不够、价格、地域、已有方案、其他"]}),
    ("accept with a reason", {"accepted": True, "reason": "price"},
     {"reason": ["接受时不填写婉拒原因"]}),
    ("note too long", {"accepted": True, "note": "长" * 256},
     {"note": ["请确保这个字段不能超过 255 个字符。"]}),
])
def test_bad_answer_is_refused_and_changes_nothing(_case, body, errors, pushes, ent_user,
                                                   client_for, changes):
    before = list(CaseCandidate.objects.order_by("pk").values())

    response = _post(client_for(ent_user), pushes.achievement, body)

    assert response.status_code == 400
    assert response.json() == errors
    assert list(CaseCandidate.objects.order_by("pk").values()) == before
    assert changes() == []


def test_expert_cannot_answer_a_push_addressed_to_someone_else(pushes, engineer_user,
                                                               client_for, changes):
    before = list(CaseCandidate.objects.order_by("pk").values())

    response = _post(client_for(engineer_user), pushes.achievement,
                     {"accepted": False, "reason": "price"})

    assert response.status_code == 404
    assert list(CaseCandidate.objects.order_by("pk").values()) == before
    assert changes() == []


def test_schema_describes_respond_and_hides_the_refused_create(staff, client_for):
    schema = client_for(staff).get("/api/schema/?format=json").json()

    assert "post" not in schema["paths"]["/api/brokerage/candidates/"]
    respond = schema["paths"]["/api/brokerage/candidates/{id}/respond/"]["post"]
    request_ref = respond["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    response_ref = respond["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert response_ref == "#/components/schemas/CaseCandidate"
    reason = schema["components"]["schemas"][request_ref.rsplit("/", 1)[1]]["properties"][
        "reason"]
    enum_ref = next(part["$ref"] for part in reason["oneOf"] if "$ref" in part)
    assert enum_ref == "#/components/schemas/DeclineReasonEnum"
    assert schema["components"]["schemas"][enum_ref.rsplit("/", 1)[1]]["enum"] == [
        "tech_mismatch", "immature", "price", "location", "has_solution", "other"]


def test_answer_on_a_closed_case_is_refused(pushes, broker_user, ent_user, client_for,
                                            changes):
    services.close_case(actor=broker_user, case=pushes.achievement.case, outcome="closed",
                        note="企业放弃", on=dt.date(2020, 3, 5))
    before = list(CaseCandidate.objects.order_by("pk").values())
    records = changes()

    response = _post(client_for(ent_user), pushes.achievement,
                     {"accepted": False, "reason": "price"})

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["案件已关闭，不能再登记进展或结果"]}
    assert list(CaseCandidate.objects.order_by("pk").values()) == before
    assert changes() == records
