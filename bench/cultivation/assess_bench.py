"""Benchmark: assess 100,000 synthetic enterprises × 3 years under all three schemes.

    .venv/bin/python bench/cultivation/assess_bench.py [--n 100000] [--workers 2] [--seed 20251125]

Data is generated in memory with a fixed seed (no database, no files). Prints the seconds
spent generating and assessing, and the outcome counts per scheme.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kechuang.cultivation.engine import (
    SCHEMES,
    Case,
    DirectGrounds,
    InputError,
    IPHoldings,
    YearData,
    assess_all,
    load_builtin_rules,
    uscc_check_char,
)

AS_OF = date(2025, 5, 1)
INDUSTRIES = ("C3511", "C3989", "I6510", "M7320", "C2669", "F5111", "C1610", "D4411", "I6420")
FIELDS = ("电子信息", "生物与新医药", "新材料", "先进制造与自动化", "高技术服务", None)
PROVINCES = ("330201", "330212", "330106", "350100", "440111")


def make_case(rng: random.Random, i: int) -> Case:
    body = f"{rng.choice(PROVINCES)}{i:09d}"
    first17 = f"91{body}"[:17]
    uscc = first17 + uscc_check_char(first17)
    staff = rng.randint(3, 700)
    sales = Decimal(rng.randint(500_000, 300_000_000))
    years: dict[int, YearData] = {}
    net = Decimal(rng.randint(-2_000_000, 80_000_000))
    for y in (2022, 2023, 2024):
        growth = Decimal(rng.randint(-20, 60)) / 100
        sales = max(Decimal(0), (sales * (1 + growth)).quantize(Decimal("0.01")))
        net = (net * (1 + growth / 2)).quantize(Decimal("0.01"))
        rd = (sales * Decimal(rng.randint(0, 120)) / 1000).quantize(Decimal("0.01"))
        total_income = sales + Decimal(rng.randint(0, 2_000_000))
        assets = Decimal(rng.randint(1_000_000, 250_000_000))
        staff_y = max(1, staff + rng.randint(-10, 10))
        years[y] = YearData(
            year=y,
            staff_total=Decimal(staff_y),
            st_staff=Decimal(rng.randint(0, staff_y)),
            sales_revenue=sales,
            total_income=total_income,
            non_taxable_income=Decimal(rng.randint(0, 100_000)),
            rd_expense=rd,
            rd_expense_domestic=(rd * Decimal(rng.randint(40, 100)) / 100).quantize(
                Decimal("0.01")),
            cost_expense_total=(sales * Decimal(rng.randint(50, 110)) / 100).quantize(
                Decimal("0.01")) + rd,
            total_assets=assets,
            total_liabilities=max(Decimal(0), assets - net),
            hitech_revenue=(total_income * Decimal(rng.randint(0, 100)) / 100).quantize(
                Decimal("0.01")),
            conversions=rng.randint(0, 8) if rng.random() > 0.05 else None,
        )
    class2 = rng.randint(0, 12)
    return Case(
        uscc=uscc,
        established=date(rng.randint(2005, 2023), rng.randint(1, 12), rng.randint(1, 28)),
        industry_code=rng.choice(INDUSTRIES),
        legal_form="有限责任公司",
        tax_collection="查账征收" if rng.random() > 0.05 else "核定征收",
        credit_clean=rng.random() > 0.02,
        years=years,
        ip=IPHoldings(rng.randint(0, 2) if rng.random() > 0.6 else 0, class2,
                      rng.randint(0, class2)),
        hitech_field=rng.choice(FIELDS),
        direct=DirectGrounds(hitech_cert_valid=rng.random() > 0.9),
    )


def make_cases(n: int, seed: int) -> list[Case]:
    rng = random.Random(seed)
    return [make_case(rng, i) for i in range(n)]


def assess_chunk(args: tuple[int, int, int, int]) -> tuple[Counter, float, float]:
    """Generate cases [start, start+count) deterministically and assess them (one worker)."""
    start, count, seed, _ = args
    t0 = time.process_time()
    rng = random.Random(seed * 1_000_003 + start)
    cases = [make_case(rng, start + i) for i in range(count)]
    t1 = time.process_time()
    counts: Counter = Counter()
    rules = load_builtin_rules()
    for c in cases:
        try:
            results = assess_all(c, AS_OF, rules)
        except InputError:
            counts[("all", "input-error")] += 1
            continue
        for scheme, r in results.items():
            outcome = r.verdict if scheme == "high-tech" else ("eligible" if r.eligible else "no")
            counts[(scheme, outcome)] += 1
    return counts, t1 - t0, time.process_time() - t1


def out(line: str) -> None:
    sys.stdout.write(line + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--seed", type=int, default=20251125)
    args = ap.parse_args()
    chunks = max(args.workers * 4, 1)
    size = -(-args.n // chunks)
    jobs = [(s, min(size, args.n - s), args.seed, 0) for s in range(0, args.n, size)]
    t0 = time.perf_counter()
    if args.workers > 1:
        with ProcessPoolExecutor(max_workers=args.workers) as pool:
            results = list(pool.map(assess_chunk, jobs))
    else:
        results = [assess_chunk(j) for j in jobs]
    wall = time.perf_counter() - t0
    counts: Counter = Counter()
    gen = work = 0.0
    for c, g, w in results:
        counts.update(c)
        gen += g
        work += w
    out(f"enterprises: {args.n} × 3 years, schemes: {', '.join(SCHEMES)}, "
          f"workers: {args.workers}, seed: {args.seed}")
    out(f"assessments: {sum(counts.values())}")
    for (scheme, outcome), k in sorted(counts.items()):
        out(f"  {scheme:12s} {outcome:12s} {k}")
    out(f"cpu seconds (all workers) generating: {gen:.1f}, assessing: {work:.1f}")
    out(f"wall seconds (generate + assess): {wall:.1f}")


if __name__ == "__main__":
    main()
