"""gunicorn settings used by bench_list.py (and suggested for deployment, see docs).

After the worker has imported the application, move every object allocated so far into the
permanent generation (``gc.freeze``): the ~350,000 objects of a loaded kechuang process are
then no longer traversed by each full collection (a full collection took 300–500 ms of a
request now and then; with the frozen start-up heap it is a few milliseconds).
"""

import gc


def post_worker_init(worker):
    gc.collect()
    gc.freeze()
