"""Achievement registry pages; writes through services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views import View

from kechuang.audit import record
from kechuang.core.masking import mask_name, mask_phone
from kechuang.core.money import format_amount
from kechuang.core.redirects import redirect_next
from kechuang.core.views import (
    ImportView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    require_perm,
)
from kechuang.demands.forms import ReviewForm, StatusForm
from kechuang.demands.views import messages_of

from . import services
from .choices import ACHIEVEMENT_TRANSITIONS, AchievementStatus
from .filtersets import AchievementFilterSet
from .forms import AchievementForm
from .models import Achievement


def price_text(value) -> str:
    return format_amount(value) if value is not None else "面议"


class AchievementListView(ObjectListView):
    model = Achievement
    filterset_class = AchievementFilterSet
    title = "科技成果库"
    importer_name = "achievements"
    add_url_name = "achievements:achievement_add"
    import_url_name = "achievements:achievement_import"
    columns = (
        ("成果名称", "title"), ("持有方", "owner_name"),
        ("技术领域", lambda a: a.get_field_display()),
        ("成熟度", lambda a: a.get_maturity_display()),
        ("转化方式", lambda a: a.get_transfer_mode_display()),
        ("意向价格", lambda a: price_text(a.price)),
        ("状态", lambda a: a.get_status_display()),
    )


class AchievementDetailView(ObjectDetailView):
    model = Achievement
    template_name = "achievements/achievement_detail.html"

    def extra_context(self, request, obj):
        unmask = request.user.has_perm("enterprises.view_personal_data")
        reviewer = request.user.has_perm("achievements.review_achievement")
        return {
            "contact_name": obj.contact_name if unmask else mask_name(obj.contact_name),
            "contact_phone": obj.contact_phone if unmask else mask_phone(obj.contact_phone),
            "price": price_text(obj.price),
            "history": record.history_for(obj)[:30],
            "can_change": Achievement.objects.restrict(request.user, "change").filter(
                pk=obj.pk).exists(),
            "can_review": reviewer and obj.status in (AchievementStatus.PENDING,
                                                      AchievementStatus.REJECTED),
            "next_statuses": [(s, AchievementStatus(s).label)
                              for s in ACHIEVEMENT_TRANSITIONS.get(obj.status, ())
                              if s not in (AchievementStatus.PUBLISHED,
                                           AchievementStatus.REJECTED) or reviewer],
            "can_match": request.user.has_perm("matching.view_matchsuggestion"),
        }


class AchievementEditView(ObjectEditView):
    model = Achievement
    form_class = AchievementForm

    def save(self, request, form, obj):
        if obj is None:
            return services.create_achievement(actor=request.user, data=form.cleaned_data)
        return services.update_achievement(actor=request.user, achievement=obj,
                                           data=form.cleaned_data)


class AchievementReviewView(View):
    def post(self, request, pk):
        require_perm(request.user, Achievement, "review")
        obj = get_object_or_404(Achievement.objects.restrict(request.user, "change"), pk=pk)
        form = ReviewForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请选择审核结论")
            return redirect(obj)
        try:
            services.review_achievement(actor=request.user, achievement=obj,
                                        approve=form.cleaned_data["decision"] == "approve",
                                        note=form.cleaned_data["note"])
        except ValidationError as exc:
            messages.error(request, messages_of(exc))
        else:
            messages.success(request, "审核结果已保存")
        return redirect_next(request, obj.get_absolute_url())


class AchievementStatusView(View):
    def post(self, request, pk):
        require_perm(request.user, Achievement, "change")
        obj = get_object_or_404(Achievement.objects.restrict(request.user, "change"), pk=pk)
        form = StatusForm(request.POST)
        if form.is_valid():
            try:
                services.change_achievement_status(actor=request.user, achievement=obj,
                                                   status=form.cleaned_data["status"],
                                                   note=form.cleaned_data["note"])
            except ValidationError as exc:
                messages.error(request, messages_of(exc))
            else:
                messages.success(request, "状态已更新")
        return redirect(obj)


class AchievementImportView(ImportView):
    model = Achievement
    importer_name = "achievements"
    list_url_name = "achievements:achievement_list"
