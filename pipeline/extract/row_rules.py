"""Rules about a grid row as a whole, for the assembler's reading of grid rows
(:mod:`pipeline.extract.grid_lines`; they were the grid reader's, which is gone): a row
that ends the indicator table, a placeholder block, a row cut by a page break and its other
half, a cell listing several management items, a section label that is the row's category.
(A row whose only "name" is a category word and a cell left over in a level column are told by
the alignment: :func:`pipeline.extract.roles.category_only`, :func:`~pipeline.extract.roles.unknown_categories`.)

Worked examples::

    | 207101某区人民法院 | 单位:万元 |          → the next project's form starts (_is_table_end)
    | 效益指标 | | 经济效益指标 | 未达指标值酌情扣分 |  → a category row, no indicator (roles.category_only)
    | | 绩效目标(6分) | 年度绩效目标合理性 |       → 绩效目标 is the row's category (_row_label_as_category)

Not handled yet: a table end written inside a data cell (a sign-off after the last value).
"""

from __future__ import annotations

from pipeline.core.cells import cell, header_role, rules, section_label
from pipeline.core.document import Row
from pipeline.core.normalize import key, overlap_join

_BLOCK_START = ("年度目标", "目标2", "目标3")


def _is_table_end(row: Row) -> bool:
    first = row.filled()
    if not first:
        return False

    k = key(first[0][1])
    if any(w in key(t) for _, t in first[:2] for w in rules().table_end_words):
        return True
    if any(key(t).startswith(_UNIT_LABELS) for _, t in first) and len(first) <= 3:
        return True   # 207101天津市河北区人民法院 | 单位:万元 — the next project's form starts
    labels = rules().table_end_labels
    if cell(first[0][1]).cat.is_category:
        return False
    return section_label(k) or any(key(t).startswith(labels) and key(t).endswith(":") for _, t in first[1:3])


_UNIT_LABELS = ("单位:", "金额单位", "资金单位", "单位(万元)", "金额:", "单位：")


def _is_placeholder_block(row: Row) -> bool:
    filled = row.filled()
    return bool(filled) and all(cell(t).placeholder or key(t).startswith(_BLOCK_START) for _, t in filled)


def _fragment_pair(row: Row, nxt: Row | None, name_col: int) -> bool:
    """A row cut by a page break: no name, and it shares a cell with the next row."""
    if nxt is None or len(row.cells) != len(nxt.cells):
        return False
    filled = row.filled()
    if not filled or any(c <= name_col for c, _ in filled):
        return False
    if any(cell(t).cat.is_category for _, t in filled):
        return False
    if len(nxt.cells) <= name_col or not nxt.cells[name_col]:
        return False
    return any(key(t) and key(t) == key(nxt.cells[c]) for c, t in filled)


def _merge_fragment(row: Row, nxt: Row) -> Row:
    cells = [overlap_join(a, b) for a, b in zip(row.cells, nxt.cells)]
    return Row(cells, row.line, row.raw + "\n" + nxt.raw)


def _list_cell(text: str) -> list[str] | None:
    """A cell listing several management items (a 投入管理 block), else None."""
    parts = text.split()
    if len(parts) < 2:
        return None
    if all(cell(p).cat.is_category for p in parts):
        return parts
    return None


def _row_label_as_category(row: Row, header) -> bool:
    """A table-end label that is a section or category word (绩效目标) with a name after it in
    the row is the row's category, not the start of the next section:
    ``| | 绩效目标(6分) | 年度绩效目标合理性 |``, wherever the row slid to."""
    filled = row.filled()
    if len(filled) < 2 or header is None:
        return False
    col, text = filled[0]
    if not (cell(text).cat.section or cell(text).cat.is_category):
        return False    # 序号, 项目名称: a label of the form, not a category
    # a name-like cell after it (rows slide, so not necessarily in the name column)
    return len(key(text)) <= 12 and any(not cell(t).value and not cell(t).number for c, t in filled[1:])


def _subheader(row: Row) -> list[str] | None:
    """Roles of a sub-header row (近两年指标值 | 预期当年实现值; 前年 | 上年), else None."""
    filled = row.filled()
    if not filled:
        return None
    roles = [header_role(t) for _, t in filled]
    if all(roles):
        return roles
    return None
