"""Flags fitted to the kind of document: a library or a blank form has no targets to miss.

An indicator library (``通用共性指标库示例``: 购置类项目 | 产出指标 | 数量指标 | 购置**数量(台/件/辆/套))
lists indicators without targets by nature, and a blank form or an example of filling one in
(``项目支出绩效自评表填写样例``) is nobody's filing: the target-value, unit, score and sum flags
of the review (``MISSING_VALUE``, ``VAGUE_TARGET``, ``MISSING_UNIT`` …) say nothing about them.
The kind is read from the document's own content in :func:`pipeline.extract.facts._kind`;
the codes that do not apply to each kind are ``configs/review.yaml: document_kinds.not_for``.
Category flags that still hold for a library (a misfiled or unknown category, a legacy
placement) are kept. Not handled yet: a filing that holds both a library and a filled form
(the kind is per filing, not per table).
"""

from __future__ import annotations

import functools

from pipeline.core.flags import Flag, review_rules
from pipeline.extract.facts import kind_rules


@functools.cache
def _not_for() -> dict[str, frozenset[str]]:
    """The codes each kind drops, checked against the codes the review knows."""
    known = set(review_rules().codes)
    out = kind_rules().not_for
    for kind, codes in out.items():
        unknown = sorted(codes - known)
        if unknown:
            raise ValueError(f"configs/review.yaml: document_kinds.not_for.{kind}: unknown flag codes {unknown}")
    return out


def fit_to_kind(flags: list[Flag], kind: str) -> list[Flag]:
    """``flags`` without those that do not apply to a document of ``kind``."""
    drop = _not_for().get(kind)
    if not drop:
        return flags
    return [f for f in flags if f.code not in drop]
