"""Catalogue pages: every value with its comparisons, the drill-down to its records (and their
Excel export), and the staff-edited tables (other districts' figures, targets, monthly stats)."""

from __future__ import annotations

import datetime as dt
import io

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from openpyxl import Workbook

from kechuang.audit import record
from kechuang.audit.events import EXPORT
from kechuang.core.importing import escape_formula
from kechuang.core.money import format_amount
from kechuang.core.views import ImportView, ObjectEditView, ObjectListView, xlsx_response
from kechuang.regions.models import Region

from . import catalogue, services
from .catalogue import Period
from .forms import DistrictFigureForm, IndicatorTargetForm
from .models import DistrictFigure, IndicatorTarget, MonthlyEnterpriseStat

DASHBOARD_PERM = "reports.view_dashboard"


def require_dashboard(user) -> None:
    if not user.has_perm(DASHBOARD_PERM):
        raise PermissionDenied("您没有查看统计指标的权限")


def _date(text: str | None, default: dt.date) -> dt.date:
    if not text:
        return default
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise Http404("日期格式有误") from exc


def period_from_request(request) -> Period:
    today = timezone.localdate()
    year = request.GET.get("year")
    if year and year.isdigit():
        default_end = min(dt.date(int(year), 12, 31), today)
        end = _date(request.GET.get("until") or request.GET.get("end"), default_end)
        start = _date(request.GET.get("start"), dt.date(int(year), 1, 1))
        return Period(start, end)
    end = _date(request.GET.get("end") or request.GET.get("until"), today)
    start = _date(request.GET.get("start"), dt.date(end.year, 1, 1))
    if start > end:
        raise Http404("统计期有误")
    return Period(start, end)


def region_from_request(request, user) -> Region | None:
    """``?region=CODE`` within the user's scope; a scoped user defaults to their own region."""
    from kechuang.accounts.scope import region_allowed

    code = request.GET.get("region")
    if code:
        region = Region.objects.filter(code=code).first()
        if region is None or not region_allowed(user, region):
            raise Http404("区域不存在或不在您的数据权限范围内")
        return None if region.is_home else region
    return None


def drill_url(code: str, period: Period, region=None) -> str:
    from django.urls import reverse

    url = reverse("indicators:records", args=[code])
    url += f"?start={period.start.isoformat()}&end={period.end.isoformat()}"
    if region is not None:
        url += f"&region={region.code}"
    return url


def catalogue_view(request):
    """Every registered indicator for the chosen period, with comparisons and drill-down links."""
    require_dashboard(request.user)
    period = period_from_request(request)
    region = region_from_request(request, request.user)
    from kechuang.reports.formatting import FigureView

    rows = []
    for fig in catalogue.figures(period, region, request.user):
        view = FigureView.of(fig)
        rows.append({"fig": fig, "view": view, "url": drill_url(fig.indicator.code, period,
                                                                  region)})
    return render(request, "indicators/catalogue.html", {
        "title": "指标目录", "rows": rows, "period": period, "region": region,
        "pending": sorted(catalogue.pending_codes().items()),
    })


def _cell(obj, accessor):
    value = accessor(obj) if callable(accessor) else getattr(obj, accessor)
    return "" if value is None else value


def records_view(request, code: str):
    """The records behind one value (same period, region and scope); ``?export=xlsx``."""
    require_dashboard(request.user)
    try:
        ind = catalogue.get(code)
    except KeyError as exc:
        raise Http404(str(exc)) from exc
    period = period_from_request(request)
    region = region_from_request(request, request.user)
    qs = catalogue.records(ind, period, region, request.user)
    related = ind.extra.get("select_related")
    if related:
        qs = qs.select_related(*related)
    qs = qs.order_by("pk")
    columns = ind.extra.get("columns") or [("记录", str)]
    if request.GET.get("export") == "xlsx":
        model = qs.model
        export_perm = f"{model._meta.app_label}.export_{model._meta.model_name}"
        if not request.user.has_perm(export_perm):
            raise PermissionDenied("您没有导出这些记录的权限")
        qs = catalogue.records(ind, period, region, request.user, action="export")
        if related:
            qs = qs.select_related(*related)
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("记录")
        ws.append([f"{ind.name}（{period.label()}）"])
        ws.append([h for h, _ in columns])
        for obj in qs.iterator(chunk_size=2000):
            ws.append([escape_formula(_cell(obj, a)) if isinstance(_cell(obj, a), str)
                       else _cell(obj, a) for _, a in columns])
        buf = io.BytesIO()
        wb.save(buf)
        record.write(EXPORT, request.user, actor=request.user, after=False,
                     message=f"导出指标明细：{code} {period.start}~{period.end}"[:500])
        return xlsx_response(buf.getvalue(), f"{ind.name}-{period.label()}.xlsx")
    fig = catalogue.figure(ind, period, region, request.user, compare=False)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    value = format_amount(fig.value) if ind.is_amount else fig.value
    return render(request, "indicators/records.html", {
        "title": f"{ind.name}：明细记录", "indicator": ind, "period": period, "region": region,
        "value": value, "page": page, "headers": [h for h, _ in columns],
        "rows": [[_cell(obj, a) for _, a in columns] for obj in page.object_list],
        "querystring": query.urlencode(),
    })


class DistrictFigureListView(ObjectListView):
    model = DistrictFigure
    title = "各区指标数据"
    importer_name = "district-figures"
    add_url_name = "indicators:districtfigure_add"
    import_url_name = "indicators:districtfigure_import"
    columns = (
        ("区（县、市）", lambda f: f.region.name), ("指标代码", "indicator_code"),
        ("统计期起", "period_start"), ("统计期止", "period_end"), ("数值", "value"),
        ("来源", "source"),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("region")


class DistrictFigureEditView(ObjectEditView):
    model = DistrictFigure
    form_class = DistrictFigureForm

    def save(self, request, form, obj):
        d = form.cleaned_data
        if obj is not None and (obj.region_id, obj.indicator_code, obj.period_start,
                                obj.period_end) != (d["region"].pk, d["indicator_code"],
                                                    d["period_start"], d["period_end"]):
            services.delete_district_figure(actor=request.user, figure=obj)
        return services.record_district_figure(
            actor=request.user, region=d["region"], indicator_code=d["indicator_code"],
            period_start=d["period_start"], period_end=d["period_end"], value=d["value"],
            source=d.get("source") or "")

    def success_url(self, obj):
        from django.urls import reverse

        return reverse("indicators:districtfigure_list")


class DistrictFigureImportView(ImportView):
    model = DistrictFigure
    importer_name = "district-figures"
    list_url_name = "indicators:districtfigure_list"


class TargetListView(ObjectListView):
    model = IndicatorTarget
    title = "年度目标"
    importer_name = "indicator-targets"
    add_url_name = "indicators:target_add"
    columns = (("指标代码", "indicator_code"), ("年度", "year"), ("目标值", "value"),
               ("说明", "note"))


class TargetEditView(ObjectEditView):
    model = IndicatorTarget
    form_class = IndicatorTargetForm

    def save(self, request, form, obj):
        d = form.cleaned_data
        return services.set_indicator_target(actor=request.user,
                                             indicator_code=d["indicator_code"], year=d["year"],
                                             value=d["value"], note=d.get("note") or "")

    def success_url(self, obj):
        from django.urls import reverse

        return reverse("indicators:target_list")


class MonthlyStatListView(ObjectListView):
    model = MonthlyEnterpriseStat
    title = "规上企业月度统计"
    importer_name = "monthly-stats"
    import_url_name = "indicators:monthlystat_import"
    columns = (
        ("企业", lambda s: s.enterprise.name), ("年度", "year"), ("月份", "month"),
        ("工业增加值", lambda s: format_amount(s.value_added)),
        ("研发费用", lambda s: format_amount(s.rd_expense)),
        ("高新技术产业", lambda s: "是" if s.is_hitech_industry else "否"),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("enterprise")


class MonthlyStatImportView(ImportView):
    model = MonthlyEnterpriseStat
    importer_name = "monthly-stats"
    list_url_name = "indicators:monthlystat_list"


def get_figure_or_404(request, pk):
    return get_object_or_404(DistrictFigure.objects.restrict(request.user, "view"), pk=pk)
