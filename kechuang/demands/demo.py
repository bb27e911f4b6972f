"""Demo demands: a few hundred demands stated in the enterprises' own words (fictional)."""

import datetime as dt
from decimal import Decimal

from kechuang.achievements.demo import demo_moment
from kechuang.achievements.demo_text import TOPICS

from . import services

DEMO_ORDER = 43
OPENERS = ["我们公司", "我司", "厂里", "本企业", "我们车间"]
ASKS = ["希望找到成熟的技术方案", "想和高校院所合作攻关", "需要专家上门指导",
        "愿意购买专利或技术许可", "希望引进海外工程师远程支持"]


def build(ctx) -> None:
    rng = ctx.rng
    ents = ctx.data.get("enterprises") or []
    if not ents:
        return
    fields = sorted(TOPICS)
    total = max(30, int(320 * min(ctx.scale, 1.0)))
    for n in range(total):
        field = fields[rng.randrange(len(fields))]
        topic, problem, _method = TOPICS[field][rng.randrange(len(TOPICS[field]))]
        ent = ents[rng.randrange(len(ents))]
        published = demo_moment(rng, 2017)
        status = ["published"] * 3 + ["matching", "solved", "solved", "closed", "pending"]
        status = status[rng.randrange(len(status))]
        demand = services.create_demand(
            actor=ctx.actor, enterprise=ent, publish=status != "pending",
            published_at=published, data={
                "title": f"{topic}：{problem[:12]}",
                "description": f"{OPENERS[n % len(OPENERS)]}{problem}，"
                               f"{ASKS[rng.randrange(len(ASKS))]}。",
                "field": field if n % 4 else "",
                "budget": Decimal(rng.randrange(5, 300) * 10000) if n % 3 else None,
                "deadline": (published + dt.timedelta(days=180)).date(),
                "is_anonymous": n % 6 == 0, "contact_name": "联系人",
            })
        if status in ("matching", "solved", "closed"):
            services.change_demand_status(actor=ctx.actor, demand=demand, status="matching")
            if status != "matching":
                services.change_demand_status(actor=ctx.actor, demand=demand, status=status)
    ctx.data.setdefault("summary", []).append(f"技术需求：{total}项")
