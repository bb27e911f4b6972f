"""Field classifier: fit / predict / predict_top / save-load round trip on tiny data."""

from kechuang.matching.engine.classifier import FieldClassifier

TEXTS = [
    "锂电池正极材料制备", "光伏电池组件效率", "储能电池管理系统", "太阳能发电并网",
    "污水处理脱氮除磷", "大气污染物排放监测", "固体废物资源化利用", "土壤重金属修复",
]
LABELS = ["新能源"] * 4 + ["环保"] * 4


def test_roundtrip(tmp_path):
    model = FieldClassifier().fit(TEXTS, LABELS)
    assert model.predict(["动力电池正极"]) == ["新能源"]
    top = model.predict_top("工业污水处理", k=2)
    assert top[0][0] == "环保"
    assert abs(sum(p for _, p in top) - 1.0) < 1e-5
    path = tmp_path / "clf.pkl"
    model.save(path)
    loaded = FieldClassifier.load(path)
    assert loaded.predict(["动力电池正极", "污水"]) == model.predict(["动力电池正极", "污水"])
    assert loaded.predict([]) == []
