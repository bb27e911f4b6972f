"""National code checks: 统一社会信用代码 (GB 32100-2015) and GB/T 4754-2017 industry codes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_VALUES = {c: i for i, c in enumerate(USCC_CHARSET)}
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ORG_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character (position 18) for the first 17 characters."""
    s = sum(USCC_VALUES[c] * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - s % 31) % 31]


@lru_cache(maxsize=4096)
def uscc_problem(code: str) -> str | None:
    """None when ``code`` is a well-formed USCC with a correct check character,
    otherwise a Chinese explanation of what is wrong."""
    if len(code) != 18:
        return f"统一社会信用代码应为18位，实际为{len(code)}位"
    if not USCC_RE.match(code):
        bad = [c for c in code if c not in USCC_VALUES]
        if bad:
            chars = "".join(dict.fromkeys(bad))
            return f"统一社会信用代码含有不允许的字符“{chars}”（不使用I、O、S、V、Z）"
        return "统一社会信用代码格式错误（第3–8位应为数字行政区划码）"
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验位错误（第18位应为“{expected}”，实际为“{code[17]}”）"
    return None


@lru_cache(maxsize=4096)
def org_code_check_ok(code: str) -> bool:
    """Optional GB 11714 check of positions 9–17 (a failure is only a warning)."""
    body, check = code[8:16], code[16]
    try:
        s = sum(ORG_CHARS.index(c) * w for c, w in zip(body, ORG_WEIGHTS, strict=True))
    except ValueError:
        return False
    c9 = 11 - s % 11
    expected = "X" if c9 == 10 else "0" if c9 == 11 else str(c9)
    return check == expected


# GB/T 4754-2017 sections and their division ranges (domain-rules.md §5; confidence R).
SECTIONS: dict[str, tuple[int, int, str]] = {
    "A": (1, 5, "农、林、牧、渔业"),
    "B": (6, 12, "采矿业"),
    "C": (13, 43, "制造业"),
    "D": (44, 46, "电力、热力、燃气及水生产和供应业"),
    "E": (47, 50, "建筑业"),
    "F": (51, 52, "批发和零售业"),
    "G": (53, 60, "交通运输、仓储和邮政业"),
    "H": (61, 62, "住宿和餐饮业"),
    "I": (63, 65, "信息传输、软件和信息技术服务业"),
    "J": (66, 69, "金融业"),
    "K": (70, 70, "房地产业"),
    "L": (71, 72, "租赁和商务服务业"),
    "M": (73, 75, "科学研究和技术服务业"),
    "N": (76, 79, "水利、环境和公共设施管理业"),
    "O": (80, 82, "居民服务、修理和其他服务业"),
    "P": (83, 83, "教育"),
    "Q": (84, 85, "卫生和社会工作"),
    "R": (86, 90, "文化、体育和娱乐业"),
    "S": (91, 96, "公共管理、社会保障和社会组织"),
    "T": (97, 97, "国际组织"),
}
INDUSTRY_RE = re.compile(r"^([A-Ta-t])?(\d{2,4})$")


@dataclass(frozen=True, slots=True)
class IndustryCode:
    """A normalised GB/T 4754 code: section letter + division (+ group/class) digits."""

    section: str
    digits: str

    @property
    def code(self) -> str:
        return self.section + self.digits

    @property
    def division(self) -> int:
        return int(self.digits[:2])

    @property
    def section_name(self) -> str:
        return SECTIONS[self.section][2]


def section_of_division(division: int) -> str | None:
    for letter, (lo, hi, _name) in SECTIONS.items():
        if lo <= division <= hi:
            return letter
    return None


@lru_cache(maxsize=4096)
def parse_industry_code(raw: str) -> IndustryCode | str:
    """Parse "C3511" (or "3511"); returns the code, or a Chinese error message."""
    m = INDUSTRY_RE.match(raw.strip())
    if not m:
        return "行业代码格式错误，应为门类字母加2–4位数字，如“C3511”"
    letter, digits = m.group(1), m.group(2)
    section = section_of_division(int(digits[:2]))
    if section is None:
        return f"行业大类代码“{digits[:2]}”不存在（应为01–97）"
    if letter is not None and letter.upper() != section:
        return f"行业代码门类“{letter.upper()}”与大类“{digits[:2]}”不符（应为“{section}”）"
    return IndustryCode(section, digits)
