"""Excel row schema for carriers; every write goes through services."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError

from kechuang.achievements.importers import region_lookup, resolve_region
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

from . import services
from .choices import CarrierKind, CarrierLevel
from .filtersets import CarrierFilterSet
from .models import Carrier
from .validation import carrier_errors


@register
class CarrierImporter(Importer):
    name = "carriers"
    model = Carrier
    filterset_class = CarrierFilterSet
    label = "创新载体"
    key_field = "name"
    supports_update = False  # every row is a new record
    reject_duplicate_rows = True
    repeat_name_field = "name"
    columns = (
        Column("载体名称", "name", required=True, max_length=128, width=30),
        Column("类型", "kind", "choice", required=True, choices=tuple(CarrierKind.choices)),
        Column("级别", "level", "choice", required=True, choices=tuple(CarrierLevel.choices)),
        Column("依托单位", "host_name", max_length=128, width=24),
        Column("成立日期", "opened_on", "date"),
        Column("认定日期", "recognized_on", "date"),
        Column("简介", "description", max_length=5000, width=40),
        Column("地址", "address", max_length=255, width=30),
        Column("面积（平方米）", "area", "decimal"),
        Column("联系人", "contact_name", max_length=64, personal=True),
        Column("联系电话", "contact_phone", "code", max_length=32, personal=True),
        Column("所属区域", "region", required=True),
    )

    def prepare(self, rows: list[ParsedRow], *, actor, update: bool) -> None:
        regions = region_lookup()
        for row in rows:
            resolve_region(row, regions, actor)
            checked = {k: row.values[k] for k in ("name", "opened_on", "recognized_on", "area")
                       if k in row.values}
            for key, msg in carrier_errors(checked).items():
                row.errors.setdefault(key, msg)

    def commit(self, rows: list[ParsedRow], *, actor, update: bool,
               progress: Progress | None) -> tuple[int, int]:
        for i, row in enumerate(rows, start=1):
            data = {k: val for k, val in row.values.items() if val is not None}
            try:
                services.create_carrier(actor=actor, data=data)
            except ValidationError as exc:
                raise RowValidationError(service_errors(self, row, exc)) from exc
            if progress and (i % 200 == 0 or i == len(rows)):
                progress(i, len(rows))
        return len(rows), 0

    def export_rows(self, queryset, *, unmask: bool) -> Iterable[dict[str, Any]]:
        for c in queryset.select_related("region").iterator(chunk_size=2000):
            yield {
                "name": c.name, "kind": c.kind, "level": c.level, "host_name": c.host_name,
                "opened_on": c.opened_on, "recognized_on": c.recognized_on,
                "description": c.description, "address": c.address, "area": c.area,
                "contact_name": c.contact_name if unmask else mask_name(c.contact_name),
                "contact_phone": c.contact_phone if unmask else mask_phone(c.contact_phone),
                "region": c.region.name,
            }
