"""Indexes for the enterprise list page (issue 2 list benchmark).

Plain SQL, outside the migration state (the models do not declare them, so the
autodetector never proposes to drop them):

* both databases: covering indexes for the certification and 规上 filters, which read
  ``enterprise_id`` from ``(kind, status, year, …)`` and ``(year, is_above_scale_industrial)``;
* PostgreSQL: ``(name, id)`` for the list order (index-only id pages), and pg_trgm GIN
  indexes for the name and pinyin search (``UPPER(name) LIKE``, ``name_pinyin LIKE``).
  On SQLite the name index already orders by (name, rowid).
"""

from django.db import migrations

BOTH = [
    ("enterprises_cert_list_filter", "enterprises_certification",
     "(kind, status, year, enterprise_id, valid_until)"),
    ("enterprises_ind_list_filter", "enterprises_annualindicator",
     "(year, is_above_scale_industrial, enterprise_id)"),
]
POSTGRESQL = [
    ("enterprises_ent_name_id", "enterprises_enterprise", "(name, id)"),
    ("enterprises_ent_name_trgm", "enterprises_enterprise",
     "USING gin (UPPER(name::text) gin_trgm_ops)"),
    ("enterprises_ent_pinyin_trgm", "enterprises_enterprise",
     "USING gin (name_pinyin gin_trgm_ops)"),
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    indexes = list(BOTH)
    if vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm;")
        indexes += POSTGRESQL
    for name, table, spec in indexes:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {spec};")
    if vendor == "postgresql":
        schema_editor.execute("ANALYZE enterprises_enterprise;")


def drop(apps, schema_editor):
    for name, _table, _spec in BOTH + POSTGRESQL:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name};")


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
