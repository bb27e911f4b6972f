"""SearchIndex + Ranker: exact terms rank first, filters exclude, upsert/delete work."""

import json
import random
from collections import Counter

import pytest

from kechuang.matching.engine import analysis
from kechuang.matching.engine.index import STOP_UNIGRAMS, Document, SearchIndex
from kechuang.matching.engine.ranking import Ranker, term_counts, token_count

from .old_indexes import old_index

DOCS = [
    Document("a1", {"title": "一种锂电池正极材料的制备方法", "abstract": "涉及锂离子电池正极材料"},
             {"field": "新能源", "region": "西湖区", "maturity": "小试"}),
    Document("a2", {"title": "污水处理生物膜反应器", "abstract": "用于城市污水的脱氮除磷"},
             {"field": "环保", "region": "滨江区", "maturity": "中试"}),
    Document("a3", {"title": "光伏组件清洗机器人", "abstract": "太阳能电池板自动清洗"},
             {"field": ["新能源", "智能制造"], "region": "滨江区", "maturity": "产业化"}),
    Document("a4", {"title": "基于深度学习的缺陷检测", "abstract": "PCB 板缺陷图像识别 CNN"},
             {"field": "人工智能", "region": "西湖区", "maturity": "产业化"}),
]


@pytest.fixture
def ranker():
    index = SearchIndex.create(None)
    index.add_documents(DOCS)
    index.commit()
    return Ranker(index)


def test_exact_term_ranks_its_doc_first(ranker):
    hits = ranker.search("生物膜反应器")
    assert hits[0].id == "a2"
    assert "生物膜反应器" in hits[0].matched_terms


def test_latin_terms_and_traditional_query(ranker):
    assert ranker.search("pcb 缺陷")[0].id == "a4"
    assert ranker.search("鋰電池")[0].id == "a1"


def test_filter_excludes(ranker):
    hits = ranker.search("电池", filters={"region": {"滨江区"}})
    assert [h.id for h in hits] == ["a3"]
    assert ranker.search("电池", filters={"field": {"新能源"}, "maturity": {"小试"}})[0].id == "a1"
    assert ranker.search("电池", filters={"region": set()}) == []


def test_empty_and_junk_queries(ranker):
    assert ranker.search("") == []
    assert ranker.search("，。！") == []
    assert ranker.search("池")  # one char still matches


def test_upsert_and_delete(tmp_path):
    index = SearchIndex.create(tmp_path / "idx")
    index.add_documents(DOCS)
    index.commit()
    index.upsert(Document("a2", {"title": "石墨烯导热膜"}, {"region": "西湖区"}))
    index.delete("a4")
    index.commit()
    index.close()
    reopened = SearchIndex.open(tmp_path / "idx")
    r = Ranker(reopened)
    assert reopened.num_docs == 3
    assert r.search("石墨烯")[0].id == "a2"
    assert r.search("污水处理") == [] or r.search("污水处理")[0].id != "a2"
    assert all(h.id != "a4" for h in r.search("缺陷检测"))


# --- analysis inside tantivy (index version 3) -------------------------------------------------

MIXED = "Ｌｉ-ion鋰電池，正極材料的3D打印；CO2還原 α相 pH7.5 和 x"


def _terms(index: SearchIndex, field_name: str) -> dict[str, int]:
    return dict(index.searcher().terms_with_prefix(field_name, ""))


def test_tantivy_terms_equal_python_analyzer_on_mixed_text():
    index = SearchIndex.create(None)
    index.add_documents([Document("m1", {"title": MIXED, "abstract": MIXED})])
    index.commit()
    norm = analysis.normalize(MIXED)
    assert norm == "li-ion锂电池,正极材料的3d打印;co2还原 α相 ph7.5 和 x"
    python_tokens = analysis.tokenize(f"{norm} {norm}")
    bigrams = {t for t in python_tokens if t[0] >= "\u3400" and len(t) == 2}
    unigrams = {t for t in python_tokens if t[0] >= "\u3400" and len(t) == 1}
    latin = {t for t in python_tokens if t[0] < "\u3400"}
    assert latin == {"li", "ion", "3d", "co2", "ph7", "5", "x"}
    assert {"的", "和"} <= unigrams
    # grams: exactly the Python CJK bigrams, plus the space-joined run boundaries (x␠ / ␠y),
    # which no query term can ask for (query grams never contain a space); no unigram terms
    grams = _terms(index, "grams")
    assert {t for t in grams if " " not in t} == bigrams
    assert {t for t in grams if " " in t} == {
        "池 ", " 正", "的 ", " 打", "印 ", " 还", "原 ", " 相", "相 ", " 和", "和 ", " 锂"}
    assert grams["锂电"] == 1
    assert not any(len(t) == 1 for t in grams)
    assert _terms(index, "words") == dict.fromkeys(latin, 1)
    # the title fields get the same analysis (one copy of the text: no "和␠锂" boundary)
    assert set(_terms(index, "tgrams")) == set(grams) - {"和 ", " 锂"}
    assert _terms(index, "twords") == _terms(index, "words")
    # unigrams are not in tantivy at all (version 4): their document frequencies are counted in
    # the statistics, minus the stop characters
    for name in ("ugrams", "tugrams"):
        with pytest.raises(ValueError, match="not defined"):
            _terms(index, name)
    assert {c for c in unigrams if index.stats.unigram_df("grams", c)} == unigrams - set(
        STOP_UNIGRAMS)
    assert {c for c in unigrams if index.stats.unigram_df("tgrams", c)} == unigrams - set(
        STOP_UNIGRAMS)
    # every Python query term of the text is found (a unigram's document frequency is read
    # from the statistics), except the stop unigrams that queries never ask for
    for qt in analysis.query_terms(norm):
        expected = 0 if qt.kind == "uni" and qt.text in STOP_UNIGRAMS else 1
        assert index.doc_freq(qt.field, qt.text) == expected, qt
    assert index.doc_freq("grams", "锂") == 1
    assert index.doc_freq("grams", "钢") == 0


def test_stored_fields_are_not_indexed_and_round_trip():
    index = SearchIndex.create(None)
    index.add_documents(DOCS)
    index.commit()
    assert _terms(index, "text") == {}
    assert _terms(index, "facets") == {}
    assert _terms(index, "facet")["region=滨江区"] == 2
    stored = {doc_id: (text, facets) for doc_id, text, facets in index.iter_stored()}
    assert stored["a3"] == ("光伏组件清洗机器人 太阳能电池板自动清洗",
                            {"field": ["新能源", "智能制造"], "region": ["滨江区"],
                             "maturity": ["产业化"]})
    assert stored["a4"][0] == "基于深度学习的缺陷检测 pcb 板缺陷图像识别 cnn"


def test_add_documents_streams_a_generator_with_progress():
    index = SearchIndex.create(None)
    calls: list[tuple[int, int]] = []
    n = index.add_documents((d for d in DOCS * 3), progress=lambda a, b: calls.append((a, b)),
                            progress_every=5)
    index.commit()
    assert n == 12
    assert calls == [(5, 0), (10, 0), (12, 12)]
    assert index.num_docs == 12


def test_unsupported_index_version_is_refused(tmp_path):
    index = SearchIndex.create(tmp_path / "idx")
    index.close()
    meta = tmp_path / "idx" / "kechuang_index.json"
    assert json.loads(meta.read_text(encoding="utf-8"))["version"] == 4
    meta.write_text(json.dumps({"version": 99, "config": {}}), encoding="utf-8")
    with pytest.raises(ValueError, match="索引版本不受支持"):
        SearchIndex.open(tmp_path / "idx")


def test_term_counts_equal_the_tokenizer_counts():
    texts = ["锂电池正极材料的锂电池 pcb 3d pcb", "", "哈哈哈哈 lyapunov函数", "pcbx 电池",
             "锂电池"]
    terms = ["锂电", "电池", "锂", "哈哈", "哈", "pcb", "3d", "lyapunov", "函数", "钢"]
    got = term_counts(texts, terms)
    for i, text in enumerate(texts):
        tokens = Counter(analysis.tokenize(text))
        assert list(got[i]) == [tokens[t] for t in terms], text
        assert token_count(text) == len(analysis.tokenize(text))
    assert got[2][3] == 3  # overlapping: 哈哈哈哈 holds 哈哈 three times


def test_term_counts_equal_the_tokenizer_counts_on_random_texts():
    """Counted for all texts at once: no gram across two texts, a text's first and last
    characters, repeated characters, characters outside the BMP, empty texts."""
    rng = random.Random(7)
    alphabet = [*"锂电池膜污水钢哈", "𠀀", " ", "，", "ab", "3d", "x"]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(300)]
    texts += ["锂", "池锂", ""]
    cjk = "锂电池膜污水钢哈"
    terms = [*cjk, *(a + b for a in cjk for b in cjk), "ab", "3d", "x", "pcb"]
    got = term_counts(texts, terms)
    for i, text in enumerate(texts):
        tokens = Counter(analysis.tokenize(text))
        assert list(got[i]) == [tokens[t] for t in terms], text
    assert got.sum() > 1000  # the texts do hold the terms


def test_version_1_index_is_still_read_and_written(tmp_path):
    """An index built before version 2 (text/facets indexed as raw terms) keeps working."""
    old = old_index(tmp_path, 1)
    path = old.path
    index = SearchIndex.open(path)
    index.add_documents(DOCS)
    index.upsert(Document("a2", {"title": "石墨烯导热膜"}, {"region": "西湖区"}))
    index.close()
    reopened = SearchIndex.open(path)
    assert reopened.num_docs == 4
    hits = Ranker(reopened).search("石墨烯导热")
    assert hits[0].id == "a2"
    assert hits[0].facets == {"region": ["西湖区"]}
    assert hits[0].text == "石墨烯导热膜"
    assert Ranker(reopened).search("pcb 缺陷")[0].id == "a4"
    # the old schema still indexes the raw text (that is what version 2 stopped doing)
    assert _terms(reopened, "text")["石墨烯导热膜"] == 1


def test_overwrite_while_another_handle_is_open(tmp_path):
    """Rebuilding over an index that another handle still has open (its reader watches the
    directory) gives an empty new index and leaves nothing of the old one beside it."""
    path = tmp_path / "idx"
    first = SearchIndex.create(path)
    first.add_documents(DOCS)
    first.commit()
    still_open = SearchIndex.open(path)
    assert still_open.num_docs == 4
    for round_ in range(3):
        fresh = SearchIndex.create(path, overwrite=True)
        assert fresh.num_docs == 0
        fresh.add_documents(DOCS[: round_ + 1])
        fresh.close()
        assert SearchIndex.open(path).num_docs == round_ + 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["idx"]


def test_overwrite_retries_a_removal_that_races_a_writer(tmp_path, monkeypatch):
    """If something writes into the directory while it is being removed ("Directory not
    empty"), the removal is retried instead of failing the rebuild."""
    from kechuang.matching.engine import index as index_module

    path = tmp_path / "idx"
    SearchIndex.create(path).close()
    real_rmtree = index_module.shutil.rmtree
    calls = []

    def racing_rmtree(target, *args, **kwargs):
        calls.append(target)
        if len(calls) == 1:
            raise OSError(39, "Directory not empty", str(target))
        return real_rmtree(target, *args, **kwargs)

    monkeypatch.setattr(index_module.shutil, "rmtree", racing_rmtree)
    fresh = SearchIndex.create(path, overwrite=True)
    assert fresh.num_docs == 0
    assert len(calls) == 2  # failed once, removed on the retry …
    assert calls[0] == calls[1] != path  # … from where it had been renamed aside
    assert sorted(p.name for p in tmp_path.iterdir()) == ["idx"]


def test_overwrite_gives_up_after_repeated_failures(tmp_path, monkeypatch):
    from kechuang.matching.engine import index as index_module

    path = tmp_path / "idx"
    SearchIndex.create(path).close()

    def failing_rmtree(target, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(target))

    monkeypatch.setattr(index_module.shutil, "rmtree", failing_rmtree)
    monkeypatch.setattr(index_module.time, "sleep", lambda _s: None)
    with pytest.raises(PermissionError):
        SearchIndex.create(path, overwrite=True)
    assert not path.exists()  # the old index was renamed aside, never half-deleted in place
