"""Indicators written in the description column (family G of issue #12).

Some forms head their columns 指标类型 | 指标名称 | 指标值 | 指标描述 and fill them one level up
from what the words say: the type column holds the first level, the "name" column the second
level, and the indicator itself is only in the description::

    | 指标类型 | 指标名称 | 指标值 | 指标描述 |
    | 产出指标 | 数量指标 | 300万㎡ | 完成全市300万㎡绿地养护 |
    → 产出指标 / 数量指标 / name 完成全市300万㎡绿地养护 / target 300万㎡

Read by content, not by the header's words: the table's rows are looked at before they are
read, and when the cells under the name column are mostly category words while the
description column holds text in most rows, the header's roles move one level up — the
name column becomes the second level, the description the name, and a column before them
holding category words the first level.

Not handled yet: a description that explains a real name (指标名称 holds 绿地养护面积, the
description 反映绿地养护工作量) is left alone, as it should be; a form whose categories sit in
the name column in a minority of rows only (mixed tables) is read as filed.
"""

from __future__ import annotations

from pipeline.core.cells import cell
from pipeline.core.document import Row

Header = list[tuple[int, str]]

# rows looked at ahead of reading, and the shares that decide
_LOOK_AHEAD = 40
_CATEGORY_SHARE = 0.6
_TEXT_SHARE = 0.6


def _column(rows: list[Row], col: int) -> list[str]:
    return [r.cells[col] for r in rows if col < len(r.cells) and r.cells[col]]


def _categories(texts: list[str]) -> int:
    return sum(1 for t in texts if cell(t).cat.is_category)


def _text(t: str) -> bool:
    """A description that can be a name: words, not a figure or a category word."""
    c = cell(t)
    return not (c.number or c.value or c.cat.is_category) and sum(1 for ch in t if "\u4e00" <= ch <= "\u9fff") >= 2


def names_in_description(header: Header, rows: list[Row]) -> Header | None:
    """The header with its roles moved one level up when the table's indicators are in its
    description column (see the module docstring), else None."""
    name_col = next((c for c, r in header if r == "name"), None)
    detail_col = next((c for c, r in header if r == "detail"), None)
    if name_col is None or detail_col is None or detail_col < name_col:
        return None
    ahead = rows[:_LOOK_AHEAD]
    names, details = _column(ahead, name_col), _column(ahead, detail_col)
    # the name column may be empty throughout (a form without second levels, or one merged
    # cell over the whole block): then the description is the only place left for names
    if _categories(names) < _CATEGORY_SHARE * len(names):
        return None
    # the description is filled in most rows (merged category cells are not), and is text
    if len(details) < 2 or sum(1 for t in details if _text(t)) < _TEXT_SHARE * len(details):
        return None
    if len(details) < _TEXT_SHARE * sum(1 for r in ahead if any(r.cells)):
        return None
    real = {c for c, _ in header if 0 <= c}
    out: Header = []
    for c, r in header:
        if c == detail_col:
            out.append((c, "name"))
        elif c == name_col:
            out.append((c, "level2"))
        elif r in ("level1", "level2"):
            # a category column the header did not name (added before the name column):
            # the columns before the name are read again below
            continue
        elif c < name_col and c in real and _categories(col := _column(ahead, c)) >= _CATEGORY_SHARE * max(len(col), 1):
            out.append((c, "level1"))
        else:
            out.append((c, r))
    if not any(r == "level1" for _, r in out):
        out.insert(0, (name_col - 1, "level1"))
    return sorted(out, key=lambda cr: cr[0])
