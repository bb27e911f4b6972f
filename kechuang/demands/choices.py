from django.db import models


class DemandStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    PUBLISHED = "published", "已发布"
    MATCHING = "matching", "对接中"
    SOLVED = "solved", "已解决"
    CLOSED = "closed", "已关闭"
    REJECTED = "rejected", "退回修改"


# Which status may follow which (the service enforces it).
DEMAND_TRANSITIONS: dict[str, tuple[str, ...]] = {
    DemandStatus.PENDING: (DemandStatus.PUBLISHED, DemandStatus.REJECTED, DemandStatus.CLOSED),
    DemandStatus.REJECTED: (DemandStatus.PENDING, DemandStatus.CLOSED),
    DemandStatus.PUBLISHED: (DemandStatus.MATCHING, DemandStatus.SOLVED, DemandStatus.CLOSED),
    DemandStatus.MATCHING: (DemandStatus.PUBLISHED, DemandStatus.SOLVED, DemandStatus.CLOSED),
    DemandStatus.SOLVED: (),
    DemandStatus.CLOSED: (),
}

VISIBLE_STATUSES = (DemandStatus.PUBLISHED, DemandStatus.MATCHING, DemandStatus.SOLVED)
