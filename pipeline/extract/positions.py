"""Rows of a one-cell-a-line table rebuilt from what the format kept: blank lines, bare pipes
and the header's width.

A table exported one cell a line has lost its rows, but not always their positions: where
every empty cell is a blank line and a blank line closes each row, a cell's line number gives
its row and column; where bare ``|`` lines stand between rows, they are the row breaks; where
empty cells were kept as lone ``|`` lines, rows have the header's width. These are positions
the format gives, so the rows are read as grid rows; a table that keeps none of them is read
by the cell reader (:mod:`pipeline.extract.cells`), by content.

Worked example (one ``|`` cell a line, empty cells kept)::

    一级指标 | ⏎ 二级指标 | ⏎ 三级指标 | ⏎ 指标值 | ⏎ 产出指标 | ⏎ 数量指标 | ⏎ 发放人数 | ⏎ 20人 |
    → | 一级指标 | 二级指标 | 三级指标 | 指标值 |, | 产出指标 | 数量指标 | 发放人数 | 20人 |

Not handled yet: a one-cell-a-line table whose rows are not closed by a blank line and whose
empty cells were dropped (no position survives: the cell reader reads it by content).
"""

from __future__ import annotations

import functools
import re

from pipeline.core.cells import cell, header_role
from pipeline.core.document import Row, Table


def _header_run(cells: list[str] | tuple[str, ...]) -> tuple[int, int] | None:
    """The longest run of ≥3 header cells (一级指标 二级指标 三级指标 指标值 …)."""
    return _header_run_of(tuple(cells))


@functools.lru_cache(maxsize=32768)   # lines recur across a batch
def _header_run_of(cells: tuple[str, ...]) -> tuple[int, int] | None:
    best = None
    i = 0
    while i < len(cells):
        j = i
        while j < len(cells) and (header_role(cells[j]) or cell(cells[j]).cat.section):
            j += 1
        roles = {header_role(c) for c in cells[i:j]}
        if j - i >= 3 and roles & {"name", "level1", "level2"} and roles & {"target", "actual", "score"}:
            if best is None or j - i > best[1] - best[0]:
                best = (i, j)
        i = max(j, i + 1)
    return best


def rows_by_position(table: Table, one_a_line: bool) -> Table | None:
    """The table with its rows rebuilt from the positions its format kept, or None when it
    kept none (see the module docstring). ``one_a_line``: most lines hold one cell or none
    (blank lines may then be empty cells)."""
    grid = _rows_by_line_period(table) if one_a_line else None
    if grid is None and any(len(r.cells) == 0 for r in table.rows):
        grid = _chunk_by_header(table)
    return grid


def _chunk_by_header(table: Table) -> Table | None:
    """Rebuild rows of a one-cell-a-line table by cutting the cells after each header into
    rows of the header's width (e.g. ``发放人数 | 20 | 人数 | ≥ | 80``)."""
    cells = [(r.line, r.cells[0] if r.cells else "", r.raw) for r in table.rows]
    texts = [c for _, c, _ in cells]
    runs = []
    k = 0
    while k < len(texts):
        hr = _header_run(texts[k:])
        if hr is None:
            break
        a, b = hr[0] + k, hr[1] + k
        while a < b and cell(texts[a]).cat.section and not header_role(texts[a]):
            a += 1      # 绩效指标 before the header names the block, it is no column
        runs.append((a, b))
        k = b
    if not runs:
        return None
    rows: list[Row] = []
    prev = 0
    for n, (a, b) in enumerate(runs):
        rows.extend(Row([t], ln, raw) for ln, t, raw in cells[prev:a] if t)
        width = b - a
        rows.append(Row(texts[a:b], cells[a][0], " | ".join(texts[a:b])))
        stop = runs[n + 1][0] if n + 1 < len(runs) else len(cells)
        body = cells[b:stop]
        for chunk in _row_chunks(body, width):
            rows.append(Row([t for _, t, _ in chunk], chunk[0][0], " | ".join(t for _, t, _ in chunk)))
        prev = stop
    return Table(index=table.index, rows=rows, truncated=table.truncated, cut_cell=table.cut_cell)


def _rows_by_line_period(table: Table) -> Table | None:
    """Rows of a one-cell-a-line table whose blank lines were kept: an empty cell is a blank
    line and a blank line closes each row, so a row of a header of width w takes w + 1 lines
    and a cell's line, counted from the header's first line, gives its row and column::

        一级指标 ⏎ 二级指标 ⏎ 三级指标 ⏎ 年度指标值 ⏎ 实际完成值 ⏎ ⏎
        项目决策 ⏎ 科学决策 ⏎ 必要性 ⏎ ⏎ ⏎ ⏎
        ⏎ ⏎ 可行性 ⏎ ⏎ ⏎ ⏎         → | 项目决策 | 科学决策 | 必要性 | | |, | | | 可行性 | | |

    The table ends at the first cell that falls on a row's closing blank line (the sign-off
    block below keeps no such rhythm). None when the header's cells are not on consecutive
    lines or fewer than two rows keep the rhythm. Not handled yet: a table whose rows are
    not closed by a blank line (the period is then the header's width, which any text fits)."""
    if any(not r.cells for r in table.rows):
        return None     # bare ``|`` lines mark the rows: the chunking by header width reads those
    cells = [(r.line, r.cells[0]) for r in table.rows]
    hr = _header_run([t for _, t in cells])
    if hr is None:
        return None
    a, b = hr
    width, start = b - a, cells[a][0]
    if [ln for ln, _ in cells[a:b]] != list(range(start, start + width)):
        return None
    period = width + 1
    body: dict[int, list[str]] = {}
    stop = len(cells)
    for k in range(b, len(cells)):
        ln, t = cells[k]
        row, col = divmod(ln - start, period)
        if col == width:
            stop = k
            break
        body.setdefault(row, [""] * width)[col] = t
    if len(body) < 2:
        return None
    rows = [Row([t], ln, t) for ln, t in cells[:a]]
    rows.append(Row([t for _, t in cells[a:b]], start, " | ".join(t for _, t in cells[a:b])))
    rows += [Row(cs, start + n * period, " | ".join(cs)) for n, cs in sorted(body.items())]
    rows += [Row([t], ln, t) for ln, t in cells[stop:]]
    return Table(index=table.index, rows=rows, truncated=table.truncated, cut_cell=table.cut_cell)


_SEPARATOR = re.compile(r"^\s*\|(?:\s*\|)+\s*$")


def _row_breaks(body) -> set[int]:
    """Indexes of the lines that end rows: bare pipe lines (``||||``), or a run of three or
    more empty cells (a row's four empty trailing cells, ``|`` on each line, before the
    next row's name; single empty cells inside a row are no break)."""
    out = {k for k, c in enumerate(body) if _SEPARATOR.match(c[2])}
    run: list[int] = []
    for k, c in enumerate(body + [(0, "x", "x")]):
        if not c[1] and k not in out:
            run.append(k)
            continue
        if len(run) >= 3:
            out.update(run)
        run = []
    return out


def _split_segment(seg, width: int):
    """The rows in the cells between two row breaks: a category cell after the cells of an
    indicator starts the next row (… 10 | 效益指标(30分) | 社会效益指标 | ★★★受益…);
    what is still wider than the header is cut by its width."""
    rows: list[list] = [[]]
    for c in seg:
        if rows[-1] and cell(c[1]).cat.is_category and not cell(rows[-1][-1][1]).cat.is_category:
            rows.append([])
        rows[-1].append(c)
    for r in rows:
        yield from (r[i:i + width] for i in range(0, len(r), width))


def _row_chunks(body, width: int):
    """The rows of a one-cell-a-line body.

    Where lines of bare pipes (``|||``, ``||||||``) stand between the rows, they are the row
    breaks, and a row may hold fewer cells than the header (merged cells left out:
    ``||||`` / ``新建水泥路1条`` / ``2km`` / ``||||||``); the alignment then places its
    cells by content. Otherwise (a single ``|`` is an empty cell) rows have the
    header's width.
    """
    breaks = _row_breaks(body)
    if len(breaks) >= 2:
        seg: list = []
        for k, c in enumerate(body):
            if k in breaks:
                if seg:
                    yield from _split_segment(seg, width)
                seg = []
            elif c[1]:
                seg.append(c)
        if seg:
            yield from _split_segment(seg, width)
        return
    for i in range(0, len(body), width):
        yield body[i:i + width]


def cells_per_line(counts: list[int]) -> bool:
    """Most lines (70%) hold one cell or none (``counts``: the cells of each line): a table
    exported one cell a line."""
    return sum(1 for n in counts if n <= 1) >= 0.7 * max(1, len(counts))
