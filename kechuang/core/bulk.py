"""Multi-row INSERTs over pre-computed value tuples, for imports of many thousand rows.

``QuerySet.bulk_create`` builds a model instance per row and runs every value through the
insert compiler, which cost ~75 % of a 100,000-row enterprise import. ``insert_rows`` takes
rows as tuples of Python values in ``fields`` order, prepares only the values whose type needs
the backend's adaptation (dates, decimals, JSON, …) with the field's own
``get_db_prep_save``, and sends multi-row ``INSERT … VALUES (…), (…)`` statements (with
``RETURNING`` when asked and supported: SQLite ≥ 3.35, PostgreSQL). Like ``bulk_create`` it
sends no signals and calls no ``save()``; callers fill every column (defaults, ``auto_now``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

from django.db import connections, router
from django.db.models import Field, Model

MAX_ROWS_PER_STATEMENT = 1000

# Field types whose Python value (str / int / bool / None) goes to the driver unchanged.
_PASSTHROUGH = frozenset({
    "AutoField", "BigAutoField", "SmallAutoField", "BigIntegerField", "BooleanField",
    "CharField", "IntegerField", "PositiveBigIntegerField", "PositiveIntegerField",
    "PositiveSmallIntegerField", "SlugField", "SmallIntegerField", "TextField",
})


def connection_for(model: type[Model]):
    return connections[router.db_for_write(model)]


def can_return_rows(model: type[Model]) -> bool:
    return bool(connection_for(model).features.can_return_rows_from_bulk_insert)


def insert_fields(model: type[Model]) -> list[Field]:
    """The columns ``bulk_create`` would insert for new rows: concrete fields but the auto pk."""
    pk = model._meta.pk
    return [f for f in model._meta.concrete_fields
            if not (f is pk and f.get_internal_type() in {"AutoField", "BigAutoField",
                                                          "SmallAutoField"})]


def _needs_prep(field: Field) -> bool:
    if field.is_relation:
        return _needs_prep(field.target_field)
    return field.get_internal_type() not in _PASSTHROUGH


def _max_params(connection) -> int:
    limit = connection.features.max_query_params
    if connection.vendor == "sqlite":
        import sqlite3

        connection.ensure_connection()
        # The compiled-in limit (32766 since SQLite 3.32), not Django's 999 floor.
        with contextlib.suppress(AttributeError):
            limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return limit or 65535


def insert_rows(model: type[Model], fields: Sequence[Field], rows: Sequence[Sequence], *,
                returning: Sequence[Field] = ()) -> list[tuple]:
    """INSERT ``rows`` (Python values in ``fields`` order); return ``returning`` per row.

    Returned rows come in no guaranteed order: return a natural key with the pk to match
    them up. Raises ``NotSupportedError`` if ``returning`` is asked of a backend without
    ``INSERT … RETURNING`` (check ``can_return_rows`` first).
    """
    if not rows:
        return []
    connection = connection_for(model)
    if returning and not connection.features.can_return_rows_from_bulk_insert:
        from django.db import NotSupportedError

        raise NotSupportedError("INSERT … RETURNING is not supported by this database")
    preps = [(i, f) for i, f in enumerate(fields) if _needs_prep(f)]
    if preps:
        prepared = []
        last: dict[int, tuple] = {}  # column → (value, prepared): constants prepared once
        for row in rows:
            row = list(row)
            for i, f in preps:
                value = row[i]
                seen = last.get(i)
                if seen is not None and seen[0] is value:
                    row[i] = seen[1]
                else:
                    row[i] = f.get_db_prep_save(value, connection)
                    last[i] = (value, row[i])
            prepared.append(row)
        rows = prepared
    qn = connection.ops.quote_name
    head = "INSERT INTO {} ({}) VALUES ".format(
        qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields))
    tail = (" RETURNING " + ", ".join(qn(f.column) for f in returning)) if returning else ""
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per = max(1, min(MAX_ROWS_PER_STATEMENT, _max_params(connection) // len(fields)))
    out: list[tuple] = []
    statements: dict[int, str] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # The driver's cursor with "?" placeholders: Django's wrapper would rewrite each
            # multi-row statement's thousands of "%s" with a regex on every execute.
            cursor = connection.connection.cursor()
            one = one.replace("%s", "?")
        try:
            for start in range(0, len(rows), per):
                batch = rows[start:start + per]
                sql = statements.get(len(batch))
                if sql is None:
                    sql = statements[len(batch)] = head + ", ".join([one] * len(batch)) + tail
                cursor.execute(sql, [value for row in batch for value in row])
                if returning:
                    out.extend(cursor.fetchall())
        finally:
            if connection.vendor == "sqlite":
                cursor.close()
    return out
