"""Entry point: ``assess(case, scheme, as_of, rules=None) -> Result``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from .errors import InputError
from .high_tech import assess_high_tech
from .model import Case, Result
from .rules import SCHEMES, RuleError, RuleSet, SchemeRules, load_builtin_rules
from .tech_sme import assess_tech_sme
from .validate import field_errors, period_errors
from .zj_tech_sme import assess_zj_tech_sme

SCHEME_LABELS = {
    "tech-sme": "国家科技型中小企业",
    "high-tech": "高新技术企业",
    "zj-tech-sme": "浙江省科技型中小企业",
}

_EVALUATORS: dict[str, Callable[[Case, date, SchemeRules], Result]] = {
    "tech-sme": assess_tech_sme,
    "high-tech": assess_high_tech,
    "zj-tech-sme": assess_zj_tech_sme,
}


def assess(case: Case, scheme: str, as_of: date, rules: RuleSet | None = None) -> Result:
    """Assess ``case`` under ``scheme`` with the rules in force on ``as_of``.

    Raises :class:`InputError` (Chinese message naming each bad field) for invalid input or
    an unknown scheme; never raises on merely *missing* data, which yields ``met=None``.
    """
    return assess_all(case, as_of, rules, schemes=(scheme,))[scheme]


def assess_all(case: Case, as_of: date, rules: RuleSet | None = None,
               schemes: tuple[str, ...] = SCHEMES) -> dict[str, Result]:
    """Assess one case under several schemes, validating the shared input only once.

    Raises :class:`InputError` if the input is invalid for any requested scheme.
    """
    for scheme in schemes:
        if scheme not in _EVALUATORS:
            raise InputError.single(
                "scheme", f"不支持的评价类型“{scheme}”，应为 {' / '.join(SCHEMES)} 之一"
            )
    if not isinstance(as_of, date):
        raise InputError.single("as_of", "评价日期格式错误，应为 YYYY-MM-DD")
    ruleset = rules if rules is not None else load_builtin_rules()
    selected: dict[str, SchemeRules] = {}
    for scheme in schemes:
        try:
            selected[scheme] = ruleset.select(scheme, as_of)
        except RuleError as exc:
            raise InputError.single("as_of", str(exc)) from exc
    errors, warnings = field_errors(case, as_of)
    for scheme in schemes:
        errors.extend(e for e in period_errors(case, scheme, as_of) if e not in errors)
    if errors:
        raise InputError(errors)
    return {scheme: _run(case, scheme, as_of, selected[scheme], warnings) for scheme in schemes}


def _run(case: Case, scheme: str, as_of: date, sr: SchemeRules, warnings: list[str]) -> Result:
    result = _EVALUATORS[scheme](case, as_of, sr)
    result.warnings[:0] = warnings
    result.rule_versions = [f"{scheme}:{v}" for v in sr.versions]
    if case.uscc:
        result.region_code = case.uscc[2:8]
    return result
