"""SQLite: triggers dropped by a table rebuild come back after migrate."""

import pytest
from django.db import connection

from kechuang.core.db_triggers import TRIGGER_MIGRATIONS, _triggers, ensure_sqlite_triggers
from kechuang.core.testing import EnterpriseFactory
from kechuang.enterprises.filtersets import search_q
from kechuang.enterprises.models import Enterprise

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")

EXPECTED = {
    "audit_changerecord_no_update", "audit_changerecord_no_delete",
    "enterprises_enterprise_listversion_insert", "enterprises_enterprise_listversion_update",
    "enterprises_enterprise_listversion_delete",
    "enterprises_certification_listversion_insert",
    "enterprises_annualindicator_listversion_update",
    "enterprises_enterprise_search_ai", "enterprises_enterprise_search_ad",
    "enterprises_enterprise_search_au",
    "accounts_user_authversion_update", "accounts_role_regions_authversion_insert",
}


def test_every_trigger_exists_after_the_migrations(db):
    # The test database went through every migration, table rebuilds included.
    assert _triggers(connection) >= EXPECTED
    assert ensure_sqlite_triggers() == []


def test_a_dropped_trigger_comes_back(db):
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER enterprises_enterprise_listversion_update")
        cursor.execute("DROP TRIGGER accounts_user_authversion_update")
    assert ensure_sqlite_triggers() == ["accounts_user_authversion_update",
                                        "enterprises_enterprise_listversion_update"]
    assert _triggers(connection) >= EXPECTED


def test_a_dropped_search_trigger_rebuilds_the_index(regions):
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER enterprises_enterprise_search_ai")
    # Written while the trigger was missing: not in the index yet.
    ent = EnterpriseFactory(region=regions.east, name="蓝湾精密仪器有限公司")
    assert not Enterprise.objects.filter(search_q("蓝湾精密")).exists()
    assert ensure_sqlite_triggers() == ["enterprises_enterprise_search_ai"]
    assert list(Enterprise.objects.filter(search_q("蓝湾精密"))) == [ent]


def test_each_registered_function_exists():
    import importlib

    for app, name, function, _ in TRIGGER_MIGRATIONS:
        module = importlib.import_module(f"kechuang.{app}.migrations.{name}")
        assert callable(getattr(module, function))
