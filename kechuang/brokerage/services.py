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
    AssignmentBasis,
    IntroductionKind,
    MeetingStatus,
    PresentationKind,
    RegistrationStatus,
    TaskStatus,
)
from .models import (
    Broker,
    Event,
    EventFollowUp,
    EventPresentation,
    EventRegistration,
    Introduction,
    MeetingRequest,
    MeetingSlot,
    PortfolioAssignment,
    TaskItem,
    Visit,
)
from .validation import (
    broker_errors,
    event_errors,
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
    if event.ends_on < today() and not approve:
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
    reg = EventRegistration.objects.select_for_update().select_related("event").get(
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
    reg = EventRegistration.objects.select_for_update().select_related("event").get(
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
    meeting = MeetingRequest.objects.select_for_update().select_related(
        "event", "invitee__enterprise").get(pk=meeting.pk)
    if not _party_allowed(actor, meeting.invitee):
        raise OutOfScope("只有受邀方或主办方可以答复该洽谈")
    if meeting.status != MeetingStatus.REQUESTED:
        raise_if({"status": f"该洽谈已{meeting.get_status_display()}"})
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
    item = EventFollowUp.objects.select_for_update().select_related("event").get(pk=item.pk)
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
