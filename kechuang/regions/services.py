"""Writes to the region tree."""

from django.db import transaction

from kechuang.audit import record
from kechuang.audit.events import CREATE, UPDATE

from .models import Region


@transaction.atomic
def upsert_region(*, actor, code: str, name: str, kind: str, parent: Region | None,
                  is_home: bool = False, sort_order: int = 0) -> Region:
    region = Region.objects.filter(code=code).first()
    before = record.snapshot(region) if region else None
    if region is None:
        region = Region(code=code)
    region.name, region.kind, region.parent = name, kind, parent
    region.is_home, region.sort_order = is_home, sort_order
    region.save()
    record.write(UPDATE if before else CREATE, region, actor=actor, before=before)
    return region
