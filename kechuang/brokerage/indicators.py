"""Indicators of the broker mechanism and the overseas-engineer platform (五库一网).

All are 新增 (FLOW) counts over records dated within the period, so 1-9月 is simply the period
2020-01-01..2020-09-30 and a record dated 10-01 falls in the next month's figure. Participants
are checked-in registrations, never typed totals; 技术交易额 is the sum of registered contract
amounts; 引进科技成果 counts introduction records (a registered contract naming an achievement
writes one).
"""

from django.db.models import Count, Sum

from kechuang.indicators.catalogue import FLOW, Indicator, Period, region_filter, register

from .choices import (
    EventKind,
    IntroductionKind,
    OverseasServiceKind,
    PresentationKind,
    ResponseStatus,
)
from .models import (
    Case,
    CaseCandidate,
    Event,
    EventPresentation,
    EventRegistration,
    Introduction,
    OverseasService,
    TechContract,
)

MODULE_TRANSFER = "科技成果转化"
MODULE_TALENT = "人才引培"

_EVENT_COLUMNS = [("活动名称", "title"), ("类型", lambda e: e.get_kind_display()),
                  ("主办单位", "organiser"), ("开始日期", "starts_on"), ("结束日期", "ends_on"),
                  ("地点", lambda e: "线上" if e.is_online else e.venue)]


def _events(kind: str):
    def source(period: Period, region):
        return Event.objects.filter(kind=kind, starts_on__range=(period.start, period.end),
                                    **region_filter("region", region))
    return source


def _participants(period: Period, region):
    return EventRegistration.objects.filter(
        event__kind=EventKind.MATCHMAKING, checked_in_at__isnull=False,
        event__starts_on__range=(period.start, period.end),
        **region_filter("event__region", region))


def _presented(period: Period, region):
    return EventPresentation.objects.filter(
        kind=PresentationKind.ACHIEVEMENT, event__starts_on__range=(period.start, period.end),
        **region_filter("event__region", region))


def _introduced(kind: str):
    def source(period: Period, region):
        return Introduction.objects.filter(
            kind=kind, introduced_on__range=(period.start, period.end),
            **region_filter("enterprise__region", region))
    return source


def _contracts(period: Period, region):
    return TechContract.objects.filter(registered_on__range=(period.start, period.end),
                                       **region_filter("enterprise__region", region))


def _overseas(kind: str):
    def source(period: Period, region):
        return OverseasService.objects.filter(
            kind=kind, occurred_on__range=(period.start, period.end),
            **region_filter("enterprise__region", region))
    return source


_OVERSEAS_EXTRA = {
    "columns": [("日期", "occurred_on"), ("类别", lambda r: r.get_kind_display()),
                ("海外工程师", lambda r: r.engineer.name), ("企业", lambda r: r.enterprise.name),
                ("经纪人/平台", lambda r: r.broker.name if r.broker else r.platform),
                ("项目", "project_title")],
    "select_related": ["engineer", "enterprise", "broker"],
}

register(Indicator(
    code="matchmaking_events", name="院企对接活动", unit="场", module=MODULE_TRANSFER,
    definition="期间内开始举办的院企对接活动场次（以活动开始日期计）",
    semantics=FLOW, source=_events(EventKind.MATCHMAKING),
    extra={"columns": _EVENT_COLUMNS},
))
register(Indicator(
    code="matchmaking_participants", name="院企对接活动参与人数", unit="人",
    module=MODULE_TRANSFER,
    definition="期间内院企对接活动的现场签到人数（按签到记录计，不含未签到的报名）",
    semantics=FLOW, source=_participants,
    extra={"columns": [("活动", lambda r: r.event.title), ("参会人", "name"),
                       ("单位", "organisation"), ("签到时间", "checked_in_at")],
           "select_related": ["event"]},
))
register(Indicator(
    code="achievements_presented", name="推介科技成果", unit="项", module=MODULE_TRANSFER,
    definition="期间内举办的活动上推介的科技成果项数（以活动开始日期计，不含项目路演的项目）",
    semantics=FLOW, source=_presented,
    extra={"columns": [("活动", lambda p: p.event.title), ("成果", "title"),
                       ("推介单位", "presenter")], "select_related": ["event"]},
))
register(Indicator(
    code="teams_introduced", name="引进科技创新团队", unit="个", module=MODULE_TRANSFER,
    definition="期间内登记引进的科技创新团队数（以引进日期计）",
    semantics=FLOW, source=_introduced(IntroductionKind.TEAM),
    extra={"columns": [("团队", "title"), ("承接企业", lambda i: i.enterprise.name),
                       ("来源单位", "source"), ("引进日期", "introduced_on")],
           "select_related": ["enterprise"]},
))
register(Indicator(
    code="achievements_introduced", name="引进科技成果", unit="项", module=MODULE_TRANSFER,
    definition="期间内引进的科技成果项数：技术合同登记的成果与单独登记的引进记录（以引进日期计）",
    semantics=FLOW, source=_introduced(IntroductionKind.ACHIEVEMENT),
    extra={"columns": [("成果", "title"), ("承接企业", lambda i: i.enterprise.name),
                       ("来源单位", "source"), ("引进日期", "introduced_on"),
                       ("技术合同", lambda i: i.contract.registration_number
                        if i.contract_id else "")],
           "select_related": ["enterprise", "contract"]},
))
register(Indicator(
    code="tech_transaction_amount", name="技术交易额", unit="元", module=MODULE_TRANSFER,
    definition="期间内登记的技术合同成交金额合计（以合同登记日期计，买方为本区企业）",
    semantics=FLOW, source=_contracts, aggregate=Sum("amount"),
    extra={"display_unit": "亿元",
           "columns": [("登记编号", "registration_number"), ("合同名称", "title"),
                       ("类型", lambda c: c.get_kind_display()),
                       ("买方", lambda c: c.enterprise.name), ("卖方", "seller"),
                       ("金额（元）", "amount"), ("登记日期", "registered_on")],
           "select_related": ["enterprise"]},
))
register(Indicator(
    code="talent_events", name="大型科技人才活动", unit="场", module=MODULE_TALENT,
    definition="期间内开始举办的科技人才活动场次（以活动开始日期计）",
    semantics=FLOW, source=_events(EventKind.TALENT), extra={"columns": _EVENT_COLUMNS},
))
register(Indicator(
    code="overseas_engineers_matched", name="对接海外工程师", unit="名", module=MODULE_TALENT,
    definition="期间内有对接记录的海外工程师人数（同一工程师多次对接计一名）",
    semantics=FLOW, source=_overseas(OverseasServiceKind.MATCH),
    aggregate=Count("engineer", distinct=True), extra=_OVERSEAS_EXTRA,
))
register(Indicator(
    code="talent_projects_introduced", name="引进人才项目", unit="项", module=MODULE_TALENT,
    definition="期间内登记的海外工程师引进人才项目数（以登记日期计）",
    semantics=FLOW, source=_overseas(OverseasServiceKind.TALENT_PROJECT),
    extra=_OVERSEAS_EXTRA,
))
register(Indicator(
    code="enterprise_services", name="海外工程师服务企业", unit="家次", module=MODULE_TALENT,
    definition="期间内海外工程师服务企业的家次（每次服务一条记录，同一企业多次服务分别计）",
    semantics=FLOW, source=_overseas(OverseasServiceKind.ENTERPRISE_SERVICE),
    extra=_OVERSEAS_EXTRA,
))
register(Indicator(
    code="problems_solved", name="海外工程师解决问题", unit="个", module=MODULE_TALENT,
    definition="期间内海外工程师为企业解决技术问题的个数（含以“问题已解决”结案的案件）",
    semantics=FLOW, source=_overseas(OverseasServiceKind.PROBLEM_SOLVED),
    extra=_OVERSEAS_EXTRA,
))


# --- the matching funnel: demands → cases → accepted matches → contracts ---------------------

def _cases(period: Period, region):
    return Case.objects.filter(opened_on__range=(period.start, period.end),
                               **region_filter("enterprise__region", region))


def _accepted(period: Period, region):
    return CaseCandidate.objects.filter(
        response=ResponseStatus.ACCEPTED, responded_on__range=(period.start, period.end),
        **region_filter("case__enterprise__region", region))


register(Indicator(
    code="cases_opened", name="立案对接案件", unit="件", module="科技经纪人服务",
    definition="期间内由技术需求立案、交由经纪人跟进的对接案件数（以立案日期计）",
    semantics=FLOW, source=_cases,
    extra={"columns": [("案件名称", "title"), ("需求企业", lambda c: c.enterprise.name),
                       ("负责经纪人", lambda c: c.owner.name), ("立案日期", "opened_on"),
                       ("状态", lambda c: c.get_status_display())],
           "select_related": ["enterprise", "owner"]},
))
register(Indicator(
    code="matches_accepted", name="接受的匹配推荐", unit="项", module="科技经纪人服务",
    definition="期间内需求方接受的成果、专家或海外工程师推荐数（以反馈日期计）",
    semantics=FLOW, source=_accepted,
    extra={"columns": [("案件", lambda c: c.case.title),
                       ("候选类型", lambda c: c.get_kind_display()),
                       ("推送日期", "proposed_on"), ("反馈日期", "responded_on")],
           "select_related": ["case"]},
))
register(Indicator(
    code="tech_contracts", name="登记技术合同", unit="笔", module=MODULE_TRANSFER,
    definition="期间内登记的技术合同笔数（以合同登记日期计，买方为本区企业）",
    semantics=FLOW, source=_contracts,
    extra={"columns": [("登记编号", "registration_number"), ("合同名称", "title"),
                       ("买方", lambda c: c.enterprise.name), ("金额（元）", "amount"),
                       ("登记日期", "registered_on")],
           "select_related": ["enterprise"]},
))
