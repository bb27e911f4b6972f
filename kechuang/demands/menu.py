from kechuang.core.navigation import MenuItem

MENU = [
    MenuItem("五库一网", "技术需求库", "demands:techdemand_list",
             ("demands.view_techdemand",), order=40),
]
