"""Adds ``OperationLog.message``; SQLite rebuilds the table for it, which drops the append-only
triggers of 0002, so they are created again (idempotent; a no-op on PostgreSQL in effect)."""

from importlib import import_module

from django.db import migrations, models

append_only = import_module("kechuang.audit.migrations.0002_append_only_triggers")


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_append_only_triggers'),
    ]

    operations = [
        # Unapplying removes the field (another rebuild on SQLite): recreate the triggers then.
        migrations.RunPython(migrations.RunPython.noop, append_only.create_triggers),
        migrations.AddField(
            model_name='operationlog',
            name='message',
            field=models.CharField(blank=True, max_length=255, verbose_name='说明'),
        ),
        migrations.RunPython(append_only.create_triggers, migrations.RunPython.noop),
    ]
