from kechuang.core.navigation import MenuItem

MENU = [
    MenuItem("五库一网", "科技成果库", "achievements:achievement_list",
             ("achievements.view_achievement",), order=41),
]
