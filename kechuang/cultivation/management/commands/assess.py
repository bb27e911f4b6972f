"""``kechuang assess``: pre-assess an enterprise against 科小 / 高企 / 省科小 criteria.

    kechuang assess --input CASE.json --scheme tech-sme --as-of 2025-05-01 --json
    kechuang assess --uscc 91350100M000100Y43 --scheme high-tech --as-of 2025-05-01
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from kechuang.core.management.base import KechuangCommand
from kechuang.cultivation.engine import SCHEMES, InputError, assess
from kechuang.cultivation.engine.io import (
    case_from_json,
    parse_date,
    result_to_json,
    result_to_text,
)


class Command(KechuangCommand):
    help = "按国家科技型中小企业、高新技术企业、浙江省科技型中小企业标准预评估企业并给出差距"
    accepts_as_user = False

    def add_arguments(self, parser: CommandParser) -> None:
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--input", metavar="CASE.json",
                            help="企业数据 JSON 文件（“-”表示从标准输入读取）")
        source.add_argument("--uscc", metavar="CODE", help="评估企业库中该统一社会信用代码的企业")
        parser.add_argument("--scheme", required=True, metavar="SCHEME",
                            help=f"评价类型：{' / '.join(SCHEMES)}")
        parser.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD",
                            help="评价日期（默认今天）")
        parser.add_argument("--json", action="store_true", help="输出 JSON 结果")

    def handle(self, *args: Any, **options: Any) -> None:
        scheme = options["scheme"]
        if scheme not in SCHEMES:
            raise CommandError(
                f"scheme：不支持的评价类型“{scheme}”，应为 {' / '.join(SCHEMES)} 之一"
            )
        try:
            as_of = (parse_date(options["as_of"], "as_of") if options.get("as_of")
                     else timezone.localdate())
            if options.get("input"):
                case = case_from_json(self._read(options["input"]))
            else:
                from kechuang.cultivation.adapters import case_for_uscc

                case = case_for_uscc(options["uscc"], as_of=as_of)
            result = assess(case, scheme, as_of)
        except InputError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(result_to_json(result))
        else:
            self.stdout.write(result_to_text(result))

    @staticmethod
    def _read(path: str) -> str:
        if path == "-":
            return sys.stdin.read().removeprefix("\ufeff")
        p = Path(path)
        try:
            return p.read_text(encoding="utf-8-sig")  # drops a byte-order mark (Windows editors)
        except FileNotFoundError as exc:
            raise InputError.single("input", f"文件不存在：{path}") from exc
        except UnicodeDecodeError as exc:
            raise InputError.single("input", f"文件不是 UTF-8 编码的文本：{path}") from exc
        except OSError as exc:
            raise InputError.single("input", f"无法读取文件：{path}（{exc.strerror}）") from exc

