"""What the permitted requests do: self-assessment stores nothing unless saved, explanations,
pipeline lists, the 清零 chart data and the 免申即享 pages."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from kechuang.cultivation import events, services
from kechuang.cultivation.choices import EntryStatus
from kechuang.enterprises.events import RECORD_INDICATOR
from kechuang.enterprises.models import AnnualIndicator

from .conftest import compute_lists
from .test_permissions import figures

C = "/cultivation"
pytestmark = pytest.mark.django_db


def _indicator_rows(ent):
    return list(AnnualIndicator.objects.filter(enterprise=ent).order_by("year").values())


def test_stored_assessment_explains_every_condition(scored, sub_east, client_for):
    page = client_for(sub_east).get(f"{C}/assessment/{scored.pk}/?as_of=2020-06-01")
    html = page.content.decode()
    assert "国家科技型中小企业：符合条件（综合得分 64 分）" in html
    assert "依据企业库中已保存的数据" in html
    for cid in ("E1", "E2", "E3", "E4", "E5", "D1", "D2", "D3", "D4"):
        assert f'data-condition="{cid}"' in html
    assert "科技人员指标" in html
    assert "16 / 20分" in html
    assert "地方规则，请确认" in html  # D4 rests on a U row


def test_typed_figures_are_assessed_and_nothing_is_stored(scored, sub_east, client_for,
                                                          changes):
    before = _indicator_rows(scored)
    response = client_for(sub_east).post(f"{C}/assessment/{scored.pk}/", figures(None))
    html = response.content.decode()
    assert response.status_code == 200
    # 40/120 = 33% → 20; R&D 4.4% → 30; one Class I patent → 30
    assert "符合条件（综合得分 80 分）" in html
    assert "以上为按您填写的数据试算的结果，尚未保存" in html
    assert _indicator_rows(scored) == before
    assert changes() == []


def test_impossible_figures_are_named_not_stored(scored, sub_east, client_for, changes):
    data = figures(None)
    data["y2019_st_staff"] = "130"
    client = client_for(sub_east)
    html = client.post(f"{C}/assessment/{scored.pk}/", data).content.decode()
    assert "2019年 科技人员数" in html
    assert "不能大于职工总数" in html
    data["action"] = "save"
    response = client.post(f"{C}/assessment/{scored.pk}/", data)
    assert response.status_code == 400
    assert 'data-field="y2019_st_staff"' in response.content.decode()
    assert scored.annual_indicators.get(year=2019).st_staff == 30
    assert changes() == []


def test_saving_goes_through_the_registry_service(scored, sub_east, client_for, changes):
    response = client_for(sub_east).post(f"{C}/assessment/{scored.pk}/", figures(None, "save"))
    assert response.status_code == 302
    ind = scored.annual_indicators.get(year=2019)
    assert (ind.st_staff, ind.ip_class1, ind.ip_class2) == (40, 1, 3)
    assert [(c.action, c.actor) for c in changes()] == [
        (RECORD_INDICATOR, sub_east), (events.SAVE_ASSESSMENT_FIGURES, sub_east)]


def test_enterprise_user_without_indicator_rights_cannot_save(scored, client_for, changes):
    from kechuang.core.testing import make_user

    viewer = make_user(perms=("cultivation.run_assessment", "enterprises.view_enterprise"),
                       scope="all")
    response = client_for(viewer).post(f"{C}/assessment/{scored.pk}/", figures(None, "save"))
    assert response.status_code == 403
    assert scored.annual_indicators.get(year=2019).st_staff == 30
    assert changes() == []


def test_missing_year_is_a_message_not_a_crash(ent_east, sub_east, client_for):
    html = client_for(sub_east).get(
        f"{C}/assessment/{ent_east.pk}/?scheme=high-tech&as_of=2020-06-01").content.decode()
    assert "数据不完整或有误，暂时无法评价" in html
    assert "缺少2019年度数据" in html


def test_high_tech_gap_in_yuan(scored, sub_east, client_for):
    data = client_for(sub_east).get(
        f"{C}/assessment/{scored.pk}/result.json?scheme=high-tech&as_of=2020-06-01").json()
    assert data["scheme"] == "high-tech"
    assert data["data_years"] == [2017, 2018, 2019]
    h5 = next(c for c in data["conditions"] if c["id"] == "H5")
    # ΣRD 470万 / Σsales 9600万 = 4.90%; latest sales 5000万 → 5% required: 480万, gap 10万
    assert h5["met"] is False
    gap = next(g for g in data["gaps"] if g["id"] == "H5" and g["unit"] == "元")
    assert Decimal(gap["missing"]) == Decimal(100_000)
    html = client_for(sub_east).get(
        f"{C}/assessment/{scored.pk}/?scheme=high-tech&as_of=2020-06-01").content.decode()
    assert "<strong>H5</strong> 还差 10.00万元（100,000.00元）" in html


def test_rule_table_page_flags_local_rules(staff, client_for):
    html = client_for(staff).get(f"{C}/rules/?scheme=tech-sme").content.decode()
    assert "E5.total_score" in html
    assert "地方规则，请确认" in html


def test_pipeline_counts_and_candidate_export(scored, ent_west, staff, client_for):
    compute_lists(2020)
    client = client_for(staff)
    html = client.get(f"{C}/pipeline/?year=2020").content.decode()
    assert 'data-tier="above_scale"><td>规上工业企业</td><td class="text-end">1 家' in html
    listing = client.get(f"{C}/pipeline/above-scale-without-tech-sme/?year=2020")
    assert scored.name in listing.content.decode()
    export = client.get(f"{C}/pipeline/above-scale-without-tech-sme/?year=2020&export=xlsx")
    ws = load_workbook(io.BytesIO(export.getvalue())).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:5] == ("企业名称", "统一社会信用代码", "区域", "上年研发费用", "科小预评估")
    assert rows[1][:6] == (scored.name, scored.uscc, "东湖街道", "220.00万元", "符合", "64")
    # the region filter narrows the list
    west = client.get(f"{C}/pipeline/above-scale-without-tech-sme/?year=2020"
                      f"&region={ent_west.region.pk}").content.decode()
    assert scored.name not in west


def test_tech_sme_to_high_tech_uses_the_configurable_gap(scored, staff, client_for):
    from kechuang.core.testing import CertificationFactory

    CertificationFactory(enterprise=scored, kind="national_tech_sme", year=2019,
                         number="2019339901A0000001")
    compute_lists(2020)
    client = client_for(staff)
    url = f"{C}/pipeline/tech-sme-to-high-tech/?year=2020"
    # H5 gap is 10万; H4 (25% staff) is met; other unmet conditions decide the count
    wide = client.get(f"{url}&max_gap_wan=50&max_unmet=8").content.decode()
    narrow = client.get(f"{url}&max_gap_wan=5&max_unmet=8").content.decode()
    assert scored.name in wide
    assert scored.name not in narrow


def test_campaign_chart_data(entry_east, campaign, staff, client_for):
    services.change_entry_status(actor=staff, entry=entry_east, status=EntryStatus.VISITED,
                                 on=dt.date(2020, 2, 10))
    services.change_entry_status(actor=staff, entry=entry_east,
                                 status=EntryStatus.LEDGER_SET_UP, on=dt.date(2020, 3, 5))
    data = client_for(staff).get(f"{C}/campaigns/{campaign.pk}/chart.json").json()
    assert data["total"] == 2
    assert data["months"][:3] == ["1月", "2月", "3月"]
    series = {s["code"]: s["data"] for s in data["series"]}
    assert series["not_contacted"][:3] == [2, 1, 1]
    assert series["visited"][:3] == [0, 1, 0]
    assert series["ledger"][:3] == [0, 0, 1]
    assert {r["name"] for r in data["regions"]} == {"东湖街道", "西山街道"}


def test_entry_page_logs_a_step(entry_east, sub_east, client_for):
    client = client_for(sub_east)
    response = client.post(f"{C}/campaign-entries/{entry_east.pk}/", {
        "form": "intervention", "kind": "visit", "happened_on": "2020-04-01",
        "new_status": "reported"})
    assert response.status_code == 400
    assert "不能从“未联系”改为“已填报”" in response.content.decode()
    entry_east.refresh_from_db()
    assert entry_east.status == EntryStatus.NOT_CONTACTED


def test_entitlement_page_shows_the_computation(scored, level_policy, bureau_admin, staff,
                                                client_for):
    services.compute_entitlements(actor=bureau_admin, policy=level_policy)
    row = level_policy.entitlements.get()
    html = client_for(staff).get(f"{C}/entitlements/{row.pk}/").content.decode()
    assert "2019年资质：规上工业企业；按“规上工业企业”档计算" in html
    assert "2,200,000.00元（220.00万元） × 2% = 44,000.00元（4.40万元）" in html
    assert "地方规则，请确认" in html
    # staff may read but not approve
    assert "审核通过" not in html


def test_page_opens_on_the_latest_recorded_year(scored, sub_east, client_for):
    # figures end in 2019: the page assesses as of 2020-06-30 (editable), not on missing data
    html = client_for(sub_east).get(f"{C}/assessment/{scored.pk}/").content.decode()
    assert 'value="2020-06-30"' in html
    assert "符合条件（综合得分 64 分）" in html
    data = client_for(sub_east).get(f"{C}/assessment/{scored.pk}/result.json").json()
    assert (data["as_of"], data["data_year"]) == ("2020-06-30", 2019)


def test_condition_values_in_plain_chinese():
    from kechuang.cultivation.assessment import _fmt

    assert _fmt({"staff_total": "120", "sales_revenue": "50000000.00"}) == (
        "职工总数 120；销售收入 5,000.00万元")
    assert _fmt("0.2500") == "25.00%"
    assert _fmt("365") == "365"
    assert _fmt((19, 68)) == "19–68"
    assert _fmt(None) == "—"
    assert _fmt(True) == "是"
