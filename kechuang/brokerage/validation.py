"""Row-level rules shared by services, forms, API and importers: ``{field: Chinese message}``."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from .choices import (
    CLOSED_CASE_STATUSES,
    BrokerGrade,
    ContractKind,
    DeclineReason,
    EventKind,
    OverseasServiceKind,
    TaskStatus,
    VisitKind,
)

MIN_DATE = dt.date(2000, 1, 1)


def today() -> dt.date:
    return timezone.localdate()


def _date_error(day, label: str, *, required: bool = True) -> str | None:
    if day is None:
        return f"{label}不能为空" if required else None
    if day < MIN_DATE:
        return f"{label}不能早于{MIN_DATE:%Y-%m-%d}"
    if day > today():
        return f"{label}{day:%Y-%m-%d}晚于今天，请检查"
    return None


def broker_errors(data: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    if "name" in data and not (data["name"] or "").strip():
        errors["name"] = "姓名不能为空"
    if "organisation" in data and not (data["organisation"] or "").strip():
        errors["organisation"] = "所在机构不能为空"
    if "grade" in data and data["grade"] not in BrokerGrade.values:
        errors["grade"] = "请选择有效的经纪人等级"
    if "region" in data and data["region"] is None:
        errors["region"] = "服务区域不能为空"
    return errors


def visit_errors(data: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    msg = _date_error(data.get("visited_on"), "走访日期")
    if msg:
        errors["visited_on"] = msg
    if data.get("kind") not in VisitKind.values:
        errors["kind"] = "请选择有效的走访方式"
    if data.get("enterprise") is None:
        errors["enterprise"] = "请选择走访的企业"
    due = data.get("follow_up_due")
    if due is not None and data.get("visited_on") and due < data["visited_on"]:
        errors["follow_up_due"] = "跟进期限不能早于走访日期"
    if due is not None and not (data.get("follow_up") or "").strip():
        errors["follow_up"] = "设置了跟进期限，请填写跟进事项"
    return errors


def task_errors(data: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    if "title" in data and not (data["title"] or "").strip():
        errors["title"] = "任务名称不能为空"
    if "deadline" in data and data["deadline"] is None:
        errors["deadline"] = "完成期限不能为空"
    if "status" in data and data["status"] not in TaskStatus.values:
        errors["status"] = "请选择有效的任务状态"
    if "owner" in data and data["owner"] is None:
        errors["owner"] = "请指定责任人"
    return errors


def event_errors(data: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    if "title" in data and not (data["title"] or "").strip():
        errors["title"] = "活动名称不能为空"
    if "kind" in data and data["kind"] not in EventKind.values:
        errors["kind"] = "请选择有效的活动类型"
    if "organiser" in data and not (data["organiser"] or "").strip():
        errors["organiser"] = "主办单位不能为空"
    start, end = data.get("starts_on"), data.get("ends_on")
    if start is None:
        errors["starts_on"] = "开始日期不能为空"
    if end is None:
        errors["ends_on"] = "结束日期不能为空"
    if start and end and end < start:
        errors["ends_on"] = "结束日期不能早于开始日期"
    if not data.get("is_online") and not (data.get("venue") or "").strip():
        errors["venue"] = "线下活动请填写地点"
    return errors


def slot_errors(event, starts_at: dt.datetime | None, ends_at: dt.datetime | None,
                ) -> dict[str, str]:
    """A meeting slot must lie within the event's dates."""
    errors: dict[str, str] = {}
    if starts_at is None:
        errors["starts_at"] = "开始时间不能为空"
    if ends_at is None:
        errors["ends_at"] = "结束时间不能为空"
    if errors:
        return errors
    if ends_at <= starts_at:
        errors["ends_at"] = "结束时间应晚于开始时间"
    start_day = timezone.localtime(starts_at).date()
    end_day = timezone.localtime(ends_at).date()
    if not (event.covers(start_day) and event.covers(end_day)):
        errors["starts_at"] = (
            f"洽谈时间须在活动日期{event.starts_on:%Y-%m-%d}至{event.ends_on:%Y-%m-%d}之内")
    return errors


def contract_errors(data: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.get("kind") not in ContractKind.values:
        errors["kind"] = "请选择技术合同类型（技术开发/转让/许可/咨询/服务）"
    if not (data.get("title") or "").strip():
        errors["title"] = "合同名称不能为空"
    amount = data.get("amount")
    if amount is None:
        errors["amount"] = "合同金额不能为空"
    elif Decimal(amount) <= 0:
        errors["amount"] = "合同金额必须大于0元"
    if not (data.get("seller") or "").strip():
        errors["seller"] = "请填写卖方（技术提供方）"
    if data.get("enterprise") is None:
        errors["enterprise"] = "请选择买方企业"
    msg = _date_error(data.get("signed_on"), "签订日期")
    if msg:
        errors["signed_on"] = msg
    msg = _date_error(data.get("registered_on"), "登记日期")
    if msg:
        errors["registered_on"] = msg
    if not (data.get("registration_number") or "").strip():
        errors["registration_number"] = "请填写技术合同登记编号"
    if (data.get("signed_on") and data.get("registered_on")
            and data["registered_on"] < data["signed_on"]):
        errors["registered_on"] = "登记日期不能早于签订日期"
    return errors


def response_errors(status: str, reason: str) -> dict[str, str]:
    if status == "declined" and reason not in DeclineReason.values:
        return {"decline_reason": "婉拒须选择原因：" + "、".join(DeclineReason.labels)}
    if status == "accepted" and reason:
        return {"decline_reason": "接受时不填写婉拒原因"}
    return {}


def case_open_errors(case) -> dict[str, str]:
    if case.status in CLOSED_CASE_STATUSES:
        return {"__all__": f"案件{case.get_status_display()}，不能再登记进展或结果"}
    return {}


def overseas_errors(data: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.get("kind") not in OverseasServiceKind.values:
        errors["kind"] = "请选择服务类别（对接/引进人才项目/服务企业/解决问题）"
    msg = _date_error(data.get("occurred_on"), "日期")
    if msg:
        errors["occurred_on"] = msg
    if data.get("enterprise") is None:
        errors["enterprise"] = "请选择服务的企业"
    if data.get("engineer") is None:
        errors["engineer"] = "请选择海外工程师"
    if data.get("broker") is None and not (data.get("platform") or "").strip():
        errors["platform"] = "请填写经办的科技经纪人或平台"
    if (data.get("kind") == OverseasServiceKind.TALENT_PROJECT
            and not (data.get("project_title") or "").strip()):
        errors["project_title"] = "引进人才项目须填写项目名称"
    return errors
