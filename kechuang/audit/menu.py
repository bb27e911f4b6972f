from kechuang.core.navigation import MenuItem

MENU = [
    MenuItem("安全审计", "对象变更记录", "audit:change_list", ("audit.view_changerecord",),
             order=950),
    MenuItem("安全审计", "操作日志", "audit:operation_list", ("audit.view_operationlog",),
             order=951),
    MenuItem("安全审计", "登录日志", "audit:login_list", ("audit.view_loginlog",), order=952),
]
