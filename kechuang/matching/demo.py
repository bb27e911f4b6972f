"""Demo: build the search indexes and the field classifier once, after every demo record."""

from django.db import transaction

from . import sync

DEMO_ORDER = 95


def build(ctx) -> None:
    counts = sync.rebuild(progress=None)
    transaction.on_commit(lambda: setattr(sync, "SUSPENDED", False))
    ctx.data.setdefault("summary", []).append(
        f"检索索引：科技成果{counts['achievement']}项、专家{counts['expert']}名、"
        f"需求{counts['demand']}项、企业{counts['enterprise']}家")
