"""The CLI contract: ``kechuang template|export|import NAME …`` (issue 2, item 7)."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from kechuang.audit.models import ChangeRecord, OperationLog
from kechuang.core.importing import DATA_SHEET, HELP_SHEET
from kechuang.core.testing.factories import (
    AnnualIndicatorFactory,
    CertificationFactory,
    uscc_for,
)
from kechuang.enterprises.models import AnnualIndicator, Certification, Enterprise

ENTERPRISE_FIELDS = (
    "uscc", "name", "region_id", "industry_code", "established_on", "legal_form",
    "registered_capital", "address", "tax_collection", "is_credit_clean",
    "legal_representative", "contact_name", "contact_phone", "contact_email",
)


def _values(qs, fields):
    return sorted(qs.values_list(*fields))


def _import(*args, **kwargs):
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err, no_progress=True, **kwargs)
    return out.getvalue()


def _headers(path):
    ws = load_workbook(path)[DATA_SHEET]
    return [c.value for c in ws[1]]


@pytest.mark.django_db
def test_template_has_the_headers_and_text_format_on_code_columns(tmp_path):
    out = tmp_path / "t.xlsx"

    call_command("template", "enterprises", str(out), stdout=io.StringIO())

    wb = load_workbook(out)
    ws = wb[DATA_SHEET]
    headers = [c.value for c in ws[1]]
    for header in ("统一社会信用代码", "企业名称", "所属区域", "行业代码", "成立日期"):
        assert header in headers
    for header in ("统一社会信用代码", "行业代码", "联系电话"):
        letter = ws.cell(row=1, column=headers.index(header) + 1).column_letter
        assert ws[f"{letter}2"].number_format == "@"
        assert ws[f"{letter}500"].number_format == "@"
    assert HELP_SHEET in wb.sheetnames
    assert ws.data_validations.dataValidation  # drop-downs from the choice lists


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["enterprises", "indicators", "certifications"])
def test_template_for_every_registered_name(tmp_path, name):
    out = tmp_path / f"{name}.xlsx"
    call_command("template", name, str(out), stdout=io.StringIO())
    assert _headers(out)[0] == "统一社会信用代码"


@pytest.mark.django_db
def test_unknown_name_is_a_chinese_error(tmp_path):
    with pytest.raises(CommandError, match="未知的数据类型“nothing”"):
        call_command("template", "nothing", str(tmp_path / "x.xlsx"))


@pytest.mark.django_db
def test_enterprise_export_imports_back_unchanged(tmp_path, ent_east, ent_west):
    out = tmp_path / "e.xlsx"
    before = _values(Enterprise.objects.all(), ENTERPRISE_FIELDS)
    call_command("export", "enterprises", str(out), unmask=True, stdout=io.StringIO())
    Enterprise.objects.all().delete()

    summary = _import("enterprises", str(out))

    assert summary.strip() == "导入完成：共2行，新增2条，更新0条。"
    assert _values(Enterprise.objects.all(), ENTERPRISE_FIELDS) == before


@pytest.mark.django_db
def test_indicator_and_certification_exports_import_back_unchanged(tmp_path, ent_east):
    AnnualIndicatorFactory(enterprise=ent_east, year=2018, main_business_revenue=None)
    AnnualIndicatorFactory(enterprise=ent_east, year=2019)
    CertificationFactory(enterprise=ent_east, year=2019, applied_on=dt.date(2019, 6, 1),
                         is_first_application=True)
    ind_fields = ("enterprise_id", "year", "staff_total", "st_staff", "sales_revenue",
                  "main_business_revenue", "rd_expense", "total_assets",
                  "is_above_scale_industrial")
    cert_fields = ("enterprise_id", "kind", "status", "year", "number", "applied_on",
                   "issued_on", "valid_until", "is_first_application")
    before = (_values(AnnualIndicator.objects.all(), ind_fields),
              _values(Certification.objects.all(), cert_fields))
    call_command("export", "indicators", str(tmp_path / "i.xlsx"), stdout=io.StringIO())
    call_command("export", "certifications", str(tmp_path / "c.xlsx"), stdout=io.StringIO())
    AnnualIndicator.objects.all().delete()
    Certification.objects.all().delete()

    _import("indicators", str(tmp_path / "i.xlsx"))
    _import("certifications", str(tmp_path / "c.xlsx"))

    assert (_values(AnnualIndicator.objects.all(), ind_fields),
            _values(Certification.objects.all(), cert_fields)) == before


@pytest.mark.django_db
def test_masked_export_reimported_by_code_leaves_personal_data(tmp_path, ent_east):
    out = tmp_path / "e.xlsx"
    before = _values(Enterprise.objects.all(), ENTERPRISE_FIELDS)
    call_command("export", "enterprises", str(out), stdout=io.StringIO())
    ws = load_workbook(out)[DATA_SHEET]
    row = dict(zip(_headers(out), [c.value for c in ws[2]], strict=True))
    assert (row["联系电话"], row["联系人"], row["电子邮箱"]) == (
        "138****5678", "李*", "l***@example.com")

    summary = _import("enterprises", str(out), update=True)

    assert summary.strip() == "导入完成：共1行，新增0条，更新1条。"
    assert _values(Enterprise.objects.all(), ENTERPRISE_FIELDS) == before


@pytest.mark.django_db
def test_export_filters_and_as_user_scope(tmp_path, regions, ent_east, ent_west, sub_east):
    def exported(**options):
        out = tmp_path / "x.xlsx"
        call_command("export", "enterprises", str(out), stdout=io.StringIO(), **options)
        ws = load_workbook(out)[DATA_SHEET]
        return sorted(r[1] for r in ws.iter_rows(min_row=2, values_only=True))

    assert exported() == sorted([ent_east.name, ent_west.name])
    assert exported(region=regions.west.code) == [ent_west.name]
    assert exported(industry="I") == [ent_west.name]
    assert exported(q="东湖") == [ent_east.name]
    assert exported(as_user="donghu") == [ent_east.name]
    assert OperationLog.objects.filter(method="CLI", username="donghu").count() == 1


@pytest.mark.django_db
def test_unmask_needs_the_permission(tmp_path, ent_east, sub_east):
    from kechuang.accounts.choices import RoleCode
    from kechuang.core.testing.factories import make_user

    make_user(RoleCode.BROKER, username="jingjiren")
    with pytest.raises(CommandError, match="没有导出企业的权限"):
        call_command("export", "enterprises", str(tmp_path / "x.xlsx"), as_user="jingjiren")
    with pytest.raises(CommandError, match="用户“nobody”不存在"):
        call_command("export", "enterprises", str(tmp_path / "x.xlsx"), as_user="nobody")


def _workbook(path, rows):
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    ws.append(["统一社会信用代码", "企业名称", "所属区域", "行业代码", "成立日期"])
    for row in rows:
        ws.append(row)
    wb.save(path)


@pytest.mark.django_db
def test_import_with_bad_rows_writes_nothing_and_reports_every_error(tmp_path, regions):
    src = tmp_path / "bad.xlsx"
    good = uscc_for(901)
    bad_check = uscc_for(902)[:17] + ("0" if uscc_for(902)[17] != "0" else "1")
    _workbook(src, [
        [good, "甲科技有限公司", "东湖街道", "C3511", dt.date(2015, 1, 1)],
        [bad_check, "乙科技有限公司", "不存在街道", "C3511", dt.date(2015, 1, 1)],
        [uscc_for(903), "", "西山街道", "X99", "2999-01-01"],
        [good, "丙科技有限公司", "东湖街道", "C3511", "昨天"],
    ])
    errors_json = tmp_path / "errors.json"
    errors_xlsx = tmp_path / "errors.xlsx"
    records = ChangeRecord.objects.count()

    with pytest.raises(CommandError) as excinfo:
        _import("enterprises", str(src), errors_json=str(errors_json),
                errors_out=str(errors_xlsx))

    assert excinfo.value.returncode == 1
    assert "未写入任何数据" in str(excinfo.value)
    assert Enterprise.objects.count() == 0
    assert ChangeRecord.objects.count() == records
    expected_check = uscc_for(902)[17]
    assert json.loads(errors_json.read_text(encoding="utf-8")) == [
        {"row": 3, "column": "所属区域", "message": "所属区域“不存在街道”不存在"},
        {"row": 3, "column": "统一社会信用代码",
         "message": f"统一社会信用代码校验位错误：第18位应为“{expected_check}”"},
        {"row": 4, "column": "企业名称", "message": "“企业名称”为必填项"},
        {"row": 4, "column": "行业代码",
         "message": "行业代码“X99”格式不正确，应为门类字母加2至4位数字，如C3511"},
        {"row": 4, "column": "成立日期", "message": "成立日期2999-01-01晚于今天，请检查"},
        {"row": 5, "column": "成立日期",
         "message": "“成立日期”日期格式应为YYYY-MM-DD，实际为“昨天”"},
        {"row": 5, "column": "统一社会信用代码", "message": "统一社会信用代码与第2行重复"},
    ]
    ws = load_workbook(errors_xlsx)[DATA_SHEET]
    assert ws.cell(row=1, column=ws.max_column).value == "错误原因"
    assert ws.max_row == 4  # header + the three bad rows


@pytest.mark.django_db
def test_dry_run_writes_nothing_and_import_is_audited_as_cli(tmp_path, regions):
    src = tmp_path / "ok.xlsx"
    _workbook(src, [[uscc_for(911), "甲科技有限公司", "东湖街道", "C3511", dt.date(2015, 1, 1)]])

    dry = _import("enterprises", str(src), dry_run=True)
    assert dry.strip() == "预检通过：共1行，将新增1条、更新0条（预检模式，未写入）。"
    assert Enterprise.objects.count() == 0

    _import("enterprises", str(src))
    ent = Enterprise.objects.get()
    rec = ChangeRecord.objects.get(object_id=str(ent.pk), action="create",
                                   content_type__model="enterprise")
    assert (rec.channel, rec.actor_id, rec.actor_name) == ("cli", None, "系统")


@pytest.mark.django_db
def test_import_as_user_outside_their_region_is_refused(tmp_path, regions, sub_east):
    src = tmp_path / "west.xlsx"
    _workbook(src, [[uscc_for(921), "甲科技有限公司", "西山街道", "C3511", dt.date(2015, 1, 1)]])
    errors_json = tmp_path / "e.json"

    with pytest.raises(CommandError):
        _import("enterprises", str(src), as_user="donghu", errors_json=str(errors_json))

    assert json.loads(errors_json.read_text(encoding="utf-8")) == [
        {"row": 2, "column": "所属区域", "message": "所属区域“西山街道”不在您的数据权限范围内"}]
    assert Enterprise.objects.count() == 0


@pytest.mark.django_db
def test_import_rejects_a_file_that_is_not_xlsx(tmp_path, regions):
    src = tmp_path / "x.xlsx"
    src.write_bytes(b"not a workbook")
    with pytest.raises(CommandError, match="导入失败"):
        _import("enterprises", str(src))
