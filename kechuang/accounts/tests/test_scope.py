"""restrict() over the region tree for the five data-scope levels."""

import pytest
from django.contrib.auth.models import AnonymousUser

from kechuang.accounts.choices import RoleCode
from kechuang.accounts.scope import region_allowed
from kechuang.core.testing import (
    AnnualIndicatorFactory,
    CertificationFactory,
    EnterpriseFactory,
    make_user,
)
from kechuang.enterprises.models import AnnualIndicator, Certification, Enterprise

VIEW = ("enterprises.view_enterprise", "enterprises.view_annualindicator",
        "enterprises.view_certification")


@pytest.fixture
def spread(regions):
    """One enterprise (with an indicator and a certification) in each region."""
    ents = {}
    for key in ("district", "east", "west", "park", "north"):
        ent = EnterpriseFactory(region=getattr(regions, key), name=f"{key}企业")
        AnnualIndicatorFactory(enterprise=ent)
        CertificationFactory(enterprise=ent, number=f"GR2019330{ent.pk:05d}")
        ents[key] = ent
    return ents


def _visible(user, model=Enterprise) -> set[str]:
    qs = model.objects.restrict(user, "view")
    if model is Enterprise:
        return set(qs.values_list("name", flat=True))
    return set(qs.values_list("enterprise__name", flat=True))


@pytest.mark.parametrize("model", [Enterprise, AnnualIndicator, Certification],
                         ids=lambda m: m.__name__)
@pytest.mark.parametrize(
    ("_case", "scope", "anchor", "custom", "expected"),
    [
        ("all", "all", "east", (), {"district", "east", "west", "park", "north"}),
        ("custom_two_streets", "custom", None, ("west", "park"), {"west", "park"}),
        ("custom_district_covers_subtree", "custom", None, ("district",),
         {"district", "east", "west", "park"}),
        ("region_only_district", "region", "district", (), {"district"}),
        ("region_only_street", "region", "east", (), {"east"}),
        ("region_tree_district", "region_tree", "district", (),
         {"district", "east", "west", "park"}),
        ("region_tree_street", "region_tree", "east", (), {"east"}),
        ("own_without_membership", "own", "district", (), set()),
    ],
)
def test_restrict_follows_data_scope(_case, scope, anchor, custom, expected, model, regions,
                                     spread):
    user = make_user(region=getattr(regions, anchor) if anchor else None, perms=VIEW,
                     scope=scope, scope_regions=[getattr(regions, r) for r in custom])
    assert _visible(user, model) == {f"{k}企业" for k in expected}


@pytest.mark.parametrize("model", [Enterprise, AnnualIndicator, Certification],
                         ids=lambda m: m.__name__)
def test_own_scope_sees_member_enterprises_only(model, regions, spread):
    user = make_user(perms=VIEW, scope="own")
    spread["west"].members.add(user)
    assert _visible(user, model) == {"west企业"}


def test_scopes_of_several_roles_are_united(regions, spread):
    user = make_user(RoleCode.SUBDISTRICT, region=regions.east, perms=VIEW, scope="custom",
                     scope_regions=[regions.north])
    assert _visible(user) == {"east企业", "north企业"}


def test_restrict_without_functional_permission_is_empty(regions, spread, expert):
    assert _visible(expert) == set()


def test_restrict_for_anonymous_and_inactive_is_empty(regions, spread, staff):
    assert _visible(AnonymousUser()) == set()
    assert _visible(None) == set()
    staff.is_active = False
    staff.save()
    assert _visible(staff) == set()


def test_restrict_checks_the_action_permission(regions, spread, leader):
    assert len(_visible(leader)) == 5
    assert Enterprise.objects.restrict(leader, "change").count() == 0


def test_enterprise_user_sees_only_its_enterprise(spread, ent_user, ent_east):
    assert _visible(ent_user) == {ent_east.name}
    assert Enterprise.objects.restrict(ent_user, "change").get() == ent_east


def test_subdistrict_user_sees_only_its_territory(spread, sub_east):
    assert _visible(sub_east) == {"east企业"}
    assert _visible(sub_east, AnnualIndicator) == {"east企业"}


@pytest.mark.parametrize(
    ("_case", "scope", "anchor", "custom", "allowed"),
    [
        ("all", "all", None, (), {"district", "east", "west", "park", "north"}),
        ("custom", "custom", None, ("west",), {"west"}),
        ("region", "region", "east", (), {"east"}),
        ("region_tree", "region_tree", "district", (), {"district", "east", "west", "park"}),
        ("own", "own", "east", (), set()),
    ],
)
def test_region_allowed_matches_scope(_case, scope, anchor, custom, allowed, regions):
    user = make_user(region=getattr(regions, anchor) if anchor else None, perms=VIEW,
                     scope=scope, scope_regions=[getattr(regions, r) for r in custom])
    names = ("district", "east", "west", "park", "north")
    assert {n for n in names if region_allowed(user, getattr(regions, n))} == allowed
