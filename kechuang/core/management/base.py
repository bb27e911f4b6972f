"""Shared plumbing for kechuang's management commands (Zulip ``ZulipBaseCommand`` idea).

A command subclasses ``KechuangCommand``: ``--as-user USERNAME`` is resolved to a user (the
actor; ``None`` means the system), and ``handle`` runs inside a bound request context with
``channel="cli"`` so every audit row says it came from the command line.
"""

from __future__ import annotations

import sys
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from kechuang.core import context


class KechuangCommand(BaseCommand):
    channel = "cli"
    accepts_as_user = True

    def add_arguments(self, parser) -> None:
        if self.accepts_as_user:
            parser.add_argument(
                "--as-user", dest="as_user", metavar="USERNAME",
                help="以该用户身份执行（权限与数据范围同该用户）；不填则以系统身份执行",
            )

    def execute(self, *args, **options):
        ctx = context.RequestContext(request_id=context.new_request_id(), channel=self.channel)
        with context.bind(ctx):
            try:
                return super().execute(*args, **options)
            except DatabaseError as exc:
                pending = unapplied_migrations(options.get("database") or DEFAULT_DB_ALIAS)
                if pending:
                    raise CommandError(
                        f"数据库尚未初始化或需要升级（{pending} 个迁移未执行）："
                        "请先运行 kechuang migrate（make run 会自动执行）"
                    ) from exc
                raise

    def resolve_user(self, username: str | None):
        if not username:
            return None
        user = get_user_model().objects.filter(username__iexact=username).first()
        if user is None:
            raise CommandError(f"用户“{username}”不存在")
        if not user.is_active:
            raise CommandError(f"用户“{username}”已停用")
        return user


def unapplied_migrations(alias: str = DEFAULT_DB_ALIAS) -> int:
    """How many migrations the database still lacks (checked only after a database error, so a
    command on a ready database pays nothing for it)."""
    from django.db.migrations.executor import MigrationExecutor

    connection = connections[alias]
    try:
        executor = MigrationExecutor(connection)
        return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except DatabaseError:
        return 0


class ProgressLine:
    """A one-line ``\\r`` progress bar on stderr (no dependency on tqdm)."""

    def __init__(self, label: str, stream=None, width: int = 30, enabled: bool = True):
        self.label = label
        self.stream = stream or sys.stderr
        self.width = width
        self.enabled = enabled
        self._last = 0.0
        self._shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        frac = done / total if total else 1.0
        filled = int(frac * self.width)
        bar = "█" * filled + "░" * (self.width - filled)
        self.stream.write(f"\r{self.label} {bar} {done}/{total} ({frac:.0%})")
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self.stream.write("\n")
            self.stream.flush()
            self._shown = False
