"""Builds the editable Word templates (docxtpl placeholders) for the work summaries.

``kechuang report template`` writes them to ``kechuang/reports/docx/`` (committed); the bureau
may edit wording, fonts and layout in Word, keeping the ``{{ … }}`` / ``{% … %}`` tags.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from .content import ANNUAL_SECTIONS, section_jinja

TEMPLATE_DIR = Path(__file__).resolve().parent / "docx"
APPENDIX_HEADERS = ("指标", "数值", "统计期间", "同比", "历年之最", "全市排名", "口径说明")
APPENDIX_FIELDS = ("name", "text", "period", "yoy", "record", "rank", "definition")


def template_path(kind: str) -> Path:
    return TEMPLATE_DIR / f"{kind}.docx"


def _base_document() -> Document:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Noto Serif CJK SC"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    style.font.size = Pt(12)
    return doc


def _para(doc, text: str, *, bold: bool = False, center: bool = False, size: int | None = None):
    p = doc.add_paragraph()
    run = p.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return p


def _chart(doc, name: str) -> None:
    doc.add_paragraph(f"{{%p if charts.{name} %}}")
    p = doc.add_paragraph(f"{{{{ charts.{name} }}}}")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("{%p endif %}")


def _appendix(doc) -> None:
    _para(doc, "附表：{{ appendix_title }}", bold=True)
    table = doc.add_table(rows=4, cols=len(APPENDIX_HEADERS))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, APPENDIX_HEADERS, strict=True):
        cell.text = header
    table.rows[1].cells[0].text = "{%tr for r in appendix %}"
    for cell, name in zip(table.rows[2].cells, APPENDIX_FIELDS, strict=True):
        cell.text = f"{{{{ r.{name} }}}}"
    table.rows[3].cells[0].text = "{%tr endfor %}"


def _gaps(doc) -> None:
    doc.add_paragraph("{%p if gaps %}")
    _para(doc, "数据缺口", bold=True)
    doc.add_paragraph("以下指标在统计期内没有可计算的记录，相关表述已从正文略去，请核实后补录：")
    doc.add_paragraph("{%p for g in gaps %}")
    doc.add_paragraph("{{ g }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")


def build_annual() -> Document:
    doc = _base_document()
    _para(doc, "{{ title }}", bold=True, center=True, size=16)
    _para(doc, "一、{{ year }}年工作总结", bold=True)
    doc.add_paragraph("{{ intro }}")
    for section in ANNUAL_SECTIONS:
        p = doc.add_paragraph()
        p.add_run(section.heading).bold = True
        p.add_run(section_jinja(section))
        for chart in section.charts:
            _chart(doc, chart)
    _para(doc, "二、{{ next_year }}年工作思路", bold=True)
    doc.add_paragraph("（由科室撰写。）")
    _gaps(doc)
    _appendix(doc)
    return doc


def build_monthly() -> Document:
    doc = _base_document()
    _para(doc, "{{ title }}", bold=True, center=True, size=16)
    doc.add_paragraph("{{ intro }}")
    for section in ANNUAL_SECTIONS:
        p = doc.add_paragraph()
        p.add_run(section.heading[3:].rstrip("。")).bold = True
        p.add_run("：")
        p.add_run(section_jinja(section))
    _chart(doc, "trend")
    _gaps(doc)
    _appendix(doc)
    return doc


BUILDERS = {"annual": build_annual, "monthly": build_monthly}


def write_templates(directory: Path = TEMPLATE_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    out = []
    for kind, build in BUILDERS.items():
        path = directory / f"{kind}.docx"
        build().save(path)
        out.append(path)
    return out


def ensure_template(kind: str) -> Path:
    """The stored template, generated on first use if the install has none."""
    path = template_path(kind)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        BUILDERS[kind]().save(path)
    return path
