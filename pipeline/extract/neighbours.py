"""What a cell of a cell stream is, told by its neighbours: the tests the row assembler
(:mod:`pipeline.extract.assemble`) asks before it reads a cell by its kind alone.

A text cell after a value-less name may be that name's value (a short word 优良, a text and its
repeat 维护良好 | 维护良好, a text before an achieved-word, an even run of text between two
category words); a category word may be an indicator named like a category (群众满意度 ≥90%, a run
of 生态效益(可选项) 可持续效益(可选项)); two text cells may be an unknown category and a name
(工作数量 | 培训人数).

Worked example (one cell a line)::

    服务周期内空气质量 ⏎ 优良 ⏎ 质量指标  → 优良 is the value of the name before (_word_value)

Not handled yet: a text value that ends like a name (国家助学金人数 after 国家奖学金人数 stays a name).
"""

from __future__ import annotations

import re

from pipeline.core.cells import cell, rules
from pipeline.core.taxonomy import strip_decorations
from pipeline.extract.cell_lexicon import (
    CAT,
    NAME,
    VAL,
    StreamCell,
    reader_rules,
)
from pipeline.extract.region import StreamRow, _category_roles, _is_end, _values_ahead


def _unknown_category(first: str, nxt: str) -> bool:
    """Two text cells open a row: the first is a short label that does not end like a name
    (工作数量, 服务质量 do; 项目实施 does not … ) and the next ends like one."""

    suffixes = rules().name_suffixes
    return len(first) <= 6 and not first.endswith(suffixes) and nxt.endswith(suffixes)


def _paired_text_values(cells: list[StreamCell]) -> set[int]:
    """Values written as text between two category words, one cell a line: a block (a category
    word or the value ending the row before, then cells the filer closed with a pipe, all text,
    then the next category word) of an even number of text cells is names and their values in
    turn, as every row of a form has a value, when no "value" ends like a name::

        质量指标 | 宣传教育 | 覆盖全区所有人员 | 成本指标 | 严控成本 | 按指标任务落实 | 效益指标
        → 宣传教育: 覆盖全区所有人员; 严控成本: 按指标任务落实

    The indexes of the values. A block with an odd number of text cells, or one with any value
    cell in it, is left to the other rules (which name lacks its value cannot be told); so is
    a table without any value cell (a rubric's items, :func:`_values_ahead`)."""
    out: set[int] = set()
    n = len(cells)
    for i, c in enumerate(cells):
        if c.kind not in (CAT, VAL) or i + 1 >= n or cells[i + 1].kind != NAME:
            continue
        j = i + 1
        while j < n and cells[j].kind == NAME and not _is_end(cells[j]) and cells[j].text[0] not in "(（":
            j += 1
        if (j < n and cells[j].kind != CAT or (j - i - 1) % 2 or not _values_ahead(cells, j)
                or not all(x.whole and x.col < 0 for x in cells[i + 1:j])
                or any(x.text.endswith(rules().name_suffixes + (")", "）")) for x in cells[i + 2:j:2])):
            continue     # a "value" ending like a name (国家奖学金人数 | 国家助学金人数) or with a
            # bracket note (使用效率(可选项), a rubric's item) is the next name
        out.update(range(i + 2, j, 2))
    return out


def _written_twice(cells: list[StreamCell], i: int) -> bool:
    """A text cell followed by a cell of the same text, after a value-less name: a
    self-evaluation's text target and the actual that repeats it (维护良好 | 维护良好), not two
    rows named alike. A name that ends like one (项目验收合格率 twice) is left alone."""
    nxt = cells[i + 1] if i + 1 < len(cells) else None
    return (nxt is not None and nxt.kind in (NAME, VAL) and nxt.text == cells[i].text and cells[i - 1].kind == NAME
            and not cells[i].text.endswith(rules().name_suffixes))


def _text_target(cells: list[StreamCell], i: int) -> bool:
    """A text cell followed straight by a self-evaluation's achieved-word (达成预期指标, 已完成)
    is the target of the value-less name before it, not a name: names are not followed by
    their actual without a target in between. Only where the filer separated the cells
    (a blank, a line end or ``|``); glued text has :func:`pipeline.extract.word_values._target_before_actual`."""
    nxt = cells[i + 1] if i + 1 < len(cells) else None
    return nxt is not None and nxt.kind == VAL and bool(cell(nxt.text).actual) and cells[i - 1].kind == NAME


def _word_value(c: StreamCell) -> bool:
    """A short word right after a value-less name is its value (优良, 及时, 明显) — in text
    one cell a line; in a grid row the header's column says what a cell is."""

    return len(c.text) <= 4 and not c.text.endswith(rules().name_suffixes) and not cell(c.text).cat.is_category



def _category_with_value(cells: list[StreamCell], i: int) -> bool:
    """A category word with a value right after it is an indicator named like a category
    (群众满意度 ≥90%, 项目成本 50万元, 社会效益 提升), unless it ends in 指标 — then only
    right under another second level, where it cannot open a block of its own (成本指标 |
    社会成本指标 | 100)."""

    if i + 1 >= len(cells) or cells[i + 1].kind != VAL:
        return False
    if not strip_decorations(cells[i].text).endswith("指标"):
        return True
    return (i > 0 and cells[i - 1].kind == CAT and _category_roles(cells[i - 1]) == "level2"
            and _category_roles(cells[i]) == "level2")


def _category_run_item(cells: list[StreamCell], i: int) -> bool:
    """A second-level word followed straight by another of the same level, neither ending
    in 指标, is an item of a score table named like a category (生态效益(可选项) 可持续效益(可选项)
    公平效率(可选项)), not an empty block."""

    if i + 1 >= len(cells) or cells[i + 1].kind != CAT:
        return False
    a, b = cells[i], cells[i + 1]
    return (_category_roles(a) == _category_roles(b) == "level2"
            and not strip_decorations(a.text).endswith("指标") and not strip_decorations(b.text).endswith("指标"))


_FIGURE_OPENER = re.compile(r"\d+(?:[-~～—]\d+)?[\u4e00-\u9fff]{1,2}(?:以下|以上)?")


def _surplus_opener(row: StreamRow | None, c: StreamCell, order: tuple[str, ...]) -> str:
    """A figure glued before a name in running text (``…接种率≧90%7岁以下儿童健康管理率≧85%``)
    is read as a value of the row before; when that row then holds more values than the table
    has value columns, the last one — a figure with a word, no % or comparator (7岁以下, 0-6岁)
    — opens the next name instead, and is taken off the row (returned; '' when not)."""
    if (row is None or c.whole or c.col >= 0 or c.line != row.line or len(row.extra) <= len(order)
            or not _FIGURE_OPENER.fullmatch(row.extra[-1])):
        return ""
    return row.extra.pop()


def _empty_block(cells: list[StreamCell], i: int) -> bool:
    """A second-level word between an item (a name just read) and a first-level word has no
    item under it: it is an item named like a category (… 使用效率(可选项) | 服务对象满意度 |
    部门决策(25分)), not an empty block."""
    if i == 0 or i + 1 >= len(cells) or cells[i - 1].kind != NAME or cells[i + 1].kind != CAT:
        return False
    return _category_roles(cells[i + 1]) == "level1"


def _word_value_named_row(cells: list[StreamCell], i: int) -> bool:
    """A word value of four characters or more (按期完工, 按时完成) right after a category word
    and followed by another value, in running text: no name came between, so the word is the
    indicator's name (a 时效 row named by its target) and the value after it its target."""
    c = cells[i]
    return (not c.whole and i > 0 and cells[i - 1].kind == CAT and i + 1 < len(cells) and cells[i + 1].kind == VAL
            and len(c.text) >= 4 and c.text in reader_rules().word_values)
