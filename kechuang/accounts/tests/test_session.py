"""Session lifetime: idle timeout, absolute lifetime, and at most one session write a minute."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from kechuang.accounts import middleware
from kechuang.accounts.middleware import SESSION_SEEN_KEY, SESSION_STARTED_KEY

T0 = 1_700_000_000


@pytest.fixture
def clock(monkeypatch):
    now = {"t": T0}
    monkeypatch.setattr(middleware.time, "time", lambda: now["t"])
    return now


def _stored(client) -> tuple[dict, dt.datetime]:
    row = Session.objects.get(session_key=client.session.session_key)
    return row.get_decoded(), row.expire_date


def test_first_request_stamps_start_and_last_seen(staff, client_for, clock):
    client = client_for(staff)
    assert client.get("/enterprises/").status_code == 200
    data, _ = _stored(client)
    assert data[SESSION_STARTED_KEY] == T0
    assert data[SESSION_SEEN_KEY] == T0


def test_requests_within_a_minute_do_not_write_the_session(staff, client_for, clock):
    client = client_for(staff)
    client.get("/enterprises/")
    data_before, expiry_before = _stored(client)
    clock["t"] = T0 + settings.SESSION_TOUCH_SECONDS - 1
    client.get("/enterprises/")
    data_after, expiry_after = _stored(client)
    assert data_after == data_before
    assert expiry_after == expiry_before


def test_a_request_after_a_minute_refreshes_the_expiry(staff, client_for, clock):
    client = client_for(staff)
    client.get("/enterprises/")
    _, expiry_before = _stored(client)
    clock["t"] = T0 + settings.SESSION_TOUCH_SECONDS
    before_request = timezone.now()
    client.get("/enterprises/")
    data, expiry_after = _stored(client)
    assert data[SESSION_SEEN_KEY] == T0 + settings.SESSION_TOUCH_SECONDS
    assert data[SESSION_STARTED_KEY] == T0
    assert expiry_after > expiry_before
    assert expiry_after >= before_request + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_idle_longer_than_the_timeout_logs_out(staff, client_for, clock):
    client = client_for(staff)
    client.get("/enterprises/")
    key = client.session.session_key
    clock["t"] = T0 + settings.SESSION_COOKIE_AGE + 1
    response = client.get("/enterprises/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Session.objects.filter(session_key=key).exists()


def test_idle_exactly_the_timeout_is_still_logged_in(staff, client_for, clock):
    client = client_for(staff)
    client.get("/enterprises/")
    clock["t"] = T0 + settings.SESSION_COOKIE_AGE
    assert client.get("/enterprises/").status_code == 200


def test_absolute_lifetime_ends_an_active_session(staff, client_for, clock):
    client = client_for(staff)
    client.get("/enterprises/")
    step = settings.SESSION_COOKIE_AGE - 1
    while clock["t"] + step <= T0 + settings.SESSION_ABSOLUTE_SECONDS:
        clock["t"] += step
        assert client.get("/enterprises/").status_code == 200
    clock["t"] = T0 + settings.SESSION_ABSOLUTE_SECONDS + 1
    response = client.get("/enterprises/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
