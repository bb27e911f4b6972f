"""Collection statistics for the second-stage scorer of a version-3/4 index.

A version-3 index leaves CJK unigrams out of the scored ``grams`` fields: their postings (with
term frequencies) were about half of the build work and nearly all of the query time at a million
documents (bench/matching/README.md, "Scale"). Stage 2 of the ranking still scores unigrams: it
recomputes the full unigram + bigram BM25 over the candidates (:meth:`Ranker._base_scores`).
What tantivy does not expose — the number of documents and the total field lengths, for the
average lengths — is kept here, updated by every add, upsert and delete, and saved next to the
index at commit. Unigram document frequencies: a version-3 index reads them from its
``ugrams``/``tugrams`` fields (document lists only, never searched by stage 1); a version-4 index
counts them here (:meth:`IndexStats.add_runs`, :meth:`IndexStats.unigram_df`), which took those
fields' postings — about a third of tantivy's work at 100k documents — out of tantivy. The
counts follow the stored text, like the lengths, so a delete takes out exactly what the add put
in.

Lengths count what the version-2 tantivy fields counted, so the recomputed score is the score
stage 1 used to give: CJK runs joined by a space and cut into 1–2-grams, minus the space and the
stop unigrams (:func:`grams_length`), and latin/digit tokens (:func:`words_length`). They are
taken over the stored text (what stage 2 sees).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from . import analysis

STATS_FILE = "kechuang_stats.json"
FIELDS = ("grams", "words", "tgrams", "twords")
UNIGRAM_FIELDS = ("grams", "tgrams")  # fields whose CJK unigram document frequencies are counted
# CJK code points (analysis._CJK) are all in the Basic Multilingual Plane
_CODES = 0x10000
_CJK_FIRST = 0x3400
_BATCH = 2048  # texts counted together (numpy, ~6 µs per record body at this size)


def _unique_unigram_counts(texts: list[str]) -> np.ndarray:
    """How many of ``texts`` hold each CJK character (array indexed by code point).

    The texts are joined with NUL, so each position knows its text (a running count of NULs).
    The (text, character) keys are ordered by character with a stable sort — a radix sort on
    16-bit codes, which keeps each character's texts in order — and the first of each run of
    equal keys is counted: every character once per text. ~5× faster than a Python set and
    Counter per text, and ~2× faster than sorting the keys themselves.
    """
    if not texts:
        return np.zeros(_CODES, np.int64)
    codes = np.frombuffer("\0".join(texts).encode("utf-32-le"), dtype=np.uint32)
    cjk = (codes >= _CJK_FIRST) & (codes < _CODES)
    if not cjk.any():
        return np.zeros(_CODES, np.int64)
    # (text number << 16) | code: 32 bits are enough for a batch, and faster to move
    key_type = np.int32 if len(texts) < 1 << 15 else np.int64
    text_no = np.cumsum(codes == 0, dtype=key_type)[cjk]
    chars = codes[cjk]
    keys = (text_no << 16) | chars.astype(key_type)
    keys = keys[np.argsort(chars.astype(np.uint16), kind="stable")]
    first = np.empty(len(keys), dtype=bool)
    first[0] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    return np.bincount(keys[first] & 0xFFFF, minlength=_CODES)


class IndexStats:
    """Number of documents and total field lengths; with ``unigrams`` (version 4), also the
    document frequency of every CJK character in each of :data:`UNIGRAM_FIELDS`."""

    def __init__(self, stop: Iterable[str], unigrams: bool = False) -> None:
        self._stop = tuple(stop)
        self._stop_codes = {ord(c) for c in self._stop if len(c) == 1}
        self._stop_re = re.compile(  # a character class when, as always, they are characters
            "[" + "".join(map(re.escape, self._stop)) + "]"
            if all(len(c) == 1 for c in self._stop) else "|".join(map(re.escape, self._stop)))
        self.docs = 0
        self.totals = [0, 0, 0, 0]  # FIELDS order
        self.dirty = False
        self.unigrams = unigrams
        self._df = {f: np.zeros(_CODES, np.int64) for f in UNIGRAM_FIELDS} if unigrams else {}
        # runs texts added but not counted yet (counted in batches, before any read)
        self._pending: dict[str, list[str]] = {f: [] for f in self._df}

    # -- lengths ----------------------------------------------------------------------------
    def grams_length_of_runs(self, runs_text: str) -> int:
        """Length of the ``grams`` field for its text (:func:`analysis.grams_field_text`)."""
        if not runs_text:
            return 0
        n_runs = runs_text.count(" ") + 1
        # one regex pass (10 µs for a record's body with one str.count per stop character)
        stops = len(self._stop_re.findall(runs_text)) if self._stop else 0
        return 2 * len(runs_text) - n_runs - stops

    def grams_length(self, text: str) -> int:
        return self.grams_length_of_runs(analysis.grams_field_text(text))

    def lengths(self, body: str, title: str) -> tuple[int, int, int, int]:
        return (self.grams_length(body), len(analysis.WORD_RE.findall(body)),
                self.grams_length(title), len(analysis.WORD_RE.findall(title)))

    # -- updates ----------------------------------------------------------------------------
    def add_lengths(self, lengths: Iterable[int], sign: int = 1) -> None:
        self.docs = max(0, self.docs + sign)
        for i, n in enumerate(lengths):
            self.totals[i] = max(0, self.totals[i] + sign * n)
        self.dirty = True

    def add(self, body: str, title: str) -> None:
        self.add_lengths(self.lengths(body, title))
        self.add_runs(analysis.grams_field_text(body), analysis.grams_field_text(title))

    def remove(self, body: str, title: str) -> None:
        self.add_lengths(self.lengths(body, title), -1)
        if self.unigrams:
            self._flush()  # counts never go below zero: count what is pending first
            for f, text in zip(UNIGRAM_FIELDS, (body, title), strict=True):
                codes = [ord(c) for c in set(analysis.grams_field_text(text)) if c != " "]
                if codes:
                    df = self._df[f]
                    df[codes] = np.maximum(df[codes] - 1, 0)

    # -- unigram document frequencies (version 4) ---------------------------------------
    def add_runs(self, body_runs: str, title_runs: str) -> None:
        """Count one document's CJK characters: its body and title runs
        (:func:`analysis.grams_field_text` of the stored text). No-op before version 4."""
        if not self.unigrams:
            return
        pending = self._pending
        pending["grams"].append(body_runs)
        pending["tgrams"].append(title_runs)
        self.dirty = True
        if len(pending["grams"]) >= _BATCH:
            self._flush()

    def _flush(self) -> None:
        for f, texts in self._pending.items():
            if texts:
                self._df[f] += _unique_unigram_counts(texts)
                texts.clear()

    def unigram_df(self, field_name: str, char: str) -> int:
        """Documents whose ``field_name`` holds ``char`` (0 for the stop unigrams, as in the
        version-3 ``ugrams`` fields)."""
        df = self._df.get(field_name)
        code = ord(char) if len(char) == 1 else -1
        if df is None or not 0 <= code < _CODES or char in self._stop:
            return 0
        self._flush()
        return int(df[code])

    # -- reads ------------------------------------------------------------------------------
    def mean_lengths(self) -> tuple[float, float, float, float]:
        n = max(1, self.docs)
        return tuple(max(1e-6, t / n) for t in self.totals)  # type: ignore[return-value]

    # -- persistence ------------------------------------------------------------------------
    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "docs": self.docs, "totals": dict(zip(FIELDS, self.totals, strict=True))}
        if self.unigrams:
            self._flush()
            data["unigram_df"] = {
                f: {chr(c): int(df[c]) for c in np.flatnonzero(df) if c not in self._stop_codes}
                for f, df in self._df.items()
            }
        return data

    @classmethod
    def from_json(cls, data: dict, stop: Iterable[str]) -> IndexStats:
        unigram_df = data.get("unigram_df")
        st = cls(stop, unigrams=unigram_df is not None)
        st.docs = int(data.get("docs", 0))
        totals = data.get("totals", {})
        st.totals = [int(totals.get(f, 0)) for f in FIELDS]
        for f, counts in (unigram_df or {}).items():
            if f in st._df and counts:
                codes = np.fromiter((ord(c) for c in counts), np.int64, len(counts))
                st._df[f][codes] = np.fromiter(counts.values(), np.int64, len(counts))
        return st

    def save(self, directory: Path) -> None:
        """Write atomically (a reader never sees half a file)."""
        path = directory / STATS_FILE
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(self.to_json()), encoding="utf-8")
        os.replace(tmp, path)
        self.dirty = False

    @classmethod
    def load(cls, directory: Path, stop: Iterable[str], unigrams: bool = False
             ) -> IndexStats | None:
        """The saved statistics; None if missing, unreadable or (``unigrams``) without the
        unigram counts a version-4 index needs."""
        path = directory / STATS_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return None
        if unigrams and not isinstance(data.get("unigram_df"), dict):
            return None
        return cls.from_json(data, stop)
