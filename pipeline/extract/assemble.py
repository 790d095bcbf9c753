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

Where a table starts and ends and what its header says is in :mod:`pipeline.extract.region`;
the tests that read a cell by its neighbours (a word after a value-less name, a category word
that names an indicator) in :mod:`pipeline.extract.neighbours`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.core.cells import BLOCK_WEIGHT, cell
from pipeline.core.document import Row
from pipeline.core.taxonomy import strip_decorations
from pipeline.extract.cell_lexicon import (
    CAT,
    HEAD,
    ITEM,
    NAME,
    VAL,
    StreamCell,
    reader_rules,
)
from pipeline.extract.build import FillDown
from pipeline.extract.cell_stream import lone_comparator
from pipeline.extract.neighbours import (
    _category_run_item,
    _category_with_value,
    _empty_block,
    _paired_text_values,
    _surplus_opener,
    _text_target,
    _unknown_category,
    _word_value,
    _word_value_named_row,
    _written_twice,
)
from pipeline.extract.region import (
    _NAME_COLS,
    SELF_EVAL_FORM,
    TARGET_FORM,
    StreamRow,
    StreamTable,
    _category_roles,
    _is_end,
    _label_as_category,
    _prose_piece,
    _sentence_with_value,
    _starts_table,
    _values_ahead,
    columnwise,
    grid_columns,
    header_columns,
    header_order,
    header_run,
)
from pipeline.extract.grid_lines import END, HEADER, LIST, ROW, TOTAL, GridRows, LineReasons, grid_line
from pipeline.extract.roles import align, row_roles
from pipeline.extract.rubric import fill_blocks_by_points

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LEAD_DEBRIS = ",，;；、.。:：)）"
_LEVEL_ROLES = ("level1", "level2", BLOCK_WEIGHT)


def assemble(cells: list[StreamCell], self_eval: bool, by_row: bool = False, carry: StreamTable | None = None,
             open_end: list[StreamTable] | None = None, rows: Sequence[Row] = (),
             reasons: LineReasons | None = None) -> list[StreamTable]:
    """The indicator tables of a cell stream (see the module docstring).

    ``by_row`` (the cells of a grid, placed by columns): a table starts only at a header row,
    or with ``carry``, the header of the table before it (a table broken by a page break); each
    row's cells take their roles by content with the header's column as tie-breaker
    (:func:`pipeline.extract.roles.row_roles`), not from their column alone; a row that ends the
    table or a placeholder block is judged as a whole (:mod:`pipeline.extract.row_rules`). The
    table still open at the end is appended to ``open_end``, to be carried into the next;
    ``rows`` are the grid's rows (:mod:`pipeline.extract.grid_lines` judges each line by them);
    ``reasons`` records why each line that gives no row is a reject."""
    tables: list[StreamTable] = []
    grid = GridRows(rows)
    cells = list(cells) if by_row else cells     # a row cut by a page break is joined in place
    cur: StreamTable | None = None
    if by_row and carry is not None:
        cur = StreamTable(carry.order, True, carry.cols, labels=carry.labels, carried=True)
        tables.append(cur)
    fill = FillDown()
    row: StreamRow | None = None
    default = SELF_EVAL_FORM if self_eval else TARGET_FORM
    run_item = False     # the cell before was an item named like a category

    def flush() -> None:
        nonlocal row
        if row is not None and cur is not None:
            cur.rows.append(row)
        row = None

    # a rubric listed without any value (项目目标 目标内容 决策过程 决策依据 …): every text
    # is an item, none is the value of the item before it
    valued = True
    # (text values paired between category words are cells one a line: none in a grid's rows)
    paired = _paired_text_values(cells) if not by_row else set()
    i = 0
    after_l1 = False     # the cell before was a first level
    aligned: dict[int, str] = {}    # by_row: the role of each cell of the current grid row
    aligned_end = -1
    pending: list[str] = []         # by_row: cells left over before the row's name, on its line
    early: dict[str, str] = {}      # by_row: values aligned before the row's name, on its line
    while i < len(cells):
        c = cells[i]
        after_l1, was_l1 = False, after_l1
        by_column = columnwise(cells, i) if c.kind == HEAD and c.role == "name" else None
        if by_column is not None:
            flush()
            tables.append(by_column[0])
            cur, i = None, by_column[1]
            continue
        if by_row and c.col >= 0 and (i == 0 or cells[i - 1].row != c.row):
            # a grid line is judged as a whole first (header, total, end, fragment, list cell)
            pending, early = [], {}
            flush()     # a grid line holds one row at most
            gl = grid_line(cells, i, grid, cur.cols if cur is not None else None)
            before = cur
            if gl.kind == HEADER:
                flush()
                cur = StreamTable(gl.order, True, dict(gl.header), labels=gl.labels, header=gl.first)
                tables.append(cur)
                fill = FillDown()
                aligned, aligned_end = {}, -1
            elif gl.kind == END:
                flush()
                cur = None
            elif gl.kind == TOTAL and cur is not None:
                cur.totals.append(gl.figures)
            elif gl.kind == LIST and cur is not None:
                flush()
                res = align(gl.before, sorted(cur.cols.items()), need_name=False) if gl.before else None
                if res:
                    fill.update(res[1])
                cur.rows += [StreamRow(line, fill.l1, "", item, values={r: v for r, v in values if v},
                                       block_weight=fill.block_weight) for line, item, values in gl.items]
            elif gl.merged is not None:
                cells[i:gl.end] = gl.merged     # a row cut by a page break, joined to its other half
                if reasons is not None:
                    reasons.note(gl, cells, i, before, cur)
                continue
            if reasons is not None:
                reasons.note(gl, cells, i, before, cur)
            if gl.kind != ROW:
                i = gl.end
                continue
        j = header_run(cells, i) if c.kind == HEAD else i
        if j > i:
            flush()
            cur = StreamTable(header_order(cells[i:j]), True, header_columns(cells[i:j]))
            tables.append(cur)
            valued = _values_ahead(cells, j)
            fill.l1 = fill.l2 = ""
            for h in cells[i:j]:
                level = _category_roles(h) if h.kind == CAT else ""
                if level == "level1":
                    fill.l1 = h.text
                elif level == "level2":
                    fill.l2 = h.text
            i = j
            continue
        if cur is None:
            if not by_row and c.kind == CAT and _starts_table(cells, i):
                cur = StreamTable(default, False, grid_columns(cells, i, default))
                tables.append(cur)
                valued = _values_ahead(cells, i)
                fill.l1 = fill.l2 = ""
            else:
                i += 1
                continue
        if (not by_row and _is_end(c) and not _label_as_category(cells, i)
                and not _sentence_with_value(cells, i)):
            flush()
            cur = None
            i += 1
            continue
        run_item = c.kind == CAT and (_category_run_item(cells, i) or (run_item or _empty_block(cells, i))
                                      and _category_roles(c) == "level2" and not strip_decorations(c.text).endswith("指标"))
        if c.kind == CAT and (_category_with_value(cells, i) or run_item):
            # the last item of such a run too (… 生态效益(可选项) 可持续效益(可选项) | 服务对象满意度 部门决策)
            c = StreamCell(NAME, c.text, c.line, whole=c.whole, col=c.col)
        if by_row and cur.cols and c.col >= 0 and i >= aligned_end:
            aligned_end, aligned = row_roles(cells, i, cur.cols, bool(fill.l2))
            levels = {r: (cells[k].col, cells[k].text) for k, r in aligned.items() if r in _LEVEL_ROLES}
            if levels:
                # the row's levels update the fill-down state once, as a row (a 二级 stated
                # under a blank 一级 cell carries the first level; 实施效果指标 | 产出指标 puts
                # first levels in the 二级 column): FillDown.update
                fill.update(levels)
        col_role = "" if c.col < 0 else aligned.get(i, cur.cols.get(c.col, "")) if by_row and i < aligned_end \
            else cur.cols.get(c.col, "")
        if by_row and aligned and i < aligned_end and col_role == "":
            # a cell the alignment left over: text of the row on its line, never a row of its own
            if row is not None:     # (a grid row holds one row at most: flushed at its start)
                row.notes.append(c.text)
            else:
                pending.append(c.text)
            i += 1
            continue
        if by_row and aligned and i < aligned_end and col_role not in ("", *_NAME_COLS) and c.kind != VAL:
            # aligned to a value column: a value whatever it looks like (时效指标 as a target)
            c = StreamCell(VAL, c.text, c.line, whole=True, col=c.col)
        if by_row and col_role == "name" and c.kind in (CAT, VAL):
            # aligned as the row's name: a category word or a value-like text in the name's place
            c = StreamCell(NAME, c.text, c.line, whole=True, col=c.col)
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
            if reasons is not None:
                reasons.category_rows.add(c.row)
            if by_row and aligned and i < aligned_end and col_role in _LEVEL_ROLES:
                i += 1      # the row's levels, already in the fill-down state
                continue
            level = col_role if col_role in ("level1", "level2") else _category_roles(c)
            first_name = cell(c.text).cat.is_first_level_name
            if level == "level1" and first_name and not col_role and (fill.l1_above or was_l1 and fill.l1 and not cell(fill.l1).cat.is_first_level_name):
                # a first level right under another (实施效果指标 ⏎ 产出指标 ⏎ name): the 二级
                # column holds first levels, and so does every block after it (效益指标)
                level, fill.l1_above = "level2", True
            elif level == "level1":
                fill.l1_above = False
            if level == "level1":
                fill.first_level(c.text)
                after_l1 = True
            elif level == "level2":
                fill.second_level(c.text)
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
            name = opener + c.text.lstrip(_LEAD_DEBRIS) if not by_row else c.text  # ,受益…: a cut sentence's comma
            if len(_CJK.findall(name)) >= 2 or by_row:     # a grid's name column holds any name (无)
                row = StreamRow(c.line, fill.l1, fill.l2, name, level1_inherited=fill.l1_carried,
                                sentence_piece=_prose_piece(c.text), block_weight=fill.block_weight,
                                notes=pending if by_row else [], values=early if by_row else {},
                                n_values=len(early) if by_row else 0)
                pending, early = [], {}
        elif c.kind == VAL and by_row and col_role == BLOCK_WEIGHT:
            pass        # | 产出指标 | 50 | 数量指标 | …: the block's weight, in the fill-down state
        elif c.kind == VAL and by_row and col_role and col_role not in _NAME_COLS and (row is None or col_role not in row.values):
            # aligned to its column: placed, not left to the order of the values (before the
            # name when the name column comes after: 指标类型 | 指标名称 | 指标值 | 指标描述)
            if row is None:
                early[col_role] = c.text
            else:
                row.values[col_role] = c.text
                row.n_values += 1
        elif c.kind == VAL and row is not None:
            row.extra.append(c.text)
        elif c.kind == VAL and _word_value_named_row(cells, i):
            # 时效指标 | 按期完工 | 按期完工: an indicator named by its word target opens a row
            row = StreamRow(c.line, fill.l1, fill.l2, c.text, level1_inherited=fill.l1_carried)
        i += 1
    flush()
    if open_end is not None and cur is not None:
        open_end.append(cur)
    for t in tables:
        order = POINTS_FORM if _points_only(t) else t.order
        for r in t.rows:
            _place_values(r, order)
        # a rubric whose merged labels a PDF printed mid-block: the points say where each ends
        fill_blocks_by_points(t.rows, "level1") or fill_blocks_by_points(t.rows, "level2")
    # a table found without a header needs categories to be believed; under a header the
    # header is the evidence, unless its "names" are mostly grades (合规, 好: a table of
    # grades flattened so that the values fell into the name column)
    # (a grid's header row is evidence enough: every row under it is read, and counts the tables)
    return [t for t in tables if by_row and t.labels or len(t.rows) >= reader_rules().min_rows
            and (sum(1 for r in t.rows if r.level1 or r.level2) >= reader_rules().min_rows
                 or t.from_header and sorted(len(r.name) for r in t.rows)[len(t.rows) // 2] >= 4)]


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
