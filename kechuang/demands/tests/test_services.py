import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kechuang.audit.models import ChangeRecord
from kechuang.demands import services
from kechuang.demands.models import TechDemand

pytestmark = pytest.mark.django_db

DATA = {"title": "印染废水处理", "description": "印染废水化学需氧量超标，需要处理工艺和设备。"}


def test_enterprise_files_a_pending_demand_with_audit(ent_user, ent_east):
    demand = services.create_demand(actor=ent_user, enterprise=ent_east, data=DATA)
    assert demand.status == "pending"
    assert demand.region == ent_east.region
    assert demand.published_at is None
    rec = ChangeRecord.objects.get(object_id=str(demand.pk), action="create")
    assert rec.actor == ent_user


def test_enterprise_cannot_publish_itself(ent_user, ent_east):
    with pytest.raises(PermissionDenied):
        services.create_demand(actor=ent_user, enterprise=ent_east, data=DATA, publish=True)
    assert TechDemand.objects.count() == 0


def test_enterprise_cannot_file_for_another_enterprise(ent_user, ent_west):
    with pytest.raises(PermissionDenied):
        services.create_demand(actor=ent_user, enterprise=ent_west, data=DATA)
    assert TechDemand.objects.count() == 0


def test_staff_review_publishes_and_rejection_needs_a_note(staff, ent_user, ent_east):
    demand = services.create_demand(actor=ent_user, enterprise=ent_east, data=DATA)
    with pytest.raises(ValidationError):
        services.review_demand(actor=staff, demand=demand, approve=False)
    services.review_demand(actor=staff, demand=demand, approve=True)
    demand.refresh_from_db()
    assert demand.status == "published"
    assert demand.published_at is not None
    assert ChangeRecord.objects.filter(object_id=str(demand.pk),
                                       action="demand.publish").count() == 1


def test_editing_a_published_demand_resubmits_it(staff, ent_user, ent_east):
    demand = services.create_demand(actor=staff, enterprise=ent_east, data=DATA, publish=True)
    services.update_demand(actor=ent_user, demand=demand,
                           data={"description": DATA["description"] + "补充说明。"})
    demand.refresh_from_db()
    assert demand.status == "pending"


def test_editing_a_demand_under_matching_resubmits_it(staff, ent_user, ent_east, client_for):
    # 对接中 is public too: moving a demand there, then editing it, published unreviewed text
    demand = services.create_demand(actor=staff, enterprise=ent_east, data=DATA, publish=True)
    services.change_demand_status(actor=ent_user, demand=demand, status="matching")
    services.update_demand(actor=ent_user, demand=demand,
                           data={"title": "低价出售二手设备请加微信", "description": "广告" * 10})
    demand.refresh_from_db()
    assert (demand.status, demand.title) == ("pending", "低价出售二手设备请加微信")
    assert client_for(None).get(f"/portal/demands/{demand.pk}/").status_code == 404


def test_changing_only_the_contact_keeps_a_demand_public(staff, ent_user, ent_east,
                                                        client_for):
    demand = services.create_demand(actor=staff, enterprise=ent_east, data=DATA, publish=True)
    services.change_demand_status(actor=ent_user, demand=demand, status="matching")
    resp = client_for(ent_user).post(f"/demands/{demand.pk}/edit/", {
        **DATA, "contact_name": "李示例", "contact_phone": "13800000000"})
    assert resp.status_code == 302
    demand.refresh_from_db()
    assert (demand.status, demand.contact_phone) == ("matching", "13800000000")


def test_a_reviewer_edits_a_demand_under_matching_without_resubmitting(staff, ent_east):
    demand = services.create_demand(actor=staff, enterprise=ent_east, data=DATA, publish=True)
    services.change_demand_status(actor=staff, demand=demand, status="matching")
    services.update_demand(actor=staff, demand=demand, data={"title": "印染废水深度处理"})
    demand.refresh_from_db()
    assert (demand.status, demand.title) == ("matching", "印染废水深度处理")


@pytest.mark.parametrize(("_case", "data", "field"), [
    ("empty_description", {"description": ""}, "description"),
    ("one_char_title", {"title": "电"}, "title"),
    ("too_long", {"description": "字" * 20001}, "description"),
    ("bad_sub_field", {"field": "04", "sub_field": "0101"}, "sub_field"),
    ("negative_budget", {"budget": -1}, "budget"),
    ("punctuation_title", {"title": "？？"}, "title"),
    ("punctuation_description", {"description": "，。！？；：“”‘’（）【】《》……——"},
     "description"),
    ("markup_description", {"description": "<p></p><br/>&nbsp;<>"}, "description"),
])
def test_bad_input_is_rejected_with_field_messages(staff, ent_east, _case, data, field):
    with pytest.raises(ValidationError) as exc:
        services.create_demand(actor=staff, enterprise=ent_east, data={**DATA, **data})
    assert field in exc.value.message_dict
    assert TechDemand.objects.count() == 0


@pytest.mark.parametrize(("_case", "title", "description"), [
    ("full_width", "ＡＩ视觉检测", "（１）表面缺陷检测：划痕、凹坑；（２）节拍＜１秒！"),
    ("traditional", "鋰電池燒結", "我們公司生產鋰電池正極材料，燒結能耗高。"),
    ("short_words", "AI", "PLC程序 bug 修复 x 2"),
])
def test_short_but_meaningful_text_is_accepted(staff, ent_east, _case, title, description):
    demand = services.create_demand(actor=staff, enterprise=ent_east,
                                    data={"title": title, "description": description})
    assert (demand.title, demand.description) == (title, description)


def test_status_transitions(staff, ent_east):
    demand = services.create_demand(actor=staff, enterprise=ent_east, data=DATA, publish=True)
    services.change_demand_status(actor=staff, demand=demand, status="matching")
    services.change_demand_status(actor=staff, demand=demand, status="solved")
    with pytest.raises(ValidationError):
        services.change_demand_status(actor=staff, demand=demand, status="published")
    demand.refresh_from_db()
    assert demand.status == "solved"


@pytest.mark.parametrize(("_case", "status", "message"), [
    ("solved", "solved", "需求已解决，不能修改"),
    ("closed", "closed", "需求已关闭，不能修改"),
])
def test_a_finished_demand_cannot_be_edited(_case, status, message, staff, ent_east):
    demand = services.create_demand(actor=staff, enterprise=ent_east, data=DATA, publish=True)
    services.change_demand_status(actor=staff, demand=demand, status=status)
    count = ChangeRecord.objects.count()

    with pytest.raises(ValidationError) as exc:
        services.update_demand(actor=staff, demand=demand, data={"title": "新的需求名称"})

    assert exc.value.message_dict == {"__all__": [message]}
    demand.refresh_from_db()
    assert demand.title == DATA["title"]
    assert ChangeRecord.objects.count() == count


def test_html_in_description_is_stored_and_shown_escaped(staff, ent_east, client_for):
    demand = services.create_demand(actor=staff, enterprise=ent_east, publish=True, data={
        "title": "<b>标题</b>", "description": "<script>alert(1)</script>需要处理废水的技术"})
    body = client_for(staff).get(demand.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body
    public = client_for(None).get(f"/portal/demands/{demand.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in public
