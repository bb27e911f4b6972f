import datetime as dt
import io

import pytest
from django.core.management import call_command
from docx import Document

from kechuang.reports.content import ANNUAL_SECTIONS, sentence_jinja
from kechuang.reports.formatting import cn_ordinal
from kechuang.reports.generator import build_report

pytestmark = pytest.mark.django_db


def _text(doc) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


def test_annual_docx_figures_charts_appendix(data, other_districts, tmp_path):
    out = tmp_path / "summary.docx"
    call_command("report", "annual", "--year", "2020", "--until", "2020-09-30",
                 "--out", str(out))
    doc = Document(str(out))
    text = _text(doc)
    assert "示范区科技局2020年度工作总结及2021年工作思路" in text
    assert "一、2020年工作总结" in text
    assert "二、2021年工作思路" in text
    # 900元 → 0.00亿元 would be silly; amounts display in 亿元 with two places
    assert "1-9月，我区高新技术产业增加值0.00亿元，同比增长25.0%，为历年之最，居全市第二" in text
    assert "今年新增国家科技型中小企业3家" in text
    assert "组织申报2020年高新技术企业3家，其中新申报2家" in text
    # every seed section heading survives; pending modules become data gaps, not blanks
    for section in ANNUAL_SECTIONS:
        assert section.heading in text
    assert "数据缺口" in text
    assert "tech_loans_count：尚无模块登记该指标（待finance模块）" in text
    assert "科技金融贷款" not in text
    assert "{{" not in text
    assert "{%" not in text
    assert len(doc.inline_shapes) >= 3  # trend, rank, tiers, 科小 charts
    table = doc.tables[-1]
    header = [c.text for c in table.rows[0].cells]
    assert header == ["指标", "数值", "统计期间", "同比", "历年之最", "全市排名", "口径说明"]
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in table.rows[1:]}
    assert rows["新增国家科技型中小企业"][1] == "3家"
    assert rows["新增国家科技型中小企业"][2] == "2020年1-9月（新增（期间内发生））"
    assert rows["高新技术产业增加值"][3] == "同比增长25.0%"
    assert rows["高新技术产业增加值"][5] == "居全市第二"
    assert rows["有效高新技术企业"][2].endswith("（累计（期末存量））")


def test_scoped_report_uses_viewer_totals(data, sub_west):
    report = build_report("annual", year=2020, until=dt.date(2020, 9, 30), user=sub_west)
    doc = Document(io.BytesIO(report.docx))
    text = _text(doc)
    assert "今年新增国家科技型中小企业1家" in text
    assert "高新技术产业增加值（hitech_industry_value_added）：2020年1-9月无记录" in text
    assert "居全市" not in text


def test_html_and_monthly(data, tmp_path):
    out = tmp_path / "m.html"
    call_command("report", "monthly", "--year", "2020", "--month", "9", "--format", "html",
                 "--out", str(out))
    html = out.read_text(encoding="utf-8")
    assert "示范区科技局2020年1-9月工作进展" in html
    assert "新增国家科技型中小企业3家" in html
    assert "data:image/png;base64," in html


def test_sentence_leaves_out_missing_clause():
    from jinja2 import Environment

    sentence = ANNUAL_SECTIONS[1].sentences[0]
    tpl = Environment().from_string(sentence_jinja(sentence))
    ctx = {"this_year": "今年"}
    one = {"text": "5家", "phrase": "，为历年之最"}
    assert tpl.render(f={}, **ctx) == ""
    assert tpl.render(f={"new_municipal_tech_sme": one}, **ctx) == \
        "今年新增市科技型中小企业5家，为历年之最。"
    both = {"new_national_tech_sme": one, "new_municipal_tech_sme": one}
    assert tpl.render(f=both, **ctx) == (
        "今年新增国家科技型中小企业5家，为历年之最、市科技型中小企业5家，为历年之最。")


def test_cn_ordinal():
    assert [cn_ordinal(n) for n in (1, 2, 10, 12, 25)] == ["一", "二", "十", "十二", "25"]
