"""Field classifier: fit / predict / predict_top / save-load round trip on tiny data."""

import json
import math
import pickle

import pytest

from kechuang.matching.engine.bench import run_classify
from kechuang.matching.engine.classifier import (
    MODEL_VERSION,
    ClassifierParams,
    FieldClassifier,
    char_ngrams,
)

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


def test_char_ngrams_are_unigrams_bigrams_and_latin_tokens():
    assert char_ngrams("锂电池 CO2") == ["锂", "电", "池", "锂电", "电池", "co2"]
    assert char_ngrams("") == []
    assert char_ngrams("电池a", max_n=3) == ["电", "池", "电池", "a"]
    assert char_ngrams("锂电池", max_n=3) == ["锂", "电", "池", "锂电", "电池", "锂电池"]


def test_unlabelled_texts_only_shape_vocabulary_and_idf():
    plain = FieldClassifier(ClassifierParams(min_df=1)).fit(TEXTS, LABELS)
    unlabelled = ["石墨烯导热膜", "石墨烯涂层"]
    trans = FieldClassifier(ClassifierParams(min_df=1)).fit(TEXTS, LABELS, unlabelled=unlabelled)
    assert trans.labels == plain.labels == ["新能源", "环保"]
    vocab = trans._vectorizer.vocabulary_
    assert "石墨" in vocab
    assert "石墨" not in plain._vectorizer.vocabulary_
    # 10 documents seen by the IDF, "石墨" in 2 of them: smooth idf = ln(11 / 3) + 1.
    idf = trans._vectorizer.idf_[vocab["石墨"]]
    assert abs(idf - (math.log(11 / 3) + 1)) < 1e-5
    # Blank unlabelled texts are ignored entirely.
    blank = FieldClassifier(ClassifierParams(min_df=1)).fit(TEXTS, LABELS, unlabelled=["", ""])
    assert blank._vectorizer.vocabulary_ == plain._vectorizer.vocabulary_
    assert trans.predict(["动力电池正极", "工业污水处理"]) == ["新能源", "环保"]


def test_load_rejects_other_model_version(tmp_path):
    path = tmp_path / "old.pkl"
    with open(path, "wb") as f:
        pickle.dump({"version": MODEL_VERSION - 1}, f)
    with pytest.raises(ValueError, match="版本不兼容"):
        FieldClassifier.load(path)


def test_bench_classify_writes_exact_predictions(tmp_path):
    train = [{"id": f"t{i}", "text": t, "label": lab}
             for i, (t, lab) in enumerate(zip(TEXTS, LABELS, strict=True))]
    test = [{"id": "a", "text": "动力电池正极材料", "label": "新能源"},
            {"id": "b", "text": "工业污水处理工艺", "label": "环保"}]
    tp, sp = tmp_path / "train.jsonl", tmp_path / "test.jsonl"
    tp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in train), "utf-8")
    sp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in test), "utf-8")
    out = tmp_path / "pred.jsonl"
    result = run_classify(tp, sp, out, echo=None)
    assert [json.loads(line) for line in out.read_text("utf-8").splitlines()] == [
        {"id": "a", "label": "新能源"}, {"id": "b", "label": "环保"}]
    assert result["accuracy"] == 1.0
    assert result["macro_f1"] == 1.0
    assert (result["train"], result["test"], result["labels"]) == (8, 2, 2)
