"""gunicorn settings used by bench_list.py (and suggested for deployment, see docs).

After the worker has imported the application, move every object allocated so far into the
permanent generation (``gc.freeze``): the ~345,000 objects of a loaded kechuang process are
then no longer traversed by each full collection (one full collection over them measured
562 ms under load; it lands on whichever request happens to trigger it).
"""

import gc


def post_worker_init(worker):
    gc.collect()
    gc.freeze()
