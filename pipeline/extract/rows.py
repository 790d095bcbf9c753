"""The row model of extraction: one :class:`IndicatorRow` per indicator (the columns of
indicators.csv, :data:`COLUMNS`), a :class:`Reject` for every other row read (with the
reason), and the :class:`Extraction` of a filing that holds both."""

from __future__ import annotations

from dataclasses import dataclass, field

COLUMNS = ("file", "table", "row", "level1_filed", "level2_filed", "name", "detail", "target_raw",
           "actual_raw", "unit_raw", "weight", "score", "deviation_note", "op_raw", "history_raw",
           "extra", "block_weight")


@dataclass(slots=True)
class IndicatorRow:
    file: str
    table: int
    row: int
    level1_filed: str = ""
    level2_filed: str = ""
    name: str = ""
    detail: str = ""
    target_raw: str = ""
    actual_raw: str = ""
    unit_raw: str = ""
    weight: str = ""
    score: str = ""
    deviation_note: str = ""
    op_raw: str = ""
    history_raw: str = ""
    extra: str = ""
    block_weight: str = ""
    # not a column: the row states a new second level but its first level is only carried
    # down from a row above (a blank 一级 cell), so a mismatch there is a missing label
    level1_inherited: bool = False
    # not a column: the last row of a text cut off inside its last cell (``>=9``)
    cut_off: bool = False

    def as_dict(self) -> dict[str, object]:
        return {c: getattr(self, c) for c in COLUMNS}


@dataclass(slots=True)
class Reject:
    file: str
    table: int          # indicator table number, 0 when outside any indicator table
    row: int            # source line
    reason: str
    cells: str


@dataclass(slots=True)
class Extraction:
    rows: list[IndicatorRow] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    headers: list[list[tuple[int, str]]] = field(default_factory=list)
    totals: list[tuple[int, list[str]]] = field(default_factory=list)   # (table, numbers) of total rows
    rows_read: int = 0
