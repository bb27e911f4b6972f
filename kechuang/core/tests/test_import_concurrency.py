"""Two imports of one registry at the same moment: the checks against stored records and the
writes are one transaction under the importer's lock, so the second import sees the first's
rows (docs/import-export.md, "Import" step 5)."""

import io
import threading
import time

import pytest
from django.db import connection, connections, transaction

from kechuang.carriers.importers import CarrierImporter
from kechuang.carriers.models import Carrier
from kechuang.core import importing
from kechuang.core.testing.excel import xlsx_bytes

from .test_import_nasty_files import FULL, errors, headers, repeat_message, row

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                     reason="advisory locks are PostgreSQL's")
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write lock")


def carrier_file() -> bytes:
    return xlsx_bytes(headers("carriers"), [row("carriers", **FULL["carriers"])])


def test_the_checks_and_the_writes_are_one_transaction_taken_under_the_lock(
        staff, regions, monkeypatch):
    """The lock is the transaction's first statement; prepare, both repeat checks and commit
    run inside that same (outermost here) atomic block."""
    outer = connection.atomic_blocks[-1] if connection.atomic_blocks else None
    steps = []

    def spy(step, real):
        def wrapper(*args, **kwargs):
            steps.append((step, connection.atomic_blocks[-1] if connection.in_atomic_block
                          else None))
            return real(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(importing, "lock_imports", spy("lock", importing.lock_imports))
    monkeypatch.setattr(importing, "flag_repeated_rows",
                        spy("in-file check", importing.flag_repeated_rows))
    monkeypatch.setattr(importing, "flag_stored_repeats",
                        spy("stored check", importing.flag_stored_repeats))
    monkeypatch.setattr(CarrierImporter, "prepare", spy("prepare", CarrierImporter.prepare))
    monkeypatch.setattr(CarrierImporter, "commit", spy("commit", CarrierImporter.commit))

    result = importing.run_import(importing.get_importer("carriers"),
                                  io.BytesIO(carrier_file()), actor=staff)

    assert (errors(result), result.created) == ([], 1)
    assert [step for step, _ in steps] == ["lock", "prepare", "in-file check", "stored check",
                                           "commit"]
    block = steps[0][1]
    assert block is not None
    assert block is not outer
    assert all(b is block for _, b in steps)


@sqlite_only
def test_on_sqlite_an_import_transaction_takes_the_write_lock_at_begin():
    """BEGIN IMMEDIATE: a second import waits (busy timeout) before its own checks."""
    assert connection.transaction_mode == "IMMEDIATE"


def test_the_lock_key_is_stable_and_per_importer():
    assert importing.import_lock_key("carriers") == importing.import_lock_key("carriers")
    assert importing.import_lock_key("carriers") != importing.import_lock_key("experts")
    assert -2**63 <= importing.import_lock_key("demands") < 2**63


def _in_other_connection(fn):
    """Run ``fn()`` in another thread, i.e. on another database connection."""
    out = {}

    def target():
        try:
            out["value"] = fn()
        finally:
            connections.close_all()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(30)
    return out["value"]


def _try_lock(name: str) -> bool:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [importing.import_lock_key(name)])
        return cursor.fetchone()[0]


@postgresql_only
def test_the_lock_excludes_another_import_of_the_registry_until_commit(transactional_db):
    with transaction.atomic():
        importing.lock_imports(importing.get_importer("carriers"))
        assert _in_other_connection(lambda: _try_lock("carriers")) is False
        assert _in_other_connection(lambda: _try_lock("experts")) is True
    assert _in_other_connection(lambda: _try_lock("carriers")) is True


def _waiting_for_an_advisory_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                       " AND database = (SELECT oid FROM pg_database"
                       " WHERE datname = current_database())")
        return cursor.fetchone()[0] > 0


@postgresql_only
def test_two_imports_of_the_same_file_at_once_store_it_once(transactional_db, staff, regions,
                                                            monkeypatch):
    """The first import has written its row but not committed; the second, started then,
    waits for the lock instead of passing the repeat check, and then refuses the repeat."""
    content = carrier_file()
    written, second_wrote, release = threading.Event(), threading.Event(), threading.Event()
    real_commit = CarrierImporter.commit

    def commit_and_hold(self, rows, **kwargs):
        out = real_commit(self, rows, **kwargs)
        (second_wrote if written.is_set() else written).set()
        release.wait(30)
        return out

    monkeypatch.setattr(CarrierImporter, "commit", commit_and_hold)
    results = {}

    def run(key):
        try:
            results[key] = importing.run_import(importing.get_importer("carriers"),
                                                io.BytesIO(content), actor=staff)
        finally:
            connections.close_all()

    first = threading.Thread(target=run, args=("first",))
    first.start()
    try:
        assert written.wait(30)
        second = threading.Thread(target=run, args=("second",))
        second.start()
        deadline = time.monotonic() + 30
        while not (_waiting_for_an_advisory_lock() or second_wrote.is_set()
                   or not second.is_alive()):
            assert time.monotonic() < deadline
            time.sleep(0.02)
    finally:
        release.set()
        first.join(30)
    second.join(30)

    assert (errors(results["first"]), results["first"].created) == ([], 1)
    assert errors(results["second"]) == [
        (2, "载体名称", repeat_message("carriers", "东湖众创空间"))]
    assert Carrier.objects.count() == 1
