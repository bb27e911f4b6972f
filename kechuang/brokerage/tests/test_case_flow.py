"""A full case from demand to registered contract, asserting every count it moves."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from kechuang.audit.models import ChangeRecord
from kechuang.brokerage import services
from kechuang.brokerage.choices import CaseStatus, EventKind
from kechuang.brokerage.kpi import kpis_by
from kechuang.brokerage.models import CaseReminder, Introduction, OverseasService
from kechuang.indicators.catalogue import Period, value_of

pytestmark = pytest.mark.django_db

Y2020 = Period(dt.date(2020, 1, 1), dt.date(2020, 9, 30))
CODES = ("matchmaking_events", "matchmaking_participants", "achievements_presented",
         "teams_introduced", "achievements_introduced", "tech_transaction_amount",
         "talent_events", "overseas_engineers_matched", "talent_projects_introduced",
         "enterprise_services", "problems_solved")


def _values():
    return {c: value_of(c, Y2020) for c in CODES}


def _at(day: dt.date, hour: int = 9):
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))  # noqa: DTZ001 - local wall time


def test_demand_to_registered_contract(staff, broker, broker_user, portfolio, demand,
                                       achievement, engineer, regions, ent_east):
    start = _values()
    assert start == dict.fromkeys(CODES, 0) | {"tech_transaction_amount": None}

    # A matchmaking event: registration with approval, check-in, an achievement presented.
    event = services.create_event(actor=staff, data={
        "title": "新材料院企对接会", "kind": EventKind.MATCHMAKING, "organiser": "区科技局",
        "starts_on": dt.date(2020, 6, 18), "ends_on": dt.date(2020, 6, 18),
        "venue": "科创园报告厅", "region": regions.district})
    reg = services.register_participant(actor=staff, event=event, data={
        "name": "陈总", "organisation": ent_east.name, "enterprise": ent_east})
    services.decide_registration(actor=staff, registration=reg, approve=True)
    services.check_in(actor=staff, registration=reg, at=_at(dt.date(2020, 6, 18)))
    services.walk_in(actor=staff, event=event, data={"name": "刘教授", "organisation": "示例大学",
                                                      "kind": "institute"},
                     at=_at(dt.date(2020, 6, 18), 10))
    services.add_presentation(actor=staff, event=event, data={"achievement": achievement})
    assert value_of("matchmaking_events", Y2020) == 1
    assert value_of("matchmaking_participants", Y2020) == 2
    assert value_of("achievements_presented", Y2020) == 1

    # The broker opens a case on the demand, pushes candidates, records responses.
    case = services.open_case(actor=broker_user, demand=demand, opened_on=dt.date(2020, 6, 19),
                              event=event)
    assert case.owner == broker
    assert case.enterprise == ent_east
    c_ach = services.propose_candidate(actor=broker_user, case=case, achievement=achievement,
                                       on=dt.date(2020, 6, 20))
    c_eng = services.propose_candidate(actor=broker_user, case=case, expert=engineer,
                                       on=dt.date(2020, 6, 20))
    services.record_response(actor=broker_user, candidate=c_ach, accepted=True,
                             on=dt.date(2020, 6, 25))
    # The engineer answers the request addressed to them.
    services.record_response(actor=engineer.user, candidate=c_eng, accepted=True,
                             on=dt.date(2020, 6, 26))
    assert value_of("overseas_engineers_matched", Y2020) == 1

    # A meeting schedules the 3/6/12-month return visits; negotiation moves the status.
    meeting = services.record_activity(actor=broker_user, case=case, kind="meeting",
                                       held_on=dt.date(2020, 7, 1), summary="三方会谈")
    assert list(CaseReminder.objects.filter(activity=meeting).values_list(
        "months_after", "due_on")) == [(3, dt.date(2020, 10, 1)), (6, dt.date(2021, 1, 1)),
                                       (12, dt.date(2021, 7, 1))]
    services.record_activity(actor=broker_user, case=case, kind="negotiation",
                             held_on=dt.date(2020, 7, 15), summary="价格谈判")
    case.refresh_from_db()
    assert case.status == CaseStatus.NEGOTIATING

    # The contract is registered: case signed, achievement introduced, amount counted.
    contract = services.register_contract(actor=broker_user, data={
        "kind": "transfer", "title": "低应力成型技术转让合同", "enterprise": ent_east,
        "seller": "示例大学", "amount": Decimal("1200000.00"),
        "signed_on": dt.date(2020, 8, 1), "registered_on": dt.date(2020, 8, 10),
        "registration_number": "2020330201000123", "case": case, "event": event,
        "achievement": achievement})
    case.refresh_from_db()
    assert case.status == CaseStatus.SIGNED
    assert case.closed_on == dt.date(2020, 8, 1)
    assert contract.broker == broker
    assert Introduction.objects.get().contract == contract

    end = _values()
    assert end == {
        "matchmaking_events": 1, "matchmaking_participants": 2, "achievements_presented": 1,
        "teams_introduced": 0, "achievements_introduced": 1,
        "tech_transaction_amount": Decimal("1200000.00"), "talent_events": 0,
        "overseas_engineers_matched": 1, "talent_projects_introduced": 0,
        "enterprise_services": 0, "problems_solved": 0,
    }
    [row] = kpis_by("broker", [broker.pk], {broker.pk: broker.name}, Y2020.start, Y2020.end)
    assert (row.cases_opened, row.proposed, row.accepted, row.contracts, row.amount,
            row.cases_signed) == (1, 2, 2, 1, Decimal("1200000.00"), 1)
    assert row.matching_efficiency == Decimal("100.0")
    assert row.signing_rate == Decimal("100.0")
    [by_event] = kpis_by("event", [event.pk], {event.pk: event.title}, Y2020.start, Y2020.end)
    assert (by_event.cases_opened, by_event.contracts) == (1, 1)
    # Every step left its audit row.
    actions = set(ChangeRecord.objects.values_list("action", flat=True))
    assert {"brokerage.open_case", "brokerage.propose_candidate", "brokerage.record_response",
            "brokerage.record_activity", "brokerage.register_contract",
            "brokerage.close_case", "brokerage.record_introduction", "brokerage.check_in",
            "brokerage.record_overseas_service"} <= actions


def test_solved_case_with_overseas_engineer_counts_a_problem_solved(
        broker_user, broker, portfolio, demand, engineer):
    case = services.open_case(actor=broker_user, demand=demand, opened_on=dt.date(2020, 3, 1))
    cand = services.propose_candidate(actor=broker_user, case=case, expert=engineer,
                                      on=dt.date(2020, 3, 2))
    services.record_response(actor=broker_user, candidate=cand, accepted=True,
                             on=dt.date(2020, 3, 3))
    services.close_case(actor=broker_user, case=case, outcome="solved", on=dt.date(2020, 4, 1),
                        note="远程指导解决翘曲")
    assert value_of("problems_solved", Y2020) == 1
    assert OverseasService.objects.filter(case=case).count() == 2
    [row] = kpis_by("broker", [broker.pk], {broker.pk: broker.name}, Y2020.start, Y2020.end)
    assert row.problems_solved == 1  # the case and its service record count once
