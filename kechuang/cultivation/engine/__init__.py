"""Eligibility engine for 科技型中小企业, 高新技术企业 and 浙江省科技型中小企业.

Pure Python (no Django). Public API::

    from kechuang.cultivation.engine import assess, Case, YearData, load_builtin_rules
    result = assess(case, "tech-sme", date(2025, 5, 1))

Rules are data (see :mod:`.rules`); JSON in/out lives in :mod:`.io`.
"""

from .assess import SCHEME_LABELS, assess, assess_all
from .codes import parse_industry_code, uscc_check_char, uscc_problem
from .errors import FieldError, InputError
from .model import (
    Case,
    Condition,
    DirectGrounds,
    Gap,
    IPHoldings,
    Plan,
    Result,
    YearData,
)
from .rules import (
    SCHEMES,
    RuleError,
    RuleRow,
    RuleSet,
    builtin_rule_rows,
    load_builtin_rules,
    load_rules,
)

__all__ = [
    "SCHEMES",
    "SCHEME_LABELS",
    "Case",
    "Condition",
    "DirectGrounds",
    "FieldError",
    "Gap",
    "IPHoldings",
    "InputError",
    "Plan",
    "Result",
    "RuleError",
    "RuleRow",
    "RuleSet",
    "YearData",
    "assess",
    "assess_all",
    "builtin_rule_rows",
    "load_builtin_rules",
    "load_rules",
    "parse_industry_code",
    "uscc_check_char",
    "uscc_problem",
]
