"""Chinese text normalisation, tokenisation and match explanation.

Everything here is total: empty, one-character, binary-looking or huge input never raises.

Normalisation (``normalize``):
  HTML tags/comments/script/style removed and entities decoded, NFKC (full-width → half-width),
  traditional → simplified (OpenCC ``t2s``), lower case, control and zero-width characters
  dropped, whitespace collapsed, output capped at ``max_chars``.

The per-character part (NFKC + lower + character-level t2s) is one ``str.translate`` table built
once; OpenCC's phrase-aware conversion only runs on texts that contain a traditional character,
so the common simplified-Chinese case costs a few microseconds per document.

Tokens (``tokenize``): CJK runs give character unigrams and bigrams, latin/digit runs give whole
tokens (``lyapunov``, ``co2``, ``3d``). The tantivy index uses the same conventions (see
``index.py``): field ``grams`` holds CJK unigrams + bigrams, field ``words`` the latin tokens.
"""

from __future__ import annotations

import html
import operator
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

DEFAULT_MAX_CHARS = 20_000

# CJK Unified Ideographs (+ extension A + compatibility ideographs, already folded by NFKC).
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RUN_RE = re.compile(f"[{_CJK}]+")
WORD_RE = re.compile(r"[a-z0-9]+")
RUN_RE = re.compile(f"[{_CJK}]+|[a-z0-9]+")
# Tantivy regex tokenizer pattern for the ``words`` field (same as WORD_RE).
WORD_PATTERN = r"[a-z0-9]+"

_SCRIPT_STYLE_RE = re.compile(r"<(script|style)\b[^>]*>.*?(</\1\s*>|$)", re.I | re.S)
_COMMENT_RE = re.compile(r"<!--.*?(-->|$)", re.S)
_TAG_RE = re.compile(r"</?[a-zA-Z][^>]*>|<![^>]*>")
_WS_RE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _opencc():  # pragma: no cover - trivial
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[int, str], dict[int, str], re.Pattern[str]]:
    """Build (full table, length-preserving fold table, traditional-char detector)."""
    cc = _opencc()
    cjk_chars = [chr(c) for c in range(0x3400, 0xA000)]
    converted = cc.convert("\n".join(cjk_chars)).split("\n")
    t2s: dict[str, str] = {}
    if len(converted) == len(cjk_chars):
        t2s = {a: b for a, b in zip(cjk_chars, converted, strict=True) if a != b and b}
    full: dict[int, str] = {}
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        ch = chr(code)
        out = unicodedata.normalize("NFKC", ch).lower()
        out = "".join(t2s.get(c, c) for c in out)
        if code < 0x20 or 0x7F <= code < 0xA0:
            out = " "
        elif code in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0xAD):
            out = ""
        if out != ch:
            full[code] = out
    fold = {k: v for k, v in full.items() if len(v) == 1}
    trad_class = "".join(re.escape(c) for c in sorted(t2s))
    trad_re = re.compile(f"[{trad_class}]") if trad_class else re.compile(r"(?!x)x")
    return full, fold, trad_re


@lru_cache(maxsize=1)
def _mapper() -> tuple[re.Pattern[str], dict[str, str]]:
    """Regex over the characters that ``str.lower`` leaves to the table, and the mapping.

    ``re.sub`` with this class touches only the few characters that change (full-width
    punctuation, traditional characters…), which is much faster than ``str.translate`` with a
    60k-entry dict on typical Chinese text.
    """
    full = _tables()[0]
    mapping = {chr(k): v for k, v in full.items() if chr(k).lower() == chr(k) or k > 0x7F}
    mapping = {k: v for k, v in mapping.items() if k != v}
    cls = "".join(re.escape(c) for c in sorted(mapping))
    return re.compile(f"[{cls}]"), mapping


def strip_html(text: str) -> str:
    """Remove script/style blocks, comments and tags; decode entities."""
    if "<" in text:
        text = _SCRIPT_STYLE_RE.sub(" ", text)
        text = _COMMENT_RE.sub(" ", text)
        text = _TAG_RE.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    return text


def normalize(text: object, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """Return the canonical form of ``text`` used for indexing, querying and classification."""
    if text is None:
        return ""
    if not isinstance(text, str):
        text = str(text)
    if not text:
        return ""
    max_chars = max(1, int(max_chars))
    text = text[: max_chars * 4]  # bound the work on pathological input
    text = strip_html(text)
    trad_re = _tables()[2]
    if trad_re.search(text):
        # phrase-aware conversion first (e.g. 乾燥 → 干燥 but 乾隆 stays), then the table
        text = _opencc().convert(unicodedata.normalize("NFKC", text))
    pattern, mapping = _mapper()
    text = pattern.sub(lambda m: mapping[m.group()], text.lower())
    text = " ".join(text.split())
    return text[:max_chars]


def fold_chars(text: str) -> str:
    """Length-preserving per-character fold (for locating spans in the original text)."""
    return text.translate(_tables()[1])


def cjk_grams(run: str) -> list[str]:
    """Unigrams then bigrams of one CJK run."""
    if len(run) < 2:
        return [run] if run else []
    return [*run, *map(operator.add, run, run[1:])]


def tokenize(normalized: str) -> list[str]:
    """CJK unigrams + bigrams and whole latin/digit tokens of an already normalised text."""
    out: list[str] = []
    for run in RUN_RE.findall(normalized):
        if run[0] >= "\u3400":
            out.extend(cjk_grams(run))
        else:
            out.append(run)
    return out


def analyze(text: object, max_chars: int = DEFAULT_MAX_CHARS) -> list[str]:
    """Normalise then tokenise."""
    return tokenize(normalize(text, max_chars))


def grams_field_text(normalized: str) -> str:
    """Text for the tantivy ``grams`` field: CJK runs only, separated by a single space.

    The index-side analyser is tantivy's ngram(1, 2) tokenizer followed by a stop filter that
    removes the space token, so bigrams never join two different runs except through a space
    (``x␠``/``␠y``), which queries never ask for.
    """
    return " ".join(CJK_RUN_RE.findall(normalized))


def words_field_text(normalized: str) -> str:
    """Text for the tantivy ``words`` field (latin/digit tokens)."""
    return " ".join(WORD_RE.findall(normalized))


@dataclass(frozen=True, slots=True)
class QueryTerm:
    """One query term for the index: field (``grams``/``words``), text and kind."""

    field: str
    text: str
    kind: str  # "uni" | "bi" | "word"


def query_terms(normalized: str) -> list[QueryTerm]:
    """Distinct query terms in first-occurrence order."""
    seen: set[tuple[str, str]] = set()
    out: list[QueryTerm] = []
    for run in RUN_RE.findall(normalized):
        if run[0] >= "\u3400":
            items = [("grams", g, "uni" if len(g) == 1 else "bi") for g in cjk_grams(run)]
        else:
            items = [("words", run, "word")]
        for field, text, kind in items:
            if (field, text) not in seen:
                seen.add((field, text))
                out.append(QueryTerm(field, text, kind))
    return out


@dataclass(frozen=True, slots=True)
class Match:
    """A query phrase found in the document: its text and (start, end) offsets in ``doc``."""

    text: str
    spans: tuple[tuple[int, int], ...]


def matched_phrases(query: str, doc: str, min_cjk: int = 2) -> list[str]:
    """Maximal query substrings (CJK ≥ ``min_cjk`` chars, or whole latin tokens) found in doc.

    Both inputs are raw text; they are normalised here. Longest phrases first, no duplicates,
    and a phrase contained in a longer returned phrase is not repeated. A one-character latin
    token and a number of one or two digits ("2", "a", "15") are not shown as matches: they are
    found in most texts and would be highlighted all over the page.
    """
    q = normalize(query)
    d = normalize(doc)
    if not q or not d:
        return []
    found: list[str] = []
    doc_words = set(WORD_RE.findall(d))
    for run in RUN_RE.findall(q):
        if run[0] < "\u3400":
            if run in doc_words and _telling_word(run):
                found.append(run)
            continue
        i = 0
        while i < len(run):
            j = i + min_cjk
            if j > len(run) or run[i:j] not in d:
                i += 1
                continue
            while j < len(run) and run[i : j + 1] in d:
                j += 1
            found.append(run[i:j])
            i = j
    unique = sorted(set(found), key=lambda s: (-len(s), found.index(s)))
    kept: list[str] = []
    for phrase in unique:
        if not any(phrase in longer for longer in kept):
            kept.append(phrase)
    return kept


def _telling_word(word: str) -> bool:
    return len(word) > 2 or (len(word) == 2 and not word.isdigit())


def locate(text: str, phrases: Iterable[str]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) spans of ``phrases`` in the *original* ``text``.

    Matching is case/width/script-insensitive (per-character fold keeps offsets aligned).
    Longer phrases win where they overlap. The caller escapes the text when rendering.
    """
    if not text:
        return []
    folded = fold_chars(text)
    taken = [False] * len(folded)
    spans: list[tuple[int, int]] = []
    for phrase in sorted({p for p in phrases if p}, key=len, reverse=True):
        start = folded.find(phrase)
        while start >= 0:
            end = start + len(phrase)
            if not any(taken[start:end]):
                spans.append((start, end))
                for k in range(start, end):
                    taken[k] = True
            start = folded.find(phrase, end)
    return sorted(spans)


def explain(query: str, doc: str) -> list[Match]:
    """Which query phrases appear in ``doc`` and where (offsets into the original ``doc``)."""
    out: list[Match] = []
    for phrase in matched_phrases(query, doc):
        spans = tuple(locate(doc, [phrase]))
        out.append(Match(phrase, spans))
    return out
