"""Every write of the cultivation app. Atomic, audited in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kechuang.accounts.scope import region_allowed
from kechuang.audit import record
from kechuang.audit.events import CREATE, DELETE, UPDATE
from kechuang.core.errors import OutOfScope, raise_if
from kechuang.enterprises.choices import CertificationKind, CertificationStatus
from kechuang.enterprises.models import AnnualIndicator, Certification, Enterprise
from kechuang.enterprises.services import record_annual_indicator

from . import events, subsidies
from .choices import (
    ENTRY_TRANSITIONS,
    CampaignBasis,
    EntitlementStatus,
    EntryStatus,
    InterventionKind,
    RuleOrigin,
    SubsidyKind,
    SubsidyTierStatus,
)
from .engine.rules import RuleError, row_from_dict
from .models import (
    CampaignEntry,
    Intervention,
    RuleRow,
    SubsidyEntitlement,
    SubsidyPolicy,
    SubsidyTier,
    ZeroRdCampaign,
)

RULE_COLUMNS = (
    "version", "effective_to", "table", "rank", "condition", "band", "field", "op",
    "threshold", "points_min", "points_max", "value", "applies_to", "label", "source",
    "confidence", "local_rule", "note",
)


def _check_region(actor, region, message: str = "该企业不在您的数据权限范围内") -> None:
    if actor is not None and not region_allowed(actor, region):
        raise OutOfScope(message)


def _check_district(actor) -> None:
    """District-wide configuration (policies, their computation) needs the whole district."""
    from kechuang.regions.models import home_district

    _check_region(actor, home_district(), "只有拥有全区数据权限的人员可以设置或测算区级政策")


# ---------------------------------------------------------------------------------------------
# Rule tables


def _row_values(raw: dict) -> dict:
    """Validate one flat rule dict with the engine and map it onto ``RuleRow`` columns."""
    parsed = row_from_dict(raw)  # raises RuleError with a Chinese message
    return {
        "version": parsed.version,
        "effective_to": parsed.effective_to,
        "table": parsed.table,
        "rank": parsed.rank,
        "condition": parsed.condition or "",
        "band": parsed.band or "",
        "field": parsed.field,
        "op": parsed.op,
        "threshold": raw.get("threshold"),
        "points_min": parsed.points_min,
        "points_max": parsed.points_max,
        "value": parsed.value or "",
        "applies_to": list(parsed.applies_to) if parsed.applies_to is not None else None,
        "label": parsed.label,
        "source": parsed.source,
        "confidence": parsed.confidence,
        "local_rule": parsed.local_rule,
        "note": parsed.note,
        "_key": (parsed.scheme, parsed.rule_id, parsed.effective_from),
    }


@transaction.atomic
def load_rule_rows(*, actor, rows: Iterable[dict], origin: str = RuleOrigin.BUILTIN
                   ) -> dict[str, int]:
    """Upsert rule rows keyed by ``(scheme, rule_id, effective_from)``; idempotent.

    A changed row of the same origin is updated (the shipped files are the source of the
    built-in rows); rows of another origin are never overwritten. Returns counts.
    """
    values = []
    for raw in rows:
        try:
            values.append(_row_values(raw))
        except RuleError as exc:
            raise_if({"rules": str(exc)})
    keys = [v["_key"] for v in values]
    if len(set(keys)) != len(keys):
        raise_if({"rules": "规则文件中同一规则编号与生效日期重复"})
    existing = {
        (r.scheme, r.rule_id, r.effective_from): r
        for r in RuleRow.objects.select_for_update().filter(
            scheme__in={k[0] for k in keys})
    }
    counts = {"created": 0, "updated": 0, "unchanged": 0, "kept": 0}
    created: list[RuleRow] = []
    for v in values:
        key = v.pop("_key")
        row = existing.get(key)
        if row is None:
            created.append(RuleRow(scheme=key[0], rule_id=key[1], effective_from=key[2],
                                    origin=origin, created_by=actor, updated_by=actor, **v))
            continue
        if all(getattr(row, k) == v[k] for k in RULE_COLUMNS):
            counts["unchanged"] += 1
            continue
        if row.origin != origin:
            counts["kept"] += 1
            continue
        before = record.snapshot(row)
        for k in RULE_COLUMNS:
            setattr(row, k, v[k])
        row.updated_by = actor
        row.save()
        record.write(UPDATE, row, actor=actor, before=before, message="规则文件更新")
        counts["updated"] += 1
    if created:
        RuleRow.objects.bulk_create(created, batch_size=500)
        saved = list(RuleRow.objects.filter(
            Q(*[Q(scheme=r.scheme, rule_id=r.rule_id, effective_from=r.effective_from)
                for r in created], _connector=Q.OR)))
        record.write_many(events.LOAD_RULES, saved, actor=actor)
        counts["created"] = len(created)
    return counts


def load_builtin_rules(*, actor=None) -> dict[str, int]:
    from .engine import builtin_rule_rows

    return load_rule_rows(actor=actor, rows=builtin_rule_rows(), origin=RuleOrigin.BUILTIN)


# ---------------------------------------------------------------------------------------------
# Self-assessment: saving the typed figures (only when the user asks)


@transaction.atomic
def save_assessment_figures(*, actor, enterprise: Enterprise, figures: dict[int, dict],
                            ip: dict | None = None) -> list[AnnualIndicator]:
    """Store the figures typed into the self-assessment form as annual indicators.

    Goes through ``enterprises.services.record_annual_indicator`` (its validation, scope
    check and audit); the knowledge-property counts go on the latest year.
    """
    _check_region(actor, enterprise.region)
    saved = []
    latest = max(figures) if figures else None
    for year in sorted(figures):
        data = {k: v for k, v in figures[year].items() if v is not None}
        if ip and year == latest:
            data.update({f"ip_{k}": v for k, v in ip.items() if v is not None})
        if not data:
            continue
        try:
            saved.append(record_annual_indicator(actor=actor, enterprise=enterprise,
                                                 year=year, data=data))
        except ValidationError as exc:
            # Same field paths as the engine's input errors: ``years.2019.st_staff``.
            raise ValidationError({f"years.{year}.{k}": v
                                   for k, v in exc.message_dict.items()}) from exc
    record.write(events.SAVE_ASSESSMENT_FIGURES, enterprise, actor=actor, after=False,
                 message=f"自评数据保存为{'、'.join(str(i.year) for i in saved)}年度指标")
    return saved


# ---------------------------------------------------------------------------------------------
# 清零 campaign


def _monthly_stats():
    """``indicators.MonthlyEnterpriseStat`` when that app provides it (optional)."""
    from django.apps import apps

    try:
        return apps.get_model("indicators", "MonthlyEnterpriseStat")
    except LookupError:
        return None


def zero_rd_candidates(year: int, basis: str = CampaignBasis.ANNUAL,
                       until: dt.date | None = None
                       ) -> list[tuple[AnnualIndicator, Decimal | None]]:
    """``(indicator, R&D used)`` of 规上工业 enterprises with zero (or unreported) R&D.

    Annual basis: the year's own indicators. Year-to-date: the previous year's above-scale
    list (the current year's is not final yet) and the monthly statistics of the year up to
    ``until`` (zero when no month reports R&D); without monthly statistics for the year, the
    previous year's R&D expense is used.
    """
    zero_rd = Q(rd_expense__isnull=True) | Q(rd_expense=0)
    related = ("enterprise", "enterprise__region")
    if basis == CampaignBasis.ANNUAL:
        rows = AnnualIndicator.objects.filter(
            year=year, is_above_scale_industrial=True).filter(zero_rd).select_related(*related)
        return [(i, i.rd_expense) for i in rows]
    base = AnnualIndicator.objects.filter(
        year=year - 1, is_above_scale_industrial=True, enterprise__is_active=True,
    ).select_related(*related)
    monthly = _monthly_stats()
    until = until or dt.date(year, 12, 31)
    if monthly is not None:
        months = monthly.objects.filter(year=year, month_end__lte=until)
        if months.exists():
            reported = months.filter(rd_expense__gt=0).values("enterprise_id")
            return [(i, Decimal(0)) for i in base.exclude(enterprise_id__in=reported)]
    return [(i, i.rd_expense) for i in base.filter(zero_rd)]


@transaction.atomic
def build_zero_rd_campaign(*, actor, year: int, region, name: str = "",
                           basis: str = CampaignBasis.ANNUAL, until: dt.date | None = None,
                           note: str = "") -> ZeroRdCampaign:
    """Create (or refresh) the year's campaign and list every qualifying enterprise.

    Existing entries are kept with their status and history; officer and broker carry over
    from the enterprise's entry in an earlier campaign.
    """
    errors = {}
    if basis not in CampaignBasis.values:
        errors["basis"] = "口径应为“全年”或“年初至今”"
    if basis == CampaignBasis.YEAR_TO_DATE and until is None:
        errors["until"] = "年初至今口径须填写统计截至日期"
    if until is not None and until.year != year:
        errors["until"] = f"统计截至日期应在{year}年内"
    raise_if(errors)
    _check_region(actor, region, "不能在您的数据权限范围之外开展清零行动")
    campaign = ZeroRdCampaign.objects.select_for_update().filter(year=year).first()
    if campaign is None:
        campaign = ZeroRdCampaign.objects.create(
            year=year, name=name or f"{year}年规上工业企业研发费用“清零”行动", basis=basis,
            until=until, region=region, note=note, created_by=actor, updated_by=actor)
        record.write(CREATE, campaign, actor=actor)
    else:
        before = record.snapshot(campaign)
        campaign.basis, campaign.until, campaign.updated_by = basis, until, actor
        if name:
            campaign.name = name
        campaign.save()
        record.write(UPDATE, campaign, actor=actor, before=before)
    have = set(campaign.entries.values_list("enterprise_id", flat=True))
    rows = [(i, rd) for i, rd in zero_rd_candidates(year, basis, until)
            if i.enterprise_id not in have and i.enterprise.region.path.startswith(region.path)]
    previous = {
        e.enterprise_id: e for e in CampaignEntry.objects.filter(
            enterprise_id__in=[i.enterprise_id for i, _rd in rows], campaign__year__lt=year,
        ).order_by("campaign__year")
    }
    new = []
    for ind, rd in rows:
        prev = previous.get(ind.enterprise_id)
        new.append(CampaignEntry(
            campaign=campaign, enterprise_id=ind.enterprise_id,
            officer_id=prev.officer_id if prev else None,
            broker_id=prev.broker_id if prev else None,
            main_business_revenue=ind.main_business_revenue,
            rd_expense=rd,
            status_changed_on=dt.date(year, 1, 1),
            created_by=actor, updated_by=actor))
    CampaignEntry.objects.bulk_create(new, batch_size=500)
    if new:
        saved = list(campaign.entries.filter(enterprise_id__in=[e.enterprise_id for e in new]))
        record.write_many(events.BUILD_CAMPAIGN, saved, actor=actor, related=campaign)
    return campaign


def _locked_entry(entry: CampaignEntry) -> CampaignEntry:
    return CampaignEntry.objects.select_for_update().select_related(
        "enterprise__region", "campaign").get(pk=entry.pk)


@transaction.atomic
def assign_campaign_entry(*, actor, entry: CampaignEntry, officer=None, broker=None
                          ) -> CampaignEntry:
    entry = _locked_entry(entry)
    _check_region(actor, entry.enterprise.region)
    errors = {}
    if officer is not None and not officer.has_role("staff", "bureau_admin", "subdistrict"):
        errors["officer"] = f"{officer}不是科员或街道（园区）工作人员，不能担任责任科员"
    if broker is not None and not broker.has_role("broker"):
        errors["broker"] = f"{broker}不是科技经纪人"
    raise_if(errors)
    before = record.snapshot(entry)
    entry.officer, entry.broker, entry.updated_by = officer, broker, actor
    entry.save(update_fields=["officer", "broker", "updated_by", "updated_at"])
    record.write(events.ASSIGN_ENTRY, entry, actor=actor, before=before,
                 related=entry.enterprise)
    return entry


def transition_errors(current: str, new: str, reason: str) -> dict[str, str]:
    if new not in EntryStatus.values:
        return {"status": "未知的状态"}
    if new == current:
        return {"status": f"当前已是“{EntryStatus(current).label}”"}
    if new not in ENTRY_TRANSITIONS[current]:
        allowed = "、".join(EntryStatus(s).label for s in ENTRY_TRANSITIONS[current]) or "无"
        return {"status": f"不能从“{EntryStatus(current).label}”改为“{EntryStatus(new).label}”"
                          f"（可改为：{allowed}）"}
    if new == EntryStatus.NOT_APPLICABLE and not reason.strip():
        return {"reason": "设为“不适用”须填写原因"}
    return {}


@transaction.atomic
def log_intervention(*, actor, entry: CampaignEntry, kind: str, happened_on: dt.date,
                     note: str = "", new_status: str = "", reason: str = "") -> Intervention:
    """Log a call/visit/… on an entry; with ``new_status`` it also moves the status."""
    entry = _locked_entry(entry)
    _check_region(actor, entry.enterprise.region)
    errors: dict[str, str] = {}
    if kind not in InterventionKind.values:
        errors["kind"] = "请选择服务方式"
    if happened_on is None:
        errors["happened_on"] = "请填写日期"
    elif happened_on > timezone.localdate():
        errors["happened_on"] = "日期不能晚于今天"
    elif happened_on.year < entry.campaign.year:
        errors["happened_on"] = f"日期应在{entry.campaign.year}年清零行动期间"
    if new_status:
        errors.update(transition_errors(entry.status, new_status, reason))
    raise_if(errors)
    intervention = Intervention.objects.create(
        entry=entry, kind=kind, happened_on=happened_on, note=note.strip(),
        status_before=entry.status if new_status else "", status_after=new_status or "",
        created_by=actor, updated_by=actor)
    record.write(events.LOG_INTERVENTION, intervention, actor=actor, related=entry.enterprise)
    if new_status:
        _apply_status(actor, entry, new_status, reason, happened_on)
    return intervention


def _apply_status(actor, entry: CampaignEntry, status: str, reason: str, on: dt.date) -> None:
    before = record.snapshot(entry)
    entry.status = status
    entry.reason = reason.strip() if status == EntryStatus.NOT_APPLICABLE else ""
    entry.status_changed_on = on
    entry.updated_by = actor
    entry.save(update_fields=["status", "reason", "status_changed_on", "updated_by",
                              "updated_at"])
    record.write(events.CHANGE_ENTRY_STATUS, entry, actor=actor, before=before,
                 related=entry.enterprise, message=entry.reason)


@transaction.atomic
def change_entry_status(*, actor, entry: CampaignEntry, status: str, reason: str = "",
                        on: dt.date | None = None, note: str = "") -> CampaignEntry:
    """Move an entry along 未联系 → 已走访 → 已建账 → 已填报 (or 不适用 with a reason)."""
    on = on or timezone.localdate()
    kind = {EntryStatus.VISITED: InterventionKind.VISIT,
            EntryStatus.LEDGER_SET_UP: InterventionKind.LEDGER,
            EntryStatus.REPORTED: InterventionKind.REPORTING}.get(status, InterventionKind.OTHER)
    log_intervention(actor=actor, entry=entry, kind=kind, happened_on=on,
                     note=note or f"状态变更为“{EntryStatus(status).label}”"
                     if status in EntryStatus.values else note,
                     new_status=status, reason=reason)
    return CampaignEntry.objects.get(pk=entry.pk)


# ---------------------------------------------------------------------------------------------
# 免申即享 subsidies

POLICY_FIELDS = ("name", "kind", "year", "one_off_amount", "document", "local_rule",
                 "is_active", "note")


def policy_errors(data: dict, tiers: list[dict]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not (data.get("name") or "").strip():
        errors["name"] = "请填写政策名称"
    if data.get("kind") not in SubsidyKind.values:
        errors["kind"] = "请选择计算方式"
    if not data.get("year"):
        errors["year"] = "请填写兑现年度"
    if data.get("kind") == SubsidyKind.ONE_OFF_FIRST_HIGH_TECH:
        amount = data.get("one_off_amount")
        if amount is None or amount <= 0:
            errors["one_off_amount"] = "一次性奖励须填写大于0的金额"
    elif data.get("kind") in SubsidyKind.values:
        if not tiers:
            errors["tiers"] = "请至少设置一个档次（高企/科小/规上）的比例"
        for t in tiers:
            label = SubsidyTierStatus(t["status"]).label
            if t.get("rate") is None or not (Decimal(0) < t["rate"] <= 1):
                errors["tiers"] = f"{label}档的比例应大于0且不超过1（如0.05表示5%）"
            if t.get("cap") is not None and t["cap"] <= 0:
                errors["tiers"] = f"{label}档的封顶金额应大于0"
        if len({t["status"] for t in tiers}) != len(tiers):
            errors["tiers"] = "同一对象只能设置一个档次"
    return errors


@transaction.atomic
def save_subsidy_policy(*, actor, data: dict, tiers: list[dict],
                        policy: SubsidyPolicy | None = None) -> SubsidyPolicy:
    """Create or update a policy and replace its tiers (``[{status, rate, cap}]``)."""
    data = {k: v for k, v in data.items() if k in POLICY_FIELDS}
    merged = {f: getattr(policy, f) for f in POLICY_FIELDS} if policy else {}
    merged.update(data)
    raise_if(policy_errors(merged, tiers))
    _check_district(actor)
    before = record.snapshot(policy)
    if before is not None:
        before["tiers"] = _tiers_snapshot(policy)
    if policy is None:
        policy = SubsidyPolicy(created_by=actor)
    for k, v in data.items():
        setattr(policy, k, v)
    policy.updated_by = actor
    policy.save()
    policy.tiers.all().delete()
    if policy.kind != SubsidyKind.ONE_OFF_FIRST_HIGH_TECH:
        SubsidyTier.objects.bulk_create([
            SubsidyTier(policy=policy, status=t["status"], rate=t["rate"], cap=t.get("cap"),
                        created_by=actor, updated_by=actor) for t in tiers])
    after = record.snapshot(policy)
    after["tiers"] = _tiers_snapshot(policy)
    record.write(CREATE if before is None else UPDATE, policy, actor=actor, before=before,
                 after=after)
    return policy


def _tiers_snapshot(policy: SubsidyPolicy) -> list[dict]:
    """The policy's tiers as stored (so a policy saved unchanged compares equal)."""
    return [{"status": t.status, "rate": str(t.rate),
             "cap": None if t.cap is None else str(t.cap)}
            for t in policy.tiers.order_by("status")]


def subsidy_facts(policy: SubsidyPolicy, enterprise_ids=None) -> dict[int, subsidies.Facts]:
    """Facts for every active enterprise (or ``enterprise_ids``) in one pass per table."""
    base = policy.base_year
    start, end = dt.date(base, 1, 1), dt.date(base, 12, 31)
    enterprises = Enterprise.objects.filter(is_active=True)
    if enterprise_ids is not None:
        enterprises = enterprises.filter(pk__in=enterprise_ids)
    ids = list(enterprises.values_list("pk", flat=True))
    rd: dict[tuple[int, int], Decimal | None] = {}
    statuses: dict[int, set[str]] = {pk: set() for pk in ids}
    first: set[int] = set()
    for ent_id, year, amount, above in AnnualIndicator.objects.filter(
            enterprise_id__in=ids, year__in=(base, base - 1)).values_list(
            "enterprise_id", "year", "rd_expense", "is_above_scale_industrial"):
        rd[(ent_id, year)] = amount
        if above and year == base:
            statuses[ent_id].add(SubsidyTierStatus.ABOVE_SCALE)
    certs = Certification.objects.filter(
        enterprise_id__in=ids, status=CertificationStatus.GRANTED,
        kind__in=(CertificationKind.HIGH_TECH, CertificationKind.NATIONAL_TECH_SME))
    for c in certs.values("enterprise_id", "kind", "year", "issued_on", "valid_until",
                          "is_first_application"):
        if c["kind"] == CertificationKind.NATIONAL_TECH_SME:
            if c["year"] == base:
                statuses[c["enterprise_id"]].add(SubsidyTierStatus.TECH_SME)
            continue
        issued = c["issued_on"] or dt.date(c["year"], 1, 1)
        if issued <= end and (c["valid_until"] is None or c["valid_until"] >= start):
            statuses[c["enterprise_id"]].add(SubsidyTierStatus.HIGH_TECH)
        if c["is_first_application"] and c["year"] == base:
            first.add(c["enterprise_id"])
    return {
        pk: subsidies.Facts(base_year=base, rd_base=rd.get((pk, base)),
                            rd_previous=rd.get((pk, base - 1)),
                            statuses=frozenset(statuses[pk]), first_high_tech=pk in first)
        for pk in ids
    }


def policy_tiers(policy: SubsidyPolicy) -> list[subsidies.Tier]:
    return [subsidies.Tier(t.status, t.rate, t.cap) for t in policy.tiers.all()]


@transaction.atomic
def compute_entitlements(*, actor, policy: SubsidyPolicy) -> dict[str, int]:
    """(Re)compute the policy for every enterprise. Reviewed or paid rows are left alone."""
    policy = SubsidyPolicy.objects.select_for_update().get(pk=policy.pk)
    if not policy.is_active:
        raise_if({"policy": "该政策已停用，不能计算"})
    _check_district(actor)
    tiers = policy_tiers(policy)
    facts = subsidy_facts(policy)
    existing = {e.enterprise_id: e for e in policy.entitlements.select_for_update()}
    counts = {"created": 0, "updated": 0, "removed": 0, "locked": 0}
    new = []
    for ent_id, f in facts.items():
        outcome = subsidies.compute(policy.kind, tiers, f, policy.one_off_amount)
        relevant = outcome.qualifies or bool(outcome.tier)
        row = existing.get(ent_id)
        if row is not None and row.status != EntitlementStatus.COMPUTED:
            counts["locked"] += 1
            continue
        if not relevant:
            if row is not None:
                record.write(DELETE, row, actor=actor, before=record.snapshot(row),
                             after=False, message="重新计算后不再符合")
                row.delete()
                counts["removed"] += 1
            continue
        values = {"tier": outcome.tier, "base_amount": outcome.base, "rate": outcome.rate,
                  "cap": outcome.cap, "amount": outcome.amount,
                  "computation": outcome.computation}
        if row is None:
            new.append(SubsidyEntitlement(policy=policy, enterprise_id=ent_id, created_by=actor,
                                          updated_by=actor, **values))
            continue
        if all(getattr(row, k) == v for k, v in values.items()):
            continue
        before = record.snapshot(row)
        for k, v in values.items():
            setattr(row, k, v)
        row.updated_by = actor
        row.save()
        record.write(events.COMPUTE_ENTITLEMENT, row, actor=actor, before=before)
        counts["updated"] += 1
    SubsidyEntitlement.objects.bulk_create(new, batch_size=1000)
    if new:
        saved = list(policy.entitlements.filter(enterprise_id__in=[e.enterprise_id
                                                                   for e in new]))
        record.write_many(events.COMPUTE_ENTITLEMENT, saved, actor=actor, related=policy)
        counts["created"] = len(new)
    return counts


def _locked_entitlement(entitlement: SubsidyEntitlement) -> SubsidyEntitlement:
    return SubsidyEntitlement.objects.select_for_update().select_related(
        "enterprise__region", "policy").get(pk=entitlement.pk)


@transaction.atomic
def review_entitlement(*, actor, entitlement: SubsidyEntitlement, approve: bool,
                       note: str = "") -> SubsidyEntitlement:
    """Approve (for payment) or reject a computed entitlement."""
    row = _locked_entitlement(entitlement)
    _check_region(actor, row.enterprise.region)
    errors = {}
    if row.status != EntitlementStatus.COMPUTED:
        errors["status"] = f"当前状态为“{row.get_status_display()}”，不能再审核"
    elif approve and row.amount <= 0:
        errors["amount"] = "应兑现金额为0，不能审核通过（可选择不予兑现）"
    if not approve and not note.strip():
        errors["review_note"] = "不予兑现须填写理由"
    raise_if(errors)
    before = record.snapshot(row)
    row.status = EntitlementStatus.APPROVED if approve else EntitlementStatus.REJECTED
    row.reviewed_by, row.reviewed_at = actor, timezone.now()
    row.review_note, row.updated_by = note.strip(), actor
    row.save()
    record.write(events.APPROVE_ENTITLEMENT if approve else events.REJECT_ENTITLEMENT, row,
                 actor=actor, before=before, related=row.enterprise, message=row.review_note)
    return row


@transaction.atomic
def record_entitlement_payment(*, actor, entitlement: SubsidyEntitlement, amount: Decimal,
                               paid_on: dt.date, reference: str = "") -> SubsidyEntitlement:
    """Record the amount actually paid against an approved entitlement."""
    row = _locked_entitlement(entitlement)
    _check_region(actor, row.enterprise.region)
    errors = {}
    if row.status != EntitlementStatus.APPROVED:
        errors["status"] = f"只有“已审核”的记录可以登记兑付（当前：{row.get_status_display()}）"
    if amount is None or amount <= 0:
        errors["paid_amount"] = "实付金额应大于0"
    elif amount > row.amount:
        errors["paid_amount"] = f"实付金额不能超过应兑现金额{row.amount:,.2f}元"
    if paid_on is None:
        errors["paid_on"] = "请填写兑付日期"
    elif paid_on > timezone.localdate():
        errors["paid_on"] = "兑付日期不能晚于今天"
    raise_if(errors)
    before = record.snapshot(row)
    row.status = EntitlementStatus.PAID
    row.paid_amount, row.paid_on = amount, paid_on
    row.payment_reference, row.updated_by = reference.strip(), actor
    row.save()
    record.write(events.PAY_ENTITLEMENT, row, actor=actor, before=before,
                 related=row.enterprise)
    return row
