"""Pages for awards and standards (科小 D2/D4 inputs): lists, import, add/edit per enterprise."""

from kechuang.core.views import ImportView, ObjectListView

from . import services
from .forms import AwardForm, StandardForm
from .models import Award, Standard
from .record_filters import AwardFilterSet, StandardFilterSet
from .views import _EnterpriseChildEdit


class AwardEditView(_EnterpriseChildEdit):
    model = Award
    form_class = AwardForm

    def save(self, request, form, obj):
        return services.record_award(actor=request.user, enterprise=self.enterprise,
                                     data=form.cleaned_data, award=obj)


class StandardEditView(_EnterpriseChildEdit):
    model = Standard
    form_class = StandardForm

    def save(self, request, form, obj):
        return services.record_standard(actor=request.user, enterprise=self.enterprise,
                                        data=form.cleaned_data, standard=obj)


class AwardListView(ObjectListView):
    model = Award
    filterset_class = AwardFilterSet
    title = "科技奖励"
    importer_name = "awards"
    import_url_name = "enterprises:award_import"
    columns = (
        ("企业", lambda a: a.enterprise.name), ("奖项名称", "name"),
        ("级别", lambda a: a.get_level_display()), ("等级", lambda a: a.get_grade_display()),
        ("获奖单位排名", "org_rank"), ("获奖年度", "year"), ("获奖项目", "project"),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("enterprise")

    def row_url(self, obj):
        return obj.enterprise.get_absolute_url()


class StandardListView(ObjectListView):
    model = Standard
    filterset_class = StandardFilterSet
    title = "标准制定"
    importer_name = "standards"
    import_url_name = "enterprises:standard_import"
    columns = (
        ("企业", lambda s: s.enterprise.name), ("标准编号", "code"), ("标准名称", "name"),
        ("标准类别", lambda s: s.get_level_display()),
        ("参与方式", lambda s: s.get_role_display()), ("起草单位排名", "drafting_rank"),
        ("发布日期", "published_on"),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("enterprise")

    def row_url(self, obj):
        return obj.enterprise.get_absolute_url()


class AwardImportView(ImportView):
    model = Award
    importer_name = "awards"
    list_url_name = "enterprises:award_list"


class StandardImportView(ImportView):
    model = Standard
    importer_name = "standards"
    list_url_name = "enterprises:standard_list"
