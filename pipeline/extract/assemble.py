"""Indicator rows out of a stream of typed cells (:mod:`pipeline.extract.cell_stream`), header optional.

The region of an indicator table is found by its content, not by a header: it starts at a
header run (three or more header words naming a name or category column and a value column)
or, where there is none, at a category word followed by a name; it ends at a total
(合计, 总分), a sign-off or notes label, or prose (a "name" longer than a name can be, or
with a full stop in it).

Within it, a category word updates the fill-down state (一级 / 二级), a name opens a row and
the values after it fill the row's value columns in the header's order, or, with no header,
in the form's default order (目标表: 指标值; 自评表: 年度指标值 | 实际完成值 | 分值 | 得分 |
偏差原因). The values are assigned by :func:`pipeline.extract.roles.align`, so a word such as
达成预期指标 lands in the actual column whatever its position. A name with no value is kept
(the review reports the value as missing); a short word right after a name that has no value
yet is that name's value (``服务周期内空气质量 | 优良``), not the next name.

Worked example (no header, a target table one cell a line)::

    产出指标 ⏎ 数量指标 ⏎ 小学就读人数 ⏎ <=6962人 ⏎ 时效指标 ⏎ 教育均衡化发展 ⏎ 有效
    → 产出指标 / 数量指标 / 小学就读人数 / target <=6962人
      产出指标 / 时效指标 / 教育均衡化发展 / target 有效

Not handled yet: a table whose name column is listed before all of its values (family B's
variant); scoring tables whose 三级 cells are listed before their points (the rows come out
without points); headers whose value columns are all unknown words (the default order is
used).

Longer than 400 lines because the row assembler is one pass over the cell stream (region,
roles, fill-down, rejects) whose steps share its state; the next split is the region finder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.core.cells import cell, header_role, rules, section_label
from pipeline.core.normalize import key
from pipeline.core.taxonomy import strip_decorations, taxonomy
from pipeline.extract.cell_lexicon import (
    _NUMBERING,
    CAT,
    HEAD,
    ITEM,
    NAME,
    VAL,
    StreamCell,
    reader_rules,
)
from pipeline.extract.cell_stream import lone_comparator
from pipeline.extract.roles import align
from pipeline.extract.rubric import fill_blocks_by_points

SINGLE = ("target", "actual", "unit", "op", "weight", "score", "deviation", "period_target")
TARGET_FORM = ("target",)
SELF_EVAL_FORM = ("target", "actual", "weight", "score", "deviation")
_NAME_COLS = ("level1", "level2", "name")
_VALUE_COLS = ("target", "actual", "period_target", "weight", "score", "history")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LEAD_DEBRIS = ",，;；、.。:：)）"


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
    :func:`pipeline.extract.grid._label_as_category` reads it in a grid row. A sign-off
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
    (a blank, a line end or ``|``); glued text has :func:`pipeline.extract.cell_stream._target_before_actual`."""
    nxt = cells[i + 1] if i + 1 < len(cells) else None
    return nxt is not None and nxt.kind == VAL and bool(cell(nxt.text).actual) and cells[i - 1].kind == NAME


def _word_value(c: StreamCell) -> bool:
    """A short word right after a value-less name is its value (优良, 及时, 明显) — in text
    one cell a line; in a grid row the header's column says what a cell is."""

    return len(c.text) <= 4 and not c.text.endswith(rules().name_suffixes) and not cell(c.text).cat.is_category


def _category_roles(c: StreamCell) -> str:

    if c.role in ("level1", "level2"):
        return c.role       # a rubric's label placed by its points (cell_stream._points_levels)
    cat = cell(c.text).cat
    if cat.is_first_level_name or (cat.l1 and not cat.l2):
        return "level1"
    if cat.process:

        return "level1" if strip_decorations(c.text) in taxonomy().process_l1 else "level2"
    return "level2" if cat.l2 else ""


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


def _starts_table(cells: list[StreamCell], i: int) -> bool:
    """A category word followed by a name (maybe after a second category): a table begins."""
    nxt = [c.kind for c in cells[i:i + 3]]
    return nxt[:1] == [CAT] and NAME in nxt[1:] and _category_roles(cells[i]) != ""


def assemble(cells: list[StreamCell], self_eval: bool) -> list[StreamTable]:
    """The indicator tables of a cell stream (see the module docstring)."""
    tables: list[StreamTable] = []
    cur: StreamTable | None = None
    l1 = l2 = ""
    l1_carried = False
    row: StreamRow | None = None
    default = SELF_EVAL_FORM if self_eval else TARGET_FORM
    run_item = False     # the cell before was an item named like a category
    l1_above = False     # the 二级 column holds first levels (产出指标 under 实施效果指标)

    def flush() -> None:
        nonlocal row
        if row is not None and cur is not None:
            cur.rows.append(row)
        row = None

    # a rubric listed without any value (项目目标 目标内容 决策过程 决策依据 …): every text
    # is an item, none is the value of the item before it
    valued = True
    paired = _paired_text_values(cells)
    i = 0
    after_l1 = False     # the cell before was a first level
    while i < len(cells):
        c = cells[i]
        after_l1, was_l1 = False, after_l1
        by_column = columnwise(cells, i) if c.kind == HEAD and c.role == "name" else None
        if by_column is not None:
            flush()
            tables.append(by_column[0])
            cur, i = None, by_column[1]
            continue
        j = header_run(cells, i) if c.kind == HEAD else i
        if j > i:
            flush()
            cur = StreamTable(header_order(cells[i:j]), True, header_columns(cells[i:j]))
            tables.append(cur)
            valued = _values_ahead(cells, j)
            l1 = l2 = ""
            for h in cells[i:j]:
                level = _category_roles(h) if h.kind == CAT else ""
                if level == "level1":
                    l1 = h.text
                elif level == "level2":
                    l2 = h.text
            i = j
            continue
        if cur is None:
            if c.kind == CAT and _starts_table(cells, i):
                cur = StreamTable(default, False, grid_columns(cells, i, default))
                tables.append(cur)
                valued = _values_ahead(cells, i)
                l1 = l2 = ""
            else:
                i += 1
                continue
        if _is_end(c) and not _label_as_category(cells, i) and not _sentence_with_value(cells, i):
            flush()
            cur = None
            i += 1
            continue
        run_item = c.kind == CAT and (_category_run_item(cells, i) or (run_item or _empty_block(cells, i))
                                      and _category_roles(c) == "level2" and not strip_decorations(c.text).endswith("指标"))
        if c.kind == CAT and (_category_with_value(cells, i) or run_item):
            # the last item of such a run too (… 生态效益(可选项) 可持续效益(可选项) | 服务对象满意度 部门决策)
            c = StreamCell(NAME, c.text, c.line, whole=c.whole, col=c.col)
        col_role = cur.cols.get(c.col, "") if c.col >= 0 else ""
        if c.kind == NAME and col_role in ("level1", "level2"):
            # a category the taxonomy does not know, in the header's 一级/二级 column: kept as filed
            c = StreamCell(CAT, c.text, c.line, whole=True, col=c.col)
        if c.kind == CAT and col_role == "name" and not cur.from_header and not c.text.endswith("指标"):
            # a category word in the name column of a grid read by the form's order is an item
            # named like a category (服务对象满意度, 社会效益(可选项))
            c = StreamCell(NAME, c.text, c.line, whole=True, col=c.col)
        if c.kind == NAME and col_role and col_role not in _NAME_COLS:
            c = StreamCell(VAL, c.text, c.line, whole=True, col=c.col)
        if c.kind == CAT:
            flush()
            level = col_role if col_role in ("level1", "level2") else _category_roles(c)
            first_name = cell(c.text).cat.is_first_level_name
            if level == "level1" and first_name and not col_role and (l1_above or was_l1 and l1 and not cell(l1).cat.is_first_level_name):
                # a first level right under another (实施效果指标 ⏎ 产出指标 ⏎ name): the 二级
                # column holds first levels, and so does every block after it (效益指标)
                level, l1_above = "level2", True
            elif level == "level1":
                l1_above = False
            if level == "level1":
                l1, l2, l1_carried, after_l1 = c.text, "", False, True
            elif level == "level2":
                l2, l1_carried = c.text, bool(l1)
            i += 1
            continue
        if c.kind == NAME and c.text[0] in "(（" and row is not None and not row.extra:
            # a bracket note written apart from its name: 必要性 (政策依据)
            row.name += c.text
            i += 1
            continue
        if c.kind == NAME:
            if (row is not None and c.whole and c.line == row.line and not row.extra
                    and _unknown_category(row.name, c.text)):
                # | 产出指标 | 工作数量 | 培训人数 | 300人 |: the first text was a category the
                # taxonomy does not know, kept as filed; the next is the name
                row.level2, row.name = row.name, c.text
                i += 1
                continue
            if row is not None and not row.extra and _written_twice(cells, i):
                # 公用经费标准 | 符合相关文件要求 | 符合相关文件要求: a text target and its actual
                # that repeats it, each a cell of its own
                row.extra += [c.text, cells[i + 1].text]
                i += 2
                continue
            if row is not None and not row.extra and (i in paired or _text_target(cells, i)):
                # 提交报告及时性 | 在项目计划完成时间内完成 | 达成预期指标: a text target between a
                # value-less name and the achieved-word of a self-evaluation
                row.extra.append(c.text)
                i += 1
                continue
            one_a_line = c.col < 0 or not cur.cols and c.line == row.line if row is not None else False
            if row is not None and one_a_line and not row.extra and valued and _word_value(c) and c.role != ITEM:
                row.extra.append(c.text)
                i += 1
                continue
            opener = _surplus_opener(row, c, cur.order)
            flush()
            name = opener + c.text.lstrip(_LEAD_DEBRIS)     # ,受益脱贫户满意度: a cut sentence's comma
            if len(_CJK.findall(name)) >= 2:
                row = StreamRow(c.line, l1, l2, name, level1_inherited=l1_carried,
                                sentence_piece=_prose_piece(c.text))
        elif c.kind == VAL and row is not None:
            row.extra.append(c.text)
        elif c.kind == VAL and _word_value_named_row(cells, i):
            # 时效指标 | 按期完工 | 按期完工: an indicator named by its word target opens a row
            row = StreamRow(c.line, l1, l2, c.text, level1_inherited=l1_carried)
        i += 1
    flush()
    for t in tables:
        order = POINTS_FORM if _points_only(t) else t.order
        for r in t.rows:
            _place_values(r, order)
        # a rubric whose merged labels a PDF printed mid-block: the points say where each ends
        fill_blocks_by_points(t.rows, "level1") or fill_blocks_by_points(t.rows, "level2")
    # a table found without a header needs categories to be believed; under a header the
    # header is the evidence, unless its "names" are mostly grades (合规, 好: a table of
    # grades flattened so that the values fell into the name column)
    return [t for t in tables if len(t.rows) >= reader_rules().min_rows
            and (sum(1 for r in t.rows if r.level1 or r.level2) >= reader_rules().min_rows
                 or t.from_header and sorted(len(r.name) for r in t.rows)[len(t.rows) // 2] >= 4)]


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


POINTS_FORM = ("weight", "score")
_BARE_POINTS = re.compile(r"\d{1,3}(?:\.\d{1,2})?")


def _points_only(t: StreamTable) -> bool:
    """A score rubric read without a header (``服务对象满意度 10 10``, ``完成质量 5 4``): every
    value of the table is a bare number of points (no unit, no %, no comparator, at most
    100) and most rows give two of them, the second no more than the first — the 分值 and
    得分 of the rubric, not a target and an actual. Not handled yet: rubrics with a third
    column of points (权重 | 分值 | 得分)."""
    if t.from_header or len(t.rows) < 3:
        return False
    vals = [r.extra for r in t.rows if r.extra]
    if len(vals) < 3 or not all(_BARE_POINTS.fullmatch(v) and float(v) <= 100 for vs in vals for v in vs):
        return False
    pairs = [vs for vs in vals if len(vs) == 2]
    return len(pairs) >= 0.6 * len(vals) and all(float(b) <= float(a) for a, b in pairs)


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


def _join_comparators(vals: list[str]) -> list[str]:
    """A comparator alone in its cell joins the figure after it where the header has no
    comparator column (``≥ ⏎ 85`` → ≥85)."""
    out: list[str] = []
    for v in vals:
        if out and lone_comparator(out[-1]) and v[:1].isdigit():
            out[-1] += v
        else:
            out.append(v)
    return out


def _place_values(row: StreamRow, order: tuple[str, ...]) -> None:
    """Give each value after the name its column: by content and order (:func:`align`)."""

    vals, row.extra = row.extra, []
    if not vals:
        return
    if "op" not in order:
        vals = _join_comparators(vals)
    row.n_values = len(vals)
    res = align([(-1, v) for v in vals], [(-100, r) for r in order], need_name=False)
    placed: set[str] = set()
    if res is not None:
        _, got, skipped = res
        for r, (_, text) in got.items():
            row.values[r.partition("#")[0]] = text
            placed.add(text)
        row.extra = [t for _, t in skipped]
    else:
        for r, v in zip(order, vals):
            row.values.setdefault(r, v)
        row.extra = vals[len(order):]
