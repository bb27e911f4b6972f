"""Scale benchmark: index N synthetic documents with the product's SearchIndex and query them.

The corpus is synthesised at run time from the dev split (never committed): every document is an
achievement record shaped like the dev data (a real title, a real keyword list, an abstract of
random dev sentences cut to a real abstract's length) with a random facet set (``--shape long``:
the earlier 3–7-sentence documents, about 1.8× longer). Measures index build
seconds (wall and CPU, all threads), p50/p95 query latency per query task (the full Ranker:
stage-1 tantivy + stage-2 rerank) and peak RSS (``ru_maxrss`` = ``VmHWM``; with an on-disk
index it includes the memory-mapped index files the queries touched, so the current anonymous
and file-backed parts, ``RssAnon``/``RssFile``, are printed too). The documents are
streamed into the index (never held in a list), as the product's rebuild does. The load average
is printed next to the figures: on a shared machine wall-clock times are inflated, CPU times much
less so.

usage: .venv/bin/python bench/matching/scale.py --docs 1000000 --queries title,ps --index /tmp/idx
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import tantivy

from kechuang.matching.engine.index import Document, IndexConfig, SearchIndex
from kechuang.matching.engine.ranking import Ranker, RankingParams

DEV = Path("/work/shared/data/matching-dev")
SENTENCE_RE = re.compile(r"(?<=[。；;！？!?])")
REGIONS = ["上城区", "西湖区", "滨江区", "萧山区", "余杭区", "临平区"]
MATURITY = ["实验室", "小试", "中试", "产业化"]


class Pools(NamedTuple):
    """What synthetic documents are drawn from: all read from the dev split at run time."""

    sentences: list[str]
    fields: list[str]
    abstract_lengths: list[int]  # characters of each real abstract (kw + patent corpora)
    titles: list[str]  # real paper and patent titles (title / patent queries)
    keywords: list[list[str]]  # real keyword lists (kw queries)


def _read(dev: Path, task: str, name: str) -> Iterator[dict]:
    with (dev / task / name).open(encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def load_pools(dev: Path) -> Pools:
    sentences: list[str] = []
    fields: set[str] = set()
    lengths: list[int] = []
    for task in ("kw", "ps", "patent"):
        for d in _read(dev, task, "corpus.jsonl"):
            sentences.extend(s for s in SENTENCE_RE.split(d["abstract"]) if len(s) > 4)
            if d.get("discipline"):
                fields.add(d["discipline"])
            if task != "ps" and d["abstract"]:  # ps documents lack their first sentence
                lengths.append(len(d["abstract"]))
    titles = [q["text"] for task in ("title", "patent") for q in _read(dev, task, "queries.jsonl")]
    keywords = [q["text"].split() for q in _read(dev, "kw", "queries.jsonl")]
    return Pools(sentences, sorted(fields), lengths, titles, keywords)


def synth_docs(n: int, pools: Pools, seed: int, shape: str = "record") -> Iterator[Document]:
    """``record``: an achievement shaped like the dev data — a real title, a real keyword list and
    an abstract of random dev sentences cut to the length of a randomly drawn real abstract (mean
    ≈ 223 characters, so ≈ 270 per record). ``long``: the earlier synthetic document, 3–7 random
    sentences and no title or keywords (≈ 470 characters, about 1.8× a real record)."""
    rng = random.Random(seed)
    for i in range(n):
        facets = {"field": rng.choice(pools.fields), "region": rng.choice(REGIONS),
                  "maturity": rng.choice(MATURITY)}
        if shape == "long":
            text = "".join(rng.choices(pools.sentences, k=rng.randint(3, 7)))
            yield Document(id=f"s{i}", fields={"abstract": text}, facets=facets)
            continue
        target = rng.choice(pools.abstract_lengths)
        parts: list[str] = []
        size = 0
        while size < target:
            s = rng.choice(pools.sentences)
            parts.append(s)
            size += len(s)
        yield Document(
            id=f"s{i}",
            fields={"title": rng.choice(pools.titles), "abstract": "".join(parts)[:target],
                    "keywords": " ".join(rng.choice(pools.keywords))},
            facets=facets,
        )


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def memory_status_mb() -> dict[str, int]:
    """Current/peak resident memory from /proc: anonymous (heap) vs file-backed (mmapped index)."""
    out: dict[str, int] = {}
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmHWM", "VmRSS", "RssAnon", "RssFile"):
                    out[key] = round(int(value.split()[0]) / 1024)
    except OSError:  # not Linux
        pass
    return out


def load_avg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def percentile(sorted_values: list[float], q: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * q))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=1_000_000)
    ap.add_argument("--queries", default="title,ps",
                    help="dev tasks whose public queries to run, comma-separated")
    ap.add_argument("--n-queries", type=int, default=1000, help="queries per task")
    ap.add_argument("--index", default=None,
                    help="index directory (default: a temporary directory, removed at the end)")
    ap.add_argument("--heap-mb", type=int, default=IndexConfig().writer_heap_bytes // 1_000_000)
    ap.add_argument("--threads", type=int, default=0, help="writer threads (0 = one per core)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--filter", action="store_true", help="also filter on one region")
    ap.add_argument("--reuse", action="store_true",
                    help="query the index already at --index instead of building it")
    ap.add_argument("--shape", choices=("record", "long"), default="record",
                    help="synthetic documents: dev-shaped achievement records (default) or the "
                         "earlier 3–7-sentence abstracts")
    ap.add_argument("--write-jsonl", metavar="PATH", default=None,
                    help="write the synthetic documents as a `kechuang bench retrieval` corpus "
                         "(one JSON object per line) instead of indexing them, and exit")
    a = ap.parse_args(argv)
    if a.write_jsonl:
        return write_jsonl(a, Path(a.write_jsonl))
    if a.index is None:
        with tempfile.TemporaryDirectory(prefix="kc-scale-") as tmp:
            return run(a, str(Path(tmp) / "index"))
    return run(a, a.index)


def write_jsonl(a: argparse.Namespace, path: Path) -> int:
    """The same documents as a corpus file for the contract command (``id``, ``title``,
    ``abstract``, ``keywords`` as a list, ``discipline`` from the ``field`` facet)."""
    pools = load_pools(DEV)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for doc in synth_docs(a.docs, pools, a.seed, a.shape):
            row = {"id": doc.id, "title": doc.fields.get("title", ""),
                   "abstract": doc.fields.get("abstract", ""),
                   "keywords": doc.fields.get("keywords", "").split(),
                   "discipline": doc.facets["field"]}
            f.write(json.dumps(row, ensure_ascii=False))
            f.write("\n")
    print(f"{a.docs} documents written to {path} ({path.stat().st_size / 1e6:.0f} MB)",  # noqa: T201
          file=sys.stderr)
    return 0


def run(a: argparse.Namespace, index_path: str) -> int:
    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)  # noqa: T201

    log(f"load average at start: {load_avg()}; index at {index_path}")
    pools = load_pools(DEV)
    config = IndexConfig(writer_heap_bytes=a.heap_mb * 1_000_000, writer_threads=a.threads)
    t0, c0, m0 = time.perf_counter(), time.process_time(), time.thread_time()
    if a.reuse:
        index = SearchIndex.open(index_path)
    else:
        index = SearchIndex.create(index_path, config, overwrite=True)
        index.add_documents(
            synth_docs(a.docs, pools, a.seed, a.shape), total=a.docs, progress_every=100_000,
            progress=lambda done, total: log(
                f"  {done}/{total} {time.perf_counter() - t0:.0f}s cpu "
                f"{time.process_time() - c0:.0f}s rss {peak_rss_mb():.0f}MB load {load_avg()}"),
        )
    t_add, c_add = time.perf_counter() - t0, time.process_time() - c0
    # this (main) thread: synthesis, normalisation and handing documents to tantivy; the rest
    # of the process CPU is tantivy's indexing threads
    main_add = time.thread_time() - m0
    index.close()  # commit + wait for merges
    build_s, build_cpu_s = time.perf_counter() - t0, time.process_time() - c0
    rss_build = peak_rss_mb()
    mem_build = memory_status_mb()
    load_build = load_avg()
    log(f"built in {build_s:.1f}s (cpu {build_cpu_s:.1f}s), load {load_build}")

    ranker = Ranker(index, params=RankingParams(with_explanations=False))
    filters = {"region": {"西湖区"}} if a.filter else None
    latency: dict[str, dict[str, object]] = {}
    for task in a.queries.split(","):
        with (DEV / task / "queries_public.jsonl").open(encoding="utf-8") as f:
            queries = [json.loads(line)["text"] for line in f][: a.n_queries]
        for q in queries[:20]:  # warm-up (page cache, tokenizer tables)
            ranker.search(q, 10, filters)
        lat = []
        cq = time.process_time()
        for q in queries:
            t = time.perf_counter()
            ranker.search(q, 10, filters)
            lat.append((time.perf_counter() - t) * 1000.0)
        cpu_ms = (time.process_time() - cq) * 1000.0 / max(1, len(lat))
        lat.sort()
        latency[task] = {
            "n": len(lat), "p50_ms": round(percentile(lat, 0.5), 2),
            "p95_ms": round(percentile(lat, 0.95), 2), "mean_ms": round(statistics.fmean(lat), 2),
            "cpu_ms_per_query": round(cpu_ms, 2),
        }
    result = {
        "argv": sys.argv[1:], "docs": a.docs, "num_docs": index.num_docs,
        "segments": index.searcher().num_segments,
        "build_s": round(build_s, 1), "build_cpu_s": round(build_cpu_s, 1),
        "add_s": round(t_add, 1), "add_cpu_s": round(c_add, 1),
        "add_main_thread_cpu_s": round(main_add, 1),
        "shape": a.shape, "reused_index": a.reuse, "heap_mb": a.heap_mb, "threads": a.threads,
        "filter": bool(filters),
        "latency": latency,
        "peak_rss_mb_build": round(rss_build), "peak_rss_mb": round(peak_rss_mb()),
        "memory_after_build_mb": mem_build, "memory_end_mb": memory_status_mb(),
        "load_avg_after_build": load_build, "load_avg_end": load_avg(),
        "cpus": os.cpu_count(), "python": platform.python_version(),
        "tantivy": getattr(tantivy, "__version__", "?"),
    }
    print(json.dumps(result, ensure_ascii=False), flush=True)  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
