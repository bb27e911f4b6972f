"""Generic, declarative views. Every queryset passes through ``restrict(user, action)``.

Out-of-scope or missing objects answer 404; a missing functional permission answers 403.
Domain views subclass these and supply model, filterset, columns, form and a service call.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from kechuang.audit import record
from kechuang.audit.events import EXPORT

from . import importing
from .jobs import run_in_background
from .models import Job

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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

    def get(self, request, *args, **kwargs):
        require_perm(request.user, self.model, "view")
        qs = self.get_queryset(request)
        filterset = self.filterset_class(request.GET or None, queryset=qs, request=request) \
            if self.filterset_class else None
        if filterset is not None:
            qs = filterset.qs
        if request.GET.get("export") == "xlsx":
            return self.export(request, qs)
        paginator = Paginator(qs, self.paginate_by)
        page = paginator.get_page(request.GET.get("page"))
        rows = [(obj, [self.cell(obj, c) for c in self.columns]) for obj in page.object_list]
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
        template = "core/object_list_table.html" if request.htmx else self.template_name
        return render(request, template, context)

    def extra_context(self, request) -> dict:
        return {}

    @staticmethod
    def cell(obj, column):
        accessor = column[1]
        return accessor(obj) if callable(accessor) else getattr(obj, accessor)

    def export(self, request, qs):
        require_perm(request.user, self.model, "export")
        importer = importing.get_importer(self.importer_name)
        unmask = request.user.has_perm("enterprises.view_personal_data")
        content = importing.export_workbook(importer, importer.export_rows(qs, unmask=unmask))
        record.write(EXPORT, request.user, actor=request.user, after=False,
                     message=f"导出{importer.label}：{request.GET.urlencode()}"[:500])
        stamp = timezone.localtime().strftime("%Y%m%d%H%M")
        return xlsx_response(content, f"{importer.label}-{stamp}.xlsx")


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
        form = self.get_form(request, obj, request.POST)
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
        upload = request.FILES.get("file")
        if upload is None:
            return render(request, self.template_name, {
                "importer": importer, "list_url_name": self.list_url_name,
                "form_error": "请选择要导入的Excel文件"}, status=400)
        data = upload.read()
        dry_run = request.POST.get("mode") != "commit"
        update = request.POST.get("update") == "on"
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
