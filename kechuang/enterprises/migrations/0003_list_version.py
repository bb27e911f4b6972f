"""A change counter for the enterprise list's cached row count.

``enterprises_listversion`` holds one row whose ``n`` grows with every committed write to
``enterprises_enterprise`` (insert, delete, change of region) and ``regions_region`` — the
only tables the unfiltered, region-scoped list count reads. The list page reads ``n`` (one
indexed row) before counting and keys its cached count by it, so a count is reused only
while no such write has committed (``kechuang.enterprises.views.list_version``).

Triggers, so bulk inserts, imports and raw SQL are covered too:

* SQLite: row triggers in the writing transaction (SQLite has one writer at a time).
* PostgreSQL: deferred constraint triggers (and a statement trigger for TRUNCATE), so the counter row is locked only while the
  writing transaction commits (never across its statements); a transaction-local setting
  makes it one UPDATE per transaction however many rows it writes.
"""

from django.db import migrations

TRACKED = [
    ("enterprises_enterprise", ["INSERT", "DELETE", "UPDATE OF region_id"]),
    ("regions_region", ["INSERT", "DELETE", "UPDATE"]),
]
BUMP = "UPDATE enterprises_listversion SET n = n + 1 WHERE id = 1;"


def _name(table: str, op: str) -> str:
    return f"{table}_listversion_{op.split()[0].lower()}"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute("CREATE TABLE IF NOT EXISTS enterprises_listversion "
                          "(id integer PRIMARY KEY, n bigint NOT NULL);")
    schema_editor.execute("INSERT INTO enterprises_listversion (id, n) SELECT 1, 0 WHERE NOT "
                          "EXISTS (SELECT 1 FROM enterprises_listversion WHERE id = 1);")
    if vendor == "sqlite":
        for table, ops in TRACKED:
            for op in ops:
                schema_editor.execute(f"CREATE TRIGGER IF NOT EXISTS {_name(table, op)} "
                                      f"AFTER {op} ON {table} BEGIN {BUMP} END;")
    elif vendor == "postgresql":
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION enterprises_listversion_bump() RETURNS trigger AS $$ "
            "BEGIN "
            "IF current_setting('kechuang.listversion_xact', true) IS DISTINCT FROM "
            "txid_current()::text THEN "
            f"{BUMP} "
            "PERFORM set_config('kechuang.listversion_xact', txid_current()::text, true); "
            "END IF; RETURN NULL; END; $$ LANGUAGE plpgsql;")
        for table, ops in TRACKED:
            for op in ops:
                name = _name(table, op)
                schema_editor.execute(
                    f"DROP TRIGGER IF EXISTS {name} ON {table}; "
                    f"CREATE CONSTRAINT TRIGGER {name} AFTER {op} ON {table} "
                    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
                    "EXECUTE FUNCTION enterprises_listversion_bump();")
            # TRUNCATE fires no row triggers (``flush`` uses it).
            schema_editor.execute(
                f"DROP TRIGGER IF EXISTS {table}_listversion_truncate ON {table}; "
                f"CREATE TRIGGER {table}_listversion_truncate AFTER TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION enterprises_listversion_bump();")


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table, ops in TRACKED:
        for op in ops:
            on = f" ON {table}" if vendor == "postgresql" else ""
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {_name(table, op)}{on};")
        if vendor == "postgresql":
            schema_editor.execute(
                f"DROP TRIGGER IF EXISTS {table}_listversion_truncate ON {table};")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS enterprises_listversion_bump();")
    schema_editor.execute("DROP TABLE IF EXISTS enterprises_listversion;")


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0002_list_indexes"), ("regions", "0001_initial")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
