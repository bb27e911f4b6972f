# ruff: noqa: T201
"""Fill a benchmark database: 100,000 enterprises × 5 years of indicators, certifications.

    .venv/bin/python bench/foundation/populate.py --database-url URL [--enterprises 100000]

Set-up only (not measured): rows are written with bulk_create, not through services.
"""

import argparse
import datetime as dt
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common

YEARS = (2015, 2016, 2017, 2018, 2019)
BATCH = 5000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--enterprises", type=int, default=100_000)
    args = parser.parse_args()
    env = common.env_for(args.database_url)
    common.kechuang(env, "migrate", "-v", "0")
    common.setup_django(args.database_url)
    from kechuang.core.pinyin import to_pinyin
    from kechuang.enterprises.models import AnnualIndicator, Certification, Enterprise

    streets = common.ensure_regions()
    rng = random.Random(2020)
    started = time.perf_counter()
    have = Enterprise.objects.count()
    batch = []
    for i in range(have + 1, args.enterprises + 1):
        name = common.company_name(i)
        full, initials = to_pinyin(name)
        batch.append(Enterprise(
            uscc=common.uscc(i), name=name, name_pinyin=full, name_initials=initials,
            industry_code=common.INDUSTRIES[i % 12], region=streets[i % 12],
            established_on=dt.date(2000, 1, 1) + dt.timedelta(days=i % 7000),
            registered_capital=Decimal(1_000_000 + i), contact_phone=f"139{i:08d}"))
        if len(batch) >= BATCH:
            Enterprise.objects.bulk_create(batch)
            batch = []
    Enterprise.objects.bulk_create(batch)
    print(f"enterprises: {Enterprise.objects.count()} ({time.perf_counter() - started:.0f}s)")
    ids = list(Enterprise.objects.order_by("pk").values_list("pk", "industry_code"))
    if not AnnualIndicator.objects.exists():
        batch = []
        for pk, code in ids:
            revenue = Decimal(rng.randrange(1_000_000, 80_000_000))
            for year in YEARS:
                batch.append(AnnualIndicator(
                    enterprise_id=pk, year=year, staff_total=100, st_staff=20,
                    sales_revenue=revenue, main_business_revenue=revenue,
                    rd_expense=revenue / 20, total_assets=revenue * 2,
                    is_above_scale_industrial=code[0] in "BCD" and revenue >= 20_000_000))
                if len(batch) >= BATCH:
                    AnnualIndicator.objects.bulk_create(batch)
                    batch = []
        AnnualIndicator.objects.bulk_create(batch)
    print(f"indicators: {AnnualIndicator.objects.count()} ({time.perf_counter() - started:.0f}s)")
    if not Certification.objects.exists():
        batch = []
        for pk, _ in ids:
            r = rng.random()
            if r < 0.25:
                year = rng.choice((2016, 2017, 2018, 2019))
                issued = dt.date(year, 12, 1)
                batch.append(Certification(
                    enterprise_id=pk, kind="high_tech", status="granted", year=year,
                    number=f"GR{year}33{pk:06d}", issued_on=issued,
                    valid_until=issued.replace(year=year + 3) - dt.timedelta(days=1)))
            if r < 0.4:
                for year in (2018, 2019):
                    batch.append(Certification(
                        enterprise_id=pk, kind="national_tech_sme", status="granted",
                        year=year, valid_until=dt.date(year, 12, 31)))
            if len(batch) >= BATCH:
                Certification.objects.bulk_create(batch)
                batch = []
        Certification.objects.bulk_create(batch)
    print(f"certifications: {Certification.objects.count()} "
          f"({time.perf_counter() - started:.0f}s)")
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")


if __name__ == "__main__":
    main()
