"""pytest fixtures shared by every app (registered through ``pytest_plugins`` in the root
``conftest.py``): a fictional region tree, users per role and scope, enterprises on both sides
of a street boundary, and logged-in clients."""

from types import SimpleNamespace

import pytest
from django.test import Client

from kechuang.accounts.choices import RoleCode
from kechuang.regions.models import RegionKind

from .factories import EnterpriseFactory, RegionFactory, make_user


@pytest.fixture
def regions(db):
    """示例市 → 示范区 (home) → 东湖街道 / 西山街道 / 科创园区; 邻区 → 北岭街道."""
    city = RegionFactory(code="339900", name="示例市", kind=RegionKind.CITY)
    district = RegionFactory(code="339901", name="示范区", kind=RegionKind.DISTRICT,
                             parent=city, is_home=True)
    east = RegionFactory(code="339901001", name="东湖街道", kind=RegionKind.SUBDISTRICT,
                         parent=district)
    west = RegionFactory(code="339901002", name="西山街道", kind=RegionKind.SUBDISTRICT,
                         parent=district)
    park = RegionFactory(code="339901003", name="科创园区", kind=RegionKind.PARK,
                         parent=district)
    other = RegionFactory(code="339902", name="邻区", kind=RegionKind.DISTRICT, parent=city)
    north = RegionFactory(code="339902001", name="北岭街道", kind=RegionKind.SUBDISTRICT,
                          parent=other)
    return SimpleNamespace(city=city, district=district, east=east, west=west, park=park,
                           other=other, north=north)


@pytest.fixture
def ent_east(regions):
    return EnterpriseFactory(name="东湖智能装备有限公司", region=regions.east)


@pytest.fixture
def ent_west(regions):
    return EnterpriseFactory(name="西山光电科技有限公司", region=regions.west,
                             industry_code="I6510")


@pytest.fixture
def staff(regions):
    return make_user(RoleCode.STAFF, region=regions.district, username="keyuan")


@pytest.fixture
def bureau_admin(regions):
    return make_user(RoleCode.BUREAU_ADMIN, region=regions.district, username="juadmin")


@pytest.fixture
def leader(regions):
    return make_user(RoleCode.LEADER, region=regions.district, username="lingdao")


@pytest.fixture
def sub_east(regions):
    """街道/园区人员 of 东湖街道 (本区域及下级)."""
    return make_user(RoleCode.SUBDISTRICT, region=regions.east, username="donghu")


@pytest.fixture
def sub_west(regions):
    return make_user(RoleCode.SUBDISTRICT, region=regions.west, username="xishan")


@pytest.fixture
def ent_user(ent_east):
    """企业用户 linked to ``ent_east`` (仅本人)."""
    user = make_user(RoleCode.ENTERPRISE, username="qiye")
    ent_east.members.add(user)
    return user


@pytest.fixture
def audit_admin(regions):
    return make_user(RoleCode.AUDIT_ADMIN, username="shenji")


@pytest.fixture
def system_admin(regions):
    return make_user(RoleCode.SYSTEM_ADMIN, username="xitong")


@pytest.fixture
def security_admin(regions):
    return make_user(RoleCode.SECURITY_ADMIN, username="anquan")


@pytest.fixture
def expert(regions):
    """A logged-in user with no enterprise permissions (专家)."""
    return make_user(RoleCode.EXPERT, username="zhuanjia")


@pytest.fixture
def client_for(db):
    """``client_for(user)`` → a Django test client logged in as ``user`` (``None``: anonymous).

    The same client serves pages and the JSON API (session authentication)."""

    def make(user=None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def changes(db):
    """``changes()`` → change records written since the test began, oldest first.

    Migrations seed some records (rule tables), so tests compare against this baseline."""
    from django.db.models import Max

    from kechuang.audit.models import ChangeRecord

    start = ChangeRecord.objects.aggregate(m=Max("pk"))["m"] or 0
    return lambda: list(ChangeRecord.objects.filter(pk__gt=start).order_by("pk"))


def _sqlite_triggers(create: bool) -> None:
    """The SQLite append-only triggers of ``audit/migrations/0002`` (same names and SQL)."""
    import importlib

    from django.db import connection

    tables = importlib.import_module("kechuang.audit.migrations.0002_append_only_triggers").TABLES
    with connection.cursor() as cur:
        for table in tables:
            for op in ("UPDATE", "DELETE"):
                name = f"{table}_no_{op.lower()}"
                if create:
                    cur.execute(f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {op} ON {table} "
                                "BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;")
                else:
                    cur.execute(f"DROP TRIGGER IF EXISTS {name};")


@pytest.fixture(autouse=True)
def _audit_triggers_and_flush(request):
    """Keep the append-only audit triggers in place for every database test, and lift them
    on SQLite just before a transactional test's flush (``DELETE FROM``; PostgreSQL flushes
    with ``TRUNCATE``, which row triggers do not see)."""
    names = request.fixturenames
    transactional = "transactional_db" in names or "live_server" in names
    if not transactional and "db" not in names:
        yield
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    from django.db import connection

    sqlite = connection.vendor == "sqlite"
    if sqlite:
        _sqlite_triggers(create=True)
    yield
    if transactional and sqlite:
        _sqlite_triggers(create=False)
