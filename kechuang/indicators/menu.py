from kechuang.core.navigation import MenuItem

MENU = [
    MenuItem("统计分析", "指标目录", "indicators:catalogue", ("reports.view_dashboard",),
             order=61),
    MenuItem("统计分析", "各区指标数据", "indicators:districtfigure_list",
             ("indicators.add_districtfigure",), order=63),
    MenuItem("统计分析", "年度目标", "indicators:target_list",
             ("indicators.add_indicatortarget",), order=64),
    MenuItem("统计分析", "规上企业月度统计", "indicators:monthlystat_list",
             ("indicators.view_monthlyenterprisestat",), order=65),
]
