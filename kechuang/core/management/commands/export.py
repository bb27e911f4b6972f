"""``kechuang export NAME OUT.xlsx [filters] [--as-user USERNAME] [--unmask]``.

Writes the template's columns, so an export imports back unchanged. Rows pass through
``restrict(user, "export")`` when ``--as-user`` is given and through the model's FilterSet.
"""

from pathlib import Path
from types import SimpleNamespace

from django.core.management.base import CommandError

from kechuang.audit import record
from kechuang.audit.events import EXPORT
from kechuang.audit.models import OperationLog
from kechuang.core import context, importing
from kechuang.core.management.base import KechuangCommand
from kechuang.regions.models import Region

PERSONAL_PERMISSION = "enterprises.view_personal_data"
# option → FilterSet filter name(s), first match wins
FILTERS = {
    "region": ("region",),
    "industry": ("industry",),
    "certification": ("certification", "kind"),
    "year": ("year",),
    "above_scale": ("above_scale",),
    "q": ("q",),
}


class Command(KechuangCommand):
    help = "按筛选条件导出数据为Excel（与导入模板同列，可原样导回）"

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("name", help="数据类型，如 enterprises、indicators、certifications")
        parser.add_argument("out", help="输出的 .xlsx 文件")
        parser.add_argument("--region", metavar="CODE", help="区域代码（含下级）")
        parser.add_argument("--industry", metavar="C", help="行业门类字母，如 C")
        parser.add_argument("--certification", metavar="KIND",
                            help="资质类别，如 high_tech、national_tech_sme")
        parser.add_argument("--year", type=int, metavar="Y", help="年度")
        parser.add_argument("--above-scale", dest="above_scale", action="store_true",
                            help="仅规上工业企业")
        parser.add_argument("--q", metavar="TEXT", help="按名称、拼音、首字母或代码搜索")
        parser.add_argument("--unmask", action="store_true",
                            help="导出个人信息明文（须有查看个人信息明文的权限）")

    def handle(self, *args, **options) -> None:
        try:
            importer = importing.get_importer(options["name"])
        except KeyError as exc:
            raise CommandError(exc.args[0]) from exc
        if importer.model is None:
            raise CommandError(f"“{importer.label}”不支持导出")
        user = self.resolve_user(options.get("as_user"))
        model = importer.model
        if user is None:
            qs = model.objects.all()
        else:
            opts = model._meta
            if not user.has_perm(f"{opts.app_label}.export_{opts.model_name}"):
                raise CommandError(f"用户“{user.username}”没有导出{importer.label}的权限")
            qs = model.objects.restrict(user, "export")
        qs = self.apply_filters(importer, qs, options, user)
        unmask = bool(options["unmask"])
        if unmask and user is not None and not user.has_perm(PERSONAL_PERMISSION):
            raise CommandError(f"用户“{user.username}”没有查看个人信息明文的权限，不能使用--unmask")
        rows = list(importer.export_rows(qs, unmask=unmask))
        out = Path(options["out"])
        out.write_bytes(importing.export_workbook(importer, rows))
        self.audit(importer, user, options, len(rows))
        self.stdout.write(f"已导出{importer.label}{len(rows)}条：{out}"
                          + ("（含个人信息明文）" if unmask else "（个人信息已打码）"))

    def apply_filters(self, importer, qs, options, user):
        data: dict[str, object] = {}
        fs_class = importer.filterset_class
        available = set(fs_class.base_filters) if fs_class else set()
        generic_region = None
        for option, names in FILTERS.items():
            value = options.get(option)
            if value in (None, False, ""):
                continue
            target = next((n for n in names if n in available), None)
            if option == "region":
                region = Region.objects.filter(code=value).first()
                if region is None:
                    raise CommandError(f"区域代码“{value}”不存在")
                if target is None:
                    generic_region = region
                    continue
                value = region.pk
            if target is None:
                flag = "--" + option.replace("_", "-")
                raise CommandError(f"“{importer.label}”不支持{flag}筛选")
            data[target] = "true" if value is True else str(value)
        if fs_class is not None and data:
            request = SimpleNamespace(user=user, GET=data)
            filterset = fs_class(data, queryset=qs, request=request)
            if not filterset.is_valid():
                messages = "；".join(f"{k}：{'、'.join(v)}" for k, v in filterset.errors.items())
                raise CommandError(f"筛选条件有误：{messages}")
            qs = filterset.qs
        if generic_region is not None:
            field = getattr(importer.model, "scope_region_field", None)
            if not field:
                raise CommandError(f"“{importer.label}”不支持--region筛选")
            qs = qs.filter(**{f"{field}__path__startswith": generic_region.path})
        return qs

    def audit(self, importer, user, options, count: int) -> None:
        args = " ".join(f"--{k.replace('_', '-')} {v}" for k, v in sorted(options.items())
                        if k in FILTERS and v not in (None, False, ""))
        message = f"命令行导出{importer.label}{count}条 {args}".strip()[:500]
        if user is not None:
            record.write(EXPORT, user, actor=user, after=False, message=message)
        ctx = context.current()
        OperationLog.objects.create(
            user=user, username=user.username if user else "系统", request_id=ctx.request_id,
            method="CLI", path=f"kechuang export {importer.name} {args}".strip()[:500],
            status=200, duration_ms=0, succeeded=True,
        )
