"""Hand-made and damaged workbooks against the registries' importers (技术需求, 科技成果,
专家与人才, 载体): a clear Chinese message naming row and column, nothing stored, no audit row."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from kechuang.achievements.models import Achievement
from kechuang.audit.models import ChangeRecord
from kechuang.carriers.models import Carrier
from kechuang.core import importing
from kechuang.core.models import Job
from kechuang.core.testing.excel import xlsx_bytes
from kechuang.demands.models import TechDemand
from kechuang.experts.models import Expert

REQUIRED = {
    "carriers": {"载体名称": "东湖众创空间", "类型": "众创空间", "级别": "国家级",
                 "所属区域": "东湖街道"},
    "experts": {"姓名": "张三", "类别": "专家", "所属区域": "东湖街道"},
    "achievements": {"成果名称": "纳米纤维素复合材料", "成果持有方": "示例大学",
                     "成果简介": "纳米纤维素增强聚乳酸复合材料的制备方法。",
                     "技术领域": "新材料", "所属区域": "东湖街道"},
}
MODELS = (Carrier, Expert, Achievement, TechDemand)


def headers(name: str) -> list[str]:
    return [c.header for c in importing.get_importer(name).columns]


def row(name: str, **values) -> list:
    cells = dict.fromkeys(headers(name))
    cells.update(REQUIRED[name])
    cells.update(values)
    return [cells[h] for h in headers(name)]


_audit_before = [0]


def run(name: str, content: bytes, actor):
    _audit_before[0] = ChangeRecord.objects.count()
    return importing.run_import(importing.get_importer(name), io.BytesIO(content), actor=actor)


def errors(result) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in result.errors]


def assert_nothing_stored():
    assert [m.objects.count() for m in MODELS] == [0, 0, 0, 0]
    assert ChangeRecord.objects.count() == _audit_before[0]


@pytest.mark.parametrize("name", ["carriers", "experts", "achievements"])
def test_a_duplicated_header_is_refused_by_name(name, staff, regions):
    hs = headers(name)
    result = run(name, xlsx_bytes([*hs, hs[0]], [[*row(name), "另一个值"]]), staff)
    letter = chr(ord("A") + len(hs))
    assert errors(result) == [(1, hs[0], f"表头“{hs[0]}”重复（A列和{letter}列），请只保留一列")]
    assert_nothing_stored()


def test_a_renamed_or_unknown_column_is_refused_instead_of_silently_dropped(staff, regions):
    hs = ["成立时间" if h == "成立日期" else h for h in headers("carriers")]
    result = run("carriers", xlsx_bytes([*hs, "联系电邮"], [
        [*row("carriers", 成立日期="2020-06-01"), "x@example.com"]]), staff)
    assert errors(result) == [
        (1, "成立时间", "无法识别的列“成立时间”（E列），请使用模板的列名，或删除该列"),
        (1, "联系电邮", "无法识别的列“联系电邮”（M列），请使用模板的列名，或删除该列"),
    ]
    assert_nothing_stored()


def test_the_error_workbooks_reason_column_is_accepted_back(staff, regions):
    hs = headers("carriers")
    result = run("carriers", xlsx_bytes([*hs, importing.ERROR_HEADER],
                                        [[*row("carriers"), "改好了"]]), staff)
    assert (errors(result), result.created) == ([], 1)


def test_numbers_typed_as_full_width_text_are_read(staff, regions):
    result = run("carriers", xlsx_bytes(headers("carriers"), [
        row("carriers", **{"面积（平方米）": "１，２３４．５"}),
        row("carriers", 载体名称="西山孵化器", **{"面积（平方米）": "12,000"}),
    ]), staff)
    assert errors(result) == []
    assert sorted(Carrier.objects.values_list("area", flat=True)) == [Decimal("1234.50"),
                                                                      Decimal("12000.00")]


@pytest.mark.parametrize("typed", [43983, 43983.0, "43983", "2020/6/1", "2020年6月1日",
                                   "２０２０年６月１日", "2020-06-01 00:00:00", "20200601",
                                   dt.datetime(2020, 6, 1)])  # noqa: DTZ001 - a naive cell value
def test_dates_typed_in_any_common_way(typed, staff, regions):
    result = run("carriers", xlsx_bytes(headers("carriers"), [row("carriers", 成立日期=typed)]),
                 staff)
    assert errors(result) == []
    assert Carrier.objects.get().opened_on == dt.date(2020, 6, 1)


def test_an_impossible_date_number_is_refused(staff, regions):
    result = run("carriers", xlsx_bytes(headers("carriers"),
                                        [row("carriers", 成立日期=99999999)]), staff)
    assert errors(result) == [
        (2, "成立日期", "“成立日期”日期格式应为YYYY-MM-DD，实际为“99999999”")]
    assert_nothing_stored()


@pytest.mark.parametrize("typed", [2020, "2020", 9999])
def test_a_year_or_small_number_is_not_taken_for_an_excel_date(typed, staff, regions):
    result = run("carriers", xlsx_bytes(headers("carriers"), [row("carriers", 成立日期=typed)]),
                 staff)
    assert errors(result) == [
        (2, "成立日期", f"“成立日期”日期格式应为YYYY-MM-DD，实际为“{typed}”")]
    assert_nothing_stored()


def test_a_sheets_own_number_and_remark_columns_are_ignored(staff, regions):
    """序号 and 备注 (not template columns here) hold nothing to import: the rows import."""
    result = run("carriers", xlsx_bytes(["序号", *headers("carriers"), "备注"],
                                        [[1, *row("carriers"), "自填说明"]]), staff)
    assert errors(result) == []
    assert list(Carrier.objects.values_list("name", flat=True)) == ["东湖众创空间"]


def test_a_huge_cell_is_quoted_short_in_the_message(staff, regions):
    result = run("carriers", xlsx_bytes(headers("carriers"),
                                        [row("carriers", 所属区域="长" * 40000)]), staff)
    # openpyxl stores at most Excel's 32,767 characters of the 40,000 written
    assert errors(result) == [(2, "所属区域", f"所属区域“{'长' * 50}…（共32767个字符）”不存在")]
    assert_nothing_stored()


@pytest.mark.parametrize("name", ["carriers", "experts", "achievements"])
def test_a_row_repeated_in_one_file_is_refused(name, staff, regions):
    key = importing.get_importer(name).key_field
    header = importing.get_importer(name).header_for(key)
    other = row(name, **{header: "另一条记录名称"})
    result = run(name, xlsx_bytes(headers(name), [row(name), other, row(name)]), staff)
    assert errors(result) == [(4, header, "与第2行完全相同（重复行），请删除其中一行")]
    assert_nothing_stored()


def test_a_repeated_demand_row_is_refused(staff, regions, ent_east):
    hs = headers("demands")
    cells = dict.fromkeys(hs)
    cells.update({"统一社会信用代码": ent_east.uscc, "需求名称": "提高材料强度",
                  "需求描述": "我们在生产中遇到了材料强度不足的问题，希望提高强度。"})
    line = [cells[h] for h in hs]
    result = run("demands", xlsx_bytes(hs, [line, line]), staff)
    assert errors(result) == [(3, "统一社会信用代码", "与第2行完全相同（重复行），请删除其中一行")]
    assert_nothing_stored()


def test_a_patent_number_is_checked_against_the_default_type(staff, regions):
    """Without 知识产权类型 the record is stored as 发明专利: its export must import back."""
    result = run("achievements", xlsx_bytes(headers("achievements"), [
        row("achievements", 知识产权编号="ZL2020ABC")]), staff)
    assert errors(result) == [
        (2, "知识产权编号", "专利号格式应为ZL加12位数字、小数点和校验位，如ZL201910012345.6")]
    assert_nothing_stored()


def _mutated(content: bytes, part: str, data: bytes | None) -> bytes:
    zin = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            if item.filename == part:
                if data is not None:
                    zout.writestr(item, data)
            else:
                zout.writestr(item, zin.read(item.filename))
    return out.getvalue()


def _damaged() -> dict[str, bytes]:
    good = xlsx_bytes(headers("carriers"), [row("carriers")])
    return {
        "content_types": _mutated(good, "[Content_Types].xml", b"garbage"),
        "workbook": _mutated(good, "xl/workbook.xml", b"<x"),
        "sheet": _mutated(good, "xl/worksheets/sheet1.xml", b"<x"),
        "no_sheet": _mutated(good, "xl/worksheets/sheet1.xml", None),
        "styles": _mutated(good, "xl/styles.xml", b"<<"),
    }


@pytest.mark.parametrize("case", ["content_types", "workbook", "sheet", "no_sheet", "styles"])
def test_a_damaged_workbook_is_a_chinese_error(case, staff, regions):
    result = run("carriers", _damaged()[case], staff)
    assert errors(result) == [(0, "", importing.UNREADABLE_MESSAGE)]
    assert_nothing_stored()


def test_a_damaged_workbook_on_the_command_line(tmp_path, regions):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(_damaged()["sheet"])
    _audit_before[0] = ChangeRecord.objects.count()
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import", "carriers", str(path), stdout=io.StringIO(), stderr=err,
                     no_progress=True)
    assert exc.value.returncode == 1
    assert f"文件：{importing.UNREADABLE_MESSAGE}" in err.getvalue()
    assert_nothing_stored()


def test_a_damaged_workbook_on_the_page(staff, regions, client_for):
    upload = io.BytesIO(_damaged()["workbook"])
    upload.name = "载体.xlsx"
    _audit_before[0] = ChangeRecord.objects.count()
    response = client_for(staff).post(reverse("carriers:carrier_import"),
                                      {"file": upload, "mode": "commit", "sync": "1"})
    assert response.status_code == 302
    job = Job.objects.get()
    assert job.status == "done"
    assert job.result["errors"] == [{"row": 0, "column": "", "message":
                                     importing.UNREADABLE_MESSAGE}]
    assert_nothing_stored()


CELL_RULE = ("公式须保存有计算结果（由程序生成的文件请先用Excel或WPS打开并保存）；数据行中不能有"
             "合并单元格（合并后只有第一格有值），请取消合并并在每一行填写。")


def test_the_instructions_sheet_states_the_header_and_personal_data_rules():
    demands = importing.instruction_lines(importing.get_importer("demands"))
    assert demands[4:] == [
        "5. 每行新增一条需求；“直接发布”需要审核权限。",
        "6. 无法识别或重复的表头会被拒绝；自行添加的“备注”、“序号”列将被忽略。",
        f"7. {CELL_RULE}",
        "8. 与本文件中其他行或与已登记的记录完全相同的行会被拒绝（不会重复登记；"
        "如需修改已登记的记录，请在系统中编辑）。",
        "9. 导出文件中打码的个人信息（含*）视为空。",
    ]
    for name, line in (("achievements", "导出文件中打码的个人信息（含*）视为空。"),
                       ("experts", "导出文件中打码的个人信息（含*）视为空。"),
                       ("carriers", "导出文件中打码的个人信息（含*）视为空。"),
                       ("enterprises", "导出文件中打码的个人信息（含*）：新增记录时视为空，"
                                       "按编码更新时保留原值。")):
        lines = importing.instruction_lines(importing.get_importer(name))
        assert lines[-1] == f"{len(lines)}. {line}"
        assert ("按编码更新" in "".join(lines)) is (name == "enterprises")
    # certifications have a 备注 column of their own and no personal data
    certifications = importing.instruction_lines(importing.get_importer("certifications"))
    assert certifications[-2:] == ["5. 无法识别或重复的表头会被拒绝；自行添加的“序号”列将被忽略。",
                                   f"6. {CELL_RULE}"]
    wb = importing.build_template(importing.get_importer("demands"), blank_rows=1)
    sheet_lines = [r[0] for r in wb[importing.HELP_SHEET].iter_rows(values_only=True)
                   if r and isinstance(r[0], str) and r[0][:2] in {"6.", "7.", "8.", "9."}]
    assert sheet_lines == demands[5:]


# --- the same records imported twice ------------------------------------------------------

FULL = {
    "carriers": {"依托单位": "示例大学", "成立日期": "2019-05-01", "认定日期": dt.date(2020, 6, 1),
                 "简介": "面向新材料方向的众创空间。", "地址": "东湖路1号",
                 "面积（平方米）": 1234.5,
                 "联系人": "王五", "联系电话": "13800000000"},
    "experts": {"工作单位": "示例大学", "职称/职务": "教授", "工作语言": "中文，英语",
                "技术领域": "新材料，电子信息", "专业方向": "高分子材料改性",
                "可服务起始日": "2020-01-01", "可服务截止日": "2020-12-31",
                "服务方式": "现场或远程", "人才计划入选": "市人才计划", "手机号码": "13900000000",
                "电子邮箱": "zhang@example.com", "证件号码": "11010519491231002x"},
    "achievements": {"持有方类型": "高校", "关键词": "纤维素，复合材料",
                     "技术子领域": "新材料 / 高分子材料", "成熟度": "中试", "知识产权类型": "无",
                     "转化方式": "许可", "意向价格（元）": 500000, "联系人": "李四",
                     "联系电话": "0571-88880000", "直接发布": "否"},
}
LABELS = {"carriers": "创新载体", "experts": "专家与人才", "achievements": "科技成果",
          "demands": "技术需求"}


def demand_row(ent, **values) -> list:
    cells = dict.fromkeys(headers("demands"))
    cells.update({"统一社会信用代码": ent.uscc, "企业名称": "东湖智能（核对用）",
                  "需求名称": "提高材料强度",
                  "需求描述": "我们在生产中遇到了材料强度不足的问题，希望提高强度。",
                  "技术领域": "新材料", "关键词": "强度，复合材料", "预算（元）": "200,000",
                  "期望解决日期": "2020-12-31", "匿名发布": "否", "联系人": "赵六",
                  "联系电话": "13700000000", "直接发布": "否"})
    cells.update(values)
    return [cells[h] for h in headers("demands")]


def full_rows(name: str, ent) -> list[list]:
    """Two rows with every column filled (both stored, then both repeats)."""
    if name == "demands":
        return [demand_row(ent), demand_row(ent, 需求名称="降低能耗")]
    key = importing.get_importer(name).header_for(importing.get_importer(name).key_field)
    return [row(name, **FULL[name]), row(name, **FULL[name], **{key: "另一条记录名称"})]


def counts() -> list[int]:
    return [m.objects.count() for m in MODELS] + [ChangeRecord.objects.count()]


def repeat_message(name: str, title: str) -> str:
    label = LABELS[name]
    return (f"与已登记的{label}“{title}”完全相同（重复记录），请删除该行；"
            f"{label}导入只新增记录，如需修改请在系统中编辑该记录")


@pytest.mark.parametrize("name", ["carriers", "experts", "achievements", "demands"])
def test_the_same_file_imported_twice_is_refused_the_second_time(name, staff, regions,
                                                                 ent_east):
    content = xlsx_bytes(headers(name), full_rows(name, ent_east))
    first = run(name, content, staff)
    assert (errors(first), first.created) == ([], 2)
    before = counts()

    second = run(name, content, staff)

    importer = importing.get_importer(name)
    key = importer.header_for(importer.key_field)
    titles = [line[headers(name).index(importer.header_for(importer.repeat_name_field))]
              for line in full_rows(name, ent_east)]
    assert errors(second) == [(2, key, repeat_message(name, titles[0])),
                              (3, key, repeat_message(name, titles[1]))]
    assert (second.created, counts()) == (0, before)


def test_a_row_differing_from_a_stored_record_in_one_cell_is_imported(staff, regions,
                                                                      ent_east):
    """Two experts of the same name are two people: only a row equal in every cell repeats."""
    run("experts", xlsx_bytes(headers("experts"), [row("experts", **FULL["experts"])]), staff)

    result = run("experts", xlsx_bytes(headers("experts"), [
        row("experts", **{**FULL["experts"], "工作单位": "另一所大学"}),
        row("experts", **{**FULL["experts"], "手机号码": None}),
    ]), staff)

    assert (errors(result), result.created) == ([], 2)
    assert Expert.objects.filter(name="张三").count() == 3


def test_a_repeat_of_a_stored_demand_ignores_the_publish_flag_and_the_checking_name(
        bureau_admin, regions, ent_east):
    """直接发布 is an action (the stored status changes on review) and 企业名称 is only shown for
    checking: a row differing only there still repeats the stored demand."""
    run("demands", xlsx_bytes(headers("demands"), [demand_row(ent_east)]), bureau_admin)
    before = counts()

    result = run("demands", xlsx_bytes(headers("demands"), [
        demand_row(ent_east, 直接发布="是", 企业名称="另写的企业名称")]), bureau_admin)

    assert errors(result) == [(2, "统一社会信用代码", repeat_message("demands", "提高材料强度"))]
    assert counts() == before


def test_rows_differing_only_in_the_publish_flag_and_the_checking_name_repeat_in_one_file(
        bureau_admin, regions, ent_east):
    """The in-file check uses the stored-record check's identity (``repeat_identity``)."""
    result = run("demands", xlsx_bytes(headers("demands"), [
        demand_row(ent_east), demand_row(ent_east, 直接发布="是", 企业名称="另写的企业名称")]),
        bureau_admin)

    assert errors(result) == [(3, "统一社会信用代码", "与第2行是同一条记录（“企业名称”、“直接发布”"
                                                  "不作比较；重复行），请删除其中一行")]
    assert_nothing_stored()


def test_a_row_written_differently_with_the_same_content_repeats_in_one_file(staff, regions):
    """A region by name or by code, a blank 是/否 or its default: the same stored record."""
    result = run("achievements", xlsx_bytes(headers("achievements"), [
        row("achievements", **FULL["achievements"]),
        row("achievements", **{**FULL["achievements"], "所属区域": regions.east.code,
                               "关键词": "纤维素,复合材料", "直接发布": None}),
    ]), staff)

    assert errors(result) == [(3, "成果名称", "与第2行是同一条记录（“直接发布”不作比较；“关键词”、"
                                          "“所属区域”写法不同但内容相同；重复行），请删除其中一行")]
    assert_nothing_stored()


DEMAND_VARIANTS = {  # a second row against the first: (cells changed, a repeat?)
    "publish": ({"直接发布": "是"}, True),
    "checking name": ({"企业名称": "另写的企业名称"}, True),
    "blank default": ({"匿名发布": None}, True),
    "keywords written otherwise": ({"关键词": " 强度,复合材料 "}, True),
    "another budget": ({"预算（元）": 300000}, False),
    "another contact": ({"联系人": "钱七"}, False),
}


@pytest.mark.parametrize("variant", DEMAND_VARIANTS)
def test_the_in_file_and_the_stored_record_checks_agree(variant, bureau_admin, regions,
                                                        ent_east):
    changed, repeat = DEMAND_VARIANTS[variant]
    first, second = demand_row(ent_east), demand_row(ent_east, **changed)

    in_file = run("demands", xlsx_bytes(headers("demands"), [first, second]), bureau_admin)
    assert bool(in_file.errors) is repeat
    if repeat:
        assert_nothing_stored()
    else:
        TechDemand.objects.all().delete()
    assert (errors(run("demands", xlsx_bytes(headers("demands"), [first]), bureau_admin)),
            TechDemand.objects.count()) == ([], 1)

    stored = run("demands", xlsx_bytes(headers("demands"), [second]), bureau_admin)

    assert errors(stored) == ([(2, "统一社会信用代码", repeat_message("demands", "提高材料强度"))]
                              if repeat else [])


# --- 按代码更新 only where an importer updates -------------------------------------------

ADD_ONLY = ["carriers", "experts", "achievements", "demands"]
# the brokerage records' importers only add rows too
ADD_ONLY_RECORDS = {"brokerage_visits": "走访记录", "tech_contracts": "技术合同",
                    "overseas_services": "海外工程师服务记录"}


def update_refused(name: str) -> str:
    return (f"{LABELS[name]}导入只新增记录，不支持“按代码更新”；"
            "如需修改已登记的记录，请在系统中编辑该记录")


def test_only_the_importers_that_update_declare_it():
    assert {n for n in importing.importer_names()
            if not importing.get_importer(n).supports_update} == {*ADD_ONLY, *ADD_ONLY_RECORDS}
    for name in ("enterprises", "indicators", "certifications", "awards", "standards"):
        assert importing.get_importer(name).supports_update


@pytest.mark.parametrize("name", ADD_ONLY)
def test_update_on_the_command_line_is_refused_before_the_file_is_read(name, tmp_path,
                                                                        regions):
    """The path does not exist: the refusal comes first (not 文件不存在)."""
    before = counts()
    with pytest.raises(CommandError) as exc:
        call_command("import", name, str(tmp_path / "没有这个文件.xlsx"), update=True,
                     stdout=io.StringIO(), stderr=io.StringIO(), no_progress=True)
    assert str(exc.value) == f"--update：{update_refused(name)}"
    assert exc.value.returncode == 1
    assert counts() == before


@pytest.mark.parametrize(("name", "label"), ADD_ONLY_RECORDS.items())
def test_update_is_refused_for_the_brokerage_records_too(name, label, tmp_path, regions):
    before = counts()
    with pytest.raises(CommandError) as exc:
        call_command("import", name, str(tmp_path / "没有这个文件.xlsx"), update=True,
                     stdout=io.StringIO(), stderr=io.StringIO(), no_progress=True)
    assert str(exc.value) == (f"--update：{label}导入只新增记录，不支持“按代码更新”；"
                              "如需修改已登记的记录，请在系统中编辑该记录")
    assert counts() == before


def test_the_same_file_without_update_is_read_and_its_repeat_refused(tmp_path, regions):
    path = tmp_path / "载体.xlsx"
    path.write_bytes(xlsx_bytes(headers("carriers"), [row("carriers", **FULL["carriers"])]))
    call_command("import", "carriers", str(path), stdout=io.StringIO(), stderr=io.StringIO(),
                 no_progress=True)
    before = counts()
    err = io.StringIO()

    with pytest.raises(CommandError) as exc:
        call_command("import", "carriers", str(path), stdout=io.StringIO(), stderr=err,
                     no_progress=True)

    assert exc.value.returncode == 1
    assert f"  第2行“载体名称”：{repeat_message('carriers', '东湖众创空间')}\n" in err.getvalue()
    assert counts() == before


@pytest.mark.parametrize("name", ADD_ONLY)
def test_run_import_refuses_update_without_reading(name, staff, regions):
    class Unreadable(io.BytesIO):
        def read(self, *args):
            raise AssertionError("the file was read")

    result = importing.run_import(importing.get_importer(name), Unreadable(), actor=staff,
                                  update=True)
    assert errors(result) == [(0, "", update_refused(name))]
    assert (result.total, result.created) == (0, 0)


@pytest.mark.parametrize(("url", "offered"), [
    ("carriers:carrier_import", False), ("experts:expert_import", False),
    ("achievements:achievement_import", False), ("demands:techdemand_import", False),
    ("enterprises:enterprise_import", True), ("enterprises:certification_import", True),
])
def test_the_page_offers_update_only_where_it_updates(url, offered, bureau_admin,
                                                      client_for):
    response = client_for(bureau_admin).get(reverse(url))
    assert response.status_code == 200
    assert ('name="update"' in response.content.decode()) is offered


def test_update_posted_to_the_page_is_refused_before_the_upload_is_read(bureau_admin,
                                                                        regions, client_for):
    upload = io.BytesIO(xlsx_bytes(headers("carriers"), [row("carriers")]))
    upload.name = "载体.xlsx"
    response = client_for(bureau_admin).post(reverse("carriers:carrier_import"), {
        "file": upload, "mode": "commit", "update": "on", "sync": "1"})
    assert response.status_code == 400
    assert update_refused("carriers") in response.content.decode()
    assert not Job.objects.exists()
    assert Carrier.objects.count() == 0


def test_an_export_imported_back_is_refused_as_repeats(staff, leader, regions):
    """A masked export (张*, 139****0000) imported back: the masked cells are not compared."""
    run("experts", xlsx_bytes(headers("experts"), [row("experts", **FULL["experts"])]), staff)
    importer = importing.get_importer("experts")
    exported = importing.export_workbook(importer, importer.export_rows(
        Expert.objects.restrict(leader, "export"), unmask=False))
    before = counts()

    result = run("experts", exported, staff)

    assert errors(result) == [(2, "姓名", repeat_message("experts", "张三"))]
    assert counts() == before


def test_a_repeat_of_a_record_outside_the_users_scope_is_not_named(staff, regions, ent_west):
    """The stored demand stays in 西山街道 after its enterprise moved to 东湖街道: a 东湖 user
    importing it again learns that such a record exists (as a code check would tell), not
    which."""
    from kechuang.core.testing.factories import make_user

    run("demands", xlsx_bytes(headers("demands"), [demand_row(ent_west)]), staff)
    ent_west.region = regions.east
    ent_west.save()
    east_user = make_user(region=regions.east, username="donghu-xq", scope="region_tree",
                          perms=("demands.view_techdemand", "demands.add_techdemand",
                                 "demands.import_techdemand"))
    before = counts()

    result = run("demands", xlsx_bytes(headers("demands"), [demand_row(ent_west)]), east_user)

    assert errors(result) == [(2, "统一社会信用代码",
                               "与一条已登记的技术需求完全相同（重复记录；该记录不在您的数据权限范围内），"
                               "请删除该行，或请有权限的人员核实")]
    assert counts() == before


# --- formulas without a saved result, merged cells ----------------------------------------

@pytest.fixture(params=["fast", "openpyxl"])
def reader(request, monkeypatch):
    """Both ways a sheet is read: the streaming reader, and openpyxl (its fallback)."""
    if request.param == "openpyxl":
        def decline(*args, **kwargs):
            raise importing.xlsx_reader.Unsupported("test: read with openpyxl")

        monkeypatch.setattr(importing.xlsx_reader, "sheet_rows", decline)
    return request.param


def formula_message(header: str, cell: str) -> str:
    return (f"“{header}”的{cell}单元格是公式，但文件中没有保存计算结果（常见于由程序生成的文件）；"
            "请用Excel或WPS打开该文件并保存后再导入，或将公式复制后“选择性粘贴”为数值")


def test_a_formula_without_a_saved_result_is_reported_at_its_cell(reader, staff, regions):
    result = run("carriers", xlsx_bytes(headers("carriers"), [
        row("carriers"),
        row("carriers", 载体名称="西山孵化器", 所属区域='=IF(1,"东湖街道","")',
            **{"面积（平方米）": "=100*2"}),
    ]), staff)
    assert errors(result) == [(3, "面积（平方米）", formula_message("面积（平方米）", "I3")),
                              (3, "所属区域", formula_message("所属区域", "L3"))]
    assert_nothing_stored()


def test_a_row_of_formulas_without_results_is_not_skipped_as_blank(reader, staff, regions):
    """A sheet filled by formulas (e.g. =其他表!A2) was read as 文件中没有数据行."""
    result = run("carriers", xlsx_bytes(headers("carriers"), [
        row("carriers", 载体名称="=Sheet2!A2", 类型="=Sheet2!B2", 级别="=Sheet2!C2",
            所属区域="=Sheet2!D2")]), staff)
    assert errors(result) == [(2, h, formula_message(h, f"{c}2")) for h, c in
                              (("载体名称", "A"), ("类型", "B"), ("级别", "C"), ("所属区域", "L"))]
    assert_nothing_stored()


def _saved_results(content: bytes, results: dict[str, tuple[str, str]]) -> bytes:
    """The workbook as Excel saves it: ``results`` gives cells their type and saved value."""
    from lxml import etree

    part = "xl/worksheets/sheet1.xml"
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(content)).read(part))
    ns = {"m": root.nsmap[None]}
    for ref, (kind, value) in results.items():
        cell = root.find(f".//m:c[@r='{ref}']", ns)
        cell.set("t", kind)
        cell.find("m:v", ns).text = value
    return _mutated(content, part, etree.tostring(root))


def test_a_formula_with_a_saved_result_imports_the_result(reader, staff, regions):
    content = xlsx_bytes(headers("carriers"), [
        row("carriers", 所属区域='=IF(1,"东湖街道","")', **{"面积（平方米）": "=100*2"})])
    result = run("carriers", _saved_results(content, {"L2": ("str", "东湖街道"),
                                                      "I2": ("n", "200")}), staff)
    assert (errors(result), result.created) == ([], 1)
    assert Carrier.objects.get().area == Decimal("200.00")


def test_a_formula_saved_with_an_empty_result_reads_blank(reader, staff, regions):
    """Excel saves a formula whose result is "" as t="str" with an empty value: that cell is
    blank, as the user sees it, not a formula without a result."""
    content = xlsx_bytes(headers("carriers"), [row("carriers", 所属区域='=IF(0,"东湖街道","")')])
    result = run("carriers", _saved_results(content, {"L2": ("str", "")}), staff)
    assert errors(result) == [(2, "所属区域", "“所属区域”为必填项")]
    assert_nothing_stored()


def merged_xlsx(rows: list[list], *ranges: str) -> bytes:
    return xlsx_bytes(headers("carriers"), rows, merged=ranges)


def test_a_cell_merged_over_data_rows_is_reported_by_range(reader, staff, regions):
    result = run("carriers", merged_xlsx([
        row("carriers", 载体名称="甲空间"), row("carriers", 载体名称="乙空间", 所属区域=None),
        row("carriers", 载体名称="丙空间", 所属区域=None)], "L2:L4"), staff)
    message = ("“所属区域”在合并单元格L2:L4中：合并单元格只有左上角的L2有值，本行读为空；"
               "请取消合并，并在每一行都填写“所属区域”")
    assert errors(result) == [(3, "所属区域", message), (4, "所属区域", message)]
    assert_nothing_stored()


def test_a_cell_merged_across_columns_is_reported_by_range(reader, staff, regions):
    result = run("carriers", merged_xlsx([row("carriers", 级别=None)], "B2:C2"), staff)
    assert errors(result) == [(2, "级别", "“级别”在合并单元格B2:C2中：合并单元格只有左上角的B2"
                                         "有值，本列读为空；请取消合并，并分别填写每一列")]
    assert_nothing_stored()


def test_empty_merged_cells_and_cells_merged_in_the_header_import(reader, staff, regions):
    """A merged range without a value reads blank as it shows; one in the header row (a header
    spanning two columns) is the header check's business; neither is a data-row merge."""
    hs = headers("carriers")
    content = merged_xlsx([row("carriers", 载体名称="甲空间"), row("carriers", 载体名称="乙空间")],
                          "G2:G3", "L1:M1")
    result = run("carriers", content, staff)
    assert (errors(result), result.created) == ([], 2)
    assert hs[6] == "简介"
    assert list(Carrier.objects.values_list("description", flat=True)) == ["", ""]
