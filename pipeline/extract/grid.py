"""Indicator rows out of a Document, with their provenance.

Schema of an :class:`IndicatorRow` (one per indicator, the columns of indicators.csv):

==============  ==========================================================================
file            the filing's path as given
table           1-based number of the indicator table in the filing (a new table starts at
                each indicator header)
row             1-based source line (text) or sheet row of the row's first cell
level1_filed    first level as filed (filled down over merged cells), decorations kept
level2_filed    second level as filed ('' when the filing gives none)
name            三级指标 / 指标名称
detail          指标解释 / 绩效指标描述, or the 实施周期指标值 when a 年度指标值 is the target
target_raw      the target value cell (年度指标值 / 指标值 / 预期当年实现值 …)
actual_raw      全年完成值 / 实际完成值 (self-evaluations)
unit_raw        计量单位 column
weight          分值 / 权重 of the row
score           得分
deviation_note  偏差原因 …
op_raw          指标性质 column (≥, ≤ …) when the comparator has a column of its own
history_raw     前年 / 上年 values, joined with ' / '
extra           other columns as ``header: value`` pairs (评分标准, 绩效标准, 备注 …)
block_weight    the 权重 of the first-level block (self-evaluation score tables)
==============  ==========================================================================

Rows that are read but are no indicator (headers, category-only rows, totals, rows of
budget tables) are returned as :class:`Reject` records with the reason, so that every
row of the filing is accounted for.

The rules about a row as a whole (table ends, fragments, list cells, category-only rows) are
in :mod:`pipeline.extract.row_rules`, the alignment in :mod:`pipeline.extract.roles`, the
fill-down state and the row builder in :mod:`pipeline.extract.build`: the assembler reads grid
rows with the same rules (``grid_tables: assembler``).
"""

from __future__ import annotations

from pipeline.core.cells import cell, header_of
from pipeline.core.document import Table
from pipeline.extract.build import FillDown, indicator_row
from pipeline.extract.cell_stream import grid_cells
from pipeline.extract.roles import align, align_shifted, category_only, category_word_as_name, unknown_categories
from pipeline.extract.row_rules import (
    _fragment_pair,
    _is_placeholder_block,
    _is_table_end,
    _row_label_as_category,
    _subheader,
    _list_cell,
    _merge_fragment,
)
from pipeline.extract.rows import Extraction, IndicatorRow, Reject
from pipeline.extract.described import names_in_description
from pipeline.extract.region import expand_subheaders
from pipeline.extract.wrapped import wrapped_header

# ---------------------------------------------------------------------------- rows



def _make_row(file: str, tno: int, line: int, st: FillDown, roles: dict[str, tuple[int, str]],
              header_text: dict[str, str]) -> IndicatorRow:
    """The row built from its aligned roles (:func:`pipeline.extract.build.indicator_row`)."""
    ordered = [(r, v) for r, (_, v) in sorted(roles.items(), key=lambda kv: kv[1][0])]
    return indicator_row(file, tno, line, st.l1, st.l2, roles.get("name", (0, ""))[1], ordered, labels=header_text,
                         level1_inherited=st.l1_carried, block_weight=st.block_weight)


def _extract_grid(file: str, table: Table, tno: int, header, header_text, out: Extraction):

    rows = table.rows
    typed = grid_cells(table)     # each row's cells with their column and kind
    st = FillDown()
    i = 0
    subs: list[list[str]] = []
    while i < len(rows):
        row = rows[i]
        out.rows_read += 1
        h = header_of(row)
        wrapped = wrapped_header(row, rows[i + 1] if i + 1 < len(rows) else None)
        if wrapped is not None:
            # the header's second half is accounted for as a header row of its own
            out.rows_read += 1
            out.rejects.append(Reject(file, tno + 1, rows[i + 1].line, "header", " | ".join(rows[i + 1].cells)))
            row, h = wrapped
            i += 1
        if h is not None:
            tno += 1
            header = h
            header_text = {r: t for (c, r), (_, t) in zip(h, row.filled())}
            st = FillDown()
            out.headers.append(h)
            out.rejects.append(Reject(file, tno, row.line, "header", " | ".join(row.cells)))
            subs = []
            i += 1
            # sub-header rows right below
            while i < len(rows):
                sub = _subheader(rows[i])
                if sub is None:
                    break
                subs.append(sub)
                out.rows_read += 1
                out.rejects.append(Reject(file, tno, rows[i].line, "header", " | ".join(rows[i].cells)))
                i += 1
            if subs:
                header = expand_subheaders(header, subs)
            # 指标类型 | 指标名称 | 指标值 | 指标描述 holding 产出指标 | 数量指标 | … | the indicator
            header = names_in_description(header, rows[i:]) or header
            continue
        if header is None:
            out.rejects.append(Reject(file, 0, row.line, "outside indicator table", " | ".join(row.cells)))
            i += 1
            continue
        filled = [(c.col, c.text) for c in typed[i]] if row is rows[i] else row.filled()
        if not filled:
            out.rejects.append(Reject(file, tno, row.line, "empty row", ""))
            i += 1
            continue
        if _is_table_end(row) and not _row_label_as_category(row, header):
            header = None
            out.rejects.append(Reject(file, tno, row.line, "end of indicator table", " | ".join(row.cells)))
            i += 1
            continue
        if _is_placeholder_block(row):
            out.rejects.append(Reject(file, tno, row.line, "placeholder block", " | ".join(row.cells)))
            i += 1
            continue
        name_col = next((c for c, r in header if r == "name"), -1)
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        if _fragment_pair(row, nxt, name_col):
            out.rows_read += 1
            # the second piece is accounted for as joined (rows read = emitted + rejected)
            out.rejects.append(Reject(file, tno, nxt.line, "joined to the row above (split by a page break)",  # type: ignore[union-attr]
                                      " | ".join(nxt.cells)))  # type: ignore[union-attr]
            row = _merge_fragment(row, nxt)  # type: ignore[arg-type]
            i += 1
            filled = row.filled()
        # e.g. one cell lists several management items, their numbers follow
        listed = next(((c, p) for c, t in filled if (p := _list_cell(t))), None)
        if listed is not None:
            i = _emit_list(file, tno, rows, i, row, listed, header, st, out)
            continue
        res = align_shifted(filled, header)
        if res is not None and category_only(res[1]):
            res = None
        if res is None and (named := category_word_as_name(filled, header, bool(st.l2))) is not None:
            st.update(named)
            out.rows.append(_make_row(file, tno, row.line, st, named, header_text))
            i += 1
            continue
        if res is None:
            res0 = align(filled, header, need_name=False)
            roles = res0[1] if res0 else {}
            if any(r in roles for r in ("level1", "level2")):
                st.update(roles)
                out.rejects.append(Reject(file, tno, row.line, "category row without an indicator", " | ".join(row.cells)))
            elif all(cell(t).number for _, t in filled) or (
                    cell(filled[0][1]).total and len(filled) > 1 and all(cell(t).number for _, t in filled[1:])):
                # 合计 | | | 100 | 95: the points and scores the review checks the rows against
                out.totals.append((tno, [t for _, t in filled if cell(t).number]))
                out.rejects.append(Reject(file, tno, row.line, "total row", " | ".join(row.cells)))
            else:
                out.rejects.append(Reject(file, tno, row.line, "no indicator name in the row", " | ".join(row.cells)))
            i += 1
            continue
        _, roles, skipped = res
        # a copy: align's results are cached, and unknown_categories adds to the roles; the
        # cached dict itself would carry those roles into the next filing with the same row
        # (so a file's rows depended on the files read before it in the same process)
        roles = dict(roles)
        if table.truncated and i == len(rows) - 1 and not roles.get("target"):
            out.rejects.append(Reject(file, tno, row.line, "row cut off at the end of the text", " | ".join(row.cells)))
            i += 1
            continue
        if cell(roles["name"][1]).total:
            out.totals.append((tno, [t for _, t in filled if cell(t).number]))
            out.rejects.append(Reject(file, tno, row.line, "total row", " | ".join(row.cells)))
            i += 1
            continue
        skipped = unknown_categories(roles, skipped, header)
        st.update(roles)
        ind = _make_row(file, tno, row.line, st, roles, header_text)
        if skipped:
            more = "; ".join(t for _, t in skipped)
            ind.extra = f"{ind.extra}; {more}" if ind.extra else more
        ind.cut_off = table.cut_cell and i == len(rows) - 1
        out.rows.append(ind)
        i += 1
    return tno, header, header_text




def _emit_list(file, tno, rows, i, row, listed, header, st, out) -> int:
    col, items = listed
    filled = row.filled()
    before = [(c, t) for c, t in filled if c < col]
    after = [(c, t) for c, t in filled if c > col]
    res = align(before, header, need_name=False) if before else None
    if res:
        st.update(res[1])
    nums = [t for _, t in after if cell(t).number]
    texts = [t for _, t in after if not cell(t).number]
    lines = [(row.line, nums, [])]
    j = i + 1
    while j < len(rows) and len(lines) < len(items):
        f = rows[j].filled()
        if not f or any(not cell(t).number and cell(t).cat.is_category for _, t in f):
            break
        ns = [t for _, t in f if cell(t).number]
        if not ns:
            break
        out.rows_read += 1
        lines.append((rows[j].line, ns, [t for _, t in f if not cell(t).number]))
        j += 1
    for item, (line, ns, notes) in zip(items, lines):
        values = [("detail", "; ".join(texts)), ("weight", ns[0] if ns else ""),
                  ("score", ns[1] if len(ns) > 1 else ""), ("deviation", "; ".join(notes))]
        out.rows.append(indicator_row(file, tno, line, st.l1, "", item, values, block_weight=st.block_weight))
    # items beyond the number lines are rows of their own, read from the listing cell
    out.rows_read += max(0, len(items) - len(lines))
    for item in items[len(lines):]:
        out.rows.append(indicator_row(file, tno, row.line, st.l1, "", item, [("detail", "; ".join(texts))],
                                      block_weight=st.block_weight))
    return j
