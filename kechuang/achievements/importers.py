"""Excel row schema for achievements; every write goes through services."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError

from kechuang.accounts.scope import region_allowed
from kechuang.core.importing import (
    Column,
    Importer,
    ParsedRow,
    Progress,
    RowValidationError,
    register,
    service_errors,
    shown_value,
)
from kechuang.core.masking import mask_name, mask_phone
from kechuang.regions.models import Region

from . import services
from .choices import AchievementStatus, IpType, Maturity, OwnerKind, TransferMode
from .filtersets import AchievementFilterSet
from .models import Achievement
from .techfields import SUB_FIELD_CHOICES, TechField
from .validation import achievement_errors, split_keywords


def region_lookup() -> dict[str, Region]:
    lookup: dict[str, Region] = {}
    for region in Region.objects.filter(kind__in=["district", "subdistrict", "park"]):
        lookup.setdefault(region.name, region)
        lookup[region.code] = region
    return lookup


def resolve_region(row: ParsedRow, regions: dict[str, Region], actor) -> None:
    name = row.values.get("region")
    if name is None:
        return
    region = regions.get(name)
    if region is None:
        row.errors["region"] = f"所属区域“{shown_value(name)}”不存在"
    elif actor is not None and not region_allowed(actor, region):
        row.errors["region"] = f"所属区域“{shown_value(name)}”不在您的数据权限范围内"
    else:
        row.values["region"] = region


@register
class AchievementImporter(Importer):
    name = "achievements"
    model = Achievement
    filterset_class = AchievementFilterSet
    label = "科技成果"
    key_field = "title"
    supports_update = False  # every row is a new record
    reject_duplicate_rows = True
    repeat_name_field = "title"
    repeat_ignored_fields = ("publish",)
    columns = (
        Column("成果名称", "title", required=True, max_length=200, width=30),
        Column("成果持有方", "owner_name", required=True, max_length=128, width=24),
        Column("持有方类型", "owner_kind", "choice", choices=tuple(OwnerKind.choices)),
        Column("成果简介", "abstract", required=True, max_length=20000, width=50),
        Column("关键词", "keywords", max_length=500, help="用逗号分隔"),
        Column("技术领域", "field", "choice", required=True, choices=tuple(TechField.choices)),
        Column("技术子领域", "sub_field", "choice", choices=tuple(SUB_FIELD_CHOICES), width=30),
        Column("成熟度", "maturity", "choice", choices=tuple(Maturity.choices)),
        Column("知识产权类型", "ip_type", "choice", choices=tuple(IpType.choices)),
        Column("知识产权编号", "ip_number", "code", max_length=64, width=22),
        Column("转化方式", "transfer_mode", "choice", choices=tuple(TransferMode.choices)),
        Column("意向价格（元）", "price", "decimal", help="空表示面议"),
        Column("所属区域", "region", required=True, help="街道/园区名称或区划代码"),
        Column("联系人", "contact_name", max_length=64, personal=True),
        Column("联系电话", "contact_phone", "code", max_length=32, personal=True),
        Column("直接发布", "publish", "bool", help="“是”表示已审核，导入后直接发布"),
    )
    instructions = ("5. 每行新增一项成果；“直接发布”需要审核权限。",)

    def prepare(self, rows: list[ParsedRow], *, actor, update: bool) -> None:
        regions = region_lookup()
        for row in rows:
            v = row.values
            resolve_region(row, regions, actor)
            v["keywords"] = split_keywords(v.get("keywords"))
            checked = {k: v[k] for k in ("title", "abstract", "owner_name", "field",
                                          "sub_field", "price", "ip_type", "ip_number")
                       if k in v}
            for key, msg in achievement_errors(checked).items():
                row.errors.setdefault(key, msg)
            if v.get("publish") and actor is not None and not actor.has_perm(
                    "achievements.review_achievement"):
                row.errors.setdefault("publish", "您没有审核发布科技成果的权限")

    def commit(self, rows: list[ParsedRow], *, actor, update: bool,
               progress: Progress | None) -> tuple[int, int]:
        for i, row in enumerate(rows, start=1):
            data = {k: val for k, val in row.values.items() if k != "publish"
                    and val is not None}
            try:
                services.create_achievement(actor=actor, data=data,
                                            publish=bool(row.values.get("publish")))
            except ValidationError as exc:
                raise RowValidationError(service_errors(self, row, exc)) from exc
            if progress and (i % 200 == 0 or i == len(rows)):
                progress(i, len(rows))
        return len(rows), 0

    def export_rows(self, queryset, *, unmask: bool) -> Iterable[dict[str, Any]]:
        for a in queryset.select_related("region").iterator(chunk_size=2000):
            yield {
                "title": a.title, "owner_name": a.owner_name, "owner_kind": a.owner_kind,
                "abstract": a.abstract, "keywords": "，".join(a.keywords or []),
                "field": a.field, "sub_field": a.sub_field or None, "maturity": a.maturity,
                "ip_type": a.ip_type, "ip_number": a.ip_number, "transfer_mode":
                a.transfer_mode, "price": a.price, "region": a.region.name,
                "contact_name": a.contact_name if unmask else mask_name(a.contact_name),
                "contact_phone": a.contact_phone if unmask else mask_phone(a.contact_phone),
                "publish": a.status != AchievementStatus.PENDING,
            }
