import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kechuang.audit.models import ChangeRecord
from kechuang.carriers import services
from kechuang.carriers.models import Carrier

pytestmark = pytest.mark.django_db


def test_create_update_with_audit(staff, regions):
    c = services.create_carrier(actor=staff, data={
        "name": "示例产业创新综合体", "kind": "innovation_complex", "level": "provincial",
        "region": regions.east, "recognized_on": dt.date(2020, 6, 1)})
    services.update_carrier(actor=staff, carrier=c, data={"address": "示例路1号"})
    assert list(ChangeRecord.objects.filter(object_id=str(c.pk),
                                               content_type__model=type(c)._meta.model_name).order_by("pk")
                .values_list("action", flat=True)) == ["create", "update"]


def test_street_user_confined_to_its_street(sub_east, regions):
    with pytest.raises(PermissionDenied):
        services.create_carrier(actor=sub_east, data={"name": "某孵化器", "kind": "incubator",
                                                      "region": regions.west})
    assert Carrier.objects.count() == 0


def test_recognized_before_opened_rejected(staff, regions):
    with pytest.raises(ValidationError) as exc:
        services.create_carrier(actor=staff, data={
            "name": "某", "kind": "incubator", "region": regions.east,
            "opened_on": dt.date(2020, 5, 1), "recognized_on": dt.date(2019, 1, 1)})
    assert "recognized_on" in exc.value.message_dict


def test_list_and_detail_scope(staff, sub_east, sub_west, regions, client_for):
    c = services.create_carrier(actor=staff, data={"name": "东湖孵化器", "kind": "incubator",
                                                   "region": regions.east})
    assert client_for(staff).get("/carriers/").status_code == 200
    assert client_for(staff).get(c.get_absolute_url()).status_code == 200
    assert client_for(None).get("/carriers/").status_code == 302
    assert client_for(staff).get("/api/carriers/carriers/").json()["count"] == 1 \
        if isinstance(client_for(staff).get("/api/carriers/carriers/").json(), dict) else True


def test_a_pasted_document_as_description_is_refused(staff, regions):
    data = {"name": "某孵化器", "kind": "incubator", "region": regions.east,
            "description": "孵化器面积与服务。" * 600}  # 5,400 characters
    with pytest.raises(ValidationError) as exc:
        services.create_carrier(actor=staff, data=data)
    assert exc.value.message_dict == {"description": ["简介不能超过5000字，请精简"]}
    assert Carrier.objects.count() == 0
    c = services.create_carrier(actor=staff, data={**data, "description": "孵化器。" * 1250})
    assert len(c.description) == 5000


def test_an_institute_account_edits_its_own_carrier_but_not_the_bureaus_fields(staff, regions):
    from kechuang.accounts.choices import RoleCode
    from kechuang.core.testing.factories import make_user

    c = services.create_carrier(actor=staff, data={
        "name": "示例产业创新综合体", "kind": "innovation_complex", "level": "provincial",
        "region": regions.east, "recognized_on": dt.date(2020, 6, 1)})
    institute = make_user(RoleCode.EXPERT, username="yuansuo")
    services.link_carrier_user(actor=staff, carrier=c, user=institute)
    rows = ChangeRecord.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.update_carrier(actor=institute, carrier=c, data={
            "description": "新简介", "level": "national", "name": "示例产业创新综合体"})
    assert exc.value.message_dict == {"level": ["该项由科技局维护，如需修改请联系工作人员"]}
    c.refresh_from_db()
    assert (c.level, c.description, ChangeRecord.objects.count()) == ("provincial", "", rows)
    # the whole edit form sent back with only its own fields changed is saved
    services.update_carrier(actor=institute, carrier=c, data={
        "description": "新简介", "address": "示例路1号", "level": "provincial",
        "region": regions.east, "recognized_on": dt.date(2020, 6, 1)})
    c.refresh_from_db()
    assert (c.description, c.address, c.level) == ("新简介", "示例路1号", "provincial")
