"""Background jobs with progress (imports, index rebuilds, reports), shown in page and CLI."""

import threading
import traceback
from collections.abc import Callable

from django.db import close_old_connections, connections, models

from kechuang.core import context


class JobStatus(models.TextChoices):
    PENDING = "pending", "等待中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


def run_in_background(job, target: Callable[[Callable[[int, int], None]], dict]) -> None:
    """Run ``target(progress)`` in a thread, recording progress and result on ``job``."""
    from .models import Job

    ctx = context.current()

    def progress(done: int, total: int) -> None:
        Job.objects.filter(pk=job.pk).update(done=done, total=total)

    def runner() -> None:
        close_old_connections()
        try:
            with context.bind(ctx):
                Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
                result = target(progress)
            Job.objects.filter(pk=job.pk).update(status=JobStatus.DONE, result=result)
        except Exception:  # noqa: BLE001 - a background job records any failure for the user
            Job.objects.filter(pk=job.pk).update(
                status=JobStatus.FAILED, result={"error": traceback.format_exc(limit=3)}
            )
        finally:
            # this thread's connections end with it (persistent connections would otherwise
            # stay open until the thread's storage is collected)
            connections.close_all()

    threading.Thread(target=runner, daemon=True).start()
