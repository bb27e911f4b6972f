"""修改密码 (AUTH-1): every logged-in user changes their own password; validators apply."""

import pytest
from django.test import Client

from kechuang.accounts.models import User
from kechuang.audit.models import ChangeRecord
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
