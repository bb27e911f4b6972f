from kechuang.core.navigation import MenuItem

MENU = [
    MenuItem("五库一网", "专家与人才库", "experts:expert_list", ("experts.add_expert",
                                                          "experts.export_expert"), order=42),
    MenuItem("五库一网", "我的专家档案", "experts:my_profile", roles=("expert",), order=42),
]
