"""The list version (migration 0003) now moves with every committed write the list can show.

The list page keeps, per version, the ordered ids of each list it served (any filter or
search, see ``core.views.ListPaginator``), so the counter must move with every write to
what the list reads or filters on: any enterprise column (name order, industry, 存续, search
text), certifications, yearly indicators, and regions. The enterprise trigger that watched
``region_id`` only is replaced by one on every update.
"""

from django.db import migrations

from kechuang.core.db_counters import create_counter, drop_counter, drop_trigger

COUNTER, SUFFIX = "enterprises_listversion", "listversion"
ALL = ["INSERT", "DELETE", "UPDATE"]
ADDED = [
    ("enterprises_certification", ALL),
    ("enterprises_annualindicator", ALL),
]
ENTERPRISE_UPDATE = ("enterprises_enterprise", "UPDATE")
OLD_UPDATE = ("enterprises_enterprise", "UPDATE OF region_id")


def forwards(apps, schema_editor):
    drop_trigger(schema_editor, SUFFIX, *OLD_UPDATE)
    create_counter(schema_editor, COUNTER, SUFFIX,
                   [*ADDED, (ENTERPRISE_UPDATE[0], [ENTERPRISE_UPDATE[1]])])


def backwards(apps, schema_editor):
    drop_counter(schema_editor, COUNTER, SUFFIX, ADDED, keep_table=True)
    drop_trigger(schema_editor, SUFFIX, *ENTERPRISE_UPDATE)
    create_counter(schema_editor, COUNTER, SUFFIX, [(OLD_UPDATE[0], [OLD_UPDATE[1]])])


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0004_search_fts_sqlite")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
