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


class JobError(Exception):
    """A failure the user can act on: its (Chinese) message is shown on the job page instead of
    "处理失败，请联系管理员"."""


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
        except Exception as exc:  # noqa: BLE001 - a background job records any failure for the user
            result = {"error": traceback.format_exc(limit=3)}
            if isinstance(exc, JobError):
                result["message"] = str(exc)
            Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, result=result)
        finally:
            # this thread's connections end with it (persistent connections would otherwise
            # stay open until the thread's storage is collected)
            connections.close_all()

    threading.Thread(target=runner, daemon=True).start()
