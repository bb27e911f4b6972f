"""SQLite: put back the triggers a table rebuild removed (run after every ``migrate``).

SQLite cannot alter most columns in place, so Django's schema editor rebuilds a table (create,
copy, drop, rename) for, e.g., a new NOT NULL column — and the rebuild drops every trigger on
the old table. kechuang relies on triggers: append-only audit tables, the change counters of
``core.db_counters`` (list snapshots, cached authorisation data) and the FTS5 search index of
the enterprise registry. After ``migrate`` (and ``flush``), ``ensure_sqlite_triggers`` re-runs
the idempotent creation of each trigger set whose migration is applied; the search index is
also rebuilt when one of its triggers had gone, since writes in between were not indexed.
PostgreSQL keeps triggers across ``ALTER TABLE``; nothing is done there.
"""

from __future__ import annotations

import importlib
import logging

from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

log = logging.getLogger(__name__)

# (app label, migration, function name, trigger names whose absence also needs a rebuild).
# Functions take (apps, schema_editor) like RunPython code and are idempotent on SQLite.
TRIGGER_MIGRATIONS = [
    ("audit", "0002_append_only_triggers", "create_triggers", ()),
    ("enterprises", "0003_list_version", "create", ()),
    ("enterprises", "0004_search_fts_sqlite", "create",
     ("enterprises_enterprise_search_ai", "enterprises_enterprise_search_ad",
      "enterprises_enterprise_search_au")),
    ("enterprises", "0005_list_version_all_writes", "forwards", ()),
    ("accounts", "0002_auth_version", "create", ()),
]


class _Executor:
    """The part of a schema editor the trigger functions use (``execute``, ``connection``),
    as plain statements: usable where a SQLite schema editor is not (inside ``atomic``)."""

    def __init__(self, connection):
        self.connection = connection

    def execute(self, sql, params=None):
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)


def _triggers(connection) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {row[0] for row in cursor.fetchall()}


def ensure_sqlite_triggers(using: str = "default", **kwargs) -> list[str]:
    """Recreate missing triggers; returns the names that were missing and are back."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    applied = MigrationRecorder(connection).applied_migrations()
    before = _triggers(connection)
    editor = _Executor(connection)
    for app, name, function, needs_all in TRIGGER_MIGRATIONS:
        if (app, name) not in applied:
            continue
        if needs_all and set(needs_all) <= before:
            continue  # complete: its creation would also rebuild the index
        module = importlib.import_module(f"kechuang.{app}.migrations.{name}")
        getattr(module, function)(None, editor)
    restored = sorted(_triggers(connection) - before)
    if restored:
        log.info("recreated SQLite triggers dropped by a table rebuild: %s",
                    ", ".join(restored))
    return restored
