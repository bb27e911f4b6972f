# ruff: noqa: T201, E402, E702, E501, SIM115
"""Time the phases of one dry-run import in-process: python import_breakdown.py FILE.xlsx [DATABASE_URL]

The file must hold codes not yet in the database (dry run: nothing is kept)."""
import io
import sys
import time

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))
import common

common.setup_django(sys.argv[2] if len(sys.argv) > 2 else f"sqlite:///{common.OUT / 'import.sqlite3'}")
from kechuang.audit import record
from kechuang.core import importing

T = {}
def timed(mod, name):
    f = getattr(mod, name)
    def w(*a, **k):
        t = time.perf_counter(); r = f(*a, **k); T[name] = T.get(name, 0) + time.perf_counter() - t; return r
    setattr(mod, name, w)
timed(importing, "read_rows"); timed(record, "write_many")
imp = importing.get_importer("enterprises")
for m in ("prepare", "commit"):
    orig = getattr(imp, m)
    def mk(orig, m):
        def w(*a, **k):
            t = time.perf_counter(); r = orig(*a, **k); T[m] = time.perf_counter() - t; return r
        return w
    setattr(imp, m, mk(orig, m))
from django.db.models.query import QuerySet

orig_bc = QuerySet.bulk_create
def bc(self, objs, *a, **k):
    t = time.perf_counter(); r = orig_bc(self, objs, *a, **k); T["bulk_create:" + self.model.__name__] = T.get("bulk_create:" + self.model.__name__, 0) + time.perf_counter() - t; return r
QuerySet.bulk_create = bc
data = open(sys.argv[1], "rb").read()
t = time.perf_counter()
res = importing.run_import(imp, io.BytesIO(data), actor=None, dry_run=True)
print("total", round(time.perf_counter() - t, 1), res.created, len(res.errors), {k: round(v, 1) for k, v in T.items()})
