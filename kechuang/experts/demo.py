"""Demo experts: domestic experts, academicians and ≥ 400 overseas engineers (fictional)."""

import datetime as dt

from kechuang.achievements.demo_text import (
    COUNTRIES,
    FOREIGN_FIRST,
    FOREIGN_LAST,
    GIVEN,
    INSTITUTES,
    SURNAMES,
    TOPICS,
)

from . import services

DEMO_ORDER = 41
OVERSEAS = 420
DOMESTIC = 90
ACADEMICIANS = 8


def _topic(n: int) -> tuple[str, str]:
    fields = sorted(TOPICS)
    field = fields[n % len(fields)]
    topic, problem, method = TOPICS[field][(n // len(fields)) % len(TOPICS[field])]
    return field, f"{topic}；{method}；擅长解决{problem}等问题"


def build(ctx) -> None:
    rng = ctx.rng
    home = ctx.home
    subs = ctx.data.get("subdistricts") or [home]
    count = 0
    for n in range(OVERSEAS):
        field, spec = _topic(n)
        first = FOREIGN_FIRST[n % len(FOREIGN_FIRST)]
        last = FOREIGN_LAST[(n // len(FOREIGN_FIRST)) % len(FOREIGN_LAST)]
        start = dt.date(2016 + n % 5, 1 + n % 12, 1)
        services.create_expert(actor=ctx.actor, data={
            "kind": "overseas_engineer", "name": f"{first} {last}{n + 1}",
            "country": COUNTRIES[n % len(COUNTRIES)], "organisation": "海外工程师协同创新中心",
            "languages": ["英语", "中文"] if n % 3 == 0 else ["英语"],
            "fields": [field], "specialties": spec,
            "availability_from": start,
            "availability_until": start + dt.timedelta(days=365 * (1 + n % 3)),
            "service_mode": ["remote", "both", "onsite"][n % 3], "region": home,
            "registered_on": min(start, dt.date(2020, 9, 30)),
        })
        count += 1
    for n in range(DOMESTIC + ACADEMICIANS):
        field, spec = _topic(n + 3)
        academician = n >= DOMESTIC
        services.create_expert(actor=ctx.actor, data={
            "kind": "academician" if academician else "expert",
            "name": f"{SURNAMES[n % len(SURNAMES)]}{GIVEN[(n // len(SURNAMES)) % len(GIVEN)]}"
                    f"{'' if n < len(SURNAMES) * len(GIVEN) else n}",
            "organisation": INSTITUTES[n % len(INSTITUTES)],
            "title": "院士" if academician else ["教授", "研究员", "高级工程师"][n % 3],
            "languages": ["中文"], "fields": [field], "specialties": spec,
            "service_mode": ["both", "onsite", "remote"][n % 3],
            "talent_programmes": ["provincial_high_level"] if n % 7 == 0 else [],
            "phone": f"139{rng.randrange(10**8):08d}", "region": subs[n % len(subs)],
            "registered_on": dt.date(2016 + n % 5, 1 + n % 9, 10),
        })
        count += 1
    ctx.data.setdefault("summary", []).append(
        f"专家与人才：{count}名（海外工程师{OVERSEAS}名、院士{ACADEMICIANS}名）")
