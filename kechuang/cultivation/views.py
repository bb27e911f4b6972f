"""Cultivation pages: self-assessment, rule tables, pipeline, 清零 campaign, 免申即享.

Thin views: reads go through ``restrict(user, action)`` (out of scope → 404), writes through
``services``; missing functional permissions answer 403.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter, defaultdict
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, Sum
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from openpyxl import Workbook

from kechuang.audit import record
from kechuang.audit.events import EXPORT
from kechuang.core.filtering import search_text
from kechuang.core.forms import submitted_data
from kechuang.core.importing import escape_formula
from kechuang.core.money import format_amount, to_wan
from kechuang.core.views import ObjectListView, apply_service_errors, xlsx_response
from kechuang.enterprises.models import AnnualIndicator, Enterprise
from kechuang.regions.models import home_district

from . import assessment, candidates, events, pipeline, services
from .choices import EntitlementStatus, EntryStatus, Scheme, SubsidyKind
from .engine import SCHEMES, InputError
from .filtersets import CampaignEntryFilterSet, RuleRowFilterSet, SubsidyEntitlementFilterSet
from .forms import (
    AssessmentFiguresForm,
    AssignForm,
    CampaignForm,
    CandidateFilterForm,
    InterventionForm,
    PaymentForm,
    PolicyForm,
    ReviewForm,
)
from .models import (
    CampaignEntry,
    Intervention,
    RuleRow,
    SubsidyEntitlement,
    SubsidyPolicy,
    ZeroRdCampaign,
)


def need(user, *perms: str) -> None:
    if not all(user.has_perm(p) for p in perms):
        raise PermissionDenied("您没有此操作的权限")


def export_xlsx(request, title: str, headers, rows) -> object:
    """A plain workbook of ``rows`` (formula injection escaped); the export is audited."""
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(list(headers))
    for row in rows:
        ws.append([escape_formula(v) if isinstance(v, str) else v for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    record.write(EXPORT, request.user, actor=request.user, after=False,
                 message=f"导出{title}：{request.GET.urlencode()}"[:500])
    stamp = timezone.localtime().strftime("%Y%m%d%H%M%S")
    return xlsx_response(buf.getvalue(), f"导出{title}-{stamp}.xlsx")


def _parse_date(raw: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(raw) if raw else default
    except ValueError:
        return default


# ---------------------------------------------------------------------------------------------
# Self-assessment


def _assessable_enterprise(request, pk):
    need(request.user, "cultivation.run_assessment")
    qs = Enterprise.objects.restrict(request.user, "view").select_related("region")
    return get_object_or_404(qs.prefetch_related(
        Prefetch("annual_indicators", AnnualIndicator.objects.order_by("year")),
        "certifications", "awards", "standards"), pk=pk)


def default_as_of(enterprise) -> dt.date:
    """Today, unless last year's figures are not in yet: then mid-year after the latest
    recorded year, so the page opens on the most recent data (the date stays editable)."""
    today = timezone.localdate()
    years = [i.year for i in enterprise.annual_indicators.all()]
    if not years or max(years) >= today.year - 1:
        return today
    return dt.date(max(years) + 1, 6, 30)


def my_assessment(request):
    """Enterprise users go to their own enterprise; others pick one in their scope."""
    from kechuang.enterprises.filtersets import search_q

    need(request.user, "cultivation.run_assessment")
    scoped = Enterprise.objects.restrict(request.user, "view")
    if request.user.has_role("enterprise"):
        ent = scoped.order_by("pk").first()
        if ent is None:
            messages.info(request, "您的账号尚未绑定企业")
            return redirect("core:home")
        return redirect("cultivation:assessment", pk=ent.pk)
    q = search_text(request.GET.get("q") or "")
    found = scoped.filter(search_q(q)).select_related("region")[:50] if q else []
    return render(request, "cultivation/assessment_pick.html", {
        "title": "资质预评估", "q": q, "found": found})


class AssessmentView(View):
    """Run the engine on stored data (GET) or on figures typed into the form (POST).

    POST ``action=assess`` stores nothing; ``action=save`` stores the figures as annual
    indicators through the enterprise service, then shows the assessment.
    """

    template_name = "cultivation/assessment.html"

    def _setup(self, request, pk):
        self.enterprise = _assessable_enterprise(request, pk)
        params = request.POST if request.method == "POST" else request.GET
        self.scheme = params.get("scheme") if params.get("scheme") in SCHEMES else "tech-sme"
        self.as_of = _parse_date(params.get("as_of"), default_as_of(self.enterprise))
        self.years = assessment.required_years(self.scheme, self.as_of,
                                               self.enterprise.established_on)
        self.case = assessment.stored_case(self.enterprise, self.as_of)

    def get(self, request, pk):
        self._setup(request, pk)
        form = AssessmentFiguresForm(
            years=self.years, initial=AssessmentFiguresForm.initial_for(self.case, self.years))
        explained = assessment.explain_enterprise(self.enterprise, self.scheme, self.as_of,
                                                  self.case)
        return self.render(request, form, explained, source="stored")

    def post(self, request, pk):
        self._setup(request, pk)
        form = AssessmentFiguresForm(request.POST, years=self.years)
        if not form.is_valid():
            return self.render(request, form, None, source="typed", status=400)
        figures, ip = form.figures(), form.ip()
        if request.POST.get("action") == "save":
            need(request.user, "enterprises.add_annualindicator",
                 "enterprises.change_annualindicator")
            try:
                services.save_assessment_figures(actor=request.user, enterprise=self.enterprise,
                                                 figures=figures, ip=ip)
            except ValidationError as exc:
                self._apply_year_errors(form, exc)
                return self.render(request, form, None, source="typed", status=400)
            messages.success(request, "已保存为年度指标")
            return redirect(f"{request.path}?scheme={self.scheme}&as_of={self.as_of}")
        case = assessment.case_with_figures(self.case, figures, ip)
        explained = assessment.explain_enterprise(self.enterprise, self.scheme, self.as_of,
                                                  case)
        return self.render(request, form, explained, source="typed")

    @staticmethod
    def _apply_year_errors(form, exc: ValidationError) -> None:
        """``years.2019.st_staff`` → the form's ``y2019_st_staff``; ``ip_*`` stay as they are."""
        for key, messages_ in exc.message_dict.items():
            parts = key.split(".")
            name = f"y{parts[1]}_{parts[2]}" if len(parts) == 3 else key
            if name.startswith("y") and name.endswith(("ip_class1", "ip_class2",
                                                        "ip_class2_used")):
                name = name.split("_", 1)[1]
            for msg in messages_:
                form.add_error(name if name in form.fields else None, msg)

    def render(self, request, form, explained, source: str, status: int = 200):
        can_save = (request.user.has_perm("enterprises.add_annualindicator")
                    and request.user.has_perm("enterprises.change_annualindicator")
                    and Enterprise.objects.restrict(request.user, "view").filter(
                        pk=self.enterprise.pk).exists())
        blocks = [{"year": y, "fields": form.year_fields(y)} for y in self.years]
        return render(request, self.template_name, {
            "title": f"资质预评估：{self.enterprise.name}",
            "enterprise": self.enterprise, "form": form, "blocks": blocks,
            "explained": explained, "source": source, "scheme": self.scheme,
            "schemes": Scheme.choices, "as_of": self.as_of, "years": self.years,
            "can_save": can_save, "local_rule_text": assessment.LOCAL_RULE_TEXT,
        }, status=status)


class AssessmentJsonView(View):
    """The engine's output contract for one stored enterprise (``?scheme=&as_of=``)."""

    def get(self, request, pk):
        from .engine.io import error_to_dict, result_to_dict

        enterprise = _assessable_enterprise(request, pk)
        scheme = request.GET.get("scheme", "tech-sme")
        as_of = _parse_date(request.GET.get("as_of"), default_as_of(enterprise))
        try:
            case = assessment.stored_case(enterprise, as_of)
            return JsonResponse(result_to_dict(assessment.run(case, scheme, as_of)),
                                json_dumps_params={"ensure_ascii": False})
        except InputError as exc:
            return JsonResponse(error_to_dict(exc), status=400,
                                json_dumps_params={"ensure_ascii": False})


# ---------------------------------------------------------------------------------------------
# Rule tables


class RuleRowListView(ObjectListView):
    """Rule rows are district-wide reference data with no region: everyone holding
    ``view_rulerow`` sees all of them (``RuleRow.visible_to``)."""

    model = RuleRow
    filterset_class = RuleRowFilterSet
    title = "评价规则表"
    template_name = "cultivation/rule_list.html"
    paginate_by = 100
    columns = (
        ("规则编号", "rule_id"), ("评价类型", lambda r: r.get_scheme_display()),
        ("版本", "version"), ("生效", lambda r: f"{r.effective_from}～{r.effective_to or ''}"),
        ("条件", "condition"), ("档次", "band"), ("指标", "field"),
        ("规则", lambda r: f"{r.op} {assessment.format_value(r.threshold)}"),
        ("分值", lambda r: "" if r.points_min is None else (
            f"{r.points_min}" if r.points_min == r.points_max
            else f"{r.points_min}–{r.points_max}")),
        ("取值", "value"), ("说明", "label"), ("可信度", "confidence"),
        ("提示", lambda r: assessment.LOCAL_RULE_TEXT if r.is_flagged_local else ""),
    )

    def get_queryset(self, request):
        return RuleRow.visible_to(request.user)


# ---------------------------------------------------------------------------------------------
# Pipeline


def _scoped_enterprises(request):
    return Enterprise.objects.restrict(request.user, "view")


def pipeline_view(request):
    need(request.user, "cultivation.view_pipeline")
    year = _int(request.GET.get("year")) or pipeline.default_year()
    enterprises = _scoped_enterprises(request)
    counts = pipeline.tier_counts(enterprises, year - 1)
    return render(request, "cultivation/pipeline.html", {
        "title": "培育梯队", "year": year, "data_year": year - 1, "counts": counts,
        "lists": pipeline.LISTS.values(), **_list_status(request, year),
        "chart": {"labels": [c["label"] for c in counts[1:5]],
                  "values": [c["count"] for c in counts[1:5]]},
    })


def _int(raw) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def candidate_list_view(request, code: str):
    need(request.user, "cultivation.view_pipeline")
    spec = pipeline.LISTS.get(code)
    if spec is None:
        raise Http404
    data = request.GET.copy()
    data.setdefault("year", str(pipeline.default_year()))
    form = CandidateFilterForm(data)
    rows: list[dict] = []
    error = ""
    if form.is_valid():
        cd = form.cleaned_data
        params = pipeline.Params(
            year=cd["year"],
            max_gap_wan=cd["max_gap_wan"] if cd.get("max_gap_wan") is not None
            else pipeline.DEFAULT_MAX_GAP_WAN,
            max_unmet=cd["max_unmet"] if cd.get("max_unmet") is not None
            else pipeline.DEFAULT_MAX_UNMET)
        enterprises = pipeline.filter_enterprises(
            _scoped_enterprises(request), region=cd.get("region"), section=cd.get("section"),
            q=cd.get("q") or "")
        rows = pipeline.candidate_rows(spec, enterprises, params)
        if request.GET.get("export") == "xlsx":
            need(request.user, "cultivation.export_pipeline")
            return export_xlsx(request, spec.title, spec.headers, [r["cells"] for r in rows])
    query = request.GET.copy()
    query.pop("export", None)
    year = form.cleaned_data["year"] if form.is_valid() else pipeline.default_year()
    page = Paginator(rows, CANDIDATES_PER_PAGE).get_page(request.GET.get("page"))
    query.pop("page", None)
    return render(request, "cultivation/candidates.html", {
        "title": spec.title, "spec": spec, "form": form, "rows": page.object_list,
        "page": page, "total": len(rows), "error": error,
        "querystring": query.urlencode(),
        "can_export": request.user.has_perm("cultivation.export_pipeline"),
        **_list_status(request, year),
    })


CANDIDATES_PER_PAGE = 200  # the export holds every row


def _list_status(request, year: int) -> dict:
    return {"list_status": candidates.status(year),
            "can_recompute": request.user.has_perm(RECOMPUTE_PERM)}


RECOMPUTE_PERM = "cultivation.add_candidaterun"


def recompute_candidates(request):
    """POST: compute the stored assessments behind a year's candidate lists in the background
    (``mode=changed``: only enterprises whose data changed since; ``sync=1`` runs inline)."""
    if request.method != "POST":
        raise Http404
    need(request.user, "cultivation.view_pipeline", RECOMPUTE_PERM)
    year = _int(request.POST.get("year"))
    if year is None or not 2000 <= year <= 2100:
        messages.error(request, "请指定有效的评价年度")
        return redirect("cultivation:pipeline")
    back = request.POST.get("next") or ""
    if not back.startswith("/cultivation/pipeline/"):
        back = f"/cultivation/pipeline/?year={year}"
    if candidates.status(year)["running"] is not None:
        messages.warning(request, f"{year}年候选名单正在计算中，请稍后刷新")
        return redirect(back)
    mode = (candidates.CandidateRun.MODE_CHANGED if request.POST.get("mode") == "changed"
            else candidates.CandidateRun.MODE_ALL)
    run = candidates.start(actor=request.user, year=year, mode=mode,
                           inline=request.POST.get("sync") == "1")
    record.write(events.COMPUTE_CANDIDATES, run, actor=request.user, after=False,
                 message=f"{year}年候选名单（{run.get_mode_display()}）")
    messages.success(request, f"已开始计算{year}年候选名单（{run.get_mode_display()}），"
                              "完成后本页自动更新")
    return redirect(back)


def candidate_status(request):
    """htmx: the lists' status box (polled while a computation runs)."""
    need(request.user, "cultivation.view_pipeline")
    year = _int(request.GET.get("year")) or pipeline.default_year()
    back = request.GET.get("next") or ""
    context = _list_status(request, year)
    response = render(request, "cultivation/_list_status.html", {
        **context, "next": back if back.startswith("/cultivation/pipeline/") else ""})
    if request.GET.get("running") == "1" and context["list_status"]["running"] is None:
        response["HX-Refresh"] = "true"  # finished: reload the page with the new lists
    return response


# ---------------------------------------------------------------------------------------------
# 清零 campaign


def visible_campaigns(user):
    """Campaigns in the user's scope, or holding at least one entry the user may see."""
    own = ZeroRdCampaign.objects.restrict(user, "view").values("pk")
    via_entries = CampaignEntry.objects.restrict(user, "view").values("campaign_id")
    if not user.has_perm("cultivation.view_zerordcampaign"):
        return ZeroRdCampaign.objects.none()
    return ZeroRdCampaign.objects.filter(Q(pk__in=own) | Q(pk__in=via_entries))


def _campaign_rows(user) -> list[dict]:
    campaigns = visible_campaigns(user)
    by = defaultdict(Counter)
    for cid, status, n in CampaignEntry.objects.restrict(user, "view").values(
            "campaign_id", "status").annotate(n=Count("id")).values_list(
            "campaign_id", "status", "n"):
        by[cid][status] = n
    return [{"campaign": c, "total": sum(by[c.pk].values()),
             "reported": by[c.pk][EntryStatus.REPORTED],
             "not_applicable": by[c.pk][EntryStatus.NOT_APPLICABLE]} for c in campaigns]


def campaign_list(request, form=None, status=200):
    need(request.user, "cultivation.view_zerordcampaign")
    if form is None and request.user.has_perm("cultivation.add_zerordcampaign"):
        form = CampaignForm(initial={"year": timezone.localdate().year, "basis": "annual"})
    return render(request, "cultivation/campaign_list.html", {
        "title": "研发费用“清零”行动", "rows": _campaign_rows(request.user), "form": form},
        status=status)


def campaign_build(request):
    need(request.user, "cultivation.add_zerordcampaign", "cultivation.add_campaignentry")
    if request.method != "POST":
        return redirect("cultivation:campaign_list")
    form = CampaignForm(request.POST)
    region = home_district()
    if form.is_valid() and region is not None:
        cd = form.cleaned_data
        try:
            campaign = services.build_zero_rd_campaign(
                actor=request.user, year=cd["year"], region=region, name=cd["name"],
                basis=cd["basis"], until=cd["until"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"已生成{campaign.year}年清零名单")
            return redirect(campaign)
    elif region is None:
        form.add_error(None, "尚未设置本区，无法生成名单")
    return campaign_list(request, form=form, status=400)


def _campaign_or_404(request, pk):
    need(request.user, "cultivation.view_zerordcampaign", "cultivation.view_campaignentry")
    return get_object_or_404(visible_campaigns(request.user), pk=pk)


class CampaignDetailView(ObjectListView):
    model = CampaignEntry
    filterset_class = CampaignEntryFilterSet
    template_name = "cultivation/campaign_detail.html"
    columns = (
        ("企业", lambda e: e.enterprise.name), ("区域", lambda e: e.enterprise.region.name),
        ("主营业务收入", lambda e: format_amount(e.main_business_revenue, "万元")),
        ("研发费用", lambda e: "未填报" if e.rd_expense is None else format_amount(
            e.rd_expense, "万元")),
        ("责任科员", lambda e: e.officer or "未分配"), ("经纪人", lambda e: e.broker or "未分配"),
        ("状态", lambda e: e.get_status_display()), ("状态日期", "status_changed_on"),
        ("不适用原因", "reason"),
    )

    def get(self, request, pk):
        self.campaign = _campaign_or_404(request, pk)
        if request.GET.get("export") == "xlsx":
            need(request.user, "cultivation.export_campaignentry")
            qs = CampaignEntryFilterSet(request.GET, queryset=self.get_queryset(request),
                                        request=request).qs
            return export_xlsx(request, f"{self.campaign.year}年清零名单",
                               ["统一社会信用代码", *[c[0] for c in self.columns]],
                               [[e.enterprise.uscc, *[_plain(self.cell(e, c))
                                                     for c in self.columns]] for e in qs])
        return super().get(request)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(campaign=self.campaign).select_related(
            "enterprise__region", "officer", "broker")

    def extra_context(self, request):
        return {"campaign": self.campaign, "title": self.campaign.name,
                "can_export": request.user.has_perm("cultivation.export_campaignentry")}


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        return value
    return str(value)


def campaign_chart(request, pk):
    """Chart data: entries per status at each month end, and per sub-district now."""
    campaign = _campaign_or_404(request, pk)
    entries = CampaignEntry.objects.restrict(request.user, "view").filter(campaign=campaign)
    end = min(campaign.until or dt.date(campaign.year, 12, 31), timezone.localdate(),
              dt.date(campaign.year, 12, 31))
    months = [dt.date(campaign.year, m, 1) for m in range(1, end.month + 1)] \
        if end.year == campaign.year else []
    changes = defaultdict(list)
    for entry_id, day, status in Intervention.objects.filter(
            entry__in=entries.values("pk")).exclude(status_after="").order_by(
            "happened_on", "id").values_list("entry_id", "happened_on", "status_after"):
        changes[entry_id].append((day, status))
    ids = list(entries.values_list("pk", flat=True))
    statuses = [s for s, _label in EntryStatus.choices]
    series = {s: [] for s in statuses}
    for first in months:
        last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(1)
        cut = min(last, end)
        count = Counter()
        for entry_id in ids:
            state = EntryStatus.NOT_CONTACTED
            for day, status in changes.get(entry_id, ()):
                if day <= cut:
                    state = status
            count[state] += 1
        for s in statuses:
            series[s].append(count[s])
    regions = defaultdict(Counter)
    for name, status, n in entries.values_list("enterprise__region__name", "status").annotate(
            n=Count("id")).values_list("enterprise__region__name", "status", "n"):
        regions[name][status] = n
    return JsonResponse({
        "campaign": campaign.name, "year": campaign.year, "until": end.isoformat(),
        "total": len(ids),
        "months": [f"{m.month}月" for m in months],
        "series": [{"code": s, "name": EntryStatus(s).label, "data": series[s]}
                   for s in statuses],
        "regions": [{"name": name, **{s: c[s] for s in statuses}}
                    for name, c in sorted(regions.items())],
    }, json_dumps_params={"ensure_ascii": False})


class EntryDetailView(View):
    template_name = "cultivation/entry_detail.html"

    def get_entry(self, request, pk, action="view"):
        need(request.user, f"cultivation.{action}_campaignentry")
        return get_object_or_404(CampaignEntry.objects.restrict(request.user, action)
                                 .select_related("campaign", "enterprise__region", "officer",
                                                 "broker"), pk=pk)

    def get(self, request, pk, assign_form=None, intervention_form=None, status=200):
        entry = self.get_entry(request, pk)
        can_change = CampaignEntry.objects.restrict(request.user, "change").filter(
            pk=entry.pk).exists()
        history = CampaignEntry.objects.restrict(request.user, "view").filter(
            enterprise=entry.enterprise).select_related("campaign").order_by("-campaign__year")
        return render(request, self.template_name, {
            "title": str(entry), "entry": entry, "history": history,
            "interventions": entry.interventions.all(),
            "can_assign": can_change and request.user.has_perm("cultivation.change_campaignentry")
            and not request.user.has_role("broker"),
            "can_log": can_change and request.user.has_perm("cultivation.add_intervention"),
            "assign_form": assign_form or AssignForm(initial={"officer": entry.officer,
                                                             "broker": entry.broker}),
            "intervention_form": intervention_form or InterventionForm(
                initial={"happened_on": timezone.localdate()}),
        }, status=status)

    def post(self, request, pk):
        entry = self.get_entry(request, pk, "change")
        if request.POST.get("form") == "assign":
            if request.user.has_role("broker") and not request.user.has_perm(
                    "cultivation.add_campaignentry"):
                raise PermissionDenied("经纪人不能分配责任人")
            form = AssignForm(request.POST)
            if form.is_valid():
                try:
                    services.assign_campaign_entry(actor=request.user, entry=entry,
                                                   officer=form.cleaned_data["officer"],
                                                   broker=form.cleaned_data["broker"])
                except ValidationError as exc:
                    apply_service_errors(form, exc)
                else:
                    messages.success(request, "已分配")
                    return redirect(entry)
            return self.get(request, pk, assign_form=form, status=400)
        need(request.user, "cultivation.add_intervention")
        form = InterventionForm(request.POST)
        if form.is_valid():
            cd = form.cleaned_data
            try:
                services.log_intervention(actor=request.user, entry=entry, kind=cd["kind"],
                                          happened_on=cd["happened_on"], note=cd["note"],
                                          new_status=cd["new_status"], reason=cd["reason"])
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, "已登记")
                return redirect(entry)
        return self.get(request, pk, intervention_form=form, status=400)


# ---------------------------------------------------------------------------------------------
# 免申即享


def visible_policies(user):
    """Policies in the user's scope, or with an entitlement the user may see (a street
    officer sees the district's policies through its own enterprises)."""
    if not user.has_perm("cultivation.view_subsidypolicy"):
        return SubsidyPolicy.objects.none()
    own = SubsidyPolicy.objects.restrict(user, "view").values("pk")
    via = SubsidyEntitlement.objects.restrict(user, "view").values("policy_id")
    return SubsidyPolicy.objects.filter(Q(pk__in=own) | Q(pk__in=via))


def policy_list(request):
    need(request.user, "cultivation.view_subsidypolicy")
    policies = visible_policies(request.user).prefetch_related("tiers")
    totals = {
        row["policy_id"]: row for row in SubsidyEntitlement.objects.restrict(
            request.user, "view").values("policy_id").annotate(
            n=Count("id", filter=Q(amount__gt=0)), total=Sum("amount"),
            paid=Sum("paid_amount"))
    }
    rows = [{"policy": p, "n": totals.get(p.pk, {}).get("n", 0),
             "total": format_amount(totals.get(p.pk, {}).get("total") or Decimal(0), "万元"),
             "paid": format_amount(totals.get(p.pk, {}).get("paid") or Decimal(0), "万元")}
            for p in policies]
    return render(request, "cultivation/policy_list.html", {
        "title": "免申即享政策", "rows": rows,
        "can_add": request.user.has_perm("cultivation.add_subsidypolicy"),
        "local_rule_text": assessment.LOCAL_RULE_TEXT})


class PolicyEditView(View):
    template_name = "cultivation/policy_edit.html"

    def setup_policy(self, request, pk):
        need(request.user, "cultivation.add_subsidypolicy" if pk is None
             else "cultivation.change_subsidypolicy")
        if pk is None:
            return None
        return get_object_or_404(SubsidyPolicy.objects.restrict(request.user, "change"), pk=pk)

    def get(self, request, pk=None):
        policy = self.setup_policy(request, pk)
        return self.render(request, PolicyForm(instance=policy), policy)

    def post(self, request, pk=None):
        policy = self.setup_policy(request, pk)
        form = PolicyForm(submitted_data(request), instance=policy)
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in PolicyForm.Meta.fields}
            try:
                saved = services.save_subsidy_policy(actor=request.user, data=data,
                                                     tiers=form.tiers(), policy=policy)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, "已保存")
                return redirect(saved)
        return self.render(request, form, policy, status=400)

    def render(self, request, form, policy, status=200):
        return render(request, self.template_name, {
            "title": f"编辑政策：{policy}" if policy else "新增免申即享政策", "form": form,
            "object": policy}, status=status)


class PolicyDetailView(ObjectListView):
    model = SubsidyEntitlement
    filterset_class = SubsidyEntitlementFilterSet
    template_name = "cultivation/policy_detail.html"
    columns = (
        ("企业", lambda e: e.enterprise.name), ("区域", lambda e: e.enterprise.region.name),
        ("档次", lambda e: e.get_tier_display() or "—"),
        ("计算基数", lambda e: format_amount(e.base_amount, "万元")),
        ("应兑现", lambda e: format_amount(e.amount, "万元")),
        ("状态", lambda e: e.get_status_display()),
        ("实付", lambda e: format_amount(e.paid_amount, "万元")),
    )

    def get(self, request, pk):
        need(request.user, "cultivation.view_subsidypolicy")
        self.policy = get_object_or_404(visible_policies(request.user)
                                        .prefetch_related("tiers"), pk=pk)
        if request.GET.get("export") == "xlsx":
            return self.export_payment(request)
        return super().get(request)

    def post(self, request, pk):
        need(request.user, "cultivation.add_subsidyentitlement",
             "cultivation.change_subsidyentitlement")
        policy = get_object_or_404(SubsidyPolicy.objects.restrict(request.user, "change"),
                                   pk=pk)
        try:
            counts = services.compute_entitlements(actor=request.user, policy=policy)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, (
                f"计算完成：新增{counts['created']}家，更新{counts['updated']}家，"
                f"移除{counts['removed']}家，已审核不变{counts['locked']}家"))
        return redirect(policy)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(policy=self.policy).select_related(
            "enterprise__region")

    def extra_context(self, request):
        return {"policy": self.policy, "title": str(self.policy),
                "tiers": self.policy.tiers.all(),
                "can_compute": request.user.has_perm("cultivation.add_subsidyentitlement")
                and request.user.has_perm("cultivation.change_subsidyentitlement"),
                "can_change": request.user.has_perm("cultivation.change_subsidypolicy"),
                "can_export": request.user.has_perm("cultivation.export_subsidyentitlement"),
                "local_rule_text": assessment.LOCAL_RULE_TEXT,
                "is_one_off": self.policy.kind == SubsidyKind.ONE_OFF_FIRST_HIGH_TECH}

    def export_payment(self, request):
        need(request.user, "cultivation.export_subsidyentitlement")
        qs = SubsidyEntitlementFilterSet(request.GET, queryset=self.get_queryset(request),
                                         request=request).qs
        headers = ["企业名称", "统一社会信用代码", "区域", "档次", "计算基数（万元）",
                   "应兑现金额（万元）", "状态", "实付金额（万元）", "兑付日期", "计算过程"]
        rows = [[e.enterprise.name, e.enterprise.uscc, e.enterprise.region.name,
                 e.get_tier_display(), _plain(to_wan(e.base_amount)), _plain(to_wan(e.amount)),
                 e.get_status_display(), _plain(to_wan(e.paid_amount)),
                 e.paid_on.isoformat() if e.paid_on else "", e.computation] for e in qs]
        return export_xlsx(request, f"{self.policy.name}兑现名单", headers, rows)


class EntitlementDetailView(View):
    template_name = "cultivation/entitlement_detail.html"

    def get_row(self, request, pk, action="view"):
        need(request.user, f"cultivation.{action}_subsidyentitlement")
        return get_object_or_404(SubsidyEntitlement.objects.restrict(request.user, action)
                                 .select_related("policy", "enterprise__region", "reviewed_by"),
                                 pk=pk)

    def get(self, request, pk, review_form=None, payment_form=None, status=200):
        row = self.get_row(request, pk)
        user = request.user
        return render(request, self.template_name, {
            "title": str(row), "row": row, "lines": row.computation.splitlines(),
            "can_review": user.has_perm("cultivation.approve_subsidyentitlement")
            and row.status == EntitlementStatus.COMPUTED,
            "can_pay": user.has_perm("cultivation.pay_subsidyentitlement")
            and row.status == EntitlementStatus.APPROVED,
            "review_form": review_form or ReviewForm(),
            "payment_form": payment_form or PaymentForm(initial={
                "paid_amount": row.amount, "paid_on": timezone.localdate()}),
            "local_rule_text": assessment.LOCAL_RULE_TEXT,
        }, status=status)

    def post(self, request, pk):
        if request.POST.get("form") == "pay":
            need(request.user, "cultivation.pay_subsidyentitlement")
            row = self.get_row(request, pk, "change")
            form = PaymentForm(request.POST)
            if form.is_valid():
                try:
                    services.record_entitlement_payment(
                        actor=request.user, entitlement=row,
                        amount=form.cleaned_data["paid_amount"],
                        paid_on=form.cleaned_data["paid_on"],
                        reference=form.cleaned_data["reference"])
                except ValidationError as exc:
                    apply_service_errors(form, exc)
                else:
                    messages.success(request, "已登记兑付")
                    return redirect(row)
            return self.get(request, pk, payment_form=form, status=400)
        need(request.user, "cultivation.approve_subsidyentitlement")
        row = self.get_row(request, pk, "change")
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                services.review_entitlement(actor=request.user, entitlement=row,
                                            approve=form.cleaned_data["decision"] == "approve",
                                            note=form.cleaned_data["note"])
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, "已审核")
                return redirect(row)
        return self.get(request, pk, review_form=form, status=400)


def my_subsidies(request):
    """An enterprise's own 免申即享 entitlements, with the computation shown."""
    need(request.user, "cultivation.view_subsidyentitlement")
    own = Enterprise.objects.filter(members=request.user).values("pk")
    rows = SubsidyEntitlement.objects.restrict(request.user, "view").filter(
        enterprise__in=own).select_related("policy", "enterprise").order_by(
        "-policy__year", "policy__name")
    return render(request, "cultivation/my_subsidies.html", {
        "title": "免申即享", "rows": [{"row": r, "lines": r.computation.splitlines()}
                                     for r in rows],
        "local_rule_text": assessment.LOCAL_RULE_TEXT})
