"""Row-level rules for experts (shared by forms, API, importers and services)."""

import re

from kechuang.achievements.techfields import is_field
from kechuang.core.emails import email_error

from .choices import TalentProgramme

MAX_SPECIALTIES = 2_000
MAX_BIO = 5_000

PHONE = re.compile(r"^(\+?\d{1,3}[- ]?)?\d{6,14}$")
ID_NUMBER = re.compile(r"^(\d{17}[\dX]|[A-Z0-9]{6,20})$")


def as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        for sep in "，,；;、|\n":
            value = value.replace(sep, " ")
        value = value.split()
    out: list[str] = []
    for item in value:
        item = str(item).strip()
        if item and item not in out:
            out.append(item)
    return out


def expert_errors(data: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    if "name" in data:
        name = (data["name"] or "").strip()
        if not name:
            errors["name"] = "姓名不能为空"
        elif len(name) > 64:
            errors["name"] = "姓名不能超过64个字"
    bad = [f for f in data.get("fields") or [] if not is_field(f)]
    if bad:
        errors["fields"] = f"技术领域代码无效：{'、'.join(bad)}"
    for key, label, limit in (("specialties", "专业方向", MAX_SPECIALTIES),
                              ("bio", "个人简介", MAX_BIO)):
        if len(data.get(key) or "") > limit:
            errors[key] = f"{label}不能超过{limit}字，请精简"
    badp = [p for p in data.get("talent_programmes") or [] if p not in TalentProgramme.values]
    if badp:
        errors["talent_programmes"] = f"人才计划无效：{'、'.join(badp)}"
    start, end = data.get("availability_from"), data.get("availability_until")
    if start and end and end < start:
        errors["availability_until"] = "可服务截止日不能早于起始日"
    phone = (data.get("phone") or "").replace(" ", "")
    if phone and not PHONE.match(phone):
        errors["phone"] = "手机号码格式不正确"
    msg = email_error(data.get("email"))
    if msg:
        errors["email"] = msg
    idn = (data.get("id_number") or "").strip().upper()
    if idn and not ID_NUMBER.match(idn):
        errors["id_number"] = "证件号码格式不正确"
    if data.get("region", 1) is None:
        errors["region"] = "所属区域不能为空"
    return errors
