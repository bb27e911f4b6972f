"""Demand registry pages."""

import pytest

from kechuang.demands import services

pytestmark = pytest.mark.django_db

DATA = {"title": "印染废水处理", "description": "印染废水化学需氧量超标，需要处理工艺和设备。",
        "keywords": ["印染", "废水"]}


def test_history_speaks_chinese(staff, ent_user, ent_east, client_for):
    demand = services.create_demand(actor=ent_user, enterprise=ent_east, data=DATA)
    services.review_demand(actor=staff, demand=demand, approve=True)
    page = client_for(ent_user).get(f"/demands/{demand.pk}/").content.decode()
    history = page[page.index('data-testid="history"'):]
    assert "状态：待审核 → 已发布" in history
    assert "需求名称：— → 印染废水处理" in history
    assert "关键词：— → 印染、废水" in history
    assert "匿名发布：— → 否" in history
    for raw in ("updated_by_id", "created_by_id", "enterprise_id", "published", "<code>"):
        assert raw not in history


def test_history_does_not_show_personal_data(staff, leader, ent_east, client_for):
    demand = services.create_demand(actor=staff, enterprise=ent_east, data=DATA)
    services.update_demand(actor=staff, demand=demand, data={"contact_name": "李示例"})
    page = client_for(leader).get(f"/demands/{demand.pk}/").content.decode()
    assert "李**" in page  # the page masks the contact for a leader …
    history = page[page.index('data-testid="history"'):]
    assert "联系人：— → ***" in history  # … and so does the history below it
    assert "李示例" not in page
