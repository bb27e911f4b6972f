"""``kechuang demo [--reset] [--if-empty] [--logins] [--scale S]``: the fictional demo district.

``--reset`` deliberately destroys the whole database first (audit tables are append-only, so
nothing is deleted row by row): for SQLite the database file is removed, for PostgreSQL the
``public`` schema is dropped and recreated; then every migration runs again.
"""

import sys
import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from kechuang.core import demo
from kechuang.core.management.base import KechuangCommand


class Command(KechuangCommand):
    help = "生成演示数据（虚构的区：区域、各角色账号、约3000家企业及2016—2020年数据）"
    accepts_as_user = False
    channel = "demo"

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--reset", action="store_true",
                            help="先清空整个数据库（删除SQLite文件或重建PostgreSQL模式）再生成")
        parser.add_argument("--if-empty", action="store_true",
                            help="已加载演示数据时跳过（make run 使用）")
        parser.add_argument("--logins", action="store_true", help="只打印演示账号")
        parser.add_argument("--scale", type=float, default=1.0,
                            help="企业数量比例（1.0 = 约3000家；测试用较小值，最小0.34）")
        parser.add_argument("--no-input", action="store_true", help="--reset 时不询问确认")
        parser.add_argument("--only", metavar="APP,APP",
                            help="只运行这些应用的演示数据（测试用）")

    def handle(self, *args, **options) -> None:
        if options["logins"]:
            self.print_logins()
            return
        if options["reset"]:
            self.reset(confirm=not options["no_input"] and sys.stdin.isatty())
        elif demo.is_loaded():
            if options["if_empty"]:
                self.stdout.write("演示数据已加载，跳过（如需重建：kechuang demo --reset）。")
                return
            raise CommandError("数据库中已有演示数据；如需重建请使用 kechuang demo --reset")
        started = time.monotonic()
        self.stdout.write("正在生成演示数据……")
        try:
            only = options["only"].split(",") if options.get("only") else None
            ctx = demo.build_demo(scale=options["scale"], log=self.stdout.write, only=only)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        summary = ctx.data.get("summary", [])
        for line in summary:
            self.stdout.write(f"  {line}")
        self.stdout.write(f"演示数据已生成，用时{time.monotonic() - started:.1f}秒。")

    def print_logins(self) -> None:
        logins = demo.demo_logins()
        width = max(len(x.username) for x in logins)
        self.stdout.write("演示账号（密码仅供演示环境）：")
        for login in logins:
            note = f"  {login.note}" if login.note else ""
            self.stdout.write(f"  {login.username.ljust(width)}  {login.password}  "
                              f"{login.role}{note}")

    def reset(self, *, confirm: bool) -> None:
        if confirm:
            answer = input("将清空整个数据库（含审计日志）并重建演示数据，输入 yes 确认：")
            if answer.strip().lower() != "yes":
                raise CommandError("已取消")
        vendor = connection.vendor
        if vendor == "sqlite":
            name = str(connection.settings_dict["NAME"])
            if name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
                raise CommandError("内存数据库不支持 --reset")
            connection.close()
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(name + suffix).unlink(missing_ok=True)
        elif vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("DROP SCHEMA public CASCADE")
                cursor.execute("CREATE SCHEMA public")
        else:
            raise CommandError(f"不支持的数据库：{vendor}")
        self.stdout.write("数据库已清空，正在迁移……")
        call_command("migrate", interactive=False, verbosity=0)
