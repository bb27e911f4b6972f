"""An update that changes no field leaves no change record (and so no empty entry in the
record's history): services, an empty or repeated PATCH, an edit form saved as shown."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from kechuang.achievements import services as achievement_services
from kechuang.audit import record
from kechuang.audit.events import UPDATE
from kechuang.carriers import services as carrier_services
from kechuang.core.testing import uscc_for
from kechuang.core.testing.forms import form_as_shown
from kechuang.cultivation import services as cultivation_services
from kechuang.cultivation.choices import SubsidyKind, SubsidyTierStatus
from kechuang.demands import services as demand_services
from kechuang.enterprises import events as enterprise_events
from kechuang.enterprises import services as enterprise_services
from kechuang.experts import services as expert_services
from kechuang.indicators import services as indicator_services

pytestmark = pytest.mark.django_db

TWO_LINES = "第一段：烧结工序能耗高。\n第二段：希望降低能耗、提高一致性。"


@pytest.fixture
def records(bureau_admin, regions):
    """One record of every kind with an edit form or a PATCH endpoint, written through the
    services with the kinds of values that round trips get wrong (line breaks, decimals,
    dates, lists, masked personal data)."""
    admin = bureau_admin
    ent = enterprise_services.create_enterprise(actor=admin, data={
        "uscc": uscc_for(424242), "name": "示范智造科技有限公司", "industry_code": "C3511",
        "region": regions.east, "legal_form": "limited", "established_on": dt.date(2015, 6, 1),
        "registered_capital": Decimal("5000000.00"), "address": "示例路1号",
        "legal_representative": "张三丰", "contact_name": "李四",
        "contact_phone": "13812345678", "contact_email": "lisi@example.com"})
    return SimpleNamespace(
        enterprise=ent,
        indicator=enterprise_services.record_annual_indicator(
            actor=admin, enterprise=ent, year=2019, data={
                "staff_total": 120, "st_staff": 30, "sales_revenue": Decimal("50000000"),
                "rd_expense": Decimal("2200000.50")}),
        certification=enterprise_services.record_certification(
            actor=admin, enterprise=ent, data={
                "kind": "high_tech", "status": "granted", "year": 2019,
                "number": "GR201933000123", "issued_on": dt.date(2019, 12, 4),
                "note": TWO_LINES}),
        award=enterprise_services.record_award(actor=admin, enterprise=ent, data={
            "name": "国家科学技术进步奖", "project": "高效节能电机关键技术", "level": "national",
            "grade": "second", "org_rank": 2, "year": 2018, "issuer": "国务院"}),
        standard=enterprise_services.record_standard(actor=admin, enterprise=ent, data={
            "code": "GB/T 30001-2018", "name": "智能装备通用技术条件", "level": "national",
            "role": "lead", "drafting_rank": 1, "published_on": dt.date(2018, 6, 1)}),
        demand=demand_services.create_demand(actor=admin, enterprise=ent, publish=True, data={
            "title": "锂电池正极材料烧结能耗高", "description": TWO_LINES, "field": "04",
            "keywords": ["锂电池", "烧结"], "budget": Decimal("500000"),
            "deadline": dt.date(2020, 12, 31), "contact_name": "王五",
            "contact_phone": "13912345678"}),
        achievement=achievement_services.create_achievement(actor=admin, publish=True, data={
            "owner_name": "示例大学", "title": "高镍三元锂电池正极材料制备技术",
            "abstract": TWO_LINES, "field": "04", "maturity": "4_pilot",
            "transfer_mode": "assignment", "region": regions.east,
            "price": Decimal("500000.00"), "keywords": ["锂电池"],
            "contact_name": "赵六", "contact_phone": "13712345678"}),
        expert=expert_services.create_expert(actor=admin, data={
            "name": "王示例", "kind": "expert", "specialties": "锂电池正极材料",
            "bio": TWO_LINES, "region": regions.east, "fields": ["04", "08"],
            "country": "中国", "service_mode": "both", "languages": ["中文", "英语"],
            "phone": "13612345678", "email": "wang@example.com"}),
        carrier=carrier_services.create_carrier(actor=admin, data={
            "name": "示例产业创新综合体", "kind": "innovation_complex", "level": "provincial",
            "region": regions.east, "recognized_on": dt.date(2020, 6, 1),
            "description": TWO_LINES, "fields": ["04"], "area": Decimal("12000.50"),
            "contact_name": "钱七", "contact_phone": "13512345678"}),
        figure=indicator_services.record_district_figure(
            actor=admin, region=regions.district, indicator_code="hitech_industry_value_added",
            period_start=dt.date(2020, 1, 1), period_end=dt.date(2020, 9, 30),
            value=Decimal("123456.78"), source="区统计局"),
        target=indicator_services.set_indicator_target(
            actor=admin, indicator_code="new_national_tech_sme", year=2020,
            value=Decimal(6), note=TWO_LINES),
        policy=cultivation_services.save_subsidy_policy(
            actor=admin, data={"name": "研发费用后补助", "kind": SubsidyKind.LEVEL,
                               "year": 2020, "local_rule": True, "is_active": True,
                               "note": TWO_LINES},
            tiers=[{"status": SubsidyTierStatus.HIGH_TECH, "rate": Decimal("0.05"),
                    "cap": Decimal(500_000)},
                   {"status": SubsidyTierStatus.ABOVE_SCALE, "rate": Decimal("0.02"),
                    "cap": None}]),
    )


# --- the rule (audit.record.write) ----------------------------------------------------------

def test_an_update_that_changes_nothing_is_not_recorded(records, bureau_admin, changes):
    demand = records.demand
    start = changes()

    demand_services.update_demand(actor=bureau_admin, demand=demand, data={})
    demand_services.update_demand(actor=bureau_admin, demand=demand,
                                  data={"title": demand.title, "budget": Decimal("500000.00")})

    assert changes() == start


def test_an_update_that_changes_a_field_is_recorded_with_that_field_only(records,
                                                                        bureau_admin,
                                                                        changes):
    start = len(changes())

    demand_services.update_demand(actor=bureau_admin, demand=records.demand,
                                  data={"title": "锂电池正极材料烧结工艺优化"})

    [rec] = changes()[start:]
    assert rec.action == UPDATE
    assert [name for name, _old, _new in rec.changed_fields_display()] == ["需求名称"]


def test_a_changed_masked_personal_value_is_still_recorded(records, bureau_admin, changes):
    """Both snapshots show the phone as ``***``; the update is recorded all the same."""
    start = len(changes())

    enterprise_services.update_enterprise(actor=bureau_admin, enterprise=records.enterprise,
                                          data={"contact_phone": "13800000000"})

    [rec] = changes()[start:]
    assert (rec.before["contact_phone"], rec.after["contact_phone"]) == ("***", "***")
    assert "13800000000" not in str(rec.after)


def test_a_masked_value_without_its_clear_value_counts_as_changed(records, bureau_admin,
                                                                  changes):
    """A hand-built ``before`` (a plain dict) cannot show the masked value was kept."""
    start = len(changes())
    plain = dict(record.snapshot(records.enterprise))

    rec = record.write(UPDATE, records.enterprise, actor=bureau_admin, before=plain)

    assert rec is not None
    assert len(changes()) == start + 1


def test_refiling_the_same_figures_is_not_recorded(records, bureau_admin, changes):
    start = changes()

    enterprise_services.record_annual_indicator(
        actor=bureau_admin, enterprise=records.enterprise, year=2019,
        data={"staff_total": 120, "rd_expense": Decimal("2200000.5")})
    assert changes() == start

    enterprise_services.record_annual_indicator(
        actor=bureau_admin, enterprise=records.enterprise, year=2019, data={"staff_total": 121})
    assert [c.action for c in changes()[len(start):]] == [enterprise_events.RECORD_INDICATOR]


def test_an_action_that_is_an_event_in_itself_is_recorded_even_without_a_change(
        records, bureau_admin, changes):
    start = len(changes())
    before = record.snapshot(records.enterprise)

    rec = record.write(enterprise_events.LINK_USER, records.enterprise, actor=bureau_admin,
                       before=before)

    assert rec is not None
    assert len(changes()) == start + 1


def test_unchanged_compares_decimals_and_moments_by_value():
    from kechuang.demands.models import TechDemand

    before = {"budget": "500000", "published_at": "2020-09-30T02:00:00+00:00"}
    same = {"budget": "500000.00", "published_at": "2020-09-30T10:00:00+08:00"}
    other = {"budget": "500000.01", "published_at": "2020-09-30T10:00:00+08:00"}

    assert record.unchanged(TechDemand, before, same)
    assert not record.unchanged(TechDemand, before, other)
    assert not record.unchanged(TechDemand, before, {"budget": "500000"})  # a key went missing


# --- the API: an empty PATCH, and a PATCH of the values as they are --------------------------

# (endpoint, record) for every API endpoint that takes PATCH
PATCHED = [
    ("/api/enterprises/enterprises/", "enterprise"),
    ("/api/enterprises/indicators/", "indicator"),
    ("/api/enterprises/certifications/", "certification"),
    ("/api/enterprises/awards/", "award"),
    ("/api/enterprises/standards/", "standard"),
    ("/api/demands/demands/", "demand"),
    ("/api/achievements/achievements/", "achievement"),
    ("/api/experts/experts/", "expert"),
    ("/api/carriers/carriers/", "carrier"),
]


def test_the_patch_cases_cover_every_endpoint_that_takes_patch():
    from kechuang.core.testing.urls import api_views

    patchable = {path for path, view in api_views()
                 if "{pk}" in path and "patch" in getattr(view.cls, "http_method_names", ())
                 and "partial_update" in view.actions.values()}
    assert patchable == {f"{url}{{pk}}/" for url, _name in PATCHED}


@pytest.mark.parametrize(("url", "name"), PATCHED)
def test_an_empty_patch_answers_the_object_and_records_nothing(url, name, records,
                                                               bureau_admin, client_for,
                                                               changes):
    client = client_for(bureau_admin)
    obj = getattr(records, name)
    shown = client.get(f"{url}{obj.pk}/").json()
    start = changes()

    response = client.patch(f"{url}{obj.pk}/", {}, content_type="application/json")

    assert response.status_code == 200
    body = response.json()
    assert body.pop("updated_at", None) is not None or "updated_at" not in shown
    shown.pop("updated_at", None)
    assert body == shown
    assert changes() == start


@pytest.mark.parametrize(("url", "name"), PATCHED)
def test_a_patch_of_the_values_as_they_are_records_nothing(url, name, records, bureau_admin,
                                                           client_for, changes):
    client = client_for(bureau_admin)
    obj = getattr(records, name)
    shown = client.get(f"{url}{obj.pk}/").json()
    options = client.options(f"{url}{obj.pk}/").json()["actions"]["PUT"]
    # every writable field as the API shows it (personal data is shown masked: left out)
    personal = set(getattr(type(obj), "personal_fields", ())) | {"legal_representative"}
    body = {k: v for k, v in shown.items()
            if k in options and not options[k]["read_only"] and k not in personal}
    start = changes()

    response = client.patch(f"{url}{obj.pk}/", body, content_type="application/json")

    assert response.status_code == 200, response.content.decode()
    assert changes() == start


# --- the edit forms saved as shown -----------------------------------------------------------

EDIT_PAGES = [
    (lambda r: f"/enterprises/{r.enterprise.pk}/edit/", "enterprise"),
    (lambda r: f"/enterprises/{r.enterprise.pk}/indicators/{r.indicator.pk}/edit/",
     "indicator"),
    (lambda r: f"/enterprises/{r.enterprise.pk}/certifications/{r.certification.pk}/edit/",
     "certification"),
    (lambda r: f"/enterprises/{r.enterprise.pk}/awards/{r.award.pk}/edit/", "award"),
    (lambda r: f"/enterprises/{r.enterprise.pk}/standards/{r.standard.pk}/edit/", "standard"),
    (lambda r: f"/demands/{r.demand.pk}/edit/", "demand"),
    (lambda r: f"/achievements/{r.achievement.pk}/edit/", "achievement"),
    (lambda r: f"/experts/{r.expert.pk}/edit/", "expert"),
    (lambda r: f"/carriers/{r.carrier.pk}/edit/", "carrier"),
    (lambda r: f"/indicators/district-figures/{r.figure.pk}/edit/", "figure"),
    (lambda r: f"/indicators/targets/{r.target.pk}/edit/", "target"),
    (lambda r: f"/cultivation/subsidies/{r.policy.pk}/edit/", "policy"),
]


@pytest.mark.parametrize(("url", "name"), EDIT_PAGES, ids=[n for _u, n in EDIT_PAGES])
def test_an_edit_form_saved_as_shown_records_nothing(url, name, records, bureau_admin,
                                                     client_for, changes):
    client = client_for(bureau_admin)
    page = client.get(url(records))
    assert page.status_code == 200
    data = form_as_shown(page.content.decode())
    assert data  # the page's form was found
    start = changes()

    response = client.post(url(records), data)

    assert response.status_code == 302, response.content.decode()
    assert [c.changed_fields() for c in changes()[len(start):]] == []
    obj = getattr(records, name)
    stored = record.snapshot(type(obj).objects.get(pk=obj.pk))
    assert record.unchanged(type(obj), record.snapshot(obj), stored)
