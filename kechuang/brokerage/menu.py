from kechuang.core.navigation import MenuItem

G = "科技经纪"
MENU = [
    MenuItem(G, "我的工作台", "brokerage:queue", roles=("broker", "staff", "subdistrict"),
             order=30),
    MenuItem(G, "走访记录", "brokerage:visit_list", ("brokerage.view_visit",), order=31),
    MenuItem(G, "对接案件", "brokerage:case_list", ("brokerage.view_case",), order=32),
    MenuItem(G, "对接活动", "brokerage:event_list", ("brokerage.view_event",), order=33),
    MenuItem(G, "技术合同", "brokerage:contract_list", ("brokerage.view_techcontract",),
             order=34),
    MenuItem(G, "海外工程师服务", "brokerage:overseas_list", ("brokerage.view_overseasservice",),
             order=35),
    MenuItem(G, "专班任务", "brokerage:task_list", ("brokerage.view_taskitem",), order=36),
    MenuItem(G, "科技经纪人", "brokerage:broker_list", ("brokerage.view_broker",), order=37),
    MenuItem(G, "经纪人绩效", "brokerage:kpi", ("brokerage.view_broker",), order=38),
]
