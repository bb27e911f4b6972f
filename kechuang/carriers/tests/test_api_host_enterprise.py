"""The carrier API names its host enterprise by id: an enterprise the user cannot see is
answered exactly like an id nobody uses (it used to be accepted, and its name copied into
``host_name``); an update may send back the host enterprise the carrier already names."""

import pytest

from kechuang.carriers import services
from kechuang.carriers.models import Carrier
from kechuang.core.api import PK_NOT_FOUND
from kechuang.core.testing import make_user
from kechuang.core.testing.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

URL = "/api/carriers/carriers/"
PERMS = ("enterprises.view_enterprise", "carriers.view_carrier", "carriers.add_carrier",
         "carriers.change_carrier")


@pytest.fixture
def writer(regions):
    """Sees 东湖街道 (``ent_east``), not 西山街道 (``ent_west``)."""
    return make_user(perms=PERMS, scope="region_tree", region=regions.east,
                     username="donghu-writer")


def _body(ent_id):
    return {"name": "东湖孵化器", "kind": "incubator", "level": "district",
            "region": "339901001", "host_enterprise": ent_id}


def test_a_hidden_host_enterprise_is_answered_like_a_missing_one(writer, ent_east, ent_west,
                                                                 client_for, changes):
    client = client_for(writer)
    missing_id = max(ent_east.pk, ent_west.pk) + 1000
    start = changes()

    hidden = client.post(URL, _body(ent_west.pk), content_type="application/json")
    missing = client.post(URL, _body(missing_id), content_type="application/json")

    assert (hidden.status_code, missing.status_code) == (400, 400)
    message = PK_NOT_FOUND.replace("{noun}", "依托企业")
    assert hidden.json() == {"host_enterprise": [message.format(pk_value=ent_west.pk)]}
    assert missing.json() == {"host_enterprise": [message.format(pk_value=missing_id)]}
    assert ent_west.name not in hidden.content.decode()
    assert Carrier.objects.count() == 0
    assert changes() == start


def test_a_host_enterprise_in_scope_is_accepted(writer, ent_east, client_for):
    response = client_for(writer).post(URL, _body(ent_east.pk),
                                       content_type="application/json")

    assert response.status_code == 201, response.content.decode()
    carrier = Carrier.objects.get()
    assert (carrier.host_enterprise, carrier.host_name) == (ent_east, ent_east.name)


def test_an_update_may_send_back_the_host_enterprise_it_names(writer, staff, regions, ent_east,
                                                              ent_west, client_for):
    carrier = services.create_carrier(actor=staff, data={
        "name": "东湖孵化器", "kind": "incubator", "level": "district", "region": regions.east,
        "host_enterprise": ent_west})
    client = client_for(writer)
    shown = client.get(f"{URL}{carrier.pk}/").json()

    kept = client.patch(f"{URL}{carrier.pk}/", {"host_enterprise": shown["host_enterprise"],
                                                "name": "东湖科技孵化器"},
                        content_type="application/json")
    hidden = EnterpriseFactory(region=regions.west)  # another enterprise out of scope
    moved = client.patch(f"{URL}{carrier.pk}/", {"host_enterprise": hidden.pk},
                         content_type="application/json")

    assert kept.status_code == 200, kept.content.decode()
    assert moved.status_code == 400
    carrier.refresh_from_db()
    assert (carrier.name, carrier.host_enterprise) == ("东湖科技孵化器", ent_west)


def test_the_browsable_api_form_offers_only_enterprises_in_scope(writer, ent_east, ent_west,
                                                                 client_for):
    html = client_for(writer).get(URL, HTTP_ACCEPT="text/html").content.decode()

    assert ent_east.name in html
    assert ent_west.name not in html
