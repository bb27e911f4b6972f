"""Field (技术领域/学科) suggester: linear model over TF-IDF character n-grams.

Features: character 1–2-grams of CJK runs and whole latin/digit tokens of the normalised text,
sublinear TF, IDF, L2. Adding 3-grams or 4-grams did not help in 5-fold CV on the dev labelled
set (see bench/matching/README.md). The IDF can also be fitted on unlabelled texts passed to
``fit(..., unlabelled=...)`` (transductive: e.g. the texts about to be classified), which gave
the largest single gain measured. Model: one-vs-rest linear SVM with balanced class weights;
scores are turned into probabilities with a softmax (fixed temperature), so ``predict_top`` can
be shown as confidence.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np

from . import analysis

MODEL_VERSION = 2


def char_ngrams(text: str, max_n: int = 2) -> list[str]:
    """Features of one raw text: CJK 1–``max_n``-grams and whole latin/digit tokens."""
    norm = analysis.normalize(text)
    out: list[str] = []
    for run in analysis.RUN_RE.findall(norm):
        if run[0] >= "\u3400":
            for n in range(1, max_n + 1):
                out.extend(run[i : i + n] for i in range(len(run) - n + 1))
        else:
            out.append(run)
    return out


@dataclass(frozen=True, slots=True)
class ClassifierParams:
    c: float = 0.5
    max_n: int = 2
    min_df: int = 2
    max_features: int = 400_000
    temperature: float = 0.1


class FieldClassifier:
    """``fit(texts, labels)``, ``predict(texts)``, ``predict_top(text, k)``, ``save``/``load``."""

    def __init__(self, params: ClassifierParams | None = None) -> None:
        self.params = params or ClassifierParams()
        self._vectorizer = None
        self._model = None
        self.labels: list[str] = []

    def fit(self, texts: Sequence[str], labels: Sequence[str], *,
            unlabelled: Sequence[str] = ()) -> FieldClassifier:
        """Train on labelled ``texts``; ``unlabelled`` texts only inform the vocabulary and IDF."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.svm import LinearSVC

        if len(texts) != len(labels) or not texts:
            raise ValueError("训练文本与标签数量不一致或为空")
        distinct = sorted(set(labels))
        self.labels = distinct
        self._vectorizer = TfidfVectorizer(
            analyzer=partial(char_ngrams, max_n=self.params.max_n), sublinear_tf=True,
            min_df=self.params.min_df if len(texts) >= 50 else 1,
            max_features=self.params.max_features, dtype=np.float32,
        )
        texts = list(texts)
        extra = [t for t in unlabelled if t]
        if extra:
            self._vectorizer.fit(texts + extra)
            x = self._vectorizer.transform(texts)
        else:
            x = self._vectorizer.fit_transform(texts)
        if len(distinct) == 1:
            self._model = None
            return self
        self._model = LinearSVC(C=self.params.c, class_weight="balanced")
        self._model.fit(x, list(labels))
        return self

    def decision(self, texts: Sequence[str]) -> np.ndarray:
        if self._vectorizer is None:
            raise RuntimeError("分类器尚未训练")
        if self._model is None:
            return np.zeros((len(texts), 1), dtype=np.float32)
        x = self._vectorizer.transform(list(texts))
        scores = self._model.decision_function(x)
        if scores.ndim == 1:  # binary: sklearn returns one column for classes[1]
            scores = np.stack([-scores, scores], axis=1)
        return np.asarray(scores, dtype=np.float32)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        s = self.decision(texts) / max(self.params.temperature, 1e-6)
        s = s - s.max(axis=1, keepdims=True)
        e = np.exp(s)
        return e / e.sum(axis=1, keepdims=True)

    def predict(self, texts: Sequence[str]) -> list[str]:
        if not texts:
            return []
        scores = self.decision(texts)
        return [self.labels[int(i)] for i in scores.argmax(axis=1)]

    def predict_top(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        """The ``k`` most likely labels with probabilities, best first."""
        probs = self.predict_proba([text])[0]
        order = np.argsort(-probs)[: max(1, k)]
        return [(self.labels[int(i)], float(probs[int(i)])) for i in order]

    def as_field_predictor(self, k: int = 5):
        """Callable ``normalised text → {label: probability}`` for :class:`ranking.Ranker`."""

        def predict(normalized_text: str) -> dict[str, float]:
            return dict(self.predict_top(normalized_text, k))

        return predict

    def save(self, path: str | Path) -> None:
        data = {"version": MODEL_VERSION, "params": self.params, "labels": self.labels,
                "vectorizer": self._vectorizer, "model": self._model}
        with open(path, "wb") as f:
            pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def load(cls, path: str | Path) -> FieldClassifier:
        """Load a model saved by :meth:`save` (trusted files only: this is a pickle)."""
        with open(path, "rb") as f:
            data = pickle.load(f)
        if data.get("version") != MODEL_VERSION:
            raise ValueError("分类模型版本不兼容，请重新训练")
        obj = cls(data["params"])
        obj.labels = data["labels"]
        obj._vectorizer = data["vectorizer"]
        obj._model = data["model"]
        return obj
