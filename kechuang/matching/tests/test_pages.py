"""Matching pages: the index rebuild page, field suggestions, answering suggestions."""

import datetime as dt

import pytest
from django.utils import timezone

from kechuang.core.jobs import JobStatus
from kechuang.core.models import Job

pytestmark = pytest.mark.django_db


def _rebuild_job(owner, status, **extra):
    return Job.objects.create(kind="rebuild_index", owner=owner, label="重建检索索引",
                              status=status, **extra)


def test_a_second_rebuild_waits_for_the_running_one(staff, bureau_admin, client_for):
    running = _rebuild_job(bureau_admin, JobStatus.RUNNING, done=10, total=100)
    resp = client_for(staff).post("/matching/rebuild/", {"sync": "1"}, follow=True)
    assert resp.redirect_chain == [("/matching/rebuild/", 302)]
    assert "索引正在重建（10%），完成后再重建" in resp.content.decode()
    assert list(Job.objects.values_list("pk", "status")) == [(running.pk, JobStatus.RUNNING)]


def test_the_owner_of_the_running_rebuild_is_taken_to_its_progress(staff, client_for):
    running = _rebuild_job(staff, JobStatus.PENDING)
    resp = client_for(staff).post("/matching/rebuild/", {"sync": "1"})
    assert (resp.status_code, resp["Location"]) == (302, f"/jobs/{running.pk}/")
    assert Job.objects.count() == 1


def test_a_rebuild_left_running_by_a_stopped_server_does_not_block_for_ever(staff, client_for,
                                                                           settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    stale = _rebuild_job(staff, JobStatus.RUNNING)
    Job.objects.filter(pk=stale.pk).update(created_at=timezone.now() - dt.timedelta(hours=2))
    resp = client_for(staff).post("/matching/rebuild/", {"sync": "1"})
    new = Job.objects.exclude(pk=stale.pk).get()
    assert (resp.status_code, resp["Location"], new.status) == (302, f"/jobs/{new.pk}/", "done")


def test_a_rebuild_from_the_command_line_makes_the_page_job_fail_with_a_message(staff, client_for,
                                                                             index_dir):
    """No job row shows a rebuild started by ``kechuang rebuild_index``: its lock does."""
    from kechuang.matching import sync

    with sync.rebuild_lock():
        resp = client_for(staff).post("/matching/rebuild/", {"sync": "1"}, follow=True)
    job = Job.objects.get()
    assert (job.status, job.result) == (
        JobStatus.FAILED, {"message": "另一个检索索引重建正在进行，请等它完成后再试"})
    assert resp.redirect_chain == [(f"/jobs/{job.pk}/", 302)]
    assert "另一个检索索引重建正在进行，请等它完成后再试" in resp.content.decode()
    assert not (index_dir / "achievement").exists()


def test_recent_rebuilds_show_chinese_status_and_link_only_to_own_jobs(staff, bureau_admin,
                                                                       client_for):
    mine = _rebuild_job(staff, JobStatus.DONE)
    theirs = _rebuild_job(bureau_admin, JobStatus.FAILED)
    page = client_for(staff).get("/matching/rebuild/").content.decode()
    assert f'href="/jobs/{mine.pk}/"' in page
    assert f'href="/jobs/{theirs.pk}/"' not in page  # that page is the owner's only (404)
    assert "已完成" in page
    assert "失败" in page
    assert ">failed<" not in page
    assert " done " not in page


@pytest.fixture
def trained_suggester(staff, regions, settings, tmp_path):
    from kechuang.matching import classifier

    from .factories import field_training_items, make_achievements

    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    classifier._cache.clear()
    make_achievements(staff, regions.east, field_training_items())
    classifier.train_from_records()
    yield
    classifier._cache.clear()


def test_field_suggestion_takes_a_pasted_document_in_the_request_body(ent_user, client_for,
                                                                      trained_suggester):
    # gunicorn refuses a request line over 4,094 bytes: about 450 Chinese characters in a URL
    pasted = ("我们厂的印染废水化学需氧量超标，希望找到膜生物反应器处理工艺。" * 1700)[:50_000]
    client = client_for(ent_user)
    resp = client.post("/matching/suggest-field/", {"title": "印染废水处理", "description": pasted})
    assert resp.status_code == 200
    assert 'data-code="07"' in resp.content.decode()
    form = client.get("/portal/post/demand/").content.decode()
    assert 'hx-post="/matching/suggest-field/"' in form
    assert "hx-get" not in form


def test_answering_a_suggestion_keeps_the_filters(staff, regions, ent_east, client_for,
                                                  settings, tmp_path):
    from kechuang.matching.models import MatchResponse

    from .factories import make_achievements, make_demand

    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    achievement = make_achievements(staff, regions.east)[0]
    demand = make_demand(staff, ent_east, "锂电池正极材料",
                         "锂电池正极材料循环寿命不足，希望提高能量密度")
    url = f"/matching/demand/{demand.pk}/?target=achievement&field=04&min_maturity=4_pilot"
    resp = client_for(staff).post(url, {
        "target_kind": "achievement", "target_id": achievement.pk, "decision": "decline",
        "reason": "price", "score": "1.5", "rank": "1"})
    assert resp.status_code == 302
    assert resp["Location"] == url
    assert list(MatchResponse.objects.values_list("decision", "reason")) == [("decline", "price")]


def test_an_answered_suggestion_shows_its_answer_where_it_is_listed(
        staff, regions, ent_east, client_for, settings, tmp_path,
        django_capture_on_commit_callbacks):
    import re

    from .factories import make_achievements, make_demand

    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    with django_capture_on_commit_callbacks(execute=True):
        corpus = make_achievements(staff, regions.east)
        demand = make_demand(staff, ent_east, "锂电池正极材料",
                             "锂电池正极材料循环寿命不足，希望提高能量密度")
    client = client_for(staff)
    url = f"/matching/demand/{demand.pk}/?target=achievement"
    client.post(url, {"target_kind": "achievement", "target_id": corpus[0].pk,
                      "decision": "decline", "reason": "price", "score": "1", "rank": "1"})
    page = client.get(url).content.decode()
    item = re.search(rf'data-target-id="{corpus[0].pk}".*?(?=data-target-id=|$)', page, re.S)
    assert 'data-testid="answer">已谢绝</span>' in item.group(0)
    others = page[:item.start()] + page[item.end():]
    assert 'data-testid="answer"' not in others


def test_an_invalid_filter_is_named_and_the_valid_ones_still_apply(staff, regions, ent_east,
                                                                    client_for, settings, tmp_path):
    import re

    from kechuang.matching import sync

    from .factories import make_achievements, make_demand

    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    cathode, _water, _robot, recycling = make_achievements(staff, regions.east)[:4]
    demand = make_demand(staff, ent_east, "锂电池正极材料与回收",
                         "锂电池正极材料循环寿命不足，废旧锂电池回收镍钴锰")
    sync.rebuild(train_classifier=False)  # the records' on_commit index updates do not run here
    client = client_for(staff)
    url = f"/matching/demand/{demand.pk}/"

    def listed(params):
        body = client.get(url, {"target": "achievement", **params}).content.decode()
        return {int(pk) for pk in re.findall(r'data-target-id="(\d+)"', body)}, body

    ids, body = listed({})
    assert {cathode.pk, recycling.pk} <= ids
    assert 'data-testid="ignored-filters"' not in body
    ids, body = listed({"field": "07", "min_maturity": "9_nonsense"})
    assert recycling.pk in ids  # field 07 still applied …
    assert cathode.pk not in ids
    assert "以下筛选条件无效，已忽略：成熟度不低于：" in body  # … the bad maturity named


def test_the_rebuild_page_says_whether_a_semantic_model_is_in_use(staff, client_for, settings,
                                                                  tmp_path):
    from kechuang.matching import search

    settings.KECHUANG_EMBEDDING_MODEL = ""
    page = client_for(staff).get("/matching/rebuild/")
    assert "语义模型：未启用（未配置 KECHUANG_EMBEDDING_MODEL" in page.content.decode()
    settings.KECHUANG_EMBEDDING_MODEL = str(tmp_path / "<none>")
    search._embedders.clear()
    try:
        page = client_for(staff).get("/matching/rebuild/")
    finally:
        search._embedders.clear()
    body = page.content.decode()
    assert "语义模型：配置有误，未启用：语义模型目录不存在" in body
    assert "&lt;none&gt;" in body
    assert "<none>" not in body
