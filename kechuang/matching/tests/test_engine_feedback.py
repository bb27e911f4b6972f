"""Broker feedback changes later rankings for similar queries, reason-aware."""

import pytest

from kechuang.matching.engine import feedback
from kechuang.matching.engine.index import Document, SearchIndex
from kechuang.matching.engine.ranking import Ranker


@pytest.fixture
def ranker():
    index = SearchIndex.create(None)
    index.add_documents([
        Document("d1", {"title": "锂电池正极材料制备工艺"}),
        Document("d2", {"title": "锂电池正极材料回收方法"}),
        Document("d3", {"title": "光伏组件清洗"}),
    ])
    index.commit()
    return Ranker(index)


def test_decline_demotes_for_similar_query(ranker):
    before = [h.id for h in ranker.search("锂电池正极材料")]
    top = before[0]
    state = feedback.record(feedback.FeedbackState(), feedback.FeedbackEvent(
        doc_id=top, accepted=False, query="锂电池正极材料技术", reason="技术不匹配"))
    adjust = feedback.adjustments(state, "锂电池正极材料的工艺")
    after = [h.id for h in ranker.search("锂电池正极材料的工艺", adjust=adjust)]
    assert after[0] != top
    # an unrelated query is not affected
    assert feedback.adjustments(state, "光伏组件清洗") == {}


def test_price_decline_is_local():
    state = feedback.from_events([
        feedback.FeedbackEvent("d1", False, query="锂电池正极材料", reason="价格"),
        feedback.FeedbackEvent("d2", False, query="锂电池正极材料", reason="技术不匹配"),
    ])
    similar = feedback.adjustments(state, "锂电池正极材料回收利用技术")
    assert similar.get("d1", 0.0) == 0.0
    assert similar["d2"] < 0
    same = feedback.adjustments(state, "锂电池正极材料")
    assert same["d2"] < same["d1"] < 0


def test_accept_boosts_and_state_roundtrip():
    state = feedback.from_events([
        feedback.FeedbackEvent("d2", True, demand_id="D-1", query="正极材料"),
    ])
    restored = feedback.FeedbackState.from_json(state.to_json())
    assert feedback.adjustments(restored, demand_id="D-1")["d2"] > 0


def test_unknown_reason_rejected():
    with pytest.raises(ValueError, match="未知"):
        feedback.FeedbackEvent("d1", False, reason="太贵了")
