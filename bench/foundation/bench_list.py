# ruff: noqa: T201
"""Benchmark: enterprise list page under 20 concurrent logged-in clients (gunicorn).

    .venv/bin/python bench/foundation/bench_list.py --database-url URL \
        [--clients 20] [--duration 30] [--workers 2] [--threads 2]

The database must have been filled by ``populate.py``. Serves the app with gunicorn on
127.0.0.1 only, logs each client in as a separate 科员 session, and drives each scenario for
``--duration`` seconds with threads + http.client. Prints p50/p95/p99 and throughput.
"""

import argparse
import http.client
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common

SCENARIOS = [
    ("plain list", "/enterprises/"),
    ("list page 50", "/enterprises/?page=50"),
    # Every request a different page (1–2000): no result can come from a cache.
    ("list random page", lambda rng: f"/enterprises/?page={rng.randint(1, 2000)}"),
    ("search name", "/enterprises/?q=%E6%98%9F%E6%B2%B3%E6%81%92%E8%BF%9C"),  # 星河恒远
    ("search pinyin initials", "/enterprises/?q=xhhy"),
    ("filter cert+year+above-scale",
     "/enterprises/?certification=high_tech&year=2019&above_scale=true"),
    # Varied search terms (two of the 20 name words: 400 pairs) and years.
    ("search name varied", lambda rng: "/enterprises/?q=" + quote(
        rng.choice(common.NAME_WORDS) + rng.choice(common.NAME_WORDS))),
    ("filter varied year", lambda rng: "/enterprises/?certification="
     f"{rng.choice(['high_tech', 'national_tech_sme'])}&year={rng.randint(2015, 2019)}"
     "&above_scale=true"),
]


def sessions(n: int) -> list[str]:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from kechuang.accounts.middleware import SESSION_STARTED_KEY
    from kechuang.accounts.models import Role, User

    user, _ = User.objects.get_or_create(username="bench-staff",
                                         defaults={"display_name": "基准科员"})
    user.groups.add(Role.objects.get(code="staff").group)
    keys = []
    for _ in range(n):
        s = SessionStore()
        s[SESSION_KEY] = str(user.pk)
        s[BACKEND_SESSION_KEY] = "kechuang.accounts.backends.CachedModelBackend"
        s[HASH_SESSION_KEY] = user.get_session_auth_hash()
        s[SESSION_STARTED_KEY] = int(time.time())
        s.create()
        keys.append(s.session_key)
    return keys


def fetch(conn_holder: list, port: int, path: str, cookie: str) -> tuple[int, float]:
    started = time.perf_counter()
    for attempt in range(2):
        conn = conn_holder[0]
        try:
            conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}",
                                               "Host": "127.0.0.1"})
            resp = conn.getresponse()
            resp.read()
            return resp.status, time.perf_counter() - started
        except (http.client.HTTPException, OSError):
            conn.close()
            conn_holder[0] = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            if attempt:
                raise
    raise RuntimeError("unreachable")


TICK = os.sysconf("SC_CLK_TCK")


def cpu_by_pid(pgid: int | None = None, comm: str | None = None) -> dict[int, float]:
    """utime+stime (s) of the processes in process group ``pgid`` or named ``comm``."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                stat = fh.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        if (pgid is not None and int(fields[2]) == pgid) or (comm and name == comm):
            found[int(entry)] = (int(fields[11]) + int(fields[12])) / TICK
    return found


def cpu_seconds(pgid: int) -> float:
    return sum(cpu_by_pid(pgid=pgid).values())


def bench_backends() -> set[int]:
    """PostgreSQL: the server processes serving this database (the gunicorn workers'
    connections); other sessions on the same server are left out."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                       "AND pid <> pg_backend_pid()")
        return {row[0] for row in cursor.fetchall()}


def run(port: int, path: str, cookies: list[str], duration: float, server_pgid=None):
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    deadline = time.perf_counter() + duration

    def client(cookie: str) -> None:
        holder = [http.client.HTTPConnection("127.0.0.1", port, timeout=30)]
        mine, codes = [], {}
        rng = random.Random(cookie)
        while time.perf_counter() < deadline:
            status, elapsed = fetch(holder, port, path(rng) if callable(path) else path, cookie)
            mine.append(elapsed)
            codes[status] = codes.get(status, 0) + 1
        holder[0].close()
        with lock:
            latencies.extend(mine)
            for k, v in codes.items():
                statuses[k] = statuses.get(k, 0) + v

    threads = [threading.Thread(target=client, args=(c,)) for c in cookies]
    load_before = os.getloadavg()[0]
    client_cpu = time.process_time()
    server_cpu = cpu_seconds(server_pgid) if server_pgid else 0.0
    pg_before = cpu_by_pid(comm="postgres")
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    n = len(latencies)
    server_cpu = (cpu_seconds(server_pgid) - server_cpu) if server_pgid else 0.0
    client_cpu = time.process_time() - client_cpu
    pg_after = cpu_by_pid(comm="postgres")
    pg_cpu = sum(pg_after.get(pid, 0.0) - pg_before.get(pid, 0.0) for pid in bench_backends())
    latencies.sort()
    q = statistics.quantiles(latencies, n=100)
    return {"n": n, "rps": n / wall, "p50": q[49] * 1000,
            "p95": q[94] * 1000, "p99": q[98] * 1000, "statuses": statuses,
            "cpu_ms": 1000 * server_cpu / n, "pg_cpu_ms": 1000 * pg_cpu / n,
            "client_cpu_ms": 1000 * client_cpu / n,
            "load": f"{load_before:.1f}→{os.getloadavg()[0]:.1f}"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--config", default=str(Path(__file__).with_name("gunicorn.conf.py")),
                        help="gunicorn config file ('' for none)")
    parser.add_argument("--port", type=int, default=18765)
    parser.add_argument("--only", help="run only scenarios whose label contains this")
    args = parser.parse_args()
    common.setup_django(args.database_url)
    from kechuang.enterprises.models import AnnualIndicator, Enterprise

    print(f"enterprises={Enterprise.objects.count()} "
          f"indicators={AnnualIndicator.objects.count()}")
    cookies = sessions(args.clients)
    import socket

    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", args.port)) == 0:
            raise SystemExit(f"port {args.port} is already in use; pass --port")
    env = common.env_for(args.database_url)
    env["DEBUG"] = "0"
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "kechuang.wsgi", "-b", f"127.0.0.1:{args.port}", "-k", "gthread",
         "-w", str(args.workers), "--threads", str(args.threads), "--log-level", "warning",
         *(["-c", args.config] if args.config else [])],
        env=env, cwd=common.ROOT, start_new_session=True)
    try:
        for _ in range(120):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=5)
                conn.request("GET", "/accounts/login/")
                conn.getresponse().read()
                break
            except OSError:
                time.sleep(0.5)
        print(f"gunicorn gthread workers={args.workers} threads={args.threads} "
              f"config={args.config or '-'} "
              f"clients={args.clients} duration={args.duration:.0f}s")
        print("| scenario | requests | req/s | p50 ms | p95 ms | p99 ms | gunicorn CPU ms/req "
              "| postgres CPU ms/req | client CPU ms/req | load | statuses |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for label, path in SCENARIOS:
            if args.only and args.only not in label:
                continue
            run(args.port, path, cookies[:4], 3)  # warm-up
            r = run(args.port, path, cookies, args.duration, server_pgid=server.pid)
            print(f"| {label} | {r['n']} | {r['rps']:.1f} | {r['p50']:.0f} | {r['p95']:.0f} "
                  f"| {r['p99']:.0f} | {r['cpu_ms']:.1f} | {r['pg_cpu_ms']:.1f} "
                  f"| {r['client_cpu_ms']:.1f} | {r['load']} "
                  f"| {r['statuses']} |", flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
