"""Generic, declarative views. Every queryset passes through ``restrict(user, action)``.

Out-of-scope or missing objects answer 404; a missing functional permission answers 403.
Domain views subclass these and supply model, filterset, columns, form and a service call.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import io
import threading
from array import array
from collections import OrderedDict
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import Context
from django.template.base import render_value_in_context
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views import View

from kechuang.audit import record
from kechuang.audit.events import EXPORT

from . import importing
from .forms import submitted_data
from .forms_render import memo_renderer
from .jobs import run_in_background
from .models import Job

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _ListSnapshots:
    """Per-process LRU of list snapshots: ``key → ids`` (an ``array('q')`` of the list's
    ordered primary keys), bounded by the total number of ids held."""

    MAX_IDS = 2_000_000  # ≈ 16 MB per process

    def __init__(self):
        self._data: OrderedDict = OrderedDict()
        self._held = 0
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            ids = self._data.get(key)
            if ids is not None:
                self._data.move_to_end(key)
            return ids

    def put(self, key, ids) -> None:
        if len(ids) > self.MAX_IDS // 4:
            return
        with self._lock:
            if key in self._data:
                return
            self._data[key] = ids
            self._held += len(ids)
            while self._held > self.MAX_IDS:
                _, dropped = self._data.popitem(last=False)
                self._held -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._held = 0


_snapshots = _ListSnapshots()


class _RowsHtml:
    """Per-process LRU of rendered table bodies of snapshot pages (``MAX`` entries)."""

    MAX = 2048

    def __init__(self):
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            html = self._data.get(key)
            if html is not None:
                self._data.move_to_end(key)
            return html

    def put(self, key, html) -> None:
        with self._lock:
            self._data[key] = html
            self._data.move_to_end(key)
            while len(self._data) > self.MAX:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


_rows_html = _RowsHtml()


class ListPaginator(Paginator):
    """``Paginator`` with two list-page savings, same pages and counts:

    * ``count_version``: a token that changes with every committed write the list can show
      (a database counter kept by triggers). With it, the ordered ids of the whole list are
      selected once per (version, SQL, parameters) and kept (``_ListSnapshots``); the count
      is their number and any page, however deep, loads just its rows by id. Never inside a
      transaction, whose own uncommitted writes the version cannot describe.
    * without a snapshot, deep pages select the page's ids first (an index-only scan in list
      order) and then load those rows, instead of walking OFFSET full rows.
    """

    DEEP_OFFSET = 500

    def __init__(self, *args, count_version=None, rows_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_version = count_version
        self.snapshot_key = None  # set when the list is served from a snapshot
        # Where a snapshot page loads its rows by id: the unfiltered (but scope-restricted)
        # queryset, so the filters' subqueries are not evaluated again for 50 ids.
        self.rows_queryset = rows_queryset

    @cached_property
    def _ids(self):
        qs = self.object_list
        version = self.count_version
        if (version is None or not isinstance(qs, QuerySet) or not qs.ordered
                or transaction.get_connection(qs.db).in_atomic_block):
            return None
        version = version() if callable(version) else version
        sql, params = qs.query.sql_with_params()
        key = (version, qs.db, qs.model._meta.label, sql, params)
        try:
            ids = _snapshots.get(key)
        except TypeError:  # unhashable parameters: no snapshot
            return None
        self.snapshot_key = key
        if ids is None:
            ids = list(qs.values_list("pk", flat=True))
            try:
                ids = array("q", ids)
            except (TypeError, OverflowError):  # primary keys that are not integers
                ids = tuple(ids)
            _snapshots.put(key, ids)
        return ids

    def page_number(self, number) -> int:
        """The page ``get_page(number)`` would give (first for junk, last when too far)."""
        try:
            return self.validate_number(number)
        except PageNotAnInteger:
            return 1
        except EmptyPage:
            return self.num_pages

    def id_page(self, number: int):
        """A snapshot page whose ``object_list`` holds the rows' ids (no row is loaded)."""
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(list(self._ids[bottom:top]), number, self)

    @cached_property
    def count(self):
        ids = self._ids
        return len(ids) if ids is not None else super().count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        qs = self.object_list
        ids = self._ids
        if ids is None and (bottom < self.DEEP_OFFSET or not isinstance(qs, QuerySet)
                            or not qs.ordered):
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        source = qs
        if ids is not None:
            ids = list(ids[bottom:top])
            if self.rows_queryset is not None:
                source = self.rows_queryset
        else:
            ids = list(qs.values_list("pk", flat=True)[bottom:top])
        rows = {obj.pk: obj for obj in source.order_by().filter(pk__in=ids)} if ids else {}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


def perm_name(model, action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def require_perm(user, model, action: str) -> None:
    if not user.has_perm(perm_name(model, action)):
        raise PermissionDenied("您没有此操作的权限")


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=filename,
                        content_type=XLSX)


class ObjectListView(View):
    """A filterable, paginated list; ``?export=xlsx`` exports the filtered rows."""

    model: Any = None
    filterset_class: Any = None
    template_name = "core/object_list.html"
    columns: tuple = ()  # (header, callable(obj) -> value | str attribute)
    paginate_by = 50
    importer_name: str | None = None
    title = ""
    add_url_name: str | None = None
    import_url_name: str | None = None

    def get_queryset(self, request):
        return self.model.objects.restrict(request.user, "view")

    # Fields fetched for the page's rows (``QuerySet.only``); empty = all columns. Exports
    # always read the full rows.
    list_only: tuple = ()

    def get_paginator(self, request, qs, filterset, base=None):
        return ListPaginator(qs, self.paginate_by,
                             count_version=self.count_version(request, filterset),
                             rows_queryset=base)

    def count_version(self, request, filterset):
        """A token that changes with every committed write this list can show, or None.

        With a token, the ordered ids of each list (any filter) are selected once per token
        and query (per process) and pages load their rows by id; see ``ListPaginator``.
        Default: no token.
        """

    def page_queryset(self, qs):
        return qs.only(*self.list_only) if self.list_only else qs

    def get(self, request, *args, **kwargs):
        require_perm(request.user, self.model, "view")
        qs = base = self.get_queryset(request)
        filterset = self.filterset_class(request.GET or None, queryset=qs, request=request) \
            if self.filterset_class else None
        if filterset is not None:
            qs = filterset.qs
            # Widgets are rendered once per distinct input (see forms_render).
            filterset.form.renderer = memo_renderer(filterset.form.renderer)
        if request.GET.get("export") == "xlsx":
            return self.export(request, qs)
        paginator = self.get_paginator(request, self.page_queryset(qs), filterset,
                                       base=self.page_queryset(base))
        number = paginator.page_number(request.GET.get("page"))
        rows_key = self.rows_cache_key(paginator, number)
        if rows_key is not None:  # cells may depend on what the user may see (masking)
            rows_key += (frozenset(request.user.get_all_permissions()),)
        cached_html = _rows_html.get(rows_key) if rows_key is not None else None
        if cached_html is not None:
            page, rows = paginator.id_page(number), []
        else:
            page = paginator.page(number)
            rows = [(obj, [self.cell(obj, c) for c in self.columns])
                    for obj in page.object_list]
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "title": self.title or self.model._meta.verbose_name_plural,
            "filterset": filterset,
            "page": page,
            "rows": rows,
            "headers": [c[0] for c in self.columns],
            "querystring": query.urlencode(),
            "can_add": self.add_url_name and request.user.has_perm(perm_name(self.model, "add")),
            "add_url_name": self.add_url_name,
            "can_import": self.import_url_name
            and request.user.has_perm(perm_name(self.model, "import")),
            "import_url_name": self.import_url_name,
            "can_export": self.importer_name
            and request.user.has_perm(perm_name(self.model, "export")),
        }
        context.update(self.extra_context(request))
        if context["rows"] is not rows and cached_html is not None:
            return self.get_uncached(request, *args, **kwargs)
        if cached_html is not None:
            context["rows_html"] = cached_html
        elif context["rows"] is rows:
            # The table body, rendered here rather than cell by cell in the template
            # (same markup and the same value formatting as ``{{ c|default_if_none:"—" }}``).
            context["rows_html"] = self.rows_html(rows)
            if rows_key is not None:
                _rows_html.put(rows_key, context["rows_html"])
        template = "core/object_list_table.html" if request.htmx else self.template_name
        return render(request, template, context)

    def extra_context(self, request) -> dict:
        return {}

    def rows_cache_key(self, paginator, number: int):
        """Snapshot lists keep each page's table body too (same version, query and page:
        same rows and cells). None: not kept."""
        if paginator.count == 0:  # (also selects the snapshot, if there is one)
            return None
        key = getattr(paginator, "snapshot_key", None)
        if key is None:
            return None
        return (type(self), key, number, get_language())

    def get_uncached(self, request, *args, **kwargs):
        """``get`` with the page's table body rendered afresh."""
        self.rows_cache_key = lambda paginator, number: None
        return self.get(request, *args, **kwargs)

    @staticmethod
    def cell(obj, column):
        accessor = column[1]
        return accessor(obj) if callable(accessor) else getattr(obj, accessor)

    def row_url(self, obj) -> str:
        """The first cell's link (``obj.get_absolute_url()``; empty = no link)."""
        url = getattr(obj, "get_absolute_url", None)
        return url() if callable(url) else url

    def rows_html(self, rows) -> str:
        out = []
        for obj, cells in rows:
            tds = [f"<td>{_cell_html(c)}</td>" for c in cells]
            if tds:
                url = self.row_url(obj)
                if url:
                    tds[0] = (f'<td><a href="{_cell_html(url)}">{_cell_html(cells[0])}</a>'
                              "</td>")
            out.append(f"    <tr>{''.join(tds)}</tr>\n")
        return mark_safe("".join(out))  # every value went through _cell_html

    def export(self, request, qs):
        require_perm(request.user, self.model, "export")
        importer = importing.get_importer(self.importer_name)
        unmask = request.user.has_perm("enterprises.view_personal_data")
        content = importing.export_workbook(importer, importer.export_rows(qs, unmask=unmask))
        record.write(EXPORT, request.user, actor=request.user, after=False,
                     message=f"导出{importer.label}：{request.GET.urlencode()}"[:500])
        stamp = timezone.localtime().strftime("%Y%m%d%H%M")
        return xlsx_response(content, f"{importer.label}-{stamp}.xlsx")


_CELL_CONTEXT = Context()  # autoescape on, localisation and time zone as in templates


def _cell_html(value) -> str:
    """``{{ value|default_if_none:"—" }}`` as the template renders it."""
    if value is None:
        return "—"
    kind = type(value)
    if kind is str:  # what django.utils.html.escape does, without the lazy-string wrapper
        return html.escape(value)
    if kind is dt.date:
        return _date_html(value, get_language())
    return render_value_in_context(value, _CELL_CONTEXT)


@functools.lru_cache(maxsize=4096)
def _date_html(value, language):
    return render_value_in_context(value, _CELL_CONTEXT)


class ObjectDetailView(View):
    model: Any = None
    template_name = ""

    def get_object(self, request, pk, action: str = "view"):
        return get_object_or_404(self.model.objects.restrict(request.user, action), pk=pk)

    def get(self, request, pk):
        require_perm(request.user, self.model, "view")
        obj = self.get_object(request, pk)
        return render(request, self.template_name, {"object": obj, **self.extra_context(
            request, obj)})

    def extra_context(self, request, obj) -> dict:
        return {}


class ObjectEditView(View):
    """Create (no ``pk``) or edit; the subclass's ``save`` calls the service."""

    model: Any = None
    form_class: Any = None
    template_name = "core/object_edit.html"

    def get_object(self, request, pk):
        if pk is None:
            return None
        return get_object_or_404(self.model.objects.restrict(request.user, "change"), pk=pk)

    def check(self, request, pk):
        require_perm(request.user, self.model, "add" if pk is None else "change")

    def get_form(self, request, obj, data=None):
        return self.form_class(data, instance=obj, user=request.user)

    def get(self, request, pk=None):
        self.check(request, pk)
        obj = self.get_object(request, pk)
        return self.render(request, self.get_form(request, obj), obj)

    def post(self, request, pk=None):
        self.check(request, pk)
        obj = self.get_object(request, pk)
        form = self.get_form(request, obj, submitted_data(request))
        if form.is_valid():
            try:
                saved = self.save(request, form, obj)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, "已保存")
                return redirect(self.success_url(saved))
        return self.render(request, form, obj, status=400 if request.method == "POST" else 200)

    def render(self, request, form, obj, status: int = 200):
        return render(request, self.template_name, {
            "form": form, "object": obj, "title": self.title(obj),
        }, status=status)

    def title(self, obj) -> str:
        name = self.model._meta.verbose_name
        return f"编辑{name}：{obj}" if obj else f"新增{name}"

    def save(self, request, form, obj):
        raise NotImplementedError

    def success_url(self, obj) -> str:
        return obj.get_absolute_url()


def apply_service_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field_name, errors in exc.error_dict.items():
            target = field_name if field_name in form.fields else None
            for err in errors:
                msg = err.message % err.params if err.params else err.message
                form.add_error(target, msg)
    else:
        for msg in exc.messages:
            form.add_error(None, msg)


class ImportView(View):
    """Upload → dry-run preview or import (in the background, with a progress bar)."""

    model: Any = None
    importer_name = ""
    template_name = "core/import.html"
    list_url_name = ""

    def dispatch(self, request, *args, **kwargs):
        require_perm(request.user, self.model, "import")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        importer = importing.get_importer(self.importer_name)
        if request.GET.get("template"):
            wb = importing.build_template(importer)
            return xlsx_response(importing.workbook_bytes(wb), f"{importer.label}导入模板.xlsx")
        return render(request, self.template_name, {"importer": importer,
                                                    "list_url_name": self.list_url_name})

    def post(self, request):
        importer = importing.get_importer(self.importer_name)
        update = request.POST.get("update") == "on"
        if update and not importer.supports_update:  # refused before the upload is read
            return render(request, self.template_name, {
                "importer": importer, "list_url_name": self.list_url_name,
                "form_error": importing.update_refused(importer)}, status=400)
        upload = request.FILES.get("file")
        if upload is None:
            return render(request, self.template_name, {
                "importer": importer, "list_url_name": self.list_url_name,
                "form_error": "请选择要导入的Excel文件"}, status=400)
        data = upload.read()
        dry_run = request.POST.get("mode") != "commit"
        job = Job.objects.create(kind=f"import:{importer.name}", owner=request.user,
                                 label=f"导入{importer.label}：{upload.name}"[:128])
        user = request.user

        def target(progress):
            result = importing.run_import(importer, io.BytesIO(data), actor=user,
                                          dry_run=dry_run, update=update, progress=progress)
            if result.errors:
                payload = importing.error_workbook(importer, result.rows, result.errors)
                Job.objects.filter(pk=job.pk).update(payload=payload)
            return {
                "total": result.total, "created": result.created, "updated": result.updated,
                "dry_run": dry_run, "update": update,
                "errors": [e.as_dict() for e in result.errors[:1000]],
                "error_count": len(result.errors),
                "preview_headers": [c.header for c in importer.columns],
                "preview": [[_s(r.get(c.header)) for c in importer.columns]
                            for r in result.preview],
            }

        if request.POST.get("sync") == "1":
            # Used by tests and small files: run in the request.
            def progress(done, total):
                return None

            Job.objects.filter(pk=job.pk).update(status="done", result=target(progress))
        else:
            run_in_background(job, target)
        return redirect("core:job", pk=job.pk)


def _s(value) -> str:
    return "" if value is None else str(value)


class JobView(View):
    def get_job(self, request, pk):
        return get_object_or_404(Job, pk=pk, owner=request.user)

    def get(self, request, pk):
        job = self.get_job(request, pk)
        if request.GET.get("download") == "errors":
            if not job.payload:
                raise Http404
            return xlsx_response(bytes(job.payload), "导入错误清单.xlsx")
        template = "core/job_status.html" if request.htmx else "core/job.html"
        return render(request, template, {"job": job})
