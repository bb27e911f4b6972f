"""Permission matrix for demand pages and API endpoints."""

import pytest

from kechuang.accounts.choices import RoleCode
from kechuang.core.testing.factories import make_user
from kechuang.core.testing.matrix import Audience, Endpoint, check_endpoint
from kechuang.demands import services
from kechuang.demands.models import TechDemand

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    Endpoint("list", "GET", lambda c: "/demands/", object_level=False),
    Endpoint("detail", "GET", lambda c: f"/demands/{c.demand.pk}/"),
    Endpoint("edit", "GET", lambda c: f"/demands/{c.demand.pk}/edit/"),
    Endpoint("review", "POST", lambda c: f"/demands/{c.demand.pk}/review/",
             data=lambda c: {"decision": "approve"}, ok=302, writes=(TechDemand,)),
    Endpoint("api list", "GET", lambda c: "/api/demands/demands/", api=True, object_level=False),
    Endpoint("api detail", "GET", lambda c: f"/api/demands/demands/{c.demand.pk}/", api=True),
    Endpoint("api patch", "PATCH", lambda c: f"/api/demands/demands/{c.demand.pk}/", api=True,
             data=lambda c: {"title": "新的需求名称"}, writes=(TechDemand,)),
]


class Ctx:
    pass


@pytest.fixture
def ctx(regions, ent_west, staff):
    c = Ctx()
    c.demand = services.create_demand(actor=staff, enterprise=ent_west, data={
        "title": "印染废水", "description": "印染废水化学需氧量超标需要处理工艺"})
    return c


@pytest.fixture
def audience_user(regions):
    perms = ("demands.view_techdemand", "demands.change_techdemand",
             "demands.review_techdemand")
    return {
        Audience.ANONYMOUS: None,
        Audience.NO_PERMISSION: make_user(RoleCode.EXPERT, username="np"),
        Audience.OUT_OF_REGION: make_user(region=regions.east, perms=perms,
                                          scope="region_tree", username="out"),
        Audience.IN_REGION: make_user(region=regions.west, perms=perms,
                                      scope="region_tree", username="inr"),
    }


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
@pytest.mark.parametrize("audience", list(Audience))
def test_matrix(endpoint, audience, ctx, audience_user, client_for):
    user = audience_user[audience]
    if audience == Audience.IN_REGION and user is not None:
        user.region.refresh_from_db()
    check_endpoint(client_for(user), endpoint, audience, ctx)
