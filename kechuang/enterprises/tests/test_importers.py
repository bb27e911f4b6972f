# ruff: noqa: E501  (exact Chinese messages read better unwrapped)
"""Excel importers for enterprises, indicators and certifications (run_import)."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from kechuang.core.importing import (
    build_template,
    error_workbook,
    export_workbook,
    get_importer,
    run_import,
)
from kechuang.core.testing import CertificationFactory, EnterpriseFactory, uscc_for
from kechuang.core.testing.excel import read_sheet, xlsx_bytes, xlsx_file
from kechuang.enterprises.models import AnnualIndicator, Certification, Enterprise

ENT_HEADERS = ["统一社会信用代码", "企业名称", "所属区域", "行业代码", "成立日期", "企业类型",
               "注册资本（元）", "注册地址", "所得税征收方式", "无重大事故与失信记录", "法定代表人",
               "联系人", "联系电话", "电子邮箱"]
LEGAL_FORMS = ("有限责任公司、股份有限公司、国有企业、集体企业、外商投资企业、合伙企业、"
               "个人独资企业、分公司（非法人）、其他")


def _code(n: int) -> str:
    return uscc_for(500_000 + n)  # clear of the factories' sequence


def _good_row(n: int, **changes) -> list:
    row = {"统一社会信用代码": _code(n), "企业名称": f"导入示范科技有限公司{n}",
           "所属区域": "东湖街道", "行业代码": "C3511", "成立日期": "2016-05-06",
           "企业类型": "有限责任公司", "注册资本（元）": 1000000, "注册地址": "东湖路1号",
           "所得税征收方式": "查账征收", "无重大事故与失信记录": "是", "法定代表人": "王五",
           "联系人": "赵六", "联系电话": "13700001234", "电子邮箱": "zl@example.com"}
    row.update(changes)
    return [row[h] for h in ENT_HEADERS]


def _run(name, content, actor, **kwargs):
    return run_import(get_importer(name), io.BytesIO(content), actor=actor, **kwargs)


def _errors(result):
    return [(e.row, e.column, e.message) for e in result.errors]


@pytest.fixture
def nothing_written(changes):
    def check():
        assert Enterprise.objects.filter(name__startswith="导入示范").count() == 0
        assert changes() == []
    return check


# --- enterprises ------------------------------------------------------------------------

def test_good_enterprise_file_imports_every_row(staff, regions, changes):
    content = xlsx_bytes(ENT_HEADERS, [_good_row(1), _good_row(2, 所属区域="339901002")])
    result = _run("enterprises", content, staff)
    assert (result.errors, result.total, result.created, result.updated) == ([], 2, 2, 0)
    ent = Enterprise.objects.get(uscc=_code(1))
    assert (ent.region, ent.established_on, ent.registered_capital, ent.contact_phone) == (
        regions.east, dt.date(2016, 5, 6), Decimal("1000000.00"), "13700001234")
    assert ent.name_initials == "drsfkjyxgs1"
    assert Enterprise.objects.get(uscc=_code(2)).region == regions.west
    assert [(r.action, r.actor) for r in changes()] == [("create", staff)] * 2


BAD_CELLS = [
    ("统一社会信用代码", "91330106MA2B3C4D5", "统一社会信用代码应为18位，实际为17位"),
    ("企业名称", None, "“企业名称”为必填项"),
    ("所属区域", "不存在街道", "所属区域“不存在街道”不存在"),
    ("行业代码", "C99", "行业代码“C99”不存在：大类99不属于门类C"),
    ("成立日期", "2020-13-45", "“成立日期”日期格式应为YYYY-MM-DD，实际为“2020-13-45”"),
    ("企业类型", "外星公司", f"“企业类型”的值“外星公司”无效，可选：{LEGAL_FORMS}"),
    ("注册资本（元）", "abc", "“注册资本（元）”应为数字，实际为“abc”"),
    ("注册地址", "路" * 256, "“注册地址”不能超过255个字符"),
    ("所得税征收方式", "随便", "“所得税征收方式”的值“随便”无效，可选：查账征收、核定征收"),
    ("无重大事故与失信记录", "也许", "“无重大事故与失信记录”应填“是”或“否”"),
    ("法定代表人", "王" * 65, "“法定代表人”不能超过64个字符"),
    ("联系人", "赵" * 65, "“联系人”不能超过64个字符"),
    ("联系电话", "1" * 33, "“联系电话”不能超过32个字符"),
    ("电子邮箱", "a" * 250 + "@x.cn", "“电子邮箱”不能超过254个字符"),
]


def test_one_bad_cell_in_each_column_gives_exactly_those_errors(staff, regions,
                                                                nothing_written):
    rows = [_good_row(1)] + [_good_row(10 + i, **{header: value})
                             for i, (header, value, _) in enumerate(BAD_CELLS)]
    result = _run("enterprises", xlsx_bytes(ENT_HEADERS, rows), staff)
    assert _errors(result) == [(3 + i, header, message)
                               for i, (header, _, message) in enumerate(BAD_CELLS)]
    assert (result.created, result.updated) == (0, 0)
    nothing_written()


def test_negative_capital_and_future_date_are_business_errors(staff, regions, nothing_written):
    future = timezone.localdate() + dt.timedelta(days=2)
    rows = [_good_row(1, **{"注册资本（元）": -5}), _good_row(2, 成立日期=future.isoformat())]
    result = _run("enterprises", xlsx_bytes(ENT_HEADERS, rows), staff)
    assert _errors(result) == [
        (2, "注册资本（元）", "注册资本不能为负数"),
        (3, "成立日期", f"成立日期{future:%Y-%m-%d}晚于今天，请检查"),
    ]
    nothing_written()


def test_duplicate_codes_within_the_file(staff, regions, nothing_written):
    rows = [_good_row(1), _good_row(2), _good_row(1, 企业名称="导入示范重复")]
    result = _run("enterprises", xlsx_bytes(ENT_HEADERS, rows), staff)
    assert _errors(result) == [(4, "统一社会信用代码", "统一社会信用代码与第2行重复")]
    nothing_written()


def test_registered_code_without_update_mode_is_an_error(staff, ent_east, nothing_written):
    rows = [_good_row(1, 统一社会信用代码=ent_east.uscc)]
    result = _run("enterprises", xlsx_bytes(ENT_HEADERS, rows), staff)
    assert _errors(result) == [(2, "统一社会信用代码",
                                f"统一社会信用代码{ent_east.uscc}已登记（如需更新请选择按代码更新）")]
    nothing_written()


def test_update_by_code_mode_updates_and_audits_before(staff, ent_east, changes):
    rows = [_good_row(1, 统一社会信用代码=ent_east.uscc, 企业名称="东湖更名科技有限公司"),
            _good_row(2)]
    result = _run("enterprises", xlsx_bytes(ENT_HEADERS, rows), staff, update=True)
    assert (result.errors, result.created, result.updated) == ([], 1, 1)
    ent_east.refresh_from_db()
    assert (ent_east.name, ent_east.name_initials) == ("东湖更名科技有限公司", "dhgmkjyxgs")
    recs = {r.action: r for r in changes()}
    assert set(recs) == {"create", "import"}
    assert recs["import"].before["name"] == "东湖智能装备有限公司"
    assert recs["import"].after["name"] == "东湖更名科技有限公司"


def test_update_mode_refuses_enterprise_outside_scope(sub_west, ent_east):
    before = Enterprise.objects.values().get(pk=ent_east.pk)
    rows = [_good_row(1, 统一社会信用代码=ent_east.uscc, 所属区域="西山街道")]
    result = _run("enterprises", xlsx_bytes(ENT_HEADERS, rows), sub_west, update=True)
    assert _errors(result) == [(2, "统一社会信用代码", "该企业不在您的数据权限范围内")]
    assert Enterprise.objects.values().get(pk=ent_east.pk) == before


def test_dry_run_reports_counts_and_writes_nothing(staff, regions, nothing_written):
    result = _run("enterprises", xlsx_bytes(ENT_HEADERS, [_good_row(1), _good_row(2)]), staff,
                  dry_run=True)
    assert (result.errors, result.created, result.dry_run) == ([], 2, True)
    nothing_written()


@pytest.mark.parametrize(
    ("_case", "content", "errors"),
    [
        ("not_xlsx", "统一社会信用代码,企业名称\n".encode(),
         [(0, "", "文件不是Excel（.xlsx）格式，请使用下载的模板填写")]),
        ("zip_but_not_xlsx", None, None),
        ("empty", b"", [(0, "", "文件为空")]),
        ("missing_headers", xlsx_bytes(["企业名称", "备注", "成立时间"], [["某公司", "x", "2020"]]),
         [(1, "成立时间", "无法识别的列“成立时间”（C列），请使用模板的列名，或删除该列"),
          (1, "统一社会信用代码", "缺少必填列“统一社会信用代码”"),
          (1, "所属区域", "缺少必填列“所属区域”"),
          (1, "行业代码", "缺少必填列“行业代码”"),
          (1, "成立日期", "缺少必填列“成立日期”")]),
        ("headers_only", xlsx_bytes(ENT_HEADERS, []), [(2, "", "文件中没有数据行")]),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(_case, content, errors, staff, regions,
                                                    nothing_written):
    if content is None:
        import zipfile

        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("hello.txt", "not a workbook")
        content = buf.getvalue()
    result = _run("enterprises", content, staff)
    if errors is None:
        assert len(result.errors) == 1
        assert result.errors[0].message.startswith("无法读取Excel文件")
    else:
        assert _errors(result) == errors
    nothing_written()


def test_oversized_file_is_refused(staff, regions, settings, nothing_written):
    content = xlsx_bytes(ENT_HEADERS, [_good_row(1)])
    settings.IMPORT_MAX_BYTES = len(content) - 1
    result = _run("enterprises", content, staff)
    assert _errors(result) == [(0, "", "文件过大（超过0MB），请分批导入")]
    settings.IMPORT_MAX_BYTES = len(content)
    assert _run("enterprises", content, staff, dry_run=True).errors == []


def test_error_workbook_has_reason_column(staff, regions):
    importer = get_importer("enterprises")
    rows = [_good_row(1), _good_row(2, 行业代码="C99")]
    result = run_import(importer, io.BytesIO(xlsx_bytes(ENT_HEADERS, rows)), actor=staff)
    sheet = read_sheet(error_workbook(importer, result.rows, result.errors))
    assert sheet[0][-1] == "错误原因"
    assert len(sheet) == 2
    assert sheet[1][0] == _code(2)
    assert sheet[1][-1] == "行业代码：行业代码“C99”不存在：大类99不属于门类C"


# --- templates and exports -------------------------------------------------------------

def test_template_code_columns_are_text_with_dropdowns_and_instructions():
    wb = build_template(get_importer("enterprises"))
    ws = wb["数据"]
    headers = [c.value for c in ws[1]]
    assert headers[:5] == ["统一社会信用代码", "企业名称", "所属区域", "行业代码", "成立日期"]
    for col in ("A", "D", "M"):  # 统一社会信用代码, 行业代码, 联系电话
        assert ws[f"{col}2"].number_format == "@"
        assert ws[f"{col}500"].number_format == "@"
    assert ws["E2"].number_format == "yyyy-mm-dd"
    assert ws["A1"].font.color.rgb.endswith("C00000")  # required columns marked red
    ranges = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert ranges["F2:F501"].startswith("='选项'!")
    assert wb["选项"].sheet_state == "hidden"
    assert "填写说明" in wb.sheetnames


def test_export_escapes_formula_injection_and_reimports_unchanged(staff, regions):
    ent = EnterpriseFactory(region=regions.east, address="=HYPERLINK(\"http://x\",\"点我\")",
                            name="+东湖公式科技有限公司")
    importer = get_importer("enterprises")
    content = export_workbook(importer, importer.export_rows(Enterprise.objects.all(),
                                                             unmask=True))
    sheet = read_sheet(content)
    assert sheet[1][1] == "'+东湖公式科技有限公司"
    assert sheet[1][7] == "'=HYPERLINK(\"http://x\",\"点我\")"
    assert sheet[1][0] == ent.uscc
    before = Enterprise.objects.values().get(pk=ent.pk)
    result = run_import(importer, io.BytesIO(content), actor=staff, update=True)
    assert (result.errors, result.updated) == ([], 1)
    after = Enterprise.objects.values().get(pk=ent.pk)
    ignore = {"updated_at"}
    assert {k: v for k, v in after.items() if k not in ignore} == {
        k: v for k, v in before.items() if k not in ignore} | {"updated_by_id": staff.pk}


def test_masked_export_reimported_with_update_leaves_contacts_unchanged(staff, ent_east):
    importer = get_importer("enterprises")
    content = export_workbook(importer, importer.export_rows(Enterprise.objects.all(),
                                                             unmask=False))
    sheet = read_sheet(content)
    assert sheet[1][10:14] == ["张**", "李*", "138****5678", "l***@example.com"]
    wb = load_workbook(io.BytesIO(content))
    wb["数据"]["B2"] = "东湖改名智能装备有限公司"
    buf = io.BytesIO()
    wb.save(buf)
    result = run_import(importer, io.BytesIO(buf.getvalue()), actor=staff, update=True)
    assert result.errors == []
    ent_east.refresh_from_db()
    assert ent_east.name == "东湖改名智能装备有限公司"
    assert (ent_east.legal_representative, ent_east.contact_name, ent_east.contact_phone,
            ent_east.contact_email) == ("张三丰", "李四", "13812345678", "lisi@example.com")


# --- indicators ---------------------------------------------------------------------------



def _indicator_headers():
    return [c.header for c in get_importer("indicators").columns]


def test_good_indicator_file_imports_and_derives_above_scale(staff, ent_east, ent_west):
    headers = ["统一社会信用代码", "年度", "职工总数（人）", "科技人员数（人）", "主营业务收入（元）"]
    rows = [[ent_east.uscc, 2019, 100, 20, 20000000], [ent_west.uscc, 2019, 50, 5, 90000000]]
    result = _run("indicators", xlsx_bytes(headers, rows), staff)
    assert (result.errors, result.created) == ([], 2)
    east = AnnualIndicator.objects.get(enterprise=ent_east)
    assert (east.staff_total, east.st_staff, east.is_above_scale_industrial) == (100, 20, True)
    assert AnnualIndicator.objects.get(enterprise=ent_west).is_above_scale_industrial is False


def test_indicator_bad_cell_in_each_column(staff, ent_east, changes):
    importer = get_importer("indicators")
    headers = _indicator_headers()
    expected = []
    rows = []
    for col in importer.columns:
        if col.field in {"uscc", "enterprise_name", "year"}:
            continue
        row = dict.fromkeys(headers) | {"统一社会信用代码": ent_east.uscc,
                                            "年度": 2000 + len(rows)}
        if col.kind == "int":
            row[col.header] = "1.5"
            expected.append((len(rows) + 2, col.header, f"“{col.header}”应为整数"))
        else:
            row[col.header] = -1
            expected.append((len(rows) + 2, col.header, "金额不能为负数"))
        rows.append([row[h] for h in headers])
    n = len(rows) + 2
    rows.append([uscc_for(4242), None, 2019] + [None] * (len(headers) - 3))
    expected.append((n, "统一社会信用代码", f"统一社会信用代码{uscc_for(4242)}未登记，请先导入企业"))
    rows.append([ent_east.uscc, None, "明年"] + [None] * (len(headers) - 3))
    expected.append((n + 1, "年度", "“年度”应为数字，实际为“明年”"))
    rows.append([ent_east.uscc, None, 2018, 10, 11] + [None] * (len(headers) - 5))
    expected.append((n + 2, "科技人员数（人）", "科技人员数（11）不能大于职工总数（10）"))
    rows.append([ent_east.uscc, None, 2018, 10, 1] + [None] * (len(headers) - 5))
    expected.append((n + 3, "年度", f"与第{n + 2}行的企业和年度重复"))
    result = _run("indicators", xlsx_bytes(headers, rows), staff)
    assert _errors(result) == expected
    assert AnnualIndicator.objects.count() == 0
    assert changes() == []


def test_indicator_update_mode_overwrites_only_given_columns(staff, ent_east):
    headers = ["统一社会信用代码", "年度", "职工总数（人）", "科技人员数（人）"]
    _run("indicators", xlsx_bytes(headers, [[ent_east.uscc, 2019, 100, 20]]), staff)
    again = xlsx_bytes(["统一社会信用代码", "年度", "科技人员数（人）"], [[ent_east.uscc, 2019, 30]])
    refused = _run("indicators", again, staff)
    assert _errors(refused) == [(2, "年度", "该企业2019年度指标已存在（如需更新请选择按代码更新）")]
    result = _run("indicators", again, staff, update=True)
    assert (result.errors, result.created, result.updated) == ([], 0, 1)
    ind = AnnualIndicator.objects.get()
    assert (ind.staff_total, ind.st_staff) == (100, 30)


# --- certifications -------------------------------------------------------------------------

CERT_HEADERS = ["统一社会信用代码", "类别", "年度", "状态", "证书/登记编号", "名称", "级别",
                "申报日期", "认定/发证日期", "有效期至", "首次申报", "备注"]


def test_good_certification_file_imports(staff, ent_east):
    rows = [[ent_east.uscc, "高新技术企业", 2019, "已认定", "GR201933000123", None, None,
             "2019-05-01", "2019-12-04", None, "是", None],
            [ent_east.uscc, "企业研发机构", 2019, "已认定", None, "智能装备研究院", "市级",
             None, None, None, None, None]]
    result = _run("certifications", xlsx_bytes(CERT_HEADERS, rows), staff)
    assert (result.errors, result.created) == ([], 2)
    ht = Certification.objects.get(kind="high_tech")
    assert (ht.valid_until, ht.is_first_application) == (dt.date(2022, 12, 3), True)


def test_certification_bad_cell_in_each_column(staff, ent_east, changes):
    def row(**c):
        base = {"统一社会信用代码": ent_east.uscc, "类别": "国家科技型中小企业", "年度": 2019,
                "状态": "已认定"}
        base.update(c)
        return [base.get(h) for h in CERT_HEADERS]

    cases = [
        (row(统一社会信用代码="123"), "统一社会信用代码", "统一社会信用代码123未登记，请先导入企业"),
        (row(类别="诺贝尔奖"), "类别", "“类别”的值“诺贝尔奖”无效，可选：国家科技型中小企业、高新技术企业、"
         "省科技型中小企业、市科技型中小企业、市创新型初创企业、专精特新企业、企业研发机构"),
        (row(年度="二〇一九"), "年度", "“年度”应为数字，实际为“二〇一九”"),
        (row(状态="待定"), "状态", "“状态”的值“待定”无效，可选：已申报、已认定、未通过、已撤销"),
        (row(类别="高新技术企业", **{"证书/登记编号": "GR12", "认定/发证日期": "2019-12-01"}),
         "证书/登记编号", "高新技术企业证书编号格式应为GR+年份4位+8位数字，如GR202033100123"),
        (row(类别="企业研发机构", 级别="市级"), "名称", "研发机构须填写名称"),
        (row(类别="企业研发机构", 名称="研究院", 级别="乡级"), "级别",
         "“级别”的值“乡级”无效，可选：国家级、省级、市级、区级"),
        (row(年度=2018, 申报日期="昨天"), "申报日期", "“申报日期”日期格式应为YYYY-MM-DD，实际为“昨天”"),
        (row(年度=2017, **{"认定/发证日期": "2099-01-01"}), "认定/发证日期", "认定日期不能晚于今天"),
        (row(年度=2016, 有效期至="20161301"), "有效期至", "“有效期至”日期格式应为YYYY-MM-DD，实际为“20161301”"),
        (row(年度=2015, 首次申报="大概"), "首次申报", "“首次申报”应填“是”或“否”"),
        (row(年度=2014, 备注="注" * 256), "备注", "“备注”不能超过255个字符"),
    ]
    result = _run("certifications", xlsx_bytes(CERT_HEADERS, [c[0] for c in cases]), staff)
    assert _errors(result) == [(i + 2, col, msg) for i, (_, col, msg) in enumerate(cases)]
    assert Certification.objects.count() == 0
    assert changes() == []


def test_certification_duplicate_rows_and_existing_records(staff, ent_east):
    CertificationFactory(enterprise=ent_east, year=2019, number="GR201933000001")
    rows = [[ent_east.uscc, "国家科技型中小企业", 2020, "已认定"] + [None] * 8,
            [ent_east.uscc, "国家科技型中小企业", 2020, "已认定"] + [None] * 8]
    result = _run("certifications", xlsx_bytes(CERT_HEADERS, rows), staff)
    assert _errors(result) == [(3, "年度", "与第2行重复")]
    existing = [[ent_east.uscc, "高新技术企业", 2019, "已认定", "GR201933000001", None, None,
                 None, "2019-12-02", None, None, "更新备注"]]
    refused = _run("certifications", xlsx_bytes(CERT_HEADERS, existing), staff)
    assert _errors(refused) == [(2, "年度", "该企业该年度已有此类资质记录（如需更新请选择按代码更新）")]
    updated = _run("certifications", xlsx_bytes(CERT_HEADERS, existing), staff, update=True)
    assert (updated.errors, updated.updated) == ([], 1)
    assert Certification.objects.get().note == "更新备注"


def test_import_page_dry_run_then_commit(staff, regions, client_for):
    from kechuang.core.models import Job

    client = client_for(staff)
    upload = xlsx_file(ENT_HEADERS, [_good_row(1), _good_row(2, 行业代码="C99")])
    response = client.post("/enterprises/import/", {"file": upload, "mode": "dry_run",
                                                     "sync": "1"})
    job = Job.objects.latest("pk")
    assert response["Location"] == f"/jobs/{job.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "发现 1 处错误，未写入任何数据" in page
    assert "行业代码“C99”不存在：大类99不属于门类C" in page
    errors_file = client.get(f"/jobs/{job.pk}/?download=errors")
    assert read_sheet(b"".join(errors_file.streaming_content))[0][-1] == "错误原因"
    good = xlsx_file(ENT_HEADERS, [_good_row(1)])
    response = client.post("/enterprises/import/", {"file": good, "mode": "commit", "sync": "1"})
    assert "导入完成：共 1 行，新增 1 条" in client.get(response["Location"]).content.decode()
    assert Enterprise.objects.filter(uscc=_code(1)).exists()
