"""Matching pages: ranked suggestions with explanations and answers; index rebuild with a
progress bar; field suggestions for forms (htmx)."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import escape
from django.views import View

from kechuang.achievements.models import Achievement
from kechuang.audit import record
from kechuang.core.actions import messages_of
from kechuang.core.jobs import JobError, JobStatus, run_in_background
from kechuang.core.models import Job
from kechuang.demands.models import TechDemand

from . import classifier, events, search, services, sync
from .choices import DeclineReason, SourceKind, TargetKind
from .forms import MatchFilterForm, RespondForm
from .models import MatchSuggestion

TARGET_TABS = {
    SourceKind.DEMAND: [(TargetKind.ACHIEVEMENT, "科技成果"), (TargetKind.EXPERT, "专家"),
                        (TargetKind.OVERSEAS_ENGINEER, "海外工程师")],
    SourceKind.ACHIEVEMENT: [(TargetKind.DEMAND, "技术需求"), (TargetKind.ENTERPRISE, "企业")],
}


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied("您没有此操作的权限")


class _MatchView(View):
    model = TechDemand
    source_kind = SourceKind.DEMAND
    default_target = TargetKind.ACHIEVEMENT

    def get_source(self, request, pk):
        _require(request.user, "matching.view_matchsuggestion")
        return get_object_or_404(self.model.objects.restrict(request.user, "view"), pk=pk)

    def get(self, request, pk):
        source = self.get_source(request, pk)
        tabs = TARGET_TABS[self.source_kind]
        target = request.GET.get("target") or self.default_target
        if target not in dict(tabs):
            target = self.default_target
        form = MatchFilterForm(request.GET or None)
        filters = form.to_filters()
        if self.source_kind == SourceKind.DEMAND:
            result = services.match_demand(source, target, filters=filters)
        else:
            result = services.match_achievement(source, target, filters=filters)
        answered = {s.target.pk: s for s in MatchSuggestion.objects.filter(
            **{"demand" if self.source_kind == SourceKind.DEMAND else "achievement": source},
            source_kind=self.source_kind, target_kind=target)
            .select_related("expert", "enterprise", "demand", "achievement")}
        for suggestion in result.suggestions:
            suggestion.answer = answered.get(suggestion.obj.pk)
        return render(request, "matching/matches.html", {
            "source": source, "source_kind": self.source_kind, "tabs": tabs,
            "target": target, "form": form, "result": result, "answered": answered,
            "reasons": DeclineReason.choices,
            "can_respond": services.can_respond(request.user, source),
        })

    def post(self, request, pk):
        source = self.get_source(request, pk)
        form = RespondForm(request.POST)
        if not form.is_valid():
            messages.error(request, "答复内容不完整")
            return redirect(request.get_full_path())
        d = form.cleaned_data
        target = services.load_target(d["target_kind"], d["target_id"])
        if target is None:
            messages.error(request, "推荐对象不存在或已下架")
            return redirect(request.get_full_path())
        try:
            services.respond_to_suggestion(
                actor=request.user, source=source, target_kind=d["target_kind"], target=target,
                decision=d["decision"], reason=d["reason"], note=d["note"],
                score=d["score"] or 0.0, rank=d["rank"] or 0)
        except ValidationError as exc:
            messages.error(request, messages_of(exc))
        else:
            messages.success(request, "答复已记录，将用于改进后续推荐")
        params = request.GET.copy()  # back to the same tab with the same filters
        params["target"] = d["target_kind"]
        return redirect(f"{request.path}?{params.urlencode()}")


class DemandMatchView(_MatchView):
    pass


class AchievementMatchView(_MatchView):
    model = Achievement
    source_kind = SourceKind.ACHIEVEMENT
    default_target = TargetKind.DEMAND


# A rebuild still "running" after this long was cut off (the server stopped); it no longer blocks.
REBUILD_STALE_AFTER = dt.timedelta(hours=1)


def _running_rebuild() -> Job | None:
    return Job.objects.filter(
        kind="rebuild_index", status__in=(JobStatus.PENDING, JobStatus.RUNNING),
        created_at__gte=timezone.now() - REBUILD_STALE_AFTER).order_by("-created_at").first()


class RebuildIndexView(View):
    """Staff page: start a rebuild in the background and follow its progress bar."""

    def get(self, request):
        _require(request.user, "matching.change_matchsuggestion")
        jobs = Job.objects.filter(kind="rebuild_index").select_related("owner") \
            .order_by("-created_at")[:5]
        return render(request, "matching/rebuild.html",
                      {"jobs": jobs, "embedding_status": search.embedding_status()})

    def post(self, request):
        _require(request.user, "matching.change_matchsuggestion")
        running = _running_rebuild()
        if running is not None:
            # sync.rebuild's lock would refuse a second one: say so before starting a job
            if running.owner_id == request.user.pk:
                return redirect("core:job", pk=running.pk)
            messages.info(request, f"索引正在重建（{running.percent}%），完成后再重建")
            return redirect("matching:rebuild")
        job = Job.objects.create(kind="rebuild_index", owner=request.user, label="重建检索索引")
        record.write(events.REBUILD, job, actor=request.user, after=False,
                     message="页面发起重建检索索引")

        def target(progress):
            return sync.rebuild(progress=progress)

        if request.POST.get("sync") == "1":
            try:
                result, status = target(lambda d, t: None), JobStatus.DONE
            except JobError as exc:
                result, status = {"message": str(exc)}, JobStatus.FAILED
            Job.objects.filter(pk=job.pk).update(status=status, result=result)
        else:
            run_in_background(job, target)
        return redirect("core:job", pk=job.pk)


def suggest_field(request):
    """htmx: suggested 技术领域 for the text typed so far (escaped HTML fragment).

    The form posts its text: in a GET's URL a description of about 450 Chinese characters
    already passes gunicorn's 4,094-byte request line, and the button then did nothing."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    data = request.POST if request.method == "POST" else request.GET
    text = " ".join(data.get(k, "") for k in ("title", "description", "abstract"))
    result = classifier.suggest_field(text[:20_000])
    if not result.fields:
        return HttpResponse(f'<span class="text-muted small">{escape(result.message)}</span>')
    # buttons: a click selects the field in the form (static/kechuang/field-suggest.js)
    parts = [f'<button type="button" class="btn btn-sm btn-outline-primary me-1 mb-1" '
             f'data-code="{escape(code)}" data-kc-field="{escape(code)}" aria-pressed="false" '
             f'title="选用该领域">{escape(label)} {round(p * 100)}%</button>'
             for code, label, p in result.fields]
    return HttpResponse('<span class="small">推荐技术领域（点击选用）：</span>' + "".join(parts))
