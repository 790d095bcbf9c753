"""Benchmark of the category classifier: numpy-scorer rows/s on one core, and training time.

    .venv/bin/python bench/bench_classify.py            # scoring only (a few seconds)
    .venv/bin/python bench/bench_classify.py --train    # plus the final fit and a 5-fold CV of the chosen model

Scoring is measured three ways, each in rows/s of ``Scorer.predict_proba`` over plain dicts
(the path ``classify_rows`` takes), with all caches cleared before the cold runs:

- ``unique``: 20,000 rows whose names never repeat (two gold names glued together, targets
  drawn from the gold set): every name is segmented by jieba — the worst case;
- ``gold first pass``: the 1,051 labelled rows once, fresh caches;
- ``batch``: 20,000 rows drawn from the labelled rows (names repeat, as in a real corpus of
  filings where 满意度/完成时限 rows recur): the usual case.

The one-time start-up (loading the model files and jieba's dictionaries) is reported apart.
Target: >= 20,000 rows/s with the numpy scorer.
"""

from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _one_core() -> str:
    try:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    except (AttributeError, OSError):
        return "not pinned (sched_setaffinity unavailable)"


def _clear_caches(scorer) -> None:
    from pipeline.classify import features
    from pipeline.core import segment

    for f in (features._fields, features._value_tokens, features.value_words_field, features.rules_fields,
              features.filed_category, segment._cut):
        f.cache_clear()
    scorer._name_cache.cache_clear()
    from pipeline.values import parse as values
    cached = getattr(values, "_cached", None)       # the parse cache only, not the loaded lexicon
    if hasattr(cached, "cache_clear"):
        cached.cache_clear()


def _rate(scorer, rows, repeat: int = 1) -> float:
    best = 0.0
    for _ in range(repeat):
        t = time.perf_counter()
        scorer.predict_proba(rows)
        best = max(best, len(rows) / (time.perf_counter() - t))
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument("--train", action="store_true", help="also time the final fit and a 5-fold CV")
    args = ap.parse_args()
    pinned = _one_core()

    t0 = time.perf_counter()
    from pipeline.classify.predict import default_model_dir
    from pipeline.classify.scorer import Scorer
    from pipeline.core.segment import tokens
    from pipeline.train.labelled import load_labelled

    scorer = Scorer.load(default_model_dir())
    t_model = time.perf_counter() - t0
    t0 = time.perf_counter()
    tokens("残疾人乘车持卡人数")
    t_jieba = time.perf_counter() - t0
    t0 = time.perf_counter()
    scorer.predict_proba([{"name": "预热", "target_raw": "≥90%", "level1_filed": "产出指标"}])  # lexicons, rules
    t_lex = time.perf_counter() - t0

    gold = load_labelled(ROOT / "data" / "labelled" / "gold.tsv")
    rows = [{"name": r["name"], "target_raw": r["target"], "actual_raw": r["actual"],
             "level1_filed": r["level1_filed"], "level2_filed": r["level2_filed"]} for r in gold.to_dict("records")]
    rng = random.Random(0)
    unique = []
    seen = set()
    while len(unique) < args.rows:
        a, b = rng.choice(rows), rng.choice(rows)
        name = f"{a['name']}{b['name']}{len(unique)}"
        if name not in seen:
            seen.add(name)
            unique.append({**b, "name": name})
    batch = [rng.choice(rows) for _ in range(args.rows)]

    _clear_caches(scorer)
    r_unique = _rate(scorer, unique)
    _clear_caches(scorer)
    r_first = _rate(scorer, rows)
    _clear_caches(scorer)
    _rate(scorer, batch)                       # the batch as it comes (caches fill as it goes)
    _clear_caches(scorer)
    r_batch_cold = _rate(scorer, batch)
    r_batch_warm = _rate(scorer, batch, repeat=3)

    print(f"numpy scorer, one core ({pinned}), model {default_model_dir()}")
    print(f"  start-up (once): model files {t_model * 1000:.0f} ms, jieba dictionaries {t_jieba * 1000:.0f} ms, "
          f"value lexicon/rules/taxonomy {t_lex * 1000:.0f} ms")
    print(f"  unique names ({len(unique):,} rows, cold):        {r_unique:>9,.0f} rows/s")
    print(f"  gold rows, first pass ({len(rows):,} rows, cold):  {r_first:>9,.0f} rows/s")
    print(f"  batch from gold ({len(batch):,} rows, cold caches): {r_batch_cold:>9,.0f} rows/s")
    print(f"  batch from gold ({len(batch):,} rows, warm caches): {r_batch_warm:>9,.0f} rows/s")
    print("  (target >= 20,000 rows/s)")
    mods = [m for m in ("sklearn", "mlflow") if m in sys.modules]
    print(f"  modules imported while scoring: {'none of sklearn/mlflow' if not mods else mods}")

    if args.train:
        from pipeline.train.run import CANDIDATES, cross_validate, fit_final, folds_of

        cand = CANDIDATES["lr"]
        t = time.perf_counter()
        fit_final(cand, gold)
        fit = time.perf_counter() - t
        t = time.perf_counter()
        res = cross_validate(cand, gold, folds_of(gold, 5))
        cv = time.perf_counter() - t
        print(f"training (one core): final fit of '{cand.name}' on {len(gold):,} rows {fit:.1f} s; "
              f"5-fold grouped CV {cv:.1f} s (macro-F1 {res.metrics['macro_f1']:.4f}, "
              f"accuracy {res.metrics['accuracy']:.4f})")


if __name__ == "__main__":
    main()
