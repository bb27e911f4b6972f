from kechuang.core.navigation import MenuItem

MENU = [
    MenuItem("一网", "对接平台首页", "portal:home", order=50),
    MenuItem("一网", "我的对接", "portal:mine", roles=("enterprise", "expert"), order=51),
    MenuItem("一网", "发布需求", "portal:post_demand", roles=("enterprise",), order=52),
    MenuItem("一网", "发布成果", "portal:post_achievement", ("achievements.add_achievement",),
             order=53),
    MenuItem("一网", "认领/登记档案", "portal:claim", roles=("enterprise", "expert"), order=54),
    MenuItem("一网", "待审核", "portal:review", ("demands.review_techdemand",
                                             "achievements.review_achievement"), order=55),
]
