# ruff: noqa: T201, E402
"""Profile one list request in-process: queries (SQL + ms) and the top cProfile entries.

    .venv/bin/python bench/foundation/profile_list.py DATABASE_URL PATH [--top 30] [--sql]
"""
import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common

parser = argparse.ArgumentParser()
parser.add_argument("database_url")
parser.add_argument("path")
parser.add_argument("--top", type=int, default=30)
parser.add_argument("--sql", action="store_true")
parser.add_argument("--sort", default="cumulative")
args = parser.parse_args()
common.setup_django(args.database_url)
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kechuang.accounts.models import User

c = Client()
c.force_login(User.objects.get(username="bench-staff"))
for _ in range(3):
    c.get(args.path)
with CaptureQueriesContext(connection) as ctx:
    w = time.perf_counter()
    r = c.get(args.path)
    wall = time.perf_counter() - w
print(f"status {r.status_code}, {len(ctx.captured_queries)} queries, wall {wall*1000:.0f} ms, "
      f"sql {sum(float(q['time']) for q in ctx.captured_queries)*1000:.0f} ms")
for q in ctx.captured_queries:
    print(f"  {float(q['time'])*1000:7.1f} ms  {q['sql'][:None if args.sql else 160]}")
prof = cProfile.Profile()
prof.enable()
for _ in range(5):
    c.get(args.path)
prof.disable()
pstats.Stats(prof).sort_stats(args.sort).print_stats(args.top)
