from kechuang.core.navigation import MenuItem

MENU = [
    MenuItem("企业培育", "资质自评", "cultivation:my_assessment", roles=("enterprise",),
             order=20),
    MenuItem("企业培育", "免申即享", "cultivation:my_subsidies", roles=("enterprise",),
             order=21),
    MenuItem("企业培育", "资质预评估", "cultivation:my_assessment",
             ("cultivation.view_pipeline",), order=19),
    MenuItem("企业培育", "培育梯队与候选名单", "cultivation:pipeline",
             ("cultivation.view_pipeline",), order=20),
    MenuItem("企业培育", "研发费用清零行动", "cultivation:campaign_list",
             ("cultivation.view_campaignentry",), order=22),
    MenuItem("企业培育", "免申即享政策", "cultivation:policy_list",
             ("cultivation.view_subsidypolicy",), order=23),
    MenuItem("企业培育", "评价规则表", "cultivation:rule_list", ("cultivation.view_rulerow",),
             order=24),
]
