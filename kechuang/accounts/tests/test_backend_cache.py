"""CachedModelBackend: authorisation data reused between requests until any of it changes.

These tests commit (``transactional_db``): the cache is bypassed inside a transaction, and on
PostgreSQL the version counter only moves at commit.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kechuang.accounts import backends
from kechuang.accounts.models import Role
from kechuang.accounts.services import assign_roles

AUTH_TABLES = ("accounts_user", "auth_permission", "accounts_role", "accounts_role_regions")


@pytest.fixture(autouse=True)
def _empty_cache(transactional_db):
    backends.clear()
    yield
    backends.clear()


def _auth_queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    sql = [q["sql"] for q in ctx.captured_queries]
    return response, [s for s in sql if any(f'"{t}"' in s for t in AUTH_TABLES)]


def test_second_request_reads_no_authorisation_tables(staff, client_for):
    client = client_for(staff)
    response, first = _auth_queries(client, "/enterprises/")
    assert response.status_code == 200
    assert first  # user row, permissions and roles loaded once
    response, second = _auth_queries(client, "/enterprises/")
    assert response.status_code == 200
    assert second == []


def test_removing_a_role_takes_effect_on_the_next_request(staff, security_admin, client_for):
    client = client_for(staff)
    assert client.get("/enterprises/").status_code == 200
    assert client.get("/enterprises/").status_code == 200  # served from the cache
    assign_roles(actor=security_admin, user=staff, roles=[Role.objects.get(code="expert")])
    assert client.get("/enterprises/").status_code == 403


def test_deactivating_a_user_logs_the_session_out(staff, client_for):
    client = client_for(staff)
    assert client.get("/enterprises/").status_code == 200
    staff.is_active = False
    staff.save(update_fields=["is_active"])
    response = client.get("/enterprises/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_changing_a_role_scope_changes_the_rows_seen(staff, regions, ent_east, ent_west,
                                                    client_for):
    role = Role.objects.get(code="staff")
    client = client_for(staff)
    page = client.get("/enterprises/").content.decode()
    assert ent_east.name in page
    assert ent_west.name in page
    role.data_scope = "custom"
    role.save(update_fields=["data_scope"])
    role.regions.set([regions.east])
    page = client.get("/enterprises/").content.decode()
    assert ent_east.name in page
    assert ent_west.name not in page


def test_inside_a_transaction_the_cache_is_not_used(staff, client_for):
    from django.db import transaction

    client = client_for(staff)
    client.get("/enterprises/")
    with transaction.atomic():
        _, queries = _auth_queries(client, "/enterprises/")
    assert queries  # loaded from the database again
