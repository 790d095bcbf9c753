"""Every indicator row of a Document, by one assembler of typed cells.

``extract(doc)`` reads every table as a stream of typed cells and assembles its rows in one place
(:func:`pipeline.extract.assemble.assemble`): a table whose format gives rows and columns (pipe
tables, tabs, docx, xlsx, html) as cells placed by their column and row
(:func:`pipeline.extract.cells.read_grid_table`: each grid line judged as a row, its cells given
roles by content with the header's column as tie-breaker); a table whose row boundaries were
lost as cells cut by content (:func:`pipeline.extract.cells.read_stream_table`; the rows its
format still gives — a header line over one row a line, one cell a line placed by blank lines
or bare pipes — are read as grid rows). It then rejects tables whose layout was not read, joins
a target written on the line below its row (:mod:`pipeline.extract.mend`), and reads the whole
filing again as one stream (:func:`pipeline.extract.cells.read_unread`) where the first pass
found no rows or rows without values.
"""

from __future__ import annotations

from pipeline.core.cells import ENUMERATOR
from pipeline.core.document import Document
from pipeline.core.normalize import key
from pipeline.extract.cells import read_grid_table, read_stream_table, read_unread
from pipeline.extract.mend import attach_values_below
from pipeline.extract.rows import Extraction, IndicatorRow, Reject


def extract(doc: Document) -> Extraction:
    """Pull every indicator row out of ``doc`` (see the module docstring)."""

    out = Extraction()
    tno = 0
    carry = None    # the header table a grid table left open (a table broken by a page break)
    for table in doc.tables:
        if table.stream:
            tno = read_stream_table(doc, table, tno, out)
            carry = None
            continue
        tno, carry = read_grid_table(doc, table, tno, out, carry)
    _reject_unread_tables(out)

    attach_values_below(out)
    before = (len(out.rows), len(out.rejects))
    read_unread(doc, out)
    if (len(out.rows), len(out.rejects)) != before:
        attach_values_below(out)     # the cell reader's rows too, where it read the filing again
    _mark_cut_rows(doc, out)
    _drop_enumerators(out)
    return out


def _drop_enumerators(out: Extraction) -> None:
    """``1、宣传次数`` → ``宣传次数``: the number a filer put before each name numbers the rows; it
    is no part of the indicator's name (the row keeps its line for provenance). A name that is
    nothing but the enumerator keeps it."""
    for r in out.rows:
        m = ENUMERATOR.match(r.name)
        if m and r.name[m.end():].strip():
            r.name = r.name[m.end():].strip()


def _mark_cut_rows(doc: Document, out: Extraction) -> None:
    """The row on the last line of a table whose text stops inside its last cell is cut off,
    whichever reader emitted it (``| 成本指标 | 补助标准 | 15`` then ``[excerpt ends here]``:
    15 may be the start of 150元/人); the cell reader's rows did not carry the flag."""
    for t in doc.tables:
        if t.cut_cell and t.rows:
            last = t.rows[-1].line
            for r in out.rows:
                if r.row == last:
                    r.cut_off = True


def _reject_unread_tables(out: Extraction) -> None:
    """Rows of a table whose layout was not read are rejects, not indicators.

    A table flattened into running text (``资金使用合规性 合规 2.8 好 2.8财务制度健全性 …``)
    still splits into "rows", but they carry no category at all and their "names" are the
    values and grades between the real names (合规, 好, 健全). Emitting them would put
    debris in the table and flags on it; they go to rejects.csv with the reason instead.
    """
    by_table: dict[int, list[IndicatorRow]] = {}
    for r in out.rows:
        by_table.setdefault(r.table, []).append(r)
    bad = set()
    for tno, rows in by_table.items():
        if len(rows) < 4 or any(r.level1_filed or r.level2_filed for r in rows):
            continue
        lengths = sorted(len(key(r.name)) for r in rows)
        if lengths[len(lengths) // 2] <= 3:
            bad.add(tno)
    if not bad:
        return
    keep = []
    for r in out.rows:
        if r.table in bad:
            cells = " | ".join(x for x in (r.name, r.target_raw, r.actual_raw, r.weight, r.score, r.extra) if x)
            out.rejects.append(Reject(r.file, r.table, r.row, "layout not read: a table without categories whose "
                                      "names are mostly values or grades (flattened into running text?)", cells))
        else:
            keep.append(r)
    out.rows[:] = keep
