"""A change counter for the authorisation data ``accounts.backends.CachedModelBackend`` caches.

``accounts_authversion.n`` grows with every committed write to the user, group, permission,
role and region tables (see ``kechuang.core.db_counters``), so a cached user, its permissions
and its data scope are reused only while none of them has changed.
"""

from django.db import migrations

from kechuang.core.db_counters import create_counter, drop_counter

COUNTER, SUFFIX = "accounts_authversion", "authversion"
ALL = ["INSERT", "DELETE", "UPDATE"]
TRACKED = [
    ("accounts_user", ALL),
    ("accounts_user_groups", ALL),
    ("accounts_user_user_permissions", ALL),
    ("auth_group", ALL),
    ("auth_group_permissions", ALL),
    ("auth_permission", ALL),
    ("django_content_type", ALL),
    ("accounts_role", ALL),
    ("accounts_role_regions", ALL),
    ("regions_region", ALL),
]


def create(apps, schema_editor):
    create_counter(schema_editor, COUNTER, SUFFIX, TRACKED)


def drop(apps, schema_editor):
    drop_counter(schema_editor, COUNTER, SUFFIX, TRACKED)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("regions", "0001_initial"),
    ]
    operations = [migrations.RunPython(create, drop, elidable=False)]
