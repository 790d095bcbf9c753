"""``MISSING_DIMENSION``: a target table without 产出, 效益 or 满意度 indicators, and what in
the text shows that the table was cut (the flag names that evidence, or claims no cut).

A table cut without a marker shows it by how the text ends: a row line without the closing
bar its table's rows have (``| 产出质量指标 | 协议履约``), a value cut after its comparator
(``≧``), a last row with a name and no value, a last line that is a category label with no
indicator after it (``满意度指标``), or a last row with fewer cells than the table's rows.
A complete table that is merely the last thing in the file is complete, and a score sheet
(rows with points and scores, read as a target table) has no dimensions to miss.

Example: ``| 产出指标 | 数量指标 | 培训人数 | 100人 |`` … then ``| 产出指标 | 时效指标 | 完成时限``
at the end of the text → 第 1 张绩效目标表没有效益指标、满意度指标类指标（文本在表内截断：最后一行
「产出指标 | 时效指标 | 完成时限」在单元格中断（行尾没有表格的分隔符）；缺失部分可能在截断处之后）。
Not handled yet: a table cut exactly at a row boundary with nothing after it (no evidence:
no cut is claimed); a cut inside a table that is not the text's last.
"""

from __future__ import annotations

import re

from pipeline.core.document import Document
from pipeline.core.flags import Flag, review_rules
from pipeline.core.taxonomy import lookup, taxonomy
from pipeline.extract.facts import FilingInfo
from pipeline.extract.rows import Extraction
from pipeline.review.rows import RowCtx


def missing_dimension(doc: Document, info: FilingInfo, ctxs: list[RowCtx], ex: Extraction | None = None) -> list[Flag]:
    if info.kind != "target_table":
        return []
    rr = review_rules()
    # a table whose rows carry points and scores (管理制度 | 9 | 8) is a score sheet, scored
    # items under 决策/过程/产出 blocks, not a target table with 产出-效益-满意度 dimensions
    scored: dict[int, list[bool]] = {}
    for c in ctxs:
        scored.setdefault(c.row.table, []).append(bool(c.row.weight and c.row.score))
    sheets = {t for t, v in scored.items() if sum(v) * 2 >= len(v)}

    tax = taxonomy()
    tables: dict[int, set[str]] = {}
    first_row: dict[int, int] = {}
    for c in ctxs:
        if not c.row.table:
            continue
        l1 = (tax.parent(c.l2) if c.l2 else "") or c.filed_l1
        tables.setdefault(c.row.table, set()).add(l1)
        # 实施效果指标 | 产出指标 | 建设项目个数: a first level in the 二级 column is present too
        in_l2 = lookup(c.row.level2_filed).l1 if c.row.level2_filed and not c.filed_l2 else ""
        if in_l2:
            tables[c.row.table].add(in_l2)
        first_row.setdefault(c.row.table, c.row.row)
    out = []
    cut = _cut_evidence(doc, ctxs, ex)
    last = max(tables) if tables else 0
    for tno, l1s in tables.items():
        if tno in sheets:
            continue
        truncated = cut if tno == last else ""
        missing = [d for d in ("产出指标", "效益指标", "满意度指标") if d not in l1s]
        if "满意度指标" in missing and any(
                c.l2 == "服务对象满意度指标" for c in ctxs if c.row.table == tno):
            missing.remove("满意度指标")
        if missing:
            note = f"（文本在表内截断：{truncated}；缺失部分可能在截断处之后）" if truncated else ""
            out.append(rr.flag("MISSING_DIMENSION", doc.path, tno, first_row[tno],
                               f"第 {tno} 张绩效目标表没有{'、'.join(missing)}类指标{note}。",
                               f"表内一级指标：{'、'.join(sorted(x for x in l1s if x)) or '（无）'}",
                               f"补充{'、'.join(missing)}"))
    return out


# a value cell the text stops in: a comparator, an open bracket or a joining word with
# nothing after it (≧, ≥, 不低于, （)
_OPEN_VALUE = re.compile(r"(?:[≥≤≧≦<>＜＞=（(]|>=|<=|不低于|不少于|不高于|不超过)$")
_CUT_MARK = re.compile(r"^\[(?:text cut off|excerpt ends|[^\]]*(?:cut off|truncated|截断))|^[（(]?(?:未完|待续)", re.I)


def _cut_evidence(doc: Document, ctxs: list[RowCtx], ex: Extraction | None = None) -> str:
    """What in the text shows that it stops inside the last table, or "" when nothing does.

    A cut-off marker on the last line, a row whose last cell the text stops in (a row line
    without the closing bar its table's rows have: ``| 产出质量指标 | 协议履约``), a value cut
    after its comparator (``≧``), a last row with a name and no value, a table that stops on
    a category label (产出指标 | 数量指标 with no indicator after it), or a last row with fewer
    cells than the table's rows. A complete table that merely is the last thing in the file
    is complete.
    """
    lines = [ln.strip() for ln in doc.text.splitlines() if ln.strip()]
    if lines and _CUT_MARK.match(lines[-1]):
        return f"文末标注「{lines[-1][:30]}」"
    if any(c.row.cut_off for c in ctxs):
        return "最后一行在单元格中断"
    tail = lines[-1].strip(" |\t") if lines else ""
    if tail and _OPEN_VALUE.search(tail):
        return f"文本止于未写完的单元格「{tail[-12:]}」"
    # … | 可持续影响指标 | 提高…功能 | then a last line 满意度指标 without bars: the text stops
    # on a category label whose indicators are not in it
    if tail and (lab := lookup(tail)).is_category and (lab.l1 or lab.l2) and doc.tables and doc.tables[-1].rows:
        gap = len(doc.text.splitlines()) - doc.tables[-1].rows[-1].line
        if 0 <= gap <= 3:
            return f"文本止于类别「{tail[:20]}」，其下没有指标"
    if doc.tables and doc.tables[-1].rows and doc.tables[-1].cut_cell:
        t = doc.tables[-1]
        closed = sum(r.raw.rstrip().endswith("|") for r in t.rows[:-1])
        if closed * 2 > len(t.rows) - 1:
            cells = [c for c in t.rows[-1].cells if c.strip(" |")]
            return f"最后一行「{' | '.join(cells)[:24]}」在单元格中断（行尾没有表格的分隔符）"
    if ex is not None and ex.rejects and ex.rejects[-1].reason == "row cut off at the end of the text":
        return f"最后一行「{ex.rejects[-1].cells.strip(' |')[:24]}」只有名称、没有指标值"
    if doc.tables and doc.tables[-1].rows:
        last = doc.tables[-1].rows[-1]
        cells = [c for c in last.cells if c.strip(" |")]
        after = [ln for ln in doc.text.splitlines()[last.line:] if ln.strip(" |\t")]
        # the text ends on a category label (… | 效益指标 |): its indicators were cut away
        at_end = doc.tables[-1].truncated or not after
        if at_end and cells and all((cat := lookup(c.strip(" |"))).l1 or cat.l2 for c in cells):
            return f"表格止于类别「{cells[-1].strip(' |')[:20]}」"
        # the text ends on a row with fewer cells than the table's rows have (成本指标 | 气):
        # the row was cut mid-way; a complete last row is no evidence of anything
        widths = sorted(len(r.filled()) for r in doc.tables[-1].rows if len(r.filled()) >= 2)
        last_row = max((c.row.row for c in ctxs if c.row.table), default=0)
        near = 0 < last.line - last_row <= 12 or last.line == last_row   # not a page footer far below
        label_only = all(c.strip(" |").endswith((":", "：")) for c in cells)   # 标签: — a page's field
        if not after and near and not label_only and widths and len(cells) < widths[len(widths) // 2]:
            return f"最后一行「{' | '.join(c.strip(' |') for c in cells)[:24]}」不完整"
    # the text ends on a row read with a name and nothing else (防治面积(万亩) | |||)
    rows = [c.row for c in ctxs if c.row.table]
    if rows and lines:
        last = max(rows, key=lambda r: r.row)
        tail_lines = [ln for ln in doc.text.splitlines()[last.row:] if ln.strip(" |\t")]
        if not tail_lines and not (last.target_raw or last.actual_raw or last.weight or last.score):
            return f"最后一行「{last.name[:20]}」只有名称、没有指标值"
    return ""
