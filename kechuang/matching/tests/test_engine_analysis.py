"""Analyzer: normalisation and tokenisation never raise and fold what they should."""

from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.matching.engine import analysis


def test_traditional_to_simplified():
    assert analysis.normalize("臺灣軟體開發") == "台湾软体开发"


def test_full_width_folded_and_lowercased():
    assert analysis.normalize("ＡＢＣ１２３，测试！") == "abc123,测试!"


def test_html_and_script_stripped():
    text = "<p>新型<b>电池</b><script>alert('x')</script>材料&amp;工艺</p>"
    out = analysis.normalize(text)
    assert "alert" not in out
    assert "<" not in out
    assert out == "新型 电池 材料&工艺"


def test_empty_and_one_char():
    assert analysis.normalize("") == ""
    assert analysis.normalize(None) == ""
    assert analysis.tokenize(analysis.normalize("")) == []
    assert analysis.analyze("铜") == ["铜"]
    assert analysis.analyze("a") == ["a"]


def test_cap_long_input():
    assert len(analysis.normalize("测" * 100_000, max_chars=500)) == 500


def test_tokens_are_unigrams_bigrams_and_words():
    assert analysis.analyze("锂电池 Li-ion") == ["锂", "电", "池", "锂电", "电池", "li", "ion"]


def test_matched_phrases_and_spans():
    doc = "本发明公开了一种锂电池正极材料的制备方法。"
    phrases = analysis.matched_phrases("锂电池正极材料 制备", doc)
    assert phrases[0] == "锂电池正极材料"
    assert "制备" in phrases
    spans = analysis.locate(doc, phrases)
    assert [doc[a:b] for a, b in spans] == ["锂电池正极材料", "制备"]


def test_short_numbers_and_single_letters_are_not_shown_as_matches():
    """"2" or "a" is in almost every text: listing and highlighting it explains nothing."""
    doc = "采用2种 5G 方案，成本降低15%，2020年在 a 区 PCB 产线试用。"
    phrases = analysis.matched_phrases("2 a 15 5G 2020 PCB 产线", doc)
    assert phrases == ["2020", "pcb", "5g", "产线"]
    assert [doc[x:y] for x, y in analysis.locate(doc, phrases)] == ["5G", "2020", "PCB", "产线"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_never_raises(text):
    out = analysis.normalize(text)
    analysis.tokenize(out)
    analysis.matched_phrases(text, text)
    assert len(out) <= len(text) * 4 + 1
