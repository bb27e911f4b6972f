"""Change counters kept by database triggers (used from migrations).

A counter is a one-row table ``<counter>`` (``id`` 1, ``n``) whose ``n`` grows with every
committed write to the tables it tracks, including bulk inserts, imports and raw SQL. Readers
key per-process caches by ``n`` (e.g. the enterprise list's cached count, the cached
authorisation data of ``accounts.backends``).

* SQLite: row triggers in the writing transaction (SQLite has one writer at a time).
* PostgreSQL: deferred constraint triggers (and a statement trigger for TRUNCATE), so the
  counter row is locked only while the writing transaction commits (never across its
  statements); a transaction-local setting makes it one UPDATE per transaction however many
  rows it writes.

``tracked`` is a list of ``(table, ["INSERT", "DELETE", "UPDATE" | "UPDATE OF col", …])``.
"""


def _trigger(table: str, suffix: str, op: str) -> str:
    return f"{table}_{suffix}_{op.split()[0].lower()}"


def create_counter(schema_editor, counter: str, suffix: str, tracked) -> None:
    vendor = schema_editor.connection.vendor
    bump = f"UPDATE {counter} SET n = n + 1 WHERE id = 1;"
    schema_editor.execute(f"CREATE TABLE IF NOT EXISTS {counter} "
                          "(id integer PRIMARY KEY, n bigint NOT NULL);")
    schema_editor.execute(f"INSERT INTO {counter} (id, n) SELECT 1, 0 WHERE NOT "
                          f"EXISTS (SELECT 1 FROM {counter} WHERE id = 1);")
    if vendor == "sqlite":
        for table, ops in tracked:
            for op in ops:
                schema_editor.execute(f"CREATE TRIGGER IF NOT EXISTS {_trigger(table, suffix, op)} "
                                      f"AFTER {op} ON {table} BEGIN {bump} END;")
    elif vendor == "postgresql":
        schema_editor.execute(
            f"CREATE OR REPLACE FUNCTION {counter}_bump() RETURNS trigger AS $$ "
            "BEGIN "
            f"IF current_setting('kechuang.{suffix}_xact', true) IS DISTINCT FROM "
            "txid_current()::text THEN "
            f"{bump} "
            f"PERFORM set_config('kechuang.{suffix}_xact', txid_current()::text, true); "
            "END IF; RETURN NULL; END; $$ LANGUAGE plpgsql;")
        for table, ops in tracked:
            for op in ops:
                name = _trigger(table, suffix, op)
                schema_editor.execute(
                    f"DROP TRIGGER IF EXISTS {name} ON {table}; "
                    f"CREATE CONSTRAINT TRIGGER {name} AFTER {op} ON {table} "
                    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
                    f"EXECUTE FUNCTION {counter}_bump();")
            # TRUNCATE fires no row triggers (``flush`` uses it).
            schema_editor.execute(
                f"DROP TRIGGER IF EXISTS {table}_{suffix}_truncate ON {table}; "
                f"CREATE TRIGGER {table}_{suffix}_truncate AFTER TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {counter}_bump();")


def drop_trigger(schema_editor, suffix: str, table: str, op: str) -> None:
    on = f" ON {table}" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {_trigger(table, suffix, op)}{on};")


def drop_counter(schema_editor, counter: str, suffix: str, tracked, *,
                 keep_table: bool = False) -> None:
    """Drop the triggers of ``tracked``; also the counter unless ``keep_table`` (other
    tables still bump it)."""
    vendor = schema_editor.connection.vendor
    for table, ops in tracked:
        for op in ops:
            drop_trigger(schema_editor, suffix, table, op)
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_{suffix}_truncate ON {table};")
    if keep_table:
        return
    if vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {counter}_bump();")
    schema_editor.execute(f"DROP TABLE IF EXISTS {counter};")
