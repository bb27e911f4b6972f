"""``kechuang rebuild_index [--kind K]``: rebuild the search indexes with progress."""

import time

from django.core.management.base import CommandError

from kechuang.core.management.base import KechuangCommand
from kechuang.matching import search, sync


class Command(KechuangCommand):
    help = "重建科技成果、专家、需求和企业的检索索引，并重新训练技术领域推荐模型"
    accepts_as_user = False

    def add_arguments(self, parser):
        parser.add_argument("--kind", action="append", choices=search.KINDS,
                            help="只重建指定类型（可重复）")
        parser.add_argument("--no-classifier", action="store_true", help="不重新训练领域推荐")

    def handle(self, *args, **options):
        kinds = tuple(options["kind"] or search.KINDS)
        started = time.monotonic()
        self.stdout.write(f"语义模型：{search.embedding_status()}")
        last = [-1]

        def progress(done: int, total: int) -> None:
            pct = int(done * 100 / total) if total else 100
            if pct != last[0] and (pct % 5 == 0 or done == total):
                last[0] = pct
                self.stdout.write(f"\r重建索引 {pct:3d}%（{done}/{total}）", ending="")
                self.stdout.flush()

        try:
            counts = sync.rebuild(kinds, progress=progress,
                                  train_classifier=not options["no_classifier"])
        except sync.RebuildBusyError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("")
        labels = {"achievement": "科技成果", "expert": "专家", "demand": "技术需求",
                  "enterprise": "企业", "classifier_labels": "领域推荐类别"}
        summary = "，".join(f"{labels.get(k, k)}{v}" for k, v in counts.items())
        self.stdout.write(f"索引已重建：{summary}；用时{time.monotonic() - started:.1f}秒")
