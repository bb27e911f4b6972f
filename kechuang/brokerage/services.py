"""Every write of the brokerage app. Atomic, scope-checked, audited in the same transaction."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from kechuang.accounts.scope import region_allowed
from kechuang.audit import record
from kechuang.audit.events import CREATE, UPDATE
from kechuang.core.errors import OutOfScope, raise_if

from . import events
from .choices import (
    CLOSED_CASE_STATUSES,
    ActivityKind,
    AssignmentBasis,
    CandidateKind,
    CaseOutcome,
    CaseStatus,
    IntroductionKind,
    MeetingStatus,
    OverseasServiceKind,
    PresentationKind,
    RegistrationStatus,
    ResponseStatus,
    TaskStatus,
)
from .models import (
    Broker,
    Case,
    CaseActivity,
    CaseCandidate,
    CaseReminder,
    Event,
    EventFollowUp,
    EventPresentation,
    EventRegistration,
    Introduction,
    MeetingRequest,
    MeetingSlot,
    OverseasService,
    PortfolioAssignment,
    TaskItem,
    TechContract,
    Visit,
)
from .validation import (
    broker_errors,
    case_open_errors,
    contract_errors,
    event_errors,
    overseas_errors,
    response_errors,
    slot_errors,
    task_errors,
    today,
    visit_errors,
)

BROKER_FIELDS = ("user", "name", "organisation", "certificate_number", "grade", "fields",
                 "region", "phone", "is_active")
VISIT_FIELDS = ("broker", "enterprise", "visited_on", "kind", "people_met", "problems_found",
                "summary", "follow_up", "follow_up_due")
TASK_FIELDS = ("title", "campaign", "description", "owner", "region", "deadline", "status")
EVENT_FIELDS = ("title", "kind", "organiser", "starts_on", "ends_on", "venue", "is_online",
                "region", "description")
REGISTRATION_FIELDS = ("name", "organisation", "kind", "enterprise", "user")


# --- scope helpers ----------------------------------------------------------------------

def _check_region(actor, region, message: str) -> None:
    if actor is not None and not region_allowed(actor, region):
        raise OutOfScope(message)


def _enterprise_allowed(actor, enterprise) -> bool:
    """Staff by region; brokers and enterprises by their own scope (portfolio, membership)."""
    if actor is None or region_allowed(actor, enterprise.region):
        return True
    from kechuang.enterprises.models import Enterprise

    return Enterprise.objects.restrict(actor, "view").filter(pk=enterprise.pk).exists()


def _check_enterprise(actor, enterprise) -> None:
    if not _enterprise_allowed(actor, enterprise):
        raise OutOfScope("该企业不在您的数据权限范围内")


def _event_allowed(actor, event: Event) -> bool:
    if actor is None or region_allowed(actor, event.region):
        return True
    return Event.objects.restrict(actor, "view").filter(pk=event.pk).exists()


def _check_event(actor, event: Event) -> None:
    if not _event_allowed(actor, event):
        raise OutOfScope("该活动不在您的数据权限范围内")


def _check_visible(actor, obj, message: str) -> None:
    """A record named in a write must be one the actor may see (``restrict``), if any."""
    if obj is None or actor is None:
        return
    if not type(obj).objects.restrict(actor, "view").filter(pk=obj.pk).exists():
        raise OutOfScope(message)


def _pick(data: dict, fields: tuple[str, ...]) -> dict:
    return {k: v for k, v in data.items() if k in fields}


def _text(value) -> str:
    return (value or "").strip()


def broker_of(user) -> Broker | None:
    """The broker record of a user (``None`` for staff and others)."""
    if user is None or not getattr(user, "pk", None):
        return None
    return Broker.objects.filter(user=user).first()


# --- brokers ----------------------------------------------------------------------------

@transaction.atomic
def create_broker(*, actor, data: dict) -> Broker:
    data = _pick(data, BROKER_FIELDS)
    raise_if(broker_errors({"name": "", "organisation": "", "region": None, **data}))
    _check_region(actor, data["region"], "不能在您的数据权限范围之外登记科技经纪人")
    if data.get("user") is not None and Broker.objects.filter(user=data["user"]).exists():
        raise_if({"user": "该账号已绑定其他科技经纪人"})
    broker = Broker(**data, created_by=actor, updated_by=actor)
    broker.save()
    record.write(CREATE, broker, actor=actor)
    return broker


@transaction.atomic
def update_broker(*, actor, broker: Broker, data: dict) -> Broker:
    broker = Broker.objects.select_for_update().get(pk=broker.pk)
    before = record.snapshot(broker)
    data = _pick(data, BROKER_FIELDS)
    raise_if(broker_errors(data))
    _check_region(actor, broker.region, "该科技经纪人不在您的数据权限范围内")
    if data.get("user") is not None and Broker.objects.filter(user=data["user"]).exclude(
            pk=broker.pk).exists():
        raise_if({"user": "该账号已绑定其他科技经纪人"})
    for key, value in data.items():
        setattr(broker, key, value)
    _check_region(actor, broker.region, "不能把科技经纪人移到您的数据权限范围之外")
    broker.updated_by = actor
    broker.save()
    record.write(UPDATE, broker, actor=actor, before=before)
    return broker


# --- portfolios ---------------------------------------------------------------------------

@transaction.atomic
def assign_enterprise(*, actor, enterprise, broker: Broker, on: dt.date | None = None,
                      basis: str = AssignmentBasis.MANUAL, note: str = "",
                      ) -> PortfolioAssignment:
    """Put ``enterprise`` in ``broker``'s portfolio; an existing assignment ends that day."""
    on = on or today()
    _check_region(actor, enterprise.region, "该企业不在您的数据权限范围内")
    if not broker.is_active:
        raise_if({"broker": f"科技经纪人{broker}已不在册，不能分配企业"})
    current = (PortfolioAssignment.objects.select_for_update()
               .filter(enterprise=enterprise, ended_on__isnull=True).first())
    if current is not None:
        if current.broker_id == broker.pk:
            raise_if({"broker": f"{enterprise}已由{broker}负责"})
        if on < current.assigned_on:
            raise_if({"assigned_on": "分配日期不能早于当前分配的开始日期"
                                     f"{current.assigned_on:%Y-%m-%d}"})
        before = record.snapshot(current)
        current.ended_on = on
        current.updated_by = actor
        current.save(update_fields=["ended_on", "updated_by", "updated_at"])
        record.write(events.END_ASSIGNMENT, current, actor=actor, before=before,
                     related=enterprise, message=f"改由{broker}负责")
    assignment = PortfolioAssignment.objects.create(
        enterprise=enterprise, broker=broker, basis=basis, assigned_on=on, note=_text(note),
        created_by=actor, updated_by=actor)
    record.write(events.ASSIGN_ENTERPRISE, assignment, actor=actor, related=enterprise)
    return assignment


@transaction.atomic
def end_assignment(*, actor, assignment: PortfolioAssignment, on: dt.date | None = None,
                   note: str = "") -> PortfolioAssignment:
    assignment = PortfolioAssignment.objects.select_for_update().get(pk=assignment.pk)
    _check_region(actor, assignment.enterprise.region, "该企业不在您的数据权限范围内")
    if assignment.ended_on is not None:
        raise_if({"ended_on": "该分配已结束"})
    on = on or today()
    if on < assignment.assigned_on:
        raise_if({"ended_on": "结束日期不能早于分配日期"})
    before = record.snapshot(assignment)
    assignment.ended_on = on
    assignment.updated_by = actor
    assignment.save(update_fields=["ended_on", "updated_by", "updated_at"])
    record.write(events.END_ASSIGNMENT, assignment, actor=actor, before=before,
                 related=assignment.enterprise, message=note)
    return assignment


@transaction.atomic
def assign_by_rule(*, actor, broker: Broker, region=None, industry_prefix: str = "",
                   on: dt.date | None = None, reassign: bool = False) -> int:
    """Assign every enterprise of ``region`` (subtree) and/or industry to ``broker``.

    Enterprises already assigned to someone else keep their broker unless ``reassign``.
    Returns the number of enterprises newly assigned.
    """
    from kechuang.enterprises.models import Enterprise

    if region is None and not industry_prefix:
        raise_if({"__all__": "请至少指定区域或行业"})
    qs = Enterprise.objects.filter(is_active=True)
    if region is not None:
        qs = qs.filter(region__path__startswith=region.path)
    if industry_prefix:
        qs = qs.filter(industry_code__startswith=industry_prefix.strip().upper())
    current = dict(PortfolioAssignment.objects.filter(ended_on__isnull=True)
                   .values_list("enterprise_id", "broker_id"))
    basis = AssignmentBasis.INDUSTRY if industry_prefix else AssignmentBasis.REGION
    count = 0
    for enterprise in qs.select_related("region"):
        holder = current.get(enterprise.pk)
        if holder == broker.pk or (holder is not None and not reassign):
            continue
        assign_enterprise(actor=actor, enterprise=enterprise, broker=broker, on=on,
                          basis=basis)
        count += 1
    return count


# --- visits -------------------------------------------------------------------------------

@transaction.atomic
def log_visit(*, actor, data: dict) -> Visit:
    """Record a visit (走访). A broker logs under their own name by default."""
    data = _pick(data, VISIT_FIELDS)
    if data.get("broker") is None:
        data["broker"] = broker_of(actor)
    errors = visit_errors(data)
    if data.get("broker") is None:
        errors["broker"] = "请选择科技经纪人"
    raise_if(errors)
    _check_enterprise(actor, data["enterprise"])
    mine = broker_of(actor)
    if mine is not None and data["broker"].pk != mine.pk and not region_allowed(
            actor, data["enterprise"].region):
        raise OutOfScope("只能以本人名义登记走访")
    for key in ("people_met", "problems_found", "summary", "follow_up"):
        data[key] = _text(data.get(key))
    visit = Visit.objects.create(**data, created_by=actor, updated_by=actor)
    record.write(events.LOG_VISIT, visit, actor=actor, related=visit.enterprise)
    return visit


@transaction.atomic
def complete_follow_up(*, actor, visit: Visit, on: dt.date | None = None,
                       note: str = "") -> Visit:
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    _check_enterprise(actor, visit.enterprise)
    if not visit.follow_up_due:
        raise_if({"follow_up_due": "该走访没有待跟进事项"})
    if visit.follow_up_done_on is not None:
        raise_if({"follow_up_done_on": "该跟进事项已完成"})
    on = on or today()
    if on < visit.visited_on:
        raise_if({"follow_up_done_on": "完成日期不能早于走访日期"})
    before = record.snapshot(visit)
    visit.follow_up_done_on = on
    if note:
        visit.summary = f"{visit.summary}\n跟进：{_text(note)}".strip()
    visit.updated_by = actor
    visit.save()
    record.write(events.COMPLETE_FOLLOW_UP, visit, actor=actor, before=before,
                 related=visit.enterprise)
    return visit


# --- task-force work items ------------------------------------------------------------------

@transaction.atomic
def create_task(*, actor, data: dict, enterprises=()) -> TaskItem:
    data = _pick(data, TASK_FIELDS)
    raise_if(task_errors({"title": "", "deadline": None, "owner": None, **data}))
    if data.get("region") is None:
        raise_if({"region": "所属区域不能为空"})
    _check_region(actor, data["region"], "不能在您的数据权限范围之外创建专班任务")
    for enterprise in enterprises:
        _check_enterprise(actor, enterprise)
    task = TaskItem.objects.create(**data, created_by=actor, updated_by=actor)
    if enterprises:
        task.enterprises.set(enterprises)
    record.write(CREATE, task, actor=actor,
                 message="涉及企业：" + "、".join(e.name for e in enterprises))
    return task


@transaction.atomic
def update_task(*, actor, task: TaskItem, data: dict, enterprises=None) -> TaskItem:
    task = TaskItem.objects.select_for_update().get(pk=task.pk)
    before = record.snapshot(task)
    data = _pick(data, TASK_FIELDS)
    raise_if(task_errors(data))
    _check_region(actor, task.region, "该专班任务不在您的数据权限范围内")
    for key, value in data.items():
        setattr(task, key, value)
    _check_region(actor, task.region, "不能把专班任务移到您的数据权限范围之外")
    _apply_completion(task)
    task.updated_by = actor
    task.save()
    if enterprises is not None:
        for enterprise in enterprises:
            _check_enterprise(actor, enterprise)
        task.enterprises.set(enterprises)
    record.write(UPDATE, task, actor=actor, before=before)
    return task


def _apply_completion(task: TaskItem) -> None:
    if task.status == TaskStatus.DONE and task.completed_on is None:
        task.completed_on = today()
    elif task.status != TaskStatus.DONE:
        task.completed_on = None


@transaction.atomic
def set_task_status(*, actor, task: TaskItem, status: str, on: dt.date | None = None,
                    ) -> TaskItem:
    """The owner (or staff in the task's region) moves a task along."""
    task = TaskItem.objects.select_for_update().get(pk=task.pk)
    if status not in TaskStatus.values:
        raise_if({"status": "请选择有效的任务状态"})
    if task.owner_id != getattr(actor, "pk", None):
        _check_region(actor, task.region, "只有责任人或本区域工作人员可以更新该任务")
    before = record.snapshot(task)
    task.status = status
    task.completed_on = (on or today()) if status == TaskStatus.DONE else None
    task.updated_by = actor
    task.save()
    record.write(events.SET_TASK_STATUS, task, actor=actor, before=before)
    return task


# --- events -------------------------------------------------------------------------------

@transaction.atomic
def create_event(*, actor, data: dict) -> Event:
    data = _pick(data, EVENT_FIELDS)
    raise_if(event_errors({"title": "", "kind": "", "organiser": "", **data}))
    if data.get("region") is None:
        raise_if({"region": "举办区域不能为空"})
    _check_region(actor, data["region"], "不能在您的数据权限范围之外创建活动")
    event = Event.objects.create(**data, created_by=actor, updated_by=actor)
    record.write(CREATE, event, actor=actor)
    return event


@transaction.atomic
def update_event(*, actor, event: Event, data: dict) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    before = record.snapshot(event)
    data = _pick(data, EVENT_FIELDS)
    merged = {f: getattr(event, f) for f in EVENT_FIELDS}
    merged.update(data)
    raise_if(event_errors(merged))
    _check_region(actor, event.region, "该活动不在您的数据权限范围内")
    for key, value in data.items():
        setattr(event, key, value)
    _check_region(actor, event.region, "不能把活动移到您的数据权限范围之外")
    outside = [s for s in event.slots.all() if not (
        event.covers(timezone.localtime(s.starts_at).date())
        and event.covers(timezone.localtime(s.ends_at).date()))]
    if outside:
        raise_if({"ends_on": f"已有{len(outside)}个洽谈时段不在新的活动日期内，请先调整时段"})
    event.updated_by = actor
    event.save()
    record.write(UPDATE, event, actor=actor, before=before)
    return event


@transaction.atomic
def register_participant(*, actor, event: Event, data: dict,
                         approve: bool = False) -> EventRegistration:
    """Register for an event; staff may approve at once (``approve``)."""
    data = _pick(data, REGISTRATION_FIELDS)
    if not _text(data.get("name")):
        raise_if({"name": "参会人姓名不能为空"})
    organiser = actor is None or region_allowed(actor, event.region)
    if event.ends_on < today() and not organiser:
        raise_if({"__all__": f"活动已于{event.ends_on:%Y-%m-%d}结束，不能再报名"})
    if data.get("enterprise") is not None:
        _check_enterprise(actor, data["enterprise"])
    if approve:
        _check_region(actor, event.region, "只有活动所在区域的工作人员可以审核报名")
    elif not _event_allowed(actor, event) and data.get("user") != actor and data.get(
            "enterprise") is None:
        raise OutOfScope("该活动不在您的数据权限范围内")
    reg = EventRegistration.objects.create(
        event=event, **{**data, "name": _text(data["name"])},
        status=RegistrationStatus.APPROVED if approve else RegistrationStatus.PENDING,
        created_by=actor, updated_by=actor)
    record.write(events.REGISTER_PARTICIPANT, reg, actor=actor, related=event)
    return reg


@transaction.atomic
def decide_registration(*, actor, registration: EventRegistration,
                        approve: bool) -> EventRegistration:
    reg = EventRegistration.objects.select_for_update(of=("self",)).select_related("event").get(
        pk=registration.pk)
    _check_region(actor, reg.event.region, "只有活动所在区域的工作人员可以审核报名")
    if reg.checked_in_at is not None:
        raise_if({"status": "已签到的报名不能再改审核结果"})
    before = record.snapshot(reg)
    reg.status = RegistrationStatus.APPROVED if approve else RegistrationStatus.REJECTED
    reg.updated_by = actor
    reg.save()
    record.write(events.DECIDE_REGISTRATION, reg, actor=actor, before=before,
                 related=reg.event)
    return reg


@transaction.atomic
def check_in(*, actor, registration: EventRegistration,
             at: dt.datetime | None = None) -> EventRegistration:
    """Check a participant in at the door; only approved registrations, only once."""
    reg = EventRegistration.objects.select_for_update(of=("self",)).select_related("event").get(
        pk=registration.pk)
    _check_region(actor, reg.event.region, "只有活动所在区域的工作人员可以办理签到")
    if reg.status != RegistrationStatus.APPROVED:
        raise_if({"status": f"报名状态为“{reg.get_status_display()}”，审核通过后才能签到"})
    if reg.checked_in_at is not None:
        when = timezone.localtime(reg.checked_in_at)
        raise_if({"checked_in_at": f"{reg.name}已于{when:%Y-%m-%d %H:%M}签到"})
    at = at or timezone.now()
    day = timezone.localtime(at).date()
    if not reg.event.covers(day):
        raise_if({"checked_in_at": (f"签到日期{day:%Y-%m-%d}不在活动日期"
                                    f"{reg.event.starts_on:%Y-%m-%d}至"
                                    f"{reg.event.ends_on:%Y-%m-%d}之内")})
    before = record.snapshot(reg)
    reg.checked_in_at = at
    reg.updated_by = actor
    reg.save()
    record.write(events.CHECK_IN, reg, actor=actor, before=before, related=reg.event)
    return reg


@transaction.atomic
def walk_in(*, actor, event: Event, data: dict,
            at: dt.datetime | None = None) -> EventRegistration:
    """On-site registration and check-in in one step."""
    reg = register_participant(actor=actor, event=event, data=data, approve=True)
    return check_in(actor=actor, registration=reg, at=at)


@transaction.atomic
def add_presentation(*, actor, event: Event, data: dict) -> EventPresentation:
    _check_region(actor, event.region, "该活动不在您的数据权限范围内")
    title = _text(data.get("title"))
    kind = data.get("kind") or PresentationKind.ACHIEVEMENT
    errors = {}
    if not title and data.get("achievement") is None:
        errors["title"] = "请填写推介的成果或项目名称"
    if kind not in PresentationKind.values:
        errors["kind"] = "请选择推介类别"
    raise_if(errors)
    achievement = data.get("achievement")
    pres = EventPresentation(event=event, kind=kind, title=title or str(achievement),
                             presenter=_text(data.get("presenter")),
                             created_by=actor, updated_by=actor)
    if achievement is not None and hasattr(pres, "achievement_id"):
        pres.achievement = achievement
        pres.kind = PresentationKind.ACHIEVEMENT
    pres.save()
    record.write(events.PRESENT, pres, actor=actor, related=event)
    return pres


@transaction.atomic
def add_slot(*, actor, event: Event, starts_at: dt.datetime, ends_at: dt.datetime,
             table: str) -> MeetingSlot:
    _check_region(actor, event.region, "该活动不在您的数据权限范围内")
    errors = slot_errors(event, starts_at, ends_at)
    if not _text(table):
        errors["table"] = "请填写桌号"
    raise_if(errors)
    if MeetingSlot.objects.filter(event=event, starts_at=starts_at, table=_text(table)).exists():
        raise_if({"table": f"{_text(table)}号桌该时段已安排"})
    slot = MeetingSlot.objects.create(event=event, starts_at=starts_at, ends_at=ends_at,
                                      table=_text(table), created_by=actor, updated_by=actor)
    record.write(CREATE, slot, actor=actor, related=event)
    return slot


def _party_allowed(actor, reg: EventRegistration) -> bool:
    if actor is None or region_allowed(actor, reg.event.region):
        return True
    if reg.user_id and reg.user_id == actor.pk:
        return True
    return bool(reg.enterprise_id) and reg.enterprise.members.filter(pk=actor.pk).exists()


@transaction.atomic
def request_meeting(*, actor, requester: EventRegistration, invitee: EventRegistration,
                    topic: str = "") -> MeetingRequest:
    errors = {}
    if requester.event_id != invitee.event_id:
        errors["invitee"] = "双方须报名同一活动"
    elif requester.pk == invitee.pk:
        errors["invitee"] = "不能向自己发起洽谈"
    for field_name, reg in (("requester", requester), ("invitee", invitee)):
        if reg.status != RegistrationStatus.APPROVED:
            errors.setdefault(field_name, f"{reg.name}的报名尚未审核通过")
    raise_if(errors)
    if not _party_allowed(actor, requester):
        raise OutOfScope("只能以本人或本企业的报名发起洽谈")
    if MeetingRequest.objects.filter(
            requester=requester, invitee=invitee,
            status__in=[MeetingStatus.REQUESTED, MeetingStatus.ACCEPTED]).exists():
        raise_if({"invitee": f"已向{invitee.name}发起过洽谈请求"})
    meeting = MeetingRequest.objects.create(
        event=requester.event, requester=requester, invitee=invitee, topic=_text(topic),
        created_by=actor, updated_by=actor)
    record.write(events.REQUEST_MEETING, meeting, actor=actor, related=requester.event)
    return meeting


@transaction.atomic
def respond_meeting(*, actor, meeting: MeetingRequest, accept: bool,
                    slot: MeetingSlot | None = None) -> MeetingRequest:
    """The invitee (or the organiser) accepts with a slot and table, or declines."""
    meeting = MeetingRequest.objects.select_for_update(of=("self",)).select_related(
        "event", "invitee__enterprise").get(pk=meeting.pk)
    if not _party_allowed(actor, meeting.invitee):
        raise OutOfScope("只有受邀方或主办方可以答复该洽谈")
    if meeting.status != MeetingStatus.REQUESTED:
        raise_if({"status": f"该洽谈{meeting.get_status_display()}"})
    before = record.snapshot(meeting)
    if accept:
        if slot is None:
            raise_if({"slot": "接受洽谈须选择时段和桌号"})
        if slot.event_id != meeting.event_id:
            raise_if({"slot": "所选时段不属于该活动"})
        raise_if(slot_errors(meeting.event, slot.starts_at, slot.ends_at))
        if MeetingRequest.objects.filter(slot=slot).exists():
            raise_if({"slot": f"时段{slot}已被占用"})
        busy = MeetingRequest.objects.filter(
            status=MeetingStatus.ACCEPTED, slot__starts_at=slot.starts_at,
        ).filter(requester__in=[meeting.requester_id, meeting.invitee_id]) | \
            MeetingRequest.objects.filter(
                status=MeetingStatus.ACCEPTED, slot__starts_at=slot.starts_at,
                invitee__in=[meeting.requester_id, meeting.invitee_id])
        if busy.exists():
            raise_if({"slot": "一方在该时段已有其他洽谈"})
        meeting.slot = slot
        meeting.status = MeetingStatus.ACCEPTED
    else:
        meeting.status = MeetingStatus.DECLINED
    meeting.responded_at = timezone.now()
    meeting.updated_by = actor
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError:
        raise_if({"slot": "该时段已被占用"})
    record.write(events.RESPOND_MEETING, meeting, actor=actor, before=before,
                 related=meeting.event)
    return meeting


@transaction.atomic
def add_event_follow_up(*, actor, event: Event, action: str, due_on: dt.date | None = None,
                        enterprise=None, owner=None) -> EventFollowUp:
    _check_region(actor, event.region, "该活动不在您的数据权限范围内")
    if not _text(action):
        raise_if({"action": "请填写跟进事项"})
    if due_on is not None and due_on < event.starts_on:
        raise_if({"due_on": "跟进期限不能早于活动开始日期"})
    item = EventFollowUp.objects.create(event=event, action=_text(action), due_on=due_on,
                                        enterprise=enterprise, owner=owner or actor,
                                        created_by=actor, updated_by=actor)
    record.write(CREATE, item, actor=actor, related=event)
    return item


@transaction.atomic
def complete_event_follow_up(*, actor, item: EventFollowUp,
                             on: dt.date | None = None) -> EventFollowUp:
    item = (EventFollowUp.objects.select_for_update(of=("self",)).select_related("event")
            .get(pk=item.pk))
    if item.owner_id != getattr(actor, "pk", None):
        _check_region(actor, item.event.region, "只有责任人或主办方可以完成该跟进事项")
    if item.done_on is not None:
        raise_if({"done_on": "该跟进事项已完成"})
    before = record.snapshot(item)
    item.done_on = on or today()
    item.updated_by = actor
    item.save()
    record.write(UPDATE, item, actor=actor, before=before, related=item.event)
    return item


@transaction.atomic
def record_introduction(*, actor, data: dict) -> Introduction:
    """Record a team or an achievement introduced into the district."""
    errors = {}
    kind = data.get("kind")
    if kind not in IntroductionKind.values:
        errors["kind"] = "请选择引进类别（科技创新团队/科技成果）"
    if not _text(data.get("title")):
        errors["title"] = "请填写团队或成果名称"
    if data.get("introduced_on") is None:
        errors["introduced_on"] = "引进日期不能为空"
    elif data["introduced_on"] > today():
        errors["introduced_on"] = "引进日期不能晚于今天"
    if data.get("enterprise") is None:
        errors["enterprise"] = "请选择承接企业"
    raise_if(errors)
    _check_enterprise(actor, data["enterprise"])
    fields = {k: data.get(k) for k in ("kind", "introduced_on", "enterprise", "event",
                                       "broker")}
    intro = Introduction(**fields, title=_text(data["title"]), source=_text(data.get("source")),
                         created_by=actor, updated_by=actor)
    for extra in ("achievement", "contract"):
        if data.get(extra) is not None and hasattr(intro, f"{extra}_id"):
            setattr(intro, extra, data[extra])
    intro.save()
    record.write(events.RECORD_INTRODUCTION, intro, actor=actor, related=intro.enterprise)
    return intro


# --- cases --------------------------------------------------------------------------------

def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, candidate_day)
        except ValueError:
            continue
    raise ValueError(day)


REMINDER_MONTHS = (3, 6, 12)


def _check_case(actor, case: Case) -> None:
    """Staff by region; the owning broker by ownership."""
    if actor is None or region_allowed(actor, case.enterprise.region):
        return
    if case.owner.user_id and case.owner.user_id == actor.pk:
        return
    raise OutOfScope("该案件不在您的数据权限范围内")


def _lock_case(case: Case) -> Case:
    return (Case.objects.select_for_update(of=("self",))
            .select_related("enterprise__region", "owner").get(pk=case.pk))


@transaction.atomic
def open_case(*, actor, demand, owner: Broker | None = None, opened_on: dt.date | None = None,
              event: Event | None = None, title: str = "") -> Case:
    """Turn a demand into a case with an owner (the acting broker by default)."""
    owner = owner or broker_of(actor)
    errors = {}
    if owner is None:
        errors["owner"] = "请指定负责的科技经纪人"
    elif not owner.is_active:
        errors["owner"] = f"科技经纪人{owner}已不在册"
    opened_on = opened_on or today()
    if opened_on > today():
        errors["opened_on"] = "立案日期不能晚于今天"
    if event is not None and opened_on < event.starts_on:
        errors["event"] = "立案日期不能早于来源活动的开始日期"
    raise_if(errors)
    _check_enterprise(actor, demand.enterprise)
    if Case.objects.filter(demand=demand).exclude(status__in=CLOSED_CASE_STATUSES).exists():
        raise_if({"demand": f"需求“{demand}”已有进行中的案件"})
    case = Case.objects.create(
        demand=demand, enterprise=demand.enterprise, owner=owner,
        title=_text(title) or demand.title, opened_on=opened_on, event=event,
        created_by=actor, updated_by=actor)
    record.write(events.OPEN_CASE, case, actor=actor, related=demand.enterprise)
    return case


@transaction.atomic
def reassign_case(*, actor, case: Case, owner: Broker, note: str = "") -> Case:
    case = _lock_case(case)
    _check_region(actor, case.enterprise.region, "只有本区域工作人员可以变更案件负责人")
    if case.is_closed:
        raise_if(case_open_errors(case))
    if not owner.is_active:
        raise_if({"owner": f"科技经纪人{owner}已不在册"})
    before = record.snapshot(case)
    case.owner = owner
    case.updated_by = actor
    case.save()
    record.write(events.REASSIGN_CASE, case, actor=actor, before=before, message=note)
    return case


@transaction.atomic
def propose_candidate(*, actor, case: Case, achievement=None, expert=None, suggestion=None,
                      on: dt.date | None = None, note: str = "") -> CaseCandidate:
    """Push an achievement or an expert/overseas engineer to the case's enterprise."""
    case = _lock_case(case)
    _check_case(actor, case)
    raise_if(case_open_errors(case))
    if (achievement is None) == (expert is None):
        raise_if({"__all__": "请选择一项科技成果或一位专家/海外工程师"})
    on = on or today()
    if on < case.opened_on:
        raise_if({"proposed_on": "推送日期不能早于立案日期"})
    if on > today():
        raise_if({"proposed_on": "推送日期不能晚于今天"})
    kind = CandidateKind.ACHIEVEMENT if achievement is not None else CandidateKind.EXPERT
    dup = CaseCandidate.objects.filter(case=case, achievement=achievement, expert=expert)
    if dup.exists():
        raise_if({"__all__": f"“{achievement or expert}”已推送过该案件"})
    candidate = CaseCandidate.objects.create(
        case=case, kind=kind, achievement=achievement, expert=expert, suggestion=suggestion,
        proposed_on=on, note=_text(note), created_by=actor, updated_by=actor)
    record.write(events.PROPOSE_CANDIDATE, candidate, actor=actor, related=case)
    return candidate


def matching_candidates(case: Case, limit: int = 5) -> list[tuple[str, object, object]]:
    """``(kind, target, suggestion)`` for the case's demand: the matching layer's open
    suggestions first; without any, achievements and experts of the same 技术领域."""
    from kechuang.achievements.models import Achievement
    from kechuang.experts.models import Expert
    from kechuang.matching.models import MatchSuggestion

    taken_a = set(case.candidates.values_list("achievement_id", flat=True))
    taken_e = set(case.candidates.values_list("expert_id", flat=True))
    out: list[tuple[str, object, object]] = []
    suggestions = (MatchSuggestion.objects.filter(demand=case.demand, status="open")
                   .exclude(target_kind__in=["demand", "enterprise"])
                   .select_related("achievement", "expert").order_by("rank", "-score"))
    for s in suggestions:
        if s.target_kind == "achievement" and s.achievement_id not in taken_a:
            out.append((CandidateKind.ACHIEVEMENT, s.achievement, s))
        elif s.expert_id and s.expert_id not in taken_e:
            out.append((CandidateKind.EXPERT, s.expert, s))
        if len(out) >= limit:
            return out
    if out or not case.demand.field:
        return out
    achievements = Achievement.objects.filter(
        field=case.demand.field, status__in=["published", "transferred"],
    ).exclude(pk__in=taken_a).order_by("-id")[:limit]
    out.extend((CandidateKind.ACHIEVEMENT, a, None) for a in achievements)
    # JSON list containment differs between SQLite and PostgreSQL: filter in Python.
    experts = Expert.objects.filter(status="active").exclude(pk__in=taken_e).order_by("-id")
    out.extend((CandidateKind.EXPERT, e, None) for e in experts[:500]
               if case.demand.field in (e.fields or []))
    return out[:limit]


@transaction.atomic
def propose_from_matching(*, actor, case: Case, limit: int = 5,
                          on: dt.date | None = None) -> list[CaseCandidate]:
    created = []
    for kind, target, suggestion in matching_candidates(case, limit):
        created.append(propose_candidate(
            actor=actor, case=case, suggestion=suggestion, on=on,
            achievement=target if kind == CandidateKind.ACHIEVEMENT else None,
            expert=target if kind == CandidateKind.EXPERT else None,
            note="来自匹配推荐" if suggestion else "同技术领域"))
    return created


def _is_overseas(expert) -> bool:
    return expert is not None and expert.kind == "overseas_engineer"


def _may_respond(actor, candidate: CaseCandidate) -> bool:
    case = candidate.case
    if actor is None or region_allowed(actor, case.enterprise.region):
        return True
    if case.owner.user_id == actor.pk:
        return True
    if candidate.expert_id and candidate.expert.user_id == actor.pk:
        return True
    return case.enterprise.members.filter(pk=actor.pk).exists()


@transaction.atomic
def record_response(*, actor, candidate: CaseCandidate, accepted: bool,
                    reason: str = "", note: str = "", on: dt.date | None = None,
                    ) -> CaseCandidate:
    """Accepted, or declined with a reason from the fixed list; once per candidate.

    An accepted overseas engineer is a match (对接) and is written to the service record.
    """
    candidate = CaseCandidate.objects.select_for_update(of=("self",)).select_related(
        "case__enterprise__region", "case__owner", "expert").get(pk=candidate.pk)
    if not _may_respond(actor, candidate):
        raise OutOfScope("该推送不在您的数据权限范围内")
    raise_if(case_open_errors(candidate.case))
    if candidate.response != ResponseStatus.PENDING:
        raise_if({"response": f"该推送已反馈为“{candidate.get_response_display()}”"})
    status = ResponseStatus.ACCEPTED if accepted else ResponseStatus.DECLINED
    raise_if(response_errors(status, reason or ""))
    on = on or today()
    if on < candidate.proposed_on or on > today():
        raise_if({"responded_on": "反馈日期应在推送日期与今天之间"})
    before = record.snapshot(candidate)
    candidate.response = status
    candidate.decline_reason = "" if accepted else reason
    candidate.response_note = _text(note)
    candidate.responded_on = on
    candidate.updated_by = actor
    candidate.save()
    record.write(events.RECORD_RESPONSE, candidate, actor=actor, before=before,
                 related=candidate.case)
    if accepted and _is_overseas(candidate.expert):
        _write_overseas(actor, kind=OverseasServiceKind.MATCH, on=on,
                        enterprise=candidate.case.enterprise, engineer=candidate.expert,
                        broker=candidate.case.owner, case=candidate.case,
                        description=f"案件“{candidate.case}”对接")
    return candidate


@transaction.atomic
def record_activity(*, actor, case: Case, kind: str, held_on: dt.date, summary: str,
                    participants: str = "", candidate: CaseCandidate | None = None,
                    ) -> CaseActivity:
    """A meeting or negotiation; a meeting schedules return visits at 3, 6 and 12 months."""
    case = _lock_case(case)
    _check_case(actor, case)
    raise_if(case_open_errors(case))
    errors = {}
    if kind not in ActivityKind.values:
        errors["kind"] = "请选择会谈、谈判或跟进记录"
    if held_on is None:
        errors["held_on"] = "日期不能为空"
    elif held_on < case.opened_on:
        errors["held_on"] = f"日期不能早于立案日期{case.opened_on:%Y-%m-%d}"
    elif held_on > today():
        errors["held_on"] = "日期不能晚于今天"
    if not _text(summary):
        errors["summary"] = "请填写情况"
    if candidate is not None and candidate.case_id != case.pk:
        errors["candidate"] = "所选候选不属于该案件"
    raise_if(errors)
    activity = CaseActivity.objects.create(
        case=case, kind=kind, held_on=held_on, summary=_text(summary),
        participants=_text(participants), candidate=candidate,
        created_by=actor, updated_by=actor)
    record.write(events.RECORD_ACTIVITY, activity, actor=actor, related=case)
    if kind == ActivityKind.MEETING:
        for months in REMINDER_MONTHS:
            CaseReminder.objects.create(case=case, activity=activity, months_after=months,
                                        due_on=_add_months(held_on, months),
                                        created_by=actor, updated_by=actor)
    if kind == ActivityKind.NEGOTIATION and case.status == CaseStatus.OPEN:
        before = record.snapshot(case)
        case.status = CaseStatus.NEGOTIATING
        case.updated_by = actor
        case.save()
        record.write(UPDATE, case, actor=actor, before=before, message="进入洽谈")
    return activity


@transaction.atomic
def complete_reminder(*, actor, reminder: CaseReminder,
                      on: dt.date | None = None) -> CaseReminder:
    reminder = CaseReminder.objects.select_for_update(of=("self",)).select_related(
        "case__enterprise__region", "case__owner").get(pk=reminder.pk)
    _check_case(actor, reminder.case)
    if reminder.done_on is not None:
        raise_if({"done_on": "该回访已完成"})
    before = record.snapshot(reminder)
    reminder.done_on = on or today()
    reminder.updated_by = actor
    reminder.save()
    record.write(events.COMPLETE_REMINDER, reminder, actor=actor, before=before,
                 related=reminder.case)
    return reminder


@transaction.atomic
def close_case(*, actor, case: Case, outcome: str, on: dt.date | None = None,
               note: str = "") -> Case:
    """Record the outcome: contract signed, problem solved, or closed with a reason."""
    case = _lock_case(case)
    _check_case(actor, case)
    raise_if(case_open_errors(case))
    on = on or today()
    errors = {}
    if outcome not in CaseOutcome.values:
        errors["outcome"] = "请选择结果：签订技术合同、问题已解决或关闭"
    if on < case.opened_on or on > today():
        errors["closed_on"] = "结案日期应在立案日期与今天之间"
    if outcome == CaseOutcome.CLOSED and not _text(note):
        errors["outcome_note"] = "关闭案件须说明原因"
    if outcome == CaseOutcome.CONTRACT_SIGNED and not case.contracts.exists():
        errors["outcome"] = "尚未登记该案件的技术合同，请先登记合同"
    raise_if(errors)
    before = record.snapshot(case)
    case.status = outcome
    case.closed_on = on
    case.outcome_note = _text(note)
    case.updated_by = actor
    case.save()
    record.write(events.CLOSE_CASE, case, actor=actor, before=before, message=case.outcome_note)
    if outcome == CaseOutcome.PROBLEM_SOLVED:
        engineer_ids = case.candidates.filter(
            response=ResponseStatus.ACCEPTED, expert__kind="overseas_engineer",
        ).values_list("expert_id", flat=True)
        from kechuang.experts.models import Expert

        for engineer in Expert.objects.filter(pk__in=list(engineer_ids)):
            _write_overseas(actor, kind=OverseasServiceKind.PROBLEM_SOLVED, on=on,
                            enterprise=case.enterprise, engineer=engineer, broker=case.owner,
                            case=case, description=case.outcome_note or case.title)
    return case


# --- technology contracts -------------------------------------------------------------------

CONTRACT_FIELDS = ("kind", "title", "enterprise", "seller", "amount", "signed_on",
                   "registration_number", "registered_on", "case", "event", "achievement",
                   "broker")


@transaction.atomic
def register_contract(*, actor, data: dict) -> TechContract:
    """Register a technology contract; it closes its case as signed and, when it names an
    achievement, records the achievement as introduced (引进科技成果)."""
    data = _pick(data, CONTRACT_FIELDS)
    data["registration_number"] = _text(data.get("registration_number")).upper()
    errors = contract_errors(data)
    case = data.get("case")
    if case is not None:
        case = _lock_case(case)
        data["case"] = case
        if case.status in (CaseStatus.SOLVED, CaseStatus.CLOSED):
            errors["case"] = f"案件{case.get_status_display()}，不能再登记合同"
        if data.get("enterprise") is not None and case.enterprise_id != data["enterprise"].pk:
            errors["enterprise"] = "买方企业应为案件的需求企业"
        if data.get("signed_on") and data["signed_on"] < case.opened_on:
            errors["signed_on"] = "签订日期不能早于案件立案日期"
        if data.get("broker") is None:
            data["broker"] = case.owner
    if (data.get("registration_number") and "registration_number" not in errors
            and TechContract.objects.filter(
                registration_number=data["registration_number"]).exists()):
        errors["registration_number"] = f"登记编号{data['registration_number']}已登记"
    raise_if(errors)
    if case is not None:
        _check_case(actor, case)
    else:
        _check_enterprise(actor, data["enterprise"])
    if data.get("event") is not None and (case is None or case.event_id != data["event"].pk):
        _check_event(actor, data["event"])
    achievement = data.get("achievement")
    if achievement is not None and not achievement.is_visible:  # published: open to all
        _check_visible(actor, achievement, "该科技成果不在您的数据权限范围内")
    if case is None or data.get("broker") != case.owner:  # the case's own broker needs no check
        _check_visible(actor, data.get("broker"), "该科技经纪人不在您的数据权限范围内")
    contract = TechContract.objects.create(**{**data, "title": _text(data["title"]),
                                              "seller": _text(data["seller"])},
                                           created_by=actor, updated_by=actor)
    record.write(events.REGISTER_CONTRACT, contract, actor=actor, related=contract.enterprise)
    if case is not None and case.status != CaseStatus.SIGNED:
        before = record.snapshot(case)
        case.status = CaseStatus.SIGNED
        case.closed_on = contract.signed_on
        case.outcome_note = f"签订技术合同{contract.registration_number}"
        case.updated_by = actor
        case.save()
        record.write(events.CLOSE_CASE, case, actor=actor, before=before,
                     message=case.outcome_note)
    achievement = contract.achievement
    if achievement is not None and not Introduction.objects.filter(
            achievement=achievement, enterprise=contract.enterprise).exists():
        record_introduction(actor=actor, data={
            "kind": IntroductionKind.ACHIEVEMENT, "title": achievement.title,
            "introduced_on": contract.registered_on, "enterprise": contract.enterprise,
            "source": contract.seller, "event": contract.event, "broker": contract.broker,
            "achievement": achievement, "contract": contract})
    return contract


# --- overseas engineers -----------------------------------------------------------------------

OVERSEAS_FIELDS = ("kind", "occurred_on", "enterprise", "engineer", "broker", "platform",
                   "project_title", "description", "case")


def _write_overseas(actor, **data) -> OverseasService:
    on = data.pop("on")
    item = OverseasService.objects.create(occurred_on=on, created_by=actor, updated_by=actor,
                                          **data)
    record.write(events.RECORD_OVERSEAS_SERVICE, item, actor=actor, related=item.enterprise)
    return item


@transaction.atomic
def record_overseas_service(*, actor, data: dict) -> OverseasService:
    """A dated match, talent project, enterprise service or problem solved."""
    data = _pick(data, OVERSEAS_FIELDS)
    if data.get("broker") is None and not _text(data.get("platform")):
        data["broker"] = broker_of(actor)
    errors = overseas_errors(data)
    engineer = data.get("engineer")
    if engineer is not None and not _is_overseas(engineer):
        errors["engineer"] = f"{engineer}不是海外工程师"
    raise_if(errors)
    _check_enterprise(actor, data["enterprise"])
    for key in ("platform", "project_title", "description"):
        data[key] = _text(data.get(key))
    data["on"] = data.pop("occurred_on")
    return _write_overseas(actor, **data)
