"""Indexes as earlier versions of ``SearchIndex.create`` built them (their schemas frozen here),
to test that they are still opened, searched and written."""

import json

import tantivy

from kechuang.matching.engine.index import SearchIndex, _build_schema, _register_tokenizers


def old_index(tmp_path, version: int) -> SearchIndex:
    """Version 1: text/facets indexed as raw terms. Version 2: stored-only text/facets, CJK
    unigram + bigram terms; neither has the stored title, lengths or unigram fields of v3.
    Version 3: version 4's schema plus the ``ugrams``/``tugrams`` fields (still built by
    ``_build_schema(3)``), no saved statistics yet."""
    if version == 3:
        path = tmp_path / "v3"
        path.mkdir()
        _register_tokenizers(tantivy.Index(_build_schema(3), path=str(path), reuse=False), 3)
        (path / "kechuang_index.json").write_text(
            json.dumps({"version": 3, "config": {"title_fields": ["title"]}}), encoding="utf-8")
        return SearchIndex.open(path)
    stored_tokenizer = "raw" if version == 1 else "kc_stored"
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    for name in ("grams", "tgrams"):
        sb.add_text_field(name, tokenizer_name="kc_grams", index_option="freq")
    for name in ("words", "twords"):
        sb.add_text_field(name, tokenizer_name="kc_words", index_option="freq")
    sb.add_text_field("facet", tokenizer_name="raw", index_option="basic")
    sb.add_text_field("text", stored=True, tokenizer_name=stored_tokenizer, index_option="basic")
    sb.add_text_field("facets", stored=True, tokenizer_name=stored_tokenizer,
                      index_option="basic")
    path = tmp_path / f"v{version}"
    path.mkdir()
    _register_tokenizers(tantivy.Index(sb.build(), path=str(path), reuse=False), version)
    (path / "kechuang_index.json").write_text(
        json.dumps({"version": version, "config": {"title_fields": ["title"]}}), encoding="utf-8")
    return SearchIndex.open(path)
