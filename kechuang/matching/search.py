"""Django-side adapter over the pure engine (``matching/engine``): one SearchIndex per kind of
record under ``settings.SEARCH_INDEX_DIR``, documents built from the models, hard filters as
facets, explanations with escaped ``<mark>`` highlights.

The engine owns analysis, the index and ranking; this module only maps records to
:class:`Document` objects and UI filters to facet filters. Writers are short-lived (open, write,
commit, close) so several processes can take turns; a busy lock is retried, and a rebuild fixes
anything missed.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .engine import analysis
from .engine.embedding import DenseSimilarity, EmbeddingError, TextEmbedder
from .engine.index import Document, Hit, SearchIndex
from .engine.ranking import Ranker, RankingParams

log = logging.getLogger(__name__)

KINDS = ("achievement", "expert", "demand", "enterprise")
_lock = threading.RLock()
_open: dict[tuple[str, str], SearchIndex] = {}
_dense: dict[tuple[str, str], DenseSimilarity] = {}
# the configured embedding model, loaded once per process: model dir → model or load error
_embedders: dict[str, TextEmbedder | EmbeddingError] = {}
MIN_QUERY_CHARS = 2
QUERY_MAX_CHARS = 4000  # a pasted document is cut here (the ranker keeps the best terms)


def index_dir(kind: str) -> Path:
    return Path(settings.SEARCH_INDEX_DIR) / kind


def get_index(kind: str, *, create: bool = True) -> SearchIndex | None:
    """The open index for ``kind`` (created empty on first use)."""
    path = index_dir(kind)
    key = (kind, str(path))
    with _lock:
        idx = _open.get(key)
        if idx is not None:
            return idx
        try:
            idx = SearchIndex.open(path)
        except (FileNotFoundError, ValueError, OSError):
            if not create:
                return None
            idx = SearchIndex.create(path, overwrite=True)
        _open[key] = idx
        return idx


def forget(kind: str | None = None) -> None:
    """Drop cached index handles (after a rebuild replaced the directory, or in tests)."""
    with _lock:
        # dropped, not closed: a request thread may still be reading one (the connection
        # closes when the last user lets go of it)
        for key in [k for k in _dense if kind is None or k[0] == kind]:
            del _dense[key]
        for key in list(_open):
            if kind is None or key[0] == kind:
                idx = _open.pop(key)
                try:
                    idx.close()
                except (OSError, ValueError) as exc:  # pragma: no cover - defensive
                    log.warning("closing index %s: %s", key, exc)


def write(kind: str, upserts: Iterable[Document] = (), deletes: Iterable[str] = ()) -> None:
    """Apply changes and commit; retry briefly when another process holds the writer."""
    upserts, deletes = list(upserts), list(deletes)
    if not upserts and not deletes:
        return
    for attempt in range(5):
        with _lock:
            idx = get_index(kind)
            assert idx is not None
            try:
                for doc_id in deletes:
                    idx.delete(doc_id)
                for doc in upserts:
                    idx.upsert(doc)
                idx.close()
                return
            except ValueError as exc:  # tantivy reports a held lock as ValueError
                log.info("index %s busy (%s), retry %s", kind, exc, attempt)
                forget(kind)
        time.sleep(0.2 * (attempt + 1))
    log.warning("index %s: gave up writing %s docs; run rebuild_index", kind, len(upserts))


def refresh(kind: str) -> SearchIndex | None:
    idx = get_index(kind, create=False)
    if idx is not None:
        idx.commit()  # no pending writer: reloads the searcher to see other processes' commits
    return idx


# --- queries --------------------------------------------------------------------------------

@dataclass
class QueryCheck:
    text: str
    message: str = ""

    @property
    def ok(self) -> bool:
        return not self.message


def check_query(text: str | None) -> QueryCheck:
    """Normalise a query; a clear Chinese message when it cannot give useful results."""
    raw = (text or "")[: QUERY_MAX_CHARS * 4]
    norm = analysis.normalize(raw, QUERY_MAX_CHARS)
    meaningful = "".join(analysis.RUN_RE.findall(norm))
    if not meaningful:
        return QueryCheck("", "请输入技术问题或关键词（至少两个字）")
    if len(meaningful) < MIN_QUERY_CHARS:
        return QueryCheck(norm, "内容太短，请至少输入两个字，描述越具体推荐越准确")
    return QueryCheck(norm)


def embedder() -> TextEmbedder | None:
    """The model named by ``KECHUANG_EMBEDDING_MODEL``, loaded once per process; None when
    none is configured or it cannot be loaded (logged once; ranking stays lexical)."""
    model_dir = settings.KECHUANG_EMBEDDING_MODEL
    if not model_dir:
        return None
    with _lock:
        loaded = _embedders.get(model_dir)
        if loaded is None:
            try:
                loaded = TextEmbedder(model_dir)
            except EmbeddingError as exc:
                log.error("KECHUANG_EMBEDDING_MODEL=%s not used: %s", model_dir, exc)
                loaded = exc
            _embedders[model_dir] = loaded
    return loaded if isinstance(loaded, TextEmbedder) else None


def embedding_status() -> str:
    """One line for staff: is dense similarity in use, and with which model."""
    model_dir = settings.KECHUANG_EMBEDDING_MODEL
    if not model_dir:
        return "未启用（未配置 KECHUANG_EMBEDDING_MODEL，仅按字词匹配排序）"
    model = embedder()
    if model is None:
        return f"配置有误，未启用：{_embedders[model_dir]}"
    return f"已启用：{model.path.name}（{model.dim} 维），与字词匹配合并排序"


def dense_for(kind: str, idx: SearchIndex) -> DenseSimilarity | None:
    """The dense similarity over ``kind``'s index, when a model is configured."""
    model = embedder()
    if model is None:
        return None
    key = (kind, str(idx.path))
    with _lock:
        dense = _dense.get(key)
        if dense is not None and dense.store.stale():
            # another process's rebuild swapped a new directory in: read (and write) its file
            del _dense[key]  # not closed: see forget()
            dense = None
        if dense is None:
            dense = _dense[key] = DenseSimilarity.for_index(model, idx.path)
        return dense


def ranker_for(kind: str, params: RankingParams | None = None) -> Ranker | None:
    idx = refresh(kind)
    if idx is None:
        return None
    # 200 for every query: broker feedback can lift a suggestion from deep in the list
    return Ranker(idx, params=params or RankingParams(candidates=200, short_query_candidates=200),
                  dense=dense_for(kind, idx))


def search(kind: str, text: str, *, top_k: int = 10,
           filters: Mapping[str, Iterable[str]] | None = None,
           adjust: Mapping[str, float] | None = None) -> list[Hit]:
    check = check_query(text)
    if not check.ok and not check.text:
        return []
    ranker = ranker_for(kind)
    if ranker is None:
        return []
    clean = {k: list(v) for k, v in (filters or {}).items() if v}
    return ranker.search(check.text or text, top_k=top_k, filters=clean or None, adjust=adjust)


# --- explanations ---------------------------------------------------------------------------

def highlight(text: str, terms: Iterable[str], limit: int = 300) -> SafeString:
    """Escape ``text`` and wrap the matched ``terms`` in ``<mark>`` (never trusts the text)."""
    text = analysis.strip_html(text or "")
    terms = [t for t in terms if t]
    spans = analysis.locate(text, terms) if terms else []
    if limit and len(text) > limit:
        start = max(0, spans[0][0] - 40) if spans else 0
        end = start + limit
        prefix = "…" if start else ""
        suffix = "…" if end < len(text) else ""
        spans = [(max(a, start) - start, min(b, end) - start) for a, b in spans
                 if a < end and b > start]
        text = text[start:end]
    else:
        prefix = suffix = ""
    out, pos = [escape(prefix)], 0
    for a, b in spans:
        out.append(escape(text[pos:a]))
        out.append(f"<mark>{escape(text[a:b])}</mark>")
        pos = b
    out.append(escape(text[pos:]))
    out.append(escape(suffix))
    return mark_safe("".join(out))


@dataclass
class Suggestion:
    """One ranked suggestion with its explanation, ready for a page or the API."""

    kind: str
    obj: object
    score: float
    rank: int
    matched_terms: list[str] = field(default_factory=list)
    agreeing: list[str] = field(default_factory=list)
    snippet: SafeString = mark_safe("")  # noqa: RUF009
    title_html: SafeString = mark_safe("")  # noqa: RUF009
    adjusted: float = 0.0

    @property
    def explanation(self) -> dict:
        return {"matched_terms": self.matched_terms, "agreeing": self.agreeing,
                "feedback": round(self.adjusted, 3)}


def region_codes(region) -> list[str]:
    """The region and its ancestors' codes, so a filter on a district covers its streets."""
    if region is None:
        return []
    return [c for c in region.path.split("/") if c]


def available_on(expert, day: dt.date) -> bool:
    return expert.is_available_on(day)
