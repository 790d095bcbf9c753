"""Tokens of running text before they become cells: brackets kept together, a label spaced
out letter by letter joined, the category words that may be glued to the front of a token.

Used by the cell stream (:mod:`pipeline.extract.cell_stream`), its lexicon and the rubric rules.

    >>> _merge_brackets(["受助对象满意度(", "≥90%)"])
    ['受助对象满意度(≥90%)']
    >>> _join_spaced_chars(["绩", "效", "指", "标", "是", "是"])
    ['绩效指标是是']
"""

from __future__ import annotations

import functools
import re

from pipeline.core.taxonomy import taxonomy

_OPEN = "(（[【"
_CLOSE = ")）]】"


@functools.cache
def _category_words() -> tuple[str, ...]:

    tax = taxonomy()
    words = set(tax.l1_alias) | set(tax.l2_alias) | set(tax.sections) | set(tax.process_l1)
    # two- and three-character aliases (效果, 产出) start ordinary words (效果明显): only
    # full category names are cut off the front of running text, and three-character ones
    # that carry an ending other than 指标 (产出值, 数量值: a form whose columns are …指标值)
    short = tuple(e for e in tax.endings if e != "指标")
    return tuple(sorted((w for w in words if len(w) >= 4 or len(w) == 3 and short and w.endswith(short)),
                        key=len, reverse=True))


_ANY_BRACKET = re.compile("[" + re.escape(_OPEN + _CLOSE) + "]")


def _merge_brackets(tokens: list[str]) -> list[str]:
    if not any(_ANY_BRACKET.search(t) for t in tokens):
        return tokens                 # most lines: nothing to join, skip the per-token counting
    out: list[str] = []
    depth = 0
    for t in tokens:
        if depth > 0 and out:
            out[-1] += t
        else:
            out.append(t)
        depth += sum(t.count(c) for c in _OPEN) - sum(t.count(c) for c in _CLOSE)
        depth = max(depth, 0)
    return out


def _join_spaced_chars(tokens: list[str]) -> list[str]:
    """``绩 效 指 标`` (a label spaced out letter by letter) → ``绩效指标``; a run of 是/否
    only (``是 是``: a yes/no target and its actual) stays one cell each."""
    out: list[str] = []
    run = ""
    for t in tokens:
        if len(t) == 1 and "\u4e00" <= t <= "\u9fff":
            run += t
            continue
        if run:
            _flush_run(run, out)
            run = ""
        out.append(t)
    if run:
        _flush_run(run, out)
    return out


def _flush_run(run: str, out: list[str]) -> None:
    # 是 否 / 是 是: a yes/no target and actual, each a cell of one character, are not a label
    if len(run) >= 2 and not run.strip("是否"):
        out.extend(run)
    else:
        out.append(run)
