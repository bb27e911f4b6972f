from kechuang.core.navigation import MenuItem

MENU = [
    MenuItem("五库一网", "检索索引", "matching:rebuild", ("matching.change_matchsuggestion",),
             order=49),
]
