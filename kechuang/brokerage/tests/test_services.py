"""Service rules: bad input gets a Chinese message and changes nothing; audit rows; scope."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kechuang.audit.models import ChangeRecord
from kechuang.brokerage import services
from kechuang.brokerage.models import (
    Case,
    CaseCandidate,
    MeetingSlot,
    PortfolioAssignment,
    TechContract,
    Visit,
)
from kechuang.core.errors import OutOfScope
from kechuang.core.testing import db_state
from kechuang.enterprises.models import Enterprise

pytestmark = pytest.mark.django_db


def _event(staff, regions, **kw):
    data = {"title": "院企对接会", "kind": "matchmaking", "organiser": "区科技局",
            "starts_on": dt.date(2020, 6, 18), "ends_on": dt.date(2020, 6, 19),
            "venue": "科创园", "region": regions.district, **kw}
    return services.create_event(actor=staff, data=data)


def _aware(*args):
    return timezone.make_aware(dt.datetime(*args))  # noqa: DTZ001 - local wall time


def _contract(ent, **kw):
    return {"kind": "development", "title": "开发合同", "enterprise": ent, "seller": "示例大学",
            "amount": Decimal("1000.00"), "signed_on": dt.date(2020, 5, 1),
            "registered_on": dt.date(2020, 5, 2), "registration_number": "R1", **kw}


def test_assign_and_reassign_keeps_history(staff, broker, other_broker, ent_east):
    first = services.assign_enterprise(actor=staff, enterprise=ent_east, broker=broker,
                                       on=dt.date(2020, 1, 1))
    services.assign_enterprise(actor=staff, enterprise=ent_east, broker=other_broker,
                               on=dt.date(2020, 6, 1))
    rows = list(PortfolioAssignment.objects.filter(enterprise=ent_east).order_by("assigned_on")
                .values_list("broker__name", "assigned_on", "ended_on"))
    assert rows == [("王经纪", dt.date(2020, 1, 1), dt.date(2020, 6, 1)),
                    ("赵经纪", dt.date(2020, 6, 1), None)]
    first.refresh_from_db()
    assert ChangeRecord.objects.filter(action="brokerage.end_assignment",
                                       object_id=str(first.pk)).count() == 1


def test_portfolio_rule_shows_broker_only_current_enterprises(staff, broker, broker_user,
                                                              other_broker, ent_east, ent_west):
    services.assign_enterprise(actor=staff, enterprise=ent_east, broker=broker,
                               on=dt.date(2020, 1, 1))
    assert list(Enterprise.objects.restrict(broker_user, "view")) == [ent_east]
    services.assign_enterprise(actor=staff, enterprise=ent_east, broker=other_broker,
                               on=dt.date(2020, 2, 1))
    assert list(Enterprise.objects.restrict(broker_user, "view")) == []


def test_assign_by_region_rule(staff, broker, ent_east, ent_west, regions):
    assert services.assign_by_rule(actor=staff, broker=broker, region=regions.east,
                                   on=dt.date(2020, 1, 1)) == 1
    assert PortfolioAssignment.objects.get().enterprise == ent_east


def test_broker_logs_visit_for_portfolio_only(broker_user, portfolio, ent_east, ent_west):
    visit = services.log_visit(actor=broker_user, data={
        "enterprise": ent_east, "visited_on": dt.date(2020, 5, 6), "kind": "on_site",
        "people_met": "陈总", "problems_found": "模具寿命短", "follow_up": "送成果资料",
        "follow_up_due": dt.date(2020, 5, 20)})
    assert visit.broker.user == broker_user
    assert ChangeRecord.objects.filter(action="brokerage.log_visit").count() == 1
    before = db_state(Visit)
    with pytest.raises(OutOfScope):
        services.log_visit(actor=broker_user, data={
            "enterprise": ent_west, "visited_on": dt.date(2020, 5, 6), "kind": "on_site"})
    assert db_state(Visit) == before


def test_visit_follow_up_before_visit_rejected(broker_user, portfolio, ent_east):
    with pytest.raises(ValidationError) as exc:
        services.log_visit(actor=broker_user, data={
            "enterprise": ent_east, "visited_on": dt.date(2020, 5, 6), "kind": "on_site",
            "follow_up": "回访", "follow_up_due": dt.date(2020, 5, 1)})
    assert exc.value.message_dict == {"follow_up_due": ["跟进期限不能早于走访日期"]}
    assert not Visit.objects.exists()


def test_meeting_slot_outside_event_dates_rejected(staff, regions):
    event = _event(staff, regions)
    before = db_state(MeetingSlot)
    with pytest.raises(ValidationError) as exc:
        services.add_slot(actor=staff, event=event, starts_at=_aware(2020, 6, 20, 9),
                          ends_at=_aware(2020, 6, 20, 9, 30), table="A1")
    assert exc.value.message_dict["starts_at"] == [
        "洽谈时间须在活动日期2020-06-18至2020-06-19之内"]
    assert db_state(MeetingSlot) == before


def test_one_to_one_meeting_accept_with_slot(staff, regions, ent_east, ent_user):
    event = _event(staff, regions)
    a = services.register_participant(actor=staff, event=event, approve=True,
                                      data={"name": "陈总", "enterprise": ent_east})
    b = services.register_participant(actor=staff, event=event, approve=True,
                                      data={"name": "刘教授", "kind": "institute"})
    slot = services.add_slot(actor=staff, event=event, starts_at=_aware(2020, 6, 18, 14),
                             ends_at=_aware(2020, 6, 18, 14, 30), table="A1")
    meeting = services.request_meeting(actor=ent_user, requester=a, invitee=b, topic="模具")
    meeting = services.respond_meeting(actor=staff, meeting=meeting, accept=True, slot=slot)
    assert (meeting.status, meeting.slot) == ("accepted", slot)
    with pytest.raises(ValidationError):
        services.respond_meeting(actor=staff, meeting=meeting, accept=False)


def test_check_in_requires_approval_and_only_once(staff, regions):
    event = _event(staff, regions)
    reg = services.register_participant(actor=staff, event=event, data={"name": "张三"})
    with pytest.raises(ValidationError) as exc:
        services.check_in(actor=staff, registration=reg, at=_aware(2020, 6, 18, 9))
    assert "审核通过后才能签到" in exc.value.message_dict["status"][0]
    services.decide_registration(actor=staff, registration=reg, approve=True)
    services.check_in(actor=staff, registration=reg, at=_aware(2020, 6, 18, 9))
    with pytest.raises(ValidationError):
        services.check_in(actor=staff, registration=reg, at=_aware(2020, 6, 18, 10))


@pytest.mark.parametrize(("_case", "amount", "message"), [
    ("zero", Decimal("0"), "合同金额必须大于0元"),
    ("negative", Decimal("-5"), "合同金额必须大于0元"),
])
def test_contract_amount_must_be_positive(_case, amount, message, staff, ent_east):
    with pytest.raises(ValidationError) as exc:
        services.register_contract(actor=staff, data=_contract(ent_east, amount=amount))
    assert exc.value.message_dict["amount"] == [message]
    assert not TechContract.objects.exists()
    assert not ChangeRecord.objects.filter(action="brokerage.register_contract").exists()


def test_outcome_on_closed_case_rejected(broker_user, portfolio, demand):
    case = services.open_case(actor=broker_user, demand=demand, opened_on=dt.date(2020, 3, 1))
    services.close_case(actor=broker_user, case=case, outcome="closed", on=dt.date(2020, 3, 5),
                        note="企业已有方案")
    before = db_state(Case)
    for call in (
        lambda: services.close_case(actor=broker_user, case=case, outcome="solved",
                                    on=dt.date(2020, 3, 6)),
        lambda: services.record_activity(actor=broker_user, case=case, kind="meeting",
                                         held_on=dt.date(2020, 3, 6), summary="会谈"),
    ):
        with pytest.raises(ValidationError) as exc:
            call()
        assert exc.value.message_dict["__all__"] == ["案件已关闭，不能再登记进展或结果"]
    assert db_state(Case) == before


def test_close_requires_reason_and_signed_requires_contract(broker_user, portfolio, demand):
    case = services.open_case(actor=broker_user, demand=demand, opened_on=dt.date(2020, 3, 1))
    with pytest.raises(ValidationError) as exc:
        services.close_case(actor=broker_user, case=case, outcome="closed",
                            on=dt.date(2020, 3, 5))
    assert exc.value.message_dict == {"outcome_note": ["关闭案件须说明原因"]}
    with pytest.raises(ValidationError) as exc:
        services.close_case(actor=broker_user, case=case, outcome="signed",
                            on=dt.date(2020, 3, 5))
    assert exc.value.message_dict == {"outcome": ["尚未登记该案件的技术合同，请先登记合同"]}


def test_decline_needs_reason_from_fixed_list(broker_user, portfolio, demand, achievement):
    case = services.open_case(actor=broker_user, demand=demand, opened_on=dt.date(2020, 3, 1))
    cand = services.propose_candidate(actor=broker_user, case=case, achievement=achievement,
                                      on=dt.date(2020, 3, 2))
    with pytest.raises(ValidationError) as exc:
        services.record_response(actor=broker_user, candidate=cand, accepted=False,
                                 reason="太贵", on=dt.date(2020, 3, 3))
    assert exc.value.message_dict["decline_reason"] == [
        "婉拒须选择原因：技术不匹配、成熟度不够、价格、地域、已有方案、其他"]
    cand = services.record_response(actor=broker_user, candidate=cand, accepted=False,
                                    reason="price", on=dt.date(2020, 3, 3))
    assert (cand.response, cand.get_decline_reason_display()) == ("declined", "价格")


def test_other_broker_cannot_touch_case(broker_user, other_broker_user, other_broker,
                                        portfolio, demand, achievement):
    case = services.open_case(actor=broker_user, demand=demand, opened_on=dt.date(2020, 3, 1))
    before = db_state(CaseCandidate)
    with pytest.raises(OutOfScope):
        services.propose_candidate(actor=other_broker_user, case=case,
                                   achievement=achievement, on=dt.date(2020, 3, 2))
    assert db_state(CaseCandidate) == before
    assert list(Case.objects.restrict(other_broker_user, "view")) == []


def test_enterprise_sees_its_cases_and_expert_sees_requests(
        broker_user, portfolio, demand, engineer, other_engineer, ent_user, engineer_user):
    case = services.open_case(actor=broker_user, demand=demand, opened_on=dt.date(2020, 3, 1))
    mine = services.propose_candidate(actor=broker_user, case=case, expert=engineer,
                                      on=dt.date(2020, 3, 2))
    services.propose_candidate(actor=broker_user, case=case, expert=other_engineer,
                               on=dt.date(2020, 3, 2))
    assert list(Case.objects.restrict(ent_user, "view")) == [case]
    assert list(CaseCandidate.objects.restrict(engineer_user, "view")) == [mine]
    assert list(Case.objects.restrict(engineer_user, "view")) == []


def test_overseas_record_requires_overseas_engineer(staff, ent_east, regions):
    from kechuang.experts.models import Expert

    local = Expert.objects.create(kind="expert", name="李工", region=regions.district)
    with pytest.raises(ValidationError) as exc:
        services.record_overseas_service(actor=staff, data={
            "kind": "match", "occurred_on": dt.date(2020, 5, 1), "enterprise": ent_east,
            "engineer": local, "platform": "海外工程师协同创新中心"})
    assert exc.value.message_dict == {"engineer": ["李工不是海外工程师"]}


def test_overdue_task_on_owner_queue(staff, broker_user, ent_east, regions):
    from kechuang.brokerage.kpi import work_queue

    task = services.create_task(actor=staff, data={
        "title": "规上企业研发费用清零走访", "campaign": "rd_zero", "owner": broker_user,
        "region": regions.district, "deadline": dt.date(2020, 9, 1)}, enterprises=[ent_east])
    queue = work_queue(broker_user, dt.date(2020, 9, 2))
    assert queue.overdue_tasks == [task]
    services.set_task_status(actor=broker_user, task=task, status="done",
                             on=dt.date(2020, 9, 3))
    assert work_queue(broker_user, dt.date(2020, 9, 4)).overdue_tasks == []


def _pending_and_published(regions):
    from kechuang.achievements.models import Achievement

    return [Achievement.objects.create(owner_name=owner, title=title, abstract="摘要", field="05",
                                       status=status, region=regions.district)
            for owner, title, status in (("某研究所", "未发布的成果", "pending"),
                                         ("示例大学", "已发布的成果", "published"))]


def test_contract_names_only_achievements_and_brokers_in_scope(broker_user, broker, other_broker,
                                                                portfolio, ent_east, regions):
    """A broker may name a published achievement (the portal's) but not someone else's
    unpublished one, nor another broker; a refused contract writes nothing."""
    unpublished, published = _pending_and_published(regions)
    before = db_state(TechContract)
    for data, message in (
        (_contract(ent_east, achievement=unpublished), "该科技成果不在您的数据权限范围内"),
        (_contract(ent_east, broker=other_broker), "该科技经纪人不在您的数据权限范围内"),
    ):
        with pytest.raises(OutOfScope, match=message):
            services.register_contract(actor=broker_user, data=data)
    assert db_state(TechContract) == before
    assert not ChangeRecord.objects.filter(action="brokerage.register_contract").exists()
    contract = services.register_contract(
        actor=broker_user, data=_contract(ent_east, achievement=published, broker=broker))
    assert (contract.achievement, contract.broker) == (published, broker)


def test_contract_form_offers_only_visible_achievements_and_brokers(broker_user, broker,
                                                                   other_broker, staff, regions):
    from kechuang.brokerage.forms import TechContractForm

    pending, published = _pending_and_published(regions)
    form = TechContractForm(user=broker_user)
    assert list(form.fields["achievement"].queryset) == [published]
    assert list(form.fields["broker"].queryset) == [broker]
    staff_form = TechContractForm(user=staff)
    assert set(staff_form.fields["achievement"].queryset) == {pending, published}
    assert set(staff_form.fields["broker"].queryset) == {broker, other_broker}
