"""A header wrapped over two grid rows, column by column (family C of issue #12).

Tables exported from PDFs and web pages often break each header cell in two, so the header
takes two rows whose cells only name the columns once joined::

    | 一级 | 二级 | 三级 | 年度   | 实际   |
    | 指标 | 指标 | 指标 | 指标值 | 完成值 |     → 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值

Read by :func:`pipeline.extract.grid_lines.grid_line` before it looks for a header in a row.
"""

from __future__ import annotations

from pipeline.core.cells import header_of, header_role
from pipeline.core.document import Row


def wrapped_header(row: Row, nxt: Row | None) -> tuple[Row, list[tuple[int, str]]] | None:
    """A header wrapped over two rows column by column (``| 一级 | 二级 | 三级 | 年度 | 实际 |``
    over ``| 指标 | 指标 | 指标 | 指标值 | 完成值 |``): the rows joined cell by cell and the
    joined header's roles, when it names more known columns than either row alone. Not
    handled yet: halves whose cells do not line up (a merged cell over two columns)."""
    if nxt is None or len(nxt.cells) != len(row.cells) or any(len(t) > 8 for t in row.cells + nxt.cells):
        return None     # header halves are short words; data rows hold names longer than that
    if len(row.filled()) < 3:
        return None
    # a data row below a header never wraps it: its cells are not header words at all
    if not any(header_role(t) for _, t in nxt.filled()):
        return None
    joined = Row([a + b for a, b in zip(row.cells, nxt.cells)], row.line, row.raw)

    h = header_of(joined)
    if h is None:
        return None

    def known(r: Row) -> int:
        # distinct roles the cells themselves name (header_of adds the category columns a
        # header leaves out, which would count for either half)
        return len({header_role(t) for _, t in r.filled()} - {None, ""})

    if known(joined) <= max(known(row), known(nxt)):
        return None
    return joined, h
