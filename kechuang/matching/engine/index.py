"""Full-text index on tantivy with Chinese character 1–2-grams and hard facet filters.

Schema (one tantivy index per kind of object, e.g. achievements, experts, demands):

``id``      raw, stored, indexed — the caller's primary key (used for delete/upsert)
``grams``   CJK bigrams of every text field (tantivy ngram(2, 2) over CJK runs; version ≤ 2
            indexed unigrams too)
``words``   latin/digit tokens of every text field
``tgrams``  / ``twords``: the same for the ``title`` field only (scored with a boost)
``ugrams``  / ``tugrams`` (version 3 only): CJK unigrams minus ``STOP_UNIGRAMS``, document lists
            only (no frequencies): unigram document frequencies for stage 2, and the candidates
            of a query that has no bigram or word. Version 4 counts those frequencies in
            :class:`~.stats.IndexStats` instead (a third of tantivy's work at 100k documents)
``facet``   raw tokens ``key=value`` (multi-valued) used for hard filters
``text``    stored only: the normalised text, capped, for second-stage ranking and explanations
``title``   stored only (version 3): the normalised title fields, for second-stage ranking
``lens``    stored only (version 3): the stored text's field lengths (:mod:`.stats`) and token
            count, for stage 2
``facets``  stored only: JSON of the facets, for ranking priors and display

Version 3 leaves CJK unigrams out of the scored fields: at a million documents their postings
were about half of the build CPU and nearly all of the stage-1 query time. Stage 1 retrieves
candidates on bigrams and words; stage 2 recomputes the full unigram + bigram BM25 over the
candidates from the stored text, with the field lengths kept in :class:`~.stats.IndexStats`
(``kechuang_stats.json`` next to the index) and unigram document frequencies counted there too
(version 4) or read from ``ugrams``/``tugrams`` (version 3). Version 1–3 indexes are still opened,
searched and written as they were (version ≤ 2 ranking uses tantivy's unigram postings), until
the next rebuild makes them version 4.

N-gram analysis happens inside tantivy: Python normalises the text (``analysis``) and hands
tantivy one document of plain strings (``tantivy.Document(**fields)``: 27 µs per record where
encoding JSON for ``IndexWriter.add_json`` and parsing it took 36). ``grams`` receives the CJK runs
joined by one space (:func:`analysis.grams_field_text`): tantivy's ngram tokenizer then yields
exactly :func:`analysis.tokenize`'s CJK bigrams (version ≤ 2: and unigrams minus
``STOP_UNIGRAMS``) plus, at each run boundary, the two bigrams ``x␠``/``␠y`` that no query asks
for (version 3: ``ugrams`` receives the same string). ``words`` receives the latin/digit tokens
(:data:`analysis.WORD_RE`, extracted in Python in the same pass as the CJK runs: tantivy's regex
tokenizer cost ~10% of the build CPU) separated by spaces. ``text``/``title``/
``facets`` use a tokenizer that emits nothing: they are stored, never turned into index terms
(version 1 indexed each whole text as one raw term, which cost about two thirds of the build CPU
at scale).

Queries are Boolean OR of weighted term queries built by :mod:`ranking` (never tantivy's query
parser, which turns unsegmented Chinese into phrase queries). Filters are a MUST clause of
term-set queries with boost 0, so they exclude documents without changing scores.
"""

from __future__ import annotations

import ctypes
import functools
import json
import logging
import os
import re
import shutil
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import tantivy

from . import analysis
from .stats import STATS_FILE, IndexStats

log = logging.getLogger(__name__)

META_FILE = "kechuang_index.json"
INDEX_VERSION = 4
READABLE_VERSIONS = (1, 2, 3, 4)
# Unigrams of these function characters are not indexed (their bigrams are): ~15% fewer postings,
# no measurable loss in ranking quality (their IDF is close to zero).
STOP_UNIGRAMS: tuple[str, ...] = tuple(
    "的了和在对与及为于以其并或而等由是该之也将被此这所从到则即"
)
STORED_TEXT_CHARS = 1200

ProgressCallback = Callable[[int, int], None]


@dataclass(slots=True)
class Document:
    """An object to index: text fields by name, facets by name (a value or a list of values)."""

    id: str
    fields: dict[str, str]
    facets: dict[str, str | list[str]] = field(default_factory=dict)


@dataclass(slots=True)
class Hit:
    """One search result. ``matched_terms`` are query phrases found in the document."""

    id: str
    score: float
    matched_terms: list[str] = field(default_factory=list)
    facets: dict[str, list[str]] = field(default_factory=dict)
    text: str = ""


@dataclass(frozen=True, slots=True)
class IndexConfig:
    """Which document fields are titles (boosted) and how much text is kept."""

    title_fields: tuple[str, ...] = ("title",)
    max_chars: int = analysis.DEFAULT_MAX_CHARS
    stored_text_chars: int = STORED_TEXT_CHARS
    # an upper bound, used as documents arrive, shared by the indexing threads. 700 MB flushes
    # 1M dev-shaped records into 4 segments as the build goes (tantivy merges from 8 on), and a
    # smaller arena is cheaper per token than one 500k-record segment per thread: 1M builds
    # with 1,000 / 700 / 500 MB took 87.8–99.3 / 79.6–87.9 / 83.2–89.5 s, build peak
    # 1,025 / 780 / 630 MB (bench/matching/README.md); 250 MB needed merges that took the gain
    # back
    writer_heap_bytes: int = 700_000_000
    writer_threads: int = 0  # 0 = tantivy decides (one per core, up to 8)

    def to_json(self) -> dict[str, object]:
        return {
            "title_fields": list(self.title_fields),
            "max_chars": self.max_chars,
            "stored_text_chars": self.stored_text_chars,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> IndexConfig:
        return cls(
            title_fields=tuple(data.get("title_fields", ("title",))),  # type: ignore[arg-type]
            max_chars=int(data.get("max_chars", analysis.DEFAULT_MAX_CHARS)),  # type: ignore[arg-type]
            stored_text_chars=int(data.get("stored_text_chars", STORED_TEXT_CHARS)),  # type: ignore[arg-type]
        )


def facet_token(key: str, value: str) -> str:
    return f"{key}={value}"


def normalize_facets(facets: Mapping[str, str | Iterable[str]] | None) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in (facets or {}).items():
        values = [value] if isinstance(value, str) else list(value or [])
        clean = [str(v).strip() for v in values if v is not None and str(v).strip()]
        if clean:
            out[str(key)] = clean
    return out


def _build_schema(version: int = INDEX_VERSION) -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    for name in ("grams", "tgrams"):
        sb.add_text_field(name, tokenizer_name="kc_grams", index_option="freq")
    for name in ("words", "twords"):
        sb.add_text_field(name, tokenizer_name="kc_words", index_option="freq")
    if version == 3:
        for name in ("ugrams", "tugrams"):
            sb.add_text_field(name, tokenizer_name="kc_ugrams", index_option="basic")
    sb.add_text_field("facet", tokenizer_name="raw", index_option="basic")
    sb.add_text_field("text", stored=True, tokenizer_name="kc_stored", index_option="basic")
    sb.add_text_field("title", stored=True, tokenizer_name="kc_stored", index_option="basic")
    sb.add_text_field("lens", stored=True, tokenizer_name="kc_stored", index_option="basic")
    sb.add_text_field("facets", stored=True, tokenizer_name="kc_stored", index_option="basic")
    return sb.build()


def grams_analyzer(version: int = INDEX_VERSION) -> tantivy.TextAnalyzer:
    """CJK bigrams of the runs (the ``grams``/``tgrams`` fields); version ≤ 2: 1–2-grams minus
    ``STOP_UNIGRAMS``."""
    if version >= 3:
        return tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.ngram(2, 2)).build()
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.ngram(1, 2))
        .filter(tantivy.Filter.custom_stopword([" ", *STOP_UNIGRAMS]))
        .build()
    )


def unigrams_analyzer() -> tantivy.TextAnalyzer:
    """CJK unigrams minus ``STOP_UNIGRAMS`` (the ``ugrams``/``tugrams`` fields of version 3)."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.ngram(1, 1))
        .filter(tantivy.Filter.custom_stopword([" ", *STOP_UNIGRAMS]))
        .build()
    )


def words_analyzer(version: int = INDEX_VERSION) -> tantivy.TextAnalyzer:
    """Latin/digit tokens (the ``words``/``twords`` fields), same as ``analysis.WORD_RE``:
    version 3 receives them already extracted and separated by spaces."""
    if version >= 3:
        return tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()
    return tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(analysis.WORD_PATTERN)).build()


def _stored_only_analyzer() -> tantivy.TextAnalyzer:
    # the raw token (the whole text) is dropped by remove_long(1): nothing reaches the index
    # except the empty string, which is never added (empty values are left out)
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.raw())
        .filter(tantivy.Filter.remove_long(1))
        .build()
    )


def _register_tokenizers(index: tantivy.Index, version: int = INDEX_VERSION) -> None:
    index.register_tokenizer("kc_grams", grams_analyzer(version))
    index.register_tokenizer("kc_words", words_analyzer(version))
    index.register_tokenizer("kc_ugrams", unigrams_analyzer())
    index.register_tokenizer("kc_stored", _stored_only_analyzer())


def _normalized_fields(doc: Document, config: IndexConfig) -> tuple[str, str]:
    """(body, title): normalised text of all fields, and of the title fields."""
    titles: list[str] = []
    bodies: list[str] = []
    for name, value in doc.fields.items():
        text = analysis.normalize(value, config.max_chars)
        if not text:
            continue
        bodies.append(text)
        if name in config.title_fields:
            titles.append(text)
    return " ".join(bodies)[: config.max_chars], " ".join(titles)


_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_RUN_FINDALL = analysis.RUN_RE.findall
_UNIGRAM_FIELD = {"grams": "ugrams", "tgrams": "tugrams"}


def _split_runs(text: str) -> tuple[str, str]:
    """(CJK runs joined by a space, latin/digit tokens joined by a space) in one regex pass:
    :func:`analysis.grams_field_text` and :func:`analysis.words_field_text` of ``text``."""
    runs = _RUN_FINDALL(text)
    return (" ".join([r for r in runs if r[0] >= "\u3400"]),
            " ".join([r for r in runs if r[0] < "\u3400"]))


def _doc_fields(
    doc_id: str, body: str, title: str, facets: Mapping[str, list[str]], stored_chars: int,
    version: int = INDEX_VERSION, stats: IndexStats | None = None,
) -> dict[str, object]:
    """The tantivy document's fields (see the module docstring for what each one receives);
    counts the document in ``stats`` (version ≥ 3: lengths; version 4: unigrams too)."""
    d: dict[str, object] = {"id": doc_id}
    lengths = [0, 0, 0, 0, 0]  # stats.FIELDS, then the stored text's token count
    stored_runs = ["", ""]  # CJK runs of the stored body and title (version 4 unigram counts)
    if body:
        grams, words = _split_runs(body)
        d["grams"] = grams
        d["words"] = words
        d["text"] = body[:stored_chars]
        if version == 3:
            d["ugrams"] = grams
        if version >= 3 and stats is not None:
            if len(body) > stored_chars:  # statistics follow the stored text
                grams, words = _split_runs(body[:stored_chars])
            stored_runs[0] = grams
            lengths[0] = stats.grams_length_of_runs(grams)
            lengths[1] = words.count(" ") + 1 if words else 0
            if grams:  # ranking.token_count: 2 × characters − runs + words
                runs = grams.count(" ") + 1
                lengths[4] = 2 * (len(grams) - runs + 1) - runs
            lengths[4] += lengths[1]
    if title:
        grams, words = _split_runs(title)
        d["tgrams"] = grams
        d["twords"] = words
        if version == 3:
            d["tugrams"] = grams
        if version >= 3:
            d["title"] = title[:stored_chars]
            if stats is not None:
                if len(title) > stored_chars:
                    grams, words = _split_runs(title[:stored_chars])
                stored_runs[1] = grams
                lengths[2] = stats.grams_length_of_runs(grams)
                lengths[3] = words.count(" ") + 1 if words else 0
    if stats is not None:
        stats.add_lengths(lengths[:4])
        stats.add_runs(*stored_runs)
        d["lens"] = ",".join(map(str, lengths))
    if facets:
        d["facet"] = [facet_token(k, v) for k, values in facets.items() for v in values]
        d["facets"] = _dumps(facets)
    else:
        d["facets"] = "{}"
    return d


# How long ``SearchIndex.open`` waits for another process's commit to catch up with the
# statistics it saved just before (seconds, in steps) before recounting them.
STATS_SETTLE_PAUSES = (0.05, 0.1, 0.2, 0.4, 0.8)


def _new_stats(version: int) -> IndexStats:
    """Empty statistics for an index of ``version`` (≥ 3): version 4 counts unigrams too."""
    return IndexStats(STOP_UNIGRAMS, unigrams=version >= 4)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A first-stage hit with what second-stage ranking needs."""

    id: str
    score: float
    text: str
    facets: dict[str, list[str]]
    title: str = ""
    # version 3: stored field lengths (stats.FIELDS) and the stored text's token count
    lengths: tuple[int, ...] | None = None


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None


DISCARD_ATTEMPTS = 5


def _set_aside(p: Path) -> Path:
    """Rename ``p`` to a hidden sibling and return the new path (``p`` itself if it cannot be
    renamed)."""
    aside = p.with_name(f".{p.name}.discarded-{os.getpid()}-{time.monotonic_ns()}")
    try:
        p.rename(aside)
    except OSError:  # e.g. a read-only parent: remove in place
        return p
    return aside


def _remove_tree(p: Path) -> None:
    """``rmtree`` with a few retries ("Directory not empty" when a straggler writes into it)."""
    for attempt in range(DISCARD_ATTEMPTS):
        try:
            shutil.rmtree(p)
            return
        except FileNotFoundError:
            return
        except OSError:
            if attempt == DISCARD_ATTEMPTS - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def _discard_directory(p: Path) -> None:
    """Remove an index directory that another open handle may still be watching.

    A tantivy reader polls its directory and takes a lock file there when it reloads, so a
    plain ``rmtree`` can race it and fail with "Directory not empty" (seen when a benchmark
    rebuilt an index a test still had open). The directory is renamed aside first: whatever the
    old handle writes afterwards goes by path into the new, empty index directory, where a lock
    file is harmless, and the renamed tree is removed with a few retries."""
    _remove_tree(_set_aside(p))


def swap_in(built: str | os.PathLike[str], final: str | os.PathLike[str]) -> None:
    """Move a freshly built index directory to ``final``, replacing the index there.

    Two renames, so ``final`` is missing only between them (other processes' open handles keep
    reading the old files, which are removed afterwards); an old tree that cannot be removed is
    left behind as a hidden ``.NAME.discarded-…`` directory rather than failing the swap."""
    built, final = Path(built), Path(final)
    old = _set_aside(final) if final.exists() else None
    if old == final:  # could not rename: the old index has to go first
        _remove_tree(final)
        old = None
    built.rename(final)
    if old is not None:
        try:
            _remove_tree(old)
        except OSError as exc:
            log.warning("old index directory %s not removed: %s", old, exc)


def _release_freed_memory() -> None:
    """Hand the writer's freed heap (up to ``writer_heap_bytes``) back to the OS: glibc keeps
    freed memory mapped otherwise (after a 1M build, ~870 MB stayed resident; 85 MB with this
    at 300k). No-op where there is no glibc."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _lengths(raw: str | None) -> tuple[int, ...] | None:
    try:
        values = tuple(int(x) for x in (raw or "").split(","))
    except ValueError:
        return None
    return values if len(values) == 5 else None


class SearchIndex:
    """A tantivy index of :class:`Document` objects (on disk, or in RAM when ``path`` is None)."""

    def __init__(
        self, index: tantivy.Index, path: Path | None, config: IndexConfig,
        version: int = INDEX_VERSION, stats: IndexStats | None = None,
    ) -> None:
        self._index = index
        self.path = path
        self.config = config
        self.version = version
        self._writer: tantivy.IndexWriter | None = None
        self.schema = index.schema
        # version 3: collection statistics for stage 2 (see stats.py); None before version 3
        self.stats = stats if version < 3 or stats is not None else _new_stats(version)
        self._stats_mtime = self._stats_file_mtime()
        # documents written since the last commit (not yet visible to a searcher): what an
        # upsert/delete of the same id in this session must uncount
        self._unsaved: dict[str, tuple[str, str]] = {}

    @property
    def has_unigram_postings(self) -> bool:
        """Version ≤ 2 indexes hold CJK unigram terms; version 3 only bigrams (see above)."""
        return self.version < 3

    # -- lifecycle ---------------------------------------------------------------------------
    @classmethod
    def create(
        cls, path: str | os.PathLike[str] | None = None, config: IndexConfig | None = None,
        *, overwrite: bool = False,
    ) -> SearchIndex:
        """Create an empty index; ``overwrite`` removes an existing one at ``path``."""
        config = config or IndexConfig()
        schema = _build_schema()
        if path is None:
            index = tantivy.Index(schema)
            _register_tokenizers(index)
            return cls(index, None, config)
        p = Path(path)
        if p.exists() and overwrite:
            _discard_directory(p)
        p.mkdir(parents=True, exist_ok=True)
        index = tantivy.Index(schema, path=str(p), reuse=False)
        _register_tokenizers(index)
        meta = {"version": INDEX_VERSION, "config": config.to_json()}
        (p / META_FILE).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        created = cls(index, p, config)
        assert created.stats is not None
        created.stats.save(p)
        created._stats_mtime = created._stats_file_mtime()
        return created

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> SearchIndex:
        p = Path(path)
        meta_path = p / META_FILE
        if not meta_path.exists():
            raise FileNotFoundError(f"索引目录不存在或不完整：{p}")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        version = int(meta.get("version", 1))
        if version not in READABLE_VERSIONS:
            raise ValueError(f"索引版本不受支持：{meta.get('version')}（请重建索引）")
        config = IndexConfig.from_json(meta.get("config", {}))
        index = tantivy.Index.open(str(p))
        _register_tokenizers(index, version)
        stats = None
        if version >= 3:
            stats = IndexStats.load(p, STOP_UNIGRAMS, unigrams=version >= 4)
        opened = cls(index, p, config, version, stats)
        if version >= 3 and (stats is None or not opened._stats_agree()):
            # statistics lost, or saved for a commit that never happened (the process died
            # between saving them and committing the index): recount from the stored documents
            opened._recount_stats()
        return opened

    def _stats_agree(self) -> bool:
        """Whether the statistics count the documents the index holds. Another process saves
        them just before it commits, so a difference is given a moment to settle (the commit
        landing) before it is taken for a commit that never happened."""
        for pause in (0.0, *STATS_SETTLE_PAUSES):
            if pause:
                time.sleep(pause)
                self._index.reload()
                self._reload_stats()
            if self.stats is not None and self.stats.docs == self.num_docs:
                return True
        return False

    def _stats_file_mtime(self) -> float | None:
        if self.path is None or self.version < 3:
            return None
        try:
            return (self.path / STATS_FILE).stat().st_mtime
        except OSError:
            return None

    def _recount_stats(self) -> None:
        stats = _new_stats(self.version)
        for _id, text, title, _facets in self._iter_stored_docs():
            stats.add(text, title)
        self.stats = stats
        if self.path is not None:
            stats.save(self.path)
            self._stats_mtime = self._stats_file_mtime()

    def _get_writer(self) -> tantivy.IndexWriter:
        if self._writer is None:
            self._writer = self._index.writer(
                heap_size=self.config.writer_heap_bytes, num_threads=self.config.writer_threads
            )
        return self._writer

    def _save_stats(self) -> None:
        # saved before the index commit: if the process dies in between, the statistics count
        # documents the index does not have; ``open`` sees their document count differ from
        # the index's for longer than a commit takes and recounts them (as it does a missing or
        # unreadable file). Only a lost commit of replacements alone (same count) would go
        # unseen, and that nudges the average lengths and a few frequencies until the next
        # rebuild
        if self.stats is not None and self.stats.dirty and self.path is not None:
            self.stats.save(self.path)
            self._stats_mtime = self._stats_file_mtime()

    def close(self) -> None:
        """Commit pending changes, wait for merges and release the writer lock."""
        if self._writer is not None:
            self._save_stats()
            self._writer.commit()
            self._writer.wait_merging_threads()
            self._writer = None
            self._unsaved.clear()
            self._index.reload()
            _release_freed_memory()

    # -- writes ------------------------------------------------------------------------------
    def _tantivy_document(self, doc: Document) -> tantivy.Document:
        """Normalise ``doc``, count it in the statistics and return its tantivy document."""
        config = self.config
        body, title = _normalized_fields(doc, config)
        return tantivy.Document(**_doc_fields(
            str(doc.id), body, title, normalize_facets(doc.facets), config.stored_text_chars,
            self.version, self.stats))

    def add_documents(
        self, docs: Iterable[Document], progress: ProgressCallback | None = None,
        total: int | None = None, progress_every: int = 10_000,
    ) -> int:
        """Add documents (no duplicate check: use :meth:`upsert` for updates). Returns count."""
        writer = self._get_writer()
        if total is None and hasattr(docs, "__len__"):
            total = len(docs)  # type: ignore[arg-type]
        # streamed: one document at a time, analysed by tantivy's threads
        add, to_tantivy = writer.add_document, self._tantivy_document
        n = 0
        for doc in docs:
            add(to_tantivy(doc))
            n += 1
            if progress is not None and n % progress_every == 0:
                progress(n, total or 0)
        if progress is not None:
            progress(n, total or n)
        return n

    def _uncount(self, doc_id: str) -> None:
        """Take a document that is about to be deleted or replaced out of the statistics."""
        if self.stats is None:
            return
        old = self._unsaved.pop(doc_id, None)
        if old is None:
            searcher = self._index.searcher()
            query = tantivy.Query.term_query(self.schema, "id", doc_id)
            for _score, address in searcher.search(query, 8, count=False).hits:
                stored = searcher.doc(address)
                old = (stored.get_first("text") or "", stored.get_first("title") or "")
                self.stats.remove(*old)
            return
        self.stats.remove(*old)

    def upsert(self, doc: Document) -> None:
        writer = self._get_writer()
        doc_id = str(doc.id)
        self._uncount(doc_id)
        writer.delete_documents_by_term("id", doc_id)
        writer.add_document(self._tantivy_document(doc))
        if self.stats is not None:
            body, title = _normalized_fields(doc, self.config)
            cap = self.config.stored_text_chars
            self._unsaved[doc_id] = (body[:cap], title[:cap])

    def delete(self, doc_id: str) -> None:
        self._uncount(str(doc_id))
        self._get_writer().delete_documents_by_term("id", str(doc_id))

    def commit(self) -> None:
        if self._writer is not None:
            self._save_stats()
            self._writer.commit()
            self._unsaved.clear()
        self._index.reload()
        self._reload_stats()

    def abandon(self) -> None:
        """Drop every change since the last commit (e.g. a build whose input turned out bad
        halfway) and release the writer; the statistics go back to the last saved ones."""
        if self._writer is None:
            return
        self._writer.rollback()
        self._writer = None
        self._unsaved.clear()
        _release_freed_memory()
        if self.version >= 3:
            saved = (IndexStats.load(self.path, STOP_UNIGRAMS, unigrams=self.version >= 4)
                     if self.path is not None else None)
            if saved is not None:
                self.stats = saved
                self._stats_mtime = self._stats_file_mtime()
            else:
                self._recount_stats()

    def _reload_stats(self) -> None:
        """Pick up statistics another process (or handle) saved since they were read."""
        if self.version < 3 or self.path is None or self._writer is not None:
            return
        mtime = self._stats_file_mtime()
        if mtime is not None and mtime != self._stats_mtime:
            loaded = IndexStats.load(self.path, STOP_UNIGRAMS, unigrams=self.version >= 4)
            if loaded is not None:
                self.stats = loaded
                self._stats_mtime = mtime

    # -- reads -------------------------------------------------------------------------------
    def searcher(self) -> tantivy.Searcher:
        return self._index.searcher()

    @property
    def num_docs(self) -> int:
        return self._index.searcher().num_docs

    def term_query(self, field_name: str, text: str, boost: float) -> tantivy.Query:
        q = tantivy.Query.term_query(self.schema, field_name, text, index_option="freq")
        return tantivy.Query.boost_query(q, boost) if boost != 1.0 else q

    def filter_query(self, filters: Mapping[str, Iterable[str]] | None) -> tantivy.Query | None:
        """AND over keys of OR over values; None when there is nothing to filter."""
        if not filters:
            return None
        clauses = []
        for key, values in filters.items():
            tokens = [facet_token(key, str(v)) for v in values]
            if not tokens:
                return tantivy.Query.empty_query()
            clauses.append(
                (tantivy.Occur.Must, tantivy.Query.term_set_query(self.schema, "facet", tokens))
            )
        return tantivy.Query.boost_query(tantivy.Query.boolean_query(clauses), 0.0)

    def candidates(
        self, weighted_terms: list[tuple[str, str, float]], limit: int,
        filters: Mapping[str, Iterable[str]] | None = None, with_text: bool = True,
        chars: Iterable[str] = (),
    ) -> list[Candidate]:
        """First stage: OR of weighted term queries (field, text, weight), filtered; ``chars``
        (version ≥ 3): also match documents holding any of these CJK characters."""
        chars = list(dict.fromkeys(c for c in chars if c >= "\u3400")) if self.version >= 3 else []
        if (not weighted_terms and not chars) or limit <= 0:
            return []
        shoulds = [
            (tantivy.Occur.Should, self.term_query(f, t, w)) for f, t, w in weighted_terms
        ]
        shoulds.extend((tantivy.Occur.Should, self._char_query(c)) for c in chars)
        query = tantivy.Query.boolean_query(shoulds)
        fq = self.filter_query(filters)
        if fq is not None:
            query = tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, query), (tantivy.Occur.Must, fq)]
            )
        searcher = self._index.searcher()
        result = searcher.search(query, limit, count=False)
        has_title = self.version >= 3
        out: list[Candidate] = []
        for score, address in result.hits:
            doc = searcher.doc(address)
            facets_raw = doc.get_first("facets") or "{}"
            out.append(
                Candidate(
                    id=doc.get_first("id"),
                    score=float(score),
                    text=(doc.get_first("text") or "") if with_text else "",
                    facets=json.loads(facets_raw),
                    title=(doc.get_first("title") or "") if with_text and has_title else "",
                    lengths=_lengths(doc.get_first("lens")) if has_title else None,
                )
            )
        return out

    def _char_query(self, char: str) -> tantivy.Query:
        """Documents holding a CJK character: version 3 from ``ugrams``; version 4 from the
        bigrams that start or end with it (run-boundary bigrams ``x␠``/``␠x`` included), i.e.
        every document whose text holds it, except one whose whole text is that character. The
        term dictionary is walked with the regex automaton, not scanned."""
        if self.version == 3:
            return tantivy.Query.term_query(self.schema, "ugrams", char)
        c = re.escape(char)
        return tantivy.Query.regex_query(self.schema, "grams", f"{c}.|.{c}")

    def doc_freq(self, field_name: str, text: str) -> int:
        """Documents holding a term (CJK unigrams: version 4 from the statistics, version 3 from
        ``ugrams``/``tugrams``)."""
        if self.version >= 3 and len(text) == 1 and field_name in _UNIGRAM_FIELD:
            if self.version >= 4:
                assert self.stats is not None
                return self.stats.unigram_df(field_name, text)
            field_name = _UNIGRAM_FIELD[field_name]
        return self._index.searcher().doc_freq(field_name, text)

    def _iter_stored_docs(
        self, limit: int | None = None
    ) -> Iterable[tuple[str, str, str, dict[str, list[str]]]]:
        searcher = self._index.searcher()
        n = searcher.num_docs
        if n == 0:
            return
        result = searcher.search(tantivy.Query.all_query(), min(n, limit or n), count=False)
        for _score, address in result.hits:
            doc = searcher.doc(address)
            yield (
                doc.get_first("id"),
                doc.get_first("text") or "",
                (doc.get_first("title") or "") if self.version >= 3 else "",
                json.loads(doc.get_first("facets") or "{}"),
            )

    def iter_stored(
        self, limit: int | None = None
    ) -> Iterable[tuple[str, str, dict[str, list[str]]]]:
        """(id, stored text, facets) of live documents, e.g. to train models at build time."""
        for doc_id, text, _title, facets in self._iter_stored_docs(limit):
            yield doc_id, text, facets
