"""Semantic validation of a :class:`Case` before assessment.

Type errors are caught when JSON is parsed (``engine.io``); this module checks what a
programmatically built case (e.g. from the Django adapter) could still get wrong.
"""

from __future__ import annotations

from datetime import date

from .codes import org_code_check_ok, parse_industry_code, uscc_problem
from .errors import FieldError, InputError
from .model import MONEY_FIELDS, YEAR_FIELD_LABELS, Case

ZERO = 0


def periods(scheme: str, case: Case, as_of: date) -> tuple[int, list[int]]:
    """``(data_year, data_years)`` of a scheme on ``as_of``.

    科小 and 省科小 use the accounting year before ``as_of``. 高企 uses the three accounting
    years before ``as_of``, or the actual operating years when the enterprise is younger.
    """
    latest = as_of.year - 1
    if scheme != "high-tech":
        return latest, [latest]
    first = latest - 2
    if case.established is not None:
        first = max(first, case.established.year)
    return latest, list(range(first, latest + 1))


def validate_case(case: Case, scheme: str, as_of: date) -> list[str]:
    """Raise :class:`InputError` listing every invalid field; return warnings."""
    errors, warnings = field_errors(case, as_of)
    errors.extend(period_errors(case, scheme, as_of))
    if errors:
        raise InputError(errors)
    return warnings


def period_errors(case: Case, scheme: str, as_of: date) -> list[FieldError]:
    """A year the scheme needs is missing."""
    errors: list[FieldError] = []
    data_year, data_years = periods(scheme, case, as_of)
    for year in data_years:
        if year not in case.years:
            if case.established is not None and case.established.year > data_year:
                msg = (f"缺少{year}年度数据：企业成立于{case.established.isoformat()}，"
                       f"尚无完整的上一会计年度数据，无法评价")
            else:
                msg = f"缺少{year}年度数据（评价日期{as_of.isoformat()}需要{year}年度数据）"
            errors.append(FieldError(f"years.{year}", msg))
    return errors


def field_errors(case: Case, as_of: date) -> tuple[list[FieldError], list[str]]:
    """Scheme-independent checks: codes, dates, signs and cross-field consistency."""
    errors: list[FieldError] = []
    warnings: list[str] = []
    if case.uscc is not None:
        problem = uscc_problem(case.uscc)
        if problem:
            errors.append(FieldError("uscc", problem))
        elif not org_code_check_ok(case.uscc):
            warnings.append("统一社会信用代码第9–17位（组织机构代码）校验未通过，请核对")
    if case.established is not None and case.established > as_of:
        errors.append(FieldError(
            "established",
            f"成立日期（{case.established.isoformat()}）晚于评价日期（{as_of.isoformat()}）",
        ))
    if case.industry_code is not None:
        parsed = parse_industry_code(case.industry_code)
        if isinstance(parsed, str):
            errors.append(FieldError("industry_code", parsed))
    if case.tax_collection is not None and case.tax_collection not in ("查账征收", "核定征收"):
        errors.append(FieldError("tax_collection", "征收方式应为“查账征收”或“核定征收”"))

    for year, y in sorted(case.years.items()):
        p = f"years.{year}"
        for name in MONEY_FIELDS:
            v = getattr(y, name)
            if v is not None and v < ZERO:
                errors.append(FieldError(f"{p}.{name}", f"{YEAR_FIELD_LABELS[name]}不能为负数"))
        for name in ("staff_total", "st_staff", "conversions"):
            v = getattr(y, name)
            if v is not None and v < ZERO:
                errors.append(FieldError(f"{p}.{name}", f"{YEAR_FIELD_LABELS[name]}不能为负数"))
        if (y.st_staff is not None and y.staff_total is not None and y.st_staff > y.staff_total):
            errors.append(FieldError(
                f"{p}.st_staff",
                f"科技人员数（{y.st_staff}）不能大于职工总数（{y.staff_total}）",
            ))
        if (y.rd_expense_domestic is not None and y.rd_expense is not None
                and y.rd_expense_domestic > y.rd_expense):
            errors.append(
                FieldError(f"{p}.rd_expense_domestic", "境内研发费用不能大于研发费用总额")
            )
        if (y.non_taxable_income is not None and y.total_income is not None
                and y.non_taxable_income > y.total_income):
            errors.append(FieldError(f"{p}.non_taxable_income", "不征税收入不能大于收入总额"))
        if (y.hitech_revenue is not None and y.total_income is not None
                and y.hitech_revenue > y.total_income):
            errors.append(
                FieldError(f"{p}.hitech_revenue", "高新技术产品（服务）收入不能大于收入总额")
            )

    ip = case.ip
    for name in ("class1", "class2", "class2_used"):
        v = getattr(ip, name)
        if v is not None and v < 0:
            errors.append(FieldError(f"ip.{name}", "知识产权数量不能为负数"))
    if ip.class2_used is not None and ip.class2 is not None and ip.class2_used > ip.class2:
        errors.append(
            FieldError("ip.class2_used", "已使用的Ⅱ类知识产权数量不能大于Ⅱ类知识产权总数")
        )

    return errors, warnings
