"""Suggested 技术领域 for a new demand or achievement.

A multinomial naive Bayes over the engine's character 1–2-grams, trained from the published
records' fields and persisted as JSON under ``SEARCH_INDEX_DIR``. With too few records (fewer
than ``MIN_RECORDS`` or fewer than two fields) it declines to suggest rather than guess.
Thin adapter: the engine's own classifier can replace ``FieldModel`` behind ``suggest_field``.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from .engine import analysis

MIN_RECORDS = 20
MAX_CHARS = 3000
FILE = "field_classifier.json"


@dataclass
class FieldModel:
    labels: list[str] = field(default_factory=list)
    priors: dict[str, float] = field(default_factory=dict)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)
    vocab_size: int = 0
    trained_on: int = 0

    @property
    def usable(self) -> bool:
        return self.trained_on >= MIN_RECORDS and len(self.labels) >= 2

    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[str]) -> FieldModel:
        counts: dict[str, Counter[str]] = {}
        docs: Counter[str] = Counter()
        vocab: set[str] = set()
        for text, label in zip(texts, labels, strict=True):
            if not label:
                continue
            tokens = analysis.analyze(text, MAX_CHARS)
            if not tokens:
                continue
            counts.setdefault(label, Counter()).update(tokens)
            docs[label] += 1
            vocab.update(tokens)
        n = sum(docs.values())
        return cls(
            labels=sorted(docs), priors={k: v / n for k, v in docs.items()} if n else {},
            counts={k: dict(v) for k, v in counts.items()},
            totals={k: sum(v.values()) for k, v in counts.items()},
            vocab_size=len(vocab), trained_on=n,
        )

    def predict(self, text: str, top: int = 3) -> list[tuple[str, float]]:
        """Top labels with probabilities (empty when the model is not usable)."""
        tokens = analysis.analyze(text, MAX_CHARS)
        if not self.usable or not tokens:
            return []
        v = self.vocab_size + 1
        scores = {}
        for label in self.labels:
            c, total = self.counts[label], self.totals[label]
            s = math.log(self.priors[label])
            for t in tokens:
                s += math.log((c.get(t, 0) + 1) / (total + v))
            scores[label] = s
        best = max(scores.values())
        exp = {k: math.exp(s - best) for k, s in scores.items()}
        z = sum(exp.values())
        ranked = sorted(((k, p / z) for k, p in exp.items()), key=lambda kv: -kv[1])
        return ranked[:top]

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.__dict__, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> FieldModel | None:
        try:
            return cls(**json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None


def model_path() -> Path:
    return Path(settings.SEARCH_INDEX_DIR) / FILE


def train_from_records() -> FieldModel:
    """Train on published achievements and demands that carry a field; persist it."""
    from . import documents

    texts: list[str] = []
    labels: list[str] = []
    for a in documents.achievement_queryset().select_related(None).only(
            "title", "abstract", "keywords", "field"):
        texts.append(f"{a.title} {a.title} {' '.join(a.keywords or [])} {a.abstract}")
        labels.append(a.field)
    for d in documents.demand_queryset().select_related(None).exclude(field="").only(
            "title", "description", "field"):
        texts.append(f"{d.title} {d.title} {d.description}")
        labels.append(d.field)
    model = FieldModel.fit(texts, labels)
    model.save(model_path())
    _cache.clear()
    return model


_cache: dict[str, FieldModel] = {}


def current_model() -> FieldModel | None:
    path = model_path()
    key = str(path)
    if key not in _cache:
        model = FieldModel.load(path)
        if model is None:
            return None
        _cache[key] = model
    return _cache[key]


@dataclass
class FieldSuggestion:
    fields: list[tuple[str, str, float]]  # (code, label, probability)
    message: str = ""


def suggest_field(text: str) -> FieldSuggestion:
    from kechuang.achievements.techfields import field_label

    if len("".join(analysis.RUN_RE.findall(analysis.normalize(text, MAX_CHARS)))) < 4:
        return FieldSuggestion([], "内容太短，暂无法推荐技术领域")
    model = current_model()
    if model is None:
        model = train_from_records()
    if not model.usable:
        return FieldSuggestion([], "已发布的成果和需求太少，暂无法推荐技术领域，请手工选择")
    return FieldSuggestion([(c, field_label(c), round(p, 3)) for c, p in model.predict(text)
                            if p >= 0.05])
