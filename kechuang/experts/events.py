"""Named audit actions of the expert library."""

from kechuang.audit.events import register

REGISTER = register("expert.register", "专家自助登记")
LINK_USER = register("expert.link_user", "绑定专家账号")
CHANGE_STATUS = register("expert.change_status", "变更专家状态")
