from kechuang.audit import record
from kechuang.core.masking import CONTACT_FIELDS, personal_context
from kechuang.core.views import ImportView, ObjectDetailView, ObjectEditView, ObjectListView

from . import services
from .filtersets import CarrierFilterSet
from .forms import CarrierForm
from .models import Carrier


class CarrierListView(ObjectListView):
    model = Carrier
    filterset_class = CarrierFilterSet
    title = "创新载体"
    importer_name = "carriers"
    add_url_name = "carriers:carrier_add"
    import_url_name = "carriers:carrier_import"
    columns = (
        ("载体名称", "name"), ("类型", lambda c: c.get_kind_display()),
        ("级别", lambda c: c.get_level_display()), ("依托单位", "host_name"),
        ("成立日期", "opened_on"), ("认定日期", "recognized_on"),
        ("所属区域", lambda c: c.region.name),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("region")


class CarrierDetailView(ObjectDetailView):
    model = Carrier
    template_name = "carriers/carrier_detail.html"

    def extra_context(self, request, obj):
        return {
            **personal_context(request, obj, "enterprises.view_personal_data", CONTACT_FIELDS,
                               message="查看载体联系人明文"),
            "achievements": obj.achievements.order_by("-id")[:20],
            "history": record.history_for(obj)[:30],
            "can_change": Carrier.objects.restrict(request.user, "change").filter(
                pk=obj.pk).exists(),
        }


class CarrierEditView(ObjectEditView):
    model = Carrier
    form_class = CarrierForm

    def save(self, request, form, obj):
        if obj is None:
            return services.create_carrier(actor=request.user, data=form.cleaned_data)
        return services.update_carrier(actor=request.user, carrier=obj, data=form.cleaned_data)


class CarrierImportView(ImportView):
    model = Carrier
    importer_name = "carriers"
    list_url_name = "carriers:carrier_list"
