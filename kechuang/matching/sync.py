"""Keep the search indexes in step with the records (called by services via ``on_commit``) and
rebuild them from scratch with progress."""

from __future__ import annotations

import fcntl
import logging
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from kechuang.core.jobs import JobError

from . import documents, search
from .engine.embedding import DenseSimilarity
from .engine.index import SearchIndex, swap_in

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]


# Bulk loads (the demo) set this and rebuild once at the end instead of one write per record.
SUSPENDED = False


def record_changed(kind: str, pk: int) -> None:
    """Upsert or delete one record's document (index errors never break the write)."""
    if SUSPENDED:
        return
    try:
        _sync_one(kind, pk)
    except (OSError, ValueError, RuntimeError) as exc:
        log.warning("index sync failed for %s %s: %s (run rebuild_index)", kind, pk, exc)


def on_record_changed(kind: str, pks: list[int]) -> None:
    """``core.changes`` subscriber: index the kinds the matching engine knows about."""
    if kind in documents.BUILDERS:
        for pk in pks:
            record_changed(kind, pk)


def _sync_one(kind: str, pk: int) -> None:
    queryset, build = documents.BUILDERS[kind]
    obj = queryset().filter(pk=pk).first()
    if obj is None:
        search.write(kind, deletes=[str(pk)])
    else:
        search.write(kind, upserts=[build(obj)])
    if kind == "demand":
        from kechuang.demands.models import TechDemand

        ent_id = TechDemand.objects.filter(pk=pk).values_list("enterprise_id", flat=True).first()
        if ent_id:
            _sync_one("enterprise", ent_id)


class RebuildBusyError(JobError):
    """Another process (the page's background job, or ``kechuang rebuild_index``) is rebuilding."""


LOCK_FILE = ".rebuild.lock"


@contextmanager
def rebuild_lock() -> Iterator[None]:
    """One rebuild at a time across processes: two would build into the same ``.new``
    directories. An advisory ``flock`` on a file under ``SEARCH_INDEX_DIR``, released by the
    kernel if the process dies, so a crash never leaves it held."""
    base = Path(settings.SEARCH_INDEX_DIR)
    base.mkdir(parents=True, exist_ok=True)
    with open(base / LOCK_FILE, "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RebuildBusyError("另一个检索索引重建正在进行，请等它完成后再试") from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def rebuild(kinds: tuple[str, ...] = search.KINDS, progress: Progress | None = None,
            train_classifier: bool = True) -> dict:
    """Rebuild every index into a fresh directory, then swap it in. Returns counts. Raises
    :class:`RebuildBusyError` when another rebuild holds the lock."""
    with rebuild_lock():
        return _rebuild(kinds, progress, train_classifier)


def _rebuild(kinds: tuple[str, ...], progress: Progress | None, train_classifier: bool) -> dict:
    totals = {k: documents.BUILDERS[k][0]().count() for k in kinds}
    model = search.embedder()
    # with a semantic model, each document is counted twice: indexed, then its vector computed
    passes = 2 if model is not None else 1
    grand = passes * sum(totals.values()) or 1
    done = 0
    counts: dict[str, int] = {}
    for kind in kinds:
        queryset, build = documents.BUILDERS[kind]
        final = search.index_dir(kind)
        tmp = final.with_name(final.name + ".new")
        idx = SearchIndex.create(tmp, overwrite=True)
        demands_by_ent: dict[int, list] = defaultdict(list)
        if kind == "enterprise":
            for d in documents.demand_queryset().order_by("pk"):
                demands_by_ent[d.enterprise_id].append(d)

        def docs(queryset=queryset, build=build, kind=kind, by_ent=demands_by_ent):
            for obj in queryset().order_by("pk").iterator(chunk_size=2000):
                yield build(obj, by_ent.get(obj.pk, [])) if kind == "enterprise" else build(obj)

        start = done

        def step(n: int, _total: int, start=start) -> None:
            if progress:
                progress(min(grand, start + n), grand)

        try:
            n = idx.add_documents(docs(), progress=step, total=totals[kind], progress_every=500)
        except BaseException:
            # the live index is untouched; drop the half-built one's writer (and its lock)
            idx.abandon()
            raise
        idx.close()
        if model is not None:
            # fill the new index's vectors before it goes live, so no query waits for them
            dense = DenseSimilarity.for_index(model, tmp)
            try:
                dense.precompute(((doc_id, text) for doc_id, text, _f in idx.iter_stored()),
                                 progress=lambda k, n0=totals[kind]: step(n0 + k, 0))
            finally:
                dense.close()
        search.forget(kind)
        swap_in(tmp, final)
        counts[kind] = n
        done += passes * totals[kind]
        if progress:
            progress(min(done, grand), grand)
    if train_classifier:
        from . import classifier

        counts["classifier_labels"] = len(classifier.train_from_records().labels)
    return counts
