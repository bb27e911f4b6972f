"""Enterprise registry services: business rules, field-attributed Chinese errors, audit rows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kechuang.audit.events import CREATE, UPDATE
from kechuang.core import context
from kechuang.core.errors import OutOfScope, first_messages
from kechuang.core.testing import (
    AnnualIndicatorFactory,
    CertificationFactory,
    EnterpriseFactory,
    uscc_for,
)
from kechuang.enterprises import events, services
from kechuang.enterprises.choices import CertificationKind, CertificationStatus, Level
from kechuang.enterprises.models import AnnualIndicator, Certification, Enterprise

REQUEST_ID = "testrequest0001"


@pytest.fixture
def bound_request():
    with context.bind(context.RequestContext(request_id=REQUEST_ID)):
        yield


def _enterprise_data(regions, **overrides):
    data = {
        "uscc": uscc_for(900001),
        "name": "  智能装备科技有限公司 ",
        "industry_code": "C3511",
        "region": regions.east,
        "established_on": dt.date(2016, 3, 1),
        "registered_capital": Decimal("5000000.00"),
        "contact_phone": "13900001111",
    }
    data.update(overrides)
    return data


def _errors(exc_info) -> dict[str, str]:
    return first_messages(exc_info.value)


def _today():
    return timezone.localdate()


# --- create / update enterprise -------------------------------------------------------

def test_create_enterprise_writes_row_pinyin_and_one_change_record(staff, regions,
                                                                   bound_request, changes):
    # when
    ent = services.create_enterprise(actor=staff, data=_enterprise_data(regions))
    # then
    ent.refresh_from_db()
    assert ent.name == "智能装备科技有限公司"
    assert ent.name_pinyin == "zhinengzhuangbeikejiyouxiangongsi"
    assert ent.name_initials == "znzbkjyxgs"
    assert ent.created_by == staff
    assert ent.region == regions.east
    [rec] = changes()
    assert rec.action == CREATE
    assert rec.actor == staff
    assert rec.actor_name == staff.display_name
    assert rec.request_id == REQUEST_ID
    assert rec.object_id == str(ent.pk)
    assert rec.before is None
    assert rec.after["uscc"] == uscc_for(900001)
    assert rec.after["region_id"] == regions.east.pk
    assert rec.after["contact_phone"] == "***"  # personal data masked in the audit trail


def test_update_enterprise_records_before_and_after(staff, ent_east, bound_request, changes):
    # given
    old_name = ent_east.name
    # when
    services.update_enterprise(actor=staff, enterprise=ent_east,
                               data={"name": "东湖精密机械有限公司"})
    # then
    ent_east.refresh_from_db()
    assert ent_east.name == "东湖精密机械有限公司"
    assert ent_east.name_initials == "dhjmjxyxgs"
    assert ent_east.updated_by == staff
    [rec] = changes()
    assert (rec.action, rec.actor, rec.request_id) == (UPDATE, staff, REQUEST_ID)
    assert rec.before["name"] == old_name
    assert rec.after["name"] == "东湖精密机械有限公司"
    assert {k for k, _, _ in rec.changed_fields()} == {"name", "name_pinyin", "name_initials",
                                                       "updated_by_id"}


def _future():
    return _today() + dt.timedelta(days=1)


CREATE_BAD_INPUT = [
    ("malformed_length", {"uscc": "91330106MA2B3C4D5"}, "uscc",
     "统一社会信用代码应为18位，实际为17位"),
    ("malformed_check_char", {"uscc": uscc_for(900001)[:17] + "0"}, "uscc",
     f"统一社会信用代码校验位错误：第18位应为“{uscc_for(900001)[17]}”"),
    ("malformed_letters", {"uscc": "91330106MA2B3C4DIO"}, "uscc",
     "统一社会信用代码含有不允许的字符：IO（不使用I、O、Z、S、V）"),
    ("lowercase", {"uscc": uscc_for(900001).lower()}, "uscc",
     "统一社会信用代码中的字母应为大写"),
    ("empty_name", {"name": "  "}, "name", "企业名称不能为空"),
    ("unknown_industry", {"industry_code": "C99"}, "industry_code",
     "行业代码“C99”不存在：大类99不属于门类C"),
    ("industry_wrong_section", {"industry_code": "I35"}, "industry_code",
     "行业代码“I35”不存在：大类35不属于门类I"),
    ("industry_bad_shape", {"industry_code": "3511"}, "industry_code",
     "行业代码“3511”格式不正确，应为门类字母加2至4位数字，如C3511"),
    ("negative_capital", {"registered_capital": Decimal("-1.00")}, "registered_capital",
     "注册资本不能为负数"),
    ("no_region", {"region": None}, "region", "所属区域不能为空"),
    ("no_established", {"established_on": None}, "established_on", "成立日期不能为空"),
    # choices are the service's rule too, not only the API serializer's and the forms'
    ("unknown_legal_form", {"legal_form": "company"}, "legal_form",
     "企业类型“company”无效，应为有限责任公司、股份有限公司、国有企业、集体企业、外商投资企业、"
     "合伙企业、个人独资企业、分公司（非法人）、其他之一"),
    ("blank_legal_form", {"legal_form": ""}, "legal_form",
     "企业类型“”无效，应为有限责任公司、股份有限公司、国有企业、集体企业、外商投资企业、"
     "合伙企业、个人独资企业、分公司（非法人）、其他之一"),
    ("unknown_tax_collection", {"tax_collection": "免征"}, "tax_collection",
     "所得税征收方式“免征”无效，应为查账征收、核定征收之一"),
]


@pytest.mark.parametrize(("_case", "overrides", "field", "message"), CREATE_BAD_INPUT)
def test_create_enterprise_rejects_bad_input_and_writes_nothing(_case, overrides, field,
                                                                message, staff, regions, changes):
    # when
    with pytest.raises(ValidationError) as exc_info:
        services.create_enterprise(actor=staff, data=_enterprise_data(regions, **overrides))
    # then
    assert _errors(exc_info) == {field: message}
    assert Enterprise.objects.count() == 0
    assert changes() == []


def test_create_enterprise_rejects_future_established_date(staff, regions, changes):
    day = _future()
    with pytest.raises(ValidationError) as exc_info:
        services.create_enterprise(actor=staff,
                                   data=_enterprise_data(regions, established_on=day))
    assert _errors(exc_info) == {"established_on": f"成立日期{day:%Y-%m-%d}晚于今天，请检查"}
    assert Enterprise.objects.count() == 0
    assert changes() == []


def test_create_enterprise_rejects_duplicate_uscc(staff, regions, ent_east, changes):
    with pytest.raises(ValidationError) as exc_info:
        services.create_enterprise(actor=staff,
                                   data=_enterprise_data(regions, uscc=ent_east.uscc))
    assert _errors(exc_info) == {"uscc": f"统一社会信用代码{ent_east.uscc}已登记"}
    assert list(Enterprise.objects.values_list("pk", flat=True)) == [ent_east.pk]
    assert changes() == []


def test_update_enterprise_rejects_duplicate_uscc_and_changes_nothing(staff, ent_east,
                                                                      ent_west, changes):
    before = Enterprise.objects.values().get(pk=ent_west.pk)
    with pytest.raises(ValidationError) as exc_info:
        services.update_enterprise(actor=staff, enterprise=ent_west,
                                   data={"uscc": ent_east.uscc, "name": "新名称"})
    assert _errors(exc_info) == {"uscc": f"统一社会信用代码{ent_east.uscc}已登记"}
    assert Enterprise.objects.values().get(pk=ent_west.pk) == before
    assert changes() == []


def test_update_enterprise_keeps_own_uscc(staff, ent_east):
    services.update_enterprise(actor=staff, enterprise=ent_east,
                               data={"uscc": ent_east.uscc, "address": "东湖路1号"})
    ent_east.refresh_from_db()
    assert ent_east.address == "东湖路1号"


# --- scope re-check inside services ---------------------------------------------------

def test_subdistrict_user_cannot_create_enterprise_in_another_street(sub_east, regions, changes):
    with pytest.raises(OutOfScope, match="不能在您的数据权限范围之外登记企业"):
        services.create_enterprise(actor=sub_east,
                                   data=_enterprise_data(regions, region=regions.west))
    assert Enterprise.objects.count() == 0
    assert changes() == []


def test_subdistrict_user_can_create_enterprise_in_own_street(sub_east, regions, changes):
    ent = services.create_enterprise(actor=sub_east, data=_enterprise_data(regions))
    assert ent.region == regions.east
    assert [r.actor for r in changes()] == [sub_east]


def test_subdistrict_user_cannot_move_enterprise_into_another_street(sub_east, ent_east,
                                                                     regions, changes):
    before = Enterprise.objects.values().get(pk=ent_east.pk)
    with pytest.raises(OutOfScope):
        services.update_enterprise(actor=sub_east, enterprise=ent_east,
                                   data={"region": regions.west, "name": "搬走了"})
    assert Enterprise.objects.values().get(pk=ent_east.pk) == before
    assert changes() == []


def test_subdistrict_user_cannot_pull_enterprise_from_another_street(sub_east, ent_west,
                                                                     regions, changes):
    # The service itself re-checks the record's current region, not only the new one.
    before = Enterprise.objects.values().get(pk=ent_west.pk)
    with pytest.raises(OutOfScope):
        services.update_enterprise(actor=sub_east, enterprise=ent_west,
                                   data={"region": regions.east})
    assert Enterprise.objects.values().get(pk=ent_west.pk) == before
    assert changes() == []


def test_subdistrict_user_cannot_record_indicator_for_another_street(sub_east, ent_west, changes):
    with pytest.raises(OutOfScope):
        services.record_annual_indicator(actor=sub_east, enterprise=ent_west, year=2019,
                                         data={"staff_total": 10})
    assert AnnualIndicator.objects.count() == 0
    assert changes() == []


# --- annual indicators ------------------------------------------------------------------

def test_record_indicator_creates_then_upserts_only_given_fields(staff, ent_east,
                                                                 bound_request, changes):
    # when
    first = services.record_annual_indicator(
        actor=staff, enterprise=ent_east, year=2019,
        data={"staff_total": 100, "st_staff": 12, "rd_expense": Decimal("800000.00")})
    second = services.record_annual_indicator(actor=staff, enterprise=ent_east, year=2019,
                                              data={"st_staff": 15})
    # then
    assert first.pk == second.pk
    ind = AnnualIndicator.objects.get()
    assert (ind.staff_total, ind.st_staff, ind.rd_expense) == (100, 15, Decimal("800000.00"))
    recs = changes()
    assert [r.action for r in recs] == [CREATE, events.RECORD_INDICATOR]
    assert all(r.actor == staff and r.request_id == REQUEST_ID for r in recs)
    assert recs[0].before is None
    assert recs[1].before["st_staff"] == 12
    assert recs[1].after["st_staff"] == 15
    assert recs[1].related_object_id == str(ent_east.pk)


@pytest.mark.parametrize(
    ("_case", "industry_code", "revenue", "expected"),
    [
        ("manufacturing_at_edge", "C3511", Decimal("20000000.00"), True),
        ("manufacturing_below_edge", "C3511", Decimal("19999999.99"), False),
        ("mining_above", "B0610", Decimal("20000000.01"), True),
        ("utilities_above", "D4411", Decimal("50000000.00"), True),
        ("software_above", "I6510", Decimal("90000000.00"), False),
        ("no_revenue", "C3511", None, False),
    ],
)
def test_above_scale_industrial_is_derived(_case, industry_code, revenue, expected, staff,
                                           regions):
    ent = EnterpriseFactory(region=regions.east, industry_code=industry_code)
    ind = services.record_annual_indicator(actor=staff, enterprise=ent, year=2019,
                                           data={"main_business_revenue": revenue})
    ind.refresh_from_db()
    assert ind.is_above_scale_industrial is expected


def test_changing_industry_code_refreshes_above_scale_flags(staff, ent_east):
    services.record_annual_indicator(actor=staff, enterprise=ent_east, year=2019,
                                     data={"main_business_revenue": Decimal("30000000")})
    assert AnnualIndicator.objects.get().is_above_scale_industrial is True
    services.update_enterprise(actor=staff, enterprise=ent_east,
                               data={"industry_code": "I6510"})
    assert AnnualIndicator.objects.get().is_above_scale_industrial is False


INDICATOR_BAD_INPUT = [
    ("negative_money", {"sales_revenue": Decimal("-0.01")}, "sales_revenue", "金额不能为负数"),
    ("negative_rd", {"rd_expense": Decimal("-5")}, "rd_expense", "金额不能为负数"),
    ("negative_count", {"ip_class1": -1}, "ip_class1", "数量不能为负数"),
    ("st_staff_above_total", {"staff_total": 20, "st_staff": 30}, "st_staff",
     "科技人员数（30）不能大于职工总数（20）"),
    ("domestic_rd_above_total", {"rd_expense": Decimal("100"),
                                 "rd_expense_domestic": Decimal("101")},
     "rd_expense_domestic", "境内研发费用不能大于研发费用总额"),
    ("ip_used_above_total", {"ip_class2": 3, "ip_class2_used": 4}, "ip_class2_used",
     "已使用的Ⅱ类知识产权不能多于Ⅱ类知识产权总数"),
    ("non_taxable_above_income", {"total_income": Decimal("10"),
                                  "non_taxable_income": Decimal("11")},
     "non_taxable_income", "不征税收入不能大于收入总额"),
]


@pytest.mark.parametrize(("_case", "data", "field", "message"), INDICATOR_BAD_INPUT)
def test_record_indicator_rejects_bad_input_and_writes_nothing(_case, data, field, message,
                                                               staff, ent_east, changes):
    with pytest.raises(ValidationError) as exc_info:
        services.record_annual_indicator(actor=staff, enterprise=ent_east, year=2019,
                                         data=data)
    assert _errors(exc_info) == {field: message}
    assert AnnualIndicator.objects.count() == 0
    assert changes() == []


def test_record_indicator_rejects_future_year(staff, ent_east):
    year = _today().year + 1
    with pytest.raises(ValidationError) as exc_info:
        services.record_annual_indicator(actor=staff, enterprise=ent_east, year=year,
                                         data={"staff_total": 5})
    assert _errors(exc_info) == {"year": f"年度应在1980至{_today().year}之间"}
    assert AnnualIndicator.objects.count() == 0


def test_record_indicator_checks_merged_values_on_upsert(staff, ent_east, changes):
    # given a stored staff total of 100
    AnnualIndicatorFactory(enterprise=ent_east, year=2019, staff_total=100, st_staff=20)
    before = AnnualIndicator.objects.values().get()
    # when only st_staff is sent, the stored staff_total still applies
    with pytest.raises(ValidationError) as exc_info:
        services.record_annual_indicator(actor=staff, enterprise=ent_east, year=2019,
                                         data={"st_staff": 150})
    assert _errors(exc_info) == {"st_staff": "科技人员数（150）不能大于职工总数（100）"}
    assert AnnualIndicator.objects.values().get() == before
    assert changes() == []


# --- certifications ---------------------------------------------------------------------

def test_high_tech_certificate_validity_is_three_years_minus_one_day(staff, ent_east,
                                                                     bound_request, changes):
    cert = services.record_certification(actor=staff, enterprise=ent_east, data={
        "kind": CertificationKind.HIGH_TECH, "status": CertificationStatus.GRANTED,
        "year": 2019, "number": "GR201933000123", "issued_on": dt.date(2019, 12, 4),
    })
    cert.refresh_from_db()
    assert cert.valid_until == dt.date(2022, 12, 3)
    assert cert.is_valid_on(dt.date(2022, 12, 3)) is True
    assert cert.is_valid_on(dt.date(2022, 12, 4)) is False
    [rec] = changes()
    assert (rec.action, rec.actor, rec.request_id) == (events.RECORD_CERTIFICATION, staff,
                                                       REQUEST_ID)
    assert rec.before is None
    assert rec.after["number"] == "GR201933000123"
    assert rec.related_object_id == str(ent_east.pk)


def test_update_certification_writes_update_record_with_before(staff, ent_east, changes):
    cert = CertificationFactory(enterprise=ent_east, year=2019, number="GR201933000001",
                                issued_on=dt.date(2019, 11, 1),
                                valid_until=dt.date(2022, 10, 31))
    services.record_certification(actor=staff, enterprise=ent_east, certification=cert,
                                  data={"note": "复核通过"})
    cert.refresh_from_db()
    assert cert.note == "复核通过"
    [rec] = changes()
    assert rec.action == UPDATE
    assert rec.before["note"] == ""
    assert rec.after["note"] == "复核通过"


def test_tech_sme_number_in_unusual_format_only_warns(staff, ent_east, changes):
    cert = services.record_certification(actor=staff, enterprise=ent_east, data={
        "kind": CertificationKind.NATIONAL_TECH_SME, "year": 2020, "number": "KX-2020-0001",
    })
    cert.refresh_from_db()
    assert cert.number == "KX-2020-0001"
    assert cert.valid_until == dt.date(2020, 12, 31)
    assert len(changes()) == 1


def test_tech_sme_number_in_standard_format_is_accepted(staff, ent_east):
    cert = services.record_certification(actor=staff, enterprise=ent_east, data={
        "kind": CertificationKind.NATIONAL_TECH_SME, "year": 2020,
        "number": "2020330106A0001234",
    })
    assert cert.pk is not None


def test_rd_institution_with_name_and_level_is_recorded(staff, ent_east):
    cert = services.record_certification(actor=staff, enterprise=ent_east, data={
        "kind": CertificationKind.RD_INSTITUTION, "year": 2019, "name": "智能装备研究院",
        "level": Level.MUNICIPAL,
    })
    assert (cert.name, cert.level, cert.valid_until) == ("智能装备研究院", "municipal", None)


def _cert(**overrides):
    data = {"kind": CertificationKind.HIGH_TECH, "status": CertificationStatus.GRANTED,
            "year": 2019, "number": "GR201933000123", "issued_on": dt.date(2019, 12, 4)}
    data.update(overrides)
    return data


CERT_BAD_INPUT = [
    ("high_tech_number_short", _cert(number="GR2019330001"), {
        "number": "高新技术企业证书编号格式应为GR+年份4位+8位数字，如GR202033100123"}),
    ("high_tech_number_prefix", _cert(number="GX201933000123"), {
        "number": "高新技术企业证书编号格式应为GR+年份4位+8位数字，如GR202033100123"}),
    ("high_tech_number_year", _cert(number="GR202033000123"), {
        "number": "证书编号中的年份2020与认定年度2019不一致"}),
    ("high_tech_granted_without_number", _cert(number=""), {
        "number": "已认定的高新技术企业须填写证书编号"}),
    ("high_tech_granted_without_issue_date", _cert(issued_on=None), {
        "issued_on": "已认定的高新技术企业须填写发证日期"}),
    ("tech_sme_number_year", {"kind": CertificationKind.NATIONAL_TECH_SME, "year": 2019,
                              "number": "2020330106A0001234"}, {
        "number": "入库登记编号中的年份2020与入库年度2019不一致"}),
    ("rd_institution_without_name_and_level", {"kind": CertificationKind.RD_INSTITUTION,
                                               "year": 2019}, {
        "name": "研发机构须填写名称", "level": "研发机构须选择级别"}),
    ("unknown_kind", {"kind": "nobel", "year": 2019}, {"kind": "请选择有效的资质类别"}),
    ("issued_before_applied", _cert(applied_on=dt.date(2019, 12, 5)), {
        "issued_on": "认定日期不能早于申报日期"}),
]


@pytest.mark.parametrize(("_case", "data", "expected"), CERT_BAD_INPUT)
def test_record_certification_rejects_bad_input_and_writes_nothing(_case, data, expected,
                                                                   staff, ent_east, changes):
    with pytest.raises(ValidationError) as exc_info:
        services.record_certification(actor=staff, enterprise=ent_east, data=data)
    assert _errors(exc_info) == expected
    assert Certification.objects.count() == 0
    assert changes() == []


def test_record_certification_rejects_future_issue_date(staff, ent_east):
    day = _future()
    with pytest.raises(ValidationError) as exc_info:
        services.record_certification(actor=staff, enterprise=ent_east, data=_cert(
            year=day.year, number=f"GR{day.year}33000123", issued_on=day))
    assert _errors(exc_info) == {"issued_on": "认定日期不能晚于今天"}
    assert Certification.objects.count() == 0


def test_record_certification_rejects_duplicate_kind_and_year(staff, ent_east, changes):
    CertificationFactory(enterprise=ent_east, year=2019, number="GR201933000001")
    with pytest.raises(ValidationError) as exc_info:
        services.record_certification(actor=staff, enterprise=ent_east, data=_cert())
    assert _errors(exc_info) == {"year": "该企业2019年度已有高新技术企业记录"}
    assert Certification.objects.count() == 1
    assert changes() == []


def test_deactivate_enterprise_writes_named_action(staff, ent_east, changes):
    services.deactivate_enterprise(actor=staff, enterprise=ent_east, reason="注销登记")
    ent_east.refresh_from_db()
    assert ent_east.is_active is False
    [rec] = changes()
    assert (rec.action, rec.message) == (events.DEACTIVATE, "注销登记")
    assert (rec.before["is_active"], rec.after["is_active"]) == (True, False)


def test_link_enterprise_user_grants_own_scope(staff, ent_east, expert, changes):
    from kechuang.accounts.models import User

    services.link_enterprise_user(actor=staff, enterprise=ent_east, user=expert)
    assert list(ent_east.members.all()) == [expert]
    [rec] = changes()
    assert rec.action == events.LINK_USER
    assert rec.message == f"绑定账号 {expert.username}"
    assert User.objects.filter(enterprises=ent_east).count() == 1


def test_update_enterprise_refuses_an_unknown_legal_form_and_changes_nothing(staff, regions,
                                                                           changes):
    ent = services.create_enterprise(actor=staff, data=_enterprise_data(regions))
    start = changes()

    with pytest.raises(ValidationError) as exc_info:
        services.update_enterprise(actor=staff, enterprise=ent,
                                   data={"legal_form": "company", "name": "新名称有限公司"})

    assert set(_errors(exc_info)) == {"legal_form"}
    ent.refresh_from_db()
    assert (ent.legal_form, ent.name) == ("limited", "智能装备科技有限公司")
    assert changes() == start
