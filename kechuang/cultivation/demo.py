"""Demo cultivation data: rule tables, the 2020 清零 campaign and two 免申即享 policies.

Everything goes through the services (audited, channel "demo"); records end on 2020-09-30.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from kechuang.core.demo import DEMO_TODAY

from . import candidates, pipeline, services
from .choices import (
    CampaignBasis,
    EntitlementStatus,
    EntryStatus,
    InterventionKind,
    SubsidyKind,
    SubsidyTierStatus,
)

DEMO_ORDER = 50
CAMPAIGN_YEAR = 2020
# Share of the campaign list that has reached each status by 2020-09-30.
STATUS_SHARES = (
    (EntryStatus.REPORTED, 0.34),
    (EntryStatus.LEDGER_SET_UP, 0.24),
    (EntryStatus.VISITED, 0.22),
    (EntryStatus.NOT_APPLICABLE, 0.06),
    (EntryStatus.NOT_CONTACTED, 0.14),
)
PATH = (EntryStatus.VISITED, EntryStatus.LEDGER_SET_UP, EntryStatus.REPORTED)
STEP_KIND = {EntryStatus.VISITED: InterventionKind.VISIT,
             EntryStatus.LEDGER_SET_UP: InterventionKind.LEDGER,
             EntryStatus.REPORTED: InterventionKind.REPORTING}
STEP_NOTE = {
    EntryStatus.VISITED: "上门走访，讲解研发费用加计扣除和统计口径，企业有研发活动但未归集",
    EntryStatus.LEDGER_SET_UP: "辅导财务设立研发费用辅助账，按项目归集人员人工和材料费用",
    EntryStatus.REPORTED: "企业已在统计联网直报平台填报研发费用",
}
NOT_APPLICABLE_REASONS = (
    "企业已停产，无研发活动",
    "主营业务已转为贸易，下年度不再属规上工业",
    "集团统一在总部核算研发费用，本地子公司无研发",
)
LEVEL_POLICY = {
    "name": "研发费用后补助（免申即享）", "kind": SubsidyKind.LEVEL, "year": CAMPAIGN_YEAR,
    "document": "示范区科技创新若干政策（演示）第五条", "local_rule": True, "is_active": True,
    "note": "按上年度研发费用（加计扣除申报口径）分档补助，高企、科小、规上工业企业就高享受一档",
}
LEVEL_TIERS = (
    (SubsidyTierStatus.HIGH_TECH, "0.05", "500000"),
    (SubsidyTierStatus.TECH_SME, "0.04", "300000"),
    (SubsidyTierStatus.ABOVE_SCALE, "0.02", "200000"),
)
ONE_OFF_POLICY = {
    "name": "首次认定高新技术企业奖励（免申即享）", "kind": SubsidyKind.ONE_OFF_FIRST_HIGH_TECH,
    "year": CAMPAIGN_YEAR, "one_off_amount": Decimal("200000.00"),
    "document": "示范区科技创新若干政策（演示）第三条", "local_rule": True, "is_active": True,
    "note": "上年度首次认定的高新技术企业一次性奖励20万元",
}
PAID_ON = dt.date(2020, 8, 28)


def _users_with_role(*codes):
    return list(get_user_model().objects.filter(groups__role__code__in=codes).distinct()
                .order_by("username"))


def _statuses(rng, n: int) -> list[str]:
    out: list[str] = []
    for status, share in STATUS_SHARES:
        out.extend([status] * round(n * share))
    out = (out + [EntryStatus.NOT_CONTACTED] * n)[:n]
    rng.shuffle(out)
    return out


def _officer_for(entry, officers, street_officers):
    own = street_officers.get(entry.enterprise.region_id)
    return own or (officers[entry.pk % len(officers)] if officers else None)


def build_campaign(ctx):
    campaign = services.build_zero_rd_campaign(
        actor=ctx.actor, year=CAMPAIGN_YEAR, region=ctx.home, basis=CampaignBasis.YEAR_TO_DATE,
        until=DEMO_TODAY, note="2020年1—9月规上工业企业研发费用为零的企业逐一走访、建账、填报")
    entries = list(campaign.entries.select_related("enterprise").order_by("enterprise__uscc"))
    officers = _users_with_role("staff", "bureau_admin")
    street_officers = {u.region_id: u for u in _users_with_role("subdistrict") if u.region_id}
    brokers = _users_with_role("broker")
    rng = ctx.rng
    for entry, status in zip(entries, _statuses(rng, len(entries)), strict=True):
        entry = services.assign_campaign_entry(
            actor=ctx.actor, entry=entry, officer=_officer_for(entry, officers, street_officers),
            broker=brokers[entry.pk % len(brokers)] if brokers else None)
        day = dt.date(2020, 3, 2) + dt.timedelta(days=rng.randint(0, 40))
        if status == EntryStatus.NOT_CONTACTED:
            if rng.random() < 0.5:
                services.log_intervention(actor=ctx.actor, entry=entry,
                                          kind=InterventionKind.PHONE, happened_on=day,
                                          note="电话未接通，已发短信告知清零行动")
            continue
        if status == EntryStatus.NOT_APPLICABLE:
            services.log_intervention(actor=ctx.actor, entry=entry, kind=InterventionKind.VISIT,
                                      happened_on=day, note="上门核实企业经营情况",
                                      new_status=EntryStatus.NOT_APPLICABLE,
                                      reason=rng.choice(NOT_APPLICABLE_REASONS))
            continue
        for step in PATH[:PATH.index(status) + 1]:
            services.log_intervention(actor=ctx.actor, entry=entry, kind=STEP_KIND[step],
                                      happened_on=min(day, DEMO_TODAY), note=STEP_NOTE[step],
                                      new_status=step)
            day += dt.timedelta(days=rng.randint(14, 45))
    counts = {s: sum(1 for e in campaign.entries.all() if e.status == s)
              for s in EntryStatus.values}
    return campaign, counts


def build_subsidies(ctx):
    level = services.save_subsidy_policy(
        actor=ctx.actor, data=LEVEL_POLICY,
        tiers=[{"status": s, "rate": Decimal(r), "cap": Decimal(c)} for s, r, c in LEVEL_TIERS])
    one_off = services.save_subsidy_policy(actor=ctx.actor, data=ONE_OFF_POLICY, tiers=[])
    for policy in (level, one_off):
        services.compute_entitlements(actor=ctx.actor, policy=policy)
    # The one-off rewards were reviewed and paid in August 2020.
    for row in one_off.entitlements.order_by("enterprise__uscc"):
        row = services.review_entitlement(actor=ctx.actor, entitlement=row, approve=True,
                                          note="经核对高企认定名单")
        services.record_entitlement_payment(actor=ctx.actor, entitlement=row,
                                            amount=row.amount, paid_on=PAID_ON,
                                            reference=f"示范区财政-2020-{row.pk:05d}")
    return level, one_off


def build(ctx) -> None:
    rules = services.load_builtin_rules(actor=ctx.actor)
    campaign, counts = build_campaign(ctx)
    level, one_off = build_subsidies(ctx)
    paid = one_off.entitlements.filter(status=EntitlementStatus.PAID).count()
    positive = level.entitlements.filter(amount__gt=0).count()
    ctx.data["zero_rd_campaign"] = campaign
    ctx.data.setdefault("summary", []).extend([
        f"评价规则：{rules['created'] + rules['unchanged'] + rules['updated']}行",
        f"2020年清零行动：{sum(counts.values())}家（已填报{counts[EntryStatus.REPORTED]}家，"
        f"已建账{counts[EntryStatus.LEDGER_SET_UP]}家，已走访{counts[EntryStatus.VISITED]}家，"
        f"不适用{counts[EntryStatus.NOT_APPLICABLE]}家，未联系{counts[EntryStatus.NOT_CONTACTED]}家）",
        f"免申即享：研发费用后补助{positive}家，首次认定高企奖励已兑付{paid}家",
    ])
    # The candidate lists' stored assessments, once the demo is committed (so that the
    # registry writes of the demo itself are not recorded as changes since).
    year = pipeline.default_year()
    transaction.on_commit(lambda: candidates.start(actor=None, year=year, inline=True))
    ctx.data["summary"].append(f"培育候选名单：{year}年的科小、高企预评估在数据提交后计算")
