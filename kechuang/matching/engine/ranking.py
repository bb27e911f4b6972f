"""Two-stage ranking: tantivy BM25 candidates, then a numpy rerank of the top N.

The query plan (:func:`plan_query`): CJK unigrams/bigrams and latin tokens, each weighted by
its kind (bigrams weigh more than unigrams) and its frequency in the query, plus title-field
copies; for long queries only the most informative terms are kept (IDF-based selection).

Stage 1 (tantivy, :func:`stage1_terms`): Boolean OR of term queries. On a version-3 index (no
unigram terms, see :mod:`.index`) these are the plan's text-field bigrams and words, unweighted,
at most the 48 rarest and none found in more than 2 % of the documents — which keeps latency
flat at a million documents. On a version ≤ 2 index, every weighted term of the plan.

Stage 2 (numpy), over the N candidates:
  * lexical score: on a version-3 index the full weighted BM25 of every plan term recomputed
    from the stored text and title (:meth:`Ranker._base_scores`, equal to what stage 1 scored on
    version 2); on version ≤ 2 the stage-1 score; normalised by the best candidate,
  * for long queries, a sharper BM25 rerank (own k1/b, IDF power, term-kind weights) and a
    Dirichlet-smoothed query likelihood fused with it,
  * LSA cosine between query and candidate (corpus-trained, see :mod:`semantic`),
  * cosine under an optional locally installed sentence-embedding model (:mod:`embedding`),
  * pseudo-relevance feedback: cosine to the centroid of the best candidates (RM3 in LSA space),
  * an optional field prior: agreement between the candidate's ``field`` facet and the fields of
    the query predicted by the field classifier and observed among the top candidates,
  * broker feedback adjustments (:mod:`feedback`).
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from . import analysis
from .embedding import DenseSimilarity
from .index import Candidate, Hit, SearchIndex
from .semantic import LsaModel
from .stats import FIELDS


@dataclass(frozen=True, slots=True)
class RankingParams:
    """Tuned on the dev split (see bench/matching/README.md)."""

    # long queries (on the rerank ramp): as many as the product asks for; the rerank finds
    # answers deeper than stage 1's top 100 (ps dev nDCG@10 with 100 / 200 / 1,000: 0.8771 /
    # 0.8784 / 0.8778)
    candidates: int = 200
    # queries too short for the rerank (≤ short_query_terms distinct terms) need fewer: their
    # answer is near the top of stage 1 already (dev title/kw/patent R@1 unchanged at 50)
    short_query_candidates: int = 50
    w_uni: float = 0.5
    w_bi: float = 1.0
    w_word: float = 1.0
    title_boost: float = 2.0
    max_terms: int = 128
    # version 3: the rarest N text-field terms find the candidates (ps dev nDCG@10 with 32 / 48 /
    # 64 / all: 0.8734 / 0.8745 / 0.8741 / 0.8741; a 128-term problem statement reads less)
    stage1_max_terms: int = 48
    # … and of those, terms found in more than this share of the documents are left to stage 2
    # (dev with 1.0 / 0.05 / 0.02: title R@1 0.965 / 0.964 / 0.965, ps nDCG@10 0.8745 /
    # 0.8742 / 0.8745 with no STAGE1_MIN_CUT; at 1M title p95 ≈ 20–30 → 15 ms: those postings
    # were most of stage 1)
    stage1_max_df: float = 0.02
    qtf_power: float = 0.5
    bm25_weight: float = 3.0
    k1: float = 2.0
    b: float = 0.9
    idf_power: float = 3.0
    phrase_weight: float = 0.0
    # stage-2 weights of the term kinds (stage 1 keeps ``w_uni``/``w_bi``/``w_word``): a rare
    # compound shared by query and document matches every one of its overlapping bigrams *and*
    # their characters, so full-weight bigrams over-credit one long shared phrase against a
    # document that shares several distinct concepts (ps dev split: bigram weight 1.0 → 0.35
    # gives nDCG@10 0.8723 → 0.8768 with the rerank on every query and no field prior)
    rr_w_uni: float = 0.5
    rr_w_bi: float = 0.35
    rr_w_word: float = 1.0
    # the rerank's BM25 weight / IDF power ramp up with query length (in distinct terms):
    # short queries (titles, keywords) keep stage-1 BM25, long problem statements get the
    # sharper IDF (tuned on the dev split: ps gains, title/patent would lose). Distinct terms
    # on the dev split: titles median 31 / 95th pct 47, patent titles 28 / 43, problem
    # statements 5th pct 33 / median 71 — the ramp spans the overlap, full from 56 on.
    short_query_terms: int = 32
    long_query_terms: int = 56
    phrase_terms: int = 48
    # Dirichlet-smoothed query likelihood fused with the BM25 rerank (same ramp): it ranks
    # differently enough from BM25 — saturation by log(1 + tf / (μ · P(t|C))) and a document
    # length prior — that the mix beats either (ps dev nDCG@10 0.8744 → 0.8771; alone 0.853).
    # μ is in mean document lengths; bigrams weigh ql_w_bi (unigrams and words keep w_uni and
    # w_word). See bench/matching/README.md.
    ql_weight: float = 0.5
    ql_mu: float = 0.6
    ql_w_bi: float = 0.5
    lsa_weight: float = 0.0
    # cosine to the query under an optional locally installed sentence-embedding model
    # (:mod:`.embedding`), added for every query when the ranker has one. Not tuned: no model
    # that reads Chinese can be installed where this was developed (bench/matching/README.md)
    dense_weight: float = 0.3
    prf_docs: int = 5
    prf_weight: float = 0.0
    field_facet: str = "field"
    field_weight: float = 0.6
    field_prf_docs: int = 10
    field_full_terms: int = 28  # full field prior up to this many distinct query terms …
    field_zero_terms: int = 44  # … none from this many on
    feedback_weight: float = 1.0
    with_explanations: bool = True


@dataclass(slots=True)
class QueryPlan:
    normalized: str
    terms: list[tuple[str, str, float]]  # (field, text, weight)
    dfs: dict[tuple[str, str], int] = field(default_factory=dict)  # document frequencies seen

    def doc_freq(self, index: SearchIndex, field_name: str, text: str) -> int:
        """``index.doc_freq``, looked up once per query and term."""
        key = (field_name, text)
        df = self.dfs.get(key)
        if df is None:
            df = self.dfs[key] = index.doc_freq(field_name, text)
        return df


def plan_query(index: SearchIndex, text: str, params: RankingParams) -> QueryPlan:
    """Normalise, tokenise, weight and select the query terms."""
    norm = analysis.normalize(text, index.config.max_chars)
    counts: Counter[tuple[str, str, str]] = Counter()
    for run in analysis.RUN_RE.findall(norm):
        if run[0] >= "\u3400":
            for g in analysis.cjk_grams(run):
                counts[("grams", g, "uni" if len(g) == 1 else "bi")] += 1
        else:
            counts[("words", run, "word")] += 1
    kind_weight = {"uni": params.w_uni, "bi": params.w_bi, "word": params.w_word}
    stop = set(_stop_unigrams())
    items = [
        (f, t, kind_weight[k] * (qtf ** params.qtf_power))
        for (f, t, k), qtf in counts.items()
        if not (k == "uni" and t in stop)
    ]
    items = [it for it in items if it[2] > 0]
    plan = QueryPlan(norm, [])
    if len(items) > params.max_terms:
        n = max(1, index.num_docs)

        def informativeness(it: tuple[str, str, float]) -> float:
            df = plan.doc_freq(index, it[0], it[1])
            return it[2] * math.log(1.0 + (n - df + 0.5) / (df + 0.5)) if df else -1.0

        items.sort(key=informativeness, reverse=True)
        items = items[: params.max_terms]
    for f, t, w in items:
        plan.terms.append((f, t, w))
        if params.title_boost > 0:
            plan.terms.append(("t" + f, t, w * params.title_boost))
    return plan


def stage1_terms(
    index: SearchIndex, plan: QueryPlan, limit: int = 0, max_df: float = 1.0,
) -> tuple[list[tuple[str, str, float]], list[str]]:
    """Terms tantivy can match, and characters to look for when there are none.

    A version-3 index has no unigram terms: stage 1 retrieves on the bigrams and words of the
    text fields, unweighted (the title copies would only double the postings read, the title
    being part of the text), and stage 2 scores everything. A query with neither bigram nor
    word (a lone character, or characters separated by punctuation) falls back to documents
    holding one of its characters. ``limit``: keep only this many terms, the rarest (a long
    problem statement's candidates are found by its most specific terms; stage 2 still scores
    them all); ``max_df``: leave out terms found in more than this share of the documents."""
    if index.has_unigram_postings:
        return plan.terms, []
    terms = [(f, t, 1.0) for f, t, _w in plan.terms
             if f == "words" or (f == "grams" and len(t) > 1)]
    if (limit and len(terms) > limit) or max_df < 1.0:
        dfs = {(f, t): plan.doc_freq(index, f, t) for f, t, _w in terms}
        terms.sort(key=lambda it: dfs[it[0], it[1]])
        if limit:
            terms = terms[:limit]
        if max_df < 1.0:
            # terms in more than max_df of the documents read the longest postings and pick
            # nothing out; the rarest few are kept whatever their frequency, and nothing is
            # cut below STAGE1_MIN_CUT documents (short postings cost nothing)
            cut = max(STAGE1_MIN_CUT, max_df * index.num_docs)
            terms = terms[:3] + [it for it in terms[3:] if dfs[it[0], it[1]] <= cut]
    if terms:
        return terms, []
    return [], [t for f, t, _w in plan.terms if f == "grams"][:16]


STAGE1_MIN_CUT = 2_000


# tantivy's BM25 constants (stage 2 recomputes the stage-1 score of a version ≤ 2 index)
BASE_K1 = 1.2
BASE_B = 0.75


def _fieldnorm_table() -> list[int]:
    """tantivy's (and Lucene's) one-byte document-length code: exact up to 40, then buckets of 8
    values whose step doubles (42…56 by 2, 60…88 by 4, …)."""
    table, value, step = list(range(41)), 40, 2
    while len(table) < 256:
        for _ in range(8):
            value += step
            table.append(value)
        step *= 2
    return table[:256]


_FIELDNORMS = _fieldnorm_table()


def quantized_length(n: int) -> int:
    """The length tantivy scores a document of ``n`` tokens with (largest code ≤ ``n``)."""
    return _FIELDNORMS[bisect.bisect_right(_FIELDNORMS, n) - 1]


def _stop_unigrams() -> tuple[str, ...]:
    from .index import STOP_UNIGRAMS

    return STOP_UNIGRAMS


@dataclass(slots=True)
class RankContext:
    """Per-query extras: predicted field distribution and feedback adjustments."""

    field_probs: dict[str, float] = field(default_factory=dict)
    doc_adjust: dict[str, float] = field(default_factory=dict)


def _n_terms(plan: QueryPlan) -> int:
    return sum(1 for f, _t, _w in plan.terms if not f.startswith("t"))


def _length_ramp(plan: QueryPlan, p: RankingParams) -> float:
    n = _n_terms(plan)
    span = max(1, p.long_query_terms - p.short_query_terms)
    return min(1.0, max(0.0, (n - p.short_query_terms) / span))


def _term_kind(field_name: str, text: str) -> str:
    if field_name.endswith("words"):
        return "word"
    return "uni" if len(text) == 1 else "bi"


def _rerank_kind_factor(field_name: str, text: str, p: RankingParams) -> float:
    """Stage-2 weight of a term's kind relative to its stage-1 weight (1.0 when equal)."""
    kind = _term_kind(field_name, text)
    stage1 = {"uni": p.w_uni, "bi": p.w_bi, "word": p.w_word}[kind]
    stage2 = {"uni": p.rr_w_uni, "bi": p.rr_w_bi, "word": p.rr_w_word}[kind]
    return stage2 / stage1 if stage1 > 0 else 0.0


def _overlapping_count(text: str, term: str) -> int:
    n, start = 0, text.find(term)
    while start >= 0:
        n += 1
        start = text.find(term, start + 1)
    return n


def term_counts(texts: Sequence[str], terms: Sequence[str]) -> np.ndarray:
    """Occurrences of each query term in each normalised text, as :func:`analysis.tokenize`
    counts them (CJK grams overlapping, latin/digit words as whole tokens): rows = texts.

    CJK unigrams and bigrams are counted for all texts at once: the texts' code points (joined
    by NUL), the positions holding a query character picked with a lookup table, their unigram
    and bigram codes looked up among the terms' codes (``searchsorted``) and the hits counted
    per text (``bincount``) — ~1 ms for a long problem statement over 100 candidates, where one
    ``str.count`` per text and term took ~8 ms at 1M documents (half of the query's CPU)."""
    out = np.zeros((len(texts), len(terms)), dtype=np.float64)
    if not len(texts) or not len(terms):
        return out
    gram_columns: dict[int, list[int]] = {}  # unigram/bigram code → columns of that term
    longer: list[int] = []
    words: list[int] = []
    for j, t in enumerate(terms):
        if t[0] < "\u3400":
            words.append(j)
        elif len(t) <= 2:
            code = ord(t) if len(t) == 1 else (ord(t[0]) << _CODE_BITS) | ord(t[1])
            gram_columns.setdefault(code, []).append(j)
        else:
            longer.append(j)
    if gram_columns:
        keys = np.array(sorted(gram_columns), dtype=np.int64)
        cps = np.frombuffer("\0".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        row = np.cumsum(cps == 0)  # which text each position belongs to
        # positions holding a character of some term (NUL, between texts, never does, so no
        # bigram spans two texts)
        wanted = np.zeros(1 << _CODE_BITS, dtype=bool)
        pairs = keys >> _CODE_BITS > 0
        wanted[keys[~pairs]] = True
        wanted[keys[pairs] >> _CODE_BITS] = True
        wanted[keys[pairs] & ((1 << _CODE_BITS) - 1)] = True
        held = wanted[cps]
        uni = np.flatnonzero(held)
        bi = np.flatnonzero(held[:-1] & held[1:])
        codes = np.concatenate([cps[uni], (cps[bi] << _CODE_BITS) | cps[bi + 1]])
        rows = np.concatenate([row[uni], row[bi]])
        at = np.minimum(np.searchsorted(keys, codes), len(keys) - 1)
        hit = keys[at] == codes
        counts = np.bincount(rows[hit] * len(keys) + at[hit], minlength=len(texts) * len(keys))
        counts = counts.reshape(len(texts), len(keys))
        key_of, column = zip(*((k, j) for k, code in enumerate(keys.tolist())
                               for j in gram_columns[code]), strict=True)
        out[:, list(column)] = counts[:, list(key_of)]
    if words or longer:
        word_terms = [terms[j] for j in words]
        find_words = analysis.WORD_RE.findall
        for i, text in enumerate(texts):
            if not text:
                continue
            if words:
                found = Counter(find_words(text))
                out[i, words] = [found.get(t, 0) for t in word_terms]
            for j in longer:
                out[i, j] = _overlapping_count(text, terms[j])
    return out


# Occurrences per document holding a term, for the query likelihood's collection model
# (dev ps corpus: CJK bigrams 1.26, unigrams 1.71, latin/digit words 1.50).
CF_PER_DF = 1.3

_CODE_BITS = 21  # every code point fits in 21 bits: a bigram's code is (first << 21) | second


def token_count(text: str) -> int:
    """``len(analysis.tokenize(text))`` without building the tokens."""
    runs = analysis.CJK_RUN_RE.findall(text)
    return 2 * sum(map(len, runs)) - len(runs) + len(analysis.WORD_RE.findall(text))


@dataclass(slots=True)
class _Counts:
    """Query-term occurrences in the candidates, computed once per query for both scorers."""

    body_terms: list[tuple[str, str, float]]  # plan terms of the text fields (grams/words)
    body_tf: np.ndarray  # candidates × body terms
    title_terms: list[tuple[str, str, float]]  # plan terms of the title fields
    title_tf: np.ndarray
    tokens: np.ndarray  # tokenize() length of each candidate's stored text


class _DocFeatures:
    """LSA vectors of stored candidate texts, cached by document id."""

    def __init__(self, lsa: LsaModel | None, max_entries: int = 2_048) -> None:
        self.lsa = lsa
        self.max_entries = max_entries
        self.vectors: dict[str, np.ndarray] = {}

    def lsa_vectors(self, cands: list[Candidate]) -> np.ndarray:
        assert self.lsa is not None
        missing = [c for c in cands if c.id not in self.vectors]
        if missing:
            vecs = self.lsa.transform([c.text for c in missing])
            if len(self.vectors) + len(missing) > self.max_entries:
                self.vectors.clear()
            for c, v in zip(missing, vecs, strict=True):
                self.vectors[c.id] = v
        return np.stack([self.vectors[c.id] for c in cands])

    def invalidate(self, doc_id: str) -> None:
        self.vectors.pop(doc_id, None)


class Ranker:
    """The product ranking: ``search(query)`` → list of :class:`Hit`."""

    def __init__(
        self, index: SearchIndex, lsa: LsaModel | None = None,
        params: RankingParams | None = None, field_predictor: FieldPredictor | None = None,
        avg_doc_len: float | None = None, dense: DenseSimilarity | None = None,
    ) -> None:
        self.index = index
        self.dense = dense
        self.lsa = lsa
        self.params = params or RankingParams()
        self.field_predictor = field_predictor
        self.avg_doc_len = avg_doc_len
        self._features = _DocFeatures(lsa)

    def with_params(self, **changes: object) -> Ranker:
        r = Ranker(self.index, self.lsa, replace(self.params, **changes), self.field_predictor,
                   self.avg_doc_len, self.dense)
        r._features = self._features
        return r

    def invalidate(self, doc_id: str) -> None:
        """Forget cached features of a document (call after upsert/delete)."""
        self._features.invalidate(doc_id)

    def search(
        self, query: str, top_k: int = 10,
        filters: Mapping[str, Iterable[str]] | None = None,
        adjust: Mapping[str, float] | None = None,
    ) -> list[Hit]:
        """Rank documents for ``query``; ``adjust`` maps doc id → additive score (feedback)."""
        p = self.params
        plan = plan_query(self.index, query, p)
        if not plan.terms or top_k <= 0:
            return []
        stage1, chars = stage1_terms(self.index, plan, p.stage1_max_terms, p.stage1_max_df)
        n_cands = p.candidates if _length_ramp(plan, p) > 0 else min(
            p.candidates, p.short_query_candidates or p.candidates)
        cands = self.index.candidates(stage1, max(top_k, n_cands), filters, chars=chars)
        if not cands:
            return []
        scores = self.rerank_scores(plan, cands, adjust or {})
        # Equal scores are ordered by document id, so a ranking does not depend on how the
        # indexing threads happened to split documents into segments.
        order = np.lexsort((np.array([c.id for c in cands]), -scores))[:top_k]
        hits: list[Hit] = []
        for i in order:
            c = cands[int(i)]
            terms = analysis.matched_phrases(plan.normalized, c.text) if p.with_explanations else []
            hits.append(Hit(c.id, float(scores[int(i)]), terms, c.facets, c.text))
        return hits

    def _idf(self, plan: QueryPlan, terms: list[tuple[str, str]]) -> dict[str, float]:
        n = max(1, self.index.num_docs)
        out = {}
        for f, t in terms:
            df = plan.doc_freq(self.index, f, t)
            out[t] = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
        return out

    def _counts(self, plan: QueryPlan, cands: list[Candidate]) -> _Counts:
        body = [(f, t, w) for f, t, w in plan.terms if not f.startswith("t")]
        title = [(f, t, w) for f, t, w in plan.terms if f.startswith("t")]
        has_title = any(c.title for c in cands)
        return _Counts(
            body, term_counts([c.text for c in cands], [t for _f, t, _w in body]),
            title if has_title else [],
            term_counts([c.title for c in cands], [t for _f, t, _w in title]) if has_title
            else np.zeros((len(cands), 0)),
            np.array([c.lengths[4] if c.lengths and len(c.lengths) > 4 else token_count(c.text)
                      for c in cands], dtype=np.float64),
        )

    def _base_scores(
        self, plan: QueryPlan, cands: list[Candidate], counts: _Counts | None = None
    ) -> np.ndarray:
        """The full unigram + bigram + word BM25 of the query terms over the candidates' stored
        text and title — what stage 1 scored before version 3 left unigrams out of tantivy:
        tantivy's k1 1.2 / b 0.75, its IDF and its quantised field lengths, the query weights
        of :func:`plan_query` (title fields boosted)."""
        index, stats = self.index, self.index.stats
        assert stats is not None
        counts = counts or self._counts(plan, cands)
        n = max(1, index.num_docs)
        mean = stats.mean_lengths()
        k1, b = BASE_K1, BASE_B
        # per candidate and field: k1 · (1 − b + b · quantised length / mean length)
        lengths = np.array(
            [[quantized_length(x) for x in (c.lengths or stats.lengths(c.text, c.title))[:4]]
             for c in cands], dtype=np.float64).reshape(len(cands), 4)
        norms = k1 * (1.0 - b + b * lengths / np.array(mean))
        out = np.zeros(len(cands), dtype=np.float64)
        for terms, tf in ((counts.body_terms, counts.body_tf),
                          (counts.title_terms, counts.title_tf)):
            if not terms:
                continue
            weights = np.array([
                w * math.log(1.0 + (n - df + 0.5) / (df + 0.5))
                if (df := plan.doc_freq(index, f, t))
                else 0.0 for f, t, w in terms])
            field_norm = norms[:, [FIELDS.index(f) for f, _t, _w in terms]]
            out += (tf * (k1 + 1.0) / (tf + field_norm)) @ weights
        return out

    def _lexical(
        self, plan: QueryPlan, cands: list[Candidate], p: RankingParams,
        counts: _Counts | None = None,
    ) -> np.ndarray:
        """BM25 (own k1/b, IDF power) and IDF-weighted query-trigram hits over candidates."""
        counts = counts or self._counts(plan, cands)
        base = counts.body_terms
        idf = self._idf(plan, [(f, t) for f, t, _ in base])
        bm = np.zeros(len(cands), dtype=np.float32)
        if p.bm25_weight > 0 and base:
            weights = np.array(
                [w * _rerank_kind_factor(f, t, p) * idf[t] ** p.idf_power for f, t, w in base])
            lengths = counts.tokens
            avg = self.avg_doc_len or float(lengths.mean())
            k1, b = p.k1, p.b
            norm = k1 * (1 - b + b * lengths / max(avg, 1e-6))
            tf = counts.body_tf
            bm = ((tf * (k1 + 1) / (tf + norm[:, None])) @ weights).astype(np.float32)
            top = float(bm.max())
            if top > 0:
                bm /= top
        ph = np.zeros(len(cands), dtype=np.float32)
        if p.phrase_weight > 0:
            tris: dict[str, float] = {}
            for run in analysis.CJK_RUN_RE.findall(plan.normalized):
                for k in range(len(run) - 2):
                    tri = run[k : k + 3]
                    w = min(idf.get(tri[:2], 0.0), idf.get(tri[1:], 0.0))
                    if w > 0:
                        tris[tri] = w
            best = sorted(tris.items(), key=lambda kv: -kv[1])[: p.phrase_terms]
            total_w = sum(w for _, w in best) or 1.0
            for i, c in enumerate(cands):
                text = c.text
                ph[i] = sum(w for tri, w in best if tri in text) / total_w
        return p.bm25_weight * bm + p.phrase_weight * ph

    def _query_likelihood(self, plan: QueryPlan, counts: _Counts, p: RankingParams) -> np.ndarray:
        """Dirichlet-smoothed query likelihood of each candidate's text relative to the best
        candidate's, per unit of query weight: exp((log L − max log L) / total weight), in
        (0, 1] with the best candidate at 1 (a geometric-mean likelihood ratio, so the sum
        with the other 0..1 signals and the feedback adjustments keeps its scale). The
        collection model is
        P(t|C) = CF_PER_DF · (df + 0.5) / (N · mean length), from document frequencies (the
        index keeps no collection term counts); μ = ``ql_mu`` mean lengths."""
        lengths = counts.tokens
        out = np.ones(len(lengths), dtype=np.float64)
        if not counts.body_terms or not len(lengths):
            return out
        n = max(1, self.index.num_docs)
        dfs = np.array([plan.doc_freq(self.index, f, t) for f, t, _w in counts.body_terms],
                       dtype=np.float64)
        weights = np.array(
            [w * (p.ql_w_bi / p.w_bi if _term_kind(f, t) == "bi" and p.w_bi > 0 else 1.0)
             for f, t, w in counts.body_terms], dtype=np.float64)
        weights[dfs <= 0] = 0.0  # not in the index: no candidate holds it either
        total = float(weights.sum())
        if total <= 0 or p.ql_mu <= 0:
            return out
        mean = self._mean_tokens(counts)
        mu = p.ql_mu * mean
        smoothed = mu * CF_PER_DF * (dfs + 0.5) / (n * mean)  # μ · P(t|C)
        out = np.log1p(counts.body_tf / smoothed) @ weights + total * np.log(mu / (lengths + mu))
        return np.exp((out - out.max()) / total)

    def _mean_tokens(self, counts: _Counts) -> float:
        """Mean tokens per document: the index's (grams + words) when it keeps statistics,
        else the candidates'."""
        stats = self.index.stats
        if stats is not None and stats.docs:
            grams, words = stats.mean_lengths()[:2]
            return max(1.0, grams + words)
        return max(1.0, float(counts.tokens.mean()))

    def rerank_scores(
        self, plan: QueryPlan, cands: list[Candidate], adjust: Mapping[str, float]
    ) -> np.ndarray:
        p = self.params
        counts = self._counts(plan, cands)
        if self.index.stats is not None:
            lex = self._base_scores(plan, cands, counts).astype(np.float32)
        else:  # version ≤ 2: stage 1 scored every term
            lex = np.array([c.score for c in cands], dtype=np.float32)
        top = float(lex.max()) if len(lex) else 1.0
        scores = lex / (top if top > 0 else 1.0)
        ramp = _length_ramp(plan, p)
        if ramp > 0 and (p.bm25_weight > 0 or p.phrase_weight > 0):
            p = replace(p, bm25_weight=p.bm25_weight * ramp, phrase_weight=p.phrase_weight * ramp,
                        idf_power=1.0 + (p.idf_power - 1.0) * ramp)
            # keep the lexical part on a 0..1 scale (best candidate ≈ 1) so feedback
            # adjustments and the other signals mean the same whatever the weights
            scores = (scores + self._lexical(plan, cands, p, counts)) / (
                1.0 + p.bm25_weight + p.phrase_weight
            )
        if ramp > 0 and p.ql_weight > 0:
            w = ramp * p.ql_weight  # still on the 0..1 scale
            scores = (scores + w * self._query_likelihood(plan, counts, p)) / (1.0 + w)
        if self.lsa is not None and (p.lsa_weight > 0 or p.prf_weight > 0):
            vecs = self._features.lsa_vectors(cands)
            qv = self.lsa.transform([plan.normalized])[0]
            sim = vecs @ qv
            scores = scores + p.lsa_weight * sim
            if p.prf_weight > 0 and p.prf_docs > 0:
                best = np.argsort(-scores)[: p.prf_docs]
                centroid = vecs[best].mean(axis=0)
                norm = float(np.linalg.norm(centroid))
                if norm > 0:
                    scores = scores + p.prf_weight * (vecs @ (centroid / norm))
        if self.dense is not None and p.dense_weight > 0:
            sims = self.dense.similarities(plan.normalized, [(c.id, c.text) for c in cands])
            scores = scores + p.dense_weight * sims.astype(np.float32)
        # the field prior helps short "show me related work" queries and hurts long problem
        # statements whose single answer competes with same-field neighbours: ramp it down
        n_terms = _n_terms(plan)
        span = max(1, p.field_zero_terms - p.field_full_terms)
        field_weight = p.field_weight * min(1.0, max(0.0, (p.field_zero_terms - n_terms) / span))
        if field_weight > 0:
            scores = scores + field_weight * self._field_agreement(plan, cands, scores)
        if adjust and p.feedback_weight:
            scores = scores + p.feedback_weight * np.array(
                [adjust.get(c.id, 0.0) for c in cands], dtype=np.float32
            )
        return scores

    def _field_agreement(
        self, plan: QueryPlan, cands: list[Candidate], scores: np.ndarray
    ) -> np.ndarray:
        """P(candidate's field | query) from the classifier and the top candidates' fields."""
        p = self.params
        probs: Counter[str] = Counter()
        if self.field_predictor is not None:
            for label, prob in self.field_predictor(plan.normalized).items():
                probs[label] += prob
        top = np.argsort(-scores)[: p.field_prf_docs]
        weight = 1.0 / max(1, len(top))
        for i in top:
            for label in cands[int(i)].facets.get(p.field_facet, []):
                probs[label] += weight
        total = sum(probs.values())
        if total <= 0:
            return np.zeros(len(cands), dtype=np.float32)
        return np.array(
            [max((probs.get(f, 0.0) for f in c.facets.get(p.field_facet, [])), default=0.0) / total
             for c in cands],
            dtype=np.float32,
        )


class FieldPredictor:
    """Callable protocol: normalised query text → {field label: probability}."""

    def __call__(self, normalized_text: str) -> dict[str, float]:  # pragma: no cover
        raise NotImplementedError
