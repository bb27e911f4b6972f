"""Row-level rules for technical demands (shared by forms, API, importers and services)."""

import datetime as dt
import re
from decimal import Decimal

from kechuang.achievements.techfields import is_field, is_sub_field

MIN_DESCRIPTION = 10
MAX_DESCRIPTION = 20_000


_WORD_CHAR = re.compile(r"[^\W_]")  # letters, digits and CJK (full-width too), not punctuation


def word_chars(text: str) -> int:
    """How many characters of ``text`` carry meaning: a title of "？？" or a description made
    of punctuation passed the length rules, then matched nothing."""
    return len(_WORD_CHAR.findall(text))


def clean_text(value) -> str:
    return (value or "").strip() if isinstance(value, str) or value is None else str(value)


def demand_errors(data: dict, *, today: dt.date | None = None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if "title" in data:
        title = clean_text(data["title"])
        if word_chars(title) < 2:
            errors["title"] = "需求名称至少2个字"
        elif len(title) > 200:
            errors["title"] = "需求名称不能超过200个字"
    if "description" in data:
        text = clean_text(data["description"])
        if word_chars(text) < MIN_DESCRIPTION:
            errors["description"] = f"请用至少{MIN_DESCRIPTION}个字描述遇到的技术问题和期望效果"
        elif len(text) > MAX_DESCRIPTION:
            errors["description"] = f"需求描述不能超过{MAX_DESCRIPTION}字，请精简或分成多条需求"
    if data.get("field") and not is_field(data["field"]):
        errors["field"] = "技术领域无效"
    if data.get("sub_field") and not is_sub_field(data["sub_field"], data.get("field") or None):
        errors["sub_field"] = "技术子领域与技术领域不一致"
    budget = data.get("budget")
    if budget is not None and Decimal(budget) < 0:
        errors["budget"] = "预算不能为负数"
    deadline = data.get("deadline")
    if deadline is not None and today is not None and deadline < today - dt.timedelta(days=3650):
        errors["deadline"] = "期望解决日期过早，请检查"
    kws = data.get("keywords")
    if kws is not None and (not isinstance(kws, list) or any(not isinstance(k, str) for k in kws)):
        errors["keywords"] = "关键词应为文字列表"
    return errors


def split_keywords(value) -> list[str]:
    """'a，b;c' or a list → ['a', 'b', 'c'] (deduplicated, trimmed, at most 20)."""
    if value is None:
        return []
    if isinstance(value, str):
        for sep in "，,；;、|\n":
            value = value.replace(sep, " ")
        items = value.split()
    else:
        items = [str(v).strip() for v in value]
    out: list[str] = []
    for item in items:
        item = item.strip()[:32]
        if item and item not in out:
            out.append(item)
    return out[:20]
