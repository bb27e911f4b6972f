"""The region tree (市 → 区 → 街道/园区) that scopes every record."""

from django.db import models
from django.db.models import Q


class RegionKind(models.TextChoices):
    CITY = "city", "市"
    DISTRICT = "district", "区（县、市）"
    SUBDISTRICT = "subdistrict", "街道（镇、乡）"
    PARK = "park", "园区"


class Region(models.Model):
    """A node of the region tree; ``path`` is a materialized path for subtree queries."""

    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=64)
    kind = models.CharField("类型", max_length=16, choices=RegionKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField("路径", max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField("层级", default=0, editable=False)
    is_home = models.BooleanField(
        "本区", default=False, help_text="平台服务的本区（其他区仅用于全市对比）"
    )
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "区域"
        verbose_name_plural = "区域"
        ordering = ("path",)

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if self.parent_id:
            parent = self.parent
            self.path = f"{parent.path}{self.code}/"
            self.depth = parent.depth + 1
        else:
            self.path = f"{self.code}/"
            self.depth = 0
        super().save(*args, **kwargs)

    def subtree_q(self, prefix: str = "region") -> Q:
        """``Q`` matching records whose region is this one or a descendant."""
        return Q(**{f"{prefix}__path__startswith": self.path})

    def descendants(self, include_self: bool = True):
        qs = Region.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)

    def ancestors(self):
        codes = [c for c in self.path.split("/") if c]
        return Region.objects.filter(code__in=codes).order_by("depth")

    @property
    def full_name(self) -> str:
        return "".join(r.name for r in self.ancestors() if r.kind != RegionKind.CITY)


def home_district() -> Region | None:
    return Region.objects.filter(is_home=True).first()
