"""The 安全管理员's pages: user list/detail, role assignment, role data scope, account locks.

Permission matrix for every page (anonymous / business users / each of the three 三员),
denied writes change nothing, refusals by the services show on the form and change nothing.
"""

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from kechuang.accounts import services
from kechuang.accounts.choices import RoleCode
from kechuang.accounts.models import Role, User
from kechuang.audit.models import LoginLog
from kechuang.core.navigation import menu_for
from kechuang.core.testing import Audience, Endpoint, check_endpoint, make_user
from kechuang.core.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

WHO = ("staff", "bureau_admin", "sub_east", "system_admin", "security_admin", "audit_admin")
WATCHED = (User, Role, User.groups.through, Role.regions.through, AccessAttempt)


def _role(code) -> Role:
    return Role.objects.get(code=code)


def _codes(user) -> set[str]:
    return set(Role.objects.filter(group__user=user).values_list("code", flat=True))


@pytest.fixture
def target(regions):
    """The account the pages act on (a 科技经纪人)."""
    return make_user(RoleCode.BROKER, region=regions.east, username="mubiao")


@pytest.fixture
def ctx(target, regions):
    class Ctx:
        pass

    c = Ctx()
    c.target = target
    c.role = _role(RoleCode.SUBDISTRICT)
    c.regions = regions
    return c


ENDPOINTS = {
    "user list": (Endpoint("user list", "GET", lambda c: "/accounts/users/"),
                  {"system_admin", "security_admin"}),
    "user detail": (Endpoint("user detail", "GET",
                             lambda c: f"/accounts/users/{c.target.pk}/"),
                    {"system_admin", "security_admin"}),
    "roles form": (Endpoint("roles form", "GET",
                            lambda c: f"/accounts/users/{c.target.pk}/roles/"),
                   {"security_admin"}),
    "assign roles": (Endpoint("assign roles", "POST",
                              lambda c: f"/accounts/users/{c.target.pk}/roles/",
                              data=lambda c: {"roles": [_role(RoleCode.LEADER).pk]}, ok=302),
                     {"security_admin"}),
    "lock": (Endpoint("lock", "POST", lambda c: f"/accounts/users/{c.target.pk}/lock/",
                      data=lambda c: {"reason": "离职"}, ok=302),
             {"security_admin"}),
    "unlock": (Endpoint("unlock", "POST", lambda c: f"/accounts/users/{c.target.pk}/unlock/",
                        data=lambda c: {}, ok=302),
               {"security_admin"}),
    "deactivate": (Endpoint("deactivate", "POST",
                            lambda c: f"/accounts/users/{c.target.pk}/deactivate/",
                            data=lambda c: {"reason": "离职"}, ok=302),
                   {"system_admin"}),
    "activate": (Endpoint("activate", "POST",
                          lambda c: f"/accounts/users/{c.target.pk}/activate/",
                          data=lambda c: {}, ok=302),
                 {"system_admin"}),
    "role list": (Endpoint("role list", "GET", lambda c: "/accounts/roles/"),
                  {"security_admin"}),
    "role scope form": (Endpoint("role scope form", "GET",
                                 lambda c: f"/accounts/roles/{c.role.pk}/scope/"),
                        {"security_admin"}),
    "set role scope": (Endpoint("set role scope", "POST",
                                lambda c: f"/accounts/roles/{c.role.pk}/scope/",
                                data=lambda c: {"data_scope": "custom",
                                                "regions": [c.regions.west.pk]}, ok=302),
                       {"security_admin"}),
}


def _prepare(name, ctx):
    if name == "unlock":  # something to unlock
        User.objects.filter(pk=ctx.target.pk).update(is_locked=True)
    if name == "activate":  # something to activate
        User.objects.filter(pk=ctx.target.pk).update(is_active=False)


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_permission_matrix(name, who, ctx, request, client_for):
    endpoint, allowed = ENDPOINTS[name]
    endpoint = Endpoint(endpoint.label, endpoint.method, endpoint.url, data=endpoint.data,
                        ok=endpoint.ok, writes=WATCHED)
    _prepare(name, ctx)
    user = request.getfixturevalue(who)
    audience = Audience.IN_REGION if who in allowed else Audience.NO_PERMISSION
    check_endpoint(client_for(user), endpoint, audience, ctx)


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_permission_matrix_anonymous(name, ctx, client_for):
    endpoint, _ = ENDPOINTS[name]
    endpoint = Endpoint(endpoint.label, endpoint.method, endpoint.url, data=endpoint.data,
                        writes=WATCHED)
    _prepare(name, ctx)
    check_endpoint(client_for(None), endpoint, Audience.ANONYMOUS, ctx)


def test_lock_and_unlock_answer_405_to_get(security_admin, target, client_for):
    client = client_for(security_admin)
    assert client.get(f"/accounts/users/{target.pk}/lock/").status_code == 405
    assert client.get(f"/accounts/users/{target.pk}/unlock/").status_code == 405
    assert User.objects.get(pk=target.pk).is_locked is False


# --- the security admin's writes, end to end ------------------------------------------------

def test_assigning_roles_through_the_form(security_admin, target, client_for, changes):
    response = client_for(security_admin).post(
        f"/accounts/users/{target.pk}/roles/",
        {"roles": [_role(RoleCode.STAFF).pk, _role(RoleCode.LEADER).pk]})

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/users/{target.pk}/"
    assert _codes(target) == {"staff", "leader"}
    [row] = changes()
    assert (row.action, row.before, row.after) == (
        "accounts.assign_roles", {"roles": ["broker"]}, {"roles": ["leader", "staff"]})


def test_removing_every_role(security_admin, target, client_for, changes):
    response = client_for(security_admin).post(f"/accounts/users/{target.pk}/roles/", {})
    assert response.status_code == 302
    assert _codes(target) == set()
    assert [r.after for r in changes()] == [{"roles": []}]


@pytest.mark.parametrize(("_case", "codes", "message"), [
    ("system + audit", (RoleCode.SYSTEM_ADMIN, RoleCode.AUDIT_ADMIN),
     "三员分立：审计管理员、系统管理员不能由同一账号兼任"),
    ("security + business", (RoleCode.SECURITY_ADMIN, RoleCode.STAFF),
     "三员分立：安全管理员账号不能兼任其他角色（科员）"),
])
def test_separation_refusal_shows_on_the_form_and_changes_nothing(
        _case, codes, message, security_admin, system_admin, client_for, changes):
    from kechuang.core.testing import db_state

    client = client_for(security_admin)  # (logging in sets last_login)
    before = db_state(*WATCHED)
    response = client.post(
        f"/accounts/users/{system_admin.pk}/roles/", {"roles": [_role(c).pk for c in codes]})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert _codes(system_admin) == {"system_admin"}
    assert db_state(*WATCHED) == before
    assert changes() == []


def test_security_admin_cannot_change_own_roles(security_admin, client_for, changes):
    response = client_for(security_admin).post(
        f"/accounts/users/{security_admin.pk}/roles/",
        {"roles": [_role(RoleCode.BUREAU_ADMIN).pk]})
    assert response.status_code == 400
    assert "不能修改自己账号的角色" in response.content.decode()
    assert _codes(security_admin) == {"security_admin"}
    assert changes() == []


def test_roles_form_shows_current_roles_checked(security_admin, target, client_for):
    import re

    page = client_for(security_admin).get(f"/accounts/users/{target.pk}/roles/").content.decode()
    checked = re.findall(r'<input type="checkbox" name="roles" value="(\d+)"[^>]* checked>', page)
    assert checked == [str(_role(RoleCode.BROKER).pk)]
    assert page.count('name="roles"') == Role.objects.count()


def test_setting_a_custom_scope(security_admin, regions, client_for, changes):
    role = _role(RoleCode.SUBDISTRICT)
    response = client_for(security_admin).post(
        f"/accounts/roles/{role.pk}/scope/",
        {"data_scope": "custom", "regions": [regions.west.pk, regions.park.pk]})

    assert response.status_code == 302
    role.refresh_from_db()
    assert role.data_scope == "custom"
    assert set(role.regions.values_list("code", flat=True)) == {"339901002", "339901003"}
    [row] = changes()
    assert (row.action, row.before, row.after) == (
        "accounts.set_role_scope", {"data_scope": "region_tree", "regions": []},
        {"data_scope": "custom", "regions": ["339901002", "339901003"]})


def test_custom_scope_without_regions_is_refused_on_the_form(security_admin, client_for,
                                                              changes):
    role = _role(RoleCode.SUBDISTRICT)
    response = client_for(security_admin).post(f"/accounts/roles/{role.pk}/scope/",
                                               {"data_scope": "custom"})
    assert response.status_code == 400
    assert "数据权限为“自定数据”时须至少选择一个区域" in response.content.decode()
    role.refresh_from_db()
    assert (role.data_scope, list(role.regions.all())) == ("region_tree", [])
    assert changes() == []


def test_a_non_custom_scope_drops_the_regions(security_admin, regions, changes):
    role = _role(RoleCode.SUBDISTRICT)
    services.set_role_scope(actor=security_admin, role=role, data_scope="custom",
                            regions=[regions.east])
    services.set_role_scope(actor=security_admin, role=role, data_scope="region",
                            regions=[regions.east])
    role.refresh_from_db()
    assert (role.data_scope, list(role.regions.all())) == ("region", [])
    assert [r.after for r in changes()] == [
        {"data_scope": "custom", "regions": ["339901001"]},
        {"data_scope": "region", "regions": []}]


def test_scope_change_takes_effect_for_holders(security_admin, sub_east, ent_east, ent_west):
    from kechuang.enterprises.models import Enterprise

    assert set(Enterprise.objects.restrict(sub_east, "view")) == {ent_east}
    services.set_role_scope(actor=security_admin, role=_role(RoleCode.SUBDISTRICT),
                            data_scope="custom", regions=[ent_west.region])
    fresh = User.objects.get(pk=sub_east.pk)
    assert set(Enterprise.objects.restrict(fresh, "view")) == {ent_west}


@pytest.mark.parametrize("who", ["system_admin", "audit_admin", "staff"])
def test_only_the_security_admin_may_set_scopes_or_lock(who, request, target, regions,
                                                        changes):
    actor = request.getfixturevalue(who)
    role = _role(RoleCode.SUBDISTRICT)
    with pytest.raises(PermissionDenied):
        services.set_role_scope(actor=actor, role=role, data_scope="all", regions=[])
    with pytest.raises(PermissionDenied):
        services.lock_user(actor=actor, user=target)
    User.objects.filter(pk=target.pk).update(is_locked=True)
    with pytest.raises(PermissionDenied):
        services.unlock_user(actor=actor, user=User.objects.get(pk=target.pk))
    role.refresh_from_db()
    assert role.data_scope == "region_tree"
    assert User.objects.get(pk=target.pk).is_locked is True
    assert changes() == []


# --- locks ---------------------------------------------------------------------------------

def _login(client, username, password=TEST_PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password},
                       HTTP_USER_AGENT="pytest-agent")


def test_a_locked_account_cannot_log_in_and_its_session_ends(security_admin, target,
                                                             client_for, changes):
    session = client_for(target)
    assert session.get("/").status_code == 200

    response = client_for(security_admin).post(f"/accounts/users/{target.pk}/lock/",
                                               {"reason": "疑似账号被盗"})
    assert response.status_code == 302
    assert User.objects.get(pk=target.pk).is_locked is True
    [row] = changes()
    assert (row.action, row.message, row.before["is_locked"], row.after["is_locked"]) == (
        "accounts.lock_user", "疑似账号被盗", False, True)

    assert session.get("/").status_code == 302  # the open session no longer authenticates
    fresh = Client()
    assert _login(fresh, target.username).status_code == 200  # the form again, no login
    assert "_auth_user_id" not in fresh.session


def test_unlocking_a_manual_lock_lets_the_user_log_in(security_admin, target, client_for,
                                                       changes):
    services.lock_user(actor=security_admin, user=target)
    response = client_for(security_admin).post(f"/accounts/users/{target.pk}/unlock/")
    assert response.status_code == 302
    assert User.objects.get(pk=target.pk).is_locked is False
    assert [r.action for r in changes()] == ["accounts.lock_user", "accounts.unlock_user"]
    assert _login(Client(), target.username).status_code == 302


def test_unlocking_a_login_failure_lockout(security_admin, target, client_for, changes):
    client = Client()
    for _ in range(5):
        _login(client, target.username, "wrong-password")
    assert _login(client, target.username).status_code == 429  # axes locked it out
    page = client_for(security_admin).get(f"/accounts/users/{target.pk}/").content.decode()
    assert "登录失败次数过多，已自动锁定" in page
    list_page = client_for(security_admin).get("/accounts/users/?q=mubiao").content.decode()
    assert "登录失败锁定" in list_page

    response = client_for(security_admin).post(f"/accounts/users/{target.pk}/unlock/")

    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=target.username).exists()
    [row] = changes()
    assert (row.action, row.message) == ("accounts.unlock_user", "清除登录失败记录1条")
    assert _login(client, target.username).status_code == 302
    assert LoginLog.objects.filter(username=target.username, event="login").count() == 1


def test_lock_refusals_change_nothing(security_admin, target, client_for, changes):
    client = client_for(security_admin)
    response = client.post(f"/accounts/users/{security_admin.pk}/lock/", follow=True)
    assert "不能锁定自己的账号" in response.content.decode()
    response = client.post(f"/accounts/users/{target.pk}/unlock/", follow=True)
    assert "该账号未被锁定" in response.content.decode()
    services.lock_user(actor=security_admin, user=target)
    response = client.post(f"/accounts/users/{target.pk}/lock/", follow=True)
    assert "该账号已处于锁定状态" in response.content.decode()
    assert User.objects.get(pk=security_admin.pk).is_locked is False
    assert [r.action for r in changes()] == ["accounts.lock_user"]


def test_services_refuse_self_and_separated_mixes(security_admin, target, changes):
    with pytest.raises(ValidationError) as exc:
        services.lock_user(actor=security_admin, user=security_admin)
    assert exc.value.messages == ["不能锁定自己的账号"]
    with pytest.raises(ValidationError) as exc:
        services.assign_roles(actor=security_admin, user=target,
                              roles=[_role(RoleCode.AUDIT_ADMIN), _role(RoleCode.BROKER)])
    assert exc.value.message_dict == {
        "roles": ["三员分立：审计管理员账号不能兼任其他角色（科技经纪人）"]}
    assert _codes(target) == {"broker"}
    assert changes() == []


# --- activation (系统管理员) ------------------------------------------------------------

def test_system_admin_deactivates_and_reactivates(system_admin, target, client_for, changes):
    session = client_for(target)
    client = client_for(system_admin)

    response = client.post(f"/accounts/users/{target.pk}/deactivate/", {"reason": "离职"})

    assert response.status_code == 302
    assert User.objects.get(pk=target.pk).is_active is False
    assert session.get("/").status_code == 302  # the open session ended
    assert _login(Client(), target.username).status_code == 200  # refused
    response = client.post(f"/accounts/users/{target.pk}/activate/")
    assert response.status_code == 302
    assert User.objects.get(pk=target.pk).is_active is True
    assert _login(Client(), target.username).status_code == 302
    rows = changes()
    assert [(r.action, r.message, r.before["is_active"], r.after["is_active"]) for r in rows] == [
        ("accounts.deactivate_user", "离职", True, False),
        ("accounts.activate_user", "", False, True)]


def test_activation_refusals_change_nothing(system_admin, security_admin, target, client_for,
                                            changes):
    client = client_for(system_admin)
    response = client.post(f"/accounts/users/{system_admin.pk}/deactivate/", follow=True)
    assert "不能停用或启用自己的账号" in response.content.decode()
    response = client.post(f"/accounts/users/{target.pk}/activate/", follow=True)
    assert "该账号已是启用状态" in response.content.decode()
    with pytest.raises(PermissionDenied):
        services.set_user_active(actor=security_admin, user=target, active=False)
    assert User.objects.get(pk=system_admin.pk).is_active is True
    assert User.objects.get(pk=target.pk).is_active is True
    assert changes() == []


def test_detail_shows_each_admin_only_their_own_actions(system_admin, security_admin, target,
                                                        client_for):
    url = f"/accounts/users/{target.pk}/"
    sys_page = client_for(system_admin).get(url).content.decode()
    sec_page = client_for(security_admin).get(url).content.decode()
    assert 'data-testid="deactivate"' in sys_page
    assert 'data-testid="deactivate"' not in sec_page


# --- list, detail, menu -------------------------------------------------------------------

def test_user_list_filters(security_admin, system_admin, sub_east, staff, regions, target,
                           client_for):
    client = client_for(security_admin)

    def names(query):
        response = client.get(f"/accounts/users/?{query}")
        assert response.status_code == 200
        return {u for u in ("anquan", "xitong", "donghu", "keyuan", "mubiao")
                if f">{u}<" in response.content.decode()}

    sub_role = _role(RoleCode.SUBDISTRICT)
    assert names(f"role={sub_role.pk}") == {"donghu"}
    assert names(f"region={regions.east.pk}") == {"donghu", "mubiao"}
    assert names(f"region={regions.district.pk}") == {"donghu", "mubiao", "keyuan"}
    assert names("q=xito") == {"xitong"}
    User.objects.filter(pk=staff.pk).update(is_active=False)
    User.objects.filter(pk=target.pk).update(is_locked=True)
    assert names("is_active=false") == {"keyuan"}
    assert names("is_locked=true") == {"mubiao"}


def test_user_detail_shows_roles_and_scopes(security_admin, regions, client_for):
    user = make_user(RoleCode.SUBDISTRICT, region=regions.east, username="duoju",
                     scope="custom", scope_regions=[regions.west, regions.park])
    page = client_for(security_admin).get(f"/accounts/users/{user.pk}/").content.decode()
    assert "本区域及以下数据（东湖街道）" in page
    assert "自定数据（西山街道、科创园区）" in page
    assert 'data-testid="assign-roles"' in page
    assert 'data-testid="lock"' in page


def test_system_admin_reads_the_detail_without_security_actions(system_admin, target,
                                                                client_for):
    page = client_for(system_admin).get(f"/accounts/users/{target.pk}/").content.decode()
    assert "科技经纪人" in page
    assert 'data-testid="assign-roles"' not in page
    assert 'data-testid="lock"' not in page


def _menu(user) -> dict[str, list[str]]:
    return {group: [i["label"] for i in items] for group, items in menu_for(user)}


def test_menus_of_the_three_administrators(security_admin, system_admin, audit_admin):
    assert _menu(security_admin).get("安全管理") == ["角色分配与账号锁定", "角色与数据权限"]
    assert "系统管理" not in _menu(security_admin)
    assert _menu(system_admin).get("系统管理") == ["用户管理"]
    assert "安全管理" not in _menu(system_admin)
    assert "安全管理" not in _menu(audit_admin)
    assert "系统管理" not in _menu(audit_admin)


def test_unknown_user_or_role_answers_404(security_admin, client_for, changes):
    client = client_for(security_admin)
    assert client.get("/accounts/users/999999/").status_code == 404
    assert client.get("/accounts/users/999999/roles/").status_code == 404
    assert client.post("/accounts/users/999999/lock/").status_code == 404
    assert client.get("/accounts/roles/999999/scope/").status_code == 404
    assert changes() == []


def test_locking_moves_the_auth_version_counter(security_admin, target):
    """Migration 0003 rebuilds accounts_user on SQLite; its counter triggers must survive, or
    the cached backend would keep serving a locked user."""
    from django.db import connection

    from kechuang.accounts.backends import auth_version

    if connection.vendor != "sqlite":
        pytest.skip("the counter moves at commit on PostgreSQL (deferred triggers)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                       "AND tbl_name = 'accounts_user' ORDER BY name")
        assert [r[0] for r in cursor.fetchall()] == [
            "accounts_user_authversion_delete", "accounts_user_authversion_insert",
            "accounts_user_authversion_update"]
        cursor.execute("SELECT n FROM accounts_authversion WHERE id = 1")
        before = cursor.fetchone()[0]
        services.lock_user(actor=security_admin, user=target)
        cursor.execute("SELECT n FROM accounts_authversion WHERE id = 1")
        assert cursor.fetchone()[0] > before
    assert auth_version("default") is None  # (inside the test transaction: no caching)
