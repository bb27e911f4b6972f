"""Demand registry pages: thin views over the generic ones; writes through services."""

from django.shortcuts import get_object_or_404

from kechuang.audit import record
from kechuang.core.actions import ObjectActionView
from kechuang.core.masking import CONTACT_FIELDS, personal_context
from kechuang.core.money import format_amount
from kechuang.core.views import (
    ImportView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
)

from . import services
from .choices import DEMAND_TRANSITIONS, DemandStatus
from .filtersets import TechDemandFilterSet
from .forms import ReviewForm, StatusForm, TechDemandForm
from .models import TechDemand


class TechDemandListView(ObjectListView):
    model = TechDemand
    filterset_class = TechDemandFilterSet
    title = "技术需求库"
    importer_name = "demands"
    add_url_name = "demands:techdemand_add"
    import_url_name = "demands:techdemand_import"
    columns = (
        ("需求名称", "title"),
        ("企业", lambda d: d.enterprise.name),
        ("技术领域", lambda d: d.get_field_display() or "—"),
        ("预算", lambda d: format_amount(d.budget) if d.budget is not None else "面议"),
        ("状态", lambda d: d.get_status_display()),
        ("匿名", lambda d: "是" if d.is_anonymous else "否"),
        ("发布时间", lambda d: d.published_at.date() if d.published_at else "—"),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("enterprise")


class TechDemandDetailView(ObjectDetailView):
    model = TechDemand
    template_name = "demands/techdemand_detail.html"

    def get_object(self, request, pk, action="view"):
        qs = TechDemand.objects.restrict(request.user, action).select_related("enterprise",
                                                                              "region")
        return get_object_or_404(qs, pk=pk)

    def extra_context(self, request, obj):
        return {
            **personal_context(request, obj, "enterprises.view_personal_data", CONTACT_FIELDS,
                               message="查看需求联系人明文"),
            "budget": format_amount(obj.budget) if obj.budget is not None else "面议",
            "history": record.history_for(obj)[:30],
            "can_change": TechDemand.objects.restrict(request.user, "change").filter(
                pk=obj.pk).exists(),
            "can_review": request.user.has_perm("demands.review_techdemand")
            and obj.status in (DemandStatus.PENDING, DemandStatus.REJECTED),
            "next_statuses": [(s, DemandStatus(s).label)
                              for s in DEMAND_TRANSITIONS.get(obj.status, ())
                              if s not in (DemandStatus.PUBLISHED, DemandStatus.REJECTED)
                              or request.user.has_perm("demands.review_techdemand")],
            "can_match": request.user.has_perm("matching.view_matchsuggestion"),
        }


class TechDemandEditView(ObjectEditView):
    model = TechDemand
    form_class = TechDemandForm

    def save(self, request, form, obj):
        data = {k: v for k, v in form.cleaned_data.items() if k != "enterprise"}
        if obj is None:
            return services.create_demand(actor=request.user,
                                          enterprise=form.cleaned_data["enterprise"], data=data)
        return services.update_demand(actor=request.user, demand=obj, data=data)


class TechDemandReviewView(ObjectActionView):
    """POST: publish or return a pending demand (staff)."""

    model, form_class = TechDemand, ReviewForm
    permission_action = "review"
    invalid_message, success_message = "请选择审核结论", "审核结果已保存"

    def perform(self, request, obj, data):
        services.review_demand(actor=request.user, demand=obj,
                               approve=data["decision"] == "approve", note=data["note"])


class TechDemandStatusView(ObjectActionView):
    model, form_class = TechDemand, StatusForm
    success_message = "状态已更新"

    def perform(self, request, obj, data):
        services.change_demand_status(actor=request.user, demand=obj, status=data["status"],
                                      note=data["note"])


class TechDemandImportView(ImportView):
    model = TechDemand
    importer_name = "demands"
    list_url_name = "demands:techdemand_list"
