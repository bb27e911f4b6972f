"""三员分立 is enforced when roles are assigned, and reported by a system check."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kechuang.accounts import services
from kechuang.accounts.checks import separated_administrators
from kechuang.accounts.choices import RoleCode
from kechuang.accounts.models import Role
from kechuang.core.testing import make_user

pytestmark = pytest.mark.django_db


def _roles(*codes):
    return [Role.objects.get(code=c) for c in codes]


def test_security_admin_assigns_a_role_and_it_is_audited(security_admin, staff, changes):
    services.assign_roles(actor=security_admin, user=staff,
                          roles=_roles(RoleCode.STAFF, RoleCode.LEADER))

    assert staff.groups.count() == 2
    rows = changes()
    assert [r.action for r in rows] == ["accounts.assign_roles"]
    assert rows[0].before == {"roles": ["staff"]}
    assert rows[0].after == {"roles": ["leader", "staff"]}


@pytest.mark.parametrize(("_case", "codes"), [
    ("system + audit", (RoleCode.SYSTEM_ADMIN, RoleCode.AUDIT_ADMIN)),
    ("security + audit", (RoleCode.SECURITY_ADMIN, RoleCode.AUDIT_ADMIN)),
    ("system + security", (RoleCode.SYSTEM_ADMIN, RoleCode.SECURITY_ADMIN)),
])
def test_two_separated_roles_are_refused_and_nothing_changes(_case, codes, security_admin,
                                                             system_admin, changes):
    with pytest.raises(ValidationError) as exc:
        services.assign_roles(actor=security_admin, user=system_admin, roles=_roles(*codes))

    assert "三员分立" in exc.value.message_dict["roles"][0]
    assert system_admin.groups.get().role.code == RoleCode.SYSTEM_ADMIN
    assert changes() == []


def test_only_the_security_admin_may_assign(system_admin, staff, changes):
    with pytest.raises(PermissionDenied):
        services.assign_roles(actor=system_admin, user=staff, roles=_roles(RoleCode.LEADER))
    assert staff.groups.get().role.code == RoleCode.STAFF
    assert changes() == []


def test_system_check_reports_an_account_holding_two(regions):
    make_user(RoleCode.SYSTEM_ADMIN, RoleCode.AUDIT_ADMIN, username="dual")

    errors = separated_administrators()

    assert [e.id for e in errors] == ["accounts.E001"]
    assert "dual" in errors[0].msg


def test_leader_reads_figures_but_not_personal_data(leader):
    assert leader.has_perm("enterprises.view_enterprise")
    assert not leader.has_perm("enterprises.view_personal_data")
    assert not leader.has_perm("experts.view_personal_data")
