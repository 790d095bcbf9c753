"""What each line of a grid is, for the assembler's reading of grid tables (``by_row`` in
:func:`pipeline.extract.assemble.assemble`): a header, a total, the end of the table, a
placeholder block, a line outside any table, or a row — with what the grid reader (gone since
issue 12's one assembler) knew: the header by known words (:func:`pipeline.core.cells.header_of`:
60% known cells, a name or category column and a value column), wrapped over two rows
(:mod:`pipeline.extract.wrapped`), with sub-header rows below it and indicators in its
description column (:mod:`pipeline.extract.described`); a row cut by a page break joined to its
other half (:mod:`pipeline.extract.row_rules`).

Worked example::

    | 一级 | 二级 | 三级 | 年度   |       → header (wrapped): level1 level2 name target
    | 指标 | 指标 | 指标 | 指标值 |
    | 产出指标 | 数量指标 | 培训人数 | 300人 |  → row
    | 合计 | | | 100 |                    → total (100)
    | 填表人: 张三 |                        → end

A cell listing several management items (a 投入管理 block) is one row per item, their points on
the number lines below (:func:`_listing`). Not handled yet: a list whose items are not all
category words (资金管理 and a free-text item: the cell stays one name).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.core.cells import cell, header_of
from pipeline.core.document import Row
from pipeline.extract.cell_lexicon import StreamCell
from pipeline.extract.cell_stream import whole_cell
from pipeline.extract.described import names_in_description
from pipeline.extract.region import _NAME_COLS, TARGET_FORM, StreamTable, expand_subheaders
from pipeline.extract.row_rules import (
    _fragment_pair,
    _is_placeholder_block,
    _is_table_end,
    _list_cell,
    _merge_fragment,
    _row_label_as_category,
    _subheader,
)
from pipeline.extract.wrapped import wrapped_header

HEADER, TOTAL, END, SKIP, OUTSIDE, ROW, LIST = "header", "total", "end", "skip", "outside", "row", "list"


@dataclass(slots=True)
class GridLine:
    """One line of a grid (or a header with its sub-header rows) and what it is."""

    kind: str                       # HEADER, TOTAL, END, SKIP, OUTSIDE or ROW
    end: int                        # the index in the cells after the line (after a header's rows)
    header: list[tuple[int, str]] = field(default_factory=list)   # (column, role) of a header
    labels: dict[str, str] = field(default_factory=dict)          # role -> the header's word
    figures: list[str] = field(default_factory=list)              # a total's figures
    merged: list[StreamCell] | None = None    # a row joined to its other half (a page break)
    before: list[tuple[int, str]] = field(default_factory=list)   # LIST: the cells before the listing cell
    items: list[tuple[int, str, list[tuple[str, str]]]] = field(default_factory=list)  # LIST: line, name, values
    first: list[tuple[int, str]] = field(default_factory=list)    # HEADER: the header row's roles, unexpanded
    joined: int = -1                # ROW: the grid row of the other half joined to this row (a page break)

    @property
    def order(self) -> tuple[str, ...]:
        """The value columns after the name column, in order (a header's)."""
        name_col = max((c for c, r in self.header if r in _NAME_COLS), default=-1)
        return tuple(r.partition("#")[0] for c, r in self.header if c > name_col and r not in _NAME_COLS) or TARGET_FORM


class GridRows:
    """The grid's rows, to see the cells of one grid row (:attr:`StreamCell.row`) as the row."""

    def __init__(self, rows: Sequence[Row]) -> None:
        self.rows = list(rows)

    def line(self, cells: list[StreamCell], i: int) -> tuple[int, Row | None]:
        """The index after the grid row of ``cells[i]`` and that row (None past the cells)."""
        if i >= len(cells) or cells[i].col < 0 or not 0 <= cells[i].row < len(self.rows):
            return i, None
        j = i
        while j < len(cells) and cells[j].row == cells[i].row and cells[j].col >= 0:
            j += 1
        return j, self.rows[cells[i].row]

    def after(self, k: int) -> list[Row]:
        """The rows after row ``k``."""
        return self.rows[k + 1:]


def grid_line(cells: list[StreamCell], i: int, grid: GridRows, cols: dict[int, str] | None) -> GridLine:
    """What the line starting at ``cells[i]`` is (see the module docstring); ``cols``: the
    columns of the table it is in, None outside any."""
    end, row = grid.line(cells, i)
    if row is None:
        return GridLine(ROW, end)
    nxt_end, nxt = grid.line(cells, end)
    wrapped = wrapped_header(row, nxt)
    hrow, h, hend = (wrapped[0], wrapped[1], nxt_end) if wrapped is not None else (row, header_of(row), end)
    if h is not None:
        labels = {r: t for (_, r), (_, t) in zip(h, hrow.filled())}
        subs: list[list[str]] = []
        last = cells[end].row if wrapped is not None else cells[i].row
        while True:
            sub_end, sub_row = grid.line(cells, hend)
            sub = _subheader(sub_row) if sub_row is not None else None
            if sub is None:
                break
            subs.append(sub)
            last = cells[hend].row
            hend = sub_end
        first = h
        if subs:
            h = expand_subheaders(h, subs)
        h = names_in_description(h, grid.after(last)) or h
        return GridLine(HEADER, hend, h, labels, first=first)
    if cols is None:
        return GridLine(OUTSIDE, end)
    header = sorted(cols.items())
    filled = row.filled()
    if _is_table_end(row) and not _row_label_as_category(row, header):
        return GridLine(END, end)
    if _is_placeholder_block(row):
        return GridLine(SKIP, end)
    if filled and (all(cell(t).number for _, t in filled)
                   or cell(filled[0][1]).total and all(cell(t).number for _, t in filled[1:])):
        # 合计 | | | 100 | 95: the points and scores the review checks the rows against
        return GridLine(TOTAL, end, figures=[t for _, t in filled if cell(t).number])
    name_col = next((c for c, r in header if r == "name"), -1)
    listed = next(((c, p) for c, t in filled if (p := _list_cell(t))), None)
    if listed is not None:
        return _listing(cells, end, grid, row, listed)
    if nxt is not None and _fragment_pair(row, nxt, name_col):
        joined = _merge_fragment(row, nxt)
        return GridLine(ROW, nxt_end, merged=[whole_cell(t, row.line, col, cells[i].row) for col, t in joined.filled()],
                        joined=cells[end].row)
    return GridLine(ROW, end)


def _listing(cells: list[StreamCell], end: int, grid: GridRows, row: Row, listed: tuple[int, list[str]]) -> GridLine:
    """A cell listing several management items (``预算编审管理 预算执行管理 …``) with the points of
    the first after it and those of the others on the number lines below: one row per item,
    its weight and score from its line, the text after the listing cell its detail::

        | 投入管理指标 | 预算编审管理 预算执行管理 | 依据文件设置 | 7.50 | 7.50 |
        | 10.20 | 10.15 |          → 预算编审管理 7.50 7.50; 预算执行管理 10.20 10.15
    """
    col, items = listed
    filled = row.filled()
    after = [(c, t) for c, t in filled if c > col]
    texts = "; ".join(t for _, t in after if not cell(t).number)
    lines: list[tuple[int, list[str], list[str]]] = [(row.line, [t for _, t in after if cell(t).number], [])]
    while len(lines) < len(items):
        nxt_end, nxt = grid.line(cells, end)
        f = nxt.filled() if nxt is not None else []
        if not f or any(not cell(t).number and cell(t).cat.is_category for _, t in f):
            break
        ns = [t for _, t in f if cell(t).number]
        if not ns:
            break
        lines.append((nxt.line, ns, [t for _, t in f if not cell(t).number]))    # type: ignore[union-attr]
        end = nxt_end
    out = []
    for item, (line, ns, notes) in zip(items, lines):
        out.append((line, item, [("detail", texts), ("weight", ns[0] if ns else ""),
                                 ("score", ns[1] if len(ns) > 1 else ""), ("deviation", "; ".join(notes))]))
    # items beyond the number lines are rows of their own, read from the listing cell
    out += [(row.line, item, [("detail", texts)]) for item in items[len(lines):]]
    return GridLine(LIST, end, before=[(c, t) for c, t in filled if c < col], items=out)


_REASONS = {HEADER: "header", TOTAL: "total row", END: "end of indicator table", SKIP: "placeholder block",
            OUTSIDE: "outside indicator table"}


class LineReasons:
    """Why each grid row that gives no indicator is a reject, and the table it was read in — the
    reasons the grid reader gave (header, total row, end of indicator table, category row
    without an indicator …), so rejects.csv kept its reasons when the assembler took the grids over."""

    def __init__(self) -> None:
        self.by_row: dict[int, tuple[str, StreamTable | None]] = {}
        self.category_rows: set[int] = set()     # grid rows whose cells gave a category

    def note(self, gl: GridLine, cells: list[StreamCell], i: int, before: StreamTable | None,
             after: StreamTable | None) -> None:
        """Record the line(s) of ``gl`` read from ``cells[i]``, in table ``before`` (``after`` for
        a header, which opens its table)."""
        if gl.kind == ROW:
            self.by_row.setdefault(cells[i].row, ("", before))
            if gl.joined >= 0:
                self.by_row[gl.joined] = ("joined to the row above (split by a page break)", before)
            return
        table = after if gl.kind == HEADER else before if gl.kind != OUTSIDE else None
        for c in cells[i:gl.end]:
            self.by_row.setdefault(c.row, (_REASONS.get(gl.kind, "outside indicator table"), table))

    def reason(self, k: int) -> tuple[str, StreamTable | None]:
        """The reason grid row ``k``, unread as an indicator, is a reject: a row whose cells gave
        a category is a category row, any other a row without a name."""
        why, table = self.by_row.get(k, ("outside indicator table", None))
        if why == "":
            why = "category row without an indicator" if k in self.category_rows else "no indicator name in the row"
        return why, table
