"""Row rules for awards, standards and the 高企 technology field (forms, API, importers and
services share them; each returns ``{field: Chinese message}``)."""

from kechuang.achievements.techfields import is_field, is_sub_field

from .choices import AwardGrade, Level, StandardLevel, StandardRole
from .validation import MIN_YEAR, today


def hitech_field_errors(data: dict) -> dict[str, str]:
    """``hitech_field`` one of the 8 fields; ``hitech_sub_field`` a sub-field of it."""
    errors: dict[str, str] = {}
    field, sub = data.get("hitech_field") or None, data.get("hitech_sub_field") or None
    if field is not None and not is_field(field):
        errors["hitech_field"] = "请选择《国家重点支持的高新技术领域》中的一个领域"
    if sub is not None:
        if field is None:
            errors["hitech_sub_field"] = "填写子领域时须同时选择高新技术领域"
        elif "hitech_field" not in errors and not is_sub_field(sub, field):
            errors["hitech_sub_field"] = "子领域不属于所选高新技术领域"
    return errors


def award_errors(data: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not (data.get("name") or "").strip():
        errors["name"] = "奖项名称不能为空"
    if data.get("level") not in Level.values:
        errors["level"] = "请选择奖项级别"
    if data.get("grade") and data["grade"] not in AwardGrade.values:
        errors["grade"] = "请选择有效的获奖等级"
    year = data.get("year")
    if year is None:
        errors["year"] = "获奖年度不能为空"
    elif not (MIN_YEAR <= year <= today().year):
        errors["year"] = f"获奖年度应在{MIN_YEAR}至{today().year}之间"
    rank = data.get("org_rank")
    if rank is not None and rank < 1:
        errors["org_rank"] = "获奖单位排名应为正整数（第一完成单位填1）"
    return errors


def standard_errors(data: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not (data.get("code") or "").strip():
        errors["code"] = "标准编号不能为空"
    if not (data.get("name") or "").strip():
        errors["name"] = "标准名称不能为空"
    if data.get("level") not in StandardLevel.values:
        errors["level"] = "请选择标准类别"
    if data.get("role") not in StandardRole.values:
        errors["role"] = "请选择参与方式（主导制定或参与制定）"
    day = data.get("published_on")
    if day is None:
        errors["published_on"] = "发布日期不能为空"
    elif day > today():
        errors["published_on"] = "发布日期不能晚于今天"
    rank = data.get("drafting_rank")
    if rank is not None and rank < 1:
        errors["drafting_rank"] = "起草单位排名应为正整数"
    return errors
