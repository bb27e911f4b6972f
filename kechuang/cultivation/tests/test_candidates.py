"""Stored assessments behind the candidate lists: D2/D4/H3 from registry records, the
background computation, invalidation by registry writes and rule revisions, the pages."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from kechuang.core.models import Job
from kechuang.core.testing import Audience, CertificationFactory, Endpoint, check_endpoint
from kechuang.cultivation import assessment, candidates
from kechuang.cultivation.models import CandidateAssessment, CandidateChange, CandidateRun
from kechuang.enterprises import services as registry

from .conftest import compute_lists

C = "/cultivation"
AS_OF = dt.date(2020, 5, 31)
pytestmark = pytest.mark.django_db


def _conditions(ent, scheme="tech-sme", as_of=AS_OF):
    from kechuang.enterprises.models import Enterprise

    ent = Enterprise.objects.prefetch_related(
        "annual_indicators", "certifications", "awards", "standards").get(pk=ent.pk)
    result = assessment.run(assessment.stored_case(ent, as_of), scheme, as_of)
    return result, {c.id: c for c in result.conditions}


def _award(ent, actor, **kw):
    data = {"name": "国家科学技术进步奖", "level": "national", "grade": "second",
            "org_rank": 2, "year": 2018, "project": kw.pop("project", "项目")}
    data.update(kw)
    return registry.record_award(actor=actor, enterprise=ent, data=data)


def _standard(ent, actor, **kw):
    data = {"code": kw.pop("code", "GB/T 1-2018"), "name": "示例标准", "level": "national",
            "role": "lead", "published_on": dt.date(2018, 6, 1)}
    data.update(kw)
    return registry.record_standard(actor=actor, enterprise=ent, data=data)


# --- D2 / D4 / H3 from the registry ------------------------------------------------------------

def test_without_records_d2_d4_and_the_field_stay_undecided(scored):
    _, tech = _conditions(scored)
    assert (tech["D2"].met, tech["D4"].met) == (None, None)
    assert tech["D2"].message.startswith("未填报")
    _, high = _conditions(scored, "high-tech")
    assert high["H3"].met is None


@pytest.mark.parametrize(("award", "met"), [
    ({}, True),
    ({"org_rank": 3}, True),
    ({"org_rank": 4}, False),
    ({"level": "provincial", "org_rank": 1}, False),
    ({"year": 2015, "org_rank": 1}, True),   # as_of 2020: 2015 is the fifth year back
    ({"year": 2014, "org_rank": 1}, False),
    ({"org_rank": None}, None),              # rank not recorded: still to be confirmed
], ids=["rank2", "rank3", "rank4", "provincial", "2015", "2014", "no-rank"])
def test_d2_is_decided_from_award_records(award, met, scored, staff):
    _award(scored, staff, **award)
    _, tech = _conditions(scored)
    assert tech["D2"].met is met


@pytest.mark.parametrize(("standard", "met"), [
    ({}, True),
    ({"level": "industry"}, True),
    ({"level": "international"}, True),
    ({"level": "group"}, False),
    ({"level": "local"}, False),
    ({"role": "participant", "drafting_rank": 1}, False),
    ({"published_on": dt.date(2015, 5, 31)}, True),
    ({"published_on": dt.date(2015, 5, 30)}, False),
], ids=["national", "industry", "international", "group", "local", "participant",
        "window-edge", "too-old"])
def test_d4_is_decided_from_standard_records(standard, met, scored, staff):
    _standard(scored, staff, **standard)
    _, tech = _conditions(scored)
    assert tech["D4"].met is met


def test_d4_drafting_rank_rule_is_configurable(scored, staff, settings):
    _standard(scored, staff, role="participant", drafting_rank=2)
    assert _conditions(scored)[1]["D4"].met is False
    settings.CULTIVATION_D4_MAX_DRAFTING_RANK = 2
    assert _conditions(scored)[1]["D4"].met is True
    settings.CULTIVATION_D4_MAX_DRAFTING_RANK = 1
    assert _conditions(scored)[1]["D4"].met is False


def test_a_national_award_qualifies_an_enterprise_that_fails_the_score(scored, staff):
    scored.annual_indicators.filter(year=2019).update(st_staff=5)  # 4% → staff part 0 → E5 fails
    result, tech = _conditions(scored)
    assert (tech["E5"].met, result.eligible) == (False, False)
    _award(scored, staff)
    result, tech = _conditions(scored)
    assert (tech["D2"].met, result.eligible) == (True, True)


def test_h3_uses_the_stored_technology_field(scored, staff):
    registry.update_enterprise(actor=staff, enterprise=scored,
                               data={"hitech_field": "08", "hitech_sub_field": "0805"})
    _, high = _conditions(scored, "high-tech")
    assert (high["H3"].met, high["H3"].value) == (True, "先进制造与自动化")


# --- computation and invalidation --------------------------------------------------------------

def test_lists_are_read_from_stored_rows_not_the_engine(scored, staff, client_for, monkeypatch):
    client = client_for(staff)
    url = f"{C}/pipeline/above-scale-without-tech-sme/?year=2020"
    before = client.get(url).content.decode()
    assert "2020年候选名单尚未计算" in before
    assert "待计算" in before  # the row is listed by its indicator, without an assessment
    run = compute_lists(2020)
    assert (run.status, run.mode, run.enterprises) == ("done", "all", 1)
    stored = CandidateAssessment.objects.get(enterprise=scored, scheme="tech-sme")
    assert (stored.eligible, stored.score, stored.unmet) == (True, 64, ["D1", "D3"])
    high = CandidateAssessment.objects.get(enterprise=scored, scheme="high-tech")
    assert (high.rd_gap, high.year) == (Decimal("100000.00"), 2020)

    def boom(*args, **kwargs):
        raise AssertionError("a page assessed an enterprise")

    monkeypatch.setattr(assessment, "run", boom)
    html = client.get(url).content.decode()
    assert "2020年候选名单计算于" in html
    assert "<td>符合</td><td>64</td>" in html
    assert client.get(f"{C}/pipeline/tech-sme-candidates/?year=2020").status_code == 200


def test_registry_writes_mark_the_enterprise_changed_and_refresh_updates_it(
        scored, staff, client_for, django_capture_on_commit_callbacks):
    compute_lists(2020)
    assert CandidateChange.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        registry.record_annual_indicator(actor=staff, enterprise=scored, year=2019,
                                         data={"st_staff": 40})
    assert list(CandidateChange.objects.values_list("enterprise_id", flat=True)) == [scored.pk]
    client = client_for(staff)
    url = f"{C}/pipeline/above-scale-without-tech-sme/?year=2020"
    html = client.get(url).content.decode()
    assert "此后有 1 家企业的数据发生变更" in html
    assert 'data-changed="1"' in html
    assert "<td>符合</td><td>64</td>" in html  # still the stored (old) outcome
    run = compute_lists(2020, mode="changed")
    assert (run.mode, run.enterprises) == ("changed", 1)
    assert CandidateChange.objects.count() == 0
    html = client.get(url).content.decode()
    assert 'data-changed="1"' not in html
    # 40 of 120 staff: the staff part rises from 16 to 20 points
    assert CandidateAssessment.objects.get(enterprise=scored, scheme="tech-sme").score == 68


def test_award_record_invalidates_and_the_refresh_puts_the_enterprise_on_the_list(
        scored, staff, client_for, django_capture_on_commit_callbacks):
    scored.annual_indicators.filter(year=2019).update(st_staff=5)
    compute_lists(2020)
    client = client_for(staff)
    url = f"{C}/pipeline/tech-sme-candidates/?year=2020"
    assert scored.name not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        _award(scored, staff)
    assert CandidateChange.objects.filter(enterprise=scored).exists()
    compute_lists(2020, mode="changed")
    html = client.get(url).content.decode()
    assert scored.name in html
    assert "<td>直通车</td>" not in html  # a score exists; it is shown, not "直通车"


def test_changes_before_any_computation_are_not_recorded(scored, staff,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        registry.record_annual_indicator(actor=staff, enterprise=scored, year=2019,
                                         data={"st_staff": 41})
    assert CandidateChange.objects.count() == 0


def test_a_change_during_a_run_stays_pending(scored, staff, monkeypatch):
    compute_lists(2020)
    real = candidates._assess_ids

    def slow(ids, params, rules):
        CandidateChange.objects.update_or_create(
            enterprise_id=scored.pk, defaults={"changed_at": dt.datetime.now(dt.UTC)})
        return real(ids, params, rules)

    monkeypatch.setattr(candidates, "_assess_ids", slow)
    compute_lists(2020)
    assert candidates.status(2020)["changed"] == 1


def test_rule_revision_asks_for_a_full_recomputation(scored, staff, client_for):
    from kechuang.cultivation.models import RuleRow

    compute_lists(2020)
    assert candidates.status(2020)["rules_changed"] is False
    row = RuleRow.objects.filter(scheme="tech-sme").first()
    row.note = "修订说明"
    row.save()
    html = client_for(staff).get(f"{C}/pipeline/?year=2020").content.decode()
    assert "评价规则已修订，名单须全部重新计算" in html
    compute_lists(2020)
    assert candidates.status(2020)["rules_changed"] is False


def test_full_run_drops_enterprises_that_left_the_population(scored, ent_west):
    compute_lists(2020)
    assert CandidateAssessment.objects.filter(enterprise=scored).count() == 2
    scored.annual_indicators.all().delete()
    compute_lists(2020)
    assert CandidateAssessment.objects.count() == 0


def test_lists_are_cut_to_the_users_scope(scored, sub_east, sub_west, client_for):
    CertificationFactory(enterprise=scored, kind="high_tech", year=2018,
                         number="GR201833000001", issued_on=dt.date(2018, 11, 30),
                         valid_until=dt.date(2021, 11, 29))
    compute_lists(2020)
    url = f"{C}/pipeline/high-tech-expiring/?year=2020"
    east = client_for(sub_east).get(url).content.decode()
    assert scored.name in east
    assert "GR201833000001" in east
    assert scored.name not in client_for(sub_west).get(url).content.decode()


# --- 重新计算 under the permission matrix --------------------------------------------------------

RECOMPUTE = [
    Endpoint("recompute all", "POST", lambda c: f"{C}/pipeline/recompute/",
             lambda c: {"year": 2020, "mode": "all", "sync": "1"}, ok=302,
             object_level=False, writes=(CandidateRun, CandidateAssessment, Job),
             extra={Audience.OUT_OF_REGION: 403}),
    Endpoint("recompute changed", "POST", lambda c: f"{C}/pipeline/recompute/",
             lambda c: {"year": 2020, "mode": "changed", "sync": "1"}, ok=302,
             object_level=False, writes=(CandidateRun, CandidateAssessment, Job),
             extra={Audience.OUT_OF_REGION: 403}),
]


STATUS = Endpoint("status box", "GET", lambda c: f"{C}/pipeline/status/?year=2020",
                  object_level=False)


@pytest.mark.parametrize("audience", list(Audience), ids=str)
def test_status_box_permission_matrix(audience, scored, expert, sub_east, sub_west,
                                      client_for):
    users = {Audience.ANONYMOUS: None, Audience.NO_PERMISSION: expert,
             Audience.OUT_OF_REGION: sub_west, Audience.IN_REGION: sub_east}
    check_endpoint(client_for(users[audience]), STATUS, audience, SimpleNamespace(ent=scored))


@pytest.fixture
def recompute_users(expert, sub_east, staff):
    # "out of region" here is 街道 staff: they read the pipeline but may not recompute it.
    return {Audience.ANONYMOUS: None, Audience.NO_PERMISSION: expert,
            Audience.OUT_OF_REGION: sub_east, Audience.IN_REGION: staff}


@pytest.mark.parametrize("audience", list(Audience), ids=str)
@pytest.mark.parametrize("endpoint", RECOMPUTE, ids=str)
def test_recompute_permission_matrix(endpoint, audience, scored, recompute_users, client_for):
    check_endpoint(client_for(recompute_users[audience]), endpoint, audience,
                   SimpleNamespace(ent=scored))


def test_leader_sees_the_status_but_no_button(scored, leader, staff, client_for):
    compute_lists(2020)
    html = client_for(leader).get(f"{C}/pipeline/?year=2020").content.decode()
    assert "2020年候选名单计算于" in html
    assert "/cultivation/pipeline/recompute/" not in html
    assert client_for(leader).post(f"{C}/pipeline/recompute/",
                                   {"year": 2020, "sync": "1"}).status_code == 403
    assert "/cultivation/pipeline/recompute/" in client_for(staff).get(
        f"{C}/pipeline/?year=2020").content.decode()


def test_recompute_runs_the_job_and_is_audited(scored, staff, client_for, changes):
    from kechuang.cultivation import events

    response = client_for(staff).post(f"{C}/pipeline/recompute/",
                                      {"year": 2020, "mode": "all", "sync": "1"})
    run = CandidateRun.objects.get()
    assert response["Location"] == "/cultivation/pipeline/?year=2020"
    assert (run.job.status, run.job.result) == ("done", {"year": 2020, "mode": "all",
                                                         "enterprises": 1})
    assert [(c.action, c.actor) for c in changes()] == [(events.COMPUTE_CANDIDATES, staff)]
    assert CandidateAssessment.objects.filter(year=2020).count() == 2


def test_recompute_refuses_a_bad_year_and_a_second_concurrent_run(scored, staff, client_for):
    client = client_for(staff)
    client.post(f"{C}/pipeline/recompute/", {"year": "abc"})
    assert CandidateRun.objects.count() == 0
    running = CandidateRun.objects.create(year=2020, mode="all", status="running")
    client.post(f"{C}/pipeline/recompute/", {"year": 2020, "sync": "1"})
    assert CandidateRun.objects.count() == 1
    # a run left "running" by a restarted server stops blocking after a while
    CandidateRun.objects.filter(pk=running.pk).update(
        created_at=running.created_at - candidates.ABANDONED_AFTER)
    client.post(f"{C}/pipeline/recompute/", {"year": 2020, "sync": "1"})
    assert CandidateRun.objects.filter(status="done").count() == 1


def test_status_box_polls_while_running_and_reloads_when_done(scored, staff, client_for):
    client = client_for(staff)
    run = CandidateRun.objects.create(year=2020, mode="all", status="running")
    page = client.get(f"{C}/pipeline/tech-sme-candidates/?year=2020").content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert 'data-testid="running">计算中' in page
    url = f"{C}/pipeline/status/?year=2020&running=1&next=/cultivation/pipeline/"
    polling = client.get(url)
    assert "HX-Refresh" not in polling
    CandidateRun.objects.filter(pk=run.pk).update(status="done")
    done = client.get(url)
    assert done["HX-Refresh"] == "true"
    assert 'hx-trigger="every 2s"' not in done.content.decode()


def test_repeated_changes_keep_one_row_with_the_latest_time(scored, ent_west):
    compute_lists(2020)
    candidates.on_change("enterprise_data", [scored.pk])
    first = CandidateChange.objects.get().changed_at
    candidates.on_change("enterprise", [scored.pk])
    candidates.on_change("demand", [ent_west.pk])  # not an enterprise kind: ignored
    change = CandidateChange.objects.get()
    assert (change.enterprise_id, change.changed_at >= first) == (scored.pk, True)
    assert candidates.status(2020)["changed"] == 1


def test_changed_run_drops_an_enterprise_whose_figures_were_removed(scored, ent_west):
    from kechuang.core.testing import AnnualIndicatorFactory

    AnnualIndicatorFactory(enterprise=ent_west, year=2019, staff_total=20, st_staff=4)
    compute_lists(2020)
    assert CandidateAssessment.objects.filter(enterprise=scored).count() == 2
    scored.annual_indicators.all().delete()
    candidates.on_change("enterprise_data", [scored.pk])
    run = compute_lists(2020, mode="changed")
    assert (run.mode, run.enterprises) == ("changed", 0)
    assert set(CandidateAssessment.objects.values_list("enterprise_id", flat=True)) == {
        ent_west.pk}
    assert CandidateChange.objects.count() == 0


def test_long_lists_are_paged_and_the_export_holds_every_row(scored, ent_west, staff,
                                                            client_for, monkeypatch):
    import io

    from openpyxl import load_workbook

    from kechuang.core.testing import AnnualIndicatorFactory
    from kechuang.cultivation import views

    AnnualIndicatorFactory(enterprise=ent_west, year=2019, staff_total=20, st_staff=1,
                           main_business_revenue=Decimal(30_000_000),
                           is_above_scale_industrial=True)
    compute_lists(2020)
    monkeypatch.setattr(views, "CANDIDATES_PER_PAGE", 1)
    client = client_for(staff)
    url = f"{C}/pipeline/above-scale-without-tech-sme/?year=2020"
    first = client.get(url).content.decode()
    second = client.get(f"{url}&page=2").content.decode()
    assert "共 2 家，第 1 / 2 页（导出Excel含全部）" in first
    assert scored.name in first  # eligible ones first
    assert ent_west.name not in first
    assert ent_west.name in second
    assert scored.name not in second
    export = client.get(f"{url}&page=2&export=xlsx")
    rows = list(load_workbook(io.BytesIO(export.getvalue())).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [scored.name, ent_west.name]


def test_a_batch_of_changes_is_one_upsert(scored, ent_west, django_assert_max_num_queries):
    compute_lists(2020)
    with django_assert_max_num_queries(2):  # "is there a run?" + one upsert
        candidates.on_change("enterprise_data", [scored.pk, ent_west.pk, scored.pk])
    assert set(CandidateChange.objects.values_list("enterprise_id", flat=True)) == {
        scored.pk, ent_west.pk}
