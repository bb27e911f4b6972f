import io

import pytest
from openpyxl import load_workbook

from kechuang.audit.models import ChangeRecord

pytestmark = pytest.mark.django_db
Q = "until=2020-09-30"


def _json(client, name, query=Q):
    resp = client.get(f"/reports/dashboard/data/{name}.json?{query}")
    assert resp.status_code == 200
    return resp.json()


def test_kpis_json(data, other_districts, leader, client_for):
    tiles = {t["code"]: t for t in _json(client_for(leader), "kpis")["tiles"]}
    hv = tiles["hitech_industry_value_added"]
    assert hv["value"] == "900.00"
    assert hv["yoy"] == 25.0
    assert hv["record_high"] is True
    assert hv["rank_in_city"] == 2
    assert hv["districts_in_city"] == 2
    assert hv["url"] == ("/indicators/records/hitech_industry_value_added/"
                         "?start=2020-01-01&end=2020-09-30")
    assert tiles["new_national_tech_sme"]["value"] == 3


def test_subdistrict_dashboard_is_own_territory(data, other_districts, sub_east, client_for):
    client = client_for(sub_east)
    tiles = {t["code"]: t for t in _json(client, "kpis")["tiles"]}
    assert tiles["new_national_tech_sme"]["value"] == 2
    assert tiles["hitech_industry_value_added"]["rank_in_city"] is None
    rows = _json(client, "subdistricts", Q + "&code=new_national_tech_sme")["rows"]
    assert [(r["name"], r["value"]) for r in rows] == [("东湖街道", 2)]
    assert _json(client, "ranking")["available"] is False


def test_chart_json(data, other_districts, staff, client_for):
    client = client_for(staff)
    trends = _json(client, "trends")
    assert trends["years"] == [2016, 2017, 2018, 2019, 2020]
    hv = next(s for s in trends["series"] if s["code"] == "hitech_industry_value_added")
    assert hv["data"] == [None, None, 0.0, 0.0, 0.0]  # 540/720/900 元 in 亿元
    pyramid = {t["code"]: t["value"] for t in _json(client, "pyramid")["tiers"]}
    assert pyramid["national_tech_sme_valid"] == 4
    assert pyramid["hitech_valid"] == 1
    rows = _json(client, "subdistricts", Q + "&code=new_national_tech_sme")["rows"]
    assert [(r["name"], r["value"]) for r in rows] == [("东湖街道", 2), ("西山街道", 1),
                                                       ("科创园区", 0)]
    ranking = _json(client, "ranking")
    assert ranking["indicators"][0]["rank"] == 2
    assert [r["name"] for r in ranking["indicators"][0]["rows"]] == ["邻区", "示范区"]
    clearance = _json(client, "clearance")
    assert clearance["available"] is False
    assert clearance["message"].startswith("暂无数据")


@pytest.mark.parametrize(("_case", "url"), [
    ("dashboard", "/reports/dashboard/?until=2020-09-30"),
    ("chart json", "/reports/dashboard/data/kpis.json?until=2020-09-30"),
    ("catalogue", "/indicators/?year=2020&until=2020-09-30"),
    ("drill-down", "/indicators/records/new_national_tech_sme/?start=2020-01-01&end=2020-09-30"),
    ("summary", "/reports/summary/"),
])
def test_pages_permissions(data, _case, url, client_for, leader, expert, sub_east):
    anon = client_for(None).get(url)
    assert anon.status_code == 302
    assert "/accounts/login/" in anon["Location"]
    assert client_for(expert).get(url).status_code == 403
    assert client_for(leader).get(url).status_code == 200
    expected = 403 if _case == "summary" else 200
    assert client_for(sub_east).get(url).status_code == expected


@pytest.mark.parametrize(("_case", "url"), [
    ("figures", "/indicators/district-figures/"),
    ("add figure", "/indicators/district-figures/add/"),
    ("targets", "/indicators/targets/"),
    ("add target", "/indicators/targets/add/"),
    ("monthly", "/indicators/monthly-stats/"),
    ("import monthly", "/indicators/monthly-stats/import/"),
])
def test_staff_tables_permissions(regions, _case, url, client_for, staff, expert):
    assert client_for(expert).get(url).status_code == 403
    assert client_for(staff).get(url).status_code == 200


def test_leader_cannot_edit_targets(regions, client_for, leader):
    resp = client_for(leader).post("/indicators/targets/add/", {
        "indicator_code": "new_national_tech_sme", "year": 2020, "value": 5})
    assert resp.status_code == 403


def test_staff_sets_target_through_form(regions, client_for, staff):
    from kechuang.indicators.models import IndicatorTarget

    resp = client_for(staff).post("/indicators/targets/add/", {
        "indicator_code": "new_national_tech_sme", "year": 2020, "value": "5"})
    assert resp.status_code == 302
    assert IndicatorTarget.objects.get().region == regions.district
    assert ChangeRecord.objects.filter(action="indicators.set_target").count() == 1


def test_drill_down_lists_and_exports_scope(data, client_for, sub_east, staff):
    url = "/indicators/records/new_national_tech_sme/?start=2020-01-01&end=2020-09-30"
    page = client_for(sub_east).get(url).content.decode()
    assert "共 2 条" in page
    assert "西山" not in page
    resp = client_for(staff).get(url + "&export=xlsx")
    assert resp.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(resp.streaming_content))).active
    names = sorted(r[0] for r in ws.iter_rows(min_row=3, values_only=True))
    assert len(names) == 3
    assert ChangeRecord.objects.filter(action="export").count() == 1


def test_drill_down_region_out_of_scope(data, client_for, sub_east, regions):
    url = ("/indicators/records/new_national_tech_sme/?start=2020-01-01&end=2020-09-30"
           f"&region={regions.west.code}")
    assert client_for(sub_east).get(url).status_code == 404


def test_report_preview_page(data, client_for, staff):
    resp = client_for(staff).get("/reports/summary/?kind=annual&year=2020&until=2020-09-30")
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "今年新增国家科技型中小企业3家" in body
    from kechuang.reports.models import GeneratedReport

    saved = GeneratedReport.objects.get()
    dl = client_for(staff).get(f"/reports/summary/{saved.pk}/download/")
    assert dl.status_code == 200


def test_dashboard_wall_mode(data, client_for, leader):
    body = client_for(leader).get("/reports/dashboard/?until=2020-09-30&fullscreen=1")
    assert b'data-wall="1"' in body.content
    assert b"vendor/echarts/echarts.min.js" in body.content
    assert b"saveAsImage" in body.content


def test_chart_cache_is_per_scope(data, client_for, staff, sub_east):
    assert _json(client_for(staff), "pyramid")["tiers"][2]["value"] == 4
    # a scoped viewer never receives the whole district's cached numbers
    assert _json(client_for(sub_east), "pyramid")["tiers"][2]["value"] == 3
