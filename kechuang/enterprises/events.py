"""Named audit actions of the enterprise registry."""

from kechuang.audit.events import register

# filing a year's figures again sets the same row's fields: unchanged figures are not recorded
RECORD_INDICATOR = register("enterprise.record_indicator", "填报年度指标", field_update=True)
RECORD_CERTIFICATION = register("enterprise.record_certification", "登记资质认定")
LINK_USER = register("enterprise.link_user", "绑定企业账号")
DEACTIVATE = register("enterprise.deactivate", "注销企业")
RECORD_AWARD = register("enterprise.record_award", "登记科技奖励")
RECORD_STANDARD = register("enterprise.record_standard", "登记标准制定")
