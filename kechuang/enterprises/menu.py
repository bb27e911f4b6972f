from kechuang.core.navigation import MenuItem

MENU = [
    MenuItem("企业库", "企业列表", "enterprises:enterprise_list",
             ("enterprises.add_enterprise", "enterprises.export_enterprise"), order=10),
    MenuItem("企业库", "本企业", "enterprises:my_enterprise", roles=("enterprise",), order=10),
    MenuItem("企业库", "我负责的企业", "enterprises:enterprise_list", roles=("broker",),
             order=10),
    MenuItem("企业库", "年度指标", "enterprises:indicator_list",
             ("enterprises.import_annualindicator",), order=11),
    MenuItem("企业库", "资质认定", "enterprises:certification_list",
             ("enterprises.import_certification",), order=12),
    MenuItem("企业库", "科技奖励", "enterprises:award_list", ("enterprises.import_award",),
             order=13),
    MenuItem("企业库", "标准制定", "enterprises:standard_list",
             ("enterprises.import_standard",), order=14),
]
