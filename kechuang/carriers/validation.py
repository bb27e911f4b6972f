"""Row-level rules for carriers."""

import datetime as dt

from kechuang.achievements.techfields import is_field

MAX_DESCRIPTION = 5_000


def carrier_errors(data: dict, today: dt.date | None = None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if "name" in data:
        name = (data["name"] or "").strip()
        if not name:
            errors["name"] = "载体名称不能为空"
        elif len(name) > 128:
            errors["name"] = "载体名称不能超过128个字"
    if len(data.get("description") or "") > MAX_DESCRIPTION:
        errors["description"] = f"简介不能超过{MAX_DESCRIPTION}字，请精简"
    if "kind" in data and not data["kind"]:
        errors["kind"] = "请选择载体类型"
    opened, recognized = data.get("opened_on"), data.get("recognized_on")
    if today is not None:
        for key, value in (("opened_on", opened), ("recognized_on", recognized)):
            if value and value > today:
                errors[key] = f"日期{value:%Y-%m-%d}晚于今天，请检查"
    if opened and recognized and recognized < opened:
        errors["recognized_on"] = "认定日期不能早于成立日期"
    if data.get("area") is not None and data["area"] < 0:
        errors["area"] = "面积不能为负数"
    bad = [f for f in data.get("fields") or [] if not is_field(f)]
    if bad:
        errors["fields"] = f"技术领域代码无效：{'、'.join(bad)}"
    if data.get("region", 1) is None:
        errors["region"] = "所属区域不能为空"
    return errors
