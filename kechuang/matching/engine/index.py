"""Full-text index on tantivy with Chinese character 1–2-grams and hard facet filters.

Schema (one tantivy index per kind of object, e.g. achievements, experts, demands):

``id``      raw, stored, indexed — the caller's primary key (used for delete/upsert)
``grams``   CJK unigrams + bigrams of every text field (tantivy ngram(1, 2) over CJK runs)
``words``   latin/digit tokens of every text field
``tgrams``  / ``twords``: the same for the ``title`` field only (scored with a boost)
``facet``   raw tokens ``key=value`` (multi-valued) used for hard filters
``text``    stored only: the normalised text, capped, for second-stage ranking and explanations
``facets``  stored only: JSON of the facets, for ranking priors and display

All n-gram analysis happens inside tantivy: Python only normalises the text (``analysis``) and
hands tantivy one JSON object per document (``IndexWriter.add_json``). ``grams`` receives the CJK
runs joined by one space (:func:`analysis.grams_field_text`): tantivy's ngram(1, 2) tokenizer
then yields exactly :func:`analysis.tokenize`'s CJK grams (minus ``STOP_UNIGRAMS``) plus, at each
run boundary, the two bigrams ``x␠``/``␠y`` that no query asks for (they only count in the field
length, as they always have; passing the runs as separate values would drop them, ~10% fewer
tokens, but changes stage-1 length normalisation and measured no build-CPU gain).
``words`` receives the whole normalised text and tantivy's regex tokenizer keeps the latin/digit
tokens (exactly :data:`analysis.WORD_RE`). ``text``/``facets`` use a tokenizer that emits
nothing: they are stored, never turned into index terms (version 1 indexed each whole text as one
raw term, which cost about two thirds of the build CPU at scale; version-1 indexes are still read
and written).

Queries are Boolean OR of weighted term queries built by :mod:`ranking` (never tantivy's query
parser, which turns unsegmented Chinese into phrase queries). Filters are a MUST clause of
term-set queries with boost 0, so they exclude documents without changing scores.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import tantivy

from . import analysis

META_FILE = "kechuang_index.json"
INDEX_VERSION = 2
READABLE_VERSIONS = (1, 2)
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
    # an upper bound, used as documents arrive: 1 GB lets 1M documents flush into ~4 segments that
    # need no merge (build peak 1,055 MB); with 400 MB, merging pushed the 1M peak to 1,921 MB
    writer_heap_bytes: int = 1_000_000_000
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


def _build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    for name in ("grams", "tgrams"):
        sb.add_text_field(name, tokenizer_name="kc_grams", index_option="freq")
    for name in ("words", "twords"):
        sb.add_text_field(name, tokenizer_name="kc_words", index_option="freq")
    sb.add_text_field("facet", tokenizer_name="raw", index_option="basic")
    sb.add_text_field("text", stored=True, tokenizer_name="kc_stored", index_option="basic")
    sb.add_text_field("facets", stored=True, tokenizer_name="kc_stored", index_option="basic")
    return sb.build()


def grams_analyzer() -> tantivy.TextAnalyzer:
    """CJK 1–2-grams of one run (the ``grams``/``tgrams`` fields), minus ``STOP_UNIGRAMS``."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.ngram(1, 2))
        .filter(tantivy.Filter.custom_stopword([" ", *STOP_UNIGRAMS]))
        .build()
    )


def words_analyzer() -> tantivy.TextAnalyzer:
    """Latin/digit tokens (the ``words``/``twords`` fields), same as ``analysis.WORD_RE``."""
    return tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(analysis.WORD_PATTERN)).build()


def _stored_only_analyzer() -> tantivy.TextAnalyzer:
    # the raw token (the whole text) is dropped by remove_long(1): nothing reaches the index
    # except the empty string, which is never added (empty values are left out)
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.raw())
        .filter(tantivy.Filter.remove_long(1))
        .build()
    )


def _register_tokenizers(index: tantivy.Index) -> None:
    index.register_tokenizer("kc_grams", grams_analyzer())
    index.register_tokenizer("kc_words", words_analyzer())
    index.register_tokenizer("kc_stored", _stored_only_analyzer())


@dataclass(slots=True)
class PreparedDoc:
    """A document after analysis, ready for tantivy (also what the ranker needs)."""

    id: str
    body: str  # normalised concatenation of all text fields
    title: str  # normalised title fields
    facets: dict[str, list[str]]


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


def prepare(doc: Document, config: IndexConfig) -> PreparedDoc:
    body, title = _normalized_fields(doc, config)
    return PreparedDoc(str(doc.id), body, title, normalize_facets(doc.facets))


_grams_text = analysis.grams_field_text
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _json_doc(
    doc_id: str, body: str, title: str, facets: Mapping[str, list[str]], stored_chars: int
) -> str:
    """The tantivy JSON document (see the module docstring for what each field receives)."""
    d: dict[str, object] = {"id": doc_id}
    if body:
        d["grams"] = _grams_text(body)
        d["words"] = body
        d["text"] = body[:stored_chars]
    if title:
        d["tgrams"] = _grams_text(title)
        d["twords"] = title
    if facets:
        d["facet"] = [facet_token(k, v) for k, values in facets.items() for v in values]
        d["facets"] = _dumps(facets)
    else:
        d["facets"] = "{}"
    return _dumps(d)


def _to_json(p: PreparedDoc, config: IndexConfig) -> str:
    return _json_doc(p.id, p.body, p.title, p.facets, config.stored_text_chars)


def _document_json(doc: Document, config: IndexConfig) -> str:
    body, title = _normalized_fields(doc, config)
    return _json_doc(str(doc.id), body, title, normalize_facets(doc.facets),
                     config.stored_text_chars)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A first-stage hit with what second-stage ranking needs."""

    id: str
    score: float
    text: str
    facets: dict[str, list[str]]


class SearchIndex:
    """A tantivy index of :class:`Document` objects (on disk, or in RAM when ``path`` is None)."""

    def __init__(self, index: tantivy.Index, path: Path | None, config: IndexConfig) -> None:
        self._index = index
        self.path = path
        self.config = config
        self._writer: tantivy.IndexWriter | None = None
        self.schema = index.schema

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
            shutil.rmtree(p)
        p.mkdir(parents=True, exist_ok=True)
        index = tantivy.Index(schema, path=str(p), reuse=False)
        _register_tokenizers(index)
        meta = {"version": INDEX_VERSION, "config": config.to_json()}
        (p / META_FILE).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        return cls(index, p, config)

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> SearchIndex:
        p = Path(path)
        meta_path = p / META_FILE
        if not meta_path.exists():
            raise FileNotFoundError(f"索引目录不存在或不完整：{p}")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("version", 1) not in READABLE_VERSIONS:
            raise ValueError(f"索引版本不受支持：{meta.get('version')}（请重建索引）")
        config = IndexConfig.from_json(meta.get("config", {}))
        index = tantivy.Index.open(str(p))
        _register_tokenizers(index)
        return cls(index, p, config)

    def _get_writer(self) -> tantivy.IndexWriter:
        if self._writer is None:
            self._writer = self._index.writer(
                heap_size=self.config.writer_heap_bytes, num_threads=self.config.writer_threads
            )
        return self._writer

    def close(self) -> None:
        """Commit pending changes, wait for merges and release the writer lock."""
        if self._writer is not None:
            self._writer.commit()
            self._writer.wait_merging_threads()
            self._writer = None
            self._index.reload()

    # -- writes ------------------------------------------------------------------------------
    def add_documents(
        self, docs: Iterable[Document], progress: ProgressCallback | None = None,
        total: int | None = None, progress_every: int = 10_000,
    ) -> int:
        """Add documents (no duplicate check: use :meth:`upsert` for updates). Returns count."""
        writer = self._get_writer()
        if total is None and hasattr(docs, "__len__"):
            total = len(docs)  # type: ignore[arg-type]
        # streamed: one JSON string per document, parsed and analysed by tantivy's threads
        add, config = writer.add_json, self.config
        n = 0
        for doc in docs:
            add(_document_json(doc, config))
            n += 1
            if progress is not None and n % progress_every == 0:
                progress(n, total or 0)
        if progress is not None:
            progress(n, total or n)
        return n

    def add_prepared(self, docs: Iterable[PreparedDoc]) -> int:
        writer = self._get_writer()
        n = 0
        for p in docs:
            writer.add_json(_to_json(p, self.config))
            n += 1
        return n

    def upsert(self, doc: Document) -> None:
        writer = self._get_writer()
        writer.delete_documents_by_term("id", str(doc.id))
        writer.add_json(_document_json(doc, self.config))

    def delete(self, doc_id: str) -> None:
        self._get_writer().delete_documents_by_term("id", str(doc_id))

    def commit(self) -> None:
        if self._writer is not None:
            self._writer.commit()
        self._index.reload()

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
    ) -> list[Candidate]:
        """First stage: OR of weighted term queries (field, text, weight), filtered."""
        if not weighted_terms or limit <= 0:
            return []
        shoulds = [
            (tantivy.Occur.Should, self.term_query(f, t, w)) for f, t, w in weighted_terms
        ]
        query = tantivy.Query.boolean_query(shoulds)
        fq = self.filter_query(filters)
        if fq is not None:
            query = tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, query), (tantivy.Occur.Must, fq)]
            )
        searcher = self._index.searcher()
        result = searcher.search(query, limit, count=False)
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
                )
            )
        return out

    def doc_freq(self, field_name: str, text: str) -> int:
        return self._index.searcher().doc_freq(field_name, text)

    def iter_stored(
        self, limit: int | None = None
    ) -> Iterable[tuple[str, str, dict[str, list[str]]]]:
        """(id, stored text, facets) of live documents, e.g. to train models at build time."""
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
                json.loads(doc.get_first("facets") or "{}"),
            )
