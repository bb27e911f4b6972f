"""The demo district (issue 2, item 8): deterministic, fictional, and its 2020 records give the
seed's figures: 228 new 国家科小, 449 new 市科小, 154 高企 applications of which 86 first-time."""

import io
import random

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.core.management.base import CommandError

from kechuang.accounts.choices import RoleCode
from kechuang.accounts.models import User
from kechuang.audit.models import ChangeRecord
from kechuang.core.demo import DEMO_TODAY, demo_logins
from kechuang.core.uscc import is_valid_uscc
from kechuang.enterprises import demo as enterprise_demo
from kechuang.enterprises.models import AnnualIndicator, Certification, Enterprise
from kechuang.regions.models import Region

SMALL = 0.34
SEED_FIGURES = {"national_new": 228, "municipal_new": 449, "high_tech_applications": 154,
                "high_tech_first": 86}


def _fingerprint(ents):
    return [(e.fields["uscc"], e.fields["name"], e.region_index,
             sorted(e.indicators.items()), e.certifications) for e in ents]


def test_plan_is_deterministic():
    first = enterprise_demo.plan(random.Random(2020), SMALL)
    second = enterprise_demo.plan(random.Random(2020), SMALL)
    assert _fingerprint(first) == _fingerprint(second)
    assert len(first) == 1020


def test_plan_refuses_a_scale_too_small_for_the_seed_figures():
    with pytest.raises(ValueError, match="--scale"):
        enterprise_demo.plan(random.Random(2020), 0.1)


FOUNDATION = "regions,accounts,enterprises"


def _build(scale, only=FOUNDATION):
    """Small builds run the foundation's builders; the full build runs every app's."""
    out = io.StringIO()
    call_command("demo", scale=scale, only=only, stdout=out)
    return out.getvalue()


def _check_district(count, foundation_only=True):
    assert enterprise_demo.figures_2020() == SEED_FIGURES
    by_year = enterprise_demo.first_applications_by_year()
    assert by_year[2020] == 86
    assert all(n < 86 for year, n in by_year.items() if year != 2020)
    assert Enterprise.objects.count() == count
    assert all(is_valid_uscc(code) for code in Enterprise.objects.values_list("uscc", flat=True))
    assert Enterprise.objects.values("name").distinct().count() == count
    if not foundation_only:
        return  # later builders may add records of their own
    # records end on 2020-09-30; annual figures are 2016–2019
    assert not Enterprise.objects.filter(established_on__gt=DEMO_TODAY).exists()
    assert not Certification.objects.filter(issued_on__gt=DEMO_TODAY).exists()
    assert not Certification.objects.filter(applied_on__gt=DEMO_TODAY).exists()
    assert set(AnnualIndicator.objects.values_list("year", flat=True).distinct()) == {
        2016, 2017, 2018, 2019}
    assert set(Certification.objects.values_list("year", flat=True).distinct()) == {
        2016, 2017, 2018, 2019, 2020}
    assert AnnualIndicator.objects.filter(is_above_scale_industrial=True).exists()
    # every row is audited, by the system, on the demo channel
    assert ChangeRecord.objects.filter(content_type__model="enterprise",
                                       action="create").count() == count
    assert ChangeRecord.objects.filter(
        content_type__model="annualindicator").count() == AnnualIndicator.objects.count()
    demo_apps = ("regions", "accounts", "enterprises")
    assert set(ChangeRecord.objects.filter(content_type__app_label__in=demo_apps)
               .values_list("channel", flat=True).distinct()) == {"demo"}


@pytest.mark.django_db
def test_small_demo_gives_the_seed_figures_and_matches_the_plan():
    output = _build(SMALL)

    assert "2020年：新增国家科技型中小企业228家，新增市科技型中小企业449家，" \
           "高企申报154家（其中新申报86家）" in output
    _check_district(1020)
    planned = enterprise_demo.plan(random.Random(2020), SMALL)
    stored = dict(Enterprise.objects.values_list("uscc", "name"))
    assert stored == {e.fields["uscc"]: e.fields["name"] for e in planned}
    assert Certification.objects.count() == sum(len(e.certifications) for e in planned)


@pytest.mark.django_db
def test_demo_regions_and_accounts():
    _build(SMALL)

    home = Region.objects.get(is_home=True)
    assert home.name == "临澜区"
    assert Region.objects.filter(kind="district").count() == 10
    assert Region.objects.filter(parent=home).count() == 8
    assert all(r.code.startswith("3398") for r in Region.objects.all())
    logins = demo_logins()
    assert {login.username for login in logins} == set(
        User.objects.values_list("username", flat=True))
    for login in logins:
        user = User.objects.get(username=login.username)
        assert user.check_password(login.password), login.username
        validate_password(login.password, user)
    roles = {u.username: u.role_codes() for u in User.objects.all()}
    assert set().union(*roles.values()) == set(RoleCode.values)
    assert all(len(codes) == 1 for codes in roles.values())
    enterprise_user = User.objects.get(username="enterprise")
    assert enterprise_user.enterprises.count() == 1
    street = User.objects.get(username="street")
    assert street.region.name == "青澜街道"
    visible = Enterprise.objects.restrict(street, "view")
    assert visible.exists()
    assert not visible.exclude(region=street.region).exists()


@pytest.mark.django_db
def test_demo_refuses_to_build_twice_without_reset():
    _build(SMALL)
    with pytest.raises(CommandError, match="--reset"):
        _build(SMALL)
    out = io.StringIO()
    call_command("demo", if_empty=True, stdout=out)
    assert "跳过" in out.getvalue()


def test_logins_are_printed_without_a_database():
    out = io.StringIO()
    call_command("demo", logins=True, stdout=out)
    text = out.getvalue()
    for login in demo_logins():
        assert login.username in text
        assert login.password in text


@pytest.mark.slow
@pytest.mark.django_db
def test_full_scale_demo_gives_the_seed_figures():
    _build(1.0)
    _check_district(3000)
