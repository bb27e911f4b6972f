"""End to end: the full demo district reproduces every figure of the seed's 2020 summary.

Builds the whole demo (all apps), then checks ``kechuang stats`` (the external contract) and
the generated annual summary against the figures the bureau counted by hand on 2020-09-30.
"""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from docx import Document

# code → value in base units, from ../shared/seed/district-st-bureau-2020-work-summary.txt
SEED_FIGURES = {
    "new_national_tech_sme": 228,
    "new_municipal_tech_sme": 449,
    "hitech_applications": 154,
    "hitech_applications_first_time": 86,
    "provincial_innovation_complexes_new": 1,
    "provincial_innovation_complexes_total": 3,
    "matchmaking_events": 10,
    "achievements_presented": 170,
    "teams_introduced": 4,
    "achievements_introduced": 45,
    "talent_events": 3,
    "overseas_engineers_matched": 383,
    "talent_projects_introduced": 179,
    "enterprise_services": 457,
    "problems_solved": 187,
    "academician_workstations": 2,
}


@pytest.mark.slow
@pytest.mark.django_db(transaction=False)
def test_full_demo_reproduces_the_seed(tmp_path):
    call_command("demo", stdout=StringIO())

    out = StringIO()
    call_command("stats", year=2020, until="2020-09-30", json=True, stdout=out)
    rows = {r["code"]: r for r in json.loads(out.getvalue())}

    for code, expected in SEED_FIGURES.items():
        assert rows[code]["value"] == expected, code
        assert rows[code]["period"] == {"start": "2020-01-01", "end": "2020-09-30"}
    assert rows["matchmaking_participants"]["value"] >= 2000  # "2000多人"
    # The seed's three blanks get real figures, and the first two rank first in the city.
    for code in ("hitech_industry_value_added", "rd_expense_above_scale_industrial"):
        assert float(rows[code]["value"]) > 0
        assert rows[code]["unit"] == "元"
        assert rows[code]["compare"]["rank_in_city"] == 1
    assert float(rows["tech_transaction_amount"]["value"]) > 0
    # "其中新申报86家，为历年之最"
    assert rows["hitech_applications_first_time"]["compare"]["record_high"] is True

    target = tmp_path / "summary.docx"
    call_command("report", "annual", year=2020, until="2020-09-30", out=str(target),
                 stdout=StringIO())
    doc = Document(str(target))
    text = "\n".join(p.text for p in doc.paragraphs)
    for phrase in ("228家", "449家", "154家", "86家", "383名", "179项", "457家次", "187个",
                   "10场", "170项", "45项"):
        assert phrase in text, phrase
    assert "居全市第一" in text
    assert doc.inline_shapes, "the summary embeds its charts"
