"""Matching on small fixtures: ranking, filters, explanations, feedback, index updates."""

import pytest

from kechuang.achievements import services as achievement_services
from kechuang.matching import services as matching
from kechuang.matching import sync
from kechuang.matching.choices import Decision, DeclineReason, TargetKind
from kechuang.matching.engine.index import Document, SearchIndex
from kechuang.matching.models import MatchResponse, MatchSuggestion
from kechuang.matching.services import MatchFilters

from .factories import day, field_training_items, make_achievements, make_demand, make_expert

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(staff, regions, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_achievements(staff, regions.east)


def test_exact_term_demand_ranks_its_achievement_first(staff, ent_east, corpus,
                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        demand = make_demand(staff, ent_east, "印染废水处理",
                             "我们厂印染废水化学需氧量超标，想找膜生物反应器方面的技术。")
    result = matching.match_demand(demand, TargetKind.ACHIEVEMENT)
    assert result.suggestions[0].obj == corpus[1]
    first = result.suggestions[0]
    assert "印染废水" in first.matched_terms
    assert "<mark>印染废水</mark>" in first.snippet


def test_field_filter_excludes_other_fields(staff, ent_east, corpus,
                                            django_capture_on_commit_callbacks):
    demand = make_demand(staff, ent_east, "锂电池材料", "需要提升锂电池正极材料循环寿命的技术方案")
    unfiltered = {s.obj.pk for s in matching.match_demand(demand).suggestions}
    assert corpus[3].pk in unfiltered  # 回收 (资源与环境) shares 锂电池
    filtered = matching.match_demand(demand, filters=MatchFilters(field="04")).suggestions
    assert filtered
    assert all(s.obj.field == "04" for s in filtered)
    assert corpus[3].pk not in {s.obj.pk for s in filtered}


def test_maturity_and_transfer_mode_filters(staff, ent_east, corpus):
    demand = make_demand(staff, ent_east, "锂电池", "锂电池正极材料和回收相关技术需求说明")
    result = matching.match_demand(demand, filters=MatchFilters(min_maturity="4_pilot",
                                                                transfer_modes=["assignment"]))
    ids = {s.obj.pk for s in result.suggestions}
    assert ids == {corpus[0].pk, corpus[3].pk}


def test_declining_with_a_reason_changes_later_rankings(staff, ent_east, ent_west, corpus,
                                                        django_capture_on_commit_callbacks):
    first = make_demand(staff, ent_east, "锂电池正极材料",
                        "锂电池正极材料循环寿命不足，希望提高能量密度")
    before = [s.obj.pk for s in matching.match_demand(first).suggestions]
    assert before[0] == corpus[0].pk
    matching.respond_to_suggestion(actor=staff, source=first,
                                   target_kind=TargetKind.ACHIEVEMENT, target=corpus[0],
                                   decision=Decision.DECLINE,
                                   reason=DeclineReason.TECH_MISMATCH)
    similar = make_demand(staff, ent_west, "锂电池正极材料寿命",
                          "我们的锂电池正极材料循环寿命不足，需要提高能量密度的方案")
    after = matching.match_demand(similar).suggestions
    assert after[0].obj.pk != corpus[0].pk
    demoted = next(s for s in after if s.obj.pk == corpus[0].pk)
    assert demoted.adjusted < 0
    # an unrelated demand is not affected
    other = make_demand(staff, ent_west, "工业机器人",
                        "工业机器人视觉定位精度不够，抓取零件失败率高")
    assert all(s.adjusted == 0 for s in matching.match_demand(other).suggestions)


def test_respond_records_suggestion_response_and_audit(staff, ent_east, corpus):
    from kechuang.audit.models import ChangeRecord

    demand = make_demand(staff, ent_east, "锂电池", "锂电池正极材料循环寿命需要提高的技术方案")
    response = matching.respond_to_suggestion(
        actor=staff, source=demand, target_kind=TargetKind.ACHIEVEMENT, target=corpus[0],
        decision=Decision.ACCEPT)
    s = MatchSuggestion.objects.get()
    assert s.status == "accepted"
    assert s.demand == demand
    assert s.achievement == corpus[0]
    assert response.responder_role == "staff"
    assert ChangeRecord.objects.filter(action="match.respond", object_id=str(s.pk)).count() == 1


def test_decline_needs_a_reason_from_the_list(staff, ent_east, corpus):
    from django.core.exceptions import ValidationError

    demand = make_demand(staff, ent_east, "锂电池", "锂电池正极材料循环寿命需要提高的技术方案")
    with pytest.raises(ValidationError) as exc:
        matching.respond_to_suggestion(actor=staff, source=demand,
                                       target_kind=TargetKind.ACHIEVEMENT, target=corpus[0],
                                       decision=Decision.DECLINE, reason="")
    assert "reason" in exc.value.message_dict
    assert MatchResponse.objects.count() == 0


def test_index_updates_when_a_record_changes(staff, regions, ent_east, corpus,
                                             django_capture_on_commit_callbacks):
    demand = make_demand(staff, ent_east, "石墨烯导热膜", "需要石墨烯导热膜的规模化制备技术")
    assert not any(s.obj.pk == corpus[4].pk for s in matching.match_demand(demand).suggestions
                   if "石墨烯" in s.matched_terms)
    with django_capture_on_commit_callbacks(execute=True):
        achievement_services.update_achievement(
            actor=staff, achievement=corpus[4],
            data={"title": "石墨烯导热膜规模化制备",
                  "abstract": "石墨烯导热膜的卷对卷规模化制备技术。"})
    top = matching.match_demand(demand).suggestions[0]
    assert top.obj.pk == corpus[4].pk
    with django_capture_on_commit_callbacks(execute=True):
        achievement_services.change_achievement_status(actor=staff, achievement=corpus[4],
                                                       status="withdrawn")
    assert corpus[4].pk not in {s.obj.pk for s in matching.match_demand(demand).suggestions}


def test_experts_and_overseas_engineers_with_availability(staff, regions, ent_east,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        local = make_expert(staff, regions.east, "王示例", "工业机器人视觉定位与装配",
                            service_mode="onsite")
        overseas = make_expert(staff, regions.east, "Anna Beispiel", "工业机器人视觉定位算法",
                               kind="overseas_engineer", country="德国", service_mode="remote",
                               availability_from=day(2020, 1, 1),
                               availability_until=day(2020, 6, 30))
    demand = make_demand(staff, ent_east, "机器人视觉", "工业机器人视觉定位不准，需要专家指导")
    experts = matching.match_demand(demand, TargetKind.EXPERT).suggestions
    assert [s.obj for s in experts] == [local]
    engineers = matching.match_demand(demand, TargetKind.OVERSEAS_ENGINEER).suggestions
    assert [s.obj for s in engineers] == [overseas]
    late = MatchFilters(available_on=day(2020, 9, 1))
    assert matching.match_demand(demand, TargetKind.OVERSEAS_ENGINEER,
                                 filters=late).suggestions == []
    onsite = MatchFilters(service_mode="onsite")
    assert matching.match_demand(demand, TargetKind.OVERSEAS_ENGINEER,
                                 filters=onsite).suggestions == []


def test_achievement_to_demands_and_enterprises(staff, ent_east, ent_west, corpus,
                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        d = make_demand(staff, ent_west, "印染废水", "印染废水化学需氧量超标需要处理工艺",
                        field="07")
        make_demand(staff, ent_east, "机器人", "工业机器人视觉定位精度提升的需求说明")
    demands = matching.match_achievement(corpus[1], TargetKind.DEMAND).suggestions
    assert demands[0].obj == d
    assert "技术领域一致：资源与环境" in demands[0].agreeing
    enterprises = matching.match_achievement(corpus[1], TargetKind.ENTERPRISE).suggestions
    assert enterprises[0].obj == ent_west


def test_an_anonymous_demand_does_not_lead_to_its_enterprise(staff, ent_east, ent_west, corpus,
                                                            django_capture_on_commit_callbacks):
    # an achievement's 企业 tab would show the enterprise, matched on the anonymous demand's words
    with django_capture_on_commit_callbacks(execute=True):
        hidden = make_demand(staff, ent_west, "印染废水", "印染废水化学需氧量超标需要处理工艺",
                             field="07", is_anonymous=True)
    enterprises = matching.match_achievement(corpus[1], TargetKind.ENTERPRISE).suggestions
    assert ent_west.pk not in {s.obj.pk for s in enterprises}
    demands = matching.match_achievement(corpus[1], TargetKind.DEMAND).suggestions
    assert demands[0].obj == hidden  # the demand itself is still suggested, as 匿名企业
    sync.rebuild(kinds=("demand", "enterprise"), train_classifier=False)
    enterprises = matching.match_achievement(corpus[1], TargetKind.ENTERPRISE).suggestions
    assert ent_west.pk not in {s.obj.pk for s in enterprises}


@pytest.mark.parametrize(("_case", "text", "message"), [
    ("empty", "", "请输入"),
    ("one_char", "电", "至少输入两个字"),
    ("punctuation_only", "，。！？……", "请输入"),
])
def test_bad_queries_get_a_clear_message(corpus, _case, text, message):
    result = matching.rank(text, TargetKind.ACHIEVEMENT)
    if _case != "one_char":  # one character still gives (weak) results, with the hint
        assert result.suggestions == []
    assert message in result.message


@pytest.mark.parametrize(("_case", "text"), [
    ("traditional", "印染廢水處理，膜生物反應器"),
    ("full_width", "印染废水（ＣＯＤ）处理！！"),
    ("html_script", "<script>alert(1)</script><b>印染废水</b>处理"),
    ("very_long", "印染废水处理" + "无关内容" * 20000),
])
def test_odd_input_still_finds_the_right_achievement(corpus, _case, text):
    result = matching.rank(text, TargetKind.ACHIEVEMENT)
    assert result.suggestions[0].obj == corpus[1]
    assert "<script>" not in result.suggestions[0].snippet


def test_highlight_escapes_html():
    from kechuang.matching.search import highlight

    out = highlight("<img src=x onerror=alert(1)>印染废水 & 处理", ["印染废水"])
    assert "<img" not in out
    assert "<mark>印染废水</mark>" in out
    assert "&amp;" in out


def test_rebuild_reports_progress_and_counts(staff, regions, ent_east, corpus):
    seen = []
    counts = sync.rebuild(progress=lambda d, t: seen.append((d, t)))
    assert counts["achievement"] == 5
    assert counts["enterprise"] >= 1
    assert seen[-1][0] == seen[-1][1]
    result = matching.rank("印染废水", TargetKind.ACHIEVEMENT)
    assert result.suggestions[0].obj == corpus[1]


def test_a_failed_rebuild_leaves_the_live_index_as_it_was(staff, regions, ent_east, corpus,
                                                         monkeypatch):
    from kechuang.matching import documents, search

    sync.rebuild()
    before = search.get_index("achievement").num_docs
    queryset, build = documents.BUILDERS["achievement"]
    built = []

    def failing(obj):
        if built:
            raise RuntimeError("数据库连接中断")
        built.append(obj.pk)
        return build(obj)

    monkeypatch.setitem(documents.BUILDERS, "achievement", (queryset, failing))
    abandoned = []
    real_abandon = SearchIndex.abandon

    def spy(index):
        abandoned.append((index.path.name, index._writer is not None))
        real_abandon(index)

    monkeypatch.setattr(SearchIndex, "abandon", spy)
    with pytest.raises(RuntimeError, match="数据库连接中断"):
        sync.rebuild(kinds=("achievement",), train_classifier=False)
    assert built  # it failed halfway, after one document
    # the half-built index (with its open writer) was abandoned at once, not left to the GC
    assert abandoned == [("achievement.new", True)]
    half = SearchIndex.open(search.index_dir("achievement").with_name("achievement.new"))
    assert half.num_docs == 0
    half.add_documents([Document("x", {"title": "钢"})])
    half.close()
    search.forget()
    assert search.get_index("achievement").num_docs == before == 5
    assert matching.rank("印染废水", TargetKind.ACHIEVEMENT).suggestions[0].obj == corpus[1]
    # the next rebuild works: the failed one left no writer lock in its directory
    monkeypatch.setitem(documents.BUILDERS, "achievement", (queryset, build))
    assert sync.rebuild(kinds=("achievement",), train_classifier=False)["achievement"] == 5


def test_a_second_rebuild_is_refused_while_one_runs(staff, regions, ent_east, corpus, index_dir):
    """The page's background job and ``kechuang rebuild_index`` take one lock: a rebuild started
    while another runs stops at once with a Chinese message and touches no index."""
    import io

    from django.core.management import CommandError, call_command

    from kechuang.matching import search

    sync.rebuild(kinds=("achievement",), train_classifier=False)
    before = sorted(p.name for p in index_dir.iterdir())
    with sync.rebuild_lock():
        with pytest.raises(sync.RebuildBusyError, match="另一个检索索引重建正在进行"):
            sync.rebuild(kinds=("achievement",), train_classifier=False)
        with pytest.raises(CommandError, match="另一个检索索引重建正在进行"):
            call_command("rebuild_index", "--kind", "achievement", "--no-classifier",
                         stdout=io.StringIO())
    assert sorted(p.name for p in index_dir.iterdir()) == before  # no achievement.new
    assert search.get_index("achievement").num_docs == 5
    # released: the next one runs
    assert sync.rebuild(kinds=("achievement",), train_classifier=False)["achievement"] == 5


def test_swap_in_replaces_an_index_other_handles_still_read(staff, regions, ent_east, corpus,
                                                            index_dir):
    from kechuang.matching import search

    sync.rebuild(kinds=("achievement",), train_classifier=False)
    reader = SearchIndex.open(search.index_dir("achievement"))  # another process's handle
    assert reader.num_docs == 5
    corpus[0].delete()
    assert sync.rebuild(kinds=("achievement",), train_classifier=False)["achievement"] == 4
    assert SearchIndex.open(search.index_dir("achievement")).num_docs == 4
    assert not [p.name for p in index_dir.iterdir() if "discarded" in p.name]


def test_swap_in_keeps_going_when_the_old_tree_cannot_be_removed(tmp_path, monkeypatch, caplog):
    from kechuang.matching.engine import index as index_module

    final, built = tmp_path / "idx", tmp_path / "idx.new"
    SearchIndex.create(final).close()
    fresh = SearchIndex.create(built)
    fresh.add_documents([Document("x", {"title": "钢"})])
    fresh.close()
    def cannot_remove(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(index_module, "_remove_tree", cannot_remove)
    index_module.swap_in(built, final)
    assert SearchIndex.open(final).num_docs == 1
    assert not built.exists()
    left = [p.name for p in tmp_path.iterdir() if p.name != "idx"]
    assert len(left) == 1
    assert left[0].startswith(".idx.discarded-")
    assert "not removed" in caplog.text


def test_field_suggestion_degrades_then_learns(staff, regions):
    from kechuang.matching import classifier

    assert "太少" in classifier.suggest_field("锂电池正极材料的制备方法研究").message
    make_achievements(staff, regions.east, field_training_items())
    classifier.train_from_records()
    result = classifier.suggest_field("想找锂电池正极材料方面的技术")
    assert result.fields[0][0] == "04"


def test_field_suggester_is_the_engine_classifier_and_survives_a_restart(staff, regions,
                                                                         index_dir):
    from kechuang.matching import classifier
    from kechuang.matching.engine.classifier import FieldClassifier

    make_achievements(staff, regions.east, field_training_items())
    trained = classifier.train_from_records()
    assert isinstance(trained.classifier, FieldClassifier)
    assert (trained.labels, trained.trained_on) == (["04", "07"], 24)
    text = "印染废水深度处理技术需求"
    before = trained.predict(text)
    classifier._cache.clear()  # a new process: the model comes from the file
    loaded = classifier.current_model()
    assert loaded.predict(text) == before
    assert before[0][0] == "07"


def test_too_few_records_leave_no_model_file(staff, regions, index_dir):
    from kechuang.matching import classifier

    make_achievements(staff, regions.east, [("锂电池正极材料", "高镍三元锂电池正极材料共沉淀制备",
                                             "04", "4_pilot", "assignment")])
    model = classifier.train_from_records()
    assert (model.usable, model.trained_on) == (False, 1)
    assert not classifier.model_path().exists()
