"""The general cell reader as the extractor's second pass: filings no layout reader could read.

When the layout readers of :mod:`pipeline.extract` yield no indicator row for a filing (its
tables flattened without separators, headers wrapped, fused or missing), its text is read
again as one stream of typed cells (:mod:`pipeline.extract.cell_stream`) and the rows are assembled
by content (:mod:`pipeline.extract.assemble`). The lines those rows come from were rejects of
the first pass ("outside indicator table" …); they are re-labelled as read by the cell
reader, so that rows read = rows emitted + rows rejected still holds.

Worked example: a self-evaluation glued into one line under a header —
``一级指标二级指标三级指标指标值完成值权重得分产出指标数量指标贷款发放额增长率≥10%115.25%20%20``
gives the row 产出指标 / 数量指标 / 贷款发放额增长率, target ≥10%, actual 115.25%, weight 20%,
score 20.

Not handled yet: filings where the first pass read some rows but missed others (the second
pass only runs when the first read none).
"""

from __future__ import annotations

import re

from pipeline.core.cells import cell
from pipeline.core.document import Document, Row, Table
from pipeline.core.normalize import key
from pipeline.extract.assemble import assemble
from pipeline.extract.grid_lines import LineReasons
from pipeline.extract.region import StreamTable, prose_table
from pipeline.extract.cell_lexicon import reader_rules
from pipeline.extract.build import indicator_row
from pipeline.extract.cell_stream import grid_cells, lone_pipe_cell, spaced_cells, stream
from pipeline.extract.positions import _header_run, cells_per_line, rows_by_position
from pipeline.extract.rows import Reject


def doc_lines(doc: Document) -> list[tuple[int, str]]:
    """The filing as (line, text): its text where the reader kept it, else its table rows."""
    if doc.text:
        return [(k + 1, ln) for k, ln in enumerate(doc.text.splitlines())]
    lines = [(r.line, " | ".join(r.cells)) for t in doc.tables for r in t.rows]
    lines += [(p.line, p.text) for p in doc.paragraphs]
    return sorted(lines, key=lambda x: x[0])


_TABLE_HEADER_WORDS = ("二级指标", "三级指标", "指标名称")


def _titled_report(doc: Document) -> bool:
    """报告 in the title (the first three non-empty lines), not in a table's cells."""
    head = [ln for ln in (doc.text or "").splitlines()[:12] if ln.strip()][:3]
    return any("报告" in ln for ln in head)


_SWALLOWED = re.compile(r"\d(?:[.,]\d+)?\s*(?:%|％|万元|元|人次|人|个|件|次|天)$")


def _value_text(text: str) -> bool:

    k = key(text)
    c = cell(k)
    return bool(c.value or c.actual or c.number or k in reader_rules().word_values or re.search(r"\d", k))


def read_unread(doc: Document, out) -> None:
    """Read ``doc`` with the cell reader where the layout readers read badly.

    The cell reader's rows are taken when the first pass read no row, or when no more than
    half of the first pass's rows have a value (a name that swallowed its values, such as
    ``验收合格率100%100%``, counts as none) and the cell reader's hold clearly more values
    (at least two more and half as many again):
    a table flattened into running text that the first pass cut into rows whose names
    swallowed their values (``经费支出合规性严格执行相关制度规定达成预期指标``). The first
    pass's rows then become rejects with the reason.
    """

    # a row counts as read when it has a value and its name did not swallow values
    # (验收合格率100%100%: the line was cut in the wrong places)
    first = sum(1 for r in out.rows if (r.target_raw or r.actual_raw) and not _SWALLOWED.search(r.name))
    if out.rows and first > 0.5 * len(out.rows):
        return      # the layout readers did well: the cell reader is not even run
    report = _titled_report(doc)
    if report and not any(w in key(doc.text) for w in _TABLE_HEADER_WORDS):
        return      # a report without an indicator header: its prose is the prose miner's
    lines = doc_lines(doc)
    if not lines:
        return
    cells = stream(lines)
    # with no header, the form's default order: a self-evaluation says so in its title
    tables = assemble(cells, self_eval="自评" in (doc.text or "")[:600])
    # prose names categories and figures in sentences: in a filing that reads like a report
    # (报告 near the top, or running text only), a table whose names are pieces of sentences
    # is prose; a titled report is only read under a header
    prose_like = report or "报告" in (doc.text or "")[:400] or doc.meta.get("layout") == "plain"
    tables = [t for t in tables if not (report and not t.from_header) and not (prose_like and prose_table(t))]
    if not tables:
        return
    if out.rows:
        # a value the cell reader took for one (a word after a value-less name) counts only
        # when it reads as a value: a rubric's items (目标内容 after 项目目标) are not
        second = sum(1 for t in tables for r in t.rows if r.has_figure and any(_value_text(v) for v in r.values.values()))
        if second < first + 2 or second < 1.5 * first:
            return
        for r in out.rows:
            cells_text = " | ".join(x for x in (r.name, r.target_raw, r.actual_raw) if x)
            out.rejects.append(Reject(r.file, r.table, r.row, "read again by the cell reader: the layout "
                                      "reader's rows held fewer values", cells_text))
        out.rows.clear()
    _emit(doc, tables, out)


def _emit(doc: Document, tables, out, tno: int | None = None) -> tuple[int, set[int]]:
    """Append the rows of ``tables`` as tables numbered after ``tno`` (after the last reject's
    table when None); the last table number and the lines the rows came from."""
    if tno is None:
        tno = max((r.table for r in out.rejects), default=0)
    used: set[int] = set()
    for t in tables:
        tno += 0 if t.carried else 1
        out.totals.extend((tno, figures) for figures in t.totals)
        for r in t.rows:
            ind = indicator_row(doc.path, tno, r.line, r.level1, r.level2, r.name, list(r.values.items()),
                                labels=t.labels, level1_inherited=r.level1_inherited, block_weight=r.block_weight)
            if r.extra or r.notes:
                ind.extra = "; ".join(([ind.extra] if ind.extra else []) + r.extra + r.notes)
            out.rows.append(ind)
            out.rows_read += 1
            used.add(r.line)
    for k, rej in enumerate(out.rejects):
        if rej.row in used and rej.reason in ("outside indicator table", "no indicator name in the row",
                                               "cell not placed in any row", "category row without an indicator"):
            out.rejects[k] = Reject(rej.file, rej.table, rej.row, f"{rej.reason}; read again by the cell reader",
                                    rej.cells)
    return tno, used


# a header run with more cells than this after it on its own line is a whole table flattened
# into one line, not a header line over rows
_FLAT_AFTER_HEADER = 12


def read_stream_table(doc: Document, table: Table, tno: int, out) -> int:
    """A table whose row boundaries were lost (``Table.stream``), read from one cell stream.

    Its lines are cut into typed cells once (:func:`pipeline.extract.cell_stream.stream`). Where
    the format still gives the rows, they are read as grid rows (:func:`read_grid_table`): a header line and one row a
    line (running text), or one cell a line whose blank lines or bare pipes place the cells
    (:mod:`pipeline.extract.positions`). Everywhere else the cell reader finds the rows by
    content (:func:`pipeline.extract.assemble.assemble`). Returns the last table number used.

    Worked example (running text, one row a line)::

        一级指标 二级指标 三级指标 指标值 ⏎ 产出指标 数量指标 培训人数 300人
        → grid rows | 一级指标 | 二级指标 | 三级指标 | 指标值 | and | 产出指标 | 数量指标 | 培训人数 | 300人 |
    """
    # a cell alone on its line closed by a pipe (``服务能力提升 |``) keeps the pipe: the
    # filer separated it, so the stream keeps it whole
    lines = [(r.line, r.raw.strip() if len(r.cells) == 1 and lone_pipe_cell(r.raw) == key(r.cells[0]) else " ".join(r.cells))
             for r in table.rows]
    cells = stream(lines)
    by_line: dict[int, list[str]] = {ln: [] for ln, _ in lines}
    for c in cells:
        by_line.setdefault(c.line, []).append(c.text)
    # blanks that separate the filer's cells keep them whole in a row a line (spaced_cells)
    rows = [Row(spaced_cells(text) or by_line[ln], ln, r.raw) for r, (ln, text) in zip(table.rows, lines)]
    runs = [_header_run(r.cells) for r in rows]
    flat = any(hr and len(r.cells) - hr[1] > _FLAT_AFTER_HEADER for r, hr in zip(rows, runs))
    one_a_line = cells_per_line([len(r.cells) for r in rows])
    grid = None
    if not flat and any(runs) and not one_a_line:
        # a header line and one row a line; a header glued after prose becomes a row of its own
        fixed: list[Row] = []
        for r, hr in zip(rows, runs):
            if hr and hr[0] > 0:
                fixed += [Row(r.cells[:hr[0]], r.line, r.raw), Row(r.cells[hr[0]:], r.line, r.raw)]
            else:
                fixed.append(r)
        grid = Table(index=table.index, rows=fixed, truncated=table.truncated, cut_cell=table.cut_cell)
    elif not flat:
        grid = rows_by_position(table, one_a_line)
    if grid is not None:
        return read_grid_table(doc, grid, tno, out)[0]     # the rows the format kept, as grid rows
    return _assemble_table(doc, table, cells, tno, out)


def read_grid_table(doc: Document, table: Table, tno: int, out, carry: StreamTable | None = None
                    ) -> tuple[int, StreamTable | None]:
    """A table whose format gave rows and columns, read by the one assembler: its cells typed and placed by
    column (:func:`pipeline.extract.cell_stream.grid_cells`), each line judged as the grid
    reader judges a row (:mod:`pipeline.extract.grid_lines`: header, total, end, fragment, list
    cell), each row's cells given their roles by content with the column as tie-breaker
    (:func:`pipeline.extract.roles.row_roles`), the rows built by the one assembler. ``carry``:
    the header table the grid table before left open (a page break). Returns the last table
    number used and the table this one leaves open.

    Worked example::

        | 一级指标 | 二级指标 | 三级指标 | 指标值 | ⏎ | 产出指标 | 数量指标 | 培训人数 | 300人 |
        → header columns 0-3: level1 level2 name target; the row 产出指标 / 数量指标 / 培训人数 / 300人
    """
    cells = [c for row in grid_cells(table) for c in row]
    left_open: list[StreamTable] = []
    reasons = LineReasons()
    tables = assemble(cells, self_eval="自评" in (doc.text or "")[:600], by_row=True, carry=carry,
                      open_end=left_open, rows=table.rows, reasons=reasons)
    cut = _cut_last_row(table, tables)
    first, emitted = tno, len(out.rows)
    tno, used = _emit(doc, tables, out, tno)
    if table.cut_cell and table.rows:
        # the row on the grid's last row, where the text stops inside its last cell (``>=9``)
        for ind in out.rows[emitted:]:
            ind.cut_off = ind.cut_off or ind.row == table.rows[-1].line
    numbers: dict[int, int] = {}
    n = first
    for t in tables:
        n += 0 if t.carried else 1
        numbers[id(t)] = n
        if t.header:
            out.headers.append(t.header)
    inside: StreamTable | None = carry
    for k, r in enumerate(table.rows):
        if cut is not None and r.line == cut.line:
            out.rejects.append(Reject(doc.path, tno, cut.line, "row cut off at the end of the text", " | ".join(r.cells)))
            out.rows_read += 1
            continue
        if r.line in used:
            continue
        if r.cells and any(r.cells):
            why, t = reasons.reason(k)
            inside = None if why in ("end of indicator table", "outside indicator table") else t
        else:
            why, t = ("empty row", inside) if inside is not None else ("outside indicator table", None)
        out.rejects.append(Reject(doc.path, numbers.get(id(t), 0) if t is not None else 0, r.line, why,
                                  " | ".join(r.cells) if why != "empty row" else ""))
        out.rows_read += 1
    return tno, (left_open[0] if left_open else None)


def _assemble_table(doc: Document, table: Table, cells, tno: int, out) -> int:
    """The rows the assembler finds in one table's cells, emitted; every other line a reject."""
    text = doc.text or ""
    tables = assemble(cells, self_eval="自评" in text[:600])
    prose_like = "报告" in text[:400] or doc.meta.get("layout") == "plain"
    tables = [t for t in tables if not (prose_like and prose_table(t))]
    cut = _cut_last_row(table, tables)
    tno, used = _emit(doc, tables, out, tno)
    if cut is not None:
        out.rejects.append(Reject(doc.path, tno, cut.line, "row cut off at the end of the text", cut.name))
        out.rows_read += 1
        used.add(cut.line)
    for r in table.rows:
        if r.line not in used:
            out.rejects.append(Reject(doc.path, 0, r.line, "outside indicator table", " | ".join(r.cells)))
            out.rows_read += 1
    return tno


def _cut_last_row(table: Table, tables):
    """The last row of a table the text stops inside (``Table.truncated``), taken off when it
    has no value: its name may be cut too (满意度指标 ⏎ 公众满[text ends]); None otherwise."""
    if not (table.truncated and tables and tables[-1].rows and table.rows):
        return None
    last = tables[-1].rows[-1]
    if last.line != table.rows[-1].line or last.status != "missing_value":
        return None
    return tables[-1].rows.pop()
