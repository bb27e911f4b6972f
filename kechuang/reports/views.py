"""Dashboard page, its JSON chart endpoints, and the work-summary generator pages."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from kechuang.indicators.catalogue import Period
from kechuang.indicators.views import region_from_request

from . import dashboard
from .models import GeneratedReport, ReportKind
from .template_builder import ensure_template

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied("您没有此操作的权限")


def _period(request) -> Period:
    until_text = request.GET.get("until")
    if until_text:
        try:
            until = dt.date.fromisoformat(until_text)
        except ValueError as exc:
            raise Http404("日期格式有误") from exc
    else:
        until = dashboard.default_until()
    year = request.GET.get("year")
    if year and year.isdigit() and int(year) != until.year:
        until = dt.date(int(year), 12, 31)
    return Period(dt.date(until.year, 1, 1), until)


@require_GET
def dashboard_view(request):
    _require(request.user, "reports.view_dashboard")
    period = _period(request)
    region = region_from_request(request, request.user)
    query = f"until={period.end.isoformat()}" + (f"&region={region.code}" if region else "")
    return render(request, "reports/dashboard.html", {
        "title": "驾驶舱", "period": period, "region": region, "query": query,
        "fullscreen": request.GET.get("fullscreen") == "1", "charts": dashboard.CHARTS,
    })


@require_GET
def chart_data(request, name: str):
    _require(request.user, "reports.view_dashboard")
    if name not in dashboard.CHARTS:
        raise Http404("没有这个图表")
    period = _period(request)
    region = region_from_request(request, request.user)
    kwargs = {}
    if name == "subdistricts" and request.GET.get("code"):
        from kechuang.indicators import catalogue

        if request.GET["code"] not in catalogue.all_indicators():
            raise Http404("未登记的指标")
        kwargs["code"] = request.GET["code"]
    fetch = dashboard.chart if request.GET.get("fresh") == "1" else dashboard.cached_chart
    data = fetch(name, period, region, request.user, **kwargs)
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def _report_params(request):
    kind = request.GET.get("kind", "annual")
    if kind not in ReportKind.values:
        raise Http404("报告类型有误")
    try:
        year = int(request.GET.get("year") or dashboard.default_until().year)
        month = int(request.GET["month"]) if request.GET.get("month") else None
        until = dt.date.fromisoformat(request.GET["until"]) if request.GET.get("until") else None
    except ValueError as exc:
        raise Http404("参数有误") from exc
    if kind == "monthly" and not month:
        month = (until or dashboard.default_until()).month
    return kind, year, month, until


def report_view(request):
    """Preview the generated summary (HTML) and keep the Word file for download."""
    _require(request.user, "reports.view_generatedreport")
    if "year" not in request.GET:
        until = dashboard.default_until()
        return render(request, "reports/report.html", {
            "title": "工作总结", "report": None, "year": until.year, "until": until,
            "recent": GeneratedReport.objects.restrict(request.user, "view")[:10]})
    kind, year, month, until = _report_params(request)
    region = region_from_request(request, request.user)
    from .generator import build_report  # matplotlib is heavy: load it on first use

    report = build_report(kind, year=year, until=until, month=month, region=region,
                          user=request.user)
    saved = None
    if request.user.has_perm("reports.add_generatedreport"):
        saved = GeneratedReport.objects.create(
            kind=kind, year=year, month=month, until=report.period.end, region=region,
            title=report.title, docx=report.docx, gaps=report.gaps, created_by=request.user,
            updated_by=request.user)
    return render(request, "reports/report.html", {
        "title": report.title, "report": report, "saved": saved, "year": year,
        "until": report.period.end, "kind": kind,
        "recent": GeneratedReport.objects.restrict(request.user, "view")[:10]})


def report_download(request, pk: int):
    _require(request.user, "reports.view_generatedreport")
    obj = get_object_or_404(GeneratedReport.objects.restrict(request.user, "view"), pk=pk)
    import io

    return FileResponse(io.BytesIO(bytes(obj.docx)), as_attachment=True,
                        filename=f"{obj.title}.docx", content_type=DOCX)


def template_download(request, kind: str):
    _require(request.user, "reports.change_generatedreport")
    if kind not in ReportKind.values:
        raise Http404
    path = ensure_template(kind)
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"{kind}-template.docx",
                        content_type=DOCX)
