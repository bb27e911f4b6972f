import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from kechuang.core.importing import get_importer, run_import
from kechuang.indicators import catalogue
from kechuang.indicators.catalogue import Period
from kechuang.indicators.models import DistrictFigure, IndicatorTarget, MonthlyEnterpriseStat
from kechuang.indicators.services import set_indicator_target

D = dt.date
JAN_SEP = Period.ytd(2020, 9)
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("_case", "code", "period", "expected"), [
    ("1-9月 counts 09-30, not 10-01, not renewals", "new_national_tech_sme", JAN_SEP, 3),
    ("full year adds 10-01", "new_national_tech_sme", Period.year(2020), 4),
    ("one day 10-01", "new_national_tech_sme", Period(D(2020, 10, 1), D(2020, 10, 1)), 1),
    ("2019", "new_national_tech_sme", Period.year(2019), 1),
    ("applications 1-9月 incl. 09-30", "hitech_applications", JAN_SEP, 3),
    ("first-time applications", "hitech_applications_first_time", JAN_SEP, 2),
    ("applications full year", "hitech_applications", Period.year(2020), 4),
    ("valid 国家科小 on 09-30 (stock)", "national_tech_sme_valid", JAN_SEP, 4),
    ("valid 高企 on 09-30 (granted 2017)", "hitech_valid", JAN_SEP, 1),
    ("valid 高企 after expiry", "hitech_valid", Period.year(2020), 0),
    ("hitech VA 1-9月 (元)", "hitech_industry_value_added", JAN_SEP, Decimal("900.00")),
    ("hitech VA full year adds October", "hitech_industry_value_added", Period.year(2020),
     Decimal("1900.00")),
    ("until 09-15 leaves September out", "hitech_industry_value_added",
     Period.year(2020, D(2020, 9, 15)), Decimal("800.00")),
    ("R&D 1-9月", "rd_expense_above_scale_industrial", JAN_SEP, Decimal("90.00")),
])
def test_value_hand_counted(data, _case, code, period, expected):
    assert catalogue.value_of(code, period) == expected


def test_flow_vs_stock_for_same_enterprises(data):
    # 新增: first registrations in 1-9月; 累计: everyone holding a valid number on 09-30.
    assert catalogue.value_of("new_national_tech_sme", JAN_SEP) == 3
    assert catalogue.value_of("national_tech_sme_valid", JAN_SEP) == 4  # + the renewal
    assert catalogue.get("national_tech_sme_valid").semantics == catalogue.STOCK


def test_subdistrict_user_sees_own_totals(data, sub_east, sub_west, staff):
    assert catalogue.value_of("new_national_tech_sme", JAN_SEP, user=sub_east) == 2
    assert catalogue.value_of("new_national_tech_sme", JAN_SEP, user=sub_west) == 1
    assert catalogue.value_of("new_national_tech_sme", JAN_SEP, user=staff) == 3
    assert catalogue.value_of("hitech_industry_value_added", JAN_SEP,
                              user=sub_west) is None  # 西山 has no hitech rows: a gap
    assert catalogue.value_of("rd_expense_above_scale_industrial", JAN_SEP,
                              user=sub_west) == Decimal("90.00")
    drill = catalogue.records("new_national_tech_sme", JAN_SEP, user=sub_east)
    assert {c.enterprise.region_id for c in drill} == {sub_east.region_id}


def test_region_argument_limits_records(data, regions):
    assert catalogue.value_of("new_national_tech_sme", JAN_SEP, regions.west) == 1
    assert catalogue.value_of("new_national_tech_sme", JAN_SEP, regions.district) == 3


def test_user_without_permission_sees_nothing(data, expert):
    assert catalogue.value_of("new_national_tech_sme", JAN_SEP, user=expert) == 0


def test_yoy_and_record_high(data):
    fig = catalogue.figure("hitech_industry_value_added", JAN_SEP)
    assert fig.value == Decimal("900.00")
    assert fig.previous == Decimal("720.00")
    assert fig.yoy == Decimal("25.0")
    assert fig.history == {2018: Decimal("540.00"), 2019: Decimal("720.00")}
    assert fig.record_high is True
    fig19 = catalogue.figure("hitech_industry_value_added", Period.ytd(2019, 9))
    assert fig19.yoy == Decimal("33.3")
    assert fig19.record_high is True


def test_yoy_none_without_last_year(data):
    fig = catalogue.figure("rd_expense_above_scale_industrial", JAN_SEP)
    assert fig.yoy is None
    assert fig.record_high is None


def test_rank_in_city(data, other_districts, regions, sub_east):
    fig = catalogue.figure("hitech_industry_value_added", JAN_SEP)
    assert (fig.rank_in_city, fig.districts_in_city) == (2, 2)
    other_districts.value = Decimal(500)
    other_districts.save()
    assert catalogue.figure("hitech_industry_value_added", JAN_SEP).rank_in_city == 1
    # a sub-district's figure has no rank among districts
    assert catalogue.figure("hitech_industry_value_added", JAN_SEP,
                            user=sub_east).rank_in_city is None
    # not ranked for indicators without the flag
    assert catalogue.figure("new_national_tech_sme", JAN_SEP).rank_in_city is None


def test_target_progress(data, staff):
    set_indicator_target(actor=staff, indicator_code="new_national_tech_sme", year=2020,
                         value=Decimal(6))
    fig = catalogue.figure("new_national_tech_sme", JAN_SEP)
    assert fig.target == Decimal(6)
    assert fig.target_progress == Decimal("50.0")
    assert IndicatorTarget.objects.get().created_by == staff


def test_periods():
    assert Period.ytd(2020, 9) == Period(D(2020, 1, 1), D(2020, 9, 30))
    assert Period.ytd(2020, 9).label() == "2020年1-9月"
    assert Period.month(2020, 2) == Period(D(2020, 2, 1), D(2020, 2, 29))
    assert Period.month(2020, 2).shift_years(-1).end == D(2019, 2, 28)
    assert Period.year(2020).label() == "2020年"
    assert Period.cumulative(D(2020, 9, 30)).end == D(2020, 9, 30)


def _xlsx(rows):
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def test_monthly_stats_import(data, ent_east, staff):
    f = _xlsx([["统一社会信用代码", "年度", "月份", "工业增加值（元）", "研发费用（元）",
                "属高新技术产业"],
               [ent_east.uscc, 2020, 11, 300, 20, "是"]])
    result = run_import(get_importer("monthly-stats"), f, actor=staff)
    assert result.ok, result.errors
    assert result.created == 1
    assert catalogue.value_of("hitech_industry_value_added", Period.year(2020)) == Decimal(
        "2200.00")


def test_monthly_stats_import_rejects_out_of_scope_and_bad_month(data, ent_west, sub_east):
    before = MonthlyEnterpriseStat.objects.count()
    f = _xlsx([["统一社会信用代码", "年度", "月份", "工业增加值（元）"],
               [ent_west.uscc, 2020, 11, 300], [ent_west.uscc, 2020, 13, 1]])
    result = run_import(get_importer("monthly-stats"), f, actor=sub_east)
    assert [(e.row, e.message) for e in result.errors] == [
        (2, "该企业不在您的数据权限范围内"), (3, "该企业不在您的数据权限范围内"),
        (3, "月份应在1至12之间")]
    assert MonthlyEnterpriseStat.objects.count() == before


def test_district_figures_import(regions, staff):
    f = _xlsx([["区（县、市）", "指标代码", "统计期起", "统计期止", "数值"],
               ["邻区", "hitech_industry_value_added", "2020-01-01", "2020-09-30", 123]])
    result = run_import(get_importer("district-figures"), f, actor=staff)
    assert result.ok, result.errors
    assert DistrictFigure.objects.get().value == Decimal(123)


def test_stats_contract(data, other_districts, capsys):
    call_command("stats", "--year", "2020", "--until", "2020-09-30", "--json")
    rows = {r["code"]: r for r in json.loads(capsys.readouterr().out)}
    assert set(rows) == set(catalogue.all_indicators())
    hv = rows["hitech_industry_value_added"]
    assert hv == {"code": "hitech_industry_value_added", "name": "高新技术产业增加值",
                  "value": "900.00", "unit": "元",
                  "period": {"start": "2020-01-01", "end": "2020-09-30"},
                  "compare": {"yoy": 25.0, "record_high": True, "rank_in_city": 2}}
    assert rows["new_national_tech_sme"]["value"] == 3
    assert isinstance(rows["new_national_tech_sme"]["value"], int)


def test_stats_region_option(data, regions, capsys):
    call_command("stats", "--year", "2020", "--until", "2020-09-30", "--json",
                 "--region", regions.west.code)
    rows = {r["code"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["new_national_tech_sme"]["value"] == 1
