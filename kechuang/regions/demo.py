"""Demo regions: the fictional 东澄市 with ten districts; the home district 临澜区 with eight
街道/镇/园区. Codes are fictional (prefix 99, which no real 行政区划 uses)."""

from kechuang.regions.models import RegionKind
from kechuang.regions.services import upsert_region

DEMO_ORDER = 10

CITY = ("339800", "东澄市")
HOME_CODE = "339803"
DISTRICTS = (
    ("339801", "澄湖区"), ("339802", "云岫区"), (HOME_CODE, "临澜区"), ("339804", "鹤汀区"),
    ("339805", "青屿区"), ("339806", "珑湾区"), ("339807", "岚溪区"), ("339808", "梧岗区"),
    ("339809", "澄北区"), ("339810", "苍澜县"),
)
SUBDISTRICTS = (
    ("339803001", "青澜街道", RegionKind.SUBDISTRICT),
    ("339803002", "白汀街道", RegionKind.SUBDISTRICT),
    ("339803003", "望湖街道", RegionKind.SUBDISTRICT),
    ("339803004", "柳岸街道", RegionKind.SUBDISTRICT),
    ("339803101", "石岙镇", RegionKind.SUBDISTRICT),
    ("339803102", "云塘镇", RegionKind.SUBDISTRICT),
    ("339803201", "临澜高新技术产业园区", RegionKind.PARK),
    ("339803202", "东澄智能装备产业园", RegionKind.PARK),
)
# Share of the home district's enterprises in each 街道/园区 (same order as SUBDISTRICTS).
ENTERPRISE_WEIGHTS = (14, 11, 9, 8, 10, 9, 24, 15)


def build(ctx) -> None:
    city = upsert_region(actor=ctx.actor, code=CITY[0], name=CITY[1], kind=RegionKind.CITY,
                         parent=None)
    ctx.regions[city.code] = city
    for order, (code, name) in enumerate(DISTRICTS, start=1):
        region = upsert_region(actor=ctx.actor, code=code, name=name, kind=RegionKind.DISTRICT,
                               parent=city, is_home=code == HOME_CODE, sort_order=order)
        ctx.regions[code] = region
    home = ctx.regions[HOME_CODE]
    ctx.data["home_district"] = home
    subdistricts = []
    for order, (code, name, kind) in enumerate(SUBDISTRICTS, start=1):
        region = upsert_region(actor=ctx.actor, code=code, name=name, kind=kind, parent=home,
                               sort_order=order)
        ctx.regions[code] = region
        subdistricts.append(region)
    ctx.data["subdistricts"] = subdistricts
    ctx.data["subdistrict_weights"] = ENTERPRISE_WEIGHTS
    # Hook for issue 6 (indicators): the other districts' aggregate figures are built by the
    # indicators app's own demo module from ctx.regions (DEMO_ORDER after the enterprises).
    ctx.data.setdefault("summary", []).append(
        f"区域：{CITY[1]}（{len(DISTRICTS)}个区县），本区{home.name}（{len(SUBDISTRICTS)}个街道/镇/园区）")
