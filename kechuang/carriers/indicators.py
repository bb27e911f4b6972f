"""Indicators counted from the carrier registry."""

from kechuang.indicators.catalogue import FLOW, STOCK, Indicator, region_filter, register

from .choices import CarrierKind, CarrierLevel
from .models import Carrier

_COLUMNS = [("载体名称", "name"), ("级别", lambda c: c.get_level_display()),
            ("依托单位", "host_name"), ("认定日期", "recognized_on")]


def _complexes(period, region):
    return Carrier.objects.filter(kind=CarrierKind.INNOVATION_COMPLEX,
                                  level=CarrierLevel.PROVINCIAL,
                                  **region_filter("region", region))


register(Indicator(
    code="provincial_innovation_complexes_new", name="新增省级产业创新综合体", unit="个",
    module="创新载体", definition="期间内获得省级认定的产业创新综合体（以认定日期计）",
    semantics=FLOW, extra={"columns": _COLUMNS},
    source=lambda period, region: _complexes(period, region).filter(
        recognized_on__range=(period.start, period.end)),
))

register(Indicator(
    code="provincial_innovation_complexes_total", name="省级产业创新综合体", unit="个",
    module="创新载体", definition="期末已获省级认定、仍在运行的产业创新综合体",
    semantics=STOCK, extra={"columns": _COLUMNS},
    source=lambda period, region: _complexes(period, region).filter(
        recognized_on__lte=period.end, is_active=True),
))

register(Indicator(
    code="academician_workstations", name="新建院士工作站", unit="个", module="创新载体",
    definition="期间内建立（以建站日期计）的院士工作站", semantics=FLOW,
    extra={"columns": _COLUMNS},
    source=lambda period, region: Carrier.objects.filter(
        kind=CarrierKind.ACADEMICIAN_WORKSTATION,
        opened_on__range=(period.start, period.end), **region_filter("region", region)),
))
