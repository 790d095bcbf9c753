"""The comparator words and unit words of configs/values.yaml, read by every stage that needs them.

One definition: ``comparators_before`` / ``comparators_after`` (by operator) and
``comparator_verbs`` (the words among them that state what was done — 达到, 超过 — rather
than a bound). The value parser reads the whole table (:mod:`pipeline.values.lexicon`); the
stages that only need to recognise a bound ask here:

    >>> "不低于" in bound_words()            # an explicit bound
    True
    >>> "达到" in bound_words(), "达到" in opener_words()   # a verb: opens a value, is no bound
    (False, True)
    >>> bound_words(after=True)[:2]          # with the words written after the number
    ('大于或等于', '小于或等于')

Lists are longest first, so an alternation built from them matches the longest word.

The units a number may carry (:func:`unit_pattern`) come from the same file: the unit tables,
the measure words (量词), the multipliers (万, 亿) and the rate denominators (元/生/年), so the
cell reader cuts glued text at the units the value parser knows:

    >>> import re
    >>> [m.group() for m in re.finditer(unit_pattern(), "780元/生/年 8300亩 3500万人次")]
    ['元/生/年', '亩', '万人次']
"""

from __future__ import annotations

import functools
import re

from pipeline.core.config import load_yaml, require, str_list
from pipeline.core.errors import ConfigError

_WHERE = "configs/values.yaml"
OPS = (">=", ">", "<=", "<", "=", "~")
_BOUND_OPS = (">=", ">", "<=", "<", "=")


@functools.cache
def comparator_table(key: str) -> dict[str, tuple[str, ...]]:
    """One comparator table of values.yaml (``comparators_before``, ``comparators_after``,
    ``comparators_between``) by operator, checked: the value parser's lexicon and the word
    lists below are built from it."""
    data = require(load_yaml("values.yaml"), key, dict, _WHERE)
    for op in data:
        if op not in OPS:
            raise ConfigError(_WHERE, f"'{key}' has unknown operator {op!r}; use one of {', '.join(OPS)}")
    return {op: str_list(data, op, f"{_WHERE} ({key})") for op in data}


def _table(key: str) -> dict[str, tuple[str, ...]]:
    return comparator_table(key)


def _longest_first(words) -> tuple[str, ...]:
    return tuple(sorted(dict.fromkeys(words), key=lambda w: (-len(w), w)))


@functools.cache
def bound_words(*, after: bool = False, equal: bool = True) -> tuple[str, ...]:
    """Explicit bounds written before a number (≥, 不低于, 不超过, 等于 …), without the verbs
    of ``comparator_verbs``; ``after``: also those written after it (以上, 以内 — words of
    two characters or more: a lone 内 ends too many ordinary words); ``equal=False`` leaves
    out the ``=`` words."""
    verbs = set(str_list(load_yaml("values.yaml"), "comparator_verbs", _WHERE))
    ops = [op for op in _BOUND_OPS if equal or op != "="]
    before = _table("comparators_before")
    words = [w for op in ops for w in before.get(op, ()) if w not in verbs]
    if after:
        words += [w for op in ops for w in _table("comparators_after").get(op, ()) if len(w) >= 2]
    return _longest_first(words)


@functools.cache
def opener_words() -> tuple[str, ...]:
    """Every comparator or approximation that may open a value (≥90%, 达到95%, 约50人)."""
    return _longest_first(w for words in _table("comparators_before").values() for w in words)


def _unit_words(data: dict) -> list[str]:
    words = [w for table in require(data, "units", dict, _WHERE).values() for w in table]
    words += [pair[0] for pair in require(data, "measure_words", list, _WHERE)]
    return words


@functools.cache
def unit_pattern() -> str:
    """A regex (no groups) for the unit after a number: an optional multiplier (万元, 万人次),
    a unit of the unit tables or a measure word, and up to two rate denominators (元/人,
    元/生/年, 元/人·月). A measure word that starts a common word (26组织方式) is no unit:
    ``measure_word_blockers`` fence it off. Not handled yet: units written in Latin letters
    other than those listed (kg/亩)."""
    data = load_yaml("values.yaml")

    def alt(words) -> str:
        return "|".join(re.escape(w) for w in _longest_first(words))

    blockers = str_list(data, "measure_word_blockers", _WHERE)
    multipliers = list(require(data, "multipliers", dict, _WHERE))
    denominators = str_list(data, "rate_denominators", _WHERE)
    units = _unit_words(data)
    # a unit that starts like a multiplier (百分比 after 百) is taken whole, not as 百 + 分
    whole = [u for u in units if any(u.startswith(m) and u != m for m in multipliers)]
    no_multiplier = rf"(?!{alt(whole)})" if whole else ""
    return (rf"(?!{alt(blockers)})(?:{no_multiplier}(?:{alt(multipliers)}))?(?:{alt(units)})"
            rf"(?:[/·](?:{alt(denominators)})){{0,2}}")
