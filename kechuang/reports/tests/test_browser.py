import pytest
from django.db import connection

from kechuang.core.testing.browser import login
from kechuang.core.testing.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


AUDIT_TABLES = ("audit_changerecord", "audit_operationlog", "audit_loginlog")


@pytest.fixture
def clear_audit_after(transactional_db):
    """The live server writes append-only audit rows; the transactional flush that follows
    cannot delete them. Empty those tables with the triggers lifted, then restore them."""
    yield
    if connection.vendor != "sqlite":  # PostgreSQL's flush truncates (no row triggers)
        return
    with connection.cursor() as cursor:
        for table in AUDIT_TABLES:
            for op in ("update", "delete"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op}")
            cursor.execute(f"DELETE FROM {table}")
            for op in ("UPDATE", "DELETE"):
                cursor.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON "
                    f"{table} BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;")


def test_dashboard_tile_drills_down_to_records(clear_audit_after, data, leader, page):
    login(page, leader.username, TEST_PASSWORD)
    page.goto("/reports/dashboard/?until=2020-09-30")
    tile = page.locator('.kc-tile[data-code="new_national_tech_sme"] [data-testid=tile-link]')
    tile.wait_for()
    assert tile.inner_text() == "3家"
    page.locator("#chart-trends canvas").first.wait_for()
    tile.click()
    page.wait_for_url("**/indicators/records/new_national_tech_sme/**")
    assert page.locator("[data-testid=records-title]").inner_text() == \
        "新增国家科技型中小企业：明细记录"
    assert page.locator("[data-testid=result-count]").inner_text() == "共 3 条"
