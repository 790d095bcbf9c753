"""Mending a target written on the line below its row (one layout family of issue #12).

Tables flattened into lines of text sometimes wrap a row after its name, so the target
stands alone on the next line::

    效益指标(30分) 可持续影响 推动业务装备建设的标准化规范化配置 定性
    长期
    15

The line reader then emits a row without target and either a row named ``长期`` or a
rejected line holding only ``11月底之前``. Here a target-less row takes the value of the
line right below it when that line holds one cell only and the cell is a value (a figure, a
date) or a short word value of the cell reader's lexicon — never a name.

A word value repeated as target and actual after a value-less row (``有效减轻 有效减轻``, read as
a row of its own) is that row's target and actual.

Not handled yet: a value two lines below (after a line with the points); a row whose name
itself wrapped onto the next line.
"""

from __future__ import annotations

import re

from pipeline.core.cells import cell
from pipeline.core.normalize import key
from pipeline.extract.cell_lexicon import adverb_word_value, reader_rules
from pipeline.extract.rows import Reject


def _value_like(text: str) -> bool:

    k = key(text)
    c = cell(k)
    if c.cat.is_category or c.total or c.number:
        return False      # a bare number is as often the row's points
    if c.value or k in reader_rules().word_values:
        return True
    return False


def _repeated_word_value(r, nxt) -> bool:
    """``减轻参训人员经济负担 有效减轻 有效减轻``: a self-evaluation's word target repeated as
    its actual, read as a value-less row and a row named by the word with the word as its
    target. The second row is the first row's target and actual when its name and target are
    the same short text that does not end like a name and is no category, or when its name
    is a short word and its target a grade of the lexicon (``合规 好``)."""


    if nxt.table != r.table or nxt.actual_raw or nxt.weight or nxt.score or nxt.level2_filed != r.level2_filed:
        return False
    name, target = key(nxt.name), key(nxt.target_raw)
    if not target and (name in reader_rules().word_values and len(name) >= 4 or adverb_word_value(name)):
        # 消除安全隐患 持续影响: a word value of the lexicon read as a value-less row of its own
        return True
    if target in reader_rules().word_values and len(name) > len(target) + 1 and name.endswith(target):
        # 提升销量 同比2022年销量显著提高 显著提高: a target sentence ending in the word its actual
        # repeats — the target and the actual, not a row
        return True
    c = cell(name)
    if c.name_like or c.cat.is_category:
        return False
    if name == target:
        return len(name) <= 12
    # 资金使用合规性 合规 好: a short word target and a grade of the lexicon (好, 较好, 合格)
    # as the actual — a name of six characters or fewer that does not end like one is rare
    return len(name) <= 6 and len(target) <= 2 and target in reader_rules().word_values


def _actual_read_as_name(r, nxt) -> bool:
    """Row ``r`` has a text target and no actual, the next row is named by that same text and
    its "target" is text of three characters or more that reads as no value: the actual
    repeating the target was read as the next name, and the next name as its target."""

    if not r.target_raw or r.actual_raw or nxt.table != r.table or nxt.actual_raw or nxt.weight or nxt.score:
        return False
    t = key(r.target_raw)
    if key(nxt.name) != t:
        return False
    x = key(nxt.target_raw)
    c = cell(x)
    return (len(x) >= 3 and not re.search(r"\d", x) and not _value_like(x) and not c.cat.is_category
            and not adverb_word_value(x))


def attach_values_below(out) -> None:
    """Give a target-less row the lone value of the line below it (see the module docstring)."""

    lone_rejects = {(r.table, r.row): k for k, r in enumerate(out.rejects)
                    if r.reason == "no indicator name in the row" and "|" not in r.cells.strip(" |")}
    by_line = {(r.table, r.row): k for k, r in enumerate(out.rows)}
    drop: set[int] = set()
    for k, r in enumerate(out.rows):
        if k + 1 < len(out.rows) and k not in drop and _actual_read_as_name(r, out.rows[k + 1]):
            # 保洁 及时,整洁 及时,整洁 植物状况 健康 健康: the repeated target was read as the
            # next row's name and that row's name as its target — shift them back
            nxt = out.rows[k + 1]
            r.actual_raw, nxt.name, nxt.target_raw = r.target_raw, nxt.target_raw, ""
        if r.target_raw or r.actual_raw or k in drop:
            continue
        below = (r.table, r.row + 1)
        j = lone_rejects.get(below)
        if j is not None:
            text = out.rejects[j].cells.strip(" |")
            if _value_like(text):
                r.target_raw = text
                rej = out.rejects[j]
                out.rejects[j] = Reject(rej.file, rej.table, rej.row, "target of the row above (wrapped line)",
                                        rej.cells)
            continue
        if k + 1 < len(out.rows) and k + 1 not in drop and _repeated_word_value(r, out.rows[k + 1]):
            nxt = out.rows[k + 1]
            r.target_raw, r.actual_raw = nxt.name, nxt.target_raw
            drop.add(k + 1)
            continue
        j = by_line.get(below)
        if j is None or j in drop:
            continue
        nxt = out.rows[j]
        if not (nxt.target_raw or nxt.actual_raw or nxt.weight or nxt.score) and _value_like(nxt.name):
            r.target_raw = nxt.name
            drop.add(j)
    if drop:
        for j in sorted(drop):
            n = out.rows[j]
            out.rejects.append(Reject(n.file, n.table, n.row, "target of the row above (wrapped line)", n.name))
        out.rows[:] = [r for k, r in enumerate(out.rows) if k not in drop]
