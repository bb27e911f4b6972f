"""Enterprise registry pages: thin views over the generic ones; writes through services."""

from django.db import connection
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from kechuang.accounts import scope
from kechuang.accounts.choices import DataScope
from kechuang.audit import record
from kechuang.core.masking import mask_email, mask_name, mask_phone, personal_context
from kechuang.core.money import format_amount
from kechuang.core.views import ImportView, ObjectDetailView, ObjectEditView, ObjectListView

from . import services
from .filtersets import AnnualIndicatorFilterSet, CertificationFilterSet, EnterpriseFilterSet
from .forms import AnnualIndicatorForm, CertificationForm, EnterpriseForm
from .models import AnnualIndicator, Certification, Enterprise


class EnterpriseListView(ObjectListView):
    model = Enterprise
    filterset_class = EnterpriseFilterSet
    title = "企业库"
    importer_name = "enterprises"
    add_url_name = "enterprises:enterprise_add"
    import_url_name = "enterprises:enterprise_import"
    columns = (
        ("企业名称", "name"),
        ("统一社会信用代码", "uscc"),
        ("所属区域", lambda e: e.region.name),
        ("行业代码", "industry_code"),
        ("成立日期", "established_on"),
        ("存续", lambda e: "是" if e.is_active else "否"),
    )

    list_only = ("name", "uscc", "region__name", "industry_code", "established_on",
                 "is_active")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("region")

    def count_version(self, request, filterset):
        # The list version moves with every committed write to the tables this list reads,
        # filters and searches (enterprises, certifications, indicators, regions: migrations
        # 0003 and 0005), so any filtered list may be kept per version. Not for 仅本人
        # scopes: their rules read other tables (memberships, portfolios).
        user = request.user
        if not user.is_superuser and any(r.data_scope == DataScope.OWN for r in
                                         scope.user_roles(user)):
            return None
        return list_version

    def row_url(self, obj):
        # One reverse per request rather than one per row.
        template = getattr(self, "_url_template", None)
        if template is None:
            template = self._url_template = reverse(
                "enterprises:enterprise_detail", args=[_PK_PLACEHOLDER]).replace(
                str(_PK_PLACEHOLDER), "{}")
        return template.format(obj.pk)


_PK_PLACEHOLDER = 918273645


def list_version() -> int:
    """The committed-write counter of the tables behind the unfiltered list count."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT n FROM enterprises_listversion WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0


PERSONAL_PERM = "enterprises.view_personal_data"
CONTACT_FIELDS = {
    "法定代表人": ("legal_representative", mask_name),
    "联系人": ("contact_name", mask_name),
    "联系电话": ("contact_phone", mask_phone),
    "电子邮箱": ("contact_email", mask_email),
}


class EnterpriseDetailView(ObjectDetailView):
    model = Enterprise
    template_name = "enterprises/enterprise_detail.html"

    def get_object(self, request, pk, action="view"):
        qs = Enterprise.objects.restrict(request.user, action).select_related("region")
        return get_object_or_404(qs.prefetch_related(
            Prefetch("annual_indicators", AnnualIndicator.objects.order_by("-year")),
            Prefetch("certifications", Certification.objects.order_by("-year", "kind")),
        ), pk=pk)

    def extra_context(self, request, obj):
        indicators = [
            {
                "object": ind,
                "cells": [ind.year, ind.staff_total, ind.st_staff,
                          format_amount(ind.sales_revenue), format_amount(ind.rd_expense),
                          format_amount(ind.total_assets), format_amount(ind.hitech_revenue),
                          ind.ip_class1, ind.ip_class2,
                          "是" if ind.is_above_scale_industrial else "否"],
            }
            for ind in obj.annual_indicators.all()
        ]
        history = record.history_for(obj)[:50]
        return {
            **personal_context(request, obj, PERSONAL_PERM, CONTACT_FIELDS,
                               message="查看联系人明文"),
            "indicators": indicators,
            "indicator_headers": ["年度", "职工", "科技人员", "销售收入", "研发费用", "资产总额",
                                  "高新收入", "Ⅰ类IP", "Ⅱ类IP", "规上工业"],
            "certifications": obj.certifications.all(),
            "history": history,
            "can_change": Enterprise.objects.restrict(request.user, "change").filter(
                pk=obj.pk).exists(),
            "can_add_indicator": request.user.has_perm("enterprises.add_annualindicator"),
            "can_add_certification": request.user.has_perm("enterprises.add_certification"),
            "can_view_history": request.user.has_perm("enterprises.change_enterprise"),
        }


class EnterpriseEditView(ObjectEditView):
    model = Enterprise
    form_class = EnterpriseForm

    def save(self, request, form, obj):
        data = {k: form.cleaned_data[k] for k in form.changed_data or form.cleaned_data
                if k in form.cleaned_data and not form.fields[k].disabled}
        if obj is None:
            return services.create_enterprise(actor=request.user, data=form.cleaned_data)
        return services.update_enterprise(actor=request.user, enterprise=obj, data=data)


class _EnterpriseChildEdit(ObjectEditView):
    """Edit a row that belongs to an enterprise the user may change."""

    def get_enterprise(self, request, enterprise_pk):
        return get_object_or_404(Enterprise.objects.restrict(request.user, "view"),
                                 pk=enterprise_pk)

    def get(self, request, enterprise_pk, pk=None):
        self.check(request, pk)
        self.enterprise = self.get_enterprise(request, enterprise_pk)
        return super().get(request, pk)

    def post(self, request, enterprise_pk, pk=None):
        self.check(request, pk)
        self.enterprise = self.get_enterprise(request, enterprise_pk)
        return super().post(request, pk)

    def get_object(self, request, pk):
        if pk is None:
            return None
        qs = self.model.objects.restrict(request.user, "change").filter(
            enterprise=self.enterprise)
        return get_object_or_404(qs, pk=pk)

    def title(self, obj):
        return f"{self.enterprise}：{'编辑' if obj else '新增'}{self.model._meta.verbose_name}"

    def success_url(self, obj):
        return self.enterprise.get_absolute_url()


class AnnualIndicatorEditView(_EnterpriseChildEdit):
    model = AnnualIndicator
    form_class = AnnualIndicatorForm

    def save(self, request, form, obj):
        data = {k: v for k, v in form.cleaned_data.items() if k != "year"}
        return services.record_annual_indicator(actor=request.user, enterprise=self.enterprise,
                                                year=form.cleaned_data["year"], data=data)


class CertificationEditView(_EnterpriseChildEdit):
    model = Certification
    form_class = CertificationForm

    def save(self, request, form, obj):
        return services.record_certification(actor=request.user, enterprise=self.enterprise,
                                             data=form.cleaned_data, certification=obj)


class AnnualIndicatorListView(ObjectListView):
    model = AnnualIndicator
    filterset_class = AnnualIndicatorFilterSet
    title = "年度指标"
    importer_name = "indicators"
    import_url_name = "enterprises:indicator_import"
    columns = (
        ("企业", lambda i: i.enterprise.name), ("年度", "year"), ("职工", "staff_total"),
        ("科技人员", "st_staff"), ("销售收入", lambda i: format_amount(i.sales_revenue)),
        ("研发费用", lambda i: format_amount(i.rd_expense)),
        ("规上工业", lambda i: "是" if i.is_above_scale_industrial else "否"),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("enterprise")


class CertificationListView(ObjectListView):
    model = Certification
    filterset_class = CertificationFilterSet
    title = "资质认定"
    importer_name = "certifications"
    import_url_name = "enterprises:certification_import"
    columns = (
        ("企业", lambda c: c.enterprise.name), ("类别", lambda c: c.get_kind_display()),
        ("年度", "year"), ("状态", lambda c: c.get_status_display()), ("编号", "number"),
        ("认定日期", "issued_on"), ("有效期至", "valid_until"),
        ("首次申报", lambda c: "是" if c.is_first_application else "否"),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("enterprise")


class EnterpriseImportView(ImportView):
    model = Enterprise
    importer_name = "enterprises"
    list_url_name = "enterprises:enterprise_list"


class AnnualIndicatorImportView(ImportView):
    model = AnnualIndicator
    importer_name = "indicators"
    list_url_name = "enterprises:indicator_list"


class CertificationImportView(ImportView):
    model = Certification
    importer_name = "certifications"
    list_url_name = "enterprises:certification_list"


def my_enterprise(request):
    """An enterprise user's shortcut to its own record."""
    ent = Enterprise.objects.restrict(request.user, "view").first()
    if ent is None:
        return redirect("core:home")
    return redirect(ent)
