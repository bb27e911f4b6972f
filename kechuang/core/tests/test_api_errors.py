"""API error answers integrators read: Chinese, and a failed request changes nothing."""

import pytest

from kechuang.demands import services
from kechuang.demands.models import TechDemand

pytestmark = pytest.mark.django_db


@pytest.fixture
def demand(staff, ent_east):
    return services.create_demand(actor=staff, enterprise=ent_east, data={
        "title": "印染废水", "description": "印染废水化学需氧量超标需要处理工艺"})


@pytest.mark.parametrize(("_case", "body", "detail"), [
    ("unclosed object", b'{"title": "x"', "请求内容不是合法的 JSON（第1行第14列附近），"
                                             "请检查格式与编码（UTF-8）"),
    ("bare key", b"{title: 1}", "请求内容不是合法的 JSON（第1行第2列附近），"
                                "请检查格式与编码（UTF-8）"),
    ("NaN", b'{"budget": NaN}', "请求内容不是合法的 JSON，请检查格式与编码（UTF-8）"),
    ("not UTF-8", b"\xff\xfe", "请求内容不是合法的 JSON，请检查格式与编码（UTF-8）"),
])
def test_invalid_json_answers_in_chinese_and_changes_nothing(_case, body, detail, demand,
                                                             staff, client_for, changes):
    before = list(TechDemand.objects.values())
    records = changes()

    response = client_for(staff).patch(f"/api/demands/demands/{demand.pk}/", body,
                                       content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"detail": detail}
    assert list(TechDemand.objects.values()) == before
    assert changes() == records


def test_a_record_level_service_error_uses_drf_non_field_key(staff, ent_east, client_for,
                                                             changes):
    demand = services.create_demand(actor=staff, enterprise=ent_east, data={
        "title": "印染废水", "description": "印染废水化学需氧量超标需要处理工艺"}, publish=True)
    services.change_demand_status(actor=staff, demand=demand, status="closed")
    before = list(TechDemand.objects.values())
    records = changes()

    response = client_for(staff).patch(f"/api/demands/demands/{demand.pk}/",
                                       {"title": "新的需求名称"},
                                       content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["需求已关闭，不能修改"]}
    assert list(TechDemand.objects.values()) == before
    assert changes() == records
