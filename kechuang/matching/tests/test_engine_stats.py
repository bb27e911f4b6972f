"""Index version 3: unigram statistics outside tantivy, and the stage-2 score that replaces
stage 1's unigram postings."""

import json

import pytest

from kechuang.matching.engine import analysis, ranking
from kechuang.matching.engine.index import (
    STOP_UNIGRAMS,
    Document,
    SearchIndex,
)
from kechuang.matching.engine.ranking import (
    Ranker,
    RankingParams,
    plan_query,
    quantized_length,
    stage1_terms,
    token_count,
)
from kechuang.matching.engine.stats import STATS_FILE, IndexStats

from .old_indexes import old_index
from .test_engine_index import DOCS

MORE = [
    Document("b1", {"title": "锂电池隔膜涂覆设备",
                    "abstract": "隔膜表面陶瓷涂覆，提高锂电池安全性"}),
    Document("b2", {"abstract": "城市污水处理厂的提标改造与生物脱氮 A2O 工艺"}),
    Document("b3", {"title": "PCB 缺陷检测",
                    "abstract": "基于机器视觉的印制电路板缺陷自动检测系统"}),
]


def _fresh_stats(index: SearchIndex) -> dict:
    """Statistics recounted from the stored documents (what they must always equal)."""
    stats = IndexStats(STOP_UNIGRAMS, unigrams=index.version >= 4)
    for _id, text, title, _facets in index._iter_stored_docs():
        stats.add(text, title)
    return stats.to_json()


def test_quantized_length_follows_tantivy_fieldnorm_codes():
    assert [quantized_length(n) for n in (0, 1, 40, 41, 42, 43, 57, 60, 100, 300)] == [
        0, 1, 40, 40, 42, 42, 56, 60, 96, 280]


def test_stats_follow_adds_upserts_and_deletes_across_reopen(tmp_path):
    index = SearchIndex.create(tmp_path / "idx")
    index.add_documents(DOCS)
    index.commit()
    index.upsert(Document("a2", {"title": "石墨烯导热膜"}, {"region": "西湖区"}))
    index.upsert(Document("a2", {"title": "石墨烯导热膜片"}))  # twice before a commit
    index.delete("a4")
    index.delete("nope")  # unknown id: nothing to uncount
    index.close()
    assert index.stats.to_json() == _fresh_stats(index)
    saved = json.loads((tmp_path / "idx" / STATS_FILE).read_text(encoding="utf-8"))
    # grams length = 2 × CJK characters + runs − 2 − stop characters: a1 (25 characters in 2
    # runs, 的 and 及) 48, title 26; a2 (7 in 1) 13 and 13; a3 (19 in 2) 38, title (9 in 1) 17
    unigram_df = saved.pop("unigram_df")
    assert saved == {"docs": 3, "totals": {"grams": 48 + 13 + 38, "words": 0,
                                           "tgrams": 26 + 13 + 17, "twords": 0}}
    # unigram document frequencies (version 4): 池 in a1 and a3 (in a1's title only); 膜 only in
    # the upserted a2 (the old a2's 生物膜 was taken out); nothing left of the deleted a4 and of
    # the old a2's 污水; stop characters are not counted
    assert (unigram_df["grams"]["池"], unigram_df["tgrams"]["池"]) == (2, 1)
    assert (unigram_df["grams"]["膜"], unigram_df["tgrams"]["膜"]) == (1, 1)
    assert not {"缺", "污", "的"} & (set(unigram_df["grams"]) | set(unigram_df["tgrams"]))
    # distinct non-stop characters: a1 16 (及 and 的 are stop characters), a2 7, a3 17
    assert sum(unigram_df["grams"].values()) == 16 + 7 + 17
    reopened = SearchIndex.open(tmp_path / "idx")
    assert reopened.stats.to_json() == {**saved, "unigram_df": unigram_df}
    assert reopened.doc_freq("grams", "墨") == 1
    assert reopened.doc_freq("grams", "膜片") == 1
    assert Ranker(reopened).search("石墨烯导热膜片")[0].id == "a2"


@pytest.mark.parametrize("on_disk", [True, False])
def test_abandon_drops_uncommitted_documents_and_their_statistics(tmp_path, on_disk):
    index = SearchIndex.create(tmp_path / "idx" if on_disk else None)
    index.add_documents(DOCS)
    index.commit()
    committed = index.stats.to_json()
    index.add_documents(MORE)
    index.upsert(Document("a1", {"title": "钢结构"}))
    index.delete("a2")
    assert index.stats.to_json() != committed
    index.abandon()
    assert index.num_docs == len(DOCS)
    assert index.stats.to_json() == committed == _fresh_stats(index)
    assert index.doc_freq("grams", "隔") == 0
    index.add_documents(MORE)  # a new writer can be opened
    index.close()
    assert index.num_docs == len(DOCS) + len(MORE)
    assert index.stats.to_json() == _fresh_stats(index)


def test_missing_stats_file_is_recounted_on_open(tmp_path):
    index = SearchIndex.create(tmp_path / "idx")
    index.add_documents(DOCS + MORE)
    index.close()
    expected = index.stats.to_json()
    (tmp_path / "idx" / STATS_FILE).unlink()
    reopened = SearchIndex.open(tmp_path / "idx")
    assert reopened.stats.to_json() == expected
    assert (tmp_path / "idx" / STATS_FILE).exists()


def test_statistics_saved_for_a_commit_that_never_happened_are_recounted(tmp_path,
                                                                          monkeypatch):
    from kechuang.matching.engine import index as index_module

    monkeypatch.setattr(index_module, "STATS_SETTLE_PAUSES", (0.001, 0.001))
    index = SearchIndex.create(tmp_path / "idx")
    index.add_documents(DOCS)
    index.close()
    expected = _fresh_stats(index)
    # the process dies between saving the statistics and committing the documents they count
    index.add_documents(MORE)
    index._save_stats()
    saved = json.loads((tmp_path / "idx" / STATS_FILE).read_text(encoding="utf-8"))
    assert saved["docs"] == 7
    index.abandon()  # what the dead process's lock and uncommitted segments amount to
    (tmp_path / "idx" / STATS_FILE).write_text(json.dumps(saved), encoding="utf-8")
    reopened = SearchIndex.open(tmp_path / "idx")
    assert reopened.num_docs == 4
    assert reopened.stats.to_json() == expected
    assert json.loads((tmp_path / "idx" / STATS_FILE).read_text(encoding="utf-8"))["docs"] == 4


def test_opening_while_another_writer_commits_waits_for_the_commit(tmp_path, monkeypatch):
    from kechuang.matching.engine import index as index_module

    writer = SearchIndex.create(tmp_path / "idx")
    writer.add_documents(DOCS)
    writer.close()
    writer.add_documents(MORE)
    writer._save_stats()  # the writer is between saving its statistics and committing
    pauses: list[float] = []

    def commit_lands(seconds):
        pauses.append(seconds)
        if len(pauses) == 1:
            writer.close()

    monkeypatch.setattr(index_module.time, "sleep", commit_lands)
    recounts: list[int] = []
    real_recount = SearchIndex._recount_stats
    monkeypatch.setattr(SearchIndex, "_recount_stats",
                        lambda self: (recounts.append(1), real_recount(self)))
    reader = SearchIndex.open(tmp_path / "idx")
    assert pauses == [index_module.STATS_SETTLE_PAUSES[0]]
    assert recounts == []  # no recount, and the saved file is left as the writer wrote it
    assert reader.num_docs == 7
    assert reader.stats.to_json() == writer.stats.to_json() == _fresh_stats(writer)


def test_a_reader_picks_up_statistics_saved_by_a_writer(tmp_path):
    writer = SearchIndex.create(tmp_path / "idx")
    writer.add_documents(DOCS)
    writer.close()
    reader = SearchIndex.open(tmp_path / "idx")
    assert reader.stats.docs == 4
    assert reader.doc_freq("grams", "隔") == 0
    writer.add_documents(MORE)
    writer.close()
    reader.commit()  # reloads the searcher, and the statistics with it
    assert reader.num_docs == 7
    assert reader.stats.to_json() == writer.stats.to_json()
    assert reader.stats.docs == 7
    assert reader.doc_freq("grams", "隔") == 1


def _v2_index(tmp_path) -> SearchIndex:
    return old_index(tmp_path, 2)


def test_version_2_index_keeps_unigram_terms_and_its_ranking(tmp_path):
    index = _v2_index(tmp_path)
    assert index.version == 2
    assert index.has_unigram_postings
    assert index.stats is None
    index.add_documents(DOCS + MORE)
    index.close()
    assert index.searcher().doc_freq("grams", "池") == 3
    assert not (tmp_path / "v2" / STATS_FILE).exists()
    hits = Ranker(index).search("锂电池隔膜")
    assert hits[0].id == "b1"
    assert Ranker(index).search("池")  # one character, matched by its unigram term


def test_version_3_index_reads_unigram_frequencies_from_its_ugrams_fields(tmp_path):
    index = old_index(tmp_path, 3)
    assert (index.version, index.has_unigram_postings) == (3, False)
    assert index.stats is not None
    assert not index.stats.unigrams
    index.add_documents(DOCS + MORE)
    index.close()
    assert index.searcher().doc_freq("ugrams", "池") == 3
    assert index.doc_freq("grams", "池") == 3
    assert index.doc_freq("tgrams", "池") == 2
    assert "unigram_df" not in json.loads((tmp_path / "v3" / STATS_FILE).read_text("utf-8"))
    reopened = SearchIndex.open(tmp_path / "v3")
    assert reopened.version == 3
    v4 = SearchIndex.create(None)
    v4.add_documents(DOCS + MORE)
    v4.commit()
    assert v4.doc_freq("grams", "池") == 3
    assert v4.doc_freq("tgrams", "池") == 2
    # same statistics, so the same ranking as a version-4 index of the same documents
    for query in ("锂电池隔膜", "池", "pcb 缺陷检测", "太阳能电池板清洗"):
        got = [(h.id, round(h.score, 6)) for h in Ranker(reopened).search(query)]
        assert got
        assert got == [(h.id, round(h.score, 6)) for h in Ranker(v4).search(query)]


@pytest.mark.parametrize("query", [
    "锂电池正极材料", "污水处理 脱氮", "pcb 缺陷 检测", "基于机器视觉的缺陷检测系统",
    "太阳能电池板清洗",
])
def test_stage2_base_score_equals_version_2_stage1_score(tmp_path, query):
    """Version 3 recomputes, over the candidates, the BM25 that version 2's tantivy stage 1
    gave them with its unigram postings: same values (float32 rounding), same order."""
    v2 = _v2_index(tmp_path)
    v2.add_documents(DOCS + MORE)
    v2.close()
    v3 = SearchIndex.create(None)
    v3.add_documents(DOCS + MORE)
    v3.commit()
    plan = plan_query(v3, query, Ranker(v3).params)
    assert plan_query(v2, query, Ranker(v2).params).terms == plan.terms
    expected = {c.id: c.score for c in v2.candidates(plan.terms, 50)}
    cands = v3.candidates(plan.terms, 50, chars=analysis.normalize(query))
    got = dict(zip([c.id for c in cands], Ranker(v3)._base_scores(plan, cands), strict=True))
    assert set(got) >= set(expected)
    for doc_id, score in expected.items():
        assert got[doc_id] == pytest.approx(score, rel=1e-4), doc_id


def test_stored_lengths_equal_what_stage_2_would_count():
    index = SearchIndex.create(None)
    long_doc = Document("long", {"title": "钢", "abstract": "锂电池隔膜 pcb " * 200})
    index.add_documents([*DOCS, *MORE, long_doc])
    index.commit()
    cands = index.candidates([], 20, chars="锂污光基隔城钢")
    assert {c.id for c in cands} == {d.id for d in [*DOCS, *MORE, long_doc]}
    for c in cands:
        assert c.lengths == (*index.stats.lengths(c.text, c.title), token_count(c.text)), c.id
    assert len(next(c for c in cands if c.id == "long").text) == index.config.stored_text_chars


def _v3_index() -> SearchIndex:
    index = SearchIndex.create(None)
    index.add_documents(DOCS + MORE)
    index.commit()
    return index


def test_stage1_uses_text_bigrams_and_words_unweighted():
    index = _v3_index()
    plan = plan_query(index, "锂电池 pcb", Ranker(index).params)
    assert ("grams", "锂", 0.5) in plan.terms
    assert ("tgrams", "锂电", 2.0) in plan.terms
    terms, chars = stage1_terms(index, plan)
    assert sorted(terms) == [("grams", "电池", 1.0), ("grams", "锂电", 1.0), ("words", "pcb", 1.0)]
    assert chars == []
    # a lone character has no bigram: its documents are found through the bigrams that
    # start with it (version 4; ugrams on version 3)
    terms, chars = stage1_terms(index, plan_query(index, "膜", Ranker(index).params))
    assert (terms, chars) == ([], ["膜"])
    assert {h.id for h in Ranker(index).search("膜")} == {"a2", "b1"}  # 生物膜, 隔膜


def test_a_lone_character_finds_every_document_holding_it():
    index = SearchIndex.create(None)
    index.add_documents([
        Document("end", {"abstract": "高分子薄膜"}),  # only at the very end of the text
        Document("start", {"abstract": "膜分离 技术"}),  # only at the start
        Document("alone", {"abstract": "反渗透 膜 组件"}),  # a run of its own
        Document("none", {"abstract": "污水处理"}),
    ])
    index.commit()
    assert index.doc_freq("grams", "膜") == 3
    assert {c.id for c in index.candidates([], 10, chars="膜")} == {"end", "start", "alone"}
    assert {h.id for h in Ranker(index).search("膜")} == {"end", "start", "alone"}


def test_stage1_keeps_the_rarest_terms(monkeypatch):
    index = _v3_index()
    plan = plan_query(index, "锂电池隔膜 电池板", Ranker(index).params)
    # 电池 is in a1, a3, b1; 锂电 in a1, b1; the others in one document each
    terms, _ = stage1_terms(index, plan, limit=2)
    assert len(terms) == 2
    assert all(index.doc_freq(f, t) == 1 for f, t, _w in terms)
    # terms above max_df of the documents are cut, but never the 3 rarest and never below the
    # STAGE1_MIN_CUT floor (here 7 documents: nothing is cut)
    all_terms, _ = stage1_terms(index, plan)
    assert stage1_terms(index, plan, max_df=0.2)[0] == sorted(
        all_terms, key=lambda it: index.doc_freq(it[0], it[1]))
    monkeypatch.setattr(ranking, "STAGE1_MIN_CUT", 0)
    cut, _ = stage1_terms(index, plan, max_df=0.2)  # 0.2 × 7 = 1.4 documents
    assert ("grams", "电池", 1.0) not in cut
    assert {t for _f, t, _w in cut} == {t for f, t, _w in all_terms if index.doc_freq(f, t) == 1}


def test_short_queries_fetch_fewer_candidates(monkeypatch):
    index = _v3_index()
    asked: list[int] = []
    real = index.candidates

    def spy(terms, limit, *args, **kwargs):
        asked.append(limit)
        return real(terms, limit, *args, **kwargs)

    monkeypatch.setattr(index, "candidates", spy)
    Ranker(index).search("锂电池")
    Ranker(index).search("一种锂电池隔膜涂覆设备，隔膜表面陶瓷涂覆以提高锂电池的安全性与循环寿命，"
                         "并降低城市污水处理厂提标改造中生物脱氮工艺的能耗和药剂消耗")
    product = RankingParams(short_query_candidates=200)
    Ranker(index, params=product).search("锂电池")
    assert asked == [50, 200, 200]


def test_unique_unigram_counts_equal_a_set_per_text():
    import random

    from kechuang.matching.engine.stats import _unique_unigram_counts

    rng = random.Random(7)
    alphabet = "甲乙丙丁戊己庚辛 ab1㐀鿿"  # CJK at both ends of the counted range, and not CJK
    for _ in range(200):
        texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
                 for _ in range(rng.randint(1, 40))]
        expected: dict[int, int] = {}
        for text in texts:
            for ch in set(text):
                if "\u3400" <= ch <= "\u9fff":
                    expected[ord(ch)] = expected.get(ord(ch), 0) + 1
        counts = _unique_unigram_counts(texts)
        assert {c: int(counts[c]) for c in counts.nonzero()[0]} == expected
    # more texts than 32-bit keys can number (the batch is 2,048, but the function takes any)
    many = _unique_unigram_counts(["甲乙"] * 40_000 + ["丙"])
    assert (many[ord("甲")], many[ord("乙")], many[ord("丙")]) == (40_000, 40_000, 1)
