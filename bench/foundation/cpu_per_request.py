# ruff: noqa: T201, E402
"""Per-request wall and CPU time, sequential, in-process (Django test client).

    .venv/bin/python bench/foundation/cpu_per_request.py DATABASE_URL PATH... [-n 40]

CPU is ``time.process_time`` of this process: Python (and, on SQLite, the query work);
PostgreSQL's server-side work is not included. Prints mean and median per request.
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common

parser = argparse.ArgumentParser()
parser.add_argument("database_url")
parser.add_argument("paths", nargs="+")
parser.add_argument("-n", type=int, default=40)
args = parser.parse_args()
common.setup_django(args.database_url)
from django.test import Client

from kechuang.accounts.models import User

c = Client()
c.force_login(User.objects.get(username="bench-staff"))
for path in args.paths:
    for _ in range(3):
        assert c.get(path).status_code == 200
    walls, cpus = [], []
    for _ in range(args.n):
        w = time.perf_counter()
        p = time.process_time()
        c.get(path)
        cpus.append(time.process_time() - p)
        walls.append(time.perf_counter() - w)
    print(f"{path}: wall mean {1000 * statistics.mean(walls):.1f} / median "
          f"{1000 * statistics.median(walls):.1f} ms, CPU mean {1000 * statistics.mean(cpus):.1f}"
          f" / median {1000 * statistics.median(cpus):.1f} ms")
