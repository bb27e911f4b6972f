"""Benchmark runners over JSONL files, using the product's own analyzer, index and ranker.

``run_retrieval``: corpus ``{"id","title","abstract","keywords":[],"discipline"}`` and
queries ``{"qid","text"}`` → run file ``{"qid","ranked":[ids]}``.
``run_classify``: ``{"id","text","label"}`` → ``{"id","label"}``.
Both return a dict of timings and counts and print a Chinese summary.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .classifier import FieldClassifier
from .embedding import DenseSimilarity, EmbeddingError, TextEmbedder
from .index import Document, SearchIndex
from .ranking import Ranker, RankingParams


class BenchInputError(ValueError):
    """A missing file or a bad JSON line (message in Chinese, names file and line)."""


@dataclass(frozen=True, slots=True)
class Row:
    line: int
    data: dict[str, Any]


def read_jsonl(path: str | Path, required: tuple[str, ...]) -> Iterator[Row]:
    p = Path(path)
    if not p.is_file():
        raise BenchInputError(f"文件不存在或不可读：{p}")
    try:
        with p.open(encoding="utf-8-sig") as f:  # a byte-order mark (Windows editors) is dropped
            for number, raw in enumerate(f, start=1):
                if not raw.strip():
                    continue
                try:
                    data = json.loads(raw)
                except json.JSONDecodeError as exc:
                    raise BenchInputError(f"{p} 第 {number} 行不是合法的 JSON：{exc.msg}") from exc
                if not isinstance(data, dict):
                    raise BenchInputError(f"{p} 第 {number} 行应为 JSON 对象")
                missing = [k for k in required if k not in data]
                if missing:
                    raise BenchInputError(f"{p} 第 {number} 行缺少字段：{'、'.join(missing)}")
                yield Row(number, data)
    except UnicodeDecodeError as exc:
        raise BenchInputError(f"{p} 不是 UTF-8 编码的文本文件") from exc


def corpus_document(row: Row) -> Document:
    d = row.data
    keywords = d.get("keywords") or []
    if isinstance(keywords, str):
        keywords = [keywords]
    facets: dict[str, str | list[str]] = {}
    if d.get("discipline"):
        facets["field"] = str(d["discipline"])
    return Document(
        id=str(d["id"]),
        fields={"title": str(d.get("title") or ""), "abstract": str(d.get("abstract") or ""),
                "keywords": " ".join(str(k) for k in keywords)},
        facets=facets,
    )


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    k = min(len(s) - 1, max(0, round(q * (len(s) - 1))))
    return s[k]


class _Timed:
    """Iterate ``items`` and add the CPU time this thread spends producing them to
    ``seconds`` (thread CPU, not wall clock: the indexing threads share the cores)."""

    def __init__(self, items: Iterable[Document]) -> None:
        self._items = iter(items)
        self.seconds = 0.0

    def __iter__(self) -> Iterator[Document]:
        clock = time.thread_time
        items = self._items
        end = object()
        while True:
            t = clock()
            item = next(items, end)
            self.seconds += clock() - t
            if item is end:
                return
            yield item  # type: ignore[misc]


def run_retrieval(
    corpus_path: str | Path, queries_path: str | Path, top_k: int, out_path: str | Path,
    *, index_path: str | Path | None = None, params: RankingParams | None = None,
    echo: Callable[[str], None] | None = print,
    embedding_model: str | Path | None = None,
) -> dict[str, Any]:
    """Index the corpus, run every query, write the run file; returns figures.

    With ``embedding_model`` (a local sentence-transformers directory, as the product's
    ``KECHUANG_EMBEDDING_MODEL``), every document's vector is computed after the index is
    built, inside the build time, and the ranker adds the dense similarity
    (:mod:`.embedding`).

    The corpus is streamed from its file into an on-disk index (a temporary directory unless
    ``index_path`` is given), as the product's rebuild streams records: holding a million
    parsed records took 3.5 GB. So the build time includes reading and parsing the corpus
    lines (their CPU time is reported too). A bad corpus line stops the run with its line
    number before any query runs: the index built so far is rolled back (and the temporary one
    removed), and the run file is not written."""
    if top_k <= 0:
        raise BenchInputError("top-k 必须为正整数")
    queries = [(str(r.data["qid"]), str(r.data.get("text") or ""))
               for r in read_jsonl(queries_path, ("qid", "text"))]
    if not Path(corpus_path).is_file():
        raise BenchInputError(f"文件不存在或不可读：{Path(corpus_path)}")
    embedder = None
    if embedding_model:
        try:
            embedder = TextEmbedder(embedding_model)
        except EmbeddingError as exc:
            raise BenchInputError(str(exc)) from exc
    with tempfile.TemporaryDirectory(prefix="kechuang-bench-") as tmp:
        t0 = time.perf_counter()
        index = SearchIndex.create(index_path or Path(tmp) / "index", overwrite=True)
        corpus = _Timed(corpus_document(r) for r in read_jsonl(corpus_path, ("id",)))
        try:
            n_docs = index.add_documents(corpus)
        except BaseException:
            index.abandon()
            raise
        index.close()  # commit, and hand the writer's memory back before the queries
        dense = None
        if embedder is not None:
            dense = DenseSimilarity.for_index(embedder, index.path)
            dense.precompute((doc_id, text) for doc_id, text, _f in index.iter_stored())
        ranker = Ranker(index, params=params or RankingParams(with_explanations=False),
                        dense=dense)
        build_s = time.perf_counter() - t0
        latencies: list[float] = []
        out = Path(out_path)
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8") as f:
            for qid, text in queries:
                t = time.perf_counter()
                hits = ranker.search(text, top_k)
                latencies.append((time.perf_counter() - t) * 1000.0)
                f.write(json.dumps({"qid": qid, "ranked": [h.id for h in hits]},
                                   ensure_ascii=False))
                f.write("\n")
        if dense is not None:
            dense.close()
    result = {
        "documents": n_docs, "queries": len(queries), "index_build_s": round(build_s, 2),
        "corpus_read_cpu_s": round(corpus.seconds, 2),
        "query_ms_p50": round(_percentile(latencies, 0.5), 2),
        "query_ms_p95": round(_percentile(latencies, 0.95), 2),
        "query_ms_mean": round(statistics.fmean(latencies), 2) if latencies else 0.0,
        "out": str(out),
    }
    if echo:
        echo(f"文档 {result['documents']} 篇，查询 {result['queries']} 条；"
             f"建索引 {result['index_build_s']} 秒（含逐行读取语料，"
             f"其 CPU 用时 {result['corpus_read_cpu_s']} 秒）；"
             f"查询耗时 p50 {result['query_ms_p50']} 毫秒，"
             f"p95 {result['query_ms_p95']} 毫秒；结果已写入 {out}")
    return result


def run_classify(
    train_path: str | Path, test_path: str | Path, out_path: str | Path,
    *, echo: Callable[[str], None] | None = print,
) -> dict[str, Any]:
    """Train the field classifier on ``train_path``, predict ``test_path``, write predictions."""
    train = list(read_jsonl(train_path, ("text", "label")))
    test = list(read_jsonl(test_path, ("id", "text")))
    if not train:
        raise BenchInputError(f"训练文件没有数据：{train_path}")
    test_texts = [str(r.data["text"]) for r in test]
    t0 = time.perf_counter()
    # Transductive: the test texts (never their labels) inform the vocabulary and IDF.
    model = FieldClassifier().fit([str(r.data["text"]) for r in train],
                                  [str(r.data["label"]) for r in train], unlabelled=test_texts)
    train_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    labels = model.predict(test_texts)
    predict_s = time.perf_counter() - t1
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    correct = known = 0
    with out.open("w", encoding="utf-8") as f:
        for r, label in zip(test, labels, strict=True):
            f.write(json.dumps({"id": str(r.data["id"]), "label": label}, ensure_ascii=False))
            f.write("\n")
            if r.data.get("label") is not None:
                known += 1
                correct += int(str(r.data["label"]) == label)
    result: dict[str, Any] = {
        "train": len(train), "test": len(test), "labels": len(model.labels),
        "train_s": round(train_s, 2), "predict_s": round(predict_s, 2), "out": str(out),
    }
    if known:
        result["accuracy"] = round(correct / known, 4)
        result["macro_f1"] = round(_macro_f1(
            [str(r.data["label"]) for r in test if r.data.get("label") is not None],
            [lab for r, lab in zip(test, labels, strict=True) if r.data.get("label") is not None],
        ), 4)
    if echo:
        msg = (f"训练 {result['train']} 条（{result['labels']} 个类别），预测 {result['test']} 条；"
               f"训练 {result['train_s']} 秒，预测 {result['predict_s']} 秒")
        if known:
            msg += f"；准确率 {result['accuracy']}，宏平均 F1 {result['macro_f1']}"
        echo(msg + f"；结果已写入 {out}")
    return result


def _macro_f1(gold: list[str], pred: list[str]) -> float:
    labels = set(gold) | set(pred)
    f1s = []
    for lab in labels:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == lab and p == lab)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != lab and p == lab)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == lab and p != lab)
        denom = 2 * tp + fp + fn
        f1s.append(2 * tp / denom if denom else 0.0)
    return sum(f1s) / len(f1s) if f1s else 0.0
