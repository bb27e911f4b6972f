"""新建账号 (系统管理员, 等保 AUTH-1): permission matrix, creation with an initial password that
must be changed at first log-in, refusals that create nothing, and the first-login flow."""

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from kechuang.accounts import services
from kechuang.accounts.models import PasswordHistory, User
from kechuang.audit.models import ChangeRecord

pytestmark = pytest.mark.django_db

URL = "/accounts/users/add/"
INITIAL = "Chushi#Mima2026"


def _post_data(**over):
    data = {"username": "xinyonghu", "display_name": "新用户", "region": "",
            "email": "xin@example.com", "password": INITIAL, "password2": INITIAL}
    data.update(over)
    return data


@pytest.mark.parametrize(("who", "expected"), [
    ("system_admin", 200), ("security_admin", 403), ("audit_admin", 403),
    ("staff", 403), ("bureau_admin", 403),
])
def test_page_permission_matrix(who, expected, request, client_for):
    client = client_for(request.getfixturevalue(who))
    before = User.objects.count()
    assert client.get(URL).status_code == expected
    response = client.post(URL, _post_data())
    assert response.status_code == (302 if expected == 200 else 403)
    assert User.objects.count() == before + (1 if expected == 200 else 0)


def test_anonymous_is_sent_to_login(client_for):
    before = User.objects.count()
    response = client_for(None).get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    response = client_for(None).post(URL, _post_data())
    assert response.status_code == 302
    assert User.objects.count() == before


def test_user_list_links_to_the_page_for_the_system_admin_only(system_admin, security_admin,
                                                                client_for):
    assert f'href="{URL}"' in client_for(system_admin).get("/accounts/users/").content.decode()
    assert f'href="{URL}"' not in client_for(security_admin).get(
        "/accounts/users/").content.decode()


def test_creation_sets_the_flag_and_audits_without_the_password(system_admin, regions,
                                                                 client_for, changes):
    client = client_for(system_admin)
    response = client.post(URL, _post_data(region=regions.east.pk))
    user = User.objects.get(username="xinyonghu")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/users/{user.pk}/"
    assert user.must_change_password is True
    assert user.display_name == "新用户"
    assert user.region == regions.east
    assert user.email == "xin@example.com"
    assert user.check_password(INITIAL)
    assert PasswordHistory.objects.filter(user=user).count() == 1
    records = [r for r in changes() if r.action == "accounts.create_user"]
    assert len(records) == 1
    rec = records[0]
    assert rec.actor == system_admin
    assert str(rec.object_id) == str(user.pk)
    dumped = repr(rec.before) + repr(rec.after) + rec.message
    assert INITIAL not in dumped
    assert user.password not in dumped
    assert user.password.split("$")[-1] not in dumped
    page = client.get(response["Location"]).content.decode()
    assert "安全途径" in page
    assert "首次登录时必须修改密码" in page


@pytest.mark.parametrize("username", ["XinYongHu", "xinyonghu", "XINYONGHU"])
def test_duplicate_username_case_insensitive_is_refused(username, system_admin, client_for):
    User.objects.create_user(username="xinyonghu", password=INITIAL)
    before, records = User.objects.count(), ChangeRecord.objects.count()
    response = client_for(system_admin).post(URL, _post_data(username=username))
    assert response.status_code == 400
    assert "该用户名已被使用（用户名不区分大小写）" in response.content.decode()
    assert User.objects.count() == before
    assert ChangeRecord.objects.count() == records


@pytest.mark.parametrize("username", ["Admin", "ADMIN", "aDmIn"])
def test_database_refuses_a_case_duplicate_without_the_service_check(username):
    User.objects.create_user(username="admin", password=INITIAL)
    before = User.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(username=username, password=INITIAL)
    assert User.objects.count() == before
    assert list(User.objects.filter(username__iexact="admin").values_list(
        "username", flat=True)) == ["admin"]


@pytest.fixture
def rival_created_after_the_check(monkeypatch):
    """Simulates a concurrent 新建账号 of ``XinYongHu`` that wins after the service checked
    the name (the password validation runs between that check and the insert). The test has
    one connection, so the rival row is rolled back with the refused service call."""
    validate = password_validation.validate_password

    def validate_then_lose_the_race(password, user=None, password_validators=None):
        validate(password, user, password_validators)
        User.objects.create_user(username="XinYongHu", password=INITIAL)

    monkeypatch.setattr(password_validation, "validate_password", validate_then_lose_the_race)


@pytest.mark.usefixtures("rival_created_after_the_check")
def test_service_turns_the_lost_race_into_the_username_error(system_admin):
    before = User.objects.count()
    records, history = ChangeRecord.objects.count(), PasswordHistory.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.create_user(actor=system_admin, data={
            "username": "xinyonghu", "display_name": "新用户", "password": INITIAL})
    assert exc.value.message_dict == {"username": ["该用户名已被使用（用户名不区分大小写）"]}
    assert User.objects.count() == before
    assert PasswordHistory.objects.count() == history
    assert ChangeRecord.objects.count() == records


@pytest.mark.usefixtures("rival_created_after_the_check")
def test_page_shows_the_lost_race_as_a_form_error(system_admin, client_for):
    client = client_for(system_admin)
    before, records = User.objects.count(), ChangeRecord.objects.count()
    response = client.post(URL, _post_data())
    assert response.status_code == 400
    assert response.context["form"].errors["username"] == [
        "该用户名已被使用（用户名不区分大小写）"]
    assert "该用户名已被使用（用户名不区分大小写）" in response.content.decode()
    assert User.objects.count() == before
    assert ChangeRecord.objects.count() == records


@pytest.mark.parametrize("password", ["12345678", "abcdefgh", "short1A", "Xinyonghu#2026"])
def test_weak_password_is_refused(password, system_admin, client_for):
    before, records = User.objects.count(), ChangeRecord.objects.count()
    response = client_for(system_admin).post(
        URL, _post_data(password=password, password2=password))
    assert response.status_code == 400
    assert response.context["form"].errors["password"]
    assert User.objects.count() == before
    assert ChangeRecord.objects.count() == records


def test_invalid_email_and_mismatch_are_shown_per_field(system_admin, client_for):
    before = User.objects.count()
    response = client_for(system_admin).post(
        URL, _post_data(email="not-an-email", password2="Other#Mima2026"))
    errors = response.context["form"].errors
    assert response.status_code == 400
    assert errors["email"] == ["请输入有效的电子邮箱地址"]
    assert errors["password2"] == ["两次输入的密码不一致"]
    assert User.objects.count() == before


def test_service_refuses_other_roles_and_changes_nothing(security_admin):
    before = User.objects.count()
    with pytest.raises(PermissionDenied):
        services.create_user(actor=security_admin, data={
            "username": "abc", "display_name": "甲", "password": INITIAL})
    assert User.objects.count() == before


def test_service_reports_errors_per_field(system_admin):
    before = User.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.create_user(actor=system_admin, data={
            "username": "", "display_name": "", "email": "x@", "password": ""})
    assert set(exc.value.message_dict) == {"username", "display_name", "email", "password"}
    assert User.objects.count() == before


def test_created_user_must_change_the_password_at_first_login(system_admin, client_for):
    client_for(system_admin).post(URL, _post_data())
    client = Client()
    response = client.post("/accounts/login/", {"username": "xinyonghu", "password": INITIAL})
    assert response.status_code == 302
    for path in ("/", "/accounts/users/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == "/accounts/password/"
    assert client.get("/accounts/password/").status_code == 200
    new = "Xiugai#Mima2027"
    response = client.post("/accounts/password/", {
        "old_password": INITIAL, "new_password1": new, "new_password2": new})
    assert response.status_code == 302
    user = User.objects.get(username="xinyonghu")
    assert user.must_change_password is False
    assert user.check_password(new)
    assert client.get("/").status_code == 200
