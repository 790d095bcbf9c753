"""Which quantity of a sentence-like value cell is the value, and its comparator.

Helpers of :mod:`pipeline.values.parse` for cells holding more than a number: the words around
a quantity (filler or not), a comparator detached from its number (``至少全年完成2次``),
为 read as ``=``, and the order of several quantities — the value first, the others kept
as secondaries:

- ``404名服务对象发放补助金2126.81万元`` → the count is the value, the amount a secondary;
- ``按15次作业且总航时不少于30小时`` → the quantity with the comparator is the value;
- ``满分20分，实际得分18.5分`` → 18.5 (the maximum is the scale, kept as a secondary);
- ``审核三项补助申请1240人次`` → 1240 人次 (三项 counts kinds, kept as a secondary);
- ``资金到位率为97.5%`` → op ``=``; ``为52名困难群众提供帮扶`` → no comparator (为 = for).

Labelled figures (``计划20场，实际18场``, ``目标值 95 实际 96``) are read in
:mod:`pipeline.values.parse`: the first is the value, the others secondaries.
Not handled yet: 为 after a verb (``确定为3个``) reads ``=``.
"""

from __future__ import annotations

import re

from pipeline.values.hit import Hit as _Hit
from pipeline.values.lexicon import ValueLexicon

_LAST_SEP = re.compile(r"[,;。][^,;。]*$")
_FIRST_SEP = re.compile(r"[,;。]")


def leftover(L: ValueLexicon, text: str) -> str:
    text = L.filler_re.sub("", L.direction_re.sub("", text))
    return "".join(c for c in text if "\u4e00" <= c <= "\u9fff")


def detached_op(L: ValueLexicon, before: str) -> str:
    """至少全年完成2次, 至少召开2次: a comparator separated from the number by filler words
    and at most one two-character verb."""
    if before.isspace() or not before:
        return ""
    words = clause(before)
    best = ""
    for g in L.before_op_re.finditer(words):
        # 至少全年完成2次 (filler only), 至少召开2次 (one verb of two characters between)
        if len(g.group()) > 1 and len(leftover(L, words[g.end():])) <= 2:
            best = L.before_ops[g.group()]
    return best


def clause(before: str) -> str:
    """The text after the last separator: the words that belong to the number."""
    g = _LAST_SEP.search(before)
    return before[g.start() + 1:] if g else before


def reorder(L: ValueLexicon, m: str, hits: list[_Hit]) -> tuple[list[_Hit], list[_Hit]]:
    """(hits with the main quantity first, quantities moved to secondary) for sentences.

    ``404名服务对象发放补助金2126.81万元``, ``1581人次 573.49万元``: the count is the value
    (what the indicator counts), the amount spent on it a secondary in 元;
    ``按15次作业且总航时不少于30小时``: the quantity with the comparator is the value. Only
    when the cell has a number of each kind, so plain cells keep their first quantity.
    """
    main = hits[0]
    if main.bare or main.op or detached_op(L, m[:main.start]) or len(hits) < 2:
        return hits, []
    others = hits[1:]
    if main.cat == "count" and len(others) == 1 and others[0].cat == "money" and not others[0].bare \
            and others[0].high is None:
        return hits, [others[0]]
    opped = [h for h in others if (h.op or detached_op(L, m[:h.start])) and h.cat != main.cat and not h.bare]
    if len(others) == 1 and len(opped) == 1:
        return [opped[0], main], [main]
    return hits, []


def promote(L: ValueLexicon, m: str, hits: list[_Hit]) -> list[_Hit]:
    """The value first when the first quantity is not it.

    ``满分20分，实际得分18.5分``: a quantity after a maximum marker (满分, 总分) is the scale,
    the next one the value; ``审核三项补助申请1240人次``: a small Chinese numeral before an
    Arabic quantity (三项) counts the kinds of something, the Arabic number is the value.
    The quantity moved aside stays a secondary.
    """
    if len(hits) < 2:
        return hits
    first = hits[0]
    if L.maximum_re.search(clause(m[:first.start])) and not first.op:
        nxt = next((h for h in hits[1:] if h.cat == first.cat and not h.bare), None)
        if nxt is not None:
            return [nxt] + [h for h in hits if h is not nxt]
    if first.cn and not first.op:
        nxt = next((h for h in hits[1:] if not h.cn and not h.bare), None)
        if nxt is not None:
            return [nxt] + [h for h in hits if h is not nxt]
    return hits


def copula(L: ValueLexicon, m: str, before: str, main: _Hit) -> str:
    """``资金到位率为97.5%`` → ``=``: 为 straight before the number, nothing but filler after
    it; ``为52名困难群众提供帮扶`` (为 = for) has words after the quantity and no comparator."""
    b = before.rstrip()
    if not any(b.endswith(w) for w in L.copula_words):
        return ""
    after = m[main.end:]
    cut = _FIRST_SEP.search(after)
    after = after[:cut.start()] if cut else after
    return "" if leftover(L, after) else "="
