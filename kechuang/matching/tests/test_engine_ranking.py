"""Ranker stage 2: per-kind term weights of the BM25 rerank and the query-length ramp."""

import math
from dataclasses import replace

import pytest

from kechuang.matching.engine.index import Candidate, Document, SearchIndex
from kechuang.matching.engine.ranking import (
    QueryPlan,
    Ranker,
    RankingParams,
    _length_ramp,
    _rerank_kind_factor,
    _term_kind,
)

# five documents: the bigram 甲乙 occurs in one, the character 丙 in two
DOCS = [
    Document("d1", {"abstract": "甲乙丁"}),
    Document("d2", {"abstract": "丙戊己"}),
    Document("d3", {"abstract": "丙庚辛"}),
    Document("d4", {"abstract": "壬癸子"}),
    Document("d5", {"abstract": "丑寅卯"}),
]


@pytest.fixture
def ranker():
    index = SearchIndex.create(None)
    index.add_documents(DOCS)
    index.commit()
    return Ranker(index)


def _idf(n: int, df: int) -> float:
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


def test_term_kinds():
    assert _term_kind("grams", "甲") == "uni"
    assert _term_kind("grams", "甲乙") == "bi"
    assert _term_kind("words", "co2") == "word"
    assert _term_kind("twords", "x") == "word"


def test_rerank_kind_factor_defaults_and_disabled_kinds():
    p = RankingParams()
    assert _rerank_kind_factor("grams", "甲", p) == pytest.approx(1.0)
    assert _rerank_kind_factor("grams", "甲乙", p) == pytest.approx(0.35)
    assert _rerank_kind_factor("words", "lyapunov", p) == pytest.approx(1.0)
    same = replace(p, rr_w_uni=p.w_uni, rr_w_bi=p.w_bi, rr_w_word=p.w_word)
    assert [_rerank_kind_factor(f, t, same) for f, t in
            [("grams", "甲"), ("grams", "甲乙"), ("words", "x")]] == [1.0, 1.0, 1.0]
    # a kind switched off in stage 1 stays off in stage 2 (no division by zero)
    assert _rerank_kind_factor("grams", "甲乙", replace(p, w_bi=0.0)) == 0.0


def _plan(n_terms: int) -> QueryPlan:
    terms = [("grams", f"t{i}", 1.0) for i in range(n_terms)]
    terms += [("tgrams", f"t{i}", 2.0) for i in range(n_terms)]  # title copies do not count
    return QueryPlan("", terms)


def test_length_ramp_between_short_and_long_query_terms():
    p = RankingParams()
    assert (p.short_query_terms, p.long_query_terms) == (32, 56)
    assert [_length_ramp(_plan(n), p) for n in (10, 32, 44, 56, 120)] == [0.0, 0.0, 0.5, 1.0, 1.0]


def test_lexical_scales_bigrams_by_the_stage2_weight(ranker):
    # one candidate matches only the query bigram, the other only the query unigram; both have
    # the same length and tf 1, so their BM25 ratio is the ratio of their query weights
    plan = QueryPlan("甲乙 丙", [("grams", "甲乙", 1.0), ("grams", "丙", 0.5)])
    cands = [Candidate("d1", 1.0, "甲乙丁", {}), Candidate("d2", 1.0, "丙戊己", {})]
    p = replace(ranker.params, bm25_weight=1.0, phrase_weight=0.0, idf_power=3.0)
    bi_w = 1.0 * 0.35 * _idf(5, 1) ** 3
    uni_w = 0.5 * 1.0 * _idf(5, 2) ** 3
    assert bi_w > uni_w
    out = ranker._lexical(plan, cands, p)
    assert out[0] == pytest.approx(1.0)
    assert out[1] == pytest.approx(uni_w / bi_w, rel=1e-5)
    # with the stage-1 weights the bigram weighs 1/0.35 times more
    same = replace(p, rr_w_bi=p.w_bi)
    out_same = ranker._lexical(plan, cands, same)
    assert out_same[1] == pytest.approx(0.5 * _idf(5, 2) ** 3 / _idf(5, 1) ** 3, rel=1e-5)


def test_lexical_without_bigram_weight_ignores_bigrams(ranker):
    plan = QueryPlan("甲乙 丙", [("grams", "甲乙", 1.0), ("grams", "丙", 0.5)])
    cands = [Candidate("d1", 1.0, "甲乙丁", {}), Candidate("d2", 1.0, "丙戊己", {})]
    p = replace(ranker.params, bm25_weight=1.0, phrase_weight=0.0, rr_w_bi=0.0)
    assert list(ranker._lexical(plan, cands, p)) == [0.0, 1.0]


def test_equal_scores_are_ordered_by_document_id():
    # Identical texts score exactly the same; whatever order the index returns them in,
    # the ranking lists them by id.
    index = SearchIndex.create(None)
    index.add_documents([Document(i, {"abstract": "空调装置的控制方法"})
                         for i in ("k3", "k1", "k2")] + DOCS)
    index.commit()
    hits = Ranker(index).search("空调装置", top_k=3)
    assert [h.id for h in hits] == ["k1", "k2", "k3"]
    assert hits[0].score == hits[1].score == hits[2].score


def test_query_likelihood_by_hand(ranker):
    # five three-character documents: 5 tokens each (3 unigrams + 2 bigrams), so the mean
    # length is 5 and μ = 0.6 · 5 = 3; 甲乙 is in 1 document, 丙 in 2
    from kechuang.matching.engine.ranking import CF_PER_DF

    plan = QueryPlan("甲乙 丙", [("grams", "甲乙", 1.0), ("grams", "丙", 0.5)])
    cands = [Candidate("d1", 1.0, "甲乙丁", {}), Candidate("d2", 1.0, "丙戊己", {})]
    p = ranker.params
    assert (p.ql_mu, p.ql_w_bi, p.w_bi) == (0.6, 0.5, 1.0)
    counts = ranker._counts(plan, cands)
    mu = 0.6 * 5
    weight_bi, weight_uni = 1.0 * 0.5 / 1.0, 0.5  # bigrams at ql_w_bi, unigrams at w_uni
    smoothed_bi = mu * CF_PER_DF * 1.5 / (5 * 5)
    smoothed_uni = mu * CF_PER_DF * 2.5 / (5 * 5)
    prior = (weight_bi + weight_uni) * math.log(mu / (5 + mu))
    d1 = weight_bi * math.log1p(1 / smoothed_bi) + prior
    d2 = weight_uni * math.log1p(1 / smoothed_uni) + prior
    assert d1 > d2
    out = ranker._query_likelihood(plan, counts, p)
    assert out[0] == pytest.approx(1.0)
    assert out[1] == pytest.approx(math.exp((d2 - d1) / (weight_bi + weight_uni)), rel=1e-9)
    assert 0 < out[1] < 1


def test_query_likelihood_only_for_queries_on_the_rerank_ramp(ranker):
    cands = [Candidate("d1", 1.0, "甲乙丁", {}), Candidate("d2", 1.0, "丙戊己", {})]
    short = QueryPlan("甲乙 丙", [("grams", "甲乙", 1.0), ("grams", "丙", 0.5)])
    without = ranker.with_params(ql_weight=0.0)
    assert list(ranker.rerank_scores(short, cands, {})) == list(
        without.rerank_scores(short, cands, {}))
    # a long query (full ramp): the rerank mixes in ql_weight × the query likelihood and
    # stays on a 0..1 scale
    long = QueryPlan("甲乙 丙", short.terms + [("grams", f"x{i}", 1.0) for i in range(60)])
    assert _length_ramp(long, ranker.params) == 1.0
    counts = ranker._counts(long, cands)
    w = ranker.params.ql_weight
    assert w == 0.5
    expected = (without.rerank_scores(long, cands, {}) + w * (
        ranker._query_likelihood(long, counts, ranker.params))) / (1 + w)
    assert ranker.rerank_scores(long, cands, {}) == pytest.approx(expected, rel=1e-6)


def test_query_likelihood_degenerate_inputs_give_equal_finite_scores(ranker):
    cands = [Candidate("d1", 1.0, "甲乙丁", {}), Candidate("d2", 1.0, "", {})]
    plan = QueryPlan("甲乙 丙", [("grams", "甲乙", 1.0), ("grams", "丙", 0.5)])
    counts = ranker._counts(plan, cands)
    # μ = 0 would divide by zero: the likelihood is left out (all candidates equal)
    assert list(ranker._query_likelihood(plan, counts, replace(ranker.params, ql_mu=0.0))) == [
        1.0, 1.0]
    # terms no document holds carry no weight
    unknown = QueryPlan("子丑", [("grams", "鼠牛", 1.0)])
    assert list(ranker._query_likelihood(unknown, ranker._counts(unknown, cands),
                                         ranker.params)) == [1.0, 1.0]
    # an empty candidate text is scored, not an error (with no length to pay for, it even beats
    # a three-character text holding one query bigram: the likelihood's length prior)
    out = ranker._query_likelihood(plan, counts, ranker.params)
    assert out[1] == 1.0
    assert 0 < out[0] < 1
