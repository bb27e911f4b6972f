"""Input and output dataclasses of the eligibility engine.

All money is ``Decimal`` in 元 (yuan). Staff counts are ``Decimal`` because the 高企 rules
count annual monthly averages, which may be fractional. ``None`` means "not provided".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

MONEY_FIELDS = (
    "sales_revenue",
    "total_income",
    "non_taxable_income",
    "rd_expense",
    "rd_expense_domestic",
    "cost_expense_total",
    "total_assets",
    "total_liabilities",
    "hitech_revenue",
)
STAFF_FIELDS = ("staff_total", "st_staff")
COUNT_FIELDS = ("conversions",)
YEAR_FIELDS = STAFF_FIELDS + MONEY_FIELDS + COUNT_FIELDS

YEAR_FIELD_LABELS = {
    "staff_total": "职工总数",
    "st_staff": "科技人员数",
    "sales_revenue": "销售收入",
    "total_income": "收入总额",
    "non_taxable_income": "不征税收入",
    "rd_expense": "研发费用",
    "rd_expense_domestic": "境内研发费用",
    "cost_expense_total": "成本费用支出总额",
    "total_assets": "资产总额",
    "total_liabilities": "负债总额",
    "hitech_revenue": "高新技术产品（服务）收入",
    "conversions": "科技成果转化数",
}

# 高企 expert-judged items an enterprise may self-assess (key → rule id)
SELF_ASSESSMENT_ITEMS = {
    "ip_advanced": "ip.advanced",
    "ip_core_support": "ip.core_support",
    "ip_acquisition": "ip.acquisition",
    "ip_standard_bonus": "ip.standard_bonus",
    "management": "management.overall",
}

DIRECT_FIELDS = (
    "hitech_cert_valid",
    "national_award_top3_5y",
    "provincial_rd_institution",
    "led_standard_5y",
)


@dataclass(frozen=True, slots=True)
class YearData:
    """One accounting year of an enterprise's indicators."""

    year: int
    staff_total: Decimal | None = None
    st_staff: Decimal | None = None
    sales_revenue: Decimal | None = None
    total_income: Decimal | None = None
    non_taxable_income: Decimal | None = None
    rd_expense: Decimal | None = None
    rd_expense_domestic: Decimal | None = None
    cost_expense_total: Decimal | None = None
    total_assets: Decimal | None = None
    total_liabilities: Decimal | None = None
    hitech_revenue: Decimal | None = None
    conversions: int | None = None

    @property
    def net_assets(self) -> Decimal | None:
        if self.total_assets is None or self.total_liabilities is None:
            return None
        return self.total_assets - self.total_liabilities


@dataclass(frozen=True, slots=True)
class IPHoldings:
    """Valid, granted knowledge property on the assessment date.

    ``class2_used`` counts Class II items already used in an earlier 高企 application.
    """

    class1: int | None = None
    class2: int | None = None
    class2_used: int | None = None

    @property
    def class2_available(self) -> int | None:
        if self.class2 is None:
            return None
        return max(0, self.class2 - (self.class2_used or 0))


@dataclass(frozen=True, slots=True)
class DirectGrounds:
    """科小 direct-qualification grounds D1–D4 (None = not declared)."""

    hitech_cert_valid: bool | None = None
    national_award_top3_5y: bool | None = None
    provincial_rd_institution: bool | None = None
    led_standard_5y: bool | None = None


@dataclass(frozen=True)
class Case:
    """Everything the engine knows about one enterprise."""

    uscc: str | None = None
    established: date | None = None
    industry_code: str | None = None
    legal_form: str | None = None
    tax_collection: str | None = None
    credit_clean: bool | None = None
    years: dict[int, YearData] = field(default_factory=dict)
    ip: IPHoldings = field(default_factory=IPHoldings)
    hitech_field: str | None = None
    direct: DirectGrounds = field(default_factory=DirectGrounds)
    name: str | None = None
    # optional 高企 self-assessment of expert-judged items: key → (min, max) points
    self_assessment: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass(slots=True)
class Condition:
    """The outcome of one condition (E1–E5, D1–D4, H1–H8, Z1–Z6).

    ``met`` is ``None`` when data is missing or the outcome depends on expert judgement.
    ``local_rule`` is true when the outcome relies on a rule row marked local/unverified.
    """

    id: str
    met: bool | None
    value: object = None
    threshold: object = None
    message: str = ""
    local_rule: bool = False
    skipped: bool = False


@dataclass(slots=True)
class Gap:
    """What the enterprise still lacks to satisfy condition ``id``, in a unit it can act on."""

    id: str
    missing: Decimal | int
    unit: str
    message: str
    local_rule: bool = False


@dataclass(slots=True)
class Plan:
    """A combination of steps that together reach a pass (科小 points plans)."""

    points_after: int
    steps: list[Gap]


@dataclass(slots=True)
class Result:
    """The assessment of one case under one scheme on one date."""

    scheme: str
    as_of: date
    data_year: int
    data_years: list[int]
    conditions: list[Condition]
    gaps: list[Gap]
    eligible: bool | None = None  # tech-sme, zj-tech-sme
    verdict: str | None = None  # high-tech: "pass" | "borderline" | "fail"
    score: int | None = None  # tech-sme
    score_range: tuple[int, int] | None = None  # high-tech
    parts: dict[str, object] = field(default_factory=dict)
    complete: bool = True
    plans: list[Plan] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rule_versions: list[str] = field(default_factory=list)
    region_code: str | None = None

    def condition(self, cid: str) -> Condition:
        for c in self.conditions:
            if c.id == cid:
                return c
        raise KeyError(cid)
