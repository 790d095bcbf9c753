"""Second-level category of indicator rows, with confidence and misfile flags.

Public API (what ``jixiao clean`` calls)::

    from pipeline.classify.predict import classify_rows
    preds = classify_rows([{"name": "观影人次数量", "target_raw": ">=520人次",
                            "level1_filed": "产出指标", "level2_filed": "质量指标"}])
    preds[0]  # Prediction(level1='产出指标', level2='数量指标', confidence=0.6035, misfiled='l2',
              #            suggestion='应归入 产出指标/数量指标（置信度 0.60）', legacy=False)

:func:`classify_rows` loads the model shipped in ``models/`` on first use and scores it with
numpy only (:mod:`pipeline.classify.scorer`): classifying rows imports neither scikit-learn
nor mlflow. The models ``jixiao train`` compares are in :mod:`pipeline.train.models`.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pipeline.classify.misfile import decide
from pipeline.classify.scorer import Scorer
from pipeline.classify.types import Prediction

_MODEL_ENV = "JIXIAO_MODEL_DIR"


# --------------------------------------------------------------------------- shipped model

def default_model_dir() -> Path:
    """``$JIXIAO_MODEL_DIR``, else ``models/`` of the checkout, else the copy in the package."""
    env = os.environ.get(_MODEL_ENV)
    if env:
        return Path(env)
    return _packaged_model_dir()


@functools.cache   # asked for every filing: the file system is looked at once
def _packaged_model_dir() -> Path:
    here = Path(__file__).resolve().parents[1]   # pipeline/
    checkout = here.parent / "models"
    return checkout if (checkout / "model.json").is_file() else here / "models"


_lock = threading.Lock()


@functools.cache
def _shipped(model_dir: str):
    with _lock:
        return Scorer.load(Path(model_dir))


def shipped_scorer(model_dir: str | Path | None = None):
    """The numpy scorer of the shipped model, loaded once per folder."""
    return _shipped(str(model_dir or default_model_dir()))


def classify_rows(rows: Sequence[Mapping[str, Any]], *, profile: str | None = None,
                  model_dir: str | Path | None = None) -> list[Prediction]:
    """Classify indicator rows (dicts with at least name, target_raw, level1_filed, level2_filed).

    Returns one :class:`Prediction` per row, in order. ``profile`` is the taxonomy profile
    the first level is given under (default: the taxonomy's default, mof2021).
    """
    rows = list(rows)
    if not rows:
        return []
    scorer = shipped_scorer(model_dir)
    proba, content = scorer.predict_proba_both(rows)
    return decide(rows, proba, scorer.classes, thresholds=scorer.thresholds, profile=profile, content=content)


__all__ = ["Prediction", "classify_rows", "default_model_dir", "shipped_scorer"]
