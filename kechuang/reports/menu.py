from kechuang.core.navigation import MenuItem

MENU = [
    MenuItem("统计分析", "驾驶舱", "reports:dashboard", ("reports.view_dashboard",), order=60),
    MenuItem("统计分析", "工作总结", "reports:report", ("reports.view_generatedreport",),
             order=62),
]
