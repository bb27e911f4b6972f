"""``User.is_locked`` and the ``lock_user`` permission.

On SQLite, adding a NOT NULL column rebuilds ``accounts_user``, which drops the table's
triggers; the auth-version triggers of migration 0002 are put back right after (and, when
migrating backwards, after the column is removed again).
"""

from django.db import migrations, models

from kechuang.core.db_counters import create_counter

COUNTER, SUFFIX = "accounts_authversion", "authversion"
USER_TABLE = [("accounts_user", ["INSERT", "DELETE", "UPDATE"])]


def restore_triggers(apps, schema_editor):
    create_counter(schema_editor, COUNTER, SUFFIX, USER_TABLE)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_auth_version'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='user',
            options={'ordering': ('username',),
                     'permissions': [('lock_user', '锁定与解锁账号')],
                     'verbose_name': '用户', 'verbose_name_plural': '用户'},
        ),
        migrations.RunPython(migrations.RunPython.noop, restore_triggers, elidable=False),
        migrations.AddField(
            model_name='user',
            name='is_locked',
            field=models.BooleanField(default=False, verbose_name='已锁定'),
        ),
        migrations.RunPython(restore_triggers, migrations.RunPython.noop, elidable=False),
    ]
