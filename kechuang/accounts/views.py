"""User and role pages for the 系统管理员 and 安全管理员 (no business data, no logs)."""

from kechuang.core.views import ObjectListView

from .models import Role, User


class UserListView(ObjectListView):
    model = User
    title = "用户管理"
    columns = (
        ("用户名", "username"),
        ("姓名", "display_name"),
        ("所属区域", lambda u: u.region or ""),
        ("角色", lambda u: "、".join(sorted(g.name for g in u.groups.all()))),
        ("启用", lambda u: "是" if u.is_active else "否"),
        ("最近登录", lambda u: u.last_login),
    )

    def get_queryset(self, request):
        # Users are not region-scoped records; the functional permission is the gate.
        return User.objects.select_related("region").prefetch_related("groups")


class RoleListView(ObjectListView):
    model = Role
    title = "角色与数据权限"
    columns = (
        ("角色", "name"),
        ("编码", "code"),
        ("数据权限", lambda r: r.get_data_scope_display()),
        ("权限数", lambda r: r.group.permissions.count()),
        ("说明", "description"),
    )

    def get_queryset(self, request):
        return Role.objects.select_related("group")
