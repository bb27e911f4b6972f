"""Indicator values on hand-counted fixtures, including the 09-30 / 10-01 boundary."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from kechuang.brokerage import services
from kechuang.indicators.catalogue import Period, value_of

pytestmark = pytest.mark.django_db

JAN_SEP = Period(dt.date(2020, 1, 1), dt.date(2020, 9, 30))
OCTOBER = Period(dt.date(2020, 10, 1), dt.date(2020, 10, 31))


def _aware(day, hour=9):
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))  # noqa: DTZ001 - local wall time


def test_boundary_and_distinct_counts(staff, regions, ent_east, ent_west, engineer,
                                      other_engineer):
    days = (dt.date(2020, 9, 30), dt.date(2020, 10, 1))
    for n, day in enumerate(days):
        event = services.create_event(actor=staff, data={
            "title": f"对接会{n}", "kind": "matchmaking", "organiser": "区科技局",
            "starts_on": day, "ends_on": day, "is_online": True, "region": regions.district})
        for k in range(3 + n):
            services.walk_in(actor=staff, event=event, data={"name": f"参会{k}"},
                             at=_aware(day))
        # A registration that never checked in does not count.
        services.register_participant(actor=staff, event=event, approve=True,
                                      data={"name": "未到场"})
        services.add_presentation(actor=staff, event=event, data={"title": "成果A"})
        services.add_presentation(actor=staff, event=event,
                                  data={"title": "路演项目", "kind": "project"})
        services.register_contract(actor=staff, data={
            "kind": "service", "title": f"服务合同{n}", "enterprise": ent_east, "seller": "院所",
            "amount": Decimal("100.50") * (n + 1), "signed_on": day, "registered_on": day,
            "registration_number": f"R{n}"})
        services.record_introduction(actor=staff, data={
            "kind": "team", "title": f"团队{n}", "introduced_on": day, "enterprise": ent_west})
        for eng in (engineer, engineer, other_engineer):
            services.record_overseas_service(actor=staff, data={
                "kind": "match", "occurred_on": day, "enterprise": ent_east, "engineer": eng,
                "platform": "海外工程师协同创新中心"})
        for kind in ("enterprise_service", "enterprise_service", "problem_solved"):
            services.record_overseas_service(actor=staff, data={
                "kind": kind, "occurred_on": day, "enterprise": ent_west, "engineer": engineer,
                "platform": "五库一网"})
        services.record_overseas_service(actor=staff, data={
            "kind": "talent_project", "occurred_on": day, "enterprise": ent_west,
            "engineer": other_engineer, "platform": "五库一网", "project_title": "精密减速器"})
    expected_sep = {
        "matchmaking_events": 1, "matchmaking_participants": 3, "achievements_presented": 1,
        "teams_introduced": 1, "tech_transaction_amount": Decimal("100.50"),
        "overseas_engineers_matched": 2, "talent_projects_introduced": 1,
        "enterprise_services": 2, "problems_solved": 1, "achievements_introduced": 0,
        "talent_events": 0,
    }
    assert {c: value_of(c, JAN_SEP) for c in expected_sep} == expected_sep
    assert value_of("matchmaking_participants", OCTOBER) == 4
    assert value_of("tech_transaction_amount", OCTOBER) == Decimal("201.00")
    # Region: 东湖街道 sees the contract amount, 西山街道 the introductions.
    assert value_of("tech_transaction_amount", JAN_SEP, regions.west) is None
    assert value_of("teams_introduced", JAN_SEP, regions.west) == 1
