"""Stored per-enterprise assessments behind the candidate lists (科小/高企 pipeline).

Assessing a province-sized registry takes tens of seconds, so no request does it: a background
job (:func:`start`, run from the pipeline page or ``kechuang candidates``) assesses every
enterprise with figures in the call year's data window for 科小 and 高企 and stores the
outcome in ``CandidateAssessment``; the lists are plain queries over those rows.

Invalidation:

- a registry write announces ``core.changes`` kind ``enterprise`` (the enterprise row) or
  ``enterprise_data`` (its indicators, certifications, awards, standards); :func:`on_change`
  records the enterprise in ``CandidateChange``. The pages show how many enterprises changed
  since the computation, flag their rows, and offer 重新计算 for just those (``changed``);
- a rule revision changes the ``RuleRow`` stamp; a run remembers the stamp it used, and the
  pages ask for a full recomputation when it no longer matches.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from kechuang.core.jobs import JobStatus, run_in_background
from kechuang.enterprises.models import AnnualIndicator, Enterprise

from . import assessment, pipeline
from .engine import InputError, RuleSet
from .models import CandidateAssessment, CandidateChange, CandidateRun, RuleRow

log = logging.getLogger(__name__)

SCHEMES = ("tech-sme", "high-tech")
CHUNK = 500
# A run still "running" after this long was cut off (server restart): it no longer blocks a
# new one.
ABANDONED_AFTER = dt.timedelta(hours=2)
CHANGE_KINDS = ("enterprise", "enterprise_data")  # enterprises.services.ENTERPRISE_DATA
Progress = Callable[[int, int], None]


def rules_stamp() -> str:
    stamp = RuleRow.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    return f"{stamp['n']}:{stamp['t'].isoformat() if stamp['t'] else ''}"


# ---------------------------------------------------------------------------------------------
# Invalidation


def on_change(kind: str, pks: list[int]) -> None:
    """``core.changes`` subscriber: remember the enterprises whose inputs changed (only once
    a computation exists; before that there is nothing to invalidate). One upsert per batch
    (an import notifies all its rows at once)."""
    if kind not in CHANGE_KINDS:
        return
    try:
        if not CandidateRun.objects.exists():
            return
        now = timezone.now()
        CandidateChange.objects.bulk_create(
            [CandidateChange(enterprise_id=pk, changed_at=now) for pk in dict.fromkeys(pks)],
            update_conflicts=True, unique_fields=["enterprise"], update_fields=["changed_at"],
            batch_size=1000)
    except Exception:  # a subscriber never breaks the write that notified it
        log.exception("could not record candidate-list changes for %d enterprises", len(pks))


# ---------------------------------------------------------------------------------------------
# Computation


def population(year: int):
    """Enterprises assessed for a call year: those with figures in its data window."""
    data_year = year - 1
    return Enterprise.objects.filter(pk__in=AnnualIndicator.objects.filter(
        year__gte=data_year - 2, year__lte=data_year).values("enterprise_id"))


def _outcomes(ent, params: pipeline.Params, rules: RuleSet, now) -> list[CandidateAssessment]:
    """One stored row per scheme (the case is built once for both)."""
    rows = [CandidateAssessment(enterprise_id=ent.pk, year=params.year, scheme=scheme,
                                computed_at=now) for scheme in SCHEMES]
    try:
        case = assessment.stored_case(ent, params.as_of)
    except InputError as exc:
        for row in rows:
            row.assessed, row.message = False, str(exc)[:255]
        return rows
    for row in rows:
        try:
            result = assessment.run(case, row.scheme, params.as_of, rules)
        except InputError as exc:
            row.assessed, row.message = False, str(exc)[:255]
            continue
        row.unmet = [c.id for c in result.conditions if c.met is False and not c.skipped]
        if row.scheme == "tech-sme":
            row.eligible = result.eligible
            row.score = result.score
        else:
            row.verdict = result.verdict or ""
            if result.score_range:
                row.score_min, row.score_max = result.score_range
            row.rd_gap = pipeline.gap_yuan(result, "H5")
    return rows


def _assess_ids(ids: list[int], params: pipeline.Params, rules: RuleSet) -> int:
    """(Re)compute the stored rows of ``ids`` for the call year, one transaction per call."""
    now = timezone.now()
    rows = [row for ent in pipeline.with_data(Enterprise.objects.filter(pk__in=ids), params)
            for row in _outcomes(ent, params, rules, now)]
    with transaction.atomic():
        CandidateAssessment.objects.filter(year=params.year, enterprise_id__in=ids).delete()
        CandidateAssessment.objects.bulk_create(rows, batch_size=1000)
    return len(rows) // len(SCHEMES)


def _chunks(ids: list[int], size: int = CHUNK) -> Iterable[list[int]]:
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def _last_done(year: int) -> CandidateRun | None:
    return (CandidateRun.objects.filter(year=year, status=JobStatus.DONE,
                                        started_at__isnull=False)
            .order_by("-started_at").first())


def changes_since(year: int):
    """Changes not yet reflected in the stored rows of ``year``."""
    last = _last_done(year)
    qs = CandidateChange.objects.all()
    return qs.filter(changed_at__gt=last.started_at) if last else qs


def compute(run: CandidateRun, progress: Progress | None = None) -> dict:
    """Carry out ``run``: every enterprise of the population (``all``), or those changed since
    the year's last computation (``changed``). Changes recorded after the run started stay
    pending."""
    started = timezone.now()
    pending = changes_since(run.year).filter(changed_at__lte=started)
    full = run.mode == CandidateRun.MODE_ALL or _last_done(run.year) is None
    CandidateRun.objects.filter(pk=run.pk).update(status=JobStatus.RUNNING, started_at=started,
                                                  rules_stamp=rules_stamp())
    params = pipeline.Params(year=run.year)
    rules = assessment.rule_set()
    pop = population(run.year)
    if full:
        ids = list(pop.order_by("pk").values_list("pk", flat=True))
    else:
        changed = pending.values("enterprise_id")  # a subquery: may be a whole import
        ids = list(pop.filter(pk__in=changed).order_by("pk").values_list("pk", flat=True))
        # enterprises that left the population (figures deleted) lose their rows
        CandidateAssessment.objects.filter(year=run.year, enterprise_id__in=changed).exclude(
            enterprise_id__in=pop.values("pk")).delete()
    done = 0
    for chunk in _chunks(ids):
        done += _assess_ids(chunk, params, rules)
        if progress:
            progress(done, len(ids))
    if full:
        CandidateAssessment.objects.filter(year=run.year).exclude(
            enterprise_id__in=pop.values("pk")).delete()
    CandidateRun.objects.filter(pk=run.pk).update(
        status=JobStatus.DONE, finished_at=timezone.now(), enterprises=done,
        mode=CandidateRun.MODE_ALL if full else CandidateRun.MODE_CHANGED)
    _prune()
    return {"year": run.year, "mode": "all" if full else "changed", "enterprises": done}


def _prune() -> None:
    """Forget changes every computed year has taken in."""
    years = (CandidateRun.objects.filter(status=JobStatus.DONE).order_by()
             .values_list("year", flat=True).distinct())
    starts = [r for r in (_last_done(y) for y in years) if r]
    if starts:
        CandidateChange.objects.filter(
            changed_at__lte=min(r.started_at for r in starts)).delete()


def start(*, actor, year: int, mode: str = CandidateRun.MODE_ALL, inline: bool = False,
          progress: Progress | None = None) -> CandidateRun:
    """Create a run and compute it in the background (a ``Job`` with progress), or now with
    ``inline`` (tests, the CLI; without an actor there is no job)."""
    from kechuang.core.models import Job

    job = None
    if actor is not None:
        scope = "全部企业" if mode == CandidateRun.MODE_ALL else "有变更的企业"
        job = Job.objects.create(kind="cultivation_candidates", owner=actor,
                                 label=f"计算{year}年培育候选名单（{scope}）")
    run = CandidateRun.objects.create(year=year, mode=mode, job=job, created_by=actor,
                                      updated_by=actor)

    def target(report):
        try:
            return compute(run, report)
        except Exception:
            CandidateRun.objects.filter(pk=run.pk).update(status=JobStatus.FAILED,
                                                          finished_at=timezone.now())
            raise

    if job is not None and not inline:
        run_in_background(job, target)
        return run
    jobs = Job.objects.filter(pk=job.pk) if job is not None else Job.objects.none()

    def report(done: int, total: int) -> None:
        jobs.update(done=done, total=total)
        if progress:
            progress(done, total)

    jobs.update(status=JobStatus.RUNNING)
    try:
        result = target(report)
    except Exception:
        jobs.update(status=JobStatus.FAILED)
        raise
    jobs.update(status=JobStatus.DONE, result=result)
    run.refresh_from_db()
    return run


# ---------------------------------------------------------------------------------------------
# Status shown on the pages


def status(year: int) -> dict:
    """What the pages say about the stored lists of a call year."""
    runs = CandidateRun.objects.filter(year=year)
    last_full = runs.filter(mode=CandidateRun.MODE_ALL, status=JobStatus.DONE).order_by(
        "-finished_at").first()
    last_done = runs.filter(status=JobStatus.DONE).order_by("-finished_at").first()
    running = (runs.filter(status__in=(JobStatus.PENDING, JobStatus.RUNNING),
                           created_at__gte=timezone.now() - ABANDONED_AFTER)
               .select_related("job").order_by("-created_at").first())
    rules_changed = bool(last_full and last_full.rules_stamp != rules_stamp())
    return {
        "year": year,
        "computed": last_full is not None,
        "computed_at": last_full.finished_at if last_full else None,
        "updated_at": last_done.finished_at if last_done else None,
        "enterprises": last_full.enterprises if last_full else 0,
        "running": running,
        "changed": changes_since(year).count() if last_full else 0,
        "rules_changed": rules_changed,
    }


def changed_ids(year: int) -> set[int]:
    return set(changes_since(year).values_list("enterprise_id", flat=True))
