"""Personal data reaches the browser in clear only on an explicit, permitted, logged request.

For each registry holding personal data (enterprises, experts, demands, achievements,
carriers), on the detail page and in the API: masked by default, also for a permitted user;
clear with ``?unmask=1`` for a permitted user, with exactly one ``view_personal`` record naming
the user and the object; masked with no record for an unpermitted user; API lists and write
responses masked even with ``?unmask=1``.
"""

import re
from dataclasses import dataclass

import pytest
from django.contrib.contenttypes.models import ContentType

from kechuang.achievements import services as achievement_services
from kechuang.audit.models import ChangeRecord
from kechuang.carriers import services as carrier_services
from kechuang.core.masking import (
    mask_email,
    mask_id_number,
    mask_name,
    mask_phone,
    personal_values,
    reveal_personal,
)
from kechuang.core.testing.factories import EnterpriseFactory
from kechuang.core.uscc import make_uscc
from kechuang.demands import services as demand_services
from kechuang.experts import services as expert_services

pytestmark = pytest.mark.django_db

PHONE_RE = re.compile(r"1[3-9]\d{9}")
ID_RE = re.compile(r"\d{17}[\dXx]")
ID_NUMBER = "11010519491231002X"


@dataclass
class Registry:
    obj: object
    page_url: str
    api_url: str
    api_list_url: str
    clear: dict  # API field → value in clear
    phone_field: str


@pytest.fixture
def registries(staff, regions):
    # A credit code with letters, so that it never looks like an 18-digit ID number.
    ent = EnterpriseFactory(uscc=make_uscc("91330106MA2H0K8T1"), region=regions.east,
                            legal_representative="张三丰", contact_name="李四",
                            contact_phone="13812345678", contact_email="lisi@example.com")
    expert = expert_services.create_expert(actor=staff, data={
        "name": "赵示例", "kind": "expert", "region": regions.east, "phone": "13912345678",
        "email": "zhao@example.com", "id_number": ID_NUMBER, "fields": ["08"]})
    demand = demand_services.create_demand(actor=staff, enterprise=ent, data={
        "title": "印染废水处理", "description": "印染废水化学需氧量超标，需要处理工艺和设备。",
        "contact_name": "王五", "contact_phone": "13712345678"})
    achievement = achievement_services.create_achievement(actor=staff, data={
        "owner_name": "示例大学", "title": "印染废水处理工艺",
        "abstract": "膜生物反应器处理印染废水的工艺。", "field": "07", "region": regions.east,
        "contact_name": "钱六", "contact_phone": "13612345678"})
    carrier = carrier_services.create_carrier(actor=staff, data={
        "name": "东湖孵化器", "kind": "incubator", "region": regions.east,
        "contact_name": "孙七", "contact_phone": "13512345678"})

    def reg(obj, api, clear, phone_field="contact_phone"):
        return Registry(obj, obj.get_absolute_url(), f"{api}{obj.pk}/", api, clear,
                        phone_field)

    return {
        "enterprise": reg(ent, "/api/enterprises/enterprises/", {
            "legal_representative": "张三丰", "contact_name": "李四",
            "contact_phone": "13812345678", "contact_email": "lisi@example.com"}),
        "expert": reg(expert, "/api/experts/experts/", {
            "phone": "13912345678", "email": "zhao@example.com", "id_number": ID_NUMBER},
            phone_field="phone"),
        "demand": reg(demand, "/api/demands/demands/", {
            "contact_name": "王五", "contact_phone": "13712345678"}),
        "achievement": reg(achievement, "/api/achievements/achievements/", {
            "contact_name": "钱六", "contact_phone": "13612345678"}),
        "carrier": reg(carrier, "/api/carriers/carriers/", {
            "contact_name": "孙七", "contact_phone": "13512345678"}),
    }


NAMES = ["enterprise", "expert", "demand", "achievement", "carrier"]
MASKS = {"legal_representative": mask_name, "contact_name": mask_name, "phone": mask_phone,
         "contact_phone": mask_phone, "email": mask_email, "contact_email": mask_email,
         "id_number": mask_id_number}


def masked(clear: dict) -> dict:
    return {k: MASKS[k](v) for k, v in clear.items()}


def views_logged():
    return list(ChangeRecord.objects.filter(action="view_personal").order_by("pk"))


def assert_no_clear_values(body: str, reg: Registry):
    assert not PHONE_RE.search(body)
    assert not ID_RE.search(body)
    for value in reg.clear.values():
        assert value not in body


def assert_one_view_logged(before: list, user, obj):
    new = views_logged()[len(before):]
    assert [(r.actor_id, r.actor_name, r.content_type_id, r.object_id) for r in new] == [
        (user.pk, user.display_name or user.username,
         ContentType.objects.get_for_model(obj).pk, str(obj.pk))]
    rec = new[0]
    assert (rec.before, rec.after) == (None, None)
    assert rec.message.endswith(f"；事由：{REASON}")
    assert not PHONE_RE.search(rec.message)
    assert not ID_RE.search(rec.message)


# Detail pages ------------------------------------------------------------------------------

REASON = "核实企业联系人以安排走访"
UNMASK = f"?unmask=1&reason={REASON}"


@pytest.mark.parametrize("name", NAMES)
def test_page_masked_by_default_for_a_permitted_user(name, registries, staff, client_for):
    reg = registries[name]
    before = views_logged()
    resp = client_for(staff).get(reg.page_url)
    assert resp.status_code == 200
    body = resp.content.decode()
    assert_no_clear_values(body, reg)
    for value in masked(reg.clear).values():
        assert value in body
    assert "查看明文（将记录日志）" in body
    assert '<input type="hidden" name="unmask" value="1">' in body
    assert 'name="reason"' in body
    assert 'data-testid="reason-missing"' not in body
    assert views_logged() == before


@pytest.mark.parametrize("name", NAMES)
def test_page_unmask_shows_clear_values_and_logs_once(name, registries, staff, client_for):
    reg = registries[name]
    before = views_logged()
    resp = client_for(staff).get(reg.page_url + UNMASK)
    assert resp.status_code == 200
    body = resp.content.decode()
    for value in reg.clear.values():
        assert value in body
    assert "查看明文（将记录日志）" not in body
    assert '<a class="small" href="?" data-testid="mask-link">隐藏</a>' in body
    assert_one_view_logged(before, staff, reg.obj)


@pytest.mark.parametrize("name", NAMES)
def test_page_unmask_without_permission_stays_masked_and_logs_nothing(name, registries,
                                                                     leader, client_for):
    reg = registries[name]
    before = views_logged()
    resp = client_for(leader).get(reg.page_url + UNMASK)
    assert resp.status_code == 200
    body = resp.content.decode()
    assert_no_clear_values(body, reg)
    for value in masked(reg.clear).values():
        assert value in body
    assert "查看明文" not in body
    assert views_logged() == before


# API ---------------------------------------------------------------------------------------


def _api_fields(data: dict, reg: Registry) -> dict:
    return {k: data[k] for k in reg.clear}


@pytest.mark.parametrize("name", NAMES)
def test_api_detail_masked_by_default_for_a_permitted_user(name, registries, staff,
                                                           client_for):
    reg = registries[name]
    before = views_logged()
    resp = client_for(staff).get(reg.api_url)
    assert resp.status_code == 200
    assert_no_clear_values(resp.content.decode(), reg)
    assert _api_fields(resp.json(), reg) == masked(reg.clear)
    assert views_logged() == before


@pytest.mark.parametrize("name", NAMES)
def test_api_detail_unmask_gives_clear_values_and_logs_once(name, registries, staff,
                                                            client_for):
    reg = registries[name]
    before = views_logged()
    resp = client_for(staff).get(reg.api_url + UNMASK)
    assert resp.status_code == 200
    assert _api_fields(resp.json(), reg) == reg.clear
    assert_one_view_logged(before, staff, reg.obj)


@pytest.mark.parametrize("name", NAMES)
def test_api_detail_unmask_without_permission_stays_masked_and_logs_nothing(
        name, registries, leader, client_for):
    reg = registries[name]
    before = views_logged()
    resp = client_for(leader).get(reg.api_url + UNMASK)
    assert resp.status_code == 200
    assert_no_clear_values(resp.content.decode(), reg)
    assert _api_fields(resp.json(), reg) == masked(reg.clear)
    assert views_logged() == before


@pytest.mark.parametrize("name", NAMES)
def test_api_list_stays_masked_with_unmask(name, registries, staff, client_for):
    reg = registries[name]
    before = views_logged()
    resp = client_for(staff).get(reg.api_list_url + UNMASK)
    assert resp.status_code == 200
    assert_no_clear_values(resp.content.decode(), reg)
    rows = [r for r in resp.json()["results"] if r["id"] == reg.obj.pk]
    assert [_api_fields(r, reg) for r in rows] == [masked(reg.clear)]
    assert views_logged() == before


@pytest.mark.parametrize("name", NAMES)
def test_api_write_response_is_masked(name, registries, staff, client_for):
    reg = registries[name]
    before = views_logged()
    resp = client_for(staff).patch(reg.api_url + UNMASK, {reg.phone_field: "13700001111"},
                                   content_type="application/json")
    assert resp.status_code == 200, resp.content
    assert resp.json()[reg.phone_field] == "137****1111"
    assert not PHONE_RE.search(resp.content.decode())
    assert getattr(type(reg.obj).objects.get(pk=reg.obj.pk), reg.phone_field) == "13700001111"
    assert views_logged() == before


def test_schema_documents_unmask_on_retrieve_only(staff, client_for):
    schema = client_for(staff).get("/api/schema/?format=json").json()
    for path in ("/api/enterprises/enterprises/", "/api/experts/experts/",
                 "/api/demands/demands/", "/api/achievements/achievements/",
                 "/api/carriers/carriers/"):
        detail = schema["paths"][path + "{id}/"]["get"]["parameters"]
        unmask = [p for p in detail if p["name"] == "unmask"]
        assert [p["in"] for p in unmask] == ["query"]
        assert "访问日志" in unmask[0]["description"]
        reason = [p for p in detail if p["name"] == "reason"]
        assert [p["in"] for p in reason] == ["query"]
        assert "事由" in reason[0]["description"]
        listing = schema["paths"][path]["get"].get("parameters", [])
        assert "unmask" not in [p["name"] for p in listing]


# The helper ------------------------------------------------------------------------------


def test_reveal_needs_get_with_unmask_1_and_the_permission(rf, registries, staff, leader):
    ent = registries["enterprise"].obj
    perm = "enterprises.view_personal_data"
    before = views_logged()
    for user, method, query, expected in [
        (staff, "get", {}, False), (staff, "get", {"unmask": "true", "reason": REASON}, False),
        (staff, "post", {"unmask": "1", "reason": REASON}, False),
        (leader, "get", {"unmask": "1", "reason": REASON}, False),
        (staff, "get", {"unmask": "1"}, False),
        (staff, "get", {"unmask": "1", "reason": " "}, False),
        (staff, "get", {"unmask": "1", "reason": f"  {REASON} "}, True),
    ]:
        request = getattr(rf, method)("/x/" + (UNMASK if method == "post" else ""),
                                      query if method == "get" else {})
        request.user = user
        assert reveal_personal(request, ent, perm, message="测试") is expected
    assert_one_view_logged(before, staff, ent)


def test_personal_values_masks_unless_clear(registries):
    ent = registries["enterprise"].obj
    fields = {"电话": ("contact_phone", mask_phone), "联系人": ("contact_name", mask_name)}
    assert personal_values(ent, fields, clear=False) == {"电话": "138****5678", "联系人": "李*"}
    assert personal_values(ent, fields, clear=True) == {"电话": "13812345678", "联系人": "李四"}


# A reason is required ----------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_page_unmask_without_a_reason_asks_for_one_and_shows_nothing(name, registries, staff,
                                                                     client_for):
    reg = registries[name]
    before = views_logged()
    for query in ("?unmask=1", "?unmask=1&reason=%20%20"):
        body = client_for(staff).get(reg.page_url + query).content.decode()
        assert_no_clear_values(body, reg)
        assert ('<span class="text-danger" data-testid="reason-missing">请填写查看事由</span>'
                in body)
    assert views_logged() == before


@pytest.mark.parametrize("name", NAMES)
def test_api_unmask_without_a_reason_is_a_400_and_logs_nothing(name, registries, staff,
                                                               client_for):
    reg = registries[name]
    before = views_logged()
    resp = client_for(staff).get(reg.api_url + "?unmask=1")
    assert (resp.status_code, resp.json()) == (
        400, {"reason": ["查看个人信息明文须说明查看事由（reason 参数）"]})
    assert_no_clear_values(resp.content.decode(), reg)
    assert views_logged() == before


def test_a_long_reason_is_cut_to_200_characters(registries, staff, client_for):
    reg = registries["enterprise"]
    client_for(staff).get(reg.page_url, {"unmask": "1", "reason": "走访" * 150})
    assert views_logged()[-1].message.endswith("；事由：" + "走访" * 100)


# Edit forms --------------------------------------------------------------------------------


def _as_submitted(form) -> dict:
    """What a browser posts back for an unchanged form: each field's shown value."""
    data = {}
    for bf in form:
        value = bf.value()
        if value is None or value is False or bf.field.disabled:
            continue
        data[bf.name] = "on" if value is True else value
    return data


@pytest.mark.parametrize("name", NAMES)
def test_edit_form_shows_personal_data_masked_and_keeps_it_when_left_as_shown(
        name, registries, staff, client_for):
    from django.urls import resolve

    reg = registries[name]
    before = views_logged()
    client = client_for(staff)
    edit_url = reg.page_url + "edit/"
    page = client.get(edit_url)
    assert page.status_code == 200
    body = page.content.decode()
    assert_no_clear_values(body, reg)
    for value in masked(reg.clear).values():
        assert f'value="{value}"' in body
    view = resolve(edit_url).func.view_class()
    form = view.form_class(instance=reg.obj, user=staff)
    resp = client.post(edit_url, _as_submitted(form))
    assert resp.status_code == 302, resp.content.decode()[:2000]
    stored = type(reg.obj).objects.get(pk=reg.obj.pk)
    assert {k: getattr(stored, k) for k in reg.clear} == reg.clear  # nothing overwritten
    # a typed value replaces the stored one
    resp = client.post(edit_url, {**_as_submitted(form), reg.phone_field: "13700001111"})
    assert resp.status_code == 302
    stored = type(reg.obj).objects.get(pk=reg.obj.pk)
    assert getattr(stored, reg.phone_field) == "13700001111"
    assert {k: getattr(stored, k) for k in reg.clear if k != reg.phone_field} == {
        k: v for k, v in reg.clear.items() if k != reg.phone_field}
    assert views_logged() == before
