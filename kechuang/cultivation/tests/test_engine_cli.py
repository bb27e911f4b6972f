"""``kechuang assess`` through Django's call_command (input-file path; no database)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kechuang.cultivation.tests.test_engine_io import CASE_JSON


@pytest.fixture
def case_file(tmp_path):
    p = tmp_path / "case.json"
    p.write_text(json.dumps(CASE_JSON, ensure_ascii=False), encoding="utf-8")
    return p


def run(*args):
    out = StringIO()
    call_command("assess", *args, stdout=out)
    return out.getvalue()


def test_json_output(case_file):
    out = json.loads(run("--input", str(case_file), "--scheme", "tech-sme",
                         "--as-of", "2025-05-01", "--json"))
    assert out["score"] == 64
    assert out["eligible"] is True


def test_text_output(case_file):
    out = run("--input", str(case_file), "--scheme", "zj-tech-sme", "--as-of", "2025-05-01")
    assert "浙江省科技型中小企业预评估" in out
    assert "Z1" in out


@pytest.mark.parametrize(
    ("args", "word"),
    [
        (["--scheme", "nope", "--as-of", "2025-05-01"], "不支持的评价类型"),
        (["--scheme", "tech-sme", "--as-of", "2025-02-30"], "as_of"),
        (["--scheme", "high-tech", "--as-of", "2025-05-01"], "years.2022"),
    ],
)
def test_errors_are_command_errors_in_chinese(case_file, args, word):
    with pytest.raises(CommandError, match=word):
        run("--input", str(case_file), *args)


def test_missing_file(tmp_path):
    with pytest.raises(CommandError, match="文件不存在"):
        run("--input", str(tmp_path / "none.json"), "--scheme", "tech-sme")


def test_invalid_field_names_the_field(tmp_path):
    doc = json.loads(json.dumps(CASE_JSON))
    doc["years"]["2024"]["st_staff"] = 500
    p = tmp_path / "bad.json"
    p.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(CommandError, match=r"years\.2024\.st_staff"):
        run("--input", str(p), "--scheme", "tech-sme", "--as-of", "2025-05-01")


def test_uscc_path_assesses_a_stored_enterprise(ent_east):
    from datetime import date

    from kechuang.enterprises.models import AnnualIndicator

    AnnualIndicator.objects.create(
        enterprise=ent_east, year=2024, staff_total=120, st_staff=30,
        sales_revenue=50_000_000, total_income=52_000_000, non_taxable_income=0,
        rd_expense=2_200_000, rd_expense_domestic=2_200_000, cost_expense_total=42_000_000,
        total_assets=60_000_000, total_liabilities=20_000_000, hitech_revenue=40_000_000,
        ip_class1=0, ip_class2=3, ip_class2_used=0, conversions=3,
    )
    ent_east.established_on = date(2015, 3, 1)
    ent_east.save()
    out = json.loads(run("--uscc", ent_east.uscc, "--scheme", "tech-sme",
                         "--as-of", "2025-05-01", "--json"))
    assert out["score"] == 64
    assert out["conditions"][5]["id"] == "D1"
    assert out["conditions"][5]["met"] is False


def test_uscc_not_found(db):
    with pytest.raises(CommandError, match="企业库中没有"):
        run("--uscc", "91350100M000100Y43", "--scheme", "tech-sme", "--as-of", "2025-05-01")


def test_input_with_a_byte_order_mark(tmp_path, case_file):
    """A case file saved by a Windows editor starts with a UTF-8 byte-order mark: same result."""
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + case_file.read_bytes())
    args = ("--scheme", "tech-sme", "--as-of", "2025-05-01", "--json")
    assert run("--input", str(bom), *args) == run("--input", str(case_file), *args)
