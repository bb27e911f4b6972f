"""Permission matrix for the user, role and audit pages (三员 consoles).

These records are not region-scoped, so "out of region" does not apply: the matrix is
anonymous / no permission (a business user and the other two 三员) / permitted."""

import pytest

from kechuang.accounts.models import Role, User
from kechuang.core.testing import Audience, Endpoint, check_endpoint

PAGES = {
    "/accounts/users/": {"system_admin", "security_admin"},
    "/accounts/roles/": {"security_admin"},
    "/audit/changes/": {"audit_admin"},
    "/audit/operations/": {"audit_admin"},
    "/audit/logins/": {"audit_admin"},
}
WHO = ("staff", "bureau_admin", "sub_east", "system_admin", "security_admin", "audit_admin")


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("path", list(PAGES))
def test_console_pages(path, who, request, client_for):
    user = request.getfixturevalue(who)
    permitted = who in PAGES[path]
    endpoint = Endpoint(path, "GET", lambda c, p=path: p, writes=(User, Role))
    audience = Audience.IN_REGION if permitted else Audience.NO_PERMISSION
    check_endpoint(client_for(user), endpoint, audience, None)


@pytest.mark.parametrize("path", list(PAGES))
def test_console_pages_anonymous(path, client_for, db):
    endpoint = Endpoint(path, "GET", lambda c, p=path: p)
    check_endpoint(client_for(None), endpoint, Audience.ANONYMOUS, None)


def test_user_list_shows_roles_without_business_data(system_admin, staff, ent_east,
                                                     client_for):
    page = client_for(system_admin).get("/accounts/users/").content.decode()
    assert staff.username in page
    assert "科员" in page
    assert ent_east.name not in page
