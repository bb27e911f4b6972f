"""``kechuang load_rules [--file REVISION.json …]``: rule tables into the database (idempotent).

Without ``--file`` the shipped files in ``kechuang/cultivation/rules/`` are loaded (the same
step runs after every ``migrate``). A revision file has the same shape
(``{"meta": {...}, "rows": [...]}``) and adds rows with a later ``effective_from``.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from kechuang.core.errors import first_messages
from kechuang.core.management.base import KechuangCommand
from kechuang.cultivation import services
from kechuang.cultivation.choices import RuleOrigin
from kechuang.cultivation.engine.rules import flatten_rule_file


class Command(KechuangCommand):
    help = "将评价规则表（JSON）载入数据库；重复运行不会产生重复行"
    accepts_as_user = False

    def add_arguments(self, parser):
        parser.add_argument("--file", action="append", default=[], metavar="RULES.json",
                            help="规则修订文件（可多次指定）；不指定则载入系统自带规则")

    def handle(self, *args, **options):
        try:
            if not options["file"]:
                counts = services.load_builtin_rules(actor=None)
            else:
                rows = []
                for name in options["file"]:
                    try:
                        doc = json.loads(Path(name).read_text(encoding="utf-8"))
                    except (OSError, json.JSONDecodeError) as exc:
                        raise CommandError(f"无法读取规则文件 {name}：{exc}") from exc
                    rows.extend(flatten_rule_file(doc))
                counts = services.load_rule_rows(actor=None, rows=rows, origin=RuleOrigin.FILE)
        except ValidationError as exc:
            raise CommandError("；".join(first_messages(exc).values())) from exc
        self.stdout.write(
            f"评价规则：新增 {counts['created']} 行，更新 {counts['updated']} 行，"
            f"未变 {counts['unchanged']} 行，保留本地修订 {counts['kept']} 行"
        )
