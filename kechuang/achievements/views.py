"""Achievement registry pages; writes through services."""


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
from kechuang.demands.forms import ReviewForm, StatusForm

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
        reviewer = request.user.has_perm("achievements.review_achievement")
        return {
            **personal_context(request, obj, "enterprises.view_personal_data", CONTACT_FIELDS,
                               message="查看成果联系人明文"),
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


class AchievementReviewView(ObjectActionView):
    model, form_class = Achievement, ReviewForm
    permission_action = "review"
    invalid_message, success_message = "请选择审核结论", "审核结果已保存"

    def perform(self, request, obj, data):
        services.review_achievement(actor=request.user, achievement=obj,
                                    approve=data["decision"] == "approve", note=data["note"])


class AchievementStatusView(ObjectActionView):
    model, form_class = Achievement, StatusForm
    success_message = "状态已更新"

    def perform(self, request, obj, data):
        services.change_achievement_status(actor=request.user, achievement=obj,
                                           status=data["status"], note=data["note"])


class AchievementImportView(ImportView):
    model = Achievement
    importer_name = "achievements"
    list_url_name = "achievements:achievement_list"
