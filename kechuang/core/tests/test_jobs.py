"""Background jobs: progress, result or failure recorded on the job, and the thread's own
database connection closed when it ends. Transactional (``transactional_db``): the job's
thread has its own connection, which sees only committed rows."""

import threading

from django.db import connections

from kechuang.core.jobs import JobError, JobStatus, run_in_background
from kechuang.core.models import Job


def _run_and_wait(job, target) -> None:
    before = set(threading.enumerate())
    run_in_background(job, target)
    for thread in set(threading.enumerate()) - before:
        thread.join(timeout=30)
        assert not thread.is_alive()


def test_job_records_progress_and_result_and_closes_its_connection(transactional_db, staff):
    job = Job.objects.create(kind="rebuild_index", owner=staff, label="重建检索索引")
    seen = {}

    def target(progress):
        progress(3, 4)
        seen["status"] = Job.objects.get(pk=job.pk).status
        seen["connection"] = connections["default"]
        seen["thread"] = threading.current_thread()
        return {"achievement": 3}

    _run_and_wait(job, target)
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.result) == (
        JobStatus.DONE, 3, 4, {"achievement": 3})
    assert seen["status"] == JobStatus.RUNNING
    assert seen["thread"] is not threading.current_thread()
    assert seen["connection"] is not connections["default"]  # the thread had its own …
    if seen["connection"].vendor == "sqlite" and seen["connection"].is_in_memory_db():
        # Django never closes an in-memory SQLite database (that would destroy it): the test
        # database of the SQLite run; the PostgreSQL run checks the close
        return
    assert seen["connection"].connection is None  # … and closed it when it ended


def test_failed_job_records_the_error(transactional_db, staff):
    job = Job.objects.create(kind="rebuild_index", owner=staff, label="重建检索索引")

    def target(progress):
        raise RuntimeError("索引目录不可写")

    _run_and_wait(job, target)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "RuntimeError: 索引目录不可写" in job.result["error"]
    assert "message" not in job.result  # not for users: the page says to ask an administrator
    assert (job.done, job.total) == (0, 0)


def test_a_job_error_is_shown_to_its_owner(transactional_db, staff, client):
    job = Job.objects.create(kind="rebuild_index", owner=staff, label="重建检索索引")

    def target(progress):
        raise JobError("另一个检索索引重建正在进行，请等它完成后再试")

    _run_and_wait(job, target)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.result["message"] == "另一个检索索引重建正在进行，请等它完成后再试"
    client.force_login(staff)
    body = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "另一个检索索引重建正在进行，请等它完成后再试" in body
    assert "请联系管理员" not in body
