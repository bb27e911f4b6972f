"""Audit: append-only records (ORM and database triggers), login log, operation log,
lock-out after five failures, and the audit administrator's read-only pages."""

import pytest
from django.db import DatabaseError, connection, transaction

from kechuang.audit import record
from kechuang.audit.models import (
    AppendOnlyError,
    ChangeRecord,
    LoginEvent,
    LoginLog,
    OperationLog,
)
from kechuang.core.testing.factories import TEST_PASSWORD
from kechuang.enterprises import services
from kechuang.enterprises.models import Enterprise


@pytest.fixture
def change(staff, ent_east):
    return record.write("update", ent_east, actor=staff, before={"name": "旧"})


# --- append-only --------------------------------------------------------------------------

def test_orm_cannot_update_or_delete_change_records(change):
    with pytest.raises(AppendOnlyError, match="审计记录不可修改"):
        ChangeRecord.objects.filter(pk=change.pk).update(message="改")
    with pytest.raises(AppendOnlyError, match="审计记录不可删除"):
        ChangeRecord.objects.filter(pk=change.pk).delete()
    change.message = "改"
    with pytest.raises(AppendOnlyError):
        change.save()
    with pytest.raises(AppendOnlyError):
        change.delete()
    assert ChangeRecord.objects.get(pk=change.pk).message == ""


@pytest.mark.parametrize("model", [ChangeRecord, OperationLog, LoginLog],
                         ids=lambda m: m.__name__)
def test_orm_queryset_writes_refused_on_every_log(model):
    with pytest.raises(AppendOnlyError):
        model.objects.all().update(pk=1)
    with pytest.raises(AppendOnlyError):
        model.objects.all().delete()


@pytest.mark.parametrize(
    ("table", "sql"),
    [
        ("audit_changerecord", "UPDATE audit_changerecord SET message = 'x'"),
        ("audit_changerecord", "DELETE FROM audit_changerecord"),
        ("audit_loginlog", "UPDATE audit_loginlog SET username = 'x'"),
        ("audit_loginlog", "DELETE FROM audit_loginlog"),
        ("audit_operationlog", "UPDATE audit_operationlog SET path = 'x'"),
        ("audit_operationlog", "DELETE FROM audit_operationlog"),
    ],
)
def test_database_trigger_refuses_raw_update_and_delete(table, sql, change):
    # given one row in each log
    LoginLog.objects.create(username="u", event=LoginEvent.LOGIN, succeeded=True)
    OperationLog.objects.create(username="u", request_id="r", method="POST", path="/x/",
                                status=200, duration_ms=1, succeeded=True)
    with connection.cursor() as cur:
        cur.execute(f"SELECT COUNT(*) FROM {table}")
        before = cur.fetchone()[0]
    # when raw SQL bypasses the ORM, the database refuses
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
            connection.cursor() as cur:
        cur.execute(sql)
    with connection.cursor() as cur:
        cur.execute(f"SELECT COUNT(*) FROM {table}")
        assert cur.fetchone()[0] == before
    assert ChangeRecord.objects.get(pk=change.pk).message == ""


def test_failed_audit_write_rolls_back_the_business_change(staff, ent_east, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(record, "write", broken)
    with pytest.raises(RuntimeError):
        services.update_enterprise(actor=staff, enterprise=ent_east, data={"name": "不应保存"})
    assert Enterprise.objects.get(pk=ent_east.pk).name == ent_east.name


# --- login log, lock-out, operation log ---------------------------------------------------

def _login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password},
                       HTTP_USER_AGENT="pytest-agent")


def _events(username):
    return list(LoginLog.objects.filter(username=username).order_by("pk")
                .values_list("event", "succeeded"))


def test_login_success_failure_and_logout_are_logged(client, staff):
    response = _login(client, staff.username, "wrong-password")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    response = _login(client, staff.username, TEST_PASSWORD)
    assert response.status_code == 302
    assert client.post("/accounts/logout/").status_code == 302
    assert _events(staff.username) == [("failed", False), ("login", True), ("logout", True)]
    row = LoginLog.objects.filter(username=staff.username, event="login").get()
    assert (row.remote_addr, row.user_agent) == ("127.0.0.1", "pytest-agent")


def test_lockout_after_five_failures_refuses_even_the_right_password(client, staff):
    for _ in range(5):
        _login(client, staff.username, "wrong-password")
    response = _login(client, staff.username, TEST_PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get("/enterprises/").status_code == 302  # still anonymous
    # the fifth failure locks; the refused sixth attempt is logged as locked + failed
    assert _events(staff.username) == [("failed", False)] * 4 + [
        ("locked", False), ("failed", False)] * 2


def test_four_failures_do_not_lock(client, staff):
    for _ in range(4):
        _login(client, staff.username, "wrong-password")
    assert _login(client, staff.username, TEST_PASSWORD).status_code == 302


def test_post_writes_one_operation_log_row_and_get_writes_none(staff, ent_east, client_for):
    client = client_for(staff)
    client.get("/enterprises/")
    assert OperationLog.objects.count() == 0
    response = client.post(f"/enterprises/{ent_east.pk}/edit/", {"name": ""})
    row = OperationLog.objects.get()
    assert (row.username, row.method, row.path, row.status, row.succeeded) == (
        staff.username, "POST", f"/enterprises/{ent_east.pk}/edit/", response.status_code,
        False)
    assert row.request_id == response["X-Request-ID"]


def test_export_writes_operation_log_and_change_record(staff, ent_east, client_for, changes):
    response = client_for(staff).get("/enterprises/?export=xlsx")
    assert response.status_code == 200
    assert OperationLog.objects.get().path == "/enterprises/"
    [rec] = changes()
    assert rec.action == "export"
    assert rec.actor == staff


# --- audit pages ------------------------------------------------------------------------

def test_audit_admin_reads_and_filters_change_records(audit_admin, staff, ent_east,
                                                      client_for):
    services.update_enterprise(actor=staff, enterprise=ent_east, data={"address": "东湖路1号"})
    client = client_for(audit_admin)
    page = client.get("/audit/changes/?action=update").content.decode()
    assert ent_east.name in page
    assert ent_east.name not in client.get("/audit/changes/?action=delete").content.decode()
    assert client.get("/audit/logins/").status_code == 200
    assert client.get("/audit/operations/").status_code == 200


@pytest.mark.parametrize("path", ["/audit/changes/", "/audit/operations/", "/audit/logins/"])
def test_audit_pages_refuse_writes(path, audit_admin, client_for, change):
    response = client_for(audit_admin).post(path, {"message": "x"})
    assert response.status_code == 405
    assert ChangeRecord.objects.get(pk=change.pk).message == ""
