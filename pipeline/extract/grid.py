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

Longer than 400 lines because the grid reader's header handling, fill-down state and row
rules act on the same row in one loop; the row model, the reader entry point and the
wrapped-header rule already live apart.
"""

from __future__ import annotations

from pipeline.core.cells import (
    cell,
    header_of,
    header_role,
    rules,
    section_label,
)
from pipeline.core.document import Row, Table
from pipeline.core.normalize import key, overlap_join
from pipeline.core.taxonomy import strip_decorations
from pipeline.extract.build import FillDown, indicator_row
from pipeline.extract.cell_stream import grid_cells
from pipeline.extract.roles import align, align_shifted
from pipeline.extract.rows import Extraction, IndicatorRow, Reject
from pipeline.extract.described import names_in_description
from pipeline.extract.region import expand_subheaders
from pipeline.extract.wrapped import wrapped_header

# ---------------------------------------------------------------------------- headers

def _subheader(row: Row) -> list[str] | None:
    """Roles of a sub-header row (近两年指标值 | 预期当年实现值; 前年 | 上年), else None."""
    filled = row.filled()
    if not filled:
        return None
    roles = [header_role(t) for _, t in filled]
    if all(roles):
        return roles
    return None


# ---------------------------------------------------------------------------- rows

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


_VALUE_ROLES = ("target", "actual", "period_target", "detail#p", "unit", "op", "weight", "score", "history")


def _category_only(roles: dict[str, tuple[int, str]]) -> bool:
    """A category name taken as the indicator name with nothing else in the row."""
    return cell(roles["name"][1]).cat.is_category and not any(
        r in roles and not cell(roles[r][1]).not_name for r in _VALUE_ROLES)


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
        if _is_table_end(row) and not _label_as_category(row, header):
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
        if res is not None and _category_only(res[1]):
            res = None
        if res is None and (named := _category_word_as_name(filled, header, st)) is not None:
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
        # a copy: align's results are cached, and _unknown_categories adds to the roles; the
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
        skipped = _unknown_categories(roles, skipped, header)
        st.update(roles)
        ind = _make_row(file, tno, row.line, st, roles, header_text)
        if skipped:
            more = "; ".join(t for _, t in skipped)
            ind.extra = f"{ind.extra}; {more}" if ind.extra else more
        ind.cut_off = table.cut_cell and i == len(rows) - 1
        out.rows.append(ind)
        i += 1
    return tno, header, header_text


def _label_as_category(row: Row, header) -> bool:
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


def _category_word_as_name(filled, header, st: FillDown) -> dict[str, tuple[int, str]] | None:
    """Score tables name their 三级 items with management words (资金分配, 财务管理, 完成数量):
    such a word standing in the name column, as the row's last cell, under a block that has
    its second level already, is the row's name (``| | | 财务管理 |``), not a category row."""
    name_col = next((c for c, r in header if r == "name"), -1)
    col, text = filled[-1]
    if col != name_col or not cell(text).cat.is_category or strip_decorations(text).endswith("指标"):
        return None     # 社会效益指标 in the name column is a category that slid right
    before = filled[:-1]
    res = align(before, header, need_name=False) if before else None
    roles = dict(res[1]) if res else {}
    if "level2" not in roles and not st.l2:
        return None
    if any(r not in ("level1", "level2") for r in roles):
        return None
    roles["name"] = (col, text)
    return roles


def _unknown_categories(roles, skipped, header):
    """A cell left over in the 一级/二级 column before the name is the filed category, even
    when the taxonomy does not know it (工作落实 under 二级指标): it is kept as filed, so the
    review reports it (UNKNOWN_CATEGORY) instead of calling the row uncategorised."""
    if not skipped or "name" not in roles:
        return skipped
    name_col = roles["name"][0]
    left = []
    for col, text in skipped:
        c = cell(text)
        role = next((r for hc, r in header if hc == col and r in ("level1", "level2")), None)
        if (role and role not in roles and col < name_col and 2 <= len(key(text)) <= 16
                and not (c.number or c.value or c.placeholder or c.total or c.cat.section)):
            roles[role] = (col, text)
        else:
            left.append((col, text))
    return left


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
