"""JSON contract, input validation messages, USCC and industry codes, rule versions."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from kechuang.cultivation.engine import (
    InputError,
    RuleError,
    assess,
    builtin_rule_rows,
    load_rules,
    parse_industry_code,
    uscc_check_char,
    uscc_problem,
)
from kechuang.cultivation.engine.io import (
    case_from_dict,
    case_from_json,
    case_to_dict,
    result_to_dict,
    result_to_text,
)
from kechuang.cultivation.tests.test_engine_support import AS_OF, USCC, ZJ_USCC, case, year

CASE_JSON = {
    "uscc": USCC,
    "established": "2015-03-01",
    "industry_code": "C3511",
    "legal_form": "有限责任公司",
    "tax_collection": "查账征收",
    "credit_clean": True,
    "years": {
        "2024": {"staff_total": 120, "st_staff": 30, "sales_revenue": "50000000",
                 "total_income": 52000000, "non_taxable_income": 0, "rd_expense": 2200000.0,
                 "rd_expense_domestic": "2200000", "cost_expense_total": "42000000",
                 "total_assets": "60000000", "total_liabilities": "20000000",
                 "hitech_revenue": "40000000", "conversions": 3},
    },
    "ip": {"class1": 0, "class2": 3, "class2_used": 0},
    "hitech_field": "先进制造与自动化",
    "direct": {"hitech_cert_valid": False, "national_award_top3_5y": False,
               "provincial_rd_institution": False, "led_standard_5y": False},
}


def with_year(**fields):
    doc = json.loads(json.dumps(CASE_JSON))
    doc["years"]["2024"].update(fields)
    return doc


# ---- USCC -------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91330100799655058B",
                                  "9144030071526726XG", "91130981784093371Y",
                                  "91110000600037341L"])
def test_uscc_examples_accepted(code):
    assert uscc_problem(code) is None


def test_uscc_worked_example_check_char():
    assert uscc_check_char("91350100M000100Y4") == "3"


def test_uscc_changed_last_char_rejected():
    assert "校验位" in uscc_problem("91350100M000100Y44")


@pytest.mark.parametrize(("code", "word"), [("91350100M000100Y4", "18位"),
                                            ("91350100I000100Y43", "不允许的字符"),
                                            ("9135010AM000100Y43", "格式错误")])
def test_uscc_malformed(code, word):
    assert word in uscc_problem(code)


def test_malformed_uscc_is_input_error_naming_field():
    with pytest.raises(InputError) as exc:
        assess(case(uscc="91350100M000100Y44"), "tech-sme", AS_OF)
    assert exc.value.errors[0].field == "uscc"
    assert "校验位" in str(exc.value)


def test_lowercase_uscc_is_normalised():
    doc = dict(CASE_JSON, uscc=USCC.lower())
    assert case_from_dict(doc).uscc == USCC


# ---- industry codes ---------------------------------------------------------------------


def test_industry_code_parsing():
    assert parse_industry_code("C3511").code == "C3511"
    assert parse_industry_code("3511").code == "C3511"
    assert "不符" in parse_industry_code("A3511")
    assert "格式错误" in parse_industry_code("CX")
    assert "不存在" in parse_industry_code("99")


# ---- input validation -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("_case", "doc", "field", "word"),
    [
        ("tech staff above total", with_year(st_staff=121), "years.2024.st_staff", "不能大于"),
        ("negative revenue", with_year(sales_revenue=-1), "years.2024.sales_revenue", "负数"),
        ("not a number", with_year(rd_expense="abc"), "years.2024.rd_expense", "金额"),
        ("bool as amount", with_year(total_assets=True), "years.2024.total_assets", "金额"),
        ("fractional conversions", with_year(conversions=1.5), "years.2024.conversions", "整数"),
        ("bad date", dict(CASE_JSON, established="2015-02-30"), "established", "日期"),
        ("bad year key", dict(CASE_JSON, years={"24": {}}), "years.24", "四位年份"),
        ("bad bool", dict(CASE_JSON, credit_clean="yes"), "credit_clean", "true"),
        ("domestic above total", with_year(rd_expense_domestic=3_000_000),
         "years.2024.rd_expense_domestic", "境内"),
        ("used above held", dict(CASE_JSON, ip={"class2": 1, "class2_used": 2}),
         "ip.class2_used", "已使用"),
        ("bad tax method", dict(CASE_JSON, tax_collection="包税"), "tax_collection", "征收方式"),
        ("bad industry", dict(CASE_JSON, industry_code="Z9999"), "industry_code", "行业"),
    ],
)
def test_invalid_input_messages_name_the_field(_case, doc, field, word):
    with pytest.raises(InputError) as exc:
        assess(case_from_dict(doc), "tech-sme", AS_OF)
    fields = [e.field for e in exc.value.errors]
    assert field in fields
    msg = next(e.message for e in exc.value.errors if e.field == field)
    assert word in msg
    assert field in str(exc.value)


def test_required_year_missing():
    with pytest.raises(InputError) as exc:
        assess(case_from_dict(CASE_JSON), "tech-sme", date(2026, 5, 1))
    assert exc.value.errors[0].field == "years.2025"


def test_high_tech_requires_all_three_years():
    with pytest.raises(InputError) as exc:
        assess(case_from_dict(CASE_JSON), "high-tech", AS_OF)
    assert [e.field for e in exc.value.errors] == ["years.2022", "years.2023"]


def test_established_after_as_of():
    with pytest.raises(InputError) as exc:
        assess(case(established=date(2026, 1, 1)), "tech-sme", AS_OF)
    assert exc.value.errors[0].field == "established"


def test_unknown_scheme_and_bad_json():
    with pytest.raises(InputError, match="scheme"):
        assess(case(), "nope", AS_OF)
    with pytest.raises(InputError, match="JSON"):
        case_from_json("{bad")
    with pytest.raises(InputError, match="JSON 对象"):
        case_from_dict([1, 2])


def test_no_rules_in_force():
    with pytest.raises(InputError) as exc:
        assess(case(years={2010: year(2010)}), "tech-sme", date(2011, 1, 1))
    assert exc.value.errors[0].field == "as_of"


def test_empty_case_gives_null_conditions_not_crash():
    c = case_from_dict({"years": {"2024": {}}})
    for scheme in ("tech-sme", "zj-tech-sme"):
        r = assess(c, scheme, AS_OF)
        assert r.eligible is False
        assert all(x.met is None or x.met is False for x in r.conditions)
        assert any(x.met is None for x in r.conditions)
    r = assess(case_from_dict({"years": {str(y): {} for y in (2022, 2023, 2024)}}),
               "high-tech", AS_OF)
    assert r.verdict == "borderline"


# ---- output contract --------------------------------------------------------------------


def test_output_contract_tech_sme():
    out = result_to_dict(assess(case_from_dict(CASE_JSON), "tech-sme", AS_OF))
    assert out["scheme"] == "tech-sme"
    assert out["as_of"] == "2025-05-01"
    assert out["data_year"] == 2024
    assert out["eligible"] is True
    assert out["score"] == 64
    assert out["parts"] == {"staff": 16, "rd": 30, "ip": 18}
    assert [c["id"] for c in out["conditions"]] == ["E1", "E2", "E3", "E4", "E5",
                                                    "D1", "D2", "D3", "D4"]
    for c in out["conditions"]:
        assert {"id", "met", "value", "threshold", "message"} <= set(c)
    assert out["conditions"][1]["value"]["sales_revenue"] == "50000000.00"
    json.dumps(out, ensure_ascii=False)


def test_output_contract_high_tech_gaps():
    doc = json.loads(json.dumps(CASE_JSON))
    for y in ("2022", "2023"):
        doc["years"][y] = dict(doc["years"]["2024"])
    out = result_to_dict(assess(case_from_dict(doc), "high-tech", AS_OF))
    assert out["verdict"] in ("pass", "borderline", "fail")
    assert len(out["score_range"]) == 2
    assert set(out["parts"]) == {"ip", "conversion", "management", "growth"}
    assert all(len(v) == 2 for v in out["parts"].values())
    assert [c["id"] for c in out["conditions"]] == [f"H{i}" for i in range(1, 9)]
    assert out["data_years"] == [2022, 2023, 2024]
    for g in out["gaps"]:
        assert {"id", "missing", "unit", "message"} <= set(g)
        if g["unit"] == "元":
            Decimal(g["missing"])  # decimal string
            assert isinstance(g["missing"], str)


def test_float_amounts_do_not_leak_binary_noise():
    c = case_from_json('{"years": {"2024": {"rd_expense": 0.1, "sales_revenue": 1e7}}}')
    assert c.years[2024].rd_expense == Decimal("0.1")
    assert c.years[2024].sales_revenue == Decimal("1E+7")


def test_case_round_trip():
    c = case_from_dict(CASE_JSON)
    assert case_from_dict(case_to_dict(c)) == c


def test_text_summary_is_chinese():
    text = result_to_text(assess(case_from_dict(CASE_JSON), "tech-sme", AS_OF))
    assert "结论：符合条件" in text
    assert "64分" in text


# ---- rules as data ----------------------------------------------------------------------


def test_builtin_rules_cover_three_schemes_and_carry_metadata():
    rows = builtin_rule_rows()
    assert {r["scheme"] for r in rows} == {"tech-sme", "high-tech", "zj-tech-sme"}
    for r in rows:
        assert r["source"]
        assert r["confidence"] in ("V", "V-2", "R", "U")
        assert r["version"]
        assert r["effective_from"]
    assert any(r.get("local_rule") for r in rows)


def test_a_revision_is_new_rows_not_new_code():
    rows = builtin_rule_rows()
    # a hypothetical 2026 revision raising the 科小 staff cap to 1000 from 2026-01-01
    revised = dict(next(r for r in rows if r["rule_id"] == "E2.staff_total"))
    revised.update(version="2026-test", effective_from="2026-01-01", threshold="1000")
    ruleset = load_rules([*rows, revised])
    big = case(years={2024: year(2024, staff_total=800, st_staff=200),
                      2025: year(2025, staff_total=800, st_staff=200)})
    old = assess(big, "tech-sme", AS_OF, rules=ruleset)
    new = assess(big, "tech-sme", date(2026, 5, 1), rules=ruleset)
    assert old.condition("E2").met is False
    assert new.condition("E2").met is True
    assert "tech-sme:2026-test" in new.rule_versions


def test_closed_rows_stop_applying():
    rows = builtin_rule_rows()
    closed = [dict(r, effective_to="2020-12-31") if r["scheme"] == "zj-tech-sme" else r
              for r in rows]
    with pytest.raises(InputError):
        assess(case(uscc=ZJ_USCC), "zj-tech-sme", AS_OF, rules=load_rules(closed))


@pytest.mark.parametrize(
    ("change", "word"),
    [({"op": "~"}, "运算符"), ({"confidence": "X"}, "可信度"), ({"threshold": "abc"}, "数值"),
     ({"effective_from": "2017-13-01"}, "日期"), ({"bogus": 1}, "未知字段"),
     ({"points_min": 5, "points_max": 1}, "分值")],
)
def test_rule_row_validation(change, word):
    row = dict(next(r for r in builtin_rule_rows() if r["rule_id"] == "score.staff.A"))
    row.update(change)
    with pytest.raises(RuleError, match=word):
        load_rules([row])


def test_duplicate_rule_rows_rejected():
    row = next(r for r in builtin_rule_rows() if r["rule_id"] == "score.staff.A")
    with pytest.raises(RuleError, match="重复"):
        load_rules([row, dict(row)])
