"""Excel row schemas: visits, technology contracts and overseas-engineer records are
imported (through the services); every list exports with the same columns."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError

from kechuang.core.errors import OutOfScope
from kechuang.core.importing import (
    Column,
    Importer,
    ParsedRow,
    Progress,
    RowValidationError,
    register,
    service_errors,
)

from . import services
from .choices import ContractKind, OverseasServiceKind, VisitKind


def _by_uscc(codes):
    from kechuang.enterprises.models import Enterprise

    return {e.uscc: e for e in Enterprise.objects.filter(uscc__in=set(codes)).select_related(
        "region")}


class _ServiceImporter(Importer):
    """Resolve 统一社会信用代码 (and other natural keys) in ``prepare``; write via ``save``."""

    supports_update = False  # every row is a new record (走访, 技术合同, 海外工程师服务)

    def prepare(self, rows: list[ParsedRow], *, actor, update: bool) -> None:
        ents = _by_uscc(r.values.get("enterprise") for r in rows if r.values.get("enterprise"))
        for row in rows:
            code = row.values.get("enterprise")
            if code:
                if code not in ents:
                    row.errors["enterprise"] = f"统一社会信用代码{code}未在企业库登记"
                else:
                    row.values["enterprise"] = ents[code]
            self.resolve(row)

    def resolve(self, row: ParsedRow) -> None:
        """Per-row natural keys besides the enterprise."""

    def commit(self, rows, *, actor, update: bool, progress: Progress | None):
        errors = []
        for i, row in enumerate(rows, start=1):
            try:
                self.save(actor, {k: v for k, v in row.values.items() if v is not None})
            except ValidationError as exc:
                errors.extend(service_errors(self, row, exc))
            except OutOfScope as exc:
                errors.append(service_errors(self, row, ValidationError(str(exc)))[0])
            if progress:
                progress(i, len(rows))
        if errors:
            raise RowValidationError(errors)
        return len(rows), 0

    def save(self, actor, data: dict) -> None:
        raise NotImplementedError


def _broker_lookup(row: ParsedRow) -> None:
    from .models import Broker

    name = row.values.get("broker")
    if name:
        broker = Broker.objects.filter(name=name, is_active=True).first()
        if broker is None:
            row.errors["broker"] = f"科技经纪人“{name}”不存在"
        else:
            row.values["broker"] = broker


@register
class VisitImporter(_ServiceImporter):
    name = "brokerage_visits"
    label = "走访记录"
    columns = (
        Column("企业统一社会信用代码", "enterprise", "code", required=True, width=22),
        Column("科技经纪人", "broker", help="姓名；经纪人本人导入可不填"),
        Column("走访日期", "visited_on", "date", required=True),
        Column("方式", "kind", "choice", required=True, choices=tuple(VisitKind.choices)),
        Column("接洽人员", "people_met", max_length=255),
        Column("发现的问题/需求", "problems_found", width=30),
        Column("走访情况", "summary", width=30),
        Column("后续跟进事项", "follow_up", max_length=255),
        Column("跟进期限", "follow_up_due", "date"),
    )

    def resolve(self, row):
        _broker_lookup(row)

    def save(self, actor, data):
        services.log_visit(actor=actor, data=data)

    def export_rows(self, queryset, *, unmask: bool) -> Iterable[dict[str, Any]]:
        for v in queryset.select_related("enterprise", "broker"):
            yield {"enterprise": v.enterprise.uscc, "broker": v.broker.name,
                   "visited_on": v.visited_on, "kind": v.kind, "people_met": v.people_met,
                   "problems_found": v.problems_found, "summary": v.summary,
                   "follow_up": v.follow_up, "follow_up_due": v.follow_up_due}


@register
class TechContractImporter(_ServiceImporter):
    name = "tech_contracts"
    label = "技术合同"
    columns = (
        Column("登记编号", "registration_number", "code", required=True, max_length=64),
        Column("合同名称", "title", required=True, max_length=200, width=30),
        Column("合同类型", "kind", "choice", required=True, choices=tuple(ContractKind.choices)),
        Column("买方统一社会信用代码", "enterprise", "code", required=True, width=22),
        Column("卖方（技术提供方）", "seller", required=True, max_length=128),
        Column("合同金额（元）", "amount", "decimal", required=True),
        Column("签订日期", "signed_on", "date", required=True),
        Column("登记日期", "registered_on", "date", required=True),
        Column("科技经纪人", "broker"),
    )

    def resolve(self, row):
        _broker_lookup(row)

    def save(self, actor, data):
        services.register_contract(actor=actor, data=data)

    def export_rows(self, queryset, *, unmask: bool):
        for c in queryset.select_related("enterprise", "broker"):
            yield {"registration_number": c.registration_number, "title": c.title,
                   "kind": c.kind, "enterprise": c.enterprise.uscc, "seller": c.seller,
                   "amount": c.amount, "signed_on": c.signed_on,
                   "registered_on": c.registered_on,
                   "broker": c.broker.name if c.broker else None}


@register
class OverseasServiceImporter(_ServiceImporter):
    name = "overseas_services"
    label = "海外工程师服务记录"
    columns = (
        Column("类别", "kind", "choice", required=True,
               choices=tuple(OverseasServiceKind.choices)),
        Column("日期", "occurred_on", "date", required=True),
        Column("企业统一社会信用代码", "enterprise", "code", required=True, width=22),
        Column("海外工程师", "engineer", required=True, help="姓名，须已在专家库登记为海外工程师"),
        Column("科技经纪人", "broker"),
        Column("服务平台", "platform", max_length=128),
        Column("人才项目名称", "project_title", max_length=200),
        Column("内容", "description", width=30),
    )

    def resolve(self, row):
        from kechuang.experts.models import Expert

        _broker_lookup(row)
        name = row.values.get("engineer")
        if name:
            found = list(Expert.objects.filter(name=name, kind="overseas_engineer")[:2])
            if len(found) != 1:
                row.errors["engineer"] = (f"海外工程师“{name}”不存在" if not found
                                          else f"海外工程师“{name}”重名，请在系统中登记")
            else:
                row.values["engineer"] = found[0]

    def save(self, actor, data):
        services.record_overseas_service(actor=actor, data=data)

    def export_rows(self, queryset, *, unmask: bool):
        for r in queryset.select_related("enterprise", "engineer", "broker"):
            yield {"kind": r.kind, "occurred_on": r.occurred_on,
                   "enterprise": r.enterprise.uscc, "engineer": r.engineer.name,
                   "broker": r.broker.name if r.broker else None, "platform": r.platform,
                   "project_title": r.project_title, "description": r.description}


class _ExportOnly(Importer):
    def commit(self, rows, *, actor, update, progress):  # pragma: no cover - export only
        raise RowValidationError([])


@register
class CaseExporter(_ExportOnly):
    name = "brokerage_cases"
    label = "对接案件"
    columns = (Column("案件名称", "title"), Column("需求企业", "enterprise"),
               Column("负责经纪人", "owner"), Column("立案日期", "opened_on", "date"),
               Column("状态", "status"), Column("结案日期", "closed_on", "date"),
               Column("结果说明", "outcome_note"))

    def export_rows(self, queryset, *, unmask: bool):
        for c in queryset.select_related("enterprise", "owner"):
            yield {"title": c.title, "enterprise": c.enterprise.name, "owner": c.owner.name,
                   "opened_on": c.opened_on, "status": c.get_status_display(),
                   "closed_on": c.closed_on, "outcome_note": c.outcome_note}


@register
class EventExporter(_ExportOnly):
    name = "brokerage_events"
    label = "对接活动"
    columns = (Column("活动名称", "title"), Column("类型", "kind"), Column("主办单位", "organiser"),
               Column("开始日期", "starts_on", "date"), Column("结束日期", "ends_on", "date"),
               Column("地点", "venue"), Column("签到人数", "checked_in", "int"))

    def export_rows(self, queryset, *, unmask: bool):
        from django.db.models import Count, Q

        for e in queryset.annotate(n=Count("registrations", filter=Q(
                registrations__checked_in_at__isnull=False))):
            yield {"title": e.title, "kind": e.get_kind_display(), "organiser": e.organiser,
                   "starts_on": e.starts_on, "ends_on": e.ends_on,
                   "venue": "线上" if e.is_online else e.venue, "checked_in": e.n}


@register
class BrokerExporter(_ExportOnly):
    name = "brokers"
    label = "科技经纪人"
    columns = (Column("姓名", "name"), Column("所在机构", "organisation"),
               Column("证书编号", "certificate_number"), Column("等级", "grade"),
               Column("擅长领域", "fields"), Column("服务区域", "region"))

    def export_rows(self, queryset, *, unmask: bool):
        for b in queryset.select_related("region"):
            yield {"name": b.name, "organisation": b.organisation,
                   "certificate_number": b.certificate_number, "grade": b.get_grade_display(),
                   "fields": b.fields, "region": b.region.name}


@register
class TaskItemExporter(_ExportOnly):
    name = "brokerage_tasks"
    label = "专班任务"
    columns = (Column("任务", "title"), Column("专项行动", "campaign"), Column("责任人", "owner"),
               Column("完成期限", "deadline", "date"), Column("状态", "status"),
               Column("完成日期", "completed_on", "date"))

    def export_rows(self, queryset, *, unmask: bool):
        for t in queryset.select_related("owner"):
            yield {"title": t.title, "campaign": t.get_campaign_display(), "owner": str(t.owner),
                   "deadline": t.deadline, "status": t.get_status_display(),
                   "completed_on": t.completed_on}
