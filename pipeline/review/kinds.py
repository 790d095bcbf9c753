"""Flags fitted to the kind of document and to how its rows were read.

A library or a blank form has no targets to miss; rows cut out of one flattened line have
no reliably placed cells, so nothing can be said to be absent from them.

An indicator library (``通用共性指标库示例``: 购置类项目 | 产出指标 | 数量指标 | 购置**数量(台/件/辆/套))
lists indicators without targets by nature, and a blank form or an example of filling one in
(``项目支出绩效自评表填写样例``) is nobody's filing: the target-value, unit, score and sum flags
of the review (``MISSING_VALUE``, ``VAGUE_TARGET``, ``MISSING_UNIT`` …) say nothing about them.
The kind is read from the document's own content in :func:`pipeline.extract.facts._kind`;
the codes that do not apply to each kind are ``configs/review.yaml: document_kinds.not_for``.
Which codes each kind drops is configuration: for both, every target, unit, score and
category flag (in the first judged sample none of a library's category flags was right).

A line such as ``产出指标数量指标培训人数100人质量指标培训合格率≥90%`` (a table flattened
without separators) is cut into rows by guesswork: when at least ``glued_line_rows`` rows
come from one text line, the flags that claim an absence or a misplacement on them
(``document_kinds.glued_not_for``: MISSING_CATEGORY, MISSING_VALUE …) are dropped, the flags
on what a cell says (VAGUE_TARGET …) kept. Not handled yet: a filing that holds both a
library and a filled form (the kind is per filing, not per table); glued cells spread over
a few lines each (one flattened row per line).
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Sequence

from pipeline.core.flags import Flag, review_rules
from pipeline.extract.facts import kind_rules
from pipeline.review.inputs import glued_cells, label_before_name, numbers_lead


@functools.cache
def _not_for() -> dict[str, frozenset[str]]:
    """The codes each kind drops, checked against the codes the review knows."""
    known = set(review_rules().codes)
    out = kind_rules().not_for
    for kind, codes in {**out, "glued_not_for": kind_rules().glued_not_for, "glued_placement": kind_rules().glued_placement,
                        "glued_cells_not_for": kind_rules().glued_cells_not_for}.items():
        unknown = sorted(codes - known)
        if unknown:
            raise ValueError(f"configs/review.yaml: document_kinds.not_for.{kind}: unknown flag codes {unknown}")
    return out


def fit_to_kind(flags: list[Flag], kind: str, ctxs=(), lines: Sequence[str] = (),
                cut_rows: Sequence[tuple[int, int]] = ()) -> list[Flag]:
    """``flags`` without those that do not apply to a document of ``kind``, nor the flags
    that rest on guessed cell boundaries on rows cut out of glued text (``ctxs``: the
    filing's RowCtx records; ``lines``: the filing's text lines, to see how a row was cut;
    ``cut_rows``: (table, line) of the rows the reader read and rejected as cut off at the end
    of the text — pieces of the same line, so they count towards a glued line's rows)."""
    drop = _not_for().get(kind, frozenset())
    rules = kind_rules()
    per_line = Counter((c.row.table, c.row.row) for c in ctxs if c.row.table)
    per_line.update(k for k in cut_rows if k in per_line)
    glued = {k for k, n in per_line.items() if n >= rules.glued_line_rows}
    # 数量指标修建道路12.5公里2020: one row a line (its category is read where it stands),
    # but its cells glued without a separator: where its number ends is the guess
    cut = {(c.row.table, c.row.row) for c in ctxs
           if c.row.table and 0 < c.row.row <= len(lines) and (
               glued_cells(c.row.name, c.row.target_raw, lines[c.row.row - 1])
               # 5 5 完成质量: the numbers before the name are the row's, the reader took those after
               or numbers_lead(c.row.name, lines[c.row.row - 1]))}
    by_row: dict[tuple[int, int, str], list] = {}
    for c in ctxs:
        by_row.setdefault((c.row.table, c.row.row, c.row.name), []).append(c.row)
    out = []
    for f in flags:
        if f.code in drop:
            continue
        if f.code in rules.glued_cells_not_for and (f.table, f.row) in cut - glued:
            continue
        if f.code in rules.glued_not_for and (f.table, f.row) in glued:
            # (a name met twice on the line is read only if every reading of it passes)
            rs = by_row.get((f.table, f.row, f.name), [])
            line = lines[f.row - 1] if 0 < f.row <= len(lines) else ""
            read = bool(rs) and all(
                (f.code in rules.glued_placement and label_before_name(r.level2_filed or r.level1_filed, r.name, line))
                or (f.code == "KIND_MISMATCH" and not any(ch.isdigit() for ch in r.target_raw)) for r in rs)
            if not read:
                continue
        out.append(f)
    return out
