"""``kechuang stats --year 2020 [--until 2020-09-30] [--region CODE] --json``.

Prints every registered indicator for the period 1 January … ``--until`` (default
31 December) as a JSON list of ``{"code", "name", "value", "unit", "period": {"start",
"end"}, "compare": {"yoy", "record_high", "rank_in_city"}}``. Values are in base units:
counts are JSON integers, amounts in 元 are decimal strings with two places (``"31258000000.00"``)
so no precision is lost; ``yoy`` is a percentage number with one decimal (``12.3`` = +12.3%).
A value of ``null`` means no records (a data gap).
"""

import json

from kechuang.core import context
from kechuang.core.management.base import KechuangCommand
from kechuang.indicators import catalogue
from kechuang.indicators.catalogue import Period
from kechuang.indicators.cli import add_scope_arguments, parse_date, resolve_region, resolve_user


class Command(KechuangCommand):
    help = "按指标目录输出统计数据（JSON）"
    accepts_as_user = False  # --as-user comes from add_scope_arguments

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--until", help="截止日期 YYYY-MM-DD（默认年末）")
        parser.add_argument("--json", action="store_true", help="输出JSON（默认表格）")
        parser.add_argument("--pending", action="store_true",
                            help="另列出尚无模块登记的指标代码")
        add_scope_arguments(parser)

    def handle(self, *args, **opts):
        period = Period.year(opts["year"], parse_date(opts.get("until")))
        region = resolve_region(opts.get("region"))
        user = resolve_user(opts.get("as_user"))
        with context.bind(context.RequestContext(context.new_request_id(), channel="cli")):
            figs = catalogue.figures(period, region, user)
        rows = [f.as_contract() for f in figs]
        if opts["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            for r in rows:
                c = r["compare"]
                self.stdout.write(f"{r['code']:40} {r['name']:14} {r['value']!s:>20} {r['unit']}"
                                  f"  同比 {c['yoy']}  历年之最 {c['record_high']}"
                                  f"  全市排名 {c['rank_in_city']}")
        if opts["pending"]:
            for code, module in sorted(catalogue.pending_codes().items()):
                self.stderr.write(f"待登记 {code}（{module}）")
