"""A change counter for the enterprise list's cached row count.

``enterprises_listversion`` holds one row whose ``n`` grows with every committed write to
``enterprises_enterprise`` (insert, delete, change of region) and ``regions_region`` — the
only tables the unfiltered, region-scoped list count reads. The list page reads ``n`` (one
indexed row) before counting and keys its cached count by it, so a count is reused only
while no such write has committed (``kechuang.enterprises.views.list_version``). How the
triggers work on SQLite and PostgreSQL: ``kechuang.core.db_counters``.
"""

from django.db import migrations

from kechuang.core.db_counters import create_counter, drop_counter

COUNTER, SUFFIX = "enterprises_listversion", "listversion"
TRACKED = [
    ("enterprises_enterprise", ["INSERT", "DELETE", "UPDATE OF region_id"]),
    ("regions_region", ["INSERT", "DELETE", "UPDATE"]),
]


def create(apps, schema_editor):
    create_counter(schema_editor, COUNTER, SUFFIX, TRACKED)


def drop(apps, schema_editor):
    drop_counter(schema_editor, COUNTER, SUFFIX, TRACKED)


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0002_list_indexes"), ("regions", "0001_initial")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
