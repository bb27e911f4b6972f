"""Suggested 技术领域 for a new demand or achievement.

The engine's ``FieldClassifier`` (TF-IDF character n-grams, linear SVM — the model
``kechuang bench classify`` measures), trained from the published records' fields and
persisted under ``SEARCH_INDEX_DIR``. With too few records (fewer than ``MIN_RECORDS`` or
fewer than two fields) it declines to suggest rather than guess.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from .engine import analysis
from .engine.classifier import FieldClassifier

log = logging.getLogger(__name__)

MIN_RECORDS = 20
MAX_CHARS = 3000
FILE = "field_classifier.pkl"


@dataclass
class FieldModel:
    classifier: FieldClassifier | None
    labels: list[str]
    trained_on: int

    @property
    def usable(self) -> bool:
        return self.classifier is not None

    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[str]) -> FieldModel:
        pairs = [(t[:MAX_CHARS], label) for t, label in zip(texts, labels, strict=True)
                 if label and analysis.analyze(t, MAX_CHARS)]
        distinct = sorted({label for _, label in pairs})
        if len(pairs) < MIN_RECORDS or len(distinct) < 2:
            return cls(None, distinct, len(pairs))
        model = FieldClassifier().fit([t for t, _ in pairs], [label for _, label in pairs])
        return cls(model, distinct, len(pairs))

    def predict(self, text: str, top: int = 3) -> list[tuple[str, float]]:
        """Top labels with probabilities (empty when the model is not usable)."""
        if not self.usable or not analysis.analyze(text, MAX_CHARS):
            return []
        return self.classifier.predict_top(text[:MAX_CHARS], top)

    def save(self, path: Path) -> None:
        """Write the trained model (atomically); an unusable one removes the file."""
        if self.classifier is None:
            path.unlink(missing_ok=True)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        self.classifier.save(tmp)
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> FieldModel | None:
        """The model written by ``save`` (kechuang's own file under SEARCH_INDEX_DIR)."""
        try:
            model = FieldClassifier.load(path)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, pickle.UnpicklingError, EOFError, AttributeError) as exc:
            log.warning("field classifier at %s not loaded (%s); retraining", path, exc)
            return None
        return cls(model, list(model.labels), 0)


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
    _cache[str(model_path())] = model  # also an unusable one: no retraining per request
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
