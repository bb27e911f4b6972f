"""SQLite: an FTS5 trigram index over the searched enterprise columns.

``enterprises_enterprise_search`` is an external-content FTS5 table (trigram tokenizer,
SQLite ≥ 3.34) over name, name_pinyin, uscc and name_initials, kept in step with
``enterprises_enterprise`` by triggers. ``filtersets.search_q`` uses it to find the
candidate rows of a search of three or more characters with an index instead of scanning
every enterprise; the original LIKE conditions still decide, so the rows are the same.
PostgreSQL uses the pg_trgm indexes of migration 0002 instead; this migration does nothing
there.
"""

from django.db import migrations

COLUMNS = "name, name_pinyin, uscc, name_initials"
NEW = "new.name, new.name_pinyin, new.uscc, new.name_initials"
OLD = "old.name, old.name_pinyin, old.uscc, old.name_initials"
T = "enterprises_enterprise_search"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for sql in (
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {T} USING fts5({COLUMNS}, "
        "content='enterprises_enterprise', content_rowid='id', tokenize='trigram');",
        f"INSERT INTO {T}({T}) VALUES ('rebuild');",
        f"CREATE TRIGGER IF NOT EXISTS {T}_ai AFTER INSERT ON enterprises_enterprise BEGIN "
        f"INSERT INTO {T}(rowid, {COLUMNS}) VALUES (new.id, {NEW}); END;",
        f"CREATE TRIGGER IF NOT EXISTS {T}_ad AFTER DELETE ON enterprises_enterprise BEGIN "
        f"INSERT INTO {T}({T}, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD}); END;",
        f"CREATE TRIGGER IF NOT EXISTS {T}_au AFTER UPDATE OF {COLUMNS} "
        "ON enterprises_enterprise BEGIN "
        f"INSERT INTO {T}({T}, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD}); "
        f"INSERT INTO {T}(rowid, {COLUMNS}) VALUES (new.id, {NEW}); END;",
    ):
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for suffix in ("ai", "ad", "au"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {T}_{suffix};")
    schema_editor.execute(f"DROP TABLE IF EXISTS {T};")


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0003_list_version")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
