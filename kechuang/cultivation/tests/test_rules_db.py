"""Rule tables as data: loaded idempotently into ``RuleRow``; the engine runs on those rows."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from kechuang.cultivation import assessment, services
from kechuang.cultivation.choices import RuleOrigin
from kechuang.cultivation.engine import assess, builtin_rule_rows, load_builtin_rules
from kechuang.cultivation.events import LOAD_RULES
from kechuang.cultivation.models import RuleRow

pytestmark = pytest.mark.django_db


def test_migrate_loaded_every_shipped_row():
    shipped = builtin_rule_rows()
    assert RuleRow.objects.count() == len(shipped)
    keys = set(RuleRow.objects.values_list("scheme", "rule_id"))
    assert {(r["scheme"], r["rule_id"]) for r in shipped} == keys
    assert all(r.origin == RuleOrigin.BUILTIN for r in RuleRow.objects.all())


def test_loading_again_changes_nothing(changes):
    counts = services.load_builtin_rules(actor=None)
    assert counts == {"created": 0, "updated": 0, "unchanged": len(builtin_rule_rows()),
                      "kept": 0}
    assert changes() == []


def test_command_is_idempotent(capsys):
    call_command("load_rules")
    call_command("load_rules")
    out = capsys.readouterr().out
    assert out.count("新增 0 行") == 2


def test_db_rows_round_trip_to_the_engine_rows():
    db = {(r.scheme, r.rule_id): r.to_engine_dict() for r in RuleRow.objects.all()}
    for raw in builtin_rule_rows():
        row = db[(raw["scheme"], raw["rule_id"])]
        for key, value in raw.items():
            if key in ("effective_from", "effective_to", "condition", "band", "value"):
                continue
            assert row[key] == value, (raw["rule_id"], key)


def test_db_rule_set_gives_the_same_result_as_the_files(scored):
    case = assessment.stored_case(scored, dt.date(2020, 6, 1))
    from kechuang.cultivation.engine.io import result_to_dict

    for scheme in ("tech-sme", "high-tech", "zj-tech-sme"):
        ours = result_to_dict(assessment.run(case, scheme, dt.date(2020, 6, 1)))
        theirs = result_to_dict(assess(case, scheme, dt.date(2020, 6, 1), load_builtin_rules()))
        assert ours == theirs


def test_worked_example_scores_64_from_db_rules(scored):
    result = assessment.run(assessment.stored_case(scored, dt.date(2020, 6, 1)), "tech-sme",
                            dt.date(2020, 6, 1))
    assert result.score == 64
    assert result.parts == {"staff": 16, "rd": 30, "ip": 18}
    assert result.eligible is True


def _revision(threshold: str, effective_from: str = "2021-01-01") -> dict:
    base = next(r for r in builtin_rule_rows() if r["rule_id"] == "E5.total_score")
    return {**base, "version": "2021修订（测试）", "effective_from": effective_from,
            "threshold": threshold}


def test_a_revision_is_new_rows_not_code(scored, staff, changes):
    counts = services.load_rule_rows(actor=staff, rows=[_revision("70", "2020-03-01")],
                                     origin=RuleOrigin.FILE)
    assert counts["created"] == 1
    assert RuleRow.objects.filter(rule_id="E5.total_score").count() == 2
    early, late = dt.date(2020, 2, 1), dt.date(2020, 6, 1)
    before = assessment.run(assessment.stored_case(scored, early), "tech-sme", early)
    after = assessment.run(assessment.stored_case(scored, late), "tech-sme", late)
    assert before.eligible is True  # 64 ≥ 60 under the 2017 rows
    # Under the revision (≥70, in force from 2020-03-01) the same 2019 figures fall short.
    assert after.score == 64
    assert after.condition("E5").met is False
    assert after.eligible is False
    assert [(c.action, c.actor) for c in changes()] == [(LOAD_RULES, staff)]


def test_builtin_reload_keeps_rows_of_another_origin(staff):
    services.load_rule_rows(actor=staff, rows=[_revision("70")], origin=RuleOrigin.FILE)
    changed = _revision("75")
    counts = services.load_rule_rows(actor=staff, rows=[changed], origin=RuleOrigin.BUILTIN)
    assert counts == {"created": 0, "updated": 0, "unchanged": 0, "kept": 1}
    assert RuleRow.objects.get(rule_id="E5.total_score",
                               effective_from=dt.date(2021, 1, 1)).threshold == "70"


def test_same_origin_change_is_updated_with_audit(staff, changes):
    services.load_rule_rows(actor=staff, rows=[_revision("70")], origin=RuleOrigin.FILE)
    counts = services.load_rule_rows(actor=staff, rows=[_revision("72")],
                                     origin=RuleOrigin.FILE)
    assert counts["updated"] == 1
    last = changes()[-1]
    assert last.action == "update"
    assert last.before["threshold"] == "70"
    assert last.after["threshold"] == "72"


def test_bad_row_is_refused_and_nothing_is_written(staff, changes):
    bad = {**_revision("70"), "op": "≈"}
    before = RuleRow.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.load_rule_rows(actor=staff, rows=[_revision("70", "2022-01-01"), bad],
                                origin=RuleOrigin.FILE)
    assert "不支持的运算符" in str(exc.value)
    assert RuleRow.objects.count() == before
    assert changes() == []


def test_command_loads_a_revision_file(tmp_path, capsys):
    path = tmp_path / "rev.json"
    path.write_text(json.dumps({"meta": {}, "rows": [_revision("70")]}, ensure_ascii=False),
                    encoding="utf-8")
    call_command("load_rules", "--file", str(path))
    assert "新增 1 行" in capsys.readouterr().out
    assert RuleRow.objects.filter(origin=RuleOrigin.FILE).count() == 1


def test_local_rows_are_flagged():
    flagged = [r for r in RuleRow.objects.all() if r.is_flagged_local]
    assert flagged, "the shipped tables carry U rows (e.g. D4 drafting rank)"
    assert all(r.local_rule or r.confidence == "U" for r in flagged)


def test_empty_rule_table_gives_a_clear_message():
    from kechuang.cultivation.engine import InputError

    RuleRow.objects.all().delete()
    with pytest.raises(InputError) as exc:
        assessment.rule_set()
    assert "load_rules" in str(exc.value)
