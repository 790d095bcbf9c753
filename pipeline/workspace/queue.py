""""Review next": the rows worth a reviewer's hour, most informative first (active learning).

Each row not yet judged gets ``score = w_u·(1 − confidence) + w_d·[model disagrees with the
filing] + w_e·errors + w_w·warnings`` with the weights of ``configs/workspace.yaml``
(``queue``). Example: a row filed 数量指标 that the model calls 时效指标 at confidence 0.55
(``misfiled = l2``) with one warning scores 1.0·0.45 + 0.6 + 0.05 = 1.10 and comes before a
row the model is sure of (0.98) with no flag (0.02).

Not handled yet: diversity (two near-identical rows both rank high) and re-scoring with a
model retrained on the corrections so far.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.core.config import load_yaml, require
from pipeline.core.errors import ConfigError
from pipeline.workspace.outdir import OutDir, RowEntry, RowKey


@dataclass(frozen=True, slots=True)
class QueueWeights:
    uncertainty: float
    disagree_l1: float
    disagree_l2: float
    error_flag: float
    warning_flag: float
    size: int


@dataclass(frozen=True, slots=True)
class WorkspaceSettings:
    queue: QueueWeights
    default_user: str


@functools.cache
def workspace_settings() -> WorkspaceSettings:
    where = "configs/workspace.yaml"
    data = load_yaml("workspace.yaml")
    q = require(data, "queue", dict, where)
    vals = {}
    for k in ("uncertainty", "disagree_l1", "disagree_l2", "error_flag", "warning_flag", "size"):
        v = require(q, k, (int, float), f"{where}: queue")
        if v < 0:
            raise ConfigError(where, f"queue.{k} must not be negative, got {v}")
        vals[k] = v
    vals["size"] = int(vals["size"])
    return WorkspaceSettings(QueueWeights(**vals), require(data, "default_user", str, where))


@dataclass(frozen=True, slots=True)
class QueueItem:
    row: RowEntry
    score: float
    why: str           # a short Chinese reason shown on the page


def score(row: RowEntry, w: QueueWeights) -> tuple[float, str]:
    conf = row.confidence
    s = w.uncertainty * (1.0 - conf)
    why = [f"置信度 {conf:.2f}"]
    mis = row.fields.get("misfiled", "")
    if mis == "l1":
        s += w.disagree_l1
        why.append("模型认为一级指标错位")
    elif mis == "l2":
        s += w.disagree_l2
        why.append("模型与填报的二级指标不一致")
    n_err = sum(1 for f in row.flags if f.severity == "error")
    n_warn = sum(1 for f in row.flags if f.severity == "warning")
    s += w.error_flag * n_err + w.warning_flag * n_warn
    if n_err or n_warn:
        why.append(f"{n_err} 个错误、{n_warn} 个警告")
    return s, "；".join(why)


def review_queue(out: OutDir, judged: Iterable[RowKey] = (), *, size: int | None = None) -> list[QueueItem]:
    """The rows not in ``judged``, highest score first (ties: document order)."""
    w = workspace_settings().queue
    done = set(judged)
    items = []
    for entries in out.rows.values():
        for r in entries:
            if r.key in done:
                continue
            s, why = score(r, w)
            items.append(QueueItem(r, round(s, 4), why))
    items.sort(key=lambda it: -it.score)    # stable: document order among equals
    return items[: size if size is not None else w.size]
