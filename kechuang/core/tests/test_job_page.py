"""The job page: an import's result, or plain completion for other background jobs."""

import pytest

from kechuang.core.jobs import JobStatus
from kechuang.core.models import Job


@pytest.mark.parametrize(("kind", "result", "shown", "not_shown"), [
    ("rebuild_index", {"achievement": 5}, "重建检索索引：已完成。", "导入完成"),
    ("import:enterprises", {"total": 3, "created": 2, "updated": 1},
     "导入完成：共 3 行，新增 2 条，更新 1 条。", "已完成。"),
])
def test_finished_job_says_what_finished(kind, result, shown, not_shown, staff, client_for):
    job = Job.objects.create(kind=kind, owner=staff, label="重建检索索引", status=JobStatus.DONE,
                             result=result)
    page = client_for(staff).get(f"/jobs/{job.pk}/").content.decode()
    assert shown in page
    assert not_shown not in page


def test_another_users_job_is_not_found(staff, bureau_admin, client_for):
    job = Job.objects.create(kind="rebuild_index", owner=staff, label="重建检索索引",
                             status=JobStatus.DONE, result={})
    assert client_for(bureau_admin).get(f"/jobs/{job.pk}/").status_code == 404
