"""Users, roles (= permission groups with a data scope) and their region grants."""

from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.urls import reverse

from .choices import DataScope, RoleCode


class User(AbstractUser):
    """A person using kechuang; ``region`` anchors the 本区域 data scopes."""

    display_name = models.CharField("姓名", max_length=64, blank=True)
    phone = models.CharField("手机号", max_length=32, blank=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name="所属区域", null=True, blank=True,
        on_delete=models.PROTECT, related_name="users",
    )
    must_change_password = models.BooleanField("首次登录须修改密码", default=False)
    # When the password was last set through the product; null: treat as ``date_joined``.
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    # Locked by the 安全管理员 (unlike ``is_active``, which the 系统管理员 sets): a locked
    # account cannot log in and its open sessions stop authenticating (``backends``).
    is_locked = models.BooleanField("已锁定", default=False)

    audit_masked_fields = ("password", "phone")

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ("username",)
        permissions = [("lock_user", "锁定与解锁账号")]
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("username"), name="accounts_user_username_ci_unique"
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    def get_absolute_url(self) -> str:
        return reverse("accounts:user_detail", args=[self.pk])

    def role_codes(self) -> set[str]:
        cache = getattr(self, "_kc_role_codes", None)
        if cache is None:
            cache = set(
                Role.objects.filter(group__user=self).values_list("code", flat=True)
            ) if self.pk else set()
            self._kc_role_codes = cache
        return cache

    def has_role(self, *codes: str) -> bool:
        return bool(self.role_codes() & set(codes))


class Role(models.Model):
    """A role: its permissions live on ``group``; its row-level scope on ``data_scope``.

    RuoYi keeps the data scope on the role; we do the same rather than a separate grant
    table, because every role in practice has exactly one scope.
    """

    code = models.CharField("角色编码", max_length=32, unique=True)
    name = models.CharField("角色名称", max_length=64)
    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="role")
    data_scope = models.CharField(
        "数据权限", max_length=16, choices=DataScope.choices, default=DataScope.OWN
    )
    regions = models.ManyToManyField(
        "regions.Region", verbose_name="自定区域", blank=True, related_name="+",
        help_text="数据权限为“自定数据”时可见的区域（含下级）",
    )
    is_builtin = models.BooleanField("内置", default=False)
    description = models.CharField("说明", max_length=255, blank=True)

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        ordering = ("id",)
        permissions = [("assign_role", "分配角色与权限")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:role_scope", args=[self.pk])

    @property
    def is_separated_admin(self) -> bool:
        return self.code in {
            RoleCode.SYSTEM_ADMIN, RoleCode.SECURITY_ADMIN, RoleCode.AUDIT_ADMIN
        }


class PasswordHistory(models.Model):
    """A password hash a user has set (AUTH-1: the last ``PASSWORD_HISTORY_COUNT`` may not
    be reused). Only hashes are kept, never raw passwords."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE,
                             related_name="password_history")
    password = models.CharField("密码摘要", max_length=128)
    created = models.DateTimeField("设置时间", auto_now_add=True)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        ordering = ("-created", "-pk")

    def __str__(self) -> str:
        return f"{self.user} {self.created:%Y-%m-%d %H:%M}"
