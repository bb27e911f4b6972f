import pytest
from django.core.exceptions import ValidationError

from kechuang.audit.models import ChangeRecord
from kechuang.experts import services
from kechuang.experts.models import Expert

pytestmark = pytest.mark.django_db


def test_create_masks_personal_data_in_pages_and_api(staff, regions, client_for, expert):
    e = services.create_expert(actor=staff, data={
        "name": "李示例", "kind": "overseas_engineer", "country": "德国", "region": regions.east,
        "phone": "13812345678", "id_number": "E12345678", "fields": ["08"]})
    assert ChangeRecord.objects.filter(object_id=str(e.pk), action="create").exists()
    # staff holds experts.view_personal_data via experts/roles.py: masked until asked
    page = client_for(staff).get(e.get_absolute_url()).content.decode()
    assert "13812345678" not in page
    assert "138****5678" in page
    assert "13812345678" in client_for(staff).get(
        e.get_absolute_url(), {"unmask": "1", "reason": "联系专家确认评审时间"}).content.decode()


def test_overseas_engineer_needs_country(staff, regions):
    with pytest.raises(ValidationError) as exc:
        services.create_expert(actor=staff, data={"name": "某", "kind": "overseas_engineer",
                                                  "region": regions.east})
    assert "country" in exc.value.message_dict
    assert Expert.objects.count() == 0


def test_self_registration_and_own_edit(expert, regions):
    e = services.register_expert(actor=expert, region=regions.district,
                                 data={"name": "自助专家", "specialties": "工业机器人",
                                       "kind": "academician"})
    assert e.status == "pending"
    assert e.user == expert
    assert e.kind == "expert"
    with pytest.raises(ValidationError) as exc:  # cannot activate itself …
        services.update_expert(actor=expert, expert=e, data={"specialties": "视觉定位",
                                                             "status": "active"})
    assert exc.value.message_dict == {"status": ["该项由科技局维护，如需修改请联系工作人员"]}
    e.refresh_from_db()
    assert (e.specialties, e.status) == ("工业机器人", "pending")  # … and nothing was saved
    # its own fields, with the bureau's sent back unchanged (as the edit form does)
    services.update_expert(actor=expert, expert=e, data={"specialties": "视觉定位",
                                                         "name": "自助专家", "status": "pending"})
    e.refresh_from_db()
    assert (e.specialties, e.status) == ("视觉定位", "pending")


def test_availability_window_validated(staff, regions):
    import datetime as dt

    with pytest.raises(ValidationError) as exc:
        services.create_expert(actor=staff, data={
            "name": "某", "region": regions.east, "availability_from": dt.date(2020, 5, 1),
            "availability_until": dt.date(2020, 1, 1)})
    assert "availability_until" in exc.value.message_dict


def test_a_pasted_document_as_specialties_or_bio_is_refused(staff, regions):
    e = services.create_expert(actor=staff, data={"name": "王示例", "region": regions.east,
                                                  "specialties": "锂电池正极材料"})
    for key, message in (("specialties", "专业方向不能超过2000字，请精简"),
                         ("bio", "个人简介不能超过5000字，请精简")):
        pasted = "锂电池正极材料烧结工艺。" * 600  # 7,200 characters
        with pytest.raises(ValidationError) as exc:
            services.create_expert(actor=staff, data={"name": "某", "region": regions.east,
                                                      key: pasted})
        assert exc.value.message_dict == {key: [message]}
        with pytest.raises(ValidationError) as exc:
            services.update_expert(actor=staff, expert=e, data={key: pasted})
        assert exc.value.message_dict == {key: [message]}
    e.refresh_from_db()
    assert (Expert.objects.count(), e.specialties, e.bio) == (1, "锂电池正极材料", "")


def test_an_expert_changing_a_bureau_field_through_the_api_is_told_so(expert, regions,
                                                                      client_for):
    e = services.register_expert(actor=expert, region=regions.district,
                                 data={"name": "自助专家", "specialties": "工业机器人"})
    rows = ChangeRecord.objects.count()
    client = client_for(expert)
    resp = client.patch(f"/api/experts/experts/{e.pk}/", {"name": "改名专家", "bio": "简介"},
                        content_type="application/json")
    assert (resp.status_code, resp.json()) == (
        400, {"name": ["该项由科技局维护，如需修改请联系工作人员"]})
    e.refresh_from_db()
    assert (e.name, e.bio, ChangeRecord.objects.count()) == ("自助专家", "", rows)
    resp = client.patch(f"/api/experts/experts/{e.pk}/", {"bio": "简介"},
                        content_type="application/json")
    assert resp.status_code == 200
    e.refresh_from_db()
    assert e.bio == "简介"
