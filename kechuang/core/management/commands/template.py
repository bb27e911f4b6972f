"""``kechuang template NAME OUT.xlsx``: write the import template for NAME."""

from pathlib import Path

from django.core.management.base import CommandError

from kechuang.core import importing
from kechuang.core.management.base import KechuangCommand


class Command(KechuangCommand):
    help = "生成导入模板（中文表头、必填标记、下拉选项、代码列文本格式、填写说明）"
    accepts_as_user = False

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("name", help="数据类型，如 enterprises、indicators、certifications")
        parser.add_argument("out", help="输出的 .xlsx 文件")

    def handle(self, *args, **options) -> None:
        try:
            importer = importing.get_importer(options["name"])
        except KeyError as exc:
            raise CommandError(exc.args[0]) from exc
        out = Path(options["out"])
        out.write_bytes(importing.workbook_bytes(importing.build_template(importer)))
        self.stdout.write(f"已生成{importer.label}导入模板：{out}（{len(importer.columns)}列）")
