"""Excel row schemas for the enterprise registry; every write goes through services."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from kechuang.accounts.scope import region_allowed
from kechuang.achievements.techfields import SUB_FIELD_CHOICES, TechField
from kechuang.audit import record
from kechuang.audit.events import CREATE, IMPORT
from kechuang.core import bulk, changes
from kechuang.core.importing import (
    CellError,
    Column,
    Importer,
    ParsedRow,
    Progress,
    RowValidationError,
    register,
    service_errors,
)
from kechuang.core.masking import mask_email, mask_name, mask_phone
from kechuang.core.pinyin import to_pinyin
from kechuang.regions.models import Region

from . import services
from .choices import (
    AwardGrade,
    CertificationKind,
    CertificationStatus,
    LegalForm,
    Level,
    StandardLevel,
    StandardRole,
    TaxCollection,
)
from .filtersets import AnnualIndicatorFilterSet, CertificationFilterSet, EnterpriseFilterSet
from .models import AnnualIndicator, Award, Certification, Enterprise, Standard
from .recognition import award_errors, hitech_field_errors, standard_errors
from .record_filters import AwardFilterSet, StandardFilterSet
from .validation import certification_errors, enterprise_errors, indicator_errors

BATCH = 2000


def _region_lookup() -> dict[str, Region]:
    """Regions of the home district by code and by name."""
    lookup: dict[str, Region] = {}
    for region in Region.objects.filter(kind__in=["district", "subdistrict", "park"]):
        lookup.setdefault(region.name, region)
        lookup[region.code] = region
    return lookup


def _enterprise_lookup(codes: Iterable[str]) -> dict[str, Enterprise]:
    codes = list(set(codes))
    found: dict[str, Enterprise] = {}
    for i in range(0, len(codes), 900):
        for e in Enterprise.objects.filter(uscc__in=codes[i:i + 900]).select_related("region"):
            found[e.uscc] = e
    return found


def _enterprise_record_rows(columns, queryset) -> Iterable[dict[str, Any]]:
    """Export rows of records that belong to an enterprise (indicators, certifications, awards,
    standards): the template's columns, with the enterprise's code and name."""
    for obj in queryset.select_related("enterprise").iterator(chunk_size=2000):
        row = {c.field: getattr(obj, c.field, None) for c in columns}
        row["uscc"], row["enterprise_name"] = obj.enterprise.uscc, obj.enterprise.name
        yield row


@register
class EnterpriseImporter(Importer):
    model = Enterprise
    filterset_class = EnterpriseFilterSet
    name = "enterprises"
    label = "企业"
    key_field = "uscc"
    columns = (
        Column("统一社会信用代码", "uscc", "code", required=True, max_length=18, width=22,
               help="18位，含校验位（GB 32100）"),
        Column("企业名称", "name", required=True, max_length=128, width=30),
        Column("所属区域", "region", required=True, width=16,
               help="填写街道/园区名称或区划代码"),
        Column("行业代码", "industry_code", "code", required=True, max_length=5,
               help="GB/T 4754-2017，门类字母加数字，如C3511"),
        Column("成立日期", "established_on", "date", required=True, width=12),
        Column("企业类型", "legal_form", "choice", choices=tuple(LegalForm.choices)),
        Column("注册资本（元）", "registered_capital", "decimal"),
        Column("注册地址", "address", max_length=255, width=30),
        Column("所得税征收方式", "tax_collection", "choice",
               choices=tuple(TaxCollection.choices)),
        Column("无重大事故与失信记录", "is_credit_clean", "bool"),
        Column("法定代表人", "legal_representative", max_length=64, personal=True),
        Column("联系人", "contact_name", max_length=64, personal=True),
        Column("联系电话", "contact_phone", "code", max_length=32, personal=True),
        Column("电子邮箱", "contact_email", "email", max_length=254, personal=True),
        Column("高新技术领域", "hitech_field", "choice", choices=tuple(TechField.choices),
               width=18, help="《国家重点支持的高新技术领域》八个领域之一"),
        Column("高新技术子领域", "hitech_sub_field", "choice", choices=tuple(SUB_FIELD_CHOICES),
               width=30, help="须属于所填领域"),
    )
    instructions = ("5. 勾选“按代码更新”时，已登记的统一社会信用代码将更新该企业；否则视为重复。",
                    "6. 导出文件中打码的个人信息（含****）导入时视为不修改。")

    def prepare(self, rows: list[ParsedRow], *, actor, update: bool) -> None:
        regions = _region_lookup()
        existing = _enterprise_lookup(r.values.get("uscc") for r in rows if r.values.get("uscc"))
        seen: dict[str, int] = {}
        for row in rows:
            v = row.values
            name = v.get("region")
            if name is not None:
                region = regions.get(name)
                if region is None:
                    row.errors["region"] = f"所属区域“{name}”不存在"
                elif actor is not None and not region_allowed(actor, region):
                    row.errors["region"] = f"所属区域“{name}”不在您的数据权限范围内"
                else:
                    v["region"] = region
            code = v.get("uscc")
            if code:
                if code in seen:
                    row.errors["uscc"] = f"统一社会信用代码与第{seen[code]}行重复"
                else:
                    seen[code] = row.number
                if code in existing:
                    if not update:
                        row.errors.setdefault(
                            "uscc", f"统一社会信用代码{code}已登记（如需更新请选择按代码更新）")
                    elif actor is not None and not region_allowed(actor, existing[code].region):
                        row.errors.setdefault("uscc", "该企业不在您的数据权限范围内")
            checked = {k: v[k] for k in ("uscc", "name", "industry_code", "established_on",
                                          "registered_capital") if k in v}
            for field_name, message in enterprise_errors(checked).items():
                row.errors.setdefault(field_name, message)
            if "hitech_field" in row.present or "hitech_sub_field" in row.present:
                current = existing.get(code or "")
                stated = {k: v.get(k) if k in row.present else getattr(current, k, None)
                          for k in ("hitech_field", "hitech_sub_field")}
                for field_name, message in hitech_field_errors(stated).items():
                    row.errors.setdefault(field_name, message)
        self._existing = existing

    def commit(self, rows: list[ParsedRow], *, actor, update: bool,
               progress: Progress | None) -> tuple[int, int]:
        existing = self._existing
        created: list[dict[str, Any]] = []
        updates: list[tuple[Enterprise, dict | None]] = []
        total = len(rows)
        for i, row in enumerate(rows, start=1):
            data = {k: val for k, val in row.values.items() if val is not None
                    or k in row.present}
            current = existing.get(data.get("uscc", ""))
            if current is not None:
                before = record.snapshot(current)
                for key, value in data.items():
                    setattr(current, key, value)
                current.name_pinyin, current.name_initials = to_pinyin(current.name)
                current.updated_by = actor
                updates.append((current, before))
            else:
                for key, default in (("legal_form", LegalForm.LIMITED),
                                     ("tax_collection", TaxCollection.AUDITED),
                                     ("is_credit_clean", True)):
                    if data.get(key) is None:
                        data[key] = default
                # (``data`` holds no None values: blank text columns get the field default "")
                created.append(data)
            if progress and (i % BATCH == 0 or i == total):
                progress(i, total)
        records = _insert_enterprises(created, actor)
        if updates:
            fields = [c.field for c in self.columns] + ["name_pinyin", "name_initials",
                                                        "updated_by"]
            Enterprise.objects.bulk_update([u for u, _ in updates], fields, batch_size=BATCH)
        record.write_rows(CREATE, Enterprise, records, actor=actor, message="Excel导入")
        record.write_pairs(IMPORT, updates, actor=actor, message="Excel导入（按代码更新）")
        # assessment inputs may have changed
        changes.notify_many_on_commit(services.ENTERPRISE_DATA, [e.pk for e, _ in updates])
        return len(created), len(updates)

    def export_rows(self, queryset, *, unmask: bool) -> Iterable[dict[str, Any]]:
        for e in queryset.select_related("region").iterator(chunk_size=2000):
            yield {
                "uscc": e.uscc, "name": e.name, "region": e.region.name,
                "industry_code": e.industry_code, "established_on": e.established_on,
                "legal_form": e.legal_form, "registered_capital": e.registered_capital,
                "address": e.address, "tax_collection": e.tax_collection,
                "is_credit_clean": e.is_credit_clean,
                "legal_representative": e.legal_representative if unmask
                else mask_name(e.legal_representative),
                "contact_name": e.contact_name if unmask else mask_name(e.contact_name),
                "contact_phone": e.contact_phone if unmask else mask_phone(e.contact_phone),
                "contact_email": e.contact_email if unmask else mask_email(e.contact_email),
                "hitech_field": e.hitech_field, "hitech_sub_field": e.hitech_sub_field,
            }



def _insert_enterprises(created: list[dict[str, Any]], actor) -> list[tuple[int, str, dict]]:
    """Insert new enterprises (``{field name: value}`` each) in multi-row INSERTs.

    Same rows as ``Enterprise(**data, created_by=actor, updated_by=actor)`` with the name
    stripped and its pinyin, then ``bulk_create``; returns ``(pk, str(enterprise), snapshot)``
    per row, in order, for the change records.
    """
    if not created:
        return []
    fields = bulk.insert_fields(Enterprise)
    by_name = {f.name: f for f in fields}
    now = timezone.now()
    actor_id = actor.pk if actor is not None else None
    fixed: dict[str, Any] = {"created_at": now, "updated_at": now, "created_by_id": actor_id,
                             "updated_by_id": actor_id}
    defaults: dict[str, Any] = {}
    for f in fields:
        if f.attname in fixed or f.name in {"uscc", "name", "region"}:
            continue
        if f.has_default() and callable(f.default):
            raise RuntimeError(f"Enterprise.{f.name} has a callable default")
        defaults[f.name] = f.get_default()
    unknown = {k for row in created for k in row} - set(by_name)
    if unknown:
        raise RuntimeError(f"not Enterprise fields: {sorted(unknown)}")
    attnames = [f.attname for f in fields]
    values = []
    for data in created:
        name = data["name"].strip()
        pinyin, initials = to_pinyin(name)
        v = {"id": None, **fixed, **defaults, **data}
        v["name"] = name
        v["name_pinyin"] = pinyin
        v["name_initials"] = initials
        v["region_id"] = v.pop("region").pk
        values.append(v)
    rows = [[v[a] for a in attnames] for v in values]
    if bulk.can_return_rows(Enterprise):
        ids = dict(bulk.insert_rows(Enterprise, fields, rows,
                                    returning=(by_name["uscc"], Enterprise._meta.pk)))
    else:
        bulk.insert_rows(Enterprise, fields, rows)
        ids = {uscc: e.pk for uscc, e in _enterprise_lookup(v["uscc"] for v in values).items()}
    out = []
    for v in values:
        v["id"] = ids[v["uscc"]]
        out.append((v["id"], v["name"], record.snapshot_values(Enterprise, v)))
    return out

_INDICATOR_COLUMNS = (
    Column("统一社会信用代码", "uscc", "code", required=True, max_length=18, width=22),
    Column("企业名称", "enterprise_name", width=30, help="仅供核对，不导入"),
    Column("年度", "year", "int", required=True, width=8),
    Column("职工总数（人）", "staff_total", "int"),
    Column("科技人员数（人）", "st_staff", "int"),
    Column("销售收入（元）", "sales_revenue", "decimal", help="主营业务收入+其他业务收入"),
    Column("主营业务收入（元）", "main_business_revenue", "decimal"),
    Column("收入总额（元）", "total_income", "decimal"),
    Column("不征税收入（元）", "non_taxable_income", "decimal"),
    Column("研发费用（元）", "rd_expense", "decimal", help="加计扣除口径"),
    Column("境内研发费用（元）", "rd_expense_domestic", "decimal"),
    Column("成本费用支出总额（元）", "cost_expense_total", "decimal"),
    Column("资产总额（元）", "total_assets", "decimal"),
    Column("负债总额（元）", "total_liabilities", "decimal"),
    Column("高新技术产品（服务）收入（元）", "hitech_revenue", "decimal"),
    Column("Ⅰ类知识产权（项）", "ip_class1", "int"),
    Column("Ⅱ类知识产权（项）", "ip_class2", "int"),
    Column("已用于高企申报的Ⅱ类知识产权（项）", "ip_class2_used", "int"),
    Column("科技成果转化数（项）", "conversions", "int"),
)


@register
class AnnualIndicatorImporter(Importer):
    model = AnnualIndicator
    filterset_class = AnnualIndicatorFilterSet
    name = "indicators"
    label = "年度指标"
    key_field = "uscc"
    columns = _INDICATOR_COLUMNS
    instructions = ("5. 同一企业同一年度已有数据时：勾选“按代码更新”则覆盖所填列，否则视为重复。",)

    def prepare(self, rows: list[ParsedRow], *, actor, update: bool) -> None:
        enterprises = _enterprise_lookup(r.values["uscc"] for r in rows if r.values.get("uscc"))
        ids = [e.pk for e in enterprises.values()]
        existing: set[tuple[int, int]] = set()
        for i in range(0, len(ids), 900):
            existing.update(AnnualIndicator.objects.filter(enterprise_id__in=ids[i:i + 900])
                            .values_list("enterprise_id", "year"))
        seen: dict[tuple[str, int], int] = {}
        for row in rows:
            v = row.values
            ent = enterprises.get(v.get("uscc") or "")
            if v.get("uscc") and ent is None:
                row.errors.setdefault("uscc", f"统一社会信用代码{v['uscc']}未登记，请先导入企业")
            elif ent is not None and actor is not None and not region_allowed(actor, ent.region):
                row.errors.setdefault("uscc", "该企业不在您的数据权限范围内")
            year = v.get("year")
            if ent is not None and year is not None:
                key = (ent.uscc, year)
                if key in seen:
                    row.errors.setdefault("year", f"与第{seen[key]}行的企业和年度重复")
                seen[key] = row.number
                if (ent.pk, year) in existing and not update:
                    row.errors.setdefault(
                        "year", f"该企业{year}年度指标已存在（如需更新请选择按代码更新）")
            figures = {k: val for k, val in v.items() if k not in {"uscc", "year",
                                                                  "enterprise_name"}}
            if "year" not in row.errors:
                for field_name, message in indicator_errors(figures, year).items():
                    row.errors.setdefault(field_name, message)
            v["_enterprise"] = ent

    def commit(self, rows: list[ParsedRow], *, actor, update: bool,
               progress: Progress | None) -> tuple[int, int]:
        created = updated = 0
        total = len(rows)
        for i, row in enumerate(rows, start=1):
            data = {k: val for k, val in row.values.items()
                    if k in row.present and not k.startswith("_")
                    and k not in {"uscc", "year", "enterprise_name"}}
            ent = row.values["_enterprise"]
            exists = AnnualIndicator.objects.filter(enterprise=ent, year=row.values["year"])
            was_there = exists.exists()
            try:
                services.record_annual_indicator(actor=actor, enterprise=ent,
                                                 year=row.values["year"], data=data)
            except ValidationError as exc:
                raise RowValidationError(service_errors(self, row, exc)) from exc
            updated += was_there
            created += not was_there
            if progress and (i % 500 == 0 or i == total):
                progress(i, total)
        return created, updated

    def export_rows(self, queryset, *, unmask: bool) -> Iterable[dict[str, Any]]:
        return _enterprise_record_rows(self.columns, queryset)


@register
class CertificationImporter(Importer):
    model = Certification
    filterset_class = CertificationFilterSet
    name = "certifications"
    label = "资质认定"
    key_field = "uscc"
    columns = (
        Column("统一社会信用代码", "uscc", "code", required=True, max_length=18, width=22),
        Column("企业名称", "enterprise_name", width=30, help="仅供核对，不导入"),
        Column("类别", "kind", "choice", required=True, choices=tuple(CertificationKind.choices),
               width=20),
        Column("年度", "year", "int", required=True, width=8),
        Column("状态", "status", "choice", required=True,
               choices=tuple(CertificationStatus.choices)),
        Column("证书/登记编号", "number", "code", max_length=32, width=22,
               help="高企证书编号GR开头；科小入库登记编号"),
        Column("名称", "name", max_length=128, help="研发机构名称"),
        Column("级别", "level", "choice", choices=tuple(Level.choices)),
        Column("申报日期", "applied_on", "date"),
        Column("认定/发证日期", "issued_on", "date"),
        Column("有效期至", "valid_until", "date", help="不填则按规则计算"),
        Column("首次申报", "is_first_application", "bool"),
        Column("备注", "note", max_length=255),
    )

    def prepare(self, rows: list[ParsedRow], *, actor, update: bool) -> None:
        enterprises = _enterprise_lookup(r.values["uscc"] for r in rows if r.values.get("uscc"))
        seen: dict[tuple, int] = {}
        for row in rows:
            v = row.values
            ent = enterprises.get(v.get("uscc") or "")
            if v.get("uscc") and ent is None:
                row.errors.setdefault("uscc", f"统一社会信用代码{v['uscc']}未登记，请先导入企业")
            elif ent is not None and actor is not None and not region_allowed(actor, ent.region):
                row.errors.setdefault("uscc", "该企业不在您的数据权限范围内")
            key = (v.get("uscc"), v.get("kind"), v.get("year"), v.get("name") or "")
            if key in seen:
                row.errors.setdefault("year", f"与第{seen[key]}行重复")
            seen[key] = row.number
            errors, _ = certification_errors({k: v.get(k) for k in (
                "kind", "year", "status", "number", "name", "level", "applied_on", "issued_on")})
            for field_name, message in errors.items():
                row.errors.setdefault(field_name, message)
            v["_enterprise"] = ent

    def commit(self, rows: list[ParsedRow], *, actor, update: bool,
               progress: Progress | None) -> tuple[int, int]:
        created = updated = 0
        for i, row in enumerate(rows, start=1):
            v = row.values
            data = {k: val for k, val in v.items() if k in row.present
                    and not k.startswith("_") and k not in {"uscc", "enterprise_name"}}
            ent = v["_enterprise"]
            current = Certification.objects.filter(
                enterprise=ent, kind=v["kind"], year=v["year"], name=v.get("name") or ""
            ).first()
            if current is not None and not update:
                raise RowValidationError([CellError(row.number, "年度",
                                                    "该企业该年度已有此类资质记录（如需更新请选择按代码更新）")])
            try:
                services.record_certification(actor=actor, enterprise=ent, data=data,
                                              certification=current)
            except ValidationError as exc:
                raise RowValidationError(service_errors(self, row, exc)) from exc
            if current is None:
                created += 1
            else:
                updated += 1
            if progress and (i % 500 == 0 or i == len(rows)):
                progress(i, len(rows))
        return created, updated

    def export_rows(self, queryset, *, unmask: bool) -> Iterable[dict[str, Any]]:
        return _enterprise_record_rows(self.columns, queryset)


def _child_prepare(rows: list[ParsedRow], *, actor, key, errors_of) -> None:
    """Shared checks of the award/standard sheets: the enterprise is registered and in scope,
    no duplicate key within the file, the row rules."""
    enterprises = _enterprise_lookup(r.values["uscc"] for r in rows if r.values.get("uscc"))
    seen: dict[tuple, int] = {}
    for row in rows:
        v = row.values
        ent = enterprises.get(v.get("uscc") or "")
        if v.get("uscc") and ent is None:
            row.errors.setdefault("uscc", f"统一社会信用代码{v['uscc']}未登记，请先导入企业")
        elif ent is not None and actor is not None and not region_allowed(actor, ent.region):
            row.errors.setdefault("uscc", "该企业不在您的数据权限范围内")
        field_name, value = key(v)
        if v.get("uscc") and value is not None:
            k = (v["uscc"], value)
            if k in seen:
                row.errors.setdefault(field_name, f"与第{seen[k]}行重复")
            seen[k] = row.number
        for name, message in errors_of(v).items():
            row.errors.setdefault(name, message)
        v["_enterprise"] = ent


def _child_commit(importer: Importer, rows: list[ParsedRow], *, actor, update: bool,
                  progress: Progress | None, find, save, duplicate_cell) -> tuple[int, int]:
    created = updated = 0
    for i, row in enumerate(rows, start=1):
        v = row.values
        data = {k: val for k, val in v.items() if k in row.present
                and not k.startswith("_") and k not in {"uscc", "enterprise_name"}}
        ent = v["_enterprise"]
        current = find(ent, v)
        if current is not None and not update:
            raise RowValidationError([CellError(row.number, *duplicate_cell)])
        try:
            save(ent, data, current)
        except ValidationError as exc:
            raise RowValidationError(service_errors(importer, row, exc)) from exc
        if current is None:
            created += 1
        else:
            updated += 1
        if progress and (i % 500 == 0 or i == len(rows)):
            progress(i, len(rows))
    return created, updated


@register
class AwardImporter(Importer):
    model = Award
    filterset_class = AwardFilterSet
    name = "awards"
    label = "科技奖励"
    key_field = "uscc"
    columns = (
        Column("统一社会信用代码", "uscc", "code", required=True, max_length=18, width=22),
        Column("企业名称", "enterprise_name", width=30, help="仅供核对，不导入"),
        Column("奖项名称", "name", required=True, max_length=128, width=24,
               help="如国家科学技术进步奖"),
        Column("获奖项目", "project", max_length=255, width=30),
        Column("级别", "level", "choice", required=True, choices=tuple(Level.choices)),
        Column("等级", "grade", "choice", choices=tuple(AwardGrade.choices)),
        Column("获奖单位排名", "org_rank", "int", help="第一完成单位填1"),
        Column("获奖年度", "year", "int", required=True, width=10),
        Column("授奖部门", "issuer", max_length=128, width=20),
        Column("证书编号", "certificate_number", "code", max_length=64, width=20),
        Column("备注", "note", max_length=255),
    )
    instructions = ("5. 同一企业同一年度同一奖项、同一获奖项目已登记时：",
                    "   勾选“按代码更新”则覆盖所填列，否则视为重复。")

    def prepare(self, rows: list[ParsedRow], *, actor, update: bool) -> None:
        _child_prepare(
            rows, actor=actor,
            key=lambda v: ("name", (v.get("name"), v.get("year"), v.get("project") or "")),
            errors_of=lambda v: award_errors({k: v.get(k) for k in (
                "name", "level", "grade", "org_rank", "year")}))

    def commit(self, rows: list[ParsedRow], *, actor, update: bool,
               progress: Progress | None) -> tuple[int, int]:
        return _child_commit(
            self, rows, actor=actor, update=update, progress=progress,
            find=lambda ent, v: Award.objects.filter(
                enterprise=ent, name=v["name"].strip(), year=v["year"],
                project=(v.get("project") or "").strip()).first(),
            save=lambda ent, data, current: services.record_award(
                actor=actor, enterprise=ent, data=data, award=current),
            duplicate_cell=("奖项名称", "该企业已登记此奖项（如需更新请选择按代码更新）"))

    def export_rows(self, queryset, *, unmask: bool) -> Iterable[dict[str, Any]]:
        return _enterprise_record_rows(self.columns, queryset)


@register
class StandardImporter(Importer):
    model = Standard
    filterset_class = StandardFilterSet
    name = "standards"
    label = "标准制定"
    key_field = "uscc"
    columns = (
        Column("统一社会信用代码", "uscc", "code", required=True, max_length=18, width=22),
        Column("企业名称", "enterprise_name", width=30, help="仅供核对，不导入"),
        Column("标准编号", "code", required=True, max_length=64, width=22,
               help="如GB/T 12345-2019"),
        Column("标准名称", "name", required=True, max_length=255, width=30),
        Column("标准类别", "level", "choice", required=True,
               choices=tuple(StandardLevel.choices)),
        Column("参与方式", "role", "choice", required=True, choices=tuple(StandardRole.choices)),
        Column("起草单位排名", "drafting_rank", "int"),
        Column("发布日期", "published_on", "date", required=True, width=12),
        Column("备注", "note", max_length=255),
    )
    instructions = ("5. 同一企业同一标准编号已登记时：勾选“按代码更新”则覆盖所填列，",
                    "   否则视为重复。")

    def prepare(self, rows: list[ParsedRow], *, actor, update: bool) -> None:
        _child_prepare(
            rows, actor=actor, key=lambda v: ("code", v.get("code")),
            errors_of=lambda v: standard_errors({k: v.get(k) for k in (
                "code", "name", "level", "role", "drafting_rank", "published_on")}))

    def commit(self, rows: list[ParsedRow], *, actor, update: bool,
               progress: Progress | None) -> tuple[int, int]:
        return _child_commit(
            self, rows, actor=actor, update=update, progress=progress,
            find=lambda ent, v: Standard.objects.filter(enterprise=ent,
                                                        code=v["code"].strip()).first(),
            save=lambda ent, data, current: services.record_standard(
                actor=actor, enterprise=ent, data=data, standard=current),
            duplicate_cell=("标准编号", "该企业已登记此标准（如需更新请选择按代码更新）"))

    def export_rows(self, queryset, *, unmask: bool) -> Iterable[dict[str, Any]]:
        return _enterprise_record_rows(self.columns, queryset)
