"""Named audit actions of the indicator catalogue."""

from kechuang.audit.events import register

RECORD_DISTRICT_FIGURE = register("indicators.record_district_figure", "登记各区指标数据")
SET_TARGET = register("indicators.set_target", "设定年度目标")
RECORD_MONTHLY_STAT = register("indicators.record_monthly_stat", "填报规上企业月度统计")
