# ruff: noqa: E501  (exact Chinese messages read better unwrapped)
"""E-mail format checks for enterprise contacts: Excel import, services and the form."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError

from kechuang.core.emails import EMAIL_MESSAGE
from kechuang.core.importing import build_template, get_importer, run_import
from kechuang.core.testing import EnterpriseFactory, uscc_for
from kechuang.core.testing.excel import xlsx_bytes
from kechuang.enterprises import services
from kechuang.enterprises.forms import EnterpriseForm
from kechuang.enterprises.models import Enterprise
from kechuang.enterprises.tests.test_importers import ENT_HEADERS, _good_row

pytestmark = pytest.mark.django_db

BAD_EMAILS = ["zl-at-example.com", "zl@", "@example.com", "zl@example", "z l@example.com",
              "zl@@example.com", "张三@example.com"]


def test_bad_emails_in_an_import_file_give_exactly_these_errors(staff, regions, changes):
    rows = [_good_row(1)] + [_good_row(10 + i, 电子邮箱=v) for i, v in enumerate(BAD_EMAILS)]
    rows.append(_good_row(30, 电子邮箱="Zhao.Liu+rd@mail.example.com.cn"))
    rows.append(_good_row(31, 电子邮箱=None))

    result = run_import(get_importer("enterprises"), io.BytesIO(xlsx_bytes(ENT_HEADERS, rows)),
                        actor=staff)

    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (3 + i, "电子邮箱", f"“电子邮箱”格式不正确（应如name@example.com），实际为“{v}”")
        for i, v in enumerate(BAD_EMAILS)]
    assert (result.created, result.updated) == (0, 0)
    assert not Enterprise.objects.filter(name__startswith="导入示范").exists()
    assert changes() == []


def test_good_and_blank_emails_import(staff, regions):
    rows = [_good_row(1, 电子邮箱=" Zhao.Liu+rd@mail.example.com.cn "), _good_row(2, 电子邮箱=None)]
    result = run_import(get_importer("enterprises"), io.BytesIO(xlsx_bytes(ENT_HEADERS, rows)),
                        actor=staff)
    assert (result.errors, result.created) == ([], 2)
    assert list(Enterprise.objects.filter(name__startswith="导入示范").order_by("uscc")
                .values_list("contact_email", flat=True)) == ["Zhao.Liu+rd@mail.example.com.cn", ""]


def test_template_describes_the_email_column():
    help_rows = list(build_template(get_importer("enterprises"))["填写说明"].iter_rows(values_only=True))
    assert ("电子邮箱", "选填", "电子邮箱", "") in help_rows


def test_services_refuse_a_bad_email_and_change_nothing(staff, regions, changes):
    with pytest.raises(ValidationError) as exc:
        services.create_enterprise(actor=staff, data={
            "uscc": uscc_for(700_001), "name": "邮箱示范有限公司", "region": regions.east,
            "industry_code": "C3511", "established_on": dt.date(2016, 1, 1),
            "contact_email": "not-an-email"})
    assert exc.value.message_dict == {"contact_email": [EMAIL_MESSAGE]}
    ent = EnterpriseFactory(region=regions.east, contact_email="ok@example.com")
    with pytest.raises(ValidationError) as exc:
        services.update_enterprise(actor=staff, enterprise=ent, data={"contact_email": "x@y"})
    assert exc.value.message_dict == {"contact_email": [EMAIL_MESSAGE]}
    assert Enterprise.objects.get(pk=ent.pk).contact_email == "ok@example.com"
    assert not Enterprise.objects.filter(name="邮箱示范有限公司").exists()
    assert changes() == []


def test_form_reports_the_same_message(staff, regions, ent_east):
    form = EnterpriseForm({"contact_email": "not-an-email"}, instance=ent_east, user=staff)
    assert not form.is_valid()
    assert form.errors["contact_email"] == [EMAIL_MESSAGE]


def test_edit_page_shows_the_message_and_saves_nothing(staff, ent_east, client_for, changes):
    client = client_for(staff)
    data = {f: getattr(ent_east, f) for f in ("uscc", "name", "industry_code", "legal_form",
                                              "address", "tax_collection",
                                              "legal_representative", "contact_name",
                                              "contact_phone")}
    data.update(region=ent_east.region_id, established_on="2015-06-01",
                registered_capital="", is_credit_clean="on", contact_email="zl@@example.com")
    response = client.post(f"/enterprises/{ent_east.pk}/edit/", data)
    assert response.status_code == 400
    assert EMAIL_MESSAGE in response.content.decode()
    assert Enterprise.objects.get(pk=ent_east.pk).contact_email == "lisi@example.com"
    assert changes() == []
