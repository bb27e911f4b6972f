"""Named audit actions of the demand registry."""

from kechuang.audit.events import register

SUBMIT = register("demand.submit", "提交技术需求")
REVIEW_PUBLISH = register("demand.publish", "审核发布技术需求")
REVIEW_REJECT = register("demand.reject", "退回技术需求")
CHANGE_STATUS = register("demand.change_status", "变更需求状态")
