"""Named audit actions of the cultivation app."""

from kechuang.audit.events import register

LOAD_RULES = register("cultivation.load_rules", "载入评价规则")
SAVE_ASSESSMENT_FIGURES = register("cultivation.save_assessment_figures", "保存自评数据")
BUILD_CAMPAIGN = register("cultivation.build_campaign", "生成清零名单")
ASSIGN_ENTRY = register("cultivation.assign_entry", "分配清零责任人")
LOG_INTERVENTION = register("cultivation.log_intervention", "登记清零服务")
CHANGE_ENTRY_STATUS = register("cultivation.change_entry_status", "变更清零状态")
COMPUTE_ENTITLEMENT = register("cultivation.compute_entitlement", "计算免申即享金额")
APPROVE_ENTITLEMENT = register("cultivation.approve_entitlement", "审核通过免申即享")
REJECT_ENTITLEMENT = register("cultivation.reject_entitlement", "不予兑现免申即享")
PAY_ENTITLEMENT = register("cultivation.pay_entitlement", "登记免申即享兑付")
COMPUTE_CANDIDATES = register("cultivation.compute_candidates", "计算培育候选名单")
