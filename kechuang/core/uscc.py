"""统一社会信用代码 (GB 32100-2015) validation.

18 characters from ``0-9A-Z`` without I, O, Z, S, V; the last one is a check character
computed with weights 3^(i-1) mod 31 over the first 17 (``design/domain-rules.md`` §3).
"""

import re

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {c: i for i, c in enumerate(CHARSET)}
_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")

# Position 1 registration authority and the position-2 kinds it allows (§3.3).
AUTHORITY_KINDS = {
    "1": "1239", "2": "19", "3": "123459", "4": "19", "5": "1239", "6": "129",
    "7": "129", "8": "19", "9": "123", "A": "19", "N": "1239", "Y": "1",
}


def check_character(first17: str) -> str:
    total = sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def uscc_error(code: str) -> str | None:
    """Return a Chinese message saying what is wrong with ``code``, or ``None`` if valid."""
    if not isinstance(code, str) or not code:
        return "统一社会信用代码不能为空"
    if len(code) != 18:
        return f"统一社会信用代码应为18位，实际为{len(code)}位"
    if code != code.upper():
        return "统一社会信用代码中的字母应为大写"
    bad = [c for c in code if c not in _VALUE]
    if bad:
        return (f"统一社会信用代码含有不允许的字符：{''.join(dict.fromkeys(bad))}"
                "（不使用I、O、Z、S、V）")
    if not _SHAPE.match(code):
        return "统一社会信用代码第3至8位应为6位数字的行政区划码"
    kinds = AUTHORITY_KINDS.get(code[0])
    if kinds is None or code[1] not in kinds:
        return f"统一社会信用代码前两位“{code[:2]}”不是有效的登记管理部门和机构类别代码"
    expected = check_character(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验位错误：第18位应为“{expected}”"
    return None


def is_valid_uscc(code: str) -> bool:
    return uscc_error(code) is None


def make_uscc(first17: str) -> str:
    """Complete a 17-character prefix with its check character (used by the demo builder)."""
    return first17 + check_character(first17)
