"""Read-side queries: broker KPIs, matching efficiency and signing rate, the work queue.

Callers pass querysets already restricted to the viewer (``restrict``); nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from .choices import (
    CLOSED_CASE_STATUSES,
    OPEN_TASK_STATUSES,
    CaseStatus,
    OverseasServiceKind,
    ResponseStatus,
)
from .models import (
    Case,
    CaseCandidate,
    CaseReminder,
    EventFollowUp,
    OverseasService,
    TaskItem,
    TechContract,
    Visit,
)

QUEUE_HORIZON_DAYS = 7


def ratio(numerator: int, denominator: int) -> Decimal | None:
    """Percent with one decimal, ``None`` when there is nothing to divide by."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Kpi:
    """One row of the KPI page (a broker, an event, or everyone)."""

    label: str
    visits: int = 0
    cases_opened: int = 0
    proposed: int = 0
    accepted: int = 0
    contracts: int = 0
    amount: Decimal = Decimal(0)
    problems_solved: int = 0
    cases_signed: int = 0
    key: object = None

    @property
    def matching_efficiency(self) -> Decimal | None:
        """接受 ÷ 推送 (percent)."""
        return ratio(self.accepted, self.proposed)

    @property
    def signing_rate(self) -> Decimal | None:
        """签约案件 ÷ 立案 (percent)."""
        return ratio(self.cases_signed, self.cases_opened)


def _grouped(qs, key: str, **aggregates) -> dict:
    return {row[key]: row for row in qs.values(key).annotate(**aggregates).order_by()}


def _in(field_name: str, start: dt.date, end: dt.date) -> Q:
    return Q(**{f"{field_name}__range": (start, end)})


def kpis_by(dimension: str, keys: list, labels: dict, start: dt.date, end: dt.date, *,
            visits=None, cases=None, candidates=None, contracts=None, overseas=None,
            ) -> list[Kpi]:
    """KPI rows per broker (``dimension="broker"``) or per event (``"event"``).

    Cases count by 立案日期, candidates by 推送日期 (an accepted one counts when the proposal
    fell in the period), contracts by 登记日期, problems solved by 结案/服务日期.
    """
    visits = Visit.objects.all() if visits is None else visits
    cases = Case.objects.all() if cases is None else cases
    candidates = CaseCandidate.objects.all() if candidates is None else candidates
    contracts = TechContract.objects.all() if contracts is None else contracts
    overseas = OverseasService.objects.all() if overseas is None else overseas
    case_key = "owner_id" if dimension == "broker" else "event_id"
    cand_key = f"case__{case_key}"
    contract_key = "broker_id" if dimension == "broker" else "event_id"
    rows = {k: Kpi(label=labels[k], key=k) for k in keys}

    if dimension == "broker":
        for k, r in _grouped(visits.filter(_in("visited_on", start, end)), "broker_id",
                             n=Count("id")).items():
            if k in rows:
                rows[k].visits = r["n"]
    opened = cases.filter(_in("opened_on", start, end))
    for k, r in _grouped(opened, case_key, n=Count("id"), signed=Count(
            "id", filter=Q(status=CaseStatus.SIGNED))).items():
        if k in rows:
            rows[k].cases_opened, rows[k].cases_signed = r["n"], r["signed"]
    proposed = candidates.filter(_in("proposed_on", start, end))
    for k, r in _grouped(proposed, cand_key, n=Count("id"), ok=Count(
            "id", filter=Q(response=ResponseStatus.ACCEPTED))).items():
        if k in rows:
            rows[k].proposed, rows[k].accepted = r["n"], r["ok"]
    for k, r in _grouped(contracts.filter(_in("registered_on", start, end)), contract_key,
                         n=Count("id"), amount=Sum("amount")).items():
        if k in rows:
            rows[k].contracts, rows[k].amount = r["n"], r["amount"] or Decimal(0)
    solved_cases = cases.filter(status=CaseStatus.SOLVED).filter(_in("closed_on", start, end))
    solved_cases = solved_cases.exclude(overseas_services__kind=OverseasServiceKind.PROBLEM_SOLVED)
    for k, r in _grouped(solved_cases, case_key, n=Count("id")).items():
        if k in rows:
            rows[k].problems_solved += r["n"]
    if dimension == "broker":
        solved = overseas.filter(kind=OverseasServiceKind.PROBLEM_SOLVED).filter(
            _in("occurred_on", start, end))
        for k, r in _grouped(solved, "broker_id", n=Count("id")).items():
            if k in rows:
                rows[k].problems_solved += r["n"]
    return [rows[k] for k in keys]


def total(rows: list[Kpi], label: str = "合计") -> Kpi:
    out = Kpi(label=label)
    for r in rows:
        for name in ("visits", "cases_opened", "proposed", "accepted", "contracts", "amount",
                     "problems_solved", "cases_signed"):
            setattr(out, name, getattr(out, name) + getattr(r, name))
    return out


@dataclass
class Queue:
    """A user's work queue: what is due, what is open, what is late."""

    today: dt.date
    follow_ups: list = field(default_factory=list)
    reminders: list = field(default_factory=list)
    open_cases: list = field(default_factory=list)
    pending_candidates: list = field(default_factory=list)
    overdue_tasks: list = field(default_factory=list)
    upcoming_tasks: list = field(default_factory=list)
    event_follow_ups: list = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any((self.follow_ups, self.reminders, self.open_cases,
                        self.pending_candidates, self.overdue_tasks, self.upcoming_tasks,
                        self.event_follow_ups))


def work_queue(user, today: dt.date) -> Queue:
    """Due follow-ups and reminders (within a week or late), the user's open cases and
    pending responses, their 专班 tasks (overdue first) and event follow-ups."""
    horizon = today + dt.timedelta(days=QUEUE_HORIZON_DAYS)
    q = Queue(today=today)
    q.follow_ups = list(Visit.objects.filter(
        broker__user=user, follow_up_due__isnull=False, follow_up_done_on__isnull=True,
        follow_up_due__lte=horizon).select_related("enterprise").order_by("follow_up_due"))
    q.reminders = list(CaseReminder.objects.filter(
        case__owner__user=user, done_on__isnull=True, due_on__lte=horizon,
    ).exclude(case__status__in=CLOSED_CASE_STATUSES).select_related("case", "activity")
        .order_by("due_on"))
    q.open_cases = list(Case.objects.filter(owner__user=user).exclude(
        status__in=CLOSED_CASE_STATUSES).select_related("enterprise").order_by("opened_on"))
    q.pending_candidates = list(CaseCandidate.objects.filter(
        Q(case__owner__user=user) | Q(expert__user=user), response=ResponseStatus.PENDING,
    ).exclude(case__status__in=CLOSED_CASE_STATUSES).select_related(
        "case", "achievement", "expert").order_by("proposed_on"))
    tasks = TaskItem.objects.filter(owner=user, status__in=OPEN_TASK_STATUSES).order_by(
        "deadline")
    q.overdue_tasks = [t for t in tasks if t.deadline < today]
    q.upcoming_tasks = [t for t in tasks if today <= t.deadline <= horizon]
    q.event_follow_ups = list(EventFollowUp.objects.filter(
        owner=user, done_on__isnull=True).select_related("event").order_by("due_on"))
    return q
