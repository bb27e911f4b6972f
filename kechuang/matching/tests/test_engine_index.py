"""SearchIndex + Ranker: exact terms rank first, filters exclude, upsert/delete work."""

import pytest

from kechuang.matching.engine.index import Document, SearchIndex
from kechuang.matching.engine.ranking import Ranker

DOCS = [
    Document("a1", {"title": "一种锂电池正极材料的制备方法", "abstract": "涉及锂离子电池正极材料"},
             {"field": "新能源", "region": "西湖区", "maturity": "小试"}),
    Document("a2", {"title": "污水处理生物膜反应器", "abstract": "用于城市污水的脱氮除磷"},
             {"field": "环保", "region": "滨江区", "maturity": "中试"}),
    Document("a3", {"title": "光伏组件清洗机器人", "abstract": "太阳能电池板自动清洗"},
             {"field": ["新能源", "智能制造"], "region": "滨江区", "maturity": "产业化"}),
    Document("a4", {"title": "基于深度学习的缺陷检测", "abstract": "PCB 板缺陷图像识别 CNN"},
             {"field": "人工智能", "region": "西湖区", "maturity": "产业化"}),
]


@pytest.fixture
def ranker():
    index = SearchIndex.create(None)
    index.add_documents(DOCS)
    index.commit()
    return Ranker(index)


def test_exact_term_ranks_its_doc_first(ranker):
    hits = ranker.search("生物膜反应器")
    assert hits[0].id == "a2"
    assert "生物膜反应器" in hits[0].matched_terms


def test_latin_terms_and_traditional_query(ranker):
    assert ranker.search("pcb 缺陷")[0].id == "a4"
    assert ranker.search("鋰電池")[0].id == "a1"


def test_filter_excludes(ranker):
    hits = ranker.search("电池", filters={"region": {"滨江区"}})
    assert [h.id for h in hits] == ["a3"]
    assert ranker.search("电池", filters={"field": {"新能源"}, "maturity": {"小试"}})[0].id == "a1"
    assert ranker.search("电池", filters={"region": set()}) == []


def test_empty_and_junk_queries(ranker):
    assert ranker.search("") == []
    assert ranker.search("，。！") == []
    assert ranker.search("池")  # one char still matches


def test_upsert_and_delete(tmp_path):
    index = SearchIndex.create(tmp_path / "idx")
    index.add_documents(DOCS)
    index.commit()
    index.upsert(Document("a2", {"title": "石墨烯导热膜"}, {"region": "西湖区"}))
    index.delete("a4")
    index.commit()
    index.close()
    reopened = SearchIndex.open(tmp_path / "idx")
    r = Ranker(reopened)
    assert reopened.num_docs == 3
    assert r.search("石墨烯")[0].id == "a2"
    assert r.search("污水处理") == [] or r.search("污水处理")[0].id != "a2"
    assert all(h.id != "a4" for h in r.search("缺陷检测"))
