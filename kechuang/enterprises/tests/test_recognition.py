# ruff: noqa: E501  (exact Chinese messages read better unwrapped)
"""Awards, standards and the 高企 technology field: services, Excel, pages and API."""

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from kechuang.audit.events import UPDATE
from kechuang.core.errors import OutOfScope, first_messages
from kechuang.core.importing import build_template, export_workbook, get_importer, run_import
from kechuang.core.testing import Audience, Endpoint, check_endpoint
from kechuang.core.testing.excel import read_sheet, xlsx_bytes, xlsx_file
from kechuang.enterprises import events, services
from kechuang.enterprises.models import Award, Enterprise, Standard

pytestmark = pytest.mark.django_db

AWARD = {"name": "国家科学技术进步奖", "project": "高效节能电机关键技术", "level": "national",
         "grade": "second", "org_rank": 2, "year": 2018, "issuer": "国务院"}
STANDARD = {"code": "GB/T 30001-2018", "name": "智能装备通用技术条件", "level": "national",
            "role": "lead", "drafting_rank": 1, "published_on": dt.date(2018, 6, 1)}
AWARD_HEADERS = ["统一社会信用代码", "企业名称", "奖项名称", "获奖项目", "级别", "等级", "获奖单位排名",
                 "获奖年度", "授奖部门", "证书编号", "备注"]
STANDARD_HEADERS = ["统一社会信用代码", "企业名称", "标准编号", "标准名称", "标准类别", "参与方式",
                    "起草单位排名", "发布日期", "备注"]
WRITES = (Enterprise, Award, Standard)


def _messages(exc_info) -> dict[str, str]:
    return first_messages(exc_info.value)


def _run(name, content, actor, **kwargs):
    return run_import(get_importer(name), io.BytesIO(content), actor=actor, **kwargs)


def _errors(result):
    return [(e.row, e.column, e.message) for e in result.errors]


# --- services -------------------------------------------------------------------------------

def test_record_award_creates_then_updates_with_audit(staff, ent_east, changes):
    award = services.record_award(actor=staff, enterprise=ent_east, data=AWARD)
    assert (award.name, award.level, award.org_rank, award.year) == (
        "国家科学技术进步奖", "national", 2, 2018)
    services.record_award(actor=staff, enterprise=ent_east, award=award,
                          data={"org_rank": 1, "note": "复核"})
    award.refresh_from_db()
    assert (award.org_rank, award.note) == (1, "复核")
    created, updated = changes()
    assert (created.action, created.actor, created.related_object_id) == (
        events.RECORD_AWARD, staff, str(ent_east.pk))
    assert (updated.action, updated.before["org_rank"], updated.after["org_rank"]) == (UPDATE, 2, 1)


@pytest.mark.parametrize(("data", "expected"), [
    ({**AWARD, "name": " "}, {"name": "奖项名称不能为空"}),
    ({**AWARD, "level": "county"}, {"level": "请选择奖项级别"}),
    ({**AWARD, "grade": "gold"}, {"grade": "请选择有效的获奖等级"}),
    ({**AWARD, "year": 2099}, {"year": "获奖年度应在1980至{this_year}之间"}),
    ({**AWARD, "org_rank": 0}, {"org_rank": "获奖单位排名应为正整数（第一完成单位填1）"}),
], ids=["name", "level", "grade", "year", "rank"])
def test_record_award_rejects_bad_input_and_writes_nothing(data, expected, staff, ent_east,
                                                           changes):
    this_year = dt.date.today().year  # noqa: DTZ011
    with pytest.raises(ValidationError) as exc:
        services.record_award(actor=staff, enterprise=ent_east, data=data)
    assert _messages(exc) == {k: v.format(this_year=this_year) for k, v in expected.items()}
    assert Award.objects.count() == 0
    assert changes() == []


def test_record_award_refuses_a_duplicate(staff, ent_east, changes):
    services.record_award(actor=staff, enterprise=ent_east, data=AWARD)
    with pytest.raises(ValidationError) as exc:
        services.record_award(actor=staff, enterprise=ent_east, data=AWARD)
    assert _messages(exc) == {"name": "该企业2018年度已登记此奖项（同一获奖项目）"}
    assert Award.objects.count() == 1
    assert len(changes()) == 1


def test_street_user_cannot_record_for_another_street(sub_east, ent_west, changes):
    with pytest.raises(OutOfScope):
        services.record_award(actor=sub_east, enterprise=ent_west, data=AWARD)
    with pytest.raises(OutOfScope):
        services.record_standard(actor=sub_east, enterprise=ent_west, data=STANDARD)
    assert (Award.objects.count(), Standard.objects.count()) == (0, 0)
    assert changes() == []


def test_record_standard_creates_and_audits(staff, ent_east, changes):
    std = services.record_standard(actor=staff, enterprise=ent_east,
                                   data={**STANDARD, "code": " GB/T 30001-2018 "})
    assert (std.code, std.role, std.published_on) == ("GB/T 30001-2018", "lead",
                                                      dt.date(2018, 6, 1))
    [rec] = changes()
    assert (rec.action, rec.after["code"]) == (events.RECORD_STANDARD, "GB/T 30001-2018")


@pytest.mark.parametrize(("data", "expected"), [
    ({**STANDARD, "code": ""}, {"code": "标准编号不能为空"}),
    ({**STANDARD, "level": "company"}, {"level": "请选择标准类别"}),
    ({**STANDARD, "role": "reviewer"}, {"role": "请选择参与方式（主导制定或参与制定）"}),
    ({**STANDARD, "published_on": dt.date(2099, 1, 1)}, {"published_on": "发布日期不能晚于今天"}),
    ({**STANDARD, "published_on": None}, {"published_on": "发布日期不能为空"}),
    ({**STANDARD, "drafting_rank": 0}, {"drafting_rank": "起草单位排名应为正整数"}),
], ids=["code", "level", "role", "future", "missing-date", "rank"])
def test_record_standard_rejects_bad_input_and_writes_nothing(data, expected, staff, ent_east,
                                                              changes):
    with pytest.raises(ValidationError) as exc:
        services.record_standard(actor=staff, enterprise=ent_east, data=data)
    assert _messages(exc) == expected
    assert Standard.objects.count() == 0
    assert changes() == []


def test_record_standard_refuses_the_same_code_twice(staff, ent_east):
    services.record_standard(actor=staff, enterprise=ent_east, data=STANDARD)
    with pytest.raises(ValidationError) as exc:
        services.record_standard(actor=staff, enterprise=ent_east,
                                 data={**STANDARD, "role": "participant"})
    assert _messages(exc) == {"code": "该企业已登记标准GB/T 30001-2018"}
    assert Standard.objects.get().role == "lead"


def test_hitech_field_is_validated_and_blank_stored_as_none(staff, ent_east, changes):
    with pytest.raises(ValidationError) as exc:
        services.update_enterprise(actor=staff, enterprise=ent_east,
                                   data={"hitech_field": "01", "hitech_sub_field": "0401"})
    assert _messages(exc) == {"hitech_sub_field": "子领域不属于所选高新技术领域"}
    with pytest.raises(ValidationError) as exc:
        services.update_enterprise(actor=staff, enterprise=ent_east,
                                   data={"hitech_sub_field": "0101"})
    assert _messages(exc) == {"hitech_sub_field": "填写子领域时须同时选择高新技术领域"}
    assert changes() == []
    services.update_enterprise(actor=staff, enterprise=ent_east,
                               data={"hitech_field": "01", "hitech_sub_field": "0101"})
    ent_east.refresh_from_db()
    assert ent_east.hitech_field_path == "电子信息/软件"
    services.update_enterprise(actor=staff, enterprise=ent_east,
                               data={"hitech_field": "", "hitech_sub_field": ""})
    ent_east.refresh_from_db()
    assert (ent_east.hitech_field, ent_east.hitech_sub_field, ent_east.hitech_field_path) == (
        None, None, "")


def test_writes_announce_the_enterprise_change(staff, ent_east,
                                               django_capture_on_commit_callbacks):
    from kechuang.core import changes as bus

    received: list[tuple[str, list[int]]] = []

    def listener(kind, pks):
        received.append((kind, pks))

    bus.subscribe(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.record_award(actor=staff, enterprise=ent_east, data=AWARD)
            services.record_standard(actor=staff, enterprise=ent_east, data=STANDARD)
            services.record_annual_indicator(actor=staff, enterprise=ent_east, year=2019,
                                             data={"staff_total": 10})
    finally:
        bus._subscribers.remove(listener)
    assert received == [(services.ENTERPRISE_DATA, [ent_east.pk])] * 3


# --- Excel ----------------------------------------------------------------------------------

def test_award_and_standard_templates_have_the_columns():
    assert [c.value for c in build_template(get_importer("awards"))["数据"][1]] == AWARD_HEADERS
    assert [c.value for c in build_template(get_importer("standards"))["数据"][1]] == STANDARD_HEADERS


def test_good_award_file_imports_and_exports_back(staff, ent_east, changes):
    rows = [[ent_east.uscc, None, "国家科学技术进步奖", "高效节能电机关键技术", "国家级", "二等奖", 2,
             2018, "国务院", "2018-J-001", None],
            [ent_east.uscc, None, "浙江省科学技术进步奖", None, "省级", "一等奖", 1, 2019, None,
             None, "省奖"]]
    result = _run("awards", xlsx_bytes(AWARD_HEADERS, rows), staff)
    assert (result.errors, result.created) == ([], 2)
    assert [c.action for c in changes()] == [events.RECORD_AWARD] * 2
    importer = get_importer("awards")
    content = export_workbook(importer, importer.export_rows(Award.objects.all(), unmask=False))
    exported = read_sheet(content)
    assert exported[0] == AWARD_HEADERS
    assert exported[1][:8] == [ent_east.uscc, ent_east.name, "浙江省科学技术进步奖", None, "省级",
                               "一等奖", 1, 2019]
    # the exported file re-imports in update mode and changes no value
    before = list(Award.objects.order_by("pk").values("name", "project", "level", "grade",
                                                       "org_rank", "year", "issuer", "note"))
    again = run_import(importer, io.BytesIO(content), actor=staff, update=True)
    assert (again.errors, again.updated, again.created) == ([], 2, 0)
    assert list(Award.objects.order_by("pk").values(
        "name", "project", "level", "grade", "org_rank", "year", "issuer", "note")) == before


def test_award_bad_cell_in_each_column(staff, ent_east, changes):
    def row(**c):
        base = {"统一社会信用代码": ent_east.uscc, "奖项名称": "国家技术发明奖", "级别": "国家级",
                "获奖年度": 2018}
        base.update(c)
        return [base.get(h) for h in AWARD_HEADERS]

    cases = [
        (row(统一社会信用代码="123"), "统一社会信用代码", "统一社会信用代码123未登记，请先导入企业"),
        (row(奖项名称=None, 获奖年度=2017), "奖项名称", "“奖项名称”为必填项"),
        (row(级别="乡级", 获奖年度=2016), "级别", "“级别”的值“乡级”无效，可选：国家级、省级、市级、区级"),
        (row(等级="金奖", 获奖年度=2015), "等级", "“等级”的值“金奖”无效，可选：特等奖、一等奖、二等奖、三等奖、其他"),
        (row(获奖单位排名="第一", 获奖年度=2014), "获奖单位排名", "“获奖单位排名”应为数字，实际为“第一”"),
        (row(获奖单位排名=0, 获奖年度=2013), "获奖单位排名", "获奖单位排名应为正整数（第一完成单位填1）"),
        (row(获奖年度=1970), "获奖年度", f"获奖年度应在1980至{dt.date.today().year}之间"),  # noqa: DTZ011
    ]
    rows = [c[0] for c in cases] + [row(获奖年度=2012), row(获奖年度=2012)]
    result = _run("awards", xlsx_bytes(AWARD_HEADERS, rows), staff)
    assert _errors(result) == [(i + 2, col, msg) for i, (_, col, msg) in enumerate(cases)] + [
        (10, "奖项名称", "与第9行重复")]
    assert Award.objects.count() == 0
    assert changes() == []


def test_standard_bad_cell_in_each_column_and_existing_code(staff, ent_east, changes):
    def row(**c):
        base = {"统一社会信用代码": ent_east.uscc, "标准名称": "智能装备通用技术条件", "标准类别": "国家标准",
                "参与方式": "主导制定", "发布日期": "2018-06-01"}
        base.update(c)
        return [base.get(h) for h in STANDARD_HEADERS]

    cases = [
        (row(标准编号="T/A 1-2018", 统一社会信用代码="123"), "统一社会信用代码", "统一社会信用代码123未登记，请先导入企业"),
        (row(), "标准编号", "“标准编号”为必填项"),
        (row(标准编号="T/A 3-2018", 标准类别="企业标准"), "标准类别", "“标准类别”的值“企业标准”无效，可选：国际标准、国家标准、行业标准、地方标准、团体标准"),
        (row(标准编号="T/A 4-2018", 参与方式="审查"), "参与方式", "“参与方式”的值“审查”无效，可选：主导制定、参与制定"),
        (row(标准编号="T/A 5-2018", 起草单位排名=-1), "起草单位排名", "起草单位排名应为正整数"),
        (row(标准编号="T/A 6-2018", 发布日期="2099-01-01"), "发布日期", "发布日期不能晚于今天"),
        (row(标准编号="T/A 7-2018", 发布日期="去年"), "发布日期", "“发布日期”日期格式应为YYYY-MM-DD，实际为“去年”"),
    ]
    rows = [c[0] for c in cases] + [row(标准编号="T/A 8-2018"), row(标准编号="T/A 8-2018")]
    result = _run("standards", xlsx_bytes(STANDARD_HEADERS, rows), staff)
    assert _errors(result) == [(i + 2, col, msg) for i, (_, col, msg) in enumerate(cases)] + [
        (10, "标准编号", "与第9行重复")]
    assert Standard.objects.count() == 0
    assert changes() == []
    services.record_standard(actor=staff, enterprise=ent_east, data=STANDARD)
    existing = [row(标准编号="GB/T 30001-2018", 备注="再次导入")]
    refused = _run("standards", xlsx_bytes(STANDARD_HEADERS, existing), staff)
    assert _errors(refused) == [(2, "标准编号", "该企业已登记此标准（如需更新请选择按代码更新）")]
    updated = _run("standards", xlsx_bytes(STANDARD_HEADERS, existing), staff, update=True)
    assert (updated.errors, updated.updated) == ([], 1)
    assert Standard.objects.get().note == "再次导入"


def test_enterprise_sheet_takes_the_hitech_field(staff, ent_east, changes):
    importer = get_importer("enterprises")
    content = export_workbook(importer, importer.export_rows(Enterprise.objects.all(),
                                                             unmask=True))
    sheet = read_sheet(content)
    assert sheet[0][-2:] == ["高新技术领域", "高新技术子领域"]
    sheet[1][-2:] = ["先进制造与自动化", "电子信息 / 软件"]
    bad = run_import(importer, io.BytesIO(xlsx_bytes(sheet[0], sheet[1:])), actor=staff,
                     update=True)
    assert _errors(bad) == [(2, "高新技术子领域", "子领域不属于所选高新技术领域")]
    sheet[1][-1] = "先进制造与自动化 / 新型机械"
    good = run_import(importer, io.BytesIO(xlsx_bytes(sheet[0], sheet[1:])), actor=staff,
                      update=True)
    assert (good.errors, good.updated) == ([], 1)
    ent_east.refresh_from_db()
    assert ent_east.hitech_field_path == "先进制造与自动化/新型机械"


# --- pages and API ------------------------------------------------------------------------

API = "/api/enterprises"


def _award_form(ctx):
    return {"name": "国家技术发明奖", "level": "national", "grade": "second", "org_rank": 1,
            "year": 2019}


def _standard_form(ctx):
    return {"code": "JB/T 1-2019", "name": "行业标准示例", "level": "industry", "role": "lead",
            "published_on": "2019-03-01"}


def _award_import(ctx):
    return {"file": xlsx_file(["统一社会信用代码", "奖项名称", "级别", "获奖年度"],
                              [[ctx.ent.uscc, "浙江省科学技术奖", "省级", 2017]]),
            "mode": "commit", "sync": "1"}


def _standard_import(ctx):
    return {"file": xlsx_file(["统一社会信用代码", "标准编号", "标准名称", "标准类别", "参与方式",
                               "发布日期"],
                              [[ctx.ent.uscc, "DB33/T 9-2017", "地方标准示例", "地方标准",
                                "参与制定", "2017-01-01"]]),
            "mode": "commit", "sync": "1"}


ENDPOINTS = [
    Endpoint("award list", "GET", lambda c: "/enterprises/awards/", object_level=False),
    Endpoint("award add page", "GET", lambda c: f"/enterprises/{c.ent.pk}/awards/add/"),
    Endpoint("award add", "POST", lambda c: f"/enterprises/{c.ent.pk}/awards/add/",
             _award_form, ok=302, writes=WRITES),
    Endpoint("award edit page", "GET",
             lambda c: f"/enterprises/{c.ent.pk}/awards/{c.award.pk}/edit/"),
    Endpoint("award edit", "POST",
             lambda c: f"/enterprises/{c.ent.pk}/awards/{c.award.pk}/edit/",
             lambda c: {**AWARD, "org_rank": 1}, ok=302, writes=WRITES),
    Endpoint("award import page", "GET", lambda c: "/enterprises/awards/import/",
             object_level=False),
    Endpoint("award import", "POST", lambda c: "/enterprises/awards/import/", _award_import,
             ok=302, out_of_region=302, writes=WRITES),
    Endpoint("standard list", "GET", lambda c: "/enterprises/standards/", object_level=False),
    Endpoint("standard add page", "GET", lambda c: f"/enterprises/{c.ent.pk}/standards/add/"),
    Endpoint("standard add", "POST", lambda c: f"/enterprises/{c.ent.pk}/standards/add/",
             _standard_form, ok=302, writes=WRITES),
    Endpoint("standard edit page", "GET",
             lambda c: f"/enterprises/{c.ent.pk}/standards/{c.standard.pk}/edit/"),
    Endpoint("standard edit", "POST",
             lambda c: f"/enterprises/{c.ent.pk}/standards/{c.standard.pk}/edit/",
             lambda c: {**STANDARD, "published_on": "2018-06-01", "role": "participant",
                        "drafting_rank": 3}, ok=302, writes=WRITES),
    Endpoint("standard import page", "GET", lambda c: "/enterprises/standards/import/",
             object_level=False),
    Endpoint("standard import", "POST", lambda c: "/enterprises/standards/import/",
             _standard_import, ok=302, out_of_region=302, writes=WRITES),
    Endpoint("api award list", "GET", lambda c: f"{API}/awards/", api=True, object_level=False),
    Endpoint("api award detail", "GET", lambda c: f"{API}/awards/{c.award.pk}/", api=True),
    Endpoint("api award create", "POST", lambda c: f"{API}/awards/",
             lambda c: {"enterprise": c.ent.uscc, **_award_form(c)}, api=True, ok=201,
             out_of_region=400, writes=WRITES),  # an unseen credit code: as if unregistered
    Endpoint("api award update", "PATCH", lambda c: f"{API}/awards/{c.award.pk}/",
             lambda c: {"note": "接口复核"}, api=True, writes=WRITES),
    Endpoint("api standard list", "GET", lambda c: f"{API}/standards/", api=True,
             object_level=False),
    Endpoint("api standard detail", "GET", lambda c: f"{API}/standards/{c.standard.pk}/",
             api=True),
    Endpoint("api standard create", "POST", lambda c: f"{API}/standards/",
             lambda c: {"enterprise": c.ent.uscc, **_standard_form(c)}, api=True, ok=201,
             out_of_region=400, writes=WRITES),
    Endpoint("api standard update", "PATCH", lambda c: f"{API}/standards/{c.standard.pk}/",
             lambda c: {"drafting_rank": 2}, api=True, writes=WRITES),
    Endpoint("api enterprise hitech field", "PATCH", lambda c: f"{API}/enterprises/{c.ent.pk}/",
             lambda c: {"hitech_field": "08", "hitech_sub_field": "0805"}, api=True,
             writes=WRITES),
]


@pytest.fixture
def ctx(regions, ent_east, staff):
    award = services.record_award(actor=staff, enterprise=ent_east, data=AWARD)
    standard = services.record_standard(actor=staff, enterprise=ent_east, data=STANDARD)
    return SimpleNamespace(regions=regions, ent=ent_east, award=award, standard=standard)


@pytest.fixture
def audience_users(expert, sub_west, sub_east):
    return {Audience.ANONYMOUS: None, Audience.NO_PERMISSION: expert,
            Audience.OUT_OF_REGION: sub_west, Audience.IN_REGION: sub_east}


@pytest.mark.parametrize("audience", list(Audience), ids=str)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_award_standard_permission_matrix(endpoint, audience, ctx, audience_users, client_for):
    check_endpoint(client_for(audience_users[audience]), endpoint, audience, ctx)


def test_detail_page_shows_field_awards_and_standards(ctx, sub_east, ent_user, client_for):
    Enterprise.objects.filter(pk=ctx.ent.pk).update(hitech_field="08", hitech_sub_field="0805")
    html = client_for(sub_east).get(f"/enterprises/{ctx.ent.pk}/").content.decode()
    assert '<dd class="col-8" data-testid="hitech-field">先进制造与自动化/新型机械</dd>' in html
    assert "<td>国家科学技术进步奖</td><td>国家级</td><td>二等奖</td><td>2</td><td>2018</td>" in html
    assert "<td>GB/T 30001-2018</td><td>智能装备通用技术条件</td><td>国家标准</td><td>主导制定</td>" in html
    assert f"/enterprises/{ctx.ent.pk}/awards/add/" in html
    # the enterprise itself reads them but has no add/edit links
    own = client_for(ent_user).get(f"/enterprises/{ctx.ent.pk}/").content.decode()
    assert "国家科学技术进步奖" in own
    assert "GB/T 30001-2018" in own
    assert "/awards/add/" not in own
    assert "/standards/add/" not in own


def test_edit_page_reports_field_errors_in_chinese(ctx, sub_east, client_for):
    response = client_for(sub_east).post(f"/enterprises/{ctx.ent.pk}/standards/add/",
                                         {**_standard_form(ctx), "published_on": "2099-01-01"})
    assert response.status_code == 400
    assert "发布日期不能晚于今天" in response.content.decode()
    assert Standard.objects.count() == 1


def test_out_of_region_api_lists_are_empty(ctx, sub_west, client_for):
    client = client_for(sub_west)
    assert client.get(f"{API}/awards/").json()["count"] == 0
    assert client.get(f"{API}/standards/").json()["count"] == 0


@pytest.mark.parametrize(("name", "content", "errors"), [
    ("awards", "统一社会信用代码,奖项名称\n".encode(),
     [(0, "", "文件不是Excel（.xlsx）格式，请使用下载的模板填写")]),
    ("standards", b"", [(0, "", "文件为空")]),
    ("awards", xlsx_bytes(["企业名称", "备注"], [["某公司", "x"]]),
     [(1, "统一社会信用代码", "缺少必填列“统一社会信用代码”"), (1, "奖项名称", "缺少必填列“奖项名称”"),
      (1, "级别", "缺少必填列“级别”"), (1, "获奖年度", "缺少必填列“获奖年度”")]),
    ("standards", xlsx_bytes(STANDARD_HEADERS, []), [(2, "", "文件中没有数据行")]),
], ids=["awards-not-xlsx", "standards-empty", "awards-missing-headers", "standards-no-rows"])
def test_unreadable_award_and_standard_files_are_refused(name, content, errors, staff, ent_east,
                                                         changes):
    assert _errors(_run(name, content, staff)) == errors
    assert (Award.objects.count(), Standard.objects.count()) == (0, 0)
    assert changes() == []


def test_out_of_region_award_import_reports_the_scope(ent_east, sub_west, changes):
    rows = [[ent_east.uscc, None, "国家技术发明奖", None, "国家级", None, None, 2018, None, None,
             None]]
    result = _run("awards", xlsx_bytes(AWARD_HEADERS, rows), sub_west)
    assert _errors(result) == [(2, "统一社会信用代码", "该企业不在您的数据权限范围内")]
    assert Award.objects.count() == 0
    assert changes() == []
