# ruff: noqa: N999  (Django loads the command by its name: `kechuang import`)
"""``kechuang import NAME FILE.xlsx [--dry-run] [--update] [--errors-out X.xlsx]
[--errors-json X.json] [--as-user USERNAME]``.

``--update`` is refused (before the file is read) for an importer that only adds records
(``Importer.supports_update`` False: 技术需求, 科技成果, 专家与人才, 载体, and the
brokerage records 走访记录, 技术合同, 海外工程师服务记录).

All or nothing: when any row is bad nothing is written, every bad row/column/reason is
reported, and the command exits non-zero. The JSON is a list of
``{"row": <sheet row>, "column": "<header>", "message": "<中文>"}``.
"""

from pathlib import Path

from django.core.management.base import CommandError

from kechuang.core import importing
from kechuang.core.management.base import KechuangCommand, ProgressLine

SHOWN_ERRORS = 50


class Command(KechuangCommand):
    help = "从Excel导入数据（全有或全无；可预检、按代码更新、输出错误清单）"

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("name", help="数据类型，如 enterprises、indicators、certifications")
        parser.add_argument("file", help="要导入的 .xlsx 文件")
        parser.add_argument("--dry-run", action="store_true", help="只预检，不写入")
        parser.add_argument("--update", action="store_true",
                            help="按代码更新：已登记的记录更新，否则视为重复")
        parser.add_argument("--errors-out", metavar="ERRORS.xlsx",
                            help="有错误时写出错误工作簿（含“错误原因”列）")
        parser.add_argument("--errors-json", metavar="ERRORS.json",
                            help="写出错误清单JSON（无错误时为[]）")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, **options) -> None:
        try:
            importer = importing.get_importer(options["name"])
        except KeyError as exc:
            raise CommandError(exc.args[0]) from exc
        if options["update"] and not importer.supports_update:
            # refused before the file (or anything else) is read
            raise CommandError(f"--update：{importing.update_refused(importer)}")
        user = self.resolve_user(options.get("as_user"))
        if user is not None and importer.model is not None:
            opts = importer.model._meta
            if not user.has_perm(f"{opts.app_label}.import_{opts.model_name}"):
                raise CommandError(f"用户“{user.username}”没有导入{importer.label}的权限")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件“{path}”不存在")
        progress = ProgressLine(f"导入{importer.label}", stream=self.stderr._out,
                                enabled=not options["no_progress"])
        try:
            with path.open("rb") as fh:
                result = importing.run_import(
                    importer, fh, actor=user, dry_run=options["dry_run"],
                    update=options["update"], progress=progress,
                )
        finally:
            progress.close()
        if options.get("errors_json"):
            Path(options["errors_json"]).write_text(
                importing.errors_json(result.errors) + "\n", encoding="utf-8")
        if result.errors:
            if options.get("errors_out"):
                Path(options["errors_out"]).write_bytes(
                    importing.error_workbook(importer, result.rows, result.errors))
            for err in result.errors[:SHOWN_ERRORS]:
                where = f"第{err.row}行" if err.row else "文件"
                column = f"“{err.column}”" if err.column else ""
                self.stderr.write(f"  {where}{column}：{err.message}")
            if len(result.errors) > SHOWN_ERRORS:
                self.stderr.write(f"  ……另有{len(result.errors) - SHOWN_ERRORS}处错误")
            bad_rows = len({e.row for e in result.errors})
            raise CommandError(
                f"导入失败：共{result.total}行，其中{bad_rows}行有误（{len(result.errors)}处错误），"
                "未写入任何数据。", returncode=1)
        if result.dry_run:
            self.stdout.write(f"预检通过：共{result.total}行，将新增{result.created}条、"
                              f"更新{result.updated}条（预检模式，未写入）。")
        else:
            self.stdout.write(f"导入完成：共{result.total}行，新增{result.created}条，"
                              f"更新{result.updated}条。")
