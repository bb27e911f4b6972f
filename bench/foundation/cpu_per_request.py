# ruff: noqa: T201, E402, E702, E701, E501
"""Per-request wall and CPU time, sequential, in-process: python cpu_per_request.py DATABASE_URL PATH..."""
import sys
import time

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))
import common

common.setup_django(sys.argv[1])
from django.test import Client

from kechuang.accounts.models import User

c = Client(); c.force_login(User.objects.get(username="bench-staff"))
for path in sys.argv[2:]:
    for _ in range(3): c.get(path)
    n = 20
    w = time.perf_counter(); p = time.process_time()
    for _ in range(n): c.get(path)
    print(f"{path}: wall {1000*(time.perf_counter()-w)/n:.0f} ms/req, client-process CPU {1000*(time.process_time()-p)/n:.0f} ms/req")
