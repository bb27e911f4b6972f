"""Demo achievements: ~1,000 fictional achievements (2016 – 2020-09-30)."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from . import services
from .choices import IpType, Maturity, OwnerKind, TransferMode
from .demo_text import INSTITUTES, TOPICS

DEMO_ORDER = 42
END = dt.date(2020, 9, 30)
SUFFIXES = ["及其应用", "关键技术", "集成系统", "的制备方法", "装置与方法", "工艺优化"]


def demo_moment(rng, start_year: int = 2016, end: dt.date = END) -> dt.datetime:
    start = dt.date(start_year, 1, 1)
    day = start + dt.timedelta(days=rng.randrange((end - start).days + 1))
    return dt.datetime(day.year, day.month, day.day, 9 + rng.randrange(8),
                       tzinfo=timezone.get_current_timezone())


def build(ctx) -> None:
    rng = ctx.rng
    subs = ctx.data.get("subdistricts") or [ctx.home]
    carriers = [c for c in ctx.data.get("carriers", [])
                if c.kind in ("research_institute", "key_laboratory", "pilot_base")]
    fields = sorted(TOPICS)
    n_total = max(50, int(1000 * min(ctx.scale, 1.0)))
    maturities = [m.value for m in Maturity]
    made = 0
    for n in range(n_total):
        field = fields[n % len(fields)]
        topic, problem, method = TOPICS[field][(n // len(fields)) % len(TOPICS[field])]
        suffix = SUFFIXES[rng.randrange(len(SUFFIXES))]
        inst = carriers[n % len(carriers)] if carriers and n % 5 == 0 else None
        owner = inst.name if inst else INSTITUTES[rng.randrange(len(INSTITUTES))]
        maturity = maturities[min(len(maturities) - 1, rng.randrange(1, len(maturities)))]
        ip_type = [IpType.INVENTION, IpType.INVENTION, IpType.UTILITY, IpType.SOFTWARE,
                   IpType.KNOW_HOW][rng.randrange(5)]
        number = (f"ZL{2015 + rng.randrange(5)}1{rng.randrange(10**7):07d}.{rng.randrange(10)}"
                  if ip_type in (IpType.INVENTION, IpType.UTILITY) else "")
        published = demo_moment(rng)
        status = "published" if n % 23 else "pending"
        obj = services.create_achievement(actor=ctx.actor, publish=status == "published",
                                          published_at=published, data={
            "owner_name": owner, "institution": inst,
            "owner_kind": OwnerKind.INSTITUTE if inst else OwnerKind.UNIVERSITY,
            "title": f"{method}{suffix}（第{n + 1}号）",
            "abstract": (f"针对{topic}领域{problem}的问题，本成果提出{method}。"
                         f"经{rng.randrange(2, 9)}家企业试用，效率提升{rng.randrange(10, 60)}%，"
                         f"可用于{topic}相关产品的研发与生产。"),
            "keywords": [topic, method[:6]], "field": field, "maturity": maturity,
            "ip_type": ip_type, "ip_number": number,
            "transfer_mode": list(TransferMode.values)[rng.randrange(4)],
            "price": Decimal(rng.randrange(5, 500) * 10000) if n % 4 else None,
            "region": inst.region if inst else subs[n % len(subs)],
        })
        if status == "published" and n % 17 == 0:
            services.change_achievement_status(actor=ctx.actor, achievement=obj,
                                               status="transferred")
        made += 1
    ctx.data.setdefault("summary", []).append(f"科技成果：{made}项")
