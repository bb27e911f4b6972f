"""Enterprise autocomplete: the endpoint's permission matrix and scope, the 20-row cap, a pinned
query count, and the forms that use the widget (server-side scope check of the posted id)."""

import re

import pytest

from kechuang.brokerage.forms import TechContractForm, VisitForm
from kechuang.carriers.forms import CarrierForm
from kechuang.core.testing import Audience, Endpoint, EnterpriseFactory, check_endpoint
from kechuang.core.widgets import AutocompleteSelect
from kechuang.demands import services
from kechuang.demands.forms import TechDemandForm
from kechuang.demands.models import TechDemand
from kechuang.enterprises.models import Enterprise

pytestmark = pytest.mark.django_db

URL = "/autocomplete/enterprises/"


def _options(response) -> list[tuple[int, str]]:
    assert response.status_code == 200
    return [(int(v), label) for v, label in re.findall(
        r'data-value="(\d+)" data-label="([^"]*)"', response.content.decode())]


def _names(response) -> set[str]:
    return {label.split("（")[0] for _, label in _options(response)}


# --- permission matrix ------------------------------------------------------------------------

@pytest.mark.parametrize(("who", "audience"), [
    ("expert", Audience.NO_PERMISSION),
    ("system_admin", Audience.NO_PERMISSION),
    ("security_admin", Audience.NO_PERMISSION),
    ("audit_admin", Audience.NO_PERMISSION),
    ("sub_west", Audience.OUT_OF_REGION),
    ("staff", Audience.IN_REGION),
    ("sub_east", Audience.IN_REGION),
    ("ent_user", Audience.IN_REGION),
])
def test_endpoint_permission_matrix(who, audience, request, client_for, ent_east, ent_west):
    user = request.getfixturevalue(who)
    endpoint = Endpoint("autocomplete", "GET", lambda c: f"{URL}?q=东湖", object_level=False,
                        writes=(Enterprise, TechDemand))
    response = check_endpoint(client_for(user), endpoint, audience, None)
    if response.status_code == 200:
        expected = set() if audience == Audience.OUT_OF_REGION else {ent_east.name}
        assert _names(response) == expected


def test_endpoint_anonymous(client_for, ent_east):
    check_endpoint(client_for(None), Endpoint("autocomplete", "GET", lambda c: URL),
                   Audience.ANONYMOUS, None)


def test_unknown_source_is_404(staff, client_for):
    assert client_for(staff).get("/autocomplete/nothing/?q=a").status_code == 404


# --- search and scope ---------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["东湖智能", "donghuzhineng", "dhzn", "DHZN", None])
def test_search_by_name_pinyin_initials_and_code(text, staff, client_for, ent_east, ent_west):
    query = ent_east.uscc if text is None else text
    response = client_for(staff).get(URL, {"q": query})
    assert _options(response) == [(ent_east.pk, f"东湖智能装备有限公司（{ent_east.uscc}）")]


def test_out_of_scope_enterprises_never_appear(sub_west, client_for, ent_east, ent_west,
                                               regions):
    other = EnterpriseFactory(name="西山东湖联合有限公司", region=regions.east)
    client = client_for(sub_west)
    assert _names(client.get(URL)) == {ent_west.name}
    assert _names(client.get(URL, {"q": "有限公司"})) == {ent_west.name}
    assert _names(client.get(URL, {"q": ent_east.uscc})) == set()
    assert _names(client.get(URL, {"q": "东湖"})) == set()
    assert other.name not in client.get(URL, {"q": "西山"}).content.decode()


def test_enterprise_user_sees_only_its_own(ent_user, client_for, ent_east, ent_west):
    assert _names(client_for(ent_user).get(URL, {"q": "有限公司"})) == {ent_east.name}


def test_at_most_twenty_results_and_a_hint(staff, client_for, regions):
    for i in range(25):
        EnterpriseFactory(name=f"批量示范企业{i:02d}", region=regions.east)
    response = client_for(staff).get(URL, {"q": "批量示范"})
    assert [label.split("（")[0] for _, label in _options(response)] == [
        f"批量示范企业{i:02d}" for i in range(20)]
    assert "仅显示前20条" in response.content.decode()
    response = client_for(staff).get(URL, {"q": "批量示范企业2"})
    assert len(_options(response)) == 5  # 批量示范企业20…24
    assert "仅显示前20条" not in response.content.decode()


def test_no_match(staff, client_for, ent_east):
    response = client_for(staff).get(URL, {"q": "不存在的企业名"})
    assert _options(response) == []
    assert "无匹配结果" in response.content.decode()


# Per request: session, user, 2 × permissions, roles, role regions (+ the user's region for a
# 本区域 scope) and ONE enterprise query, whatever the number of matches. (Inside the test
# transaction the cached auth backend loads the user afresh; the session is not re-saved.)
@pytest.mark.parametrize(("who", "queries"), [("staff", 7), ("sub_east", 8)])
def test_query_count_is_pinned(who, queries, request, client_for, regions,
                               django_assert_num_queries):
    for i in range(40):
        EnterpriseFactory(name=f"计数示范企业{i:02d}", region=regions.east)
    client = client_for(request.getfixturevalue(who))
    client.get(URL, {"q": "warm"})  # session and content types warm, as in use
    with django_assert_num_queries(queries):
        assert len(_options(client.get(URL, {"q": "计数示范"}))) == 20


# --- the forms ------------------------------------------------------------------------------

@pytest.mark.parametrize(("form_class", "field"), [
    (TechDemandForm, "enterprise"), (VisitForm, "enterprise"),
    (TechContractForm, "enterprise"), (CarrierForm, "host_enterprise"),
])
def test_forms_use_the_autocomplete_and_render_no_option_list(form_class, field, staff,
                                                              regions):
    for i in range(30):
        EnterpriseFactory(name=f"表单示范企业{i:02d}", region=regions.east)
    form = form_class(user=staff)
    assert isinstance(form.fields[field].widget, AutocompleteSelect)
    html = str(form[field])
    assert "表单示范企业" not in html
    assert "<option" not in html
    assert f'hx-get="{URL}"' in html
    assert f'name="{field}"' in html


@pytest.mark.parametrize(("form_class", "field"), [
    (TechDemandForm, "enterprise"), (VisitForm, "enterprise"),
    (TechContractForm, "enterprise"), (CarrierForm, "host_enterprise"),
])
def test_forms_reject_an_out_of_scope_id(form_class, field, sub_west, ent_east, ent_west):
    form = form_class({field: ent_east.pk}, user=sub_west)
    form.is_valid()
    assert form.errors[field] == ["选择一个有效的选项： 该选择不在可用的选项中。"]
    assert ent_east.name not in str(form[field])  # the re-rendered form does not leak it
    form = form_class({field: "abc"}, user=sub_west)
    form.is_valid()
    assert form.errors[field] == ["选择一个有效的选项： 该选择不在可用的选项中。"]
    form = form_class({field: ent_west.pk}, user=sub_west)
    form.is_valid()
    assert field not in form.errors


def test_posting_an_out_of_scope_enterprise_writes_nothing(ent_user, ent_west, client_for,
                                                           changes):
    response = client_for(ent_user).post("/demands/add/", {
        "enterprise": ent_west.pk, "title": "印染废水处理",
        "description": "印染废水化学需氧量超标，需要处理工艺和设备。"})
    assert response.status_code == 400
    assert "选择一个有效的选项" in response.content.decode()
    assert TechDemand.objects.count() == 0
    assert changes() == []


def test_posting_an_in_scope_enterprise_saves(ent_user, ent_east, client_for):
    response = client_for(ent_user).post("/demands/add/", {
        "enterprise": ent_east.pk, "title": "印染废水处理",
        "description": "印染废水化学需氧量超标，需要处理工艺和设备。"})
    assert response.status_code == 302
    assert TechDemand.objects.get().enterprise == ent_east


def test_edit_form_shows_the_selected_enterprise_read_only(staff, ent_east):
    demand = services.create_demand(actor=staff, enterprise=ent_east, data={
        "title": "印染废水处理", "description": "印染废水化学需氧量超标，需要处理工艺和设备。"})
    html = str(TechDemandForm(instance=demand, user=staff)["enterprise"])
    assert f'value="东湖智能装备有限公司（{ent_east.uscc}）" disabled' in html
    assert 'name="enterprise"' not in html


def test_rerendered_form_keeps_the_chosen_label(staff, ent_east):
    form = TechDemandForm({"enterprise": ent_east.pk, "title": ""}, user=staff)
    form.is_valid()
    html = str(form["enterprise"])
    assert f'name="enterprise" value="{ent_east.pk}"' in html
    assert f'value="东湖智能装备有限公司（{ent_east.uscc}）"' in html
