"""User and role pages for the 系统管理员 and 安全管理员 (no business data, no logs).

Both read the user list and a user's page (``accounts.view_user``); only the 安全管理员
assigns roles (``accounts.assign_role``), sets a role's data scope (``accounts.change_role``)
and locks or unlocks accounts (``accounts.lock_user``); only the 系统管理员 deactivates or
re-activates accounts (``accounts.change_user``). Every write goes through ``services``.
"""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from kechuang.core.errors import first_messages
from kechuang.core.views import ObjectListView, apply_service_errors, require_perm

from . import lockout, services
from .choices import DataScope
from .filtersets import UserFilterSet
from .forms import LockForm, RoleAssignForm, RoleScopeForm, UserCreateForm
from .middleware import FORCED_CHANGE_MESSAGE, password_change_required
from .models import Role, User
from .passwords import HistoryPasswordChangeForm


def _status(user) -> str:
    if not user.is_active:
        return "停用"
    if user.is_locked:
        return "已锁定"
    if getattr(user, "login_locked", False):
        return "登录失败锁定"
    return "正常"


class UserListView(ObjectListView):
    model = User
    title = "用户管理"
    filterset_class = UserFilterSet
    add_url_name = "accounts:user_add"
    columns = (
        ("用户名", "username"),
        ("姓名", "display_name"),
        ("所属区域", lambda u: u.region or ""),
        ("角色", lambda u: "、".join(sorted(g.name for g in u.groups.all()))),
        ("启用", lambda u: "是" if u.is_active else "否"),
        ("状态", _status),
        ("最近登录", lambda u: u.last_login),
    )

    def get_queryset(self, request):
        # Users are not region-scoped records; the functional permission is the gate.
        locked = lockout.active_attempts().filter(username=OuterRef("username"))
        return (User.objects.select_related("region").prefetch_related("groups")
                .annotate(login_locked=Exists(locked)))


def scope_text(role: Role, user: User) -> str:
    """A role's data scope in words, for ``user`` (本区域 levels hang off the user's region)."""
    label = role.get_data_scope_display()
    if role.data_scope == DataScope.CUSTOM:
        names = "、".join(r.name for r in role.regions.all())
        return f"{label}（{names or '未选区域'}）"
    if role.data_scope in (DataScope.REGION, DataScope.REGION_TREE):
        return f"{label}（{user.region or '未设所属区域，无数据'}）"
    return label


CREATED_MESSAGE = ("账号“{username}”已创建。请通过安全途径将初始密码单独交给本人"
                   "（不要通过普通邮件或聊天工具发送），该用户首次登录时必须修改密码。")


class UserCreateView(View):
    """新建账号 (系统管理员, ``accounts.add_user``): the new user must change the initial
    password at first log-in."""

    def dispatch(self, request, *args, **kwargs):
        require_perm(request.user, User, "add")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render(request, UserCreateForm())

    def post(self, request):
        form = UserCreateForm(request.POST)
        if form.is_valid():
            data = {k: form.cleaned_data[k]
                    for k in ("username", "display_name", "region", "email", "password")}
            try:
                user = services.create_user(actor=request.user, data=data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, CREATED_MESSAGE.format(username=user.username))
                return redirect(user.get_absolute_url())
        return self.render(request, form, status=400)

    def render(self, request, form, status=200):
        return render(request, "accounts/user_create.html",
                      {"title": "新建账号", "form": form}, status=status)


class UserDetailView(View):
    def get(self, request, pk):
        require_perm(request.user, User, "view")
        user = get_object_or_404(User.objects.select_related("region"), pk=pk)
        roles = list(Role.objects.filter(group__user=user).order_by("id")
                     .prefetch_related("regions"))
        return render(request, "accounts/user_detail.html", {
            "title": f"用户：{user}", "object": user,
            "roles": [(r, scope_text(r, user)) for r in roles],
            "login_locked": lockout.is_locked_out(user.username),
            "can_assign": request.user.has_perm("accounts.assign_role"),
            "can_lock": request.user.has_perm("accounts.lock_user"),
            "can_activate": request.user.has_perm("accounts.change_user"),
            "lock_form": LockForm(),
        })


class UserRolesView(View):
    """Assign or remove roles (三员分立 refusals shown on the form, nothing changed)."""

    def dispatch(self, request, *args, **kwargs):
        require_perm(request.user, Role, "assign")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        user = get_object_or_404(User, pk=pk)
        form = RoleAssignForm(initial={"roles": Role.objects.filter(group__user=user)})
        return self.render(request, user, form)

    def post(self, request, pk):
        user = get_object_or_404(User, pk=pk)
        form = RoleAssignForm(request.POST)
        if form.is_valid():
            try:
                services.assign_roles(actor=request.user, user=user,
                                      roles=list(form.cleaned_data["roles"]))
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, "角色已保存")
                return redirect(user.get_absolute_url())
        return self.render(request, user, form, status=400)

    def render(self, request, user, form, status=200):
        return render(request, "accounts/user_roles.html", {
            "title": f"分配角色：{user}", "object": user, "form": form}, status=status)


class UserLockView(View):
    """POST only: lock (``lock=True``) or unlock an account."""

    lock = True

    def post(self, request, pk):
        require_perm(request.user, User, "lock")
        user = get_object_or_404(User, pk=pk)
        form = LockForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        try:
            if self.lock:
                services.lock_user(actor=request.user, user=user, reason=reason)
                messages.success(request, "账号已锁定")
            else:
                services.unlock_user(actor=request.user, user=user)
                messages.success(request, "账号已解锁")
        except ValidationError as exc:
            for message in first_messages(exc).values():
                messages.error(request, message)
        return redirect(user.get_absolute_url())


class UserActiveView(View):
    """POST only: the 系统管理员 deactivates (``active=False``) or re-activates an account."""

    active = False

    def post(self, request, pk):
        require_perm(request.user, User, "change")
        user = get_object_or_404(User, pk=pk)
        form = LockForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        try:
            services.set_user_active(actor=request.user, user=user, active=self.active,
                                     reason=reason)
        except ValidationError as exc:
            for message in first_messages(exc).values():
                messages.error(request, message)
        else:
            messages.success(request, "账号已启用" if self.active else "账号已停用")
        return redirect(user.get_absolute_url())


class RoleListView(ObjectListView):
    model = Role
    title = "角色与数据权限"
    columns = (
        ("角色", "name"),
        ("编码", "code"),
        ("数据权限", lambda r: r.get_data_scope_display()),
        ("自定区域", lambda r: "、".join(x.name for x in r.regions.all())),
        ("权限数", lambda r: len(r.group.permissions.all())),
        ("说明", "description"),
    )

    def get_queryset(self, request):
        return Role.objects.select_related("group").prefetch_related(
            "regions", Prefetch("group__permissions"))


class RoleScopeView(View):
    """Set a role's 数据权限 (level, and regions for 自定数据)."""

    def dispatch(self, request, *args, **kwargs):
        require_perm(request.user, Role, "change")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        role = get_object_or_404(Role, pk=pk)
        form = RoleScopeForm(initial={"data_scope": role.data_scope,
                                      "regions": role.regions.all()})
        return self.render(request, role, form)

    def post(self, request, pk):
        role = get_object_or_404(Role, pk=pk)
        form = RoleScopeForm(request.POST)
        if form.is_valid():
            try:
                services.set_role_scope(actor=request.user, role=role,
                                        data_scope=form.cleaned_data["data_scope"],
                                        regions=form.cleaned_data["regions"])
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, "数据权限已保存")
                return redirect("accounts:role_list")
        return self.render(request, role, form, status=400)

    def render(self, request, role, form, status=200):
        holders = User.objects.filter(groups=role.group_id).count()
        return render(request, "accounts/role_scope.html", {
            "title": f"数据权限：{role}", "object": role, "form": form,
            "holders": holders}, status=status)


class PasswordChangeView(View):
    """修改密码: every logged-in user changes their own password (AUTH-1).

    The new password passes ``AUTH_PASSWORD_VALIDATORS``; the session stays valid.
    """

    template_name = "accounts/password_change.html"

    def get(self, request):
        return self._render(request, HistoryPasswordChangeForm(request.user))

    def post(self, request):
        form = HistoryPasswordChangeForm(request.user, request.POST)
        if not form.is_valid():
            return self._render(request, form)
        user = services.change_own_password(user=request.user,
                                            new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)
        messages.success(request, "密码已修改")
        return redirect("core:home")

    def _render(self, request, form):
        forced = FORCED_CHANGE_MESSAGE if password_change_required(request.user) else ""
        return render(request, self.template_name,
                      {"form": form, "title": "修改密码", "forced": forced})
