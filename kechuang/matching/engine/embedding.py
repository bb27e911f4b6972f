"""Optional dense similarity from a locally installed sentence-embedding model.

Nothing here is required: without a configured model the ranker is purely lexical. With one
(a sentence-transformers model directory already on disk, e.g. copied onto an intranet server;
nothing is ever downloaded: the hub is switched off before the library is imported), stage 2
adds the cosine between the query's and each candidate's vectors to the lexical score.

Document vectors live in an SQLite file beside the index (:data:`VECTOR_FILE`), keyed by
document id and valid only for the model and the exact stored text they were computed from, so
a changed record or a different model is recomputed on first use rather than served stale. A
rebuild writes a new index directory and fills its vectors before the swap
(:meth:`DenseSimilarity.precompute`); vectors still missing are computed when a query first
needs them.

The optional libraries are ``sentence-transformers`` and PyTorch (``pip install
'kechuang[embedding]'``); :class:`EmbeddingError` says in Chinese what is missing.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np

VECTOR_FILE = "kechuang_vectors.sqlite3"
# text given to the model per document or query (models truncate at their own token limit too)
MAX_CHARS = 512


class EmbeddingError(RuntimeError):
    """The model cannot be used; the message says why, in Chinese."""


def _model_digest(path: Path) -> str:
    """Identifies a model directory's contents cheaply: names, sizes and the config files."""
    h = hashlib.sha256()
    for f in sorted(p for p in path.rglob("*") if p.is_file()):
        rel = f.relative_to(path).as_posix()
        h.update(f"{rel}\0{f.stat().st_size}\0".encode())
        if f.suffix == ".json" and f.stat().st_size < 1_000_000:
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


class TextEmbedder:
    """A sentence-transformers model loaded from a local directory, on the CPU."""

    def __init__(self, model_dir: str | os.PathLike[str], *, batch_size: int = 32) -> None:
        path = Path(model_dir).expanduser()
        if not path.is_dir():
            raise EmbeddingError(f"语义模型目录不存在：{path}")
        if not ((path / "modules.json").is_file() or (path / "config.json").is_file()):
            raise EmbeddingError(
                f"{path} 不是 sentence-transformers 模型目录（缺少 modules.json 或 config.json）")
        # never reach for the network, whatever the model's configuration names
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        # no English progress bars in the Chinese command output and logs
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbeddingError(
                "未安装可选的语义检索依赖（sentence-transformers 与 PyTorch），"
                "请执行 pip install 'kechuang[embedding]'") from exc
        try:
            self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        except Exception as exc:  # the loader raises many types (OSError, ValueError, torch's)
            raise EmbeddingError(f"无法加载语义模型 {path}：{exc}") from exc
        self.path = path
        self.batch_size = batch_size
        self.name = f"{path.name}:{_model_digest(path)}"
        self.dim = int(self._model.get_embedding_dimension() or 0)
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:  # one forward pass at a time: torch already uses both cores
            vecs = self._model.encode(
                [t[:MAX_CHARS] for t in texts], batch_size=self.batch_size,
                normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vecs, dtype=np.float32)


def _text_digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


class VectorStore:
    """Document vectors by id for one model, in an SQLite file (or in memory when ``path`` is
    None). A stored vector is returned only for the same model and the same text."""

    def __init__(self, path: Path | None, model: str, dim: int) -> None:
        self.path = path
        self.model = model
        self.dim = dim
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path) if path else ":memory:", timeout=10,
                                   check_same_thread=False)
        self._identity = self._file_identity()
        with self._lock, self._db:
            if path:
                self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS vectors (id TEXT PRIMARY KEY, model TEXT NOT NULL,"
                " digest BLOB NOT NULL, vec BLOB NOT NULL)")

    def _file_identity(self) -> tuple[int, int] | None:
        if self.path is None:
            return None
        try:
            st = self.path.stat()
        except OSError:
            return None
        return st.st_dev, st.st_ino

    def stale(self) -> bool:
        """True when the file at ``path`` is no longer the one this store opened: a rebuild in
        another process swapped a new index directory in (or removed it)."""
        return self.path is not None and self._file_identity() != self._identity

    def get(self, items: Sequence[tuple[str, str]]) -> dict[str, np.ndarray]:
        """Stored vectors of the (id, text) pairs whose model and text still match."""
        wanted = {doc_id: _text_digest(text) for doc_id, text in items}
        out: dict[str, np.ndarray] = {}
        ids = list(wanted)
        with self._lock:
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                rows = self._db.execute(
                    # only "?" placeholders are formatted in; the ids are bound parameters
                    f"SELECT id, model, digest, vec FROM vectors WHERE id IN "
                    f"({','.join('?' * len(chunk))})", chunk).fetchall()
                for doc_id, model, digest, vec in rows:
                    if model == self.model and digest == wanted[doc_id] \
                            and len(vec) == 4 * self.dim:
                        out[doc_id] = np.frombuffer(vec, dtype=np.float32)
        return out

    def put(self, rows: Iterable[tuple[str, str, np.ndarray]]) -> int:
        data = [(doc_id, self.model, _text_digest(text),
                 np.asarray(vec, dtype=np.float32).tobytes()) for doc_id, text, vec in rows]
        with self._lock, self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO vectors (id, model, digest, vec) VALUES (?, ?, ?, ?)", data)
        return len(data)

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute(
                "SELECT COUNT(*) FROM vectors WHERE model = ?", (self.model,)).fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()


class DenseSimilarity:
    """Cosine between a query and candidates, for the ranker (see the module docstring)."""

    def __init__(self, embedder: TextEmbedder, store: VectorStore | None = None,
                 query_cache: int = 256) -> None:
        self.embedder = embedder
        self.store = store or VectorStore(None, embedder.name, embedder.dim)
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()
        self._query_cache = query_cache
        self._lock = threading.Lock()

    @classmethod
    def for_index(cls, embedder: TextEmbedder, index_path: Path | None) -> DenseSimilarity:
        store = VectorStore(index_path / VECTOR_FILE if index_path else None,
                            embedder.name, embedder.dim)
        return cls(embedder, store)

    def query_vector(self, text: str) -> np.ndarray:
        with self._lock:
            vec = self._queries.get(text)
            if vec is not None:
                self._queries.move_to_end(text)
                return vec
        vec = self.embedder.encode([text])[0]
        with self._lock:
            self._queries[text] = vec
            while len(self._queries) > self._query_cache:
                self._queries.popitem(last=False)
        return vec

    def document_vectors(self, items: Sequence[tuple[str, str]]) -> np.ndarray:
        """Vectors for (id, text) pairs in order: stored ones reused, the others computed and
        stored."""
        found = self.store.get(items)
        missing = [(doc_id, text) for doc_id, text in items if doc_id not in found]
        if missing:
            vecs = self.embedder.encode([text for _id, text in missing])
            self.store.put((doc_id, text, v) for (doc_id, text), v in
                           zip(missing, vecs, strict=True))
            found.update((doc_id, v) for (doc_id, _t), v in zip(missing, vecs, strict=True))
        if not items:
            return np.zeros((0, self.embedder.dim), dtype=np.float32)
        return np.stack([found[doc_id] for doc_id, _t in items])

    def similarities(self, query: str, items: Sequence[tuple[str, str]]) -> np.ndarray:
        if not items:
            return np.zeros(0, dtype=np.float32)
        return self.document_vectors(items) @ self.query_vector(query)

    def precompute(self, items: Iterable[tuple[str, str]], batch: int = 256,
                   progress: Callable[[int], None] | None = None) -> int:
        """Compute and store the vectors of (id, text) pairs not stored yet; returns how many
        documents were seen."""
        n, chunk = 0, []
        for item in items:
            chunk.append(item)
            if len(chunk) >= batch:
                self.document_vectors(chunk)
                n += len(chunk)
                chunk = []
                if progress:
                    progress(n)
        if chunk:
            self.document_vectors(chunk)
            n += len(chunk)
            if progress:
                progress(n)
        return n

    def close(self) -> None:
        self.store.close()
