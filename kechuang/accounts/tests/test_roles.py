"""Built-in roles and 三员分立 (等保 AC-4): no overlap, logs read-only, no business data."""

import pytest
from django.contrib.auth.models import Permission

from kechuang.accounts.choices import RoleCode
from kechuang.accounts.models import Role
from kechuang.accounts.roles import sync_roles
from kechuang.enterprises.models import AnnualIndicator, Certification, Enterprise


def _perms(role: Role) -> set[str]:
    return {f"{p.content_type.app_label}.{p.codename}"
            for p in role.group.permissions.select_related("content_type")}


@pytest.fixture
def roles(db):
    return {r.code: r for r in Role.objects.select_related("group")}


def test_every_builtin_role_exists_with_its_scope(roles):
    assert set(roles) >= set(RoleCode.values)
    assert roles[RoleCode.SUBDISTRICT].data_scope == "region_tree"
    assert roles[RoleCode.ENTERPRISE].data_scope == "own"
    assert roles[RoleCode.STAFF].data_scope == "all"


def test_no_role_holds_user_management_and_audit_reading(roles):
    for code, role in roles.items():
        perms = _perms(role)
        manages_users = "accounts.change_user" in perms
        reads_audit = any(p.startswith("audit.view_") for p in perms)
        assert not (manages_users and reads_audit), code


def test_no_role_may_change_or_delete_audit_records(roles):
    for code, role in roles.items():
        bad = {p for p in _perms(role) if p.startswith(("audit.change_", "audit.delete_",
                                                        "audit.add_"))}
        assert bad == set(), code
    assert not Permission.objects.filter(content_type__app_label="audit",
                                         codename__regex=r"^(change|delete|add)_").exists()


def test_separated_admins_do_not_share_permissions(roles):
    sys_, sec, aud = (_perms(roles[c]) for c in (RoleCode.SYSTEM_ADMIN,
                                                 RoleCode.SECURITY_ADMIN,
                                                 RoleCode.AUDIT_ADMIN))
    assert aud == {"audit.view_changerecord", "audit.view_operationlog", "audit.view_loginlog"}
    assert not sys_ & aud
    assert not sec & aud
    assert "accounts.change_role" in sec
    assert "accounts.change_role" not in sys_
    assert "accounts.change_user" in sys_
    assert "accounts.change_user" not in sec


@pytest.mark.parametrize("code", [RoleCode.SYSTEM_ADMIN, RoleCode.SECURITY_ADMIN,
                                  RoleCode.AUDIT_ADMIN])
def test_separated_admins_hold_no_business_permission(code, roles):
    business = {p for p in _perms(roles[code])
                if p.split(".")[0] not in {"accounts", "audit", "regions"}}
    assert business == set()


def test_audit_admin_sees_no_business_data(audit_admin, ent_east, client_for):
    for model in (Enterprise, AnnualIndicator, Certification):
        assert model.objects.restrict(audit_admin, "view").count() == 0
    client = client_for(audit_admin)
    assert client.get("/enterprises/").status_code == 403
    assert client.get(f"/enterprises/{ent_east.pk}/").status_code == 403
    assert client.get("/api/enterprises/enterprises/").status_code == 403


def test_sync_roles_is_idempotent(roles):
    before = {code: _perms(role) for code, role in roles.items()}
    sync_roles()
    sync_roles()
    after = {r.code: _perms(r) for r in Role.objects.select_related("group")}
    assert after == before
