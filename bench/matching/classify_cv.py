"""Field classifier on the dev labelled set: stratified k-fold CV and the 80/20 split files.

    .venv/bin/python bench/matching/classify_cv.py cv [--max-n 2] [--c 0.5] [--no-transductive]
    .venv/bin/python bench/matching/classify_cv.py split --out /tmp/mt

``cv`` trains ``FieldClassifier`` (the product's own model) on k-1 folds and scores the last one,
printing macro-F1 / accuracy per fold and mean ± population sd, plus the process CPU time.
``split`` writes a stratified 80/20 split (per label: round(20 %) rows to test after a seeded
shuffle) as ``cls_train.jsonl`` / ``cls_test.jsonl`` for ``kechuang bench classify``. The data is
read in place from ../shared/data, never copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from kechuang.matching.engine.classifier import ClassifierParams, FieldClassifier  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "matching-dev" / "classify" / "labelled.jsonl"


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def cv(rows: list[dict], k: int, seed: int, params: ClassifierParams, transductive: bool) -> None:
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import StratifiedKFold

    texts = [r["text"] for r in rows]
    labels = [r["label"] for r in rows]
    f1s, accs = [], []
    t0 = time.process_time()
    for i, (tr, te) in enumerate(StratifiedKFold(k, shuffle=True, random_state=seed)
                                 .split(texts, labels)):
        test_texts = [texts[j] for j in te]
        model = FieldClassifier(params).fit(
            [texts[j] for j in tr], [labels[j] for j in tr],
            unlabelled=test_texts if transductive else ())
        pred = model.predict(test_texts)
        gold = [labels[j] for j in te]
        f1s.append(f1_score(gold, pred, average="macro"))
        accs.append(accuracy_score(gold, pred))
        print(f"fold {i}: macro-F1 {f1s[-1]:.4f} accuracy {accs[-1]:.4f}", flush=True)  # noqa: T201
    cpu = time.process_time() - t0
    msg = (f"{params} transductive={transductive}: macro-F1 {statistics.fmean(f1s):.4f} ± "
           f"{statistics.pstdev(f1s):.4f}, accuracy {statistics.fmean(accs):.4f} ± "
           f"{statistics.pstdev(accs):.4f}; CPU {cpu:.1f} s for {k} folds")
    print(msg, flush=True)  # noqa: T201


def split(rows: list[dict], seed: int, out: Path) -> None:
    by_label: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_label[r["label"]].append(r)
    rng = random.Random(seed)
    train, test = [], []
    for label in sorted(by_label):
        group = list(by_label[label])
        rng.shuffle(group)
        n_test = round(0.2 * len(group))
        test.extend(group[:n_test])
        train.extend(group[n_test:])
    out.mkdir(parents=True, exist_ok=True)
    for name, part in (("cls_train.jsonl", train), ("cls_test.jsonl", test)):
        with (out / name).open("w", encoding="utf-8") as f:
            for r in part:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"train {len(train)} / test {len(test)} rows written to {out}")  # noqa: T201


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=["cv", "split"])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--max-n", type=int, default=ClassifierParams().max_n)
    ap.add_argument("--c", type=float, default=ClassifierParams().c)
    ap.add_argument("--no-transductive", action="store_true")
    ap.add_argument("--out", type=Path, default=Path("/tmp/mt"))
    args = ap.parse_args()
    rows = load(args.data)
    if args.mode == "cv":
        cv(rows, args.folds, args.seed, ClassifierParams(c=args.c, max_n=args.max_n),
           not args.no_transductive)
    else:
        split(rows, args.seed, args.out)


if __name__ == "__main__":
    main()
