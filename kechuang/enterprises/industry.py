"""GB/T 4754-2017 industry codes (sections and divisions, loaded from a versioned file).

Codes are written as the section letter plus the division, group or class digits
(``C``, ``C35``, ``C351``, ``C3511``). The repository holds the 20 sections and 97 divisions;
a group or class code is accepted when its division exists in its section.
"""

import csv
import re
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "gbt4754_2017_divisions.csv"
SECTIONS = {
    "A": "农、林、牧、渔业", "B": "采矿业", "C": "制造业",
    "D": "电力、热力、燃气及水生产和供应业", "E": "建筑业", "F": "批发和零售业",
    "G": "交通运输、仓储和邮政业", "H": "住宿和餐饮业", "I": "信息传输、软件和信息技术服务业",
    "J": "金融业", "K": "房地产业", "L": "租赁和商务服务业", "M": "科学研究和技术服务业",
    "N": "水利、环境和公共设施管理业", "O": "居民服务、修理和其他服务业", "P": "教育",
    "Q": "卫生和社会工作", "R": "文化、体育和娱乐业", "S": "公共管理、社会保障和社会组织",
    "T": "国际组织",
}
INDUSTRIAL_SECTIONS = frozenset({"B", "C", "D"})
_CODE = re.compile(r"^([A-T])(\d{2}(?:\d{1,2})?)?$")


@cache
def divisions() -> dict[str, tuple[str, str]]:
    """division code → (section, name)."""
    with DATA_FILE.open(encoding="utf-8") as fh:
        return {row["division"]: (row["section"], row["name"]) for row in csv.DictReader(fh)}


def industry_error(code: str) -> str | None:
    """A Chinese message saying what is wrong with ``code``, or ``None`` if it is known."""
    if not code:
        return "行业代码不能为空"
    m = _CODE.match(code)
    if not m:
        return f"行业代码“{code}”格式不正确，应为门类字母加2至4位数字，如C3511"
    section, digits = m.group(1), m.group(2)
    if digits:
        div = divisions().get(digits[:2])
        if div is None or div[0] != section:
            return f"行业代码“{code}”不存在：大类{digits[:2]}不属于门类{section}"
    return None


def section_of(code: str) -> str:
    return code[:1] if code else ""


def division_name(code: str) -> str:
    if len(code) >= 3:
        div = divisions().get(code[1:3])
        if div:
            return div[1]
    return SECTIONS.get(code[:1], "")


def is_industrial(code: str) -> bool:
    return section_of(code) in INDUSTRIAL_SECTIONS


def choices() -> list[tuple[str, str]]:
    return [(f"{sec}{div}", f"{sec}{div} {name}") for div, (sec, name) in divisions().items()]
