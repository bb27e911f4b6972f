# ruff: noqa: T201
"""Benchmark: import 100,000 enterprise rows with full validation through the CLI.

    .venv/bin/python bench/foundation/bench_import.py [--rows 100000] [--database-url URL]

Creates a fresh SQLite database (``--db``, default bench/out/foundation/import.sqlite3, which
the list benchmark then populates; or uses the given URL, which must be an empty database),
generates the xlsx and times ``kechuang import enterprises FILE.xlsx``: wall time, the
child's CPU time (user + sys, from ``getrusage``) and the load average around the run.
"""

import argparse
import datetime as dt
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common


def write_xlsx(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("数据")
    ws.append(["统一社会信用代码", "企业名称", "所属区域", "行业代码", "成立日期", "企业类型",
               "注册资本（元）", "注册地址", "所得税征收方式", "无重大事故与失信记录",
               "法定代表人", "联系人", "联系电话", "电子邮箱"])
    base = dt.date(2000, 1, 1)
    for i in range(1, rows + 1):
        ws.append([
            common.uscc(i), common.company_name(i), common.STREETS[i % 12][1],
            common.INDUSTRIES[i % 12], base + dt.timedelta(days=i % 7000), "有限责任公司",
            1_000_000 + i, f"基准路{i}号", "查账征收", "是", "王五", "赵六",
            f"139{i:08d}", f"c{i}@example.com",
        ])
    wb.save(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url")
    parser.add_argument("--db", type=Path, default=common.OUT / "import.sqlite3",
                        help="SQLite file to (re)create when no --database-url is given")
    args = parser.parse_args()
    common.OUT.mkdir(parents=True, exist_ok=True)
    db = args.db.resolve()
    url = args.database_url
    if url is None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{db}"
    env = common.env_for(url)
    common.kechuang(env, "migrate", "-v", "0")
    common.setup_django(url)
    common.ensure_regions()
    xlsx = common.OUT / f"enterprises-{args.rows}.xlsx"
    if not xlsx.exists():
        started = time.perf_counter()
        write_xlsx(xlsx, args.rows)
        print(f"generated {xlsx.name} in {time.perf_counter() - started:.1f}s "
              f"({xlsx.stat().st_size / 1e6:.1f} MB)")
    load_before = os.getloadavg()
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = common.kechuang(env, "import", "enterprises", str(xlsx), "--no-progress",
                           check=False)
    elapsed = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    user = cpu_after.ru_utime - cpu_before.ru_utime
    system = cpu_after.ru_stime - cpu_before.ru_stime
    load_after = os.getloadavg()
    from kechuang.audit.models import ChangeRecord
    from kechuang.enterprises.models import Enterprise

    print(f"exit={proc.returncode} rows={args.rows} elapsed={elapsed:.1f}s "
          f"cpu={user + system:.1f}s (user {user:.1f} + sys {system:.1f}) "
          f"load={load_before[0]:.2f}->{load_after[0]:.2f} "
          f"enterprises={Enterprise.objects.count()} "
          f"change_records={ChangeRecord.objects.filter(action='create').count()}")


if __name__ == "__main__":
    main()
