"""Corpus-trained latent semantic vectors (LSA): SVD of a TF-IDF char-1–2-gram matrix.

Trained at index-build time on (a sample of) the indexed documents, so it needs no downloaded
model. Used by the second-stage ranker to score the similarity of a query and a candidate
beyond exact term overlap, and by the field classifier as extra features.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from . import analysis


@dataclass(frozen=True, slots=True)
class LsaParams:
    dims: int = 192
    min_df: int = 2
    max_df_ratio: float = 0.5
    max_features: int = 200_000
    seed: int = 13


def _counts(texts: Iterable[str]) -> list[Counter[str]]:
    return [Counter(analysis.tokenize(t)) for t in texts]


class LsaModel:
    """Vocabulary, IDF and SVD components; ``transform`` gives L2-normalised vectors."""

    def __init__(self, vocab: dict[str, int], idf: np.ndarray, components: np.ndarray) -> None:
        self.vocab = vocab
        self.idf = idf.astype(np.float32)
        self.components = components.astype(np.float32)  # (dims, V)
        self._proj = np.ascontiguousarray(
            (self.components * self.idf[None, :]).T
        )  # (V, dims): idf folded in

    @property
    def dims(self) -> int:
        return int(self.components.shape[0])

    @classmethod
    def fit(cls, normalized_texts: Sequence[str], params: LsaParams | None = None) -> LsaModel:
        from sklearn.decomposition import TruncatedSVD

        params = params or LsaParams()
        counts = _counts(normalized_texts)
        n = len(counts)
        df: Counter[str] = Counter()
        for c in counts:
            df.update(c.keys())
        max_df = max(params.min_df, int(params.max_df_ratio * n))
        kept = [t for t, f in df.items() if params.min_df <= f <= max_df]
        kept.sort(key=lambda t: -df[t])
        kept = kept[: params.max_features]
        vocab = {t: i for i, t in enumerate(kept)}
        idf = np.array([math.log((n + 1) / (df[t] + 1)) + 1.0 for t in kept], dtype=np.float32)
        x = _matrix(counts, vocab, idf)
        dims = max(1, min(params.dims, x.shape[0] - 1, x.shape[1] - 1))
        svd = TruncatedSVD(n_components=dims, algorithm="randomized", n_iter=5,
                           random_state=params.seed)
        svd.fit(x)
        return cls(vocab, idf, svd.components_)

    def transform(self, normalized_texts: Sequence[str]) -> np.ndarray:
        """(n, dims) float32, rows L2-normalised (zero rows stay zero)."""
        counts = _counts(normalized_texts)
        x = _matrix(counts, self.vocab, None)
        out = np.asarray(x @ self._proj, dtype=np.float32)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out

    def save(self, path: str | Path) -> None:
        terms = np.array(sorted(self.vocab, key=self.vocab.__getitem__), dtype=object)
        np.savez_compressed(
            path, terms=terms.astype(str), idf=self.idf,
            components=self.components.astype(np.float16),
        )

    @classmethod
    def load(cls, path: str | Path) -> LsaModel:
        with np.load(path, allow_pickle=False) as z:
            terms = [str(t) for t in z["terms"]]
            return cls({t: i for i, t in enumerate(terms)}, z["idf"], z["components"])


def _matrix(
    counts: list[Counter[str]], vocab: dict[str, int], idf: np.ndarray | None
) -> sp.csr_matrix:
    """Sublinear-TF (x IDF when given) rows, L2-normalised, as CSR."""
    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    for c in counts:
        row_idx = []
        row_val = []
        for term, tf in c.items():
            j = vocab.get(term)
            if j is not None:
                row_idx.append(j)
                row_val.append(1.0 + math.log(tf))
        if idf is not None and row_idx:
            row_val = [v * float(idf[j]) for v, j in zip(row_val, row_idx, strict=True)]
        norm = math.sqrt(sum(v * v for v in row_val)) or 1.0
        indices.extend(row_idx)
        data.extend(v / norm for v in row_val)
        indptr.append(len(indices))
    return sp.csr_matrix(
        (np.array(data, dtype=np.float32), np.array(indices, dtype=np.int32), np.array(indptr)),
        shape=(len(counts), len(vocab)),
    )
