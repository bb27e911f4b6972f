"""Shared builders for the engine tests (no tests here; imported by test_engine_*.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from kechuang.cultivation.engine import Case, DirectGrounds, IPHoldings, YearData

USCC = "91350100M000100Y43"
ZJ_USCC = "91330100799655058B"
AS_OF = date(2025, 5, 1)

D = Decimal


def year(y: int, **kw: Any) -> YearData:
    """A healthy small manufacturer's year; override any field with keyword arguments."""
    base: dict[str, Any] = {
        "staff_total": D(120),
        "st_staff": D(30),
        "sales_revenue": D(50_000_000),
        "total_income": D(52_000_000),
        "non_taxable_income": D(0),
        "rd_expense": D(2_200_000),
        "rd_expense_domestic": D(2_200_000),
        "cost_expense_total": D(42_000_000),
        "total_assets": D(60_000_000),
        "total_liabilities": D(20_000_000),
        "hitech_revenue": D(40_000_000),
        "conversions": 3,
    }
    if "rd_expense" in kw and "rd_expense_domestic" not in kw:
        kw["rd_expense_domestic"] = kw["rd_expense"]
    base.update({k: (D(v) if isinstance(v, int | str) and k != "conversions" else v)
                 for k, v in kw.items()})
    return YearData(year=y, **base)


def case(**kw: Any) -> Case:
    """The 科小 worked example of domain-rules.md §1.3 (64 points), with overrides."""
    years = kw.pop("years", None)
    ip = kw.pop("ip", IPHoldings(class1=0, class2=3, class2_used=0))
    base = Case(
        uscc=USCC,
        established=date(2015, 3, 1),
        industry_code="C3511",
        legal_form="有限责任公司",
        tax_collection="查账征收",
        credit_clean=True,
        years=years if years is not None else {2024: year(2024)},
        ip=ip,
        hitech_field="先进制造与自动化",
        direct=DirectGrounds(False, False, False, False),
    )
    return replace(base, **kw)


def three_years(latest: dict[str, Any] | None = None, **per_year: dict[str, Any]) -> dict:
    """2022–2024 years for 高企 tests (``y2022={...}`` etc. override single years)."""
    growing = {  # R&D 7.5% of sales; sales and net assets grow every year
        2022: {"sales_revenue": 30_000_000, "total_assets": 40_000_000},
        2023: {"sales_revenue": 40_000_000, "total_assets": 50_000_000},
        2024: {"sales_revenue": 50_000_000, "total_assets": 60_000_000},
    }
    out = {}
    for y in (2022, 2023, 2024):
        kw = {"rd_expense": 3_000_000, **growing[y], **per_year.get(f"y{y}", {})}
        if y == 2024 and latest:
            kw.update(latest)
        out[y] = year(y, **kw)
    return out


def cond(result: Any, cid: str) -> Any:
    return result.condition(cid)
