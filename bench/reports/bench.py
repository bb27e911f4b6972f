"""Benchmarks for issue 6: the annual work summary and the leaders' dashboard.

    export DATABASE_URL=sqlite:////tmp/kc-bench.sqlite3
    python bench/reports/bench.py build --enterprises 100000
    python bench/reports/bench.py dashboard --runs 20
    DATABASE_URL=sqlite:////tmp/kc.sqlite3 python bench/reports/bench.py annual --runs 3   # demo DB

``build`` writes a synthetic registry straight to the tables (no audit rows; it is not the demo):
``N`` enterprises over the home district's streets, national 科小 / 市科小 / 高企 certifications
2016–2020 for a third of them, and monthly statistics 2016-01…2020-09 for 5% (above-scale).
``dashboard`` times the dashboard page and every chart JSON endpoint as the 局领导 (全区) user
and reports p50/p95 per endpoint. ``annual`` times ``build_report("annual", 2020, 2020-09-30)``.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kechuang.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402


def build(n: int) -> None:
    from kechuang.accounts.choices import RoleCode
    from kechuang.accounts.models import Role, User
    from kechuang.core.uscc import make_uscc
    from kechuang.enterprises.models import Certification, Enterprise
    from kechuang.indicators.catalogue import month_end
    from kechuang.indicators.models import MonthlyEnterpriseStat
    from kechuang.regions.models import Region

    call_command("migrate", verbosity=0)
    rng = random.Random(6)
    city, _ = Region.objects.get_or_create(code="339800", defaults={"name": "东澄市",
                                                                      "kind": "city"})
    home, _ = Region.objects.get_or_create(code="339803", defaults={
        "name": "临澜区", "kind": "district", "parent": city, "is_home": True})
    streets = [Region.objects.get_or_create(code=f"339803{i:03d}", defaults={
        "name": f"街道{i}", "kind": "subdistrict", "parent": home})[0] for i in range(1, 9)]
    ents = [Enterprise(uscc=make_uscc(f"91330106{i:09d}"), name=f"基准企业{i}号",
                       industry_code=rng.choice(["C3484", "C3982", "I6513", "M7320"]),
                       region=rng.choice(streets), established_on=dt.date(2012, 1, 1))
            for i in range(n)]
    Enterprise.objects.bulk_create(ents, batch_size=5000)
    ids = list(Enterprise.objects.values_list("pk", flat=True))
    certs = []
    for pk in rng.sample(ids, n // 3):
        kind = rng.choice(["national_tech_sme", "municipal_tech_sme", "high_tech"])
        for year in range(rng.randint(2016, 2020), 2021):
            issued = dt.date(year, rng.randint(1, 9), rng.randint(1, 28))
            certs.append(Certification(
                enterprise_id=pk, kind=kind, year=year, status="granted", issued_on=issued,
                applied_on=issued - dt.timedelta(days=40),
                valid_until=dt.date(year + (3 if kind == "high_tech" else 1), 3, 31),
                is_first_application=year == 2016))
    Certification.objects.bulk_create(certs, batch_size=5000)
    stats = []
    above = list(rng.sample(ids, n // 20))
    industrial = set(Enterprise.objects.filter(pk__in=above, industry_code__startswith="C")
                     .values_list("pk", flat=True))
    for pk in industrial:
        hitech = rng.random() < 0.45
        for year in range(2016, 2021):
            stats.extend(MonthlyEnterpriseStat(
                enterprise_id=pk, year=year, month=month, month_end=month_end(year, month),
                value_added=Decimal(rng.randint(100_000, 9_000_000)),
                rd_expense=Decimal(rng.randint(0, 600_000)), is_hitech_industry=hitech)
                for month in range(1, 10 if year == 2020 else 13))
        if len(stats) > 20000:
            MonthlyEnterpriseStat.objects.bulk_create(stats, batch_size=5000)
            stats = []
    MonthlyEnterpriseStat.objects.bulk_create(stats, batch_size=5000)
    user, _ = User.objects.get_or_create(username="bench-leader")
    user.groups.add(Role.objects.get(code=RoleCode.LEADER).group)
    print(  # noqa: T201 - a benchmark reports on stdout
        f"built: {Enterprise.objects.count()} enterprises, {Certification.objects.count()} "
          f"certifications, {MonthlyEnterpriseStat.objects.count()} monthly stats")


def _p(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def dashboard(runs: int, username: str) -> None:
    from kechuang.accounts.models import User
    from kechuang.reports.dashboard import CHARTS

    client = Client()
    client.force_login(User.objects.get(username=username))
    urls = ["/reports/dashboard/?until=2020-09-30"] + [
        f"/reports/dashboard/data/{c}.json?until=2020-09-30" for c in CHARTS]
    from django.core.cache import cache

    cache.clear()
    print(  # noqa: T201 - a benchmark reports on stdout
        f"{'cold (first request, empty cache)':58} {'ms':>8}")
    for url in urls:
        t = time.perf_counter()
        assert client.get(url).status_code == 200, url
        print(  # noqa: T201 - a benchmark reports on stdout
            f"{url:58} {(time.perf_counter() - t) * 1000:8.0f}", flush=True)
    print(  # noqa: T201 - a benchmark reports on stdout
        f"{'warm (cached chart data)':58} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for url in urls:
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            resp = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
            assert resp.status_code == 200
        print(  # noqa: T201 - a benchmark reports on stdout
            f"{url:58} {statistics.median(times):8.0f} {_p(times, 0.95):8.0f} "
              f"{max(times):8.0f}", flush=True)


def annual(runs: int) -> None:
    from kechuang.reports.generator import build_report

    times = []
    for _ in range(runs):
        t = time.perf_counter()
        report = build_report("annual", year=2020, until=dt.date(2020, 9, 30))
        times.append(time.perf_counter() - t)
    print(  # noqa: T201 - a benchmark reports on stdout
        f"annual summary: {len(report.docx)} bytes, {len(report.chart_names)} charts; "
          f"runs {', '.join(f'{x:.2f}' for x in times)} s; max {max(times):.2f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["build", "dashboard", "annual"])
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--user", default="bench-leader")
    args = parser.parse_args()
    if args.what == "build":
        build(args.enterprises)
    elif args.what == "dashboard":
        dashboard(args.runs, args.user)
    else:
        annual(args.runs)
