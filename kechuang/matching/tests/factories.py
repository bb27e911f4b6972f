"""Records for matching tests, created through services so the index follows."""

import datetime as dt
from decimal import Decimal

from kechuang.achievements import services as achievement_services
from kechuang.demands import services as demand_services
from kechuang.experts import services as expert_services

ACHIEVEMENTS = [
    ("高镍三元锂电池正极材料制备技术",
     "一种高镍三元正极材料的共沉淀制备方法，提高锂电池循环寿命和能量密度。",
     "04", "4_pilot", "assignment"),
    ("印染废水膜生物反应器处理工艺",
     "采用膜生物反应器处理印染废水，化学需氧量去除率达到百分之九十五。",
     "07", "6_industrial", "license"),
    ("工业机器人视觉定位系统", "基于深度学习的工业机器人视觉定位，用于零件抓取和装配。",
     "08", "2_lab", "cooperation"),
    ("锂电池回收湿法冶金工艺", "废旧锂电池正极粉料的湿法浸出回收镍钴锰。", "07", "4_pilot",
     "assignment"),
    ("纳米纤维素增强复合材料", "纳米纤维素增强聚乳酸复合材料的制备与性能。", "04", "3_small",
     "equity"),
]


def make_achievements(staff, region, items=ACHIEVEMENTS):
    out = []
    for title, abstract, field, maturity, mode in items:
        out.append(achievement_services.create_achievement(actor=staff, publish=True, data={
            "owner_name": "示例大学", "title": title, "abstract": abstract, "field": field,
            "maturity": maturity, "transfer_mode": mode, "region": region,
            "price": Decimal("500000"),
        }))
    return out


def field_training_items(n: int = 12) -> list[tuple]:
    """``n`` 锂电池 achievements in field 04 and ``n`` 印染废水 ones in field 07: enough published
    records for the 技术领域 suggester to train on."""
    items = []
    for i in range(n):
        items.append((f"锂电池正极材料{i}号", "高镍三元锂电池正极材料共沉淀制备", "04", "4_pilot",
                      "assignment"))
        items.append((f"印染废水处理{i}号", "膜生物反应器处理印染废水化学需氧量", "07", "4_pilot",
                      "assignment"))
    return items


def make_demand(staff, enterprise, title, description, publish=True, **extra):
    return demand_services.create_demand(actor=staff, enterprise=enterprise, publish=publish,
                                         data={"title": title, "description": description,
                                               **extra})


def make_expert(staff, region, name, specialties, kind="expert", **extra):
    data = {"name": name, "kind": kind, "specialties": specialties, "region": region,
            "fields": extra.pop("fields", ["08"]), "country": extra.pop("country", "中国"),
            "service_mode": extra.pop("service_mode", "both"), **extra}
    return expert_services.create_expert(actor=staff, data=data)


def day(y, m, d):
    return dt.date(y, m, d)
