"""The list page's cached count (migration 0003 triggers) and id-first deep pages."""

import re

from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kechuang.core import views as core_views
from kechuang.core.testing import EnterpriseFactory
from kechuang.enterprises.models import Enterprise


def _count(client) -> tuple[int, bool]:
    with CaptureQueriesContext(connection) as ctx:
        html = client.get("/enterprises/").content.decode()
    counted = any("COUNT(" in q["sql"] for q in ctx.captured_queries)
    return int(re.search(r'data-testid="result-count">共 (\d+) 条', html).group(1)), counted


def test_cached_count_follows_committed_writes(transactional_db, regions, staff, sub_east,
                                               client_for):
    for region in (regions.east, regions.east, regions.west):
        EnterpriseFactory(region=region)
    staff_client, east_client = client_for(staff), client_for(sub_east)
    assert _count(staff_client) == (3, True)
    assert _count(staff_client) == (3, False)  # cached
    assert _count(east_client) == (2, True)  # another scope, another count

    EnterpriseFactory(region=regions.west)
    assert _count(staff_client) == (4, True)
    assert _count(east_client) == (2, True)

    # Bulk updates and deletes send no signals; the triggers still see them.
    Enterprise.objects.filter(region=regions.west).update(region=regions.east)
    assert _count(east_client) == (4, True)
    Enterprise.objects.filter(pk=Enterprise.objects.order_by("pk")[0].pk).delete()
    assert _count(staff_client) == (3, True)
    assert _count(east_client) == (3, True)
    assert _count(east_client) == (3, False)


def test_no_cached_count_inside_a_transaction(regions, staff, client_for):
    EnterpriseFactory(region=regions.east)
    client = client_for(staff)
    assert _count(client) == (1, True)
    EnterpriseFactory(region=regions.east)  # uncommitted: the version cannot see it
    assert _count(client) == (2, True)


def test_deep_pages_select_ids_first(regions, monkeypatch):
    for _ in range(7):
        EnterpriseFactory(region=regions.east)
    qs = Enterprise.objects.select_related("region").only("name", "region__name")
    monkeypatch.setattr(core_views.ListPaginator, "DEEP_OFFSET", 0)
    fast, plain = core_views.ListPaginator(qs, 2), Paginator(qs, 2)
    assert fast.num_pages == plain.num_pages == 4
    for number in range(1, 5):
        got = list(fast.page(number).object_list)
        assert got == list(plain.page(number).object_list)
        assert [e.region.name for e in got] == [e.region.name for e in
                                                 plain.page(number).object_list]
