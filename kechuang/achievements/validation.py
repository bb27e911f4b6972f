"""Row-level rules for achievements (shared by forms, API, importers and services)."""

import re
from decimal import Decimal

from kechuang.demands.validation import split_keywords, word_chars

from .choices import IpType
from .techfields import is_field, is_sub_field

PATENT_NUMBER = re.compile(r"^(ZL)?\d{12}\.[\dX]$", re.I)
MAX_ABSTRACT = 20_000

__all__ = ["achievement_errors", "split_keywords"]


def achievement_errors(data: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    if "owner_name" in data and not (data["owner_name"] or "").strip():
        errors["owner_name"] = "成果持有方不能为空"
    if "title" in data:
        title = (data["title"] or "").strip()
        if word_chars(title) < 2:
            errors["title"] = "成果名称至少2个字"
        elif len(title) > 200:
            errors["title"] = "成果名称不能超过200个字"
    if "abstract" in data:
        text = (data["abstract"] or "").strip()
        if word_chars(text) < 10:
            errors["abstract"] = "成果简介至少10个字"
        elif len(text) > MAX_ABSTRACT:
            errors["abstract"] = f"成果简介不能超过{MAX_ABSTRACT}字"
    if "field" in data:
        if not data["field"]:
            errors["field"] = "请选择技术领域"
        elif not is_field(data["field"]):
            errors["field"] = "技术领域无效"
    if data.get("sub_field") and not is_sub_field(data["sub_field"], data.get("field") or None):
        errors["sub_field"] = "技术子领域与技术领域不一致"
    if data.get("price") is not None and Decimal(data["price"]) < 0:
        errors["price"] = "意向价格不能为负数"
    ip_type, number = data.get("ip_type"), (data.get("ip_number") or "").strip()
    if ip_type in (IpType.INVENTION, IpType.UTILITY, IpType.DESIGN) and number \
            and not PATENT_NUMBER.match(number.replace(" ", "")):
        errors["ip_number"] = "专利号格式应为ZL加12位数字、小数点和校验位，如ZL201910012345.6"
    if data.get("region", 1) is None:
        errors["region"] = "所属区域不能为空"
    return errors
