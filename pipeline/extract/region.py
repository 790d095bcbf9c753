"""The tables of a cell stream: the row and table model, where a table starts and ends, and what
its header says (:mod:`pipeline.extract.assemble` assembles the rows in between).

A table starts at a header run (three or more header words naming a name or category column and
a value column, :func:`header_run`) or, where there is none, at a category word followed by a
name (:func:`_starts_table`); it ends at a total (合计, 总分), a sign-off or notes label, or
prose — a "name" longer than a name can be, or with a full stop in it (:func:`_is_end`). A
header gives the value columns' order (:func:`header_order`) and, read from a grid row, the
columns' roles (:func:`header_columns`); a grid without a header takes the form's default order
when its rows bear it out (:func:`grid_columns`).

Worked example::

    一级指标 二级指标 三级指标 指标值 产出指标 …  → a header run of four words: value order (target,)
    …合计 100                                  → the end of the table

Not handled yet: a header whose value columns are all unknown words (the default order is used).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.core.cells import _unique, cell, header_role, rules, section_label
from pipeline.core.normalize import key
from pipeline.core.taxonomy import strip_decorations, taxonomy
from pipeline.extract.cell_lexicon import (
    _NUMBERING,
    CAT,
    HEAD,
    NAME,
    VAL,
    StreamCell,
    reader_rules,
)

SINGLE = ("target", "actual", "unit", "op", "weight", "score", "deviation", "period_target")
TARGET_FORM = ("target",)
SELF_EVAL_FORM = ("target", "actual", "weight", "score", "deviation")
_NAME_COLS = ("level1", "level2", "name")
_VALUE_COLS = ("target", "actual", "period_target", "weight", "score", "history")


@dataclass(slots=True)
class StreamRow:
    """One assembled row: the filled-down categories, the name and its value columns."""

    line: int
    level1: str
    level2: str
    name: str
    values: dict[str, str] = field(default_factory=dict)
    extra: list[str] = field(default_factory=list)
    level1_inherited: bool = False
    n_values: int = 0     # value cells (not text cells) after the name
    sentence_piece: bool = False   # the cell the name came from started like a cut sentence
    block_weight: str = ""         # the 权重 of the first-level block (a grid header's first weight)
    notes: list[str] = field(default_factory=list)   # grid cells the alignment left over, kept as text

    @property
    def has_figure(self) -> bool:
        """A value cell was read after the name."""
        return self.n_values > 0

    @property
    def status(self) -> str:
        """``ok`` or ``missing_value`` (a name read with no value after it)."""
        return "ok" if any(self.values.get(r) for r in _VALUE_COLS) else "missing_value"


@dataclass(slots=True)
class StreamTable:
    order: tuple[str, ...]          # the value columns in the order the rows give them
    from_header: bool
    cols: dict[int, str] = field(default_factory=dict)   # column -> role of a grid header
    rows: list[StreamRow] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # role -> the header's own word (评分标准)
    totals: list[list[str]] = field(default_factory=list)  # the figures of each total row (合计 | 100)
    carried: bool = False           # the header of the table before, carried over (no header row)
    header: list[tuple[int, str]] = field(default_factory=list)   # a grid header row's roles


def header_run(cells: list[StreamCell], i: int) -> int:
    """End of the header run starting at ``i`` (``i`` when there is none)."""
    j = i
    # header words mixed with the first row's categories (一级指标 二级指标 数量指标 产出指标
    # 三级指标 指标值): the categories belong to the run
    while j < len(cells) and (cells[j].kind == HEAD or cells[j].kind == CAT and j + 1 < len(cells)
                              and cells[j + 1].kind in (HEAD, CAT)):
        j += 1
    while j > i and cells[j - 1].kind == CAT:
        j -= 1
    heads = [c for c in cells[i:j] if c.kind == HEAD]
    roles = {c.role for c in heads}
    if len(heads) >= 3 and roles & set(_NAME_COLS) and roles & {"target", "actual", "score", "weight"}:
        return j
    return i


def header_columns(run: list[StreamCell]) -> dict[int, str]:
    """Column -> role of a header read from a grid row. Only a grid row that holds a name or
    category column maps columns: a header wrapped over several lines whose last line alone is a
    grid row (序号 | 一级 指标 ⏎ 二级 指标 ⏎ 三级 指标 ⏎ 指标分值 | 指标解释 | …) gives positions that
    are not the data rows' columns; the content decides then."""
    cols = {h.col: h.role for h in run if h.col >= 0 and h.kind == HEAD}
    return cols if set(cols.values()) & set(_NAME_COLS) else {}


def header_order(run: list[StreamCell]) -> tuple[str, ...]:
    """The value columns after the name column (a column claimed twice is the second 'other')."""
    roles = [c.role for c in run if c.kind == HEAD]
    last = max((k for k, r in enumerate(roles) if r in _NAME_COLS), default=-1)
    out: list[str] = []
    for r in roles[last + 1:]:
        if r in _NAME_COLS:
            continue
        out.append("other" if r in out and r in SINGLE else r)
    return tuple(out) or TARGET_FORM


def _is_end(c: StreamCell) -> bool:

    if c.kind != NAME:
        return False
    r = reader_rules()
    k = c.text
    # a section label with points (测算依据(5分)) is a rubric's item, not the next section;
    # ……总分: the ellipsis a flattened table leaves before its total (dots and all); a name
    # that opens with a numbering (指标1:) may be written as sentences: its full stops are no prose
    return (cell(k).total or k[:1] in "….·" and cell(k.lstrip("….·")).total or k.startswith(r.end_words)
            or section_label(k) or len(k) > r.max_name_chars or "。" in k.rstrip("。") and not _NUMBERING.match(k))


def _values_ahead(cells: list[StreamCell], i: int) -> bool:
    """A value cell between ``i`` and the end of the table (a total, a sign-off or notes label,
    prose): False for a rubric listed without values, whose every text is an item."""
    for c in cells[i:]:
        if c.kind == VAL:
            return True
        if _is_end(c):
            return False
    return False


def _sentence_with_value(cells: list[StreamCell], i: int) -> bool:
    """A numbered name written as a sentence (指标1:改善小区群众生活质量。助力文明城市创建。)
    followed straight by a value is a row, not prose ending the table; a sign-off or notes
    label still ends it. Without the numbering a sentence is prose (a report's 经费发放率为98%。)."""
    c = cells[i]
    return (i + 1 < len(cells) and cells[i + 1].kind == VAL and _NUMBERING.match(c.text) is not None and not c.text.startswith(reader_rules().end_words)
            and not cell(c.text).total and not section_label(c.text) and len(c.text) <= reader_rules().max_name_chars)


def _label_before_name(body: list[tuple[int, str]], k: int) -> bool:
    """A section label in the category column of a cell stream (``绩效目标 ⏎ 明确性 ⏎ 合理性``
    in a score table) is the block's category, not the start of the next section, when the
    cell after it is a short name (ending like one, no label or header word itself) — as
    :func:`pipeline.extract.row_rules._row_label_as_category` reads it in a grid row. A sign-off
    word (填表人) always ends the table."""
    if any(w in key(body[k][1]) for w in rules().table_end_words) or k + 1 >= len(body):
        return False
    nxt = key(body[k + 1][1])
    return (len(nxt) <= 12 and cell(nxt).name_like and not header_role(nxt)
            and not nxt.startswith(rules().table_end_labels) and not cell(nxt).cat.section)


def _label_as_category(cells: list[StreamCell], i: int) -> bool:
    """A section label (绩效目标(6分)) followed by a short name is the block's category in a
    score table, not the end of the table."""

    if cells[i].text.startswith(reader_rules().end_words):
        return False    # a sign-off or notes label (填表人, 注:) always ends the table
    return i + 1 < len(cells) and cells[i + 1].kind == NAME and _label_before_name(
        [(x.line, x.text) for x in cells[i:i + 2]], 0)

def _category_roles(c: StreamCell) -> str:

    if c.role in ("level1", "level2"):
        return c.role       # a rubric's label placed by its points (rubric._points_levels)
    cat = cell(c.text).cat
    if cat.is_first_level_name or (cat.l1 and not cat.l2):
        return "level1"
    if cat.process:

        return "level1" if strip_decorations(c.text) in taxonomy().process_l1 else "level2"
    return "level2" if cat.l2 else ""

def _starts_table(cells: list[StreamCell], i: int) -> bool:
    """A category word followed by a name (maybe after a second category): a table begins."""
    nxt = [c.kind for c in cells[i:i + 3]]
    return nxt[:1] == [CAT] and NAME in nxt[1:] and _category_roles(cells[i]) != ""

def grid_columns(cells: list[StreamCell], i: int, order: tuple[str, ...]) -> dict[int, str]:
    """The columns of a grid read without a header, by the form's default order (一级 | 二级 |
    三级 | then the value columns), when the rows bear it out: the grid rows from ``i`` on
    have a text cell in the third column in most rows, a category word in the first or second
    column in at least half of the rows that fill them, no value in the first three columns,
    and no more columns than the form has::

        | 项目决策 | 决策过程 | 决策依据 |  |      → 一级 | 二级 | 三级 | 指标值
        |  |  | 决策程序 |  |
        | 产出指标 | 数量指标 | 宣传教育 | 覆盖全区所有人员 |

    Empty when the cells are not grid cells or the evidence is missing (the content decides
    then). Not handled yet: grids without the category columns (三级 | 指标值 only)."""
    by_line: dict[int, dict[int, StreamCell]] = {}
    for c in cells[i:i + 60]:
        if not c.whole or c.col < 0:
            break
        by_line.setdefault(c.line, {})[c.col] = c
    if len(by_line) < 3:
        return {}
    rows = list(by_line.values())
    width = 3 + len(order)
    if any(max(r) >= width for r in rows) or any(r.get(k) is not None and r[k].kind == VAL for r in rows for k in range(3)):
        return {}
    named = sum(1 for r in rows if 2 in r)
    filled = [r[k] for r in rows for k in (0, 1) if k in r]
    cats = sum(1 for c in filled if c.kind == CAT)
    if named < 0.8 * len(rows) or not filled or cats < 0.5 * len(filled):
        return {}
    return {0: "level1", 1: "level2", 2: "name"} | {3 + k: r for k, r in enumerate(order)}

def columnwise(cells: list[StreamCell], i: int) -> tuple[StreamTable, int] | None:
    """A table written column by column (a grid flattened a column at a time): the name
    header and its names, then each value header with as many values —
    ``三级指标 新建校区 工程质量达标率 开工率 年度目标值 7 100% 100%`` gives three rows.
    Returns the table and the index after it, or None."""
    j = i + 1
    names: list[str] = []
    while j < len(cells) and cells[j].kind in (NAME, CAT):
        names.append(cells[j].text)
        j += 1
    if len(names) < 2:
        return None
    rows = [StreamRow(cells[i].line, "", "", n) for n in names]
    order: list[str] = []
    while j < len(cells) and cells[j].kind == HEAD and cells[j].role not in _NAME_COLS:
        k, vals = j + 1, []
        while k < len(cells) and cells[k].kind == VAL and len(vals) < len(names):
            vals.append(cells[k].text)
            k += 1
        if len(vals) < len(names):
            break
        role = cells[j].role
        for r, v in zip(rows, vals):
            r.values.setdefault(role, v)
            r.n_values += 1
        order.append(role)
        j = k
    if not order:
        return None
    return StreamTable(tuple(order), True, rows=rows), j


def prose_table(t: StreamTable) -> bool:
    """Rows whose "names" are too often pieces of sentences: a report's prose cut at its
    figures (``,全年执行数为 | 10.824万元``), not a table."""
    return sum(1 for r in t.rows if r.sentence_piece) > reader_rules().max_prose_share * len(t.rows)


_BRACKETED = re.compile(r"[(（][^()（）]*[)）]")
_PROSE_START = tuple(",，;；")


def _prose_piece(name: str) -> bool:
    """A "name" that is a piece of a sentence: it starts with a comma or semicolon
    (``,全年执行数为``), which no name in a table does."""

    body = name[_NUMBERING.match(name).end():] if _NUMBERING.match(name) else name   # 指标3: is no colon of prose
    body = _BRACKETED.sub("", body)     # 结余率(计算方法为:结余数/预算数): a note, not prose
    return body.startswith(_PROSE_START)


def expand_subheaders(header: list[tuple[int, str]], subs: list[list[str]]) -> list[tuple[int, str]]:
    """Replace the target column by the sequence the sub-headers spell out.

    A target table with two years of history: 指标值 over (近两年指标值 over 前年 | 上年) |
    预期当年实现值 becomes
    history | history | target, and the columns after it move right.
    """
    cont = [sub for sub in subs if "history" not in sub and "target" not in sub]
    subs = [sub for sub in subs if sub not in cont]
    if cont:
        # a header row broken over lines (e.g. …| 年度指标值 / 实际完成值 / 分值 | 得分 | …)
        last = header[-1][0] if header else -1
        extra = [r for sub in cont for r in sub]
        header = _unique([(c, r.partition("#")[0]) for c, r in header]
                         + [(last + 1 + k, r) for k, r in enumerate(extra)])
    seq: list[str] = []
    for sub in subs:
        if not seq:
            seq = list(sub)
            continue
        # a deeper row splits the first history (or target) of the row above
        for i, r in enumerate(seq):
            if r in ("history", "target"):
                seq[i:i + 1] = sub
                break
    if not seq or "target" not in seq and "history" not in seq:
        return header
    out: list[tuple[int, str]] = []
    shift = 0
    for col, role in header:
        if role == "target" and shift == 0:
            for k, r in enumerate(seq):
                out.append((col + k, r))
            shift = len(seq) - 1
        else:
            out.append((col + shift, role))
    return _unique([(c, r.partition("#")[0]) for c, r in out])
