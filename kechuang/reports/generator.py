"""Generates the annual / monthly work summary from the indicator catalogue.

``build_report(kind, year, until|month, region, user)`` → ``Report`` with the rendered Word
document (docxtpl over the stored template), its HTML rendering (the same document walked
paragraph by paragraph, charts inlined), the figures used and the 数据缺口 list.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
from dataclasses import dataclass, field
from decimal import Decimal

from docx import Document
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from kechuang.indicators import catalogue
from kechuang.indicators.catalogue import Figure, Period

from . import charts
from .content import ANNUAL_SECTIONS, all_codes
from .formatting import FigureView, value_text
from .template_builder import ensure_template

TREND_YEARS = 5


@dataclass
class Report:
    kind: str
    title: str
    period: Period
    figures: dict[str, Figure]
    gaps: list[str]
    chart_names: list[str]
    docx: bytes
    font: str | None = None
    _html: str | None = field(default=None, repr=False)

    @property
    def html(self) -> str:
        if self._html is None:
            self._html = docx_to_html(self.docx)
        return self._html


def _region_name(region) -> str:
    if region is not None:
        return region.name
    from kechuang.regions.models import home_district

    home = home_district()
    return home.name if home else "本区"


def _period_label(period: Period) -> str:
    if period.end == dt.date(period.end.year, 12, 31) and period.start.month == 1:
        return "全年"
    if period.is_month_aligned:
        return f"1-{period.end.month}月" if period.end.month > 1 else "1月"
    return f"1月1日至{period.end.month}月{period.end.day}日"


def _trend_chart(period, region, user) -> bytes | None:
    codes = ("hitech_industry_value_added", "rd_expense_above_scale_industrial")
    registered = catalogue.all_indicators()
    series: dict[str, list[float | None]] = {}
    years = list(range(period.end.year - TREND_YEARS + 1, period.end.year + 1))
    for code in codes:
        if code not in registered:
            continue
        ind = registered[code]
        vals = []
        for y in years:
            v = catalogue.value_of(ind, period.shift_years(y - period.end.year), region, user)
            vals.append(float(Decimal(v) / 100_000_000) if v else None)
        if any(vals):
            series[ind.name] = vals
    if not series:
        return None
    label = _period_label(period)
    return charts.grouped_bars(f"近{TREND_YEARS}年{label}情况", [f"{y}年" for y in years],
                               series, "亿元")


def _rank_chart(fig: Figure | None) -> bytes | None:
    if fig is None or not fig.rank_in_city:
        return None
    from kechuang.indicators.models import DistrictFigure

    rows = list(DistrictFigure.objects.filter(
        indicator_code=fig.indicator.code, period_start=fig.period.start,
        period_end=fig.period.end).exclude(region__is_home=True).select_related("region"))
    home = _region_name(None)
    names = [r.region.name for r in rows] + [home]
    values = [float(r.value / 100_000_000) for r in rows] + [
        float(Decimal(fig.value) / 100_000_000)]
    return charts.ranking_bars(f"全市各区{fig.indicator.name}（{_period_label(fig.period)}）",
                               names, values, home, "亿元")


def _tiers_chart(period, region, user) -> bytes | None:
    from kechuang.enterprises.indicators import TIER_CODES

    registered = catalogue.all_indicators()
    tiers = []
    for code in TIER_CODES:
        if code in registered:
            ind = registered[code]
            tiers.append((ind.name.replace("有效", ""), catalogue.value_of(ind, period, region,
                                                                           user)))
    if not any(v for _, v in tiers):
        return None
    return charts.pyramid(f"企业梯队（截至{period.end.month}月{period.end.day}日）", tiers)


def _tech_sme_chart(period, region, user) -> bytes | None:
    registered = catalogue.all_indicators()
    codes = [c for c in ("new_national_tech_sme", "new_municipal_tech_sme") if c in registered]
    years = list(range(period.end.year - TREND_YEARS + 1, period.end.year + 1))
    series = {}
    for code in codes:
        vals = [catalogue.value_of(registered[code], period.shift_years(y - period.end.year),
                                   region, user) for y in years]
        if any(vals):
            series[registered[code].name] = vals
    if not series:
        return None
    return charts.grouped_bars(f"近{TREND_YEARS}年新增科技型中小企业（{_period_label(period)}）",
                               [f"{y}年" for y in years], series, "家")


def build_report(kind: str, *, year: int, until: dt.date | None = None,
                 month: int | None = None, region=None, user=None) -> Report:
    with catalogue.memoized():
        return _build_report(kind, year=year, until=until, month=month, region=region,
                             user=user)


def _build_report(kind: str, *, year: int, until: dt.date | None, month: int | None, region,
                  user) -> Report:
    if kind == "monthly":
        if not month:
            raise ValueError("月度报告需要月份")
        period = Period.ytd(year, month)
    else:
        period = Period.year(year, until)
    registered = catalogue.all_indicators()
    codes = all_codes(ANNUAL_SECTIONS)
    figs: dict[str, Figure] = {}
    views: dict[str, FigureView] = {}
    gaps: list[str] = []
    for code in codes:
        ind = registered.get(code)
        if ind is None:
            module = catalogue.EXPECTED_CODES.get(code, "")
            gaps.append(f"{code}：尚无模块登记该指标（待{module}模块）")
            continue
        fig = catalogue.figure(ind, period, region, user)
        figs[code] = fig
        if fig.has_data:
            views[code] = FigureView.of(fig)
        else:
            gaps.append(f"{ind.name}（{code}）：{period.label()}无记录")
    # figures outside the narrative (tiers etc.) still go to the appendix
    for code, ind in registered.items():
        if code not in figs:
            figs[code] = catalogue.figure(ind, period, region, user)

    tpl = DocxTemplate(str(ensure_template(kind)))
    images = {
        "trend": _trend_chart(period, region, user),
        "rank": _rank_chart(figs.get("hitech_industry_value_added")),
        "tiers": _tiers_chart(period, region, user),
        "tech_sme": _tech_sme_chart(period, region, user),
    }
    chart_ctx = {name: InlineImage(tpl, io.BytesIO(png), width=Mm(150))
                 for name, png in images.items() if png}
    name = _region_name(region)
    label = _period_label(period)
    if kind == "monthly":
        title = f"{name}科技局{year}年1-{month}月工作进展"
        intro = (f"{year}年1-{month}月，{name}科技工作主要指标进展如下"
                 f"（数据截至{period.end:%Y年%m月%d日}）。")
    else:
        title = f"{name}科技局{year}年度工作总结及{year + 1}年工作思路"
        intro = (f"{year}年以来，区科技局围绕全区科技创新工作部署，推动全区科技综合实力和"
                 f"科技进步水平取得新提升。本总结所列数据均取自科创平台记录，统计截至"
                 f"{period.end:%Y年%m月%d日}。")
    appendix = []
    for code in sorted(figs, key=lambda c: (figs[c].indicator.module, c)):
        fig = figs[code]
        v = FigureView.of(fig)
        appendix.append({
            "name": fig.indicator.name, "text": v.text if fig.has_data else "无记录",
            "period": f"{fig.period.label()}（{fig.indicator.semantics_label}）",
            "yoy": v.yoy or "—", "record": v.record or "—", "rank": v.rank or "—",
            "definition": fig.indicator.definition, "code": code,
        })
    context = {
        "title": title, "intro": intro, "year": year, "next_year": year + 1,
        "period_label": label,
        "this_year": "今年" if label == "全年" or kind == "annual" else label,
        "f": views, "charts": chart_ctx, "gaps": gaps,
        "appendix": appendix, "appendix_title": f"主要指标一览（{period.label()}）",
    }
    tpl.render(context, autoescape=True)
    buf = io.BytesIO()
    tpl.save(buf)
    return Report(kind=kind, title=title, period=period, figures=figs, gaps=gaps,
                  chart_names=[n for n, png in images.items() if png], docx=buf.getvalue(),
                  font=charts.cjk_font())


# --- HTML rendering of the generated document -------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_to_html(content: bytes) -> str:
    """Walk the rendered document (paragraphs, charts, tables) into simple HTML."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = Document(io.BytesIO(content))
    rels = doc.part.related_parts
    out = ['<article class="kc-report">']
    for el in doc.element.body.iterchildren():
        if el.tag == f"{_W}p":
            para = Paragraph(el, doc)
            blips = el.xpath(".//a:blip/@r:embed")
            for rid in blips:
                blob = rels[rid].blob
                out.append('<p class="text-center"><img class="img-fluid" alt="图表" '
                           f'src="data:image/png;base64,{base64.b64encode(blob).decode()}"></p>')
            if not para.text.strip():
                continue
            center = para.alignment is not None and int(para.alignment) == 1
            inner = "".join(
                f"<strong>{html.escape(r.text)}</strong>" if r.bold else html.escape(r.text)
                for r in para.runs)
            cls = ' class="text-center h5"' if center else ""
            out.append(f"<p{cls}>{inner}</p>")
        elif el.tag == f"{_W}tbl":
            table = Table(el, doc)
            out.append('<table class="table table-sm table-bordered small">')
            for i, row in enumerate(table.rows):
                tag = "th" if i == 0 else "td"
                cells = "".join(f"<{tag}>{html.escape(c.text)}</{tag}>" for c in row.cells)
                out.append(f"<tr>{cells}</tr>")
            out.append("</table>")
    out.append("</article>")
    return "\n".join(out)


def figure_text(fig: Figure) -> str:
    return value_text(fig)
