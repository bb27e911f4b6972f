"""Expert library pages; personal data masked unless permitted (and unmasking is logged)."""

from django.shortcuts import redirect

from kechuang.audit import record
from kechuang.core.masking import mask_email, mask_id_number, mask_phone, personal_context
from kechuang.core.views import ImportView, ObjectDetailView, ObjectEditView, ObjectListView

from . import services
from .filtersets import ExpertFilterSet
from .forms import ExpertForm
from .models import Expert

PERSONAL_PERM = "experts.view_personal_data"
PERSONAL_FIELDS = {
    "手机号码": ("phone", mask_phone),
    "电子邮箱": ("email", mask_email),
    "证件号码": ("id_number", mask_id_number),
}


class ExpertListView(ObjectListView):
    model = Expert
    filterset_class = ExpertFilterSet
    title = "专家与人才库"
    importer_name = "experts"
    add_url_name = "experts:expert_add"
    import_url_name = "experts:expert_import"
    columns = (
        ("姓名", "name"), ("类别", lambda e: e.get_kind_display()),
        ("工作单位", "organisation"), ("国家/地区", "country"),
        ("技术领域", lambda e: "、".join(e.field_names) or "—"),
        ("服务方式", lambda e: e.get_service_mode_display()),
        ("手机号码", lambda e: mask_phone(e.phone)),
        ("状态", lambda e: e.get_status_display()),
    )


class ExpertDetailView(ObjectDetailView):
    model = Expert
    template_name = "experts/expert_detail.html"

    def extra_context(self, request, obj):
        return {
            **personal_context(request, obj, PERSONAL_PERM, PERSONAL_FIELDS,
                               message="查看专家个人信息明文"),
            "history": record.history_for(obj)[:30] if request.user.has_perm(
                "experts.change_expert") else [],
            "can_change": Expert.objects.restrict(request.user, "change").filter(
                pk=obj.pk).exists(),
        }


class ExpertEditView(ObjectEditView):
    model = Expert
    form_class = ExpertForm

    def save(self, request, form, obj):
        if obj is None:
            return services.create_expert(actor=request.user, data=form.cleaned_data)
        return services.update_expert(actor=request.user, expert=obj, data=form.cleaned_data)


class ExpertImportView(ImportView):
    model = Expert
    importer_name = "experts"
    list_url_name = "experts:expert_list"


def my_profile(request):
    expert = Expert.objects.filter(user=request.user).first() \
        if request.user.is_authenticated else None
    return redirect(expert) if expert else redirect("portal:claim")
