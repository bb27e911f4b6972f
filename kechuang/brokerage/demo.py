"""Demo brokerage records, 2016 to 2020-09-30, consistent with the seed's 2020 figures.

2020 (to 09-30): 10 院企对接 events with 2,046 participants checked in, 170 achievements
presented, 4 teams and 45 achievements introduced, 技术交易额 1.2亿元 (the seed left it blank),
3 talent events, 383 overseas engineers matched, 179 talent projects, 457 enterprise services
(家次), 187 problems solved. Earlier years are smaller so 同比 means something.

Cases run through the services (demand → case → candidates → responses → meeting → contract);
the volume rows (registrations, service records, visits) use bulk paths that write one audit
row each. After the service-driven part, each 2020 figure is topped up to its target, so the
figures hold whatever the cases produced.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from kechuang.audit import record
from kechuang.audit.events import CREATE
from kechuang.indicators.catalogue import Period, value_of

from . import events, services
from .choices import (
    AssignmentBasis,
    Campaign,
    EventKind,
    IntroductionKind,
    OverseasServiceKind,
    ParticipantKind,
    PresentationKind,
    RegistrationStatus,
    TaskStatus,
    VisitKind,
)
from .models import (
    Broker,
    Event,
    EventPresentation,
    EventRegistration,
    Introduction,
    OverseasService,
    PortfolioAssignment,
    TaskItem,
    Visit,
)

DEMO_ORDER = 60
END = dt.date(2020, 9, 30)
YEARS = (2016, 2017, 2018, 2019, 2020)

# Per year: figures of that year's records (2020: up to 09-30, the seed's figures).
FIGURES = {
    2016: {"matchmaking": 4, "participants": 610, "presented": 58, "teams": 1, "introduced": 16,
           "amount": Decimal("38000000"), "talent": 1, "engineers": 0, "projects": 0,
           "services": 0, "problems": 0},
    2017: {"matchmaking": 5, "participants": 820, "presented": 76, "teams": 1, "introduced": 21,
           "amount": Decimal("52000000"), "talent": 1, "engineers": 42, "projects": 15,
           "services": 60, "problems": 22},
    2018: {"matchmaking": 6, "participants": 1050, "presented": 95, "teams": 2, "introduced": 27,
           "amount": Decimal("69000000"), "talent": 2, "engineers": 96, "projects": 41,
           "services": 130, "problems": 48},
    2019: {"matchmaking": 8, "participants": 1480, "presented": 128, "teams": 3,
           "introduced": 36, "amount": Decimal("98000000"), "talent": 2, "engineers": 178,
           "projects": 83, "services": 240, "problems": 96},
    2020: {"matchmaking": 10, "participants": 2046, "presented": 170, "teams": 4,
           "introduced": 45, "amount": Decimal("120000000"), "talent": 3, "engineers": 383,
           "projects": 179, "services": 457, "problems": 187},
}
PLATFORMS = ("高端装备海外工程师协同创新中心", "科技领军人才创新驱动中心", "“五库一网”供需对接平台")
SURNAMES = "陆周沈韩冯蒋邵章严潘葛范孔柴"
GIVEN = ("文涛", "思远", "佳宁", "晓峰", "雨辰", "明轩", "若溪", "志诚", "可欣", "嘉树",
         "一鸣", "清扬")
FOREIGN_FIRST = ("Anton", "Bruno", "Carla", "Dmytro", "Elena", "Felix", "Greta", "Hugo",
                 "Ivan", "Jonas", "Karin", "Lukas", "Marta", "Nils", "Olga", "Pavel", "Rita",
                 "Sven", "Tomas", "Vera")
FOREIGN_LAST = ("Adler", "Bauer", "Koval", "Lind", "Moreau", "Novak", "Orlov", "Petrov",
                "Richter", "Sokol", "Tanaka", "Varga", "Weber", "Zelenko", "Horvat", "Ivanenko",
                "Jensen", "Kraus", "Lehmann", "Marek", "Nagy")
COUNTRIES = ("德国", "乌克兰", "俄罗斯", "意大利", "日本", "捷克", "白俄罗斯", "奥地利")
INSTITUTES = ("示例理工大学", "东海工业大学", "示范材料研究所", "滨江智能制造研究院",
              "中科示范创新研究院")
TOPICS = ("精密模具", "汽车轻量化", "高分子功能材料", "工业机器人", "集成电路封装", "智能传感",
          "新能源电池", "环保水处理", "数控机床", "工业软件")


def _log(ctx, msg: str) -> None:
    ctx.data.setdefault("summary", []).append(msg)


def _day(rng, year: int, start_month: int = 1, end: dt.date | None = None) -> dt.date:
    first = dt.date(year, start_month, 1)
    last = min(end or dt.date(year, 12, 31), END)
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def _at(day: dt.date, minutes: int) -> dt.datetime:
    naive = dt.datetime(day.year, day.month, day.day, 8, 30)  # noqa: DTZ001 - local wall time
    return timezone.make_aware(naive) + dt.timedelta(minutes=minutes)


def _split(total: int, parts: int, rng) -> list[int]:
    """``total`` split into ``parts`` positive-ish integers (deterministic)."""
    weights = [rng.uniform(0.7, 1.3) for _ in range(parts)]
    raw = [int(total * w / sum(weights)) for w in weights]
    raw[-1] += total - sum(raw)
    return raw


def _enterprises(ctx):
    from kechuang.enterprises.models import Enterprise

    ents = ctx.data.get("enterprises")
    if not ents:
        home = ctx.data.get("home_district")
        qs = Enterprise.objects.filter(is_active=True)
        if home is not None:
            qs = qs.filter(region__path__startswith=home.path)
        ents = list(qs.select_related("region").order_by("pk"))
    return [e for e in ents if e.is_active]


def build(ctx) -> None:
    ents = _enterprises(ctx)
    if not ents:
        ctx.log("  brokerage: 没有演示企业，跳过科技经纪数据（请先运行企业库演示数据）")
        return
    home = ctx.data.get("home_district") or ents[0].region
    brokers = _brokers(ctx, home)
    by_region = _portfolios(ctx, brokers, ents)
    _visits(ctx, brokers, by_region)
    _tasks(ctx, ents, home)
    engineers = _engineer_pool(ctx, home, 420)
    achievements = _achievement_pool(ctx, home, 150)
    events_by_year = {y: _events(ctx, y, home, achievements) for y in YEARS}
    for year in (2019, 2020):
        _cases(ctx, year, brokers, by_region, achievements, engineers, events_by_year[year])
    for year in YEARS:
        _contracts_and_introductions(ctx, year, brokers, ents, achievements,
                                     events_by_year[year])
        _overseas(ctx, year, brokers, ents, engineers)
    period = Period(dt.date(2020, 1, 1), END)
    figures = {code: value_of(code, period) for code in (
        "matchmaking_events", "matchmaking_participants", "achievements_presented",
        "teams_introduced", "achievements_introduced", "tech_transaction_amount",
        "talent_events", "overseas_engineers_matched", "talent_projects_introduced",
        "enterprise_services", "problems_solved")}
    ctx.data["brokerage_figures_2020"] = figures
    _log(ctx, (
        "科技经纪（2020年1-9月）：院企对接{matchmaking_events}场、签到{matchmaking_participants}人、"
        "推介成果{achievements_presented}项、引进团队{teams_introduced}个、引进成果"
        "{achievements_introduced}项、技术交易额{tech_transaction_amount}元；人才活动{talent_events}场，"
        "对接海外工程师{overseas_engineers_matched}名、引进人才项目{talent_projects_introduced}项、"
        "服务企业{enterprise_services}家次、解决问题{problems_solved}个").format(**figures))


def _brokers(ctx, home) -> list[Broker]:
    subdistricts = ctx.data.get("subdistricts") or [home]
    brokers = []
    for i in range(12):
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)]
        user = ctx.users.get("broker") if i == 0 else None
        region = subdistricts[i % len(subdistricts)]
        brokers.append(services.create_broker(actor=ctx.actor, data={
            "user": user, "name": name if user is None else (user.display_name or name),
            "organisation": ("区技术转移服务中心", "科创园服务站", "示范科技咨询有限公司")[i % 3],
            "certificate_number": f"JJR-DEMO-{2016 + i % 4}{i:04d}",
            "grade": ("senior", "intermediate", "junior")[i % 3],
            "fields": "、".join(TOPICS[i % 10:i % 10 + 2]), "region": region,
            "phone": f"1390000{i:04d}"}))
    return brokers


def _portfolios(ctx, brokers, ents) -> dict[int, list]:
    """Enterprises go to a broker of their street (按区域); 6% were reassigned in 2019."""
    rng = ctx.rng
    by_region: dict[int, list[Broker]] = {}
    for b in brokers:
        by_region.setdefault(b.region_id, []).append(b)
    fallback = brokers
    rows, portfolio = [], {b.pk: [] for b in brokers}
    for e in ents:
        pool = by_region.get(e.region_id) or fallback
        first = pool[rng.randrange(len(pool))]
        start = max(dt.date(2016, 3, 1), e.established_on)
        if start > END:
            continue
        if rng.random() < 0.06 and start < dt.date(2019, 7, 1):
            second = fallback[rng.randrange(len(fallback))]
            if second.pk != first.pk:
                rows.append(PortfolioAssignment(
                    enterprise=e, broker=first, basis=AssignmentBasis.REGION, assigned_on=start,
                    ended_on=dt.date(2019, 7, 1), note="2019年服务力量调整"))
                rows.append(PortfolioAssignment(enterprise=e, broker=second,
                                                basis=AssignmentBasis.MANUAL,
                                                assigned_on=dt.date(2019, 7, 1)))
                portfolio[second.pk].append(e)
                continue
        rows.append(PortfolioAssignment(enterprise=e, broker=first, basis=AssignmentBasis.REGION,
                                        assigned_on=start))
        portfolio[first.pk].append(e)
    PortfolioAssignment.objects.bulk_create(rows, batch_size=2000)
    record.write_many(events.ASSIGN_ENTERPRISE, rows, actor=ctx.actor, message="演示数据",
                      related_of=lambda r: r.enterprise)
    _log(ctx, f"科技经纪人：{len(brokers)}名，服务企业分配{len(rows)}条")
    return portfolio


def _visits(ctx, brokers, portfolio) -> None:
    rng = ctx.rng
    rows = []
    per_year = {2016: 14, 2017: 18, 2018: 24, 2019: 30, 2020: 28}
    problems = ("研发费用归集不规范", "缺少高端研发人才", "产品良率偏低", "有意申报高新技术企业",
                "需对接高校成果", "设备数字化改造")
    for b in brokers:
        mine = portfolio[b.pk]
        if not mine:
            continue
        for year, n in per_year.items():
            for _ in range(n):
                e = mine[rng.randrange(len(mine))]
                day = _day(rng, year)
                if day < e.established_on:
                    continue
                due = day + dt.timedelta(days=rng.choice((7, 14, 30)))
                has_follow = rng.random() < 0.4
                rows.append(Visit(
                    broker=b, enterprise=e, visited_on=day,
                    kind=rng.choice(VisitKind.values), people_met="企业负责人、技术主管",
                    problems_found=rng.choice(problems), summary="了解企业研发与经营情况",
                    follow_up="反馈对接资料" if has_follow else "",
                    follow_up_due=due if has_follow else None,
                    follow_up_done_on=(min(due, END) if has_follow and due < dt.date(2020, 9, 20)
                                       else None)))
    Visit.objects.bulk_create(rows, batch_size=2000)
    record.write_many(events.LOG_VISIT, rows, actor=ctx.actor, message="演示数据",
                      related_of=lambda r: r.enterprise)
    _log(ctx, f"走访记录：{len(rows)}条")


def _tasks(ctx, ents, home) -> None:
    rng = ctx.rng
    owners = [u for u in (ctx.users.get("broker"), ctx.users.get("staff"),
                          ctx.users.get("street")) if u is not None]
    if not owners:
        return
    specs = [("规上工业企业研发费用“清零”走访", Campaign.RD_ZERO),
             ("指导企业研发费用辅助账建账", Campaign.RD_ZERO),
             ("科技争投项目对接", Campaign.TECH_COMPETITION),
             ("科创平台服务企业专项行动", Campaign.PLATFORM_SERVICE)]
    for i in range(16):
        title, campaign = specs[i % len(specs)]
        deadline = dt.date(2020, 6, 30) + dt.timedelta(days=15 * i)
        status = (TaskStatus.DONE if deadline < dt.date(2020, 8, 15) and i % 3
                  else TaskStatus.IN_PROGRESS if i % 2 else TaskStatus.TODO)
        task = services.create_task(
            actor=ctx.actor, data={"title": f"{title}（第{i + 1}批）", "campaign": campaign,
                                   "owner": owners[i % len(owners)], "region": home,
                                   "deadline": deadline, "status": status},
            enterprises=rng.sample(ents, min(5, len(ents))))
        if status == TaskStatus.DONE:
            TaskItem.objects.filter(pk=task.pk).update(completed_on=deadline)


def _engineer_pool(ctx, home, size: int):
    from kechuang.experts.models import Expert
    from kechuang.experts.services import create_expert

    pool = list(Expert.objects.filter(kind="overseas_engineer").order_by("pk"))
    n = len(pool)
    while len(pool) < size:
        first = FOREIGN_FIRST[n % len(FOREIGN_FIRST)]
        last = FOREIGN_LAST[(n // len(FOREIGN_FIRST)) % len(FOREIGN_LAST)]
        pool.append(create_expert(actor=ctx.actor, data={
            "kind": "overseas_engineer", "name": f"{first} {last}（演示{n + 1}）",
            "country": COUNTRIES[n % len(COUNTRIES)], "organisation": "海外工程师协同创新中心",
            "fields": [f"0{1 + n % 8}"], "specialties": TOPICS[n % len(TOPICS)],
            "region": home, "registered_on": dt.date(2017 + n % 4, 3, 1)}))
        n += 1
    return pool


def _achievement_pool(ctx, home, size: int):
    from kechuang.achievements.models import Achievement
    from kechuang.achievements.services import create_achievement

    pool = list(Achievement.objects.order_by("pk"))
    n = len(pool)
    while len(pool) < size:
        topic = TOPICS[n % len(TOPICS)]
        pool.append(create_achievement(actor=ctx.actor, publish=True, data={
            "owner_name": INSTITUTES[n % len(INSTITUTES)], "owner_kind": "university",
            "title": f"{topic}关键技术（演示成果{n + 1}）",
            "abstract": f"面向{topic}的实用化技术，已完成中试验证。", "field": f"0{1 + n % 8}",
            "maturity": "4_pilot", "region": home}))
        n += 1
    return pool


def _events(ctx, year: int, home, achievements) -> list[Event]:
    """Matchmaking and talent events with checked-in registrations and presentations."""
    rng = ctx.rng
    fig = FIGURES[year]
    created: list[Event] = []
    start_month = 4 if year == 2020 else 3  # 2020: events resumed in April
    regs: list[EventRegistration] = []
    pres: list[EventPresentation] = []
    counts = _split(fig["participants"], fig["matchmaking"], rng)
    presented = _split(fig["presented"], fig["matchmaking"], rng)
    specs = [(EventKind.MATCHMAKING, i) for i in range(fig["matchmaking"])]
    specs += [(EventKind.TALENT, i) for i in range(fig["talent"])]
    specs += [(EventKind.ROADSHOW, 0)]
    for kind, i in specs:
        day = _day(rng, year, start_month, dt.date(year, 9, 25) if year == 2020 else None)
        topic = TOPICS[(i + year) % len(TOPICS)]
        label = {EventKind.MATCHMAKING: f"{topic}院企对接会",
                 EventKind.TALENT: "海外工程师科技人才对接大会",
                 EventKind.ROADSHOW: "科技项目路演"}[kind]
        event = services.create_event(actor=ctx.actor, data={
            "title": f"{year}年{label}（第{i + 1}场）", "kind": kind, "organiser": "区科技局",
            "starts_on": day, "ends_on": day + dt.timedelta(days=1 if kind == "talent" else 0),
            "venue": "科创园报告厅", "is_online": year == 2020 and i == 0, "region": home})
        created.append(event)
        n = counts[i] if kind == EventKind.MATCHMAKING else rng.randrange(120, 220)
        regs.extend(EventRegistration(
            event=event, name=f"参会代表{k + 1}", organisation="演示单位",
            kind=rng.choice(ParticipantKind.values), status=RegistrationStatus.APPROVED,
            checked_in_at=_at(day, k % 120)) for k in range(n))
        # registered, not checked in: never counted as participants
        regs.extend(EventRegistration(event=event, name=f"未到场代表{k + 1}",
                                      status=rng.choice([RegistrationStatus.APPROVED,
                                                         RegistrationStatus.PENDING]))
                    for k in range(rng.randrange(3, 9)))
        if kind == EventKind.MATCHMAKING:
            for k in range(presented[i]):
                a = achievements[(k + i * 17 + year) % len(achievements)]
                pres.append(EventPresentation(event=event, kind=PresentationKind.ACHIEVEMENT,
                                              title=a.title, presenter=a.owner_name,
                                              achievement=a))
        elif kind == EventKind.ROADSHOW:
            pres.extend(EventPresentation(event=event, kind=PresentationKind.PROJECT,
                                          title=f"{TOPICS[k]}创业项目", presenter="创业团队")
                        for k in range(6))
    EventRegistration.objects.bulk_create(regs, batch_size=2000)
    EventPresentation.objects.bulk_create(pres, batch_size=2000)
    record.write_many(events.CHECK_IN, regs, actor=ctx.actor, message="演示数据",
                      related_of=lambda r: r.event)
    record.write_many(events.PRESENT, pres, actor=ctx.actor, message="演示数据",
                      related_of=lambda r: r.event)
    if year == 2020:
        _meetings(ctx, created[0])
    return created


def _meetings(ctx, event: Event) -> None:
    """A small 1:1 schedule at the first 2020 matchmaking event."""
    regs = list(event.registrations.filter(checked_in_at__isnull=False)[:8])
    for n in range(0, len(regs) - 1, 2):
        slot = services.add_slot(actor=ctx.actor, event=event,
                                 starts_at=_at(event.starts_on, 330 + 15 * n),
                                 ends_at=_at(event.starts_on, 345 + 15 * n), table=f"A{n // 2 + 1}")
        meeting = services.request_meeting(actor=ctx.actor, requester=regs[n],
                                           invitee=regs[n + 1], topic="技术合作洽谈")
        services.respond_meeting(actor=ctx.actor, meeting=meeting, accept=n % 4 == 0,
                                 slot=slot if n % 4 == 0 else None)


def _cases(ctx, year, brokers, portfolio, achievements, engineers, year_events) -> None:
    """Cases through the services: 60% reach a contract, some are solved or closed."""
    from kechuang.demands.services import create_demand

    rng = ctx.rng
    count = 14 if year == 2019 else 20
    active = [b for b in brokers if portfolio[b.pk]]
    matched_2020 = engineers[:FIGURES[2020]["engineers"]]
    for i in range(count):
        b = active[i % len(active)]
        e = portfolio[b.pk][rng.randrange(len(portfolio[b.pk]))]
        opened = _day(rng, year, 3, dt.date(year, 6, 30))
        topic = TOPICS[i % len(TOPICS)]
        demand = create_demand(actor=ctx.actor, enterprise=e, publish=True, data={
            "title": f"{topic}技术难题（演示需求{year}-{i + 1}）",
            "description": f"企业在{topic}方面遇到工艺瓶颈，希望引进成熟技术或专家指导。",
            "field": f"0{1 + i % 8}"})
        event = year_events[i % len(year_events)] if i % 3 == 0 else None
        if event is not None and event.starts_on > opened:
            event = None
        case = services.open_case(actor=ctx.actor, demand=demand, owner=b, opened_on=opened,
                                  event=event)
        ach = achievements[(i * 7 + year) % len(achievements)]
        eng = matched_2020[(i * 11 + year) % len(matched_2020)]
        c1 = services.propose_candidate(actor=ctx.actor, case=case, achievement=ach,
                                        on=opened + dt.timedelta(days=3))
        c2 = services.propose_candidate(actor=ctx.actor, case=case, expert=eng,
                                        on=opened + dt.timedelta(days=3))
        c3 = services.propose_candidate(
            actor=ctx.actor, case=case, on=opened + dt.timedelta(days=5),
            achievement=achievements[(i * 13 + year + 1) % len(achievements)])
        outcome = ("signed", "signed", "signed", "solved", "closed", "open")[i % 6]
        services.record_response(actor=ctx.actor, candidate=c3, accepted=False,
                                 reason=("tech_mismatch", "immature", "price", "location",
                                         "has_solution", "other")[i % 6],
                                 on=opened + dt.timedelta(days=12))
        if outcome == "open":
            continue
        services.record_response(actor=ctx.actor, candidate=c1, accepted=outcome == "signed",
                                 reason="" if outcome == "signed" else "immature",
                                 on=opened + dt.timedelta(days=10))
        services.record_response(actor=ctx.actor, candidate=c2, accepted=outcome == "solved",
                                 reason="" if outcome == "solved" else "location",
                                 on=opened + dt.timedelta(days=10))
        met = opened + dt.timedelta(days=20)
        services.record_activity(actor=ctx.actor, case=case, kind="meeting", held_on=met,
                                 summary="供需双方现场会谈", participants="企业、成果方、经纪人")
        done = met + dt.timedelta(days=rng.randrange(20, 60))
        if outcome == "signed":
            services.record_activity(actor=ctx.actor, case=case, kind="negotiation",
                                     held_on=met + dt.timedelta(days=7),
                                     summary="商定价格与付款方式")
            services.register_contract(actor=ctx.actor, data={
                "kind": rng.choice(("transfer", "license", "development")),
                "title": f"{ach.title}技术合同", "enterprise": e, "seller": ach.owner_name,
                "amount": Decimal(rng.randrange(30, 300) * 10000), "signed_on": done,
                "registered_on": done + dt.timedelta(days=5),
                "registration_number": f"{year}3399C{i + 1:05d}", "case": case,
                "event": case.event, "achievement": ach})
        elif outcome == "solved":
            services.close_case(actor=ctx.actor, case=case, outcome="solved", on=done,
                                note="海外工程师现场指导，问题已解决")
        else:
            services.close_case(actor=ctx.actor, case=case, outcome="closed", on=done,
                                note="企业转向自主研发")


def _contracts_and_introductions(ctx, year, brokers, ents, achievements, year_events) -> None:
    """Top the year's contracts, amount, introductions and teams up to the figures."""
    rng = ctx.rng
    fig = FIGURES[year]
    period = Period(dt.date(year, 1, 1), min(dt.date(year, 12, 31), END))
    matchmaking = [e for e in year_events if e.kind == EventKind.MATCHMAKING]
    have_intro = value_of("achievements_introduced", period)
    have_amount = value_of("tech_transaction_amount", period) or Decimal(0)
    n_ach = max(0, round((fig["introduced"] - have_intro) * 2 / 3))
    n_other = 12 + year - 2016
    remaining = fig["amount"] - have_amount
    weights = [rng.uniform(0.3, 2.0) for _ in range(n_ach + n_other)]
    amounts = [(remaining * Decimal(w) / Decimal(sum(weights))).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP) for w in weights]
    amounts[-1] += remaining - sum(amounts)
    used = set(Introduction.objects.filter(achievement__isnull=False).values_list(
        "achievement_id", "enterprise_id"))
    for k, amount in enumerate(amounts):
        e = ents[rng.randrange(len(ents))]
        ach = None
        if k < n_ach:
            ach = achievements[(k * 5 + year * 3) % len(achievements)]
            while (ach.pk, e.pk) in used:
                e = ents[rng.randrange(len(ents))]
            used.add((ach.pk, e.pk))
        registered = _day(rng, year)
        services.register_contract(actor=ctx.actor, data={
            "kind": rng.choice(("transfer", "license", "development")) if ach else rng.choice(
                ("consulting", "service", "development")),
            "title": f"{ach.title}技术合同" if ach else f"{TOPICS[k % 10]}技术服务合同",
            "enterprise": e, "seller": ach.owner_name if ach else INSTITUTES[k % 5],
            "amount": amount, "signed_on": registered - dt.timedelta(days=rng.randrange(0, 20)),
            "registered_on": registered, "registration_number": f"{year}3399{k + 1:06d}",
            "achievement": ach, "broker": brokers[k % len(brokers)],
            "event": matchmaking[k % len(matchmaking)] if ach and k % 4 == 0 and
            matchmaking[k % len(matchmaking)].starts_on <= registered else None})
    for k in range(fig["introduced"] - value_of("achievements_introduced", period)):
        services.record_introduction(actor=ctx.actor, data={
            "kind": IntroductionKind.ACHIEVEMENT, "title": f"{TOPICS[k % 10]}成果作价入股",
            "introduced_on": _day(rng, year), "enterprise": ents[rng.randrange(len(ents))],
            "source": INSTITUTES[k % 5], "broker": brokers[k % len(brokers)]})
    for k in range(fig["teams"]):
        event = matchmaking[k % len(matchmaking)]
        services.record_introduction(actor=ctx.actor, data={
            "kind": IntroductionKind.TEAM, "title": f"{TOPICS[(k + year) % 10]}科技创新团队",
            "introduced_on": min(event.ends_on + dt.timedelta(days=30), period.end),
            "enterprise": ents[rng.randrange(len(ents))], "source": INSTITUTES[k % 5],
            "event": event})


def _overseas(ctx, year, brokers, ents, engineers) -> None:
    """Matches for exactly ``engineers`` distinct engineers, then projects, services and
    problems solved topped up to the year's figures."""
    rng = ctx.rng
    fig = FIGURES[year]
    if not fig["engineers"]:
        return
    period = Period(dt.date(year, 1, 1), min(dt.date(year, 12, 31), END))
    start_month = 4 if year == 2020 else 1  # the 2020 platforms opened in April
    matched = engineers[:fig["engineers"]]
    already = set(OverseasService.objects.filter(
        kind=OverseasServiceKind.MATCH, occurred_on__range=(period.start, period.end),
    ).values_list("engineer_id", flat=True))
    rows: list[OverseasService] = []

    def add(kind, engineer, **extra):
        broker = brokers[rng.randrange(len(brokers))] if rng.random() < 0.6 else None
        rows.append(OverseasService(
            kind=kind, occurred_on=_day(rng, year, start_month), engineer=engineer,
            enterprise=ents[rng.randrange(len(ents))], broker=broker,
            platform="" if broker else PLATFORMS[rng.randrange(len(PLATFORMS))], **extra))

    for eng in matched:
        if eng.pk not in already:
            add(OverseasServiceKind.MATCH, eng)
        if rng.random() < 0.1:  # a second match for the same engineer counts once
            add(OverseasServiceKind.MATCH, eng)
    targets = ((OverseasServiceKind.TALENT_PROJECT, "talent_projects_introduced", "projects"),
               (OverseasServiceKind.ENTERPRISE_SERVICE, "enterprise_services", "services"),
               (OverseasServiceKind.PROBLEM_SOLVED, "problems_solved", "problems"))
    for kind, code, key in targets:
        for k in range(fig[key] - value_of(code, period)):
            add(kind, matched[rng.randrange(len(matched))],
                project_title=f"{TOPICS[k % 10]}海外人才项目"
                if kind == OverseasServiceKind.TALENT_PROJECT else "",
                description="远程诊断与现场指导")
    OverseasService.objects.bulk_create(rows, batch_size=2000)
    record.write_many(events.RECORD_OVERSEAS_SERVICE, rows, actor=ctx.actor,
                      message="演示数据", related_of=lambda r: r.enterprise)
    if year == 2020:
        record.write(CREATE, matched[0], actor=ctx.actor, after=False,
                     message=f"{year}年海外工程师对接记录{len(rows)}条（演示数据）")
