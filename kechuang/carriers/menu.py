from kechuang.core.navigation import MenuItem

MENU = [
    MenuItem("五库一网", "创新载体", "carriers:carrier_list", ("carriers.view_carrier",),
             order=43),
]
