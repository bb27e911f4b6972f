"""The event page's staff actions: review registrations and check in at the door."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kechuang.audit.models import ChangeRecord
from kechuang.brokerage import services
from kechuang.brokerage.models import EventRegistration

pytestmark = pytest.mark.django_db


@pytest.fixture
def event_today(staff, regions):
    day = timezone.localdate()
    return services.create_event(actor=staff, data={
        "title": "新材料院企对接会", "kind": "matchmaking", "organiser": "区科技局",
        "starts_on": day, "ends_on": day, "venue": "科创园报告厅", "region": regions.east})


def _action(event, name):
    return reverse("brokerage:event_action", args=[event.pk, name])


def test_staff_approves_then_checks_in_and_the_count_follows(staff, event_today, client_for):
    reg = services.register_participant(actor=staff, event=event_today, data={"name": "李工"})
    client = client_for(staff)

    client.post(_action(event_today, "approve"), {"registration": reg.pk})
    client.post(_action(event_today, "check_in"), {"registration": reg.pk})

    reg.refresh_from_db()
    assert reg.status == "approved"
    assert reg.checked_in_at is not None
    page = client.get(reverse("brokerage:event_detail", args=[event_today.pk]))
    assert page.context["checked_in"] == 1


def test_check_in_before_approval_is_refused_with_a_message(staff, event_today, client_for):
    reg = services.register_participant(actor=staff, event=event_today, data={"name": "王工"})
    before = ChangeRecord.objects.count()

    response = client_for(staff).post(_action(event_today, "check_in"),
                                      {"registration": reg.pk}, follow=True)

    reg.refresh_from_db()
    assert reg.checked_in_at is None
    assert ChangeRecord.objects.count() == before
    assert "审核通过后才能签到" in response.content.decode()


@pytest.mark.parametrize(("_case", "user_fixture", "status"), [
    ("anonymous", None, 302),
    ("no permission", "ent_user", 403),
    ("out of region", "sub_west", 404),
])
def test_denied_actions_change_nothing(_case, user_fixture, status, staff, event_today,
                                       client_for, request):
    reg = services.register_participant(actor=staff, event=event_today, data={"name": "赵工"})
    user = request.getfixturevalue(user_fixture) if user_fixture else None
    before = ChangeRecord.objects.count()

    response = client_for(user).post(_action(event_today, "approve"), {"registration": reg.pk})

    assert response.status_code == status
    assert EventRegistration.objects.get(pk=reg.pk).status == "pending"
    assert ChangeRecord.objects.count() == before


def test_follow_up_before_the_event_is_refused(staff, event_today, client_for):
    day = event_today.starts_on - dt.timedelta(days=1)
    response = client_for(staff).post(_action(event_today, "follow_up"),
                                      {"action": "回访企业", "due_on": day.isoformat()},
                                      follow=True)
    assert event_today.follow_ups.count() == 0
    assert "跟进期限不能早于活动开始日期" in response.content.decode()
