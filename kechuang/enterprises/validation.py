"""Row-level rules for enterprise data, shared by forms, API, importers and services.

Each function returns ``{field: Chinese message}``; services raise them as a
``ValidationError`` so every entry point reports the same message on the same field.
"""

import datetime as dt
import re
from decimal import Decimal

from django.utils import timezone

from kechuang.core.emails import email_error
from kechuang.core.uscc import uscc_error

from . import industry
from .choices import CertificationKind, CertificationStatus, LegalForm, TaxCollection

MONEY_FIELDS = (
    "sales_revenue", "main_business_revenue", "total_income", "non_taxable_income",
    "rd_expense", "rd_expense_domestic", "cost_expense_total", "total_assets",
    "total_liabilities", "hitech_revenue",
)
# total_liabilities can exceed assets, but none of these may be negative.
COUNT_FIELDS = ("staff_total", "st_staff", "ip_class1", "ip_class2", "ip_class2_used",
                "conversions")
MIN_YEAR = 1980
HIGH_TECH_NUMBER = re.compile(r"^GR(\d{4})\d{8}$")
TECH_SME_NUMBER = re.compile(r"^(20\d{2})(\d{6})([A-Z])(\d{7})$")


def today() -> dt.date:
    return timezone.localdate()


def choice_error(label: str, value, choices) -> str | None:
    """A value outside a field's choices, named by the field's Chinese label (the API's
    serializer refuses it too, but forms, importers and the CLI reach the service directly)."""
    if value in choices.values:
        return None
    return f"{label}“{value or ''}”无效，应为{'、'.join(str(lb) for lb in choices.labels)}之一"


def enterprise_errors(data: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    if "uscc" in data:
        msg = uscc_error(data["uscc"] or "")
        if msg:
            errors["uscc"] = msg
    if "name" in data:
        name = (data["name"] or "").strip()
        if not name:
            errors["name"] = "企业名称不能为空"
        elif len(name) > 128:
            errors["name"] = "企业名称不能超过128个字符"
    if "industry_code" in data:
        msg = industry.industry_error(data["industry_code"] or "")
        if msg:
            errors["industry_code"] = msg
    if "established_on" in data:
        day = data["established_on"]
        if day is None:
            errors["established_on"] = "成立日期不能为空"
        elif day > today():
            errors["established_on"] = f"成立日期{day:%Y-%m-%d}晚于今天，请检查"
    for field, label, choices in (("legal_form", "企业类型", LegalForm),
                                  ("tax_collection", "所得税征收方式", TaxCollection)):
        msg = choice_error(label, data[field], choices) if field in data else None
        if msg:
            errors[field] = msg
    if data.get("registered_capital") is not None and data["registered_capital"] < 0:
        errors["registered_capital"] = "注册资本不能为负数"
    if "region" in data and data["region"] is None:
        errors["region"] = "所属区域不能为空"
    msg = email_error(data.get("contact_email"))
    if msg:
        errors["contact_email"] = msg
    return errors


def indicator_errors(data: dict, year: int | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if year is None:
        errors["year"] = "年度不能为空"
    elif not (MIN_YEAR <= year <= today().year):
        errors["year"] = f"年度应在{MIN_YEAR}至{today().year}之间"
    for field in MONEY_FIELDS:
        value = data.get(field)
        if value is not None and Decimal(value) < 0:
            errors[field] = "金额不能为负数"
    for field in COUNT_FIELDS:
        value = data.get(field)
        if value is not None and value < 0:
            errors[field] = "数量不能为负数"
    staff, st = data.get("staff_total"), data.get("st_staff")
    if staff is not None and st is not None and st > staff and "st_staff" not in errors:
        errors["st_staff"] = f"科技人员数（{st}）不能大于职工总数（{staff}）"
    rd, rd_dom = data.get("rd_expense"), data.get("rd_expense_domestic")
    if (rd is not None and rd_dom is not None and rd_dom > rd
            and "rd_expense_domestic" not in errors):
        errors["rd_expense_domestic"] = "境内研发费用不能大于研发费用总额"
    ip2, ip2_used = data.get("ip_class2"), data.get("ip_class2_used")
    if ip2 is not None and ip2_used is not None and ip2_used > ip2:
        errors["ip_class2_used"] = "已使用的Ⅱ类知识产权不能多于Ⅱ类知识产权总数"
    income, non_tax = data.get("total_income"), data.get("non_taxable_income")
    if income is not None and non_tax is not None and non_tax > income:
        errors["non_taxable_income"] = "不征税收入不能大于收入总额"
    return errors


def certification_errors(data: dict) -> tuple[dict[str, str], list[str]]:
    """Returns ``(errors, warnings)``; warnings do not block saving (format rules marked U)."""
    errors: dict[str, str] = {}
    warnings: list[str] = []
    kind, year = data.get("kind"), data.get("year")
    number = (data.get("number") or "").strip()
    if kind not in CertificationKind.values:
        errors["kind"] = "请选择有效的资质类别"
    if year is None:
        errors["year"] = "年度不能为空"
    elif not (MIN_YEAR <= year <= today().year + 1):
        errors["year"] = f"年度应在{MIN_YEAR}至{today().year + 1}之间"
    status = data.get("status") or CertificationStatus.GRANTED
    if status not in CertificationStatus.values:
        errors["status"] = "请选择有效的状态"
    for field, label in (("applied_on", "申报日期"), ("issued_on", "认定日期")):
        day = data.get(field)
        if day is not None and day > today():
            errors[field] = f"{label}不能晚于今天"
    if data.get("applied_on") and data.get("issued_on") and data["issued_on"] < data["applied_on"]:
        errors["issued_on"] = "认定日期不能早于申报日期"
    if kind == CertificationKind.HIGH_TECH and number:
        m = HIGH_TECH_NUMBER.match(number)
        if not m:
            errors["number"] = "高新技术企业证书编号格式应为GR+年份4位+8位数字，如GR202033100123"
        elif year is not None and int(m.group(1)) != year:
            errors["number"] = f"证书编号中的年份{m.group(1)}与认定年度{year}不一致"
    if kind == CertificationKind.HIGH_TECH and status == CertificationStatus.GRANTED:
        if not number:
            errors["number"] = "已认定的高新技术企业须填写证书编号"
        if not data.get("issued_on"):
            errors["issued_on"] = "已认定的高新技术企业须填写发证日期"
    if kind == CertificationKind.NATIONAL_TECH_SME and number:
        m = TECH_SME_NUMBER.match(number)
        if not m:
            warnings.append("入库登记编号与常见格式（年份+6位区划码+1位字母+7位数字）不符，请核对（地方规则，请确认）")
        elif year is not None and int(m.group(1)) != year:
            errors["number"] = f"入库登记编号中的年份{m.group(1)}与入库年度{year}不一致"
    if kind == CertificationKind.RD_INSTITUTION:
        if not (data.get("name") or "").strip():
            errors["name"] = "研发机构须填写名称"
        if not data.get("level"):
            errors["level"] = "研发机构须选择级别"
    return errors, warnings


def default_valid_until(kind: str, year: int, issued_on: dt.date | None) -> dt.date | None:
    """Validity: 高企 three years from issue; 科小 入库编号 the evaluation year (当年有效)."""
    if kind == CertificationKind.HIGH_TECH and issued_on:
        try:
            end = issued_on.replace(year=issued_on.year + 3)
        except ValueError:  # 29 February
            end = issued_on.replace(year=issued_on.year + 3, day=28)
        return end - dt.timedelta(days=1)
    if kind in (CertificationKind.NATIONAL_TECH_SME, CertificationKind.MUNICIPAL_TECH_SME):
        return dt.date(year, 12, 31)
    return None
