from kechuang.core.navigation import MenuItem

MENU = [
    MenuItem("系统管理", "用户管理", "accounts:user_list", ("accounts.view_user",), order=900),
    MenuItem("系统管理", "角色与数据权限", "accounts:role_list", ("accounts.view_role",),
             order=901),
]
