"""One row builder for both readers: the fill-down state of an indicator table and the
:class:`IndicatorRow` built from a row's roles.

The assembler (:mod:`pipeline.extract.assemble`) finds a row's roles in two ways — a grid row's
cells aligned to the header's columns, or cells read by content — and the list cells of a score
table give rows of their own; what is done with the roles is the same and lives here:

* :class:`FillDown` carries the first and second level down over merged cells left blank, and
  says when a second level was stated under a first level only carried from above (a blank
  一级 cell: the review calls a mismatch there a missing label, not a wrong one);
* :func:`indicator_row` turns the roles of one row, in column order, into the columns of
  indicators.csv: the target (or the 实施周期 target where no yearly one is given), the
  description columns joined, history columns joined with `` / ``, other columns as
  ``header: value`` pairs in extra.

Worked example (a self-evaluation's row, one-level merged cell above it)::

    | 产出指标 | 数量指标 | 培训人数 | 300人 | 320人 | 10 | 10 |
    | | 质量指标 | 培训合格率 | ≥95% | 98% | 10 | 9 |
    → FillDown: 产出指标 / 质量指标, level1_inherited (the 一级 cell was blank)
    → indicator_row: name 培训合格率, target ≥95%, actual 98%, weight 10, score 9

Not handled yet: a row that states a first level in its 二级 cell without any first level
above it (it is kept as filed; the review maps it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pipeline.core.cells import BLOCK_WEIGHT, cell
from pipeline.extract.rows import IndicatorRow


class FillDown:
    """Fill-down state of one indicator table (first level, second level, the block's weight)."""

    __slots__ = ("l1", "l2", "block_weight", "l1_carried", "l1_above")

    def __init__(self) -> None:
        self.l1 = ""
        self.l2 = ""
        self.block_weight = ""
        self.l1_carried = False   # a new second level began under a first level from above
        self.l1_above = False     # the 二级 column holds first levels (产出指标 under 实施效果指标)

    def update(self, roles: Mapping[str, tuple[int, str]]) -> None:
        """The levels a grid row states (roles: role -> (column, text))."""
        if self.l1_above and "level1" in roles and "level2" not in roles and cell(roles["level1"][1]).cat.is_first_level_name:
            # under a first level above 产出/效益 (实施效果指标), the next 效益指标 is the
            # 二级 cell of that block, its 一级 cell merged and left blank
            roles = {("level2" if r == "level1" else r): v for r, v in roles.items()}
        if "level1" in roles:
            self.l1_above = "level2" in roles and cell(roles["level2"][1]).cat.is_first_level_name
            self.l1 = roles["level1"][1]
            self.l2 = ""
            self.block_weight = roles.get(BLOCK_WEIGHT, (0, ""))[1]
            self.l1_carried = False
        if "level2" in roles:
            self.l2 = roles["level2"][1]
            self.l1_carried = bool(self.l1) and "level1" not in roles

    def first_level(self, text: str) -> None:
        """A first-level cell read alone (a category word in a cell stream)."""
        self.l1, self.l2, self.l1_carried, self.block_weight = text, "", False, ""

    def second_level(self, text: str) -> None:
        """A second-level cell read alone: the first level above it is carried."""
        self.l2, self.l1_carried = text, bool(self.l1)


def indicator_row(file: str, tno: int, line: int, level1: str, level2: str, name: str,
                  values: Sequence[tuple[str, str]], *, labels: Mapping[str, str] | None = None,
                  level1_inherited: bool = False, block_weight: str = "") -> IndicatorRow:
    """The :class:`IndicatorRow` of one row: ``values`` are (role, text) in column order (a
    role may carry a ``#`` suffix: ``detail#p``, ``other#2``); ``labels`` give the header's own
    words for the roles kept in extra (评分标准 for ``other``), the role's name where missing."""
    got = dict(values)

    def get(r: str) -> str:
        return got.get(r, "")

    labels = labels or {}
    details = [get(r) for r in ("detail", "detail#p") if get(r)]
    history = [v for r, v in values if r.startswith("history")]
    extra = [f"{labels.get(r, r)}: {v}" for r, v in values if r.startswith(("other", "value_type", "detail#2"))]
    return IndicatorRow(
        file=file, table=tno, row=line,
        level1_filed=level1, level2_filed=level2, name=name,
        detail="; ".join(details),
        target_raw=get("target") or get("period_target"),
        actual_raw=get("actual"), unit_raw=get("unit"),
        weight=get("weight"), score=get("score"), deviation_note=get("deviation"),
        level1_inherited=level1_inherited,
        op_raw=get("op"), history_raw=" / ".join(history), extra="; ".join(extra),
        block_weight=block_weight,
    )
