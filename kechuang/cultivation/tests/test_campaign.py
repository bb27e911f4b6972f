"""The 清零 campaign: who is listed, assignment, service-enforced status transitions, history."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kechuang.core.errors import OutOfScope
from kechuang.core.testing import AnnualIndicatorFactory
from kechuang.cultivation import events, services
from kechuang.cultivation.choices import CampaignBasis, EntryStatus, InterventionKind
from kechuang.cultivation.models import CampaignEntry, Intervention, ZeroRdCampaign

pytestmark = pytest.mark.django_db
S = EntryStatus


def test_lists_above_scale_industrial_with_zero_or_unreported_rd(campaign, zero_rd):
    listed = dict(campaign.entries.values_list("enterprise_id", "rd_expense"))
    # with R&D, below the 2000万 line and outside the district are not listed
    assert listed == {zero_rd.east.pk: Decimal("0.00"), zero_rd.west.pk: None}
    assert set(campaign.entries.values_list("status", flat=True)) == {S.NOT_CONTACTED}


def test_build_is_audited(zero_rd, staff, regions, changes):
    campaign = services.build_zero_rd_campaign(actor=staff, year=2020, region=regions.district)
    actions = [(c.action, c.object_repr) for c in changes()]
    assert actions[0] == ("create", campaign.name)
    assert sorted(a for a, _ in actions[1:]) == [events.BUILD_CAMPAIGN] * 2


def test_refresh_keeps_statuses_and_adds_new_ones(campaign, entry_east, zero_rd, staff,
                                                  regions):
    services.change_entry_status(actor=staff, entry=entry_east, status=S.VISITED,
                                 on=dt.date(2020, 4, 1))
    ind = zero_rd.rows["with_rd"]
    ind.rd_expense = Decimal(0)
    ind.save()
    again = services.build_zero_rd_campaign(actor=staff, year=2020, region=regions.district)
    assert again.pk == campaign.pk
    assert campaign.entries.count() == 3
    assert campaign.entries.get(pk=entry_east.pk).status == S.VISITED


def test_year_to_date_without_monthly_stats_uses_last_year(regions, zero_rd, staff):
    # 2021 year-to-date: the 2020 above-scale list, R&D of 2020 (no monthly stats for 2021)
    campaign = services.build_zero_rd_campaign(
        actor=staff, year=2021, region=regions.district, basis=CampaignBasis.YEAR_TO_DATE,
        until=dt.date(2021, 3, 31))
    assert set(campaign.entries.values_list("enterprise_id", flat=True)) == {
        zero_rd.east.pk, zero_rd.west.pk}


def test_year_to_date_with_monthly_stats(regions, zero_rd, staff):
    from django.apps import apps

    monthly = apps.get_model("indicators", "MonthlyEnterpriseStat")
    for ent, rd in ((zero_rd.east, Decimal(0)), (zero_rd.west, Decimal(30_000)),
                    (zero_rd.with_rd, Decimal(0))):
        monthly.objects.create(enterprise=ent, year=2021, month=1, month_end=dt.date(2021, 1, 31),
                               rd_expense=rd)
    campaign = services.build_zero_rd_campaign(
        actor=staff, year=2021, region=regions.district, basis=CampaignBasis.YEAR_TO_DATE,
        until=dt.date(2021, 3, 31))
    # The 2020 above-scale list, minus those whose 2021 monthly returns show R&D: west
    # reported some; with_rd had R&D in 2020 but none so far in 2021, so it is listed.
    assert dict(campaign.entries.values_list("enterprise_id", "rd_expense")) == {
        zero_rd.east.pk: Decimal("0.00"), zero_rd.with_rd.pk: Decimal("0.00")}


def test_year_to_date_needs_a_date(regions, staff):
    with pytest.raises(ValidationError) as exc:
        services.build_zero_rd_campaign(actor=staff, year=2020, region=regions.district,
                                        basis=CampaignBasis.YEAR_TO_DATE)
    assert exc.value.message_dict == {"until": ["年初至今口径须填写统计截至日期"]}
    assert not ZeroRdCampaign.objects.exists()


def test_street_cannot_open_the_district_campaign(regions, zero_rd, sub_east, changes):
    with pytest.raises(OutOfScope):
        services.build_zero_rd_campaign(actor=sub_east, year=2020, region=regions.district)
    assert not ZeroRdCampaign.objects.exists()
    assert changes() == []


def test_full_path_with_interventions(entry_east, staff, changes):
    start = len(changes())
    for status, day in ((S.VISITED, 3), (S.LEDGER_SET_UP, 20), (S.REPORTED, 28)):
        entry = services.change_entry_status(actor=staff, entry=entry_east, status=status,
                                             on=dt.date(2020, 5, day))
        assert entry.status == status
        assert entry.status_changed_on == dt.date(2020, 5, day)
    history = list(Intervention.objects.filter(entry=entry_east).order_by("happened_on")
                   .values_list("status_before", "status_after", "kind"))
    assert history == [(S.NOT_CONTACTED, S.VISITED, InterventionKind.VISIT),
                       (S.VISITED, S.LEDGER_SET_UP, InterventionKind.LEDGER),
                       (S.LEDGER_SET_UP, S.REPORTED, InterventionKind.REPORTING)]
    actions = [c.action for c in changes()[start:]]
    assert actions == [events.LOG_INTERVENTION, events.CHANGE_ENTRY_STATUS] * 3


@pytest.mark.parametrize(("current", "new", "message"), [
    (S.NOT_CONTACTED, S.REPORTED, "不能从“未联系”改为“已填报”（可改为：已走访、不适用）"),
    (S.NOT_CONTACTED, S.LEDGER_SET_UP, "不能从“未联系”改为“已建账”（可改为：已走访、不适用）"),
    (S.NOT_CONTACTED, S.NOT_CONTACTED, "当前已是“未联系”"),
])
def test_forbidden_transitions_change_nothing(entry_east, staff, changes, current, new,
                                              message):
    start = len(changes())
    with pytest.raises(ValidationError) as exc:
        services.change_entry_status(actor=staff, entry=entry_east, status=new)
    assert exc.value.message_dict == {"status": [message]}
    entry_east.refresh_from_db()
    assert entry_east.status == current
    assert not Intervention.objects.exists()
    assert len(changes()) == start


def test_reported_is_final(entry_east, staff):
    for status in (S.VISITED, S.LEDGER_SET_UP, S.REPORTED):
        services.change_entry_status(actor=staff, entry=entry_east, status=status)
    with pytest.raises(ValidationError) as exc:
        services.change_entry_status(actor=staff, entry=entry_east, status=S.NOT_APPLICABLE,
                                     reason="已停产")
    assert "可改为：无" in exc.value.message_dict["status"][0]


def test_not_applicable_needs_a_reason_and_can_be_reopened(entry_east, staff):
    with pytest.raises(ValidationError) as exc:
        services.change_entry_status(actor=staff, entry=entry_east, status=S.NOT_APPLICABLE)
    assert exc.value.message_dict == {"reason": ["设为“不适用”须填写原因"]}
    entry = services.change_entry_status(actor=staff, entry=entry_east,
                                         status=S.NOT_APPLICABLE, reason=" 企业已停产 ")
    assert (entry.status, entry.reason) == (S.NOT_APPLICABLE, "企业已停产")
    entry = services.change_entry_status(actor=staff, entry=entry_east, status=S.NOT_CONTACTED)
    assert (entry.status, entry.reason) == (S.NOT_CONTACTED, "")


def test_intervention_without_status_change(entry_east, staff):
    services.log_intervention(actor=staff, entry=entry_east, kind=InterventionKind.PHONE,
                              happened_on=dt.date(2020, 3, 2), note="电话未接通")
    entry_east.refresh_from_db()
    assert entry_east.status == S.NOT_CONTACTED
    i = Intervention.objects.get()
    assert (i.status_before, i.status_after, i.note) == ("", "", "电话未接通")


def test_intervention_date_rules(entry_east, staff):
    with pytest.raises(ValidationError) as exc:
        services.log_intervention(actor=staff, entry=entry_east, kind=InterventionKind.PHONE,
                                  happened_on=dt.date(2019, 12, 31))
    assert exc.value.message_dict == {"happened_on": ["日期应在2020年清零行动期间"]}
    with pytest.raises(ValidationError) as exc:
        services.log_intervention(actor=staff, entry=entry_east, kind=InterventionKind.PHONE,
                                  happened_on=dt.date.today() + dt.timedelta(days=1))  # noqa: DTZ011
    assert exc.value.message_dict == {"happened_on": ["日期不能晚于今天"]}


def test_out_of_region_street_changes_nothing(entry_east, sub_west, changes):
    start = len(changes())
    with pytest.raises(OutOfScope):
        services.change_entry_status(actor=sub_west, entry=entry_east, status=S.VISITED)
    entry_east.refresh_from_db()
    assert entry_east.status == S.NOT_CONTACTED
    assert not Intervention.objects.exists()
    assert len(changes()) == start


def test_assignment_checks_roles(entry_east, staff, officer, broker_user, expert):
    with pytest.raises(ValidationError) as exc:
        services.assign_campaign_entry(actor=staff, entry=entry_east, officer=expert,
                                       broker=officer)
    assert set(exc.value.message_dict) == {"officer", "broker"}
    entry = services.assign_campaign_entry(actor=staff, entry=entry_east, officer=officer,
                                           broker=broker_user)
    assert (entry.officer, entry.broker) == (officer, broker_user)


def test_history_kept_across_years(entry_east, zero_rd, staff, officer, broker_user, regions):
    services.assign_campaign_entry(actor=staff, entry=entry_east, officer=officer,
                                   broker=broker_user)
    services.change_entry_status(actor=staff, entry=entry_east, status=S.VISITED,
                                 on=dt.date(2020, 6, 1))
    AnnualIndicatorFactory(enterprise=zero_rd.east, year=2021, rd_expense=Decimal(0),
                           main_business_revenue=Decimal(30_000_000))
    next_year = services.build_zero_rd_campaign(actor=staff, year=2021,
                                                region=regions.district)
    new = next_year.entries.get(enterprise=zero_rd.east)
    # officer and broker carry over; the new year starts from 未联系; 2020 is untouched
    assert (new.officer, new.broker, new.status) == (officer, broker_user, S.NOT_CONTACTED)
    assert list(CampaignEntry.objects.filter(enterprise=zero_rd.east).order_by(
        "campaign__year").values_list("campaign__year", "status")) == [
        (2020, S.VISITED), (2021, S.NOT_CONTACTED)]


def test_catalogue_progress_indicators(entry_east, campaign, staff):
    from kechuang.indicators.catalogue import Period, all_indicators

    for status, day in ((S.VISITED, 3), (S.LEDGER_SET_UP, 20), (S.REPORTED, 28)):
        services.change_entry_status(actor=staff, entry=entry_east, status=status,
                                     on=dt.date(2020, 5, day))
    ind = all_indicators()
    year = Period.year(2020)
    assert ind["zero_rd_campaign_enterprises"].source(year, None).count() == 2
    assert ind["zero_rd_campaign_reported"].source(year, None).count() == 1
    assert ind["zero_rd_campaign_reported"].source(
        Period(dt.date(2020, 1, 1), dt.date(2020, 4, 30)), None).count() == 0
    assert ind["zero_rd_campaign_engaged"].source(year, None).count() == 1
