"""Excel row schema for technical demands; every write goes through services."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError

from kechuang.accounts.scope import region_allowed
from kechuang.achievements.techfields import SUB_FIELD_CHOICES, TechField
from kechuang.core.importing import (
    Column,
    Importer,
    ParsedRow,
    Progress,
    RowValidationError,
    register,
    service_errors,
)
from kechuang.core.masking import mask_name, mask_phone
from kechuang.enterprises.models import Enterprise

from . import services
from .choices import DemandStatus
from .filtersets import TechDemandFilterSet
from .models import TechDemand
from .validation import demand_errors, split_keywords


@register
class TechDemandImporter(Importer):
    name = "demands"
    model = TechDemand
    filterset_class = TechDemandFilterSet
    label = "技术需求"
    key_field = "uscc"
    supports_update = False  # every row is a new record
    reject_duplicate_rows = True
    repeat_name_field = "title"
    repeat_ignored_fields = ("enterprise_name", "publish")
    repeat_related = ("enterprise",)
    columns = (
        Column("统一社会信用代码", "uscc", "code", required=True, max_length=18, width=22,
               help="需求企业，须已在企业库登记"),
        Column("企业名称", "enterprise_name", width=30, help="仅供核对，不导入"),
        Column("需求名称", "title", required=True, max_length=200, width=30),
        Column("需求描述", "description", required=True, max_length=20000, width=50,
               help="企业自己的表述：遇到的问题和期望效果"),
        Column("技术领域", "field", "choice", choices=tuple(TechField.choices)),
        Column("技术子领域", "sub_field", "choice", choices=tuple(SUB_FIELD_CHOICES), width=30),
        Column("关键词", "keywords", max_length=500, help="用逗号分隔"),
        Column("预算（元）", "budget", "decimal"),
        Column("期望解决日期", "deadline", "date"),
        Column("匿名发布", "is_anonymous", "bool"),
        Column("联系人", "contact_name", max_length=64, personal=True),
        Column("联系电话", "contact_phone", "code", max_length=32, personal=True),
        Column("直接发布", "publish", "bool", help="“是”表示已审核，导入后直接发布"),
    )
    instructions = ("5. 每行新增一条需求；“直接发布”需要审核权限。",)

    def prepare(self, rows: list[ParsedRow], *, actor, update: bool) -> None:
        codes = {r.values["uscc"] for r in rows if r.values.get("uscc")}
        ents = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=codes)
                .select_related("region")}
        for row in rows:
            v = row.values
            ent = ents.get(v.get("uscc") or "")
            if v.get("uscc") and ent is None:
                row.errors.setdefault("uscc", f"统一社会信用代码{v['uscc']}未登记，请先导入企业")
            elif ent is not None and actor is not None and not region_allowed(actor, ent.region):
                row.errors.setdefault("uscc", "该企业不在您的数据权限范围内")
            v["keywords"] = split_keywords(v.get("keywords"))
            checked = {k: v[k] for k in ("title", "description", "field", "sub_field",
                                          "budget") if k in v}
            for key, msg in demand_errors(checked).items():
                row.errors.setdefault(key, msg)
            if v.get("publish") and actor is not None and not actor.has_perm(
                    "demands.review_techdemand"):
                row.errors.setdefault("publish", "您没有审核发布技术需求的权限")
            v["_enterprise"] = ent

    def commit(self, rows: list[ParsedRow], *, actor, update: bool,
               progress: Progress | None) -> tuple[int, int]:
        for i, row in enumerate(rows, start=1):
            v = row.values
            data = {k: val for k, val in v.items() if not k.startswith("_")
                    and k not in ("uscc", "enterprise_name", "publish") and val is not None}
            try:
                services.create_demand(actor=actor, enterprise=v["_enterprise"], data=data,
                                       publish=bool(v.get("publish")))
            except ValidationError as exc:
                raise RowValidationError(service_errors(self, row, exc)) from exc
            if progress and (i % 200 == 0 or i == len(rows)):
                progress(i, len(rows))
        return len(rows), 0

    def stored_value(self, obj, field_name: str) -> Any:
        if field_name == "uscc":
            return obj.enterprise.uscc
        return super().stored_value(obj, field_name)

    def export_rows(self, queryset, *, unmask: bool) -> Iterable[dict[str, Any]]:
        for d in queryset.select_related("enterprise").iterator(chunk_size=2000):
            yield {
                "uscc": d.enterprise.uscc, "enterprise_name": d.enterprise.name,
                "title": d.title, "description": d.description, "field": d.field or None,
                "sub_field": d.sub_field or None, "keywords": "，".join(d.keywords or []),
                "budget": d.budget, "deadline": d.deadline, "is_anonymous": d.is_anonymous,
                "contact_name": d.contact_name if unmask else mask_name(d.contact_name),
                "contact_phone": d.contact_phone if unmask else mask_phone(d.contact_phone),
                "publish": d.status != DemandStatus.PENDING,
            }
