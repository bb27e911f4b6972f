"""Collection statistics for the second-stage scorer of a version-3 index.

A version-3 index leaves CJK unigrams out of the scored ``grams`` fields: their postings (with
term frequencies) were about half of the build work and nearly all of the query time at a million
documents (bench/matching/README.md, "Scale"). Stage 2 of the ranking still scores unigrams: it
recomputes the full unigram + bigram BM25 over the candidates (:meth:`Ranker._base_scores`).
Unigram document frequencies come from the ``ugrams``/``tugrams`` fields (document lists only, no
frequencies, never searched by stage 1); what tantivy does not expose — the number of documents
and the total field lengths, for the average lengths — is kept here, updated by every add, upsert
and delete, and saved next to the index at commit.

Lengths count what the version-2 tantivy fields counted, so the recomputed score is the score
stage 1 used to give: CJK runs joined by a space and cut into 1–2-grams, minus the space and the
stop unigrams (:func:`grams_length`), and latin/digit tokens (:func:`words_length`). They are
taken over the stored text (what stage 2 sees).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from . import analysis

STATS_FILE = "kechuang_stats.json"
FIELDS = ("grams", "words", "tgrams", "twords")


class IndexStats:
    """Number of documents and total field lengths."""

    def __init__(self, stop: Iterable[str]) -> None:
        self._stop = tuple(stop)
        self.docs = 0
        self.totals = [0, 0, 0, 0]  # FIELDS order
        self.dirty = False

    # -- lengths ----------------------------------------------------------------------------
    def grams_length_of_runs(self, runs_text: str) -> int:
        """Length of the ``grams`` field for its text (:func:`analysis.grams_field_text`)."""
        if not runs_text:
            return 0
        n_runs = runs_text.count(" ") + 1
        stops = sum(map(runs_text.count, self._stop))  # (str.translate: 5× slower here)
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

    def remove(self, body: str, title: str) -> None:
        self.add_lengths(self.lengths(body, title), -1)

    # -- reads ------------------------------------------------------------------------------
    def mean_lengths(self) -> tuple[float, float, float, float]:
        n = max(1, self.docs)
        return tuple(max(1e-6, t / n) for t in self.totals)  # type: ignore[return-value]

    # -- persistence ------------------------------------------------------------------------
    def to_json(self) -> dict[str, object]:
        return {"docs": self.docs, "totals": dict(zip(FIELDS, self.totals, strict=True))}

    @classmethod
    def from_json(cls, data: dict, stop: Iterable[str]) -> IndexStats:
        st = cls(stop)
        st.docs = int(data.get("docs", 0))
        totals = data.get("totals", {})
        st.totals = [int(totals.get(f, 0)) for f in FIELDS]
        return st

    def save(self, directory: Path) -> None:
        """Write atomically (a reader never sees half a file)."""
        path = directory / STATS_FILE
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(self.to_json()), encoding="utf-8")
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
