"""Named audit actions of the achievement registry."""

from kechuang.audit.events import register

REVIEW_PUBLISH = register("achievement.publish", "审核发布科技成果")
REVIEW_REJECT = register("achievement.reject", "退回科技成果")
CHANGE_STATUS = register("achievement.change_status", "变更成果状态")
