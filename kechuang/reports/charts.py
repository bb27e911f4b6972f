"""Charts for the work summary as PNG images (matplotlib, with a CJK font if one is installed).

The font is looked up at run time (Debian ``fonts-noto-cjk`` or ``fonts-wqy-microhei``); without
one the charts are still drawn (Chinese labels may then show as boxes) and ``cjk_font()``
returns ``None`` so callers can say so.
"""

from __future__ import annotations

import io
import logging
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")
from matplotlib import font_manager
from matplotlib import pyplot as plt

log = logging.getLogger(__name__)
_FONT_HINTS = ("NotoSansCJK", "NotoSerifCJK", "SourceHanSans", "wqy-microhei", "wqy-zenhei",
               "DroidSansFallback", "simhei", "msyh")
COLORS = ("#1f5fbf", "#e8893a", "#3aa55d", "#c0392b", "#8e44ad")


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """Register and return the family name of an installed CJK font, or ``None``."""
    files = font_manager.findSystemFonts()
    for hint in _FONT_HINTS:
        for path in sorted(files):
            if hint.lower() in path.lower().replace("-", "").replace("_", "") or \
                    hint.lower() in path.lower():
                try:
                    font_manager.fontManager.addfont(path)
                    name = font_manager.FontProperties(fname=path).get_name()
                except (OSError, RuntimeError, ValueError):
                    continue
                return name
    log.warning("no CJK font found; chart labels may not render (apt-get install fonts-noto-cjk)")
    return None


def _figure(width: float = 6.4, height: float = 3.4):
    font = cjk_font()
    if font:
        plt.rcParams["font.family"] = [font]
    plt.rcParams["axes.unicode_minus"] = False
    fig, ax = plt.subplots(figsize=(width, height), dpi=110)
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def grouped_bars(title: str, categories: list[str], series: dict[str, list[float | None]],
                 unit: str) -> bytes:
    fig, ax = _figure()
    n = max(len(series), 1)
    width = 0.8 / n
    for i, (name, values) in enumerate(series.items()):
        xs = [x + (i - (n - 1) / 2) * width for x in range(len(categories))]
        vals = [v or 0 for v in values]
        bars = ax.bar(xs, vals, width, label=name, color=COLORS[i % len(COLORS)])
        ax.bar_label(bars, labels=[f"{v:g}" if v else "" for v in values], fontsize=7)
    ax.set_xticks(range(len(categories)), categories)
    ax.set_ylabel(unit)
    ax.set_title(title, fontsize=11)
    if len(series) > 1:
        ax.legend(fontsize=8, frameon=False)
    return _png(fig)


def ranking_bars(title: str, names: list[str], values: list[float], highlight: str,
                 unit: str) -> bytes:
    fig, ax = _figure()
    order = sorted(range(len(names)), key=lambda i: values[i])
    colors = [COLORS[1] if names[i] == highlight else COLORS[0] for i in order]
    bars = ax.barh([names[i] for i in order], [values[i] for i in order], color=colors)
    ax.bar_label(bars, labels=[f"{values[i]:g}" for i in order], fontsize=7)
    ax.set_xlabel(unit)
    ax.set_title(title, fontsize=11)
    return _png(fig)


def pyramid(title: str, tiers: list[tuple[str, int]]) -> bytes:
    """Centred horizontal bars, widest at the bottom (在库 → 科小 → 高企)."""
    fig, ax = _figure(5.6, 3.2)
    top = max((v for _, v in tiers), default=1) or 1
    for y, (label, value) in enumerate(tiers):
        width = max(value / top, 0.02)
        ax.barh(y, width, left=-width / 2, color=COLORS[y % len(COLORS)], height=0.8)
        ax.text(0, y, f"{label} {value}家", ha="center", va="center", color="white",
                fontsize=9, fontweight="bold")
    ax.set_xlim(-0.55, 0.55)
    ax.axis("off")
    ax.set_title(title, fontsize=11)
    return _png(fig)
