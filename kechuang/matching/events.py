"""Named audit actions of matching."""

from kechuang.audit.events import register

RESPOND = register("match.respond", "答复匹配推荐")
REBUILD = register("match.rebuild_index", "重建检索索引")
