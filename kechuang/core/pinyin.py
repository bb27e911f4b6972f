"""Pinyin and initials for name search (``zhinengzhuangbei`` / ``znzb`` finds 智能装备).

Converted character by character with a per-character cache: pypinyin's phrase matching is
~40 s per 100,000 names, too slow for bulk imports, while per-character lookup is
~1 s. The cost is the phrase-level reading of a few polyphones (银行 → yinxing); search
also matches the name itself, so this only affects pinyin hits on those words.
"""

from functools import lru_cache

from pypinyin import Style, lazy_pinyin


@lru_cache(maxsize=65536)
def _char(ch: str) -> tuple[str, str]:
    if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf":
        full = lazy_pinyin(ch)[0]
        initial = lazy_pinyin(ch, style=Style.FIRST_LETTER)[0]
        return full.lower(), initial.lower()
    if ch.isalnum():
        return ch.lower(), ch.lower()
    return "", ""


def to_pinyin(text: str) -> tuple[str, str]:
    """Return ``(full pinyin, initials)`` for ``text``, lower case, no separators."""
    full, initials = [], []
    for ch in text:
        f, i = _char(ch)
        full.append(f)
        initials.append(i)
    return "".join(full), "".join(initials)
