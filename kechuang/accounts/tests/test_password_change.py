"""修改密码 (AUTH-1): every logged-in user changes their own password; validators apply."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from kechuang.accounts import passwords, services
from kechuang.accounts.middleware import password_change_required
from kechuang.accounts.models import PasswordHistory, User
from kechuang.audit.models import ChangeRecord, OperationLog
from kechuang.core.demo import demo_logins
from kechuang.core.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

URL = "/accounts/password/"
NEW = "Xin-Mima-2026!ok"
ROLES = ("staff", "bureau_admin", "sub_east", "leader", "ent_user", "expert",
         "system_admin", "security_admin", "audit_admin")


def _post(client, old=TEST_PASSWORD, new1=NEW, new2=NEW):
    return client.post(URL, {"old_password": old, "new_password1": new1,
                             "new_password2": new2})


def test_anonymous_is_sent_to_login():
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("who", ROLES)
def test_every_role_changes_own_password(who, request, client_for):
    user = request.getfixturevalue(who)
    client = client_for(user)
    assert client.get(URL).status_code == 200
    response = _post(client)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)
    # Still logged in after the change (session hash updated).
    assert client.get(URL).status_code == 200


def test_good_change_message_audit_and_flag(staff, client_for):
    User.objects.filter(pk=staff.pk).update(must_change_password=True)
    client = client_for(staff)
    response = _post(client)
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "密码已修改" in page.content.decode()
    staff.refresh_from_db()
    assert staff.check_password(NEW)
    assert staff.must_change_password is False
    rec = ChangeRecord.objects.get(action="accounts.change_password")
    assert rec.object_id == str(staff.pk)
    assert staff.password not in str(rec.before) + str(rec.after)


def test_header_links_the_change_page(staff, client_for):
    assert f'href="{URL}"' in client_for(staff).get("/").content.decode()


def _unchanged(client, user, **data):
    old_hash = user.password
    response = _post(client, **data)
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.password == old_hash
    assert not ChangeRecord.objects.filter(action="accounts.change_password").exists()
    return response.context["form"].errors


def test_wrong_old_password_changes_nothing(staff, client_for):
    errors = _unchanged(client_for(staff), staff, old="Falsch-Passw0rd!")
    assert list(errors) == ["old_password"]


def test_mismatched_new_passwords_change_nothing(staff, client_for):
    errors = _unchanged(client_for(staff), staff, new2=NEW + "x")
    assert list(errors) == ["new_password2"]


@pytest.mark.parametrize("weak", ["Short-1a!", "abcdefghijklmno", "123456789012345"])
def test_validators_refuse_weak_passwords(weak, staff, client_for):
    errors = _unchanged(client_for(staff), staff, new1=weak, new2=weak)
    assert list(errors) == ["new_password2"]


def _change(client, old, new):
    response = _post(client, old=old, new1=new, new2=new)
    assert response.status_code == 302, response.context["form"].errors
    return new


def test_last_five_passwords_are_refused_and_nothing_changes(staff, client_for, settings):
    assert settings.PASSWORD_HISTORY_COUNT == 5
    client = client_for(staff)
    used = [TEST_PASSWORD]
    for n in range(1, 5):
        used.append(_change(client, used[-1], f"Lishi-Mima-{n}-ok!"))
    # Current + the 4 before it: all refused, hash and history untouched.
    staff.refresh_from_db()
    rows = PasswordHistory.objects.filter(user=staff).count()
    assert rows == 5  # the factory's initial password is recorded on the first change
    records = ChangeRecord.objects.filter(action="accounts.change_password").count()
    for old in used:
        old_hash = staff.password
        response = _post(client, old=used[-1], new1=old, new2=old)
        assert response.status_code == 200
        assert response.context["form"].errors == {
            "new_password2": ["新密码不能与最近5次使用过的密码相同"]}
        staff.refresh_from_db()
        assert staff.password == old_hash
        assert PasswordHistory.objects.filter(user=staff).count() == rows
        assert ChangeRecord.objects.filter(action="accounts.change_password").count() == records
    # A sixth password pushes the first one out of the window.
    _change(client, used[-1], "Lishi-Mima-5-ok!")
    _change(client, "Lishi-Mima-5-ok!", TEST_PASSWORD)
    staff.refresh_from_db()
    assert staff.check_password(TEST_PASSWORD)
    assert PasswordHistory.objects.filter(user=staff).count() == 5  # older rows pruned


def test_history_is_pruned_to_the_newest_rows_and_the_window_is_unchanged(
        staff, security_admin, settings):
    """Eight changes after the factory password P0: only P4..P8 (the current password and
    the four before it) stay in the history; they are refused, P3 (sixth newest) is not."""
    assert settings.PASSWORD_HISTORY_COUNT == 5
    other = PasswordHistory.objects.create(user=security_admin, password=security_admin.password)
    used = [TEST_PASSWORD]
    for n in range(1, 9):
        used.append(f"Lishi-Mima-{n}-ok!")
        services.change_own_password(user=staff, new_password=used[-1])
        assert PasswordHistory.objects.filter(user=staff).count() == min(n + 1, 5)
    staff.refresh_from_db()
    rows = list(PasswordHistory.objects.filter(user=staff))
    assert len(rows) == 5
    assert [next(p for p in used if check_password(p, row.password)) for row in rows] == \
        used[8:3:-1]  # newest first: P8, P7, P6, P5, P4
    for password in used[4:]:
        assert passwords.is_reused(staff, password) is True
        form = passwords.HistoryPasswordChangeForm(staff, {
            "old_password": used[-1], "new_password1": password, "new_password2": password})
        assert form.errors == {"new_password2": ["新密码不能与最近5次使用过的密码相同"]}
    for password in used[:4]:
        assert passwords.is_reused(staff, password) is False
    form = passwords.HistoryPasswordChangeForm(staff, {
        "old_password": used[-1], "new_password1": used[3], "new_password2": used[3]})
    assert form.is_valid(), form.errors
    assert list(PasswordHistory.objects.filter(user=security_admin)) == [other]


def test_history_keeps_hashes_only(staff, client_for):
    _change(client_for(staff), TEST_PASSWORD, NEW)
    old_hash = staff.password
    staff.refresh_from_db()
    assert list(PasswordHistory.objects.filter(user=staff).values_list("password", flat=True)) \
        == [staff.password, old_hash]
    assert NEW not in staff.password


# Forced change (middleware) ------------------------------------------------------------

FORCED = "密码已过期或须首次修改，请先修改密码后再继续操作"
API_URL = "/api/schema/"


def _forced(client):
    page = client.get("/")
    assert page.status_code == 302
    assert page["Location"] == URL
    api = client.get(API_URL)
    assert api.status_code == 403
    assert api.json() == {"detail": FORCED}
    assert client.get(URL).status_code == 200


def test_flagged_user_is_forced_then_released(staff, client_for):
    User.objects.filter(pk=staff.pk).update(must_change_password=True)
    client = client_for(staff)
    _forced(client)
    assert FORCED in client.get(URL).content.decode()
    _change(client, TEST_PASSWORD, NEW)
    staff.refresh_from_db()
    assert staff.must_change_password is False
    assert staff.password_changed_at is not None
    assert client.get("/").status_code == 200
    assert client.get(API_URL).status_code == 200


def test_logout_allowed_while_forced(staff, client_for):
    User.objects.filter(pk=staff.pk).update(must_change_password=True)
    client = client_for(staff)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(("days", "forced"), [(89, False), (91, True)])
def test_password_expiry(days, forced, staff, client_for, settings):
    assert settings.PASSWORD_MAX_AGE_DAYS == 90
    old = timezone.now() - timedelta(days=days)
    User.objects.filter(pk=staff.pk).update(password_changed_at=old)
    client = client_for(staff)
    if forced:
        _forced(client)
        _change(client, TEST_PASSWORD, NEW)
    assert client.get("/").status_code == 200


def test_never_changed_counts_from_date_joined(staff, client_for):
    User.objects.filter(pk=staff.pk).update(password_changed_at=None,
                                            date_joined=timezone.now() - timedelta(days=91))
    _forced(client_for(staff))


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/", 302),
    ("POST", "/enterprises/", 302),
    ("GET", API_URL, 403),
    ("POST", "/api/enterprises/enterprises/", 403),
], ids=["page", "page-post", "api", "api-post"])
def test_blocked_request_writes_one_operation_log_row(method, path, status, staff, client_for):
    User.objects.filter(pk=staff.pk).update(must_change_password=True)
    client = client_for(staff)
    response = client.generic(method, path)
    assert response.status_code == status
    row = OperationLog.objects.get()  # exactly one: not logged again further in
    assert (row.user_id, row.username, row.method, row.path, row.status, row.succeeded,
            row.message) == (staff.pk, staff.username, method, path, status, False,
                             "已拦截：须先修改密码")
    assert row.request_id == response["X-Request-ID"]


def test_allowed_requests_while_forced_are_logged_as_usual(staff, client_for):
    User.objects.filter(pk=staff.pk).update(must_change_password=True)
    client = client_for(staff)
    # the redirect target and static files: reads, not logged
    assert client.get(URL).status_code == 200
    client.get("/static/kechuang/app.css")
    assert OperationLog.objects.count() == 0
    # the change itself: the one row every write gets, not marked as blocked
    response = _post(client)
    assert response.status_code == 302
    row = OperationLog.objects.get()
    assert (row.user_id, row.method, row.path, row.status, row.succeeded, row.message) == (
        staff.pk, "POST", URL, 302, True, "")
    # released: the next page is neither blocked nor logged
    assert client.get("/").status_code == 200
    assert OperationLog.objects.count() == 1


@pytest.mark.django_db(transaction=False)
def test_demo_accounts_are_not_forced(client_for):
    """``make run`` loads the demo (management command); its accounts log in unhindered."""
    call_command("demo", scale=0.01, only="regions,accounts", stdout=io.StringIO())
    usernames = [login.username for login in demo_logins()]
    assert usernames
    for user in User.objects.filter(username__in=usernames):
        assert user.must_change_password is False
        assert user.password_changed_at is not None
        assert not password_change_required(user)
        assert client_for(user).get("/").status_code == 200
