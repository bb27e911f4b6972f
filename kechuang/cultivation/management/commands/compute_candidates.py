"""``kechuang compute_candidates [--year YYYY] [--changed]``: store the assessments behind a
call year's candidate lists (the same computation as 重新计算 on the pipeline page)."""

from __future__ import annotations

import time

from kechuang.core.management.base import KechuangCommand
from kechuang.cultivation import candidates, pipeline
from kechuang.cultivation.models import CandidateRun


class Command(KechuangCommand):
    help = "计算培育候选名单所依据的企业预评估结果（科小、高企）"
    accepts_as_user = False

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="评价年度（默认：最新数据年度的次年）")
        parser.add_argument("--changed", action="store_true",
                            help="只重新评估上次计算后数据有变更的企业")

    def handle(self, *args, **options):
        year = options["year"] or pipeline.default_year()
        mode = CandidateRun.MODE_CHANGED if options["changed"] else CandidateRun.MODE_ALL
        wall, cpu = time.perf_counter(), time.process_time()
        run = candidates.start(actor=None, year=year, mode=mode, inline=True)
        self.stdout.write(
            f"{year}年候选名单：评估 {run.enterprises} 家企业（{run.get_mode_display()}），"
            f"耗时 {time.perf_counter() - wall:.1f} 秒（CPU {time.process_time() - cpu:.1f} 秒）")
