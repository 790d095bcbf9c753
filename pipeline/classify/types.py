"""The classes a row can be given and the category of one row (shared by prediction, the
misfile decision, training and the review workspace)."""

from __future__ import annotations

from dataclasses import dataclass

LABELS = ("数量指标", "质量指标", "时效指标", "经济成本指标", "社会成本指标", "生态环境成本指标",
          "经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标", "服务对象满意度指标",
          "过程指标", "none")


@dataclass(frozen=True, slots=True)
class Prediction:
    """The category of one row.

    ``level2``/``level1``: the canonical second level the row belongs to and its first level
    under the profile; ``confidence``: the model's probability for ``level2``; ``misfiled``:
    '' (filed right, or not sure enough to say), ``'l1'`` (second level under a first level
    it cannot belong to) or ``'l2'`` (the filed second level is wrong); ``suggestion``: the
    fix in Chinese; ``legacy``: a placement that only an older framework allows
    (满意度 under 效益指标) — information, never an error.
    """

    level1: str
    level2: str
    confidence: float
    misfiled: str = ""
    suggestion: str = ""
    legacy: bool = False
