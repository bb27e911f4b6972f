"""Demo carriers: fictional names; 3 省级产业创新综合体 (one new in 2020), 2 院士工作站 (2020)."""

import datetime as dt

from kechuang.matching import sync

from . import services

DEMO_ORDER = 40

# (name, kind, level, opened, recognized)
CARRIERS = [
    ("示范区智能装备省级产业创新综合体", "innovation_complex", "provincial",
     (2017, 5, 1), (2018, 9, 20)),
    ("示范区新材料省级产业创新综合体", "innovation_complex", "provincial",
     (2018, 3, 1), (2019, 8, 15)),
    ("示范区数字健康省级产业创新综合体", "innovation_complex", "provincial",
     (2019, 6, 1), (2020, 7, 10)),
    ("示范区先进制造研究院", "research_institute", "municipal", (2016, 4, 1), (2017, 6, 1)),
    ("示范区新能源技术研究院", "research_institute", "district", (2018, 1, 10), (2018, 12, 1)),
    ("东湖光电材料重点实验室", "key_laboratory", "provincial", (2015, 9, 1), (2016, 10, 1)),
    ("西山环境工程重点实验室", "key_laboratory", "municipal", (2017, 3, 1), (2018, 5, 1)),
    ("示范区生物医药中试基地", "pilot_base", "municipal", (2018, 8, 1), (2019, 4, 1)),
    ("科创园区众创空间", "makerspace", "provincial", (2015, 6, 1), (2016, 6, 1)),
    ("东湖青年众创空间", "makerspace", "municipal", (2017, 2, 1), (2017, 12, 1)),
    ("示范区科技企业孵化器", "incubator", "national", (2012, 5, 1), (2015, 11, 1)),
    ("西山科技企业孵化器", "incubator", "municipal", (2016, 9, 1), (2018, 1, 1)),
    ("示范区产业加速器", "accelerator", "district", (2019, 3, 1), (2019, 10, 1)),
    ("示范智能装备院士工作站", "academician_workstation", "provincial",
     (2020, 3, 1), (2020, 6, 18)),
    ("示范新材料院士工作站", "academician_workstation", "municipal", (2020, 5, 1), (2020, 8, 28)),
    ("示范农业星创天地", "star_innovation", "provincial", (2017, 4, 1), (2018, 3, 1)),
]


def build(ctx) -> None:
    sync.SUSPENDED = True  # matching/demo.py rebuilds the indexes once at the end
    home = ctx.home
    subs = ctx.data.get("subdistricts") or [home]
    ents = ctx.data.get("enterprises") or []
    made = []
    for i, (name, kind, level, opened, recognized) in enumerate(CARRIERS):
        host = ents[(i * 37) % len(ents)] if ents and kind in (
            "innovation_complex", "academician_workstation", "pilot_base") else None
        made.append(services.create_carrier(actor=ctx.actor, data={
            "name": name, "kind": kind, "level": level, "region": subs[i % len(subs)],
            "opened_on": dt.date(*opened), "recognized_on": dt.date(*recognized),
            "host_enterprise": host, "host_name": host.name if host else "示范区管委会",
            "fields": [f"0{1 + i % 8}"], "contact_name": "张示例",
            "contact_phone": f"0571{88000000 + i:08d}",
        }))
    ctx.data["carriers"] = made
    ctx.data.setdefault("summary", []).append(
        f"创新载体：{len(made)}个（含省级产业创新综合体3个、院士工作站2个）")
