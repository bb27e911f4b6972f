"""Brokerage pages: thin views over the generic ones; every write calls a service."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from kechuang.core.errors import first_messages
from kechuang.core.money import format_amount
from kechuang.core.views import ObjectDetailView, ObjectEditView, ObjectListView, require_perm

from . import kpi, services
from .filtersets import (
    BrokerFilterSet,
    CaseFilterSet,
    EventFilterSet,
    OverseasServiceFilterSet,
    TaskItemFilterSet,
    TechContractFilterSet,
    VisitFilterSet,
)
from .forms import CaseOpenForm, TechContractForm, VisitForm
from .models import (
    Broker,
    Case,
    CaseCandidate,
    Event,
    OverseasService,
    TaskItem,
    TechContract,
    Visit,
)
from .validation import today


class BrokerListView(ObjectListView):
    model = Broker
    filterset_class = BrokerFilterSet
    importer_name = "brokers"
    columns = (("姓名", "name"), ("所在机构", "organisation"),
               ("等级", lambda b: b.get_grade_display()), ("擅长领域", "fields"),
               ("服务区域", lambda b: b.region.name))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("region")


class BrokerDetailView(ObjectDetailView):
    model = Broker
    template_name = "brokerage/broker_detail.html"

    def extra_context(self, request, obj):
        return {"assignments": obj.assignments.select_related("enterprise").order_by(
            "-assigned_on")[:200]}


class VisitListView(ObjectListView):
    model = Visit
    filterset_class = VisitFilterSet
    importer_name = "brokerage_visits"
    add_url_name = "brokerage:visit_add"
    import_url_name = "brokerage:visit_import"
    columns = (("走访日期", "visited_on"), ("企业", lambda v: v.enterprise.name),
               ("经纪人", lambda v: v.broker.name), ("方式", lambda v: v.get_kind_display()),
               ("发现的问题", "problems_found"), ("跟进期限", "follow_up_due"))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("enterprise", "broker")


class VisitDetailView(ObjectDetailView):
    model = Visit
    template_name = "brokerage/visit_detail.html"


class VisitEditView(ObjectEditView):
    model = Visit
    form_class = VisitForm
    template_name = "brokerage/visit_form.html"

    def get_form(self, request, obj, data=None):
        form = super().get_form(request, obj, data)
        if data is None and obj is None:
            form.initial["visited_on"] = today()
        return form

    def save(self, request, form, obj):
        return services.log_visit(actor=request.user, data=form.cleaned_data)


class CaseListView(ObjectListView):
    model = Case
    filterset_class = CaseFilterSet
    importer_name = "brokerage_cases"
    add_url_name = "brokerage:case_add"
    columns = (("案件", "title"), ("需求企业", lambda c: c.enterprise.name),
               ("负责经纪人", lambda c: c.owner.name), ("立案日期", "opened_on"),
               ("状态", lambda c: c.get_status_display()))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("enterprise", "owner")


class CaseOpenView(ObjectEditView):
    model = Case
    form_class = CaseOpenForm

    def get_form(self, request, obj, data=None):
        return CaseOpenForm(data, user=request.user, initial={"opened_on": today()})

    def save(self, request, form, obj):
        return services.open_case(actor=request.user, demand=form.cleaned_data["demand"],
                                  opened_on=form.cleaned_data["opened_on"])


class CaseDetailView(ObjectDetailView):
    model = Case
    template_name = "brokerage/case_detail.html"

    def extra_context(self, request, obj):
        return {
            "candidates": obj.candidates.select_related("achievement", "expert"),
            "activities": obj.activities.all(),
            "reminders": obj.reminders.all(),
            "contracts": obj.contracts.all(),
            "can_change": Case.objects.restrict(request.user, "change").filter(
                pk=obj.pk).exists(),
        }


class CaseActionView(View):
    """POST-only actions on a case (propose from matching, respond, meeting, close)."""

    def post(self, request, pk, action):
        require_perm(request.user, Case, "change")
        case = get_object_or_404(Case.objects.restrict(request.user, "change"), pk=pk)
        p = request.POST
        try:
            if action == "propose":
                created = services.propose_from_matching(actor=request.user, case=case)
                messages.success(request, f"已推送{len(created)}个候选")
            elif action == "respond":
                cand = get_object_or_404(CaseCandidate.objects.restrict(request.user, "change"),
                                         pk=p.get("candidate"), case=case)
                services.record_response(actor=request.user, candidate=cand,
                                         accepted=p.get("accepted") == "1",
                                         reason=p.get("reason", ""), note=p.get("note", ""))
            elif action == "activity":
                services.record_activity(
                    actor=request.user, case=case, kind=p.get("kind", ""),
                    held_on=dt.date.fromisoformat(p.get("held_on") or str(today())),
                    summary=p.get("summary", ""), participants=p.get("participants", ""))
            elif action == "close":
                services.close_case(actor=request.user, case=case, outcome=p.get("outcome", ""),
                                    note=p.get("note", ""))
            else:
                raise PermissionDenied("未知操作")
        except ValidationError as exc:
            for msg in first_messages(exc).values():
                messages.error(request, msg)
        except ValueError:
            messages.error(request, "日期格式应为YYYY-MM-DD")
        return redirect(case)


class EventListView(ObjectListView):
    model = Event
    filterset_class = EventFilterSet
    importer_name = "brokerage_events"
    columns = (("活动名称", "title"), ("类型", lambda e: e.get_kind_display()),
               ("主办单位", "organiser"), ("开始日期", "starts_on"), ("结束日期", "ends_on"),
               ("地点", lambda e: "线上" if e.is_online else e.venue))


class EventDetailView(ObjectDetailView):
    model = Event
    template_name = "brokerage/event_detail.html"

    def extra_context(self, request, obj):
        regs = obj.registrations.all()
        return {
            "checked_in": regs.filter(checked_in_at__isnull=False).count(),
            "registered": regs.count(),
            "presentations": obj.presentations.all(),
            "meetings": obj.meeting_requests.select_related("requester", "invitee", "slot"),
            "introductions": obj.introductions.all(),
            "cases": obj.cases.count(), "contracts": obj.contracts.count(),
            "follow_ups": obj.follow_ups.all(),
            "registrations": regs.select_related("enterprise").order_by("status", "name"),
            "free_slots": obj.slots.filter(meeting__isnull=True).order_by("starts_at", "table"),
            "can_manage": Event.objects.restrict(request.user, "change").filter(
                pk=obj.pk).exists(),
        }


class EventActionView(View):
    """POST-only staff actions on an event: review registrations, check in at the door,
    answer one-to-one meeting requests and add follow-ups. Each calls one service."""

    def post(self, request, pk, action):
        require_perm(request.user, Event, "change")
        event = get_object_or_404(Event.objects.restrict(request.user, "change"), pk=pk)
        p = request.POST
        try:
            if action in {"approve", "reject", "check_in"}:
                reg = get_object_or_404(event.registrations.all(), pk=p.get("registration"))
                if action == "check_in":
                    services.check_in(actor=request.user, registration=reg)
                    messages.success(request, f"{reg.name}已签到")
                else:
                    services.decide_registration(actor=request.user, registration=reg,
                                                 approve=action == "approve")
                    messages.success(request, f"已{'通过' if action == 'approve' else '驳回'}"
                                              f"{reg.name}的报名")
            elif action in {"meeting_accept", "meeting_decline"}:
                meeting = get_object_or_404(event.meeting_requests.all(), pk=p.get("meeting"))
                slot = None
                if action == "meeting_accept" and p.get("slot"):
                    slot = get_object_or_404(event.slots.all(), pk=p.get("slot"))
                services.respond_meeting(actor=request.user, meeting=meeting,
                                         accept=action == "meeting_accept", slot=slot)
                messages.success(request, "已答复洽谈请求")
            elif action == "follow_up":
                due = dt.date.fromisoformat(p["due_on"]) if p.get("due_on") else None
                services.add_event_follow_up(actor=request.user, event=event,
                                             action=p.get("action", ""), due_on=due)
                messages.success(request, "已添加跟进事项")
            else:
                raise PermissionDenied("未知操作")
        except ValidationError as exc:
            for msg in first_messages(exc).values():
                messages.error(request, msg)
        except ValueError:
            messages.error(request, "日期格式应为YYYY-MM-DD")
        return redirect("brokerage:event_detail", pk=event.pk)


class TechContractListView(ObjectListView):
    model = TechContract
    filterset_class = TechContractFilterSet
    importer_name = "tech_contracts"
    add_url_name = "brokerage:contract_add"
    columns = (("合同名称", "title"), ("登记编号", "registration_number"),
               ("类型", lambda c: c.get_kind_display()), ("买方", lambda c: c.enterprise.name),
               ("卖方", "seller"), ("金额", lambda c: format_amount(c.amount)),
               ("登记日期", "registered_on"))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("enterprise")


class TechContractDetailView(ObjectDetailView):
    model = TechContract
    template_name = "brokerage/contract_detail.html"


class TechContractEditView(ObjectEditView):
    model = TechContract
    form_class = TechContractForm

    def save(self, request, form, obj):
        return services.register_contract(actor=request.user, data=form.cleaned_data)


class OverseasServiceListView(ObjectListView):
    model = OverseasService
    filterset_class = OverseasServiceFilterSet
    importer_name = "overseas_services"
    columns = (("日期", "occurred_on"), ("类别", lambda r: r.get_kind_display()),
               ("海外工程师", lambda r: r.engineer.name), ("企业", lambda r: r.enterprise.name),
               ("经纪人/平台", lambda r: r.broker.name if r.broker else r.platform))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("engineer", "enterprise", "broker")


class TaskItemListView(ObjectListView):
    model = TaskItem
    filterset_class = TaskItemFilterSet
    importer_name = "brokerage_tasks"
    columns = (("任务", "title"), ("专项行动", lambda t: t.get_campaign_display()),
               ("责任人", lambda t: str(t.owner)), ("完成期限", "deadline"),
               ("状态", lambda t: t.get_status_display()))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("owner")


class TaskItemDetailView(ObjectDetailView):
    model = TaskItem
    template_name = "brokerage/task_detail.html"


def queue(request):
    """我的工作台: due follow-ups and reminders, open cases, overdue 专班 tasks."""
    return render(request, "brokerage/queue.html",
                  {"title": "我的工作台", "queue": kpi.work_queue(request.user, today())})


def kpi_page(request):
    """KPIs per broker (a broker sees their own row) for a period, with totals."""
    require_perm(request.user, Broker, "view")
    year = int(request.GET.get("year") or today().year)
    start = dt.date(year, 1, 1)
    end = min(dt.date(year, 12, 31), today())
    brokers = list(Broker.objects.restrict(request.user, "view").order_by("name"))
    u = request.user
    rows = kpi.kpis_by(
        "broker", [b.pk for b in brokers], {b.pk: b.name for b in brokers}, start, end,
        visits=Visit.objects.restrict(u, "view"), cases=Case.objects.restrict(u, "view"),
        candidates=CaseCandidate.objects.restrict(u, "view"),
        contracts=TechContract.objects.restrict(u, "view"),
        overseas=OverseasService.objects.restrict(u, "view"))
    return render(request, "brokerage/kpi.html", {
        "title": f"科技经纪人绩效（{year}年）", "rows": rows, "total": kpi.total(rows),
        "year": year, "years": range(2016, today().year + 1)})
