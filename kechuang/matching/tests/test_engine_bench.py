"""Bench runners on a small subset of the dev split (read in place, never copied)."""

import json
from pathlib import Path

import pytest

from kechuang.matching.engine.bench import BenchInputError, run_classify, run_retrieval
from kechuang.matching.engine.index import SearchIndex

DEV = Path("/work/shared/data/matching-dev")
pytestmark = pytest.mark.skipif(
    not DEV.is_dir(), reason="开发集 /work/shared/data/matching-dev 不存在，跳过基准测试"
)


def _head(src: Path, dst: Path, n: int) -> Path:
    with src.open(encoding="utf-8") as f, dst.open("w", encoding="utf-8") as out:
        for _ in range(n):
            out.write(f.readline())
    return dst


def test_retrieval_subset(tmp_path):
    corpus = _head(DEV / "title" / "corpus.jsonl", tmp_path / "c.jsonl", 400)
    ids = {json.loads(line)["id"] for line in corpus.open(encoding="utf-8")}
    with (DEV / "title" / "queries.jsonl").open(encoding="utf-8") as f:
        queries = [json.loads(line) for line in f]
    queries = [q for q in queries if q["relevant"][0] in ids][:50]
    qpath = tmp_path / "q.jsonl"
    qpath.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in queries), "utf-8")
    out = tmp_path / "run.jsonl"
    result = run_retrieval(corpus, qpath, 10, out, echo=None)
    assert result["queries"] == len(queries) > 10
    run = {r["qid"]: r["ranked"] for r in map(json.loads, out.open(encoding="utf-8"))}
    r1 = sum(run[q["qid"]][:1] == q["relevant"][:1] for q in queries) / len(queries)
    assert r1 >= 0.9


def test_classify_subset(tmp_path):
    with (DEV / "classify" / "labelled.jsonl").open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    top = set(sorted({r["label"] for r in rows})[:4])
    rows = [r for r in rows if r["label"] in top]
    train, test = rows[::2], rows[1::2]
    tp, sp = tmp_path / "train.jsonl", tmp_path / "test.jsonl"
    tp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in train), "utf-8")
    sp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in test), "utf-8")
    result = run_classify(tp, sp, tmp_path / "pred.jsonl", echo=None)
    assert result["test"] == len(test)
    assert result["accuracy"] > 0.6


def test_bad_inputs_named(tmp_path):
    with pytest.raises(BenchInputError, match="不存在"):
        run_retrieval(tmp_path / "nope.jsonl", tmp_path / "q.jsonl", 10, tmp_path / "o.jsonl")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "abstract": "测试"}\n{oops\n', "utf-8")
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"qid": "q1", "text": "测试"}\n', "utf-8")
    with pytest.raises(BenchInputError, match=r"bad\.jsonl 第 2 行不是合法的 JSON"):
        run_retrieval(bad, queries, 10, tmp_path / "o.jsonl")
    # the queries are read first: a bad query file is named before any indexing
    with pytest.raises(BenchInputError, match=r"bad\.jsonl 第 1 行缺少字段：qid、text"):
        run_retrieval(queries, bad, 10, tmp_path / "o.jsonl")
    assert not (tmp_path / "o.jsonl").exists()


def test_bad_corpus_line_after_good_ones_writes_nothing(tmp_path):
    """The corpus is streamed into the index: a bad line found after good ones stops the run
    with its line number, leaves the given index empty and writes no run file."""
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"qid": "q1", "text": "锂电池"}\n', "utf-8")
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "a", "abstract": "锂电池隔膜"}\n{"id": "b", "abstract": "污水"}\n'
                      '{"abstract": "没有编号"}\n', "utf-8")
    out = tmp_path / "run.jsonl"
    with pytest.raises(BenchInputError, match="第 3 行缺少字段：id"):
        run_retrieval(corpus, queries, 10, out, index_path=tmp_path / "idx", echo=None)
    assert not out.exists()
    index = SearchIndex.open(tmp_path / "idx")
    assert (index.num_docs, index.stats.docs, index.stats.unigram_df("grams", "锂")) == (0, 0, 0)
    # the index is usable afterwards: the failed build left no writer lock behind
    corpus.write_text('{"id": "a", "abstract": "锂电池隔膜"}\n', "utf-8")
    result = run_retrieval(corpus, queries, 10, out, index_path=tmp_path / "idx", echo=None)
    assert result["documents"] == 1
    assert result["corpus_read_cpu_s"] >= 0
    assert [json.loads(line) for line in out.open(encoding="utf-8")] == [
        {"qid": "q1", "ranked": ["a"]}]


def _scale_module():
    import importlib.util

    path = Path(__file__).resolve().parents[3] / "bench" / "matching" / "scale.py"
    spec = importlib.util.spec_from_file_location("kc_scale_bench", path)
    scale = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scale)
    return scale


def test_scale_benchmark_runs_end_to_end(tmp_path, capsys):
    """bench/matching/scale.py streams a synthetic corpus, builds, queries and prints figures."""
    scale = _scale_module()
    assert scale.main(["--docs", "300", "--n-queries", "5", "--queries", "title,ps",
                       "--index", str(tmp_path / "idx"), "--heap-mb", "50"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["docs"] == 300
    assert result["num_docs"] == 300
    assert set(result["latency"]) == {"title", "ps"}
    for figures in result["latency"].values():
        assert figures["n"] == 5
        assert 0 < figures["p50_ms"] <= figures["p95_ms"]
    assert result["build_s"] > 0
    assert result["build_cpu_s"] > 0
    assert 0 <= result["add_main_thread_cpu_s"] <= result["add_cpu_s"]  # 0.0 at 300 documents
    assert result["peak_rss_mb"] >= result["peak_rss_mb_build"] > 0
    assert len(result["load_avg_end"].split()) == 3
    assert set(result["memory_end_mb"]) == {"VmHWM", "VmRSS", "RssAnon", "RssFile"}
    assert (tmp_path / "idx" / "kechuang_index.json").is_file()


def test_byte_order_mark_is_accepted(tmp_path):
    """JSONL files saved with a UTF-8 byte-order mark read as without one."""
    corpus = tmp_path / "c.jsonl"
    corpus.write_bytes(b"\xef\xbb\xbf" + '{"id": "a", "abstract": "锂电池隔膜"}\n'.encode())
    queries = tmp_path / "q.jsonl"
    queries.write_bytes(b"\xef\xbb\xbf" + '{"qid": "q1", "text": "锂电池"}\n'.encode())
    out = tmp_path / "run.jsonl"
    assert run_retrieval(corpus, queries, 10, out, echo=None)["documents"] == 1
    assert [json.loads(line) for line in out.open(encoding="utf-8")] == [
        {"qid": "q1", "ranked": ["a"]}]


def test_scale_writes_its_records_as_a_contract_corpus(tmp_path):
    """``scale.py --write-jsonl``: the same synthetic records as a corpus file that the
    contract command reads (so the 1M figure of ``kechuang bench retrieval`` can be redone)."""
    corpus = tmp_path / "c.jsonl"
    assert _scale_module().main(["--docs", "40", "--write-jsonl", str(corpus)]) == 0
    rows = [json.loads(line) for line in corpus.open(encoding="utf-8")]
    assert [r["id"] for r in rows] == [f"s{i}" for i in range(40)]
    for r in rows:
        assert set(r) == {"id", "title", "abstract", "keywords", "discipline"}
        assert [k for k in ("title", "abstract", "discipline") if not r[k]] == []
        assert type(r["keywords"]) is list
        assert len(r["keywords"]) > 0
    queries = tmp_path / "q.jsonl"
    queries.write_text(json.dumps({"qid": "q1", "text": rows[7]["title"]}, ensure_ascii=False)
                       + "\n", "utf-8")
    out = tmp_path / "run.jsonl"
    assert run_retrieval(corpus, queries, 10, out, echo=None)["documents"] == 40
    ranked = json.loads(out.read_text("utf-8"))["ranked"]
    assert "s7" in ranked[:3]
