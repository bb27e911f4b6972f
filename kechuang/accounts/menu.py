from kechuang.core.navigation import MenuItem

MENU = [
    # 系统管理员: the accounts themselves.
    MenuItem("系统管理", "用户管理", "accounts:user_list", ("accounts.change_user",), order=900),
    # 安全管理员: roles, data scopes, account locks.
    MenuItem("安全管理", "角色分配与账号锁定", "accounts:user_list", ("accounts.assign_role",),
             order=910),
    MenuItem("安全管理", "角色与数据权限", "accounts:role_list", ("accounts.view_role",),
             order=911),
]
