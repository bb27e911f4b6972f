"""Excel row schema for experts; every write goes through services."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError

from kechuang.achievements.importers import region_lookup, resolve_region
from kechuang.achievements.techfields import field_by_label, field_label
from kechuang.core.importing import (
    Column,
    Importer,
    ParsedRow,
    Progress,
    RowValidationError,
    register,
    service_errors,
)
from kechuang.core.masking import mask_email, mask_id_number, mask_phone

from . import services
from .choices import ExpertKind, ServiceMode, TalentProgramme
from .filtersets import ExpertFilterSet
from .models import Expert
from .validation import as_list, expert_errors

_PROGRAMMES = {label: code for code, label in TalentProgramme.choices}


@register
class ExpertImporter(Importer):
    name = "experts"
    model = Expert
    filterset_class = ExpertFilterSet
    label = "专家与人才"
    key_field = "name"
    supports_update = False  # every row is a new record
    reject_duplicate_rows = True
    repeat_name_field = "name"
    columns = (
        Column("姓名", "name", required=True, max_length=64),
        Column("类别", "kind", "choice", required=True, choices=tuple(ExpertKind.choices)),
        Column("工作单位", "organisation", max_length=128, width=24),
        Column("职称/职务", "title", max_length=64),
        Column("国家/地区", "country", max_length=32),
        Column("工作语言", "languages", max_length=200, help="用逗号分隔"),
        Column("技术领域", "fields", max_length=200, width=24,
               help="国家重点支持的高新技术领域名称，多个用逗号分隔"),
        Column("专业方向", "specialties", max_length=5000, width=40),
        Column("可服务起始日", "availability_from", "date"),
        Column("可服务截止日", "availability_until", "date"),
        Column("服务方式", "service_mode", "choice", choices=tuple(ServiceMode.choices)),
        Column("人才计划入选", "talent_programmes", max_length=300, help="多个用逗号分隔"),
        Column("手机号码", "phone", "code", max_length=32, personal=True),
        Column("电子邮箱", "email", "email", max_length=254, personal=True),
        Column("证件号码", "id_number", "code", max_length=32, personal=True),
        Column("所属区域", "region", required=True),
    )

    def prepare(self, rows: list[ParsedRow], *, actor, update: bool) -> None:
        regions = region_lookup()
        for row in rows:
            v = row.values
            resolve_region(row, regions, actor)
            names = as_list(v.get("fields"))
            codes = [field_by_label(n) for n in names]
            if any(c is None for c in codes):
                bad = [n for n, c in zip(names, codes, strict=True) if c is None]
                row.errors["fields"] = f"技术领域无效：{'、'.join(bad)}"
            v["fields"] = [c for c in codes if c]
            progs = as_list(v.get("talent_programmes"))
            v["talent_programmes"] = [_PROGRAMMES.get(p, p) for p in progs]
            v["languages"] = as_list(v.get("languages"))
            checked = {k: v[k] for k in ("name", "talent_programmes", "availability_from",
                                          "availability_until", "phone", "id_number")
                       if k in v}
            for key, msg in expert_errors(checked).items():
                row.errors.setdefault(key, msg)

    def commit(self, rows: list[ParsedRow], *, actor, update: bool,
               progress: Progress | None) -> tuple[int, int]:
        for i, row in enumerate(rows, start=1):
            data = {k: val for k, val in row.values.items() if val is not None}
            try:
                services.create_expert(actor=actor, data=data)
            except ValidationError as exc:
                raise RowValidationError(service_errors(self, row, exc)) from exc
            if progress and (i % 200 == 0 or i == len(rows)):
                progress(i, len(rows))
        return len(rows), 0

    def export_rows(self, queryset, *, unmask: bool) -> Iterable[dict[str, Any]]:
        for e in queryset.select_related("region").iterator(chunk_size=2000):
            yield {
                "name": e.name, "kind": e.kind, "organisation": e.organisation,
                "title": e.title, "country": e.country, "languages": "，".join(e.languages),
                "fields": "，".join(field_label(f) for f in e.fields),
                "specialties": e.specialties, "availability_from": e.availability_from,
                "availability_until": e.availability_until, "service_mode": e.service_mode,
                "talent_programmes": "，".join(TalentProgramme(p).label for p in
                                              e.talent_programmes
                                              if p in TalentProgramme.values),
                "phone": e.phone if unmask else mask_phone(e.phone),
                "email": e.email if unmask else mask_email(e.email),
                "id_number": e.id_number if unmask else mask_id_number(e.id_number),
                "region": e.region.name,
            }
