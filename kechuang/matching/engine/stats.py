"""Collection statistics for the second-stage scorer of a version-3 index.

A version-3 index keeps only CJK *bigrams* (and latin/digit words) as tantivy terms: the unigram
postings were about half of the build work and nearly all of the query time at a million
documents (bench/matching/README.md, "Scale"). Stage 2 of the ranking still scores unigrams: it
recomputes the full unigram + bigram BM25 over the candidates (:meth:`Ranker._base_scores`), for
which it needs what tantivy no longer has — each character's document frequency in the text and
in the titles — plus the number of documents and the average field lengths. :class:`IndexStats`
keeps these, is updated by every add, upsert and delete, and is saved next to the index at
commit.

Lengths count what the version-2 tantivy fields counted, so the recomputed score is the score
stage 1 used to give: CJK runs joined by a space and cut into 1–2-grams, minus the space and the
stop unigrams (:func:`grams_length`), and latin/digit tokens (:func:`words_length`).
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
BMP = 0x10000  # every character a CJK run can hold (analysis._CJK) is in the BMP
FIELDS = ("grams", "words", "tgrams", "twords")
_FLUSH_EVERY = 4096


def _stop_re(stop: Iterable[str]) -> re.Pattern[str]:
    return re.compile("[" + re.escape("".join(stop)) + "]")


def grams_length(text: str, stop_re: re.Pattern[str]) -> int:
    """Tokens of the ``grams`` field as version 2 indexed them (see the module docstring)."""
    runs = analysis.CJK_RUN_RE.findall(text)
    if not runs:
        return 0
    total = sum(len(r) for r in runs)
    return 2 * total + len(runs) - 2 - len(stop_re.findall(text))


def words_length(text: str) -> int:
    return len(analysis.WORD_RE.findall(text))


class IndexStats:
    """Documents, total field lengths and per-character document frequencies."""

    def __init__(self, stop: Iterable[str]) -> None:
        self.stop_re = _stop_re(stop)
        self.docs = 0
        self.totals = [0, 0, 0, 0]  # FIELDS order
        # per-character document frequencies of the whole text and of the title fields
        self._df = {"grams": np.zeros(BMP, dtype=np.int64), "tgrams": np.zeros(BMP, dtype=np.int64)}
        # distinct characters of recently added documents, counted in batches
        self._pending: dict[str, list[str]] = {"grams": [], "tgrams": []}
        self.dirty = False

    # -- updates ----------------------------------------------------------------------------
    def lengths(self, body: str, title: str) -> tuple[int, int, int, int]:
        return (grams_length(body, self.stop_re), words_length(body),
                grams_length(title, self.stop_re), words_length(title))

    def add(self, body: str, title: str) -> None:
        """Count one new document (``body``: the stored text, ``title``: the stored title)."""
        self._update(body, title, 1)
        pending = self._pending["grams"]
        pending.append("".join(set(body)))
        if title:
            self._pending["tgrams"].append("".join(set(title)))
        if len(pending) >= _FLUSH_EVERY:
            self._flush()

    def remove(self, body: str, title: str) -> None:
        """Uncount a document that is being deleted or replaced."""
        self._flush()
        self._update(body, title, -1)
        for name, text in (("grams", body), ("tgrams", title)):
            chars = np.array([ord(c) for c in set(text) if ord(c) < BMP], dtype=np.int64)
            if len(chars):
                df = self._df[name]
                np.subtract.at(df, chars, 1)
                np.maximum(df, 0, out=df)

    def _update(self, body: str, title: str, sign: int) -> None:
        self.docs = max(0, self.docs + sign)
        for i, n in enumerate(self.lengths(body, title)):
            self.totals[i] = max(0, self.totals[i] + sign * n)
        self.dirty = True

    def _flush(self) -> None:
        for name, pending in self._pending.items():
            if not pending:
                continue
            codes = np.frombuffer("".join(pending).encode("utf-32-le"), dtype=np.uint32)
            pending.clear()
            codes = codes[codes < BMP]
            if len(codes):
                self._df[name] += np.bincount(codes, minlength=BMP)

    # -- reads ------------------------------------------------------------------------------
    def char_df(self, char: str, field: str = "grams") -> int:
        """Documents whose text (``grams``) or title (``tgrams``) holds ``char``."""
        self._flush()
        code = ord(char)
        return int(self._df[field][code]) if code < BMP else 0

    def mean_lengths(self) -> tuple[float, float, float, float]:
        n = max(1, self.docs)
        return tuple(max(1e-6, t / n) for t in self.totals)  # type: ignore[return-value]

    # -- persistence ------------------------------------------------------------------------
    def to_json(self) -> dict[str, object]:
        self._flush()

        def nonzero(df: np.ndarray) -> dict[str, int]:
            return {chr(int(c)): int(df[c]) for c in np.nonzero(df)[0]}

        return {
            "docs": self.docs, "totals": dict(zip(FIELDS, self.totals, strict=True)),
            "char_df": nonzero(self._df["grams"]), "title_char_df": nonzero(self._df["tgrams"]),
        }

    @classmethod
    def from_json(cls, data: dict, stop: Iterable[str]) -> IndexStats:
        st = cls(stop)
        st.docs = int(data.get("docs", 0))
        totals = data.get("totals", {})
        st.totals = [int(totals.get(f, 0)) for f in FIELDS]
        for key, name in (("char_df", "grams"), ("title_char_df", "tgrams")):
            for ch, n in (data.get(key) or {}).items():
                if len(ch) == 1 and ord(ch) < BMP:
                    st._df[name][ord(ch)] = int(n)
        return st

    def save(self, directory: Path) -> None:
        """Write atomically (a reader never sees half a file)."""
        path = directory / STATS_FILE
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(self.to_json(), ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
        self.dirty = False

    @classmethod
    def load(cls, directory: Path, stop: Iterable[str]) -> IndexStats | None:
        path = directory / STATS_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return None
        return cls.from_json(data, stop)
