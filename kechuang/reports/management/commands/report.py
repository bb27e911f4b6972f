"""``kechuang report annual --year 2020 [--until 2020-09-30] --out FILE.docx [--format html]``,
``kechuang report monthly --year Y --month M --out FILE``, ``kechuang report template``.
"""

import time
from pathlib import Path

from django.core.management.base import CommandError

from kechuang.core import context
from kechuang.core.management.base import KechuangCommand
from kechuang.indicators.cli import add_scope_arguments, parse_date, resolve_region, resolve_user
from kechuang.reports.generator import build_report
from kechuang.reports.template_builder import write_templates


class Command(KechuangCommand):
    help = "生成年度工作总结 / 月度工作进展（Word 或 HTML），或重新生成可编辑模板"
    accepts_as_user = False  # --as-user comes from add_scope_arguments

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["annual", "monthly", "template"])
        parser.add_argument("--year", type=int)
        parser.add_argument("--month", type=int)
        parser.add_argument("--until", help="数据截止日期 YYYY-MM-DD（年度报告，默认年末）")
        parser.add_argument("--out", help="输出文件（默认 report-KIND-YEAR.docx/html）")
        parser.add_argument("--format", choices=["docx", "html"], default="docx")
        add_scope_arguments(parser)

    def handle(self, *args, **opts):
        kind = opts["kind"]
        if kind == "template":
            for path in write_templates():
                self.stdout.write(f"已生成模板 {path}")
            return
        if not opts["year"]:
            raise CommandError("请指定 --year")
        if kind == "monthly" and not opts["month"]:
            raise CommandError("月度报告请指定 --month")
        started = time.perf_counter()
        with context.bind(context.RequestContext(context.new_request_id(), channel="cli")):
            report = build_report(kind, year=opts["year"], until=parse_date(opts["until"]),
                                  month=opts["month"], region=resolve_region(opts["region"]),
                                  user=resolve_user(opts["as_user"]))
        fmt = opts["format"]
        out = Path(opts["out"] or f"report-{kind}-{opts['year']}.{fmt}")
        if fmt == "html":
            out.write_text(
                f'<!doctype html><html lang="zh-hans"><meta charset="utf-8">'
                f"<title>{report.title}</title><body>{report.html}</body></html>",
                encoding="utf-8")
        else:
            out.write_bytes(report.docx)
        elapsed = time.perf_counter() - started
        self.stdout.write(f"已生成 {out}（{report.title}，{len(report.chart_names)}张图表，"
                          f"数据缺口{len(report.gaps)}项，用时{elapsed:.1f}秒）")
        if report.font is None:
            self.stderr.write("未找到中文字体，图表中的中文可能无法显示"
                              "（apt-get install fonts-noto-cjk）")
        for gap in report.gaps:
            self.stderr.write(f"数据缺口：{gap}")
