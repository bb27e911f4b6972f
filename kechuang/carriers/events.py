"""Named audit actions of the carrier registry."""

from kechuang.audit.events import register

LINK_USER = register("carrier.link_user", "绑定机构账号")
