"""The region tree: materialized paths, subtree queries and the audited upsert service."""

from kechuang.core.testing import EnterpriseFactory
from kechuang.enterprises.models import Enterprise
from kechuang.regions.models import Region, home_district
from kechuang.regions.services import upsert_region


def test_paths_and_depths(regions):
    assert regions.city.path == "339900/"
    assert regions.east.path == "339900/339901/339901001/"
    assert (regions.city.depth, regions.district.depth, regions.east.depth) == (0, 1, 2)


def test_descendants_and_ancestors(regions):
    assert set(regions.district.descendants().values_list("name", flat=True)) == {
        "示范区", "东湖街道", "西山街道", "科创园区"}
    assert "示范区" not in set(regions.district.descendants(include_self=False)
                            .values_list("name", flat=True))
    assert list(regions.east.ancestors().values_list("name", flat=True)) == [
        "示例市", "示范区", "东湖街道"]
    assert regions.east.full_name == "示范区东湖街道"
    assert home_district() == regions.district


def test_subtree_q_is_one_predicate(regions):
    EnterpriseFactory(region=regions.east, name="甲")
    EnterpriseFactory(region=regions.north, name="乙")
    names = set(Enterprise.objects.filter(regions.district.subtree_q())
                .values_list("name", flat=True))
    assert names == {"甲"}


def test_upsert_region_creates_then_updates_with_audit(regions, staff, changes):
    street = upsert_region(actor=staff, code="339901004", name="南湖街道", kind="subdistrict",
                           parent=regions.district)
    assert street.path == "339900/339901/339901004/"
    upsert_region(actor=staff, code="339901004", name="南湖街道（新）", kind="subdistrict",
                  parent=regions.district)
    assert Region.objects.get(code="339901004").name == "南湖街道（新）"
    recs = changes()
    assert [r.action for r in recs] == ["create", "update"]
    assert (recs[1].before["name"], recs[1].after["name"]) == ("南湖街道", "南湖街道（新）")
