"""E-mail format checks for experts: Excel import, services and the form."""

import io

import pytest
from django.core.exceptions import ValidationError

from kechuang.core.emails import EMAIL_MESSAGE
from kechuang.core.importing import get_importer, run_import
from kechuang.core.testing.excel import xlsx_bytes
from kechuang.experts import services
from kechuang.experts.forms import ExpertForm
from kechuang.experts.models import Expert

pytestmark = pytest.mark.django_db

HEADERS = ["姓名", "类别", "电子邮箱", "所属区域"]


def test_bad_emails_in_an_import_file_give_exactly_these_errors(staff, regions, changes):
    rows = [["导入专家一", "专家", "li@example.com", "东湖街道"],
            ["导入专家二", "专家", "li.example.com", "东湖街道"],
            ["导入专家三", "院士", "li@example", "西山街道"],
            ["导入专家四", "专家", None, "东湖街道"]]
    result = run_import(get_importer("experts"), io.BytesIO(xlsx_bytes(HEADERS, rows)),
                        actor=staff)
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (3, "电子邮箱", "“电子邮箱”格式不正确（应如name@example.com），实际为“li.example.com”"),
        (4, "电子邮箱", "“电子邮箱”格式不正确（应如name@example.com），实际为“li@example”"),
    ]
    assert (result.created, result.updated) == (0, 0)
    assert Expert.objects.count() == 0
    assert changes() == []


def test_good_emails_import(staff, regions):
    rows = [["导入专家一", "专家", "li@example.com", "东湖街道"],
            ["导入专家二", "专家", None, "东湖街道"]]
    result = run_import(get_importer("experts"), io.BytesIO(xlsx_bytes(HEADERS, rows)),
                        actor=staff)
    assert (result.errors, result.created) == ([], 2)
    assert sorted(Expert.objects.values_list("email", flat=True)) == ["", "li@example.com"]


def test_services_refuse_a_bad_email_and_change_nothing(staff, regions, changes):
    with pytest.raises(ValidationError) as exc:
        services.create_expert(actor=staff, data={"name": "某专家", "kind": "expert",
                                                  "region": regions.east, "email": "li@"})
    assert exc.value.message_dict == {"email": [EMAIL_MESSAGE]}
    expert = services.create_expert(actor=staff, data={"name": "某专家", "kind": "expert",
                                                       "region": regions.east,
                                                       "email": "li@example.com"})
    with pytest.raises(ValidationError) as exc:
        services.update_expert(actor=staff, expert=expert, data={"email": "li at example"})
    assert exc.value.message_dict == {"email": [EMAIL_MESSAGE]}
    assert Expert.objects.get().email == "li@example.com"
    assert [r.action for r in changes()] == ["create"]


def test_form_reports_the_same_message(regions):
    form = ExpertForm({"name": "某专家", "kind": "expert", "email": "li@@example.com",
                       "region": regions.east.pk, "service_mode": "onsite"})
    assert not form.is_valid()
    assert form.errors["email"] == [EMAIL_MESSAGE]
