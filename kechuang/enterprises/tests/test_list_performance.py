"""The list page's snapshots (ids per list version, migrations 0003 and 0005) and id-first
deep pages."""

import re

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kechuang.core import views as core_views
from kechuang.core.testing import EnterpriseFactory
from kechuang.core.testing.factories import AnnualIndicatorFactory, CertificationFactory
from kechuang.enterprises.models import AnnualIndicator, Enterprise


@pytest.fixture(autouse=True)
def _no_snapshots():
    core_views._snapshots.clear()
    core_views._rows_html.clear()
    yield
    core_views._snapshots.clear()
    core_views._rows_html.clear()


def _selects_ids(sql: str) -> bool:
    return (sql.startswith('SELECT "enterprises_enterprise"."id" AS "pk" FROM')
            and "LIMIT" not in sql)


def _list(client, path="/enterprises/") -> tuple[int, list[str], bool]:
    """(count shown, names on the page, whether the list's ids were selected afresh)."""
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(path).content.decode()
    fresh = any(_selects_ids(q["sql"]) for q in ctx.captured_queries)
    assert not any("COUNT(" in q["sql"] for q in ctx.captured_queries)
    count = int(re.search(r'data-testid="result-count">共 (\d+) 条', page).group(1))
    return count, re.findall(r'<tr><td><a href="[^"]*">([^<]+)</a>', page), fresh


def _count(client, path="/enterprises/") -> tuple[int, bool]:
    count, _, fresh = _list(client, path)
    return count, fresh


def test_snapshot_follows_committed_writes(transactional_db, regions, staff, sub_east,
                                          client_for):
    for region in (regions.east, regions.east, regions.west):
        EnterpriseFactory(region=region)
    staff_client, east_client = client_for(staff), client_for(sub_east)
    assert _count(staff_client) == (3, True)
    assert _count(staff_client) == (3, False)  # kept
    assert _count(east_client) == (2, True)  # another scope, another list

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


def test_renaming_an_enterprise_reorders_the_kept_list(transactional_db, regions, staff,
                                                      client_for):
    first = EnterpriseFactory(region=regions.east, name="A科技有限公司")
    EnterpriseFactory(region=regions.east, name="B科技有限公司")
    client = client_for(staff)
    assert _list(client)[1:] == (["A科技有限公司", "B科技有限公司"], True)
    assert _list(client)[1:] == (["A科技有限公司", "B科技有限公司"], False)
    Enterprise.objects.filter(pk=first.pk).update(name="C科技有限公司")
    assert _list(client)[1:] == (["B科技有限公司", "C科技有限公司"], True)


def test_filtered_list_follows_certification_and_indicator_writes(
        transactional_db, regions, staff, client_for):
    one = EnterpriseFactory(region=regions.east, name="一号公司")
    two = EnterpriseFactory(region=regions.east, name="二号公司")
    client = client_for(staff)
    path = "/enterprises/?certification=high_tech&year=2019&above_scale=true"
    assert _count(client, path) == (0, True)
    assert _count(client, path) == (0, False)
    for ent in (one, two):
        CertificationFactory(enterprise=ent, year=2018)
    assert _count(client, path) == (0, True)  # not yet above scale in 2019
    AnnualIndicatorFactory(enterprise=one, year=2019)
    AnnualIndicator.objects.filter(enterprise=one).update(is_above_scale_industrial=True)
    assert _count(client, path) == (1, True)
    assert _count(client, path) == (1, False)
    AnnualIndicator.objects.filter(enterprise=one).update(is_above_scale_industrial=False)
    assert _count(client, path) == (0, True)


def test_no_snapshot_inside_a_transaction(regions, staff, client_for):
    EnterpriseFactory(region=regions.east)
    client = client_for(staff)
    with CaptureQueriesContext(connection) as ctx:
        client.get("/enterprises/")
    assert any("COUNT(" in q["sql"] for q in ctx.captured_queries)
    EnterpriseFactory(region=regions.east)  # uncommitted: the version cannot see it
    page = client.get("/enterprises/").content.decode()
    assert 'data-testid="result-count">共 2 条' in page


def test_snapshot_pages_equal_plain_pages(transactional_db, regions):
    for i in range(7):
        EnterpriseFactory(region=regions.east if i % 2 else regions.west)
    qs = Enterprise.objects.select_related("region").only("name", "region__name")
    east = qs.filter(region=regions.east)
    fast = core_views.ListPaginator(east, 2, count_version=lambda: 1, rows_queryset=qs)
    plain = Paginator(east, 2)
    assert fast.count == plain.count == 3
    assert fast.num_pages == plain.num_pages == 2
    for number in (1, 2):
        assert list(fast.page(number).object_list) == list(plain.page(number).object_list)


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


def _tbody(page: str) -> str:
    return page[page.index("<tbody>"):page.index("</tbody>")]


def _page_queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(path).content.decode()
    return page, [q["sql"] for q in ctx.captured_queries
                  if q["sql"].startswith('SELECT "enterprises_enterprise"."id", ')]


def test_kept_table_body_is_the_same_page_and_follows_writes(transactional_db, regions, staff,
                                                             client_for):
    for i in range(3):
        EnterpriseFactory(region=regions.east, name=f"{i}号科技有限公司")
    client = client_for(staff)
    first, loads = _page_queries(client, "/enterprises/")
    assert len(loads) == 1  # the page's rows
    again, loads = _page_queries(client, "/enterprises/")
    assert loads == []  # table body kept: no row loaded
    assert _tbody(again) == _tbody(first)
    assert "0号科技有限公司" in _tbody(first)
    Enterprise.objects.filter(name="1号科技有限公司").update(name="9号科技有限公司")
    changed, loads = _page_queries(client, "/enterprises/")
    assert len(loads) == 1
    assert "9号科技有限公司" in changed
    assert "1号科技有限公司" not in changed


def test_empty_snapshot_page_shows_the_empty_message(transactional_db, regions, staff,
                                                     client_for):
    client = client_for(staff)
    for _ in range(2):
        page = client.get("/enterprises/?q=不存在的企业名称").content.decode()
        assert "没有符合条件的记录" in page
