"""The lexicon and patterns of the cell reader (:mod:`pipeline.extract.cell_stream`): the kinds
of a cell, its rules in configs/cell_reader.yaml, and the compiled patterns that find values,
category words, header words, word values and the places a name may end in glued text.

Worked example: ``_value_re()`` matches ``不低于95%``, ``8300亩``, ``2021年1月-12月``, ``1-12月``
and ``大于等于98`` at the start of a piece; ``_category_re()`` matches ``产出指标(70分)``;
``adverb_word_value("明显增强")`` is true (an adverb of the lexicon and a verb).

Not handled yet: units written after a space inside a number (``3577. 95万人次``); word values
told by their form that do not start with an adverb of the list (``日产日清``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from pipeline.core.cells import cell, rules
from pipeline.core.config import load_yaml, require, str_list
from pipeline.core.normalize import key
from pipeline.core.words import opener_words, unit_pattern
from pipeline.extract.tokens import _category_words

HEAD, CAT, VAL, NAME, DEBRIS = "header", "category", "value", "name", "debris"
# the role of a NAME cell the cutter knows to be an item (a value-less rubric's), never a value
ITEM = "item"


@dataclass(frozen=True, slots=True)
class CellReaderRules:
    version: str
    word_values: tuple[str, ...]      # longest first
    word_value_adverbs: tuple[str, ...]
    grade_words: tuple[str, ...]      # longest first
    text_value_openers: tuple[str, ...]  # longest first
    max_adverb_value_chars: int
    value_openers: tuple[str, ...]    # longest first
    end_words: tuple[str, ...]
    max_name_chars: int
    min_rows: int
    max_prose_share: float


@functools.cache
def reader_rules() -> CellReaderRules:
    where = "configs/cell_reader.yaml"
    data = load_yaml("cell_reader.yaml")

    def longest_first(name: str) -> tuple[str, ...]:
        return tuple(sorted({key(w) for w in str_list(data, name, where)}, key=len, reverse=True))

    return CellReaderRules(
        version=require(data, "version", str, where),
        word_values=longest_first("word_values"),
        word_value_adverbs=longest_first("word_value_adverbs"),
        grade_words=longest_first("grade_words"),
        text_value_openers=longest_first("text_value_openers"),
        max_adverb_value_chars=require(data, "max_adverb_value_chars", int, where),
        value_openers=tuple(sorted({key(w) for w in opener_words()}, key=len, reverse=True)),
        end_words=tuple(key(w) for w in str_list(data, "end_words", where)),
        max_name_chars=require(data, "max_name_chars", int, where),
        min_rows=require(data, "min_rows", int, where),
        max_prose_share=float(require(data, "max_prose_share", (int, float), where)),
    )


@dataclass(frozen=True, slots=True)
class StreamCell:
    """One cell of the stream: its kind (header, category, value, name), text and line."""

    kind: str
    text: str
    line: int
    role: str = ""       # the header role of a header word; a rubric label's level; ITEM
    whole: bool = False  # a cell of a row with separators (| or tabs): the filer's own cell
    col: int = -1        # its column in that row (empty cells counted), -1 in running text
    row: int = -1        # its row in a grid table (rows rebuilt from positions may share a line)


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in words)


@functools.cache
def _value_re() -> re.Pattern[str]:
    r = reader_rules()
    number = r"\d+(?:[.,]\d+)*"
    # a date or a span of dates (2023年12月, 2021年1月-12月, 2021年3月至2022年6月)
    day = r"(?:\d{1,2}月)?(?:\d{1,2}日)?"
    date = rf"\d{{4}}年{day}(?:[-~～—至](?:\d{{4}}年)?\d{{1,2}}月(?:\d{{1,2}}日)?)?(?:底之前|底以前|底前|年底|底|前|之前|以前)?"
    # a month of the filing's year or a span of months (12月, 6月底前, 1-12月, 3月-6月): a date
    # the unit tables do not hold
    month = r"\d{1,2}(?:月)?(?:[-~～—至]\d{1,2})?月(?:\d{1,2}日)?(?:底之前|底以前|底前|底|前|之前|以前)?"
    # the units of configs/values.yaml (tables, measure words, 万/亿, rate denominators)
    unit = unit_pattern()
    return re.compile(
        rf"(?:(?:{_alternation(r.value_openers)})\s*)?(?:{date}|{month}|{number}\s*(?:{unit})?"
        rf"(?:[~～\-—]{number}\s*(?:{unit})?)?(?:及以上|及以下|以上|以下|以内|左右)?)")


@functools.cache
def _category_re() -> re.Pattern[str]:

    # a category word may carry its points: 产出指标(70分)
    return re.compile(rf"(?:{_alternation(_category_words())})(?:[(（][^()（）]{{0,12}}[)）])?")


@functools.cache
def _name_stop_re() -> re.Pattern[str]:
    """Where a name may stop: a digit or comparator, a word opener, a category word ending in
    指标, an actual word (已完成, when a figure follows it), or a bracket (whose group stays in
    the name)."""

    words = [o for o in reader_rules().value_openers if len(o) > 1]
    words += [w for w in _category_words() if w.endswith("指标")]
    # achieved-words that end in 指标 (达成预期指标) never sit inside a name
    words += [w for w in reader_rules().word_values if len(w) >= 5 and w.endswith("指标")]
    # an actual word glued to its figure (已完成100%) ends the name run before it
    words += [w for w in reader_rules().word_values if len(w) >= 3 and cell(w).actual]
    return re.compile(r"[\d≥≤<>=＞＜≧≦＝(（]|" + _alternation(sorted(words, key=len, reverse=True)))


@functools.cache
def _long_word_value_re() -> re.Pattern[str]:
    return re.compile(_alternation([w for w in reader_rules().word_values if len(w) >= 4]))


@functools.cache
def _word_value_re() -> re.Pattern[str]:
    return re.compile(_alternation([w for w in reader_rules().word_values if len(w) >= 2]))


@functools.cache
def _word_value_end_re() -> re.Pattern[str]:
    return re.compile("(?:" + _alternation([w for w in reader_rules().word_values if len(w) >= 2]) + ")$")


@functools.cache
def _inner_category_re() -> re.Pattern[str]:
    """Category words that end a name run even without a value before them (…人数成本指标…):
    only those ending in 指标, which no indicator name holds in its middle."""

    return re.compile(_alternation([w for w in _category_words() if w.endswith("指标")]))


@functools.cache
def _header_re() -> re.Pattern[str]:

    words = sorted((w for w in rules().headers if len(w) >= 3), key=len, reverse=True)
    return re.compile(_alternation(words))


@functools.cache
def _short_header_re() -> re.Pattern[str]:
    """Header words of two characters (分值, 得分, 权重, 备注): inside a glued header run only
    (``三级指标分值年度指标值``), since elsewhere they open names (分值设置合理性, 得分率)."""
    words = sorted((w for w in rules().headers if len(w) < 3), key=len, reverse=True)
    return re.compile(_alternation(words))


_YES_NO_TAIL = re.compile(r"[是否]{2}$")
_YES_NO_ONE = re.compile(r"[是否]$")
_CLOSE_DEBRIS = re.compile(r"[^()（）]{0,3}[)）]")
# a numbering that opens a name: 指标3:, 指标4., 目标2、 (a dot before a digit is a decimal)
_NUMBERING = re.compile(r"(?:指标|目标)\d{1,2}(?:[:：、]|[.．](?!\d))")
_BRACKET_GROUP = re.compile(r"[(（][^()（）]{0,15}[)）]")
_FIGURE_OPENS_NAME = re.compile(r"\d+(?:[-~～—]\d+)?[\u4e00-\u9fff][^\d≥≤<>=＞＜≧≦＝%％]{3,30}")
_DIGIT_OR_OP = re.compile(r"[\d≥≤<>=＞＜≧≦＝]")
_BRACKETS = str.maketrans("", "", "()（）[]【】")


def adverb_word_value(k: str) -> bool:
    """A short word value told by its form (``有效减轻``, ``按计划实施``): an adverb of the
    lexicon and one to three characters after it, not ending like a name."""

    r = reader_rules()
    return (len(k) <= r.max_adverb_value_chars and k.startswith(r.word_value_adverbs)
            and not k.endswith(rules().name_suffixes) and len(k) > min(len(a) for a in r.word_value_adverbs if k.startswith(a)))


def _is_value_at(k: str, pos: int) -> re.Match[str] | None:
    m = _value_re().match(k, pos)
    if m is None or m.end() == pos or not re.search(r"\d", m.group()):
        return None
    return m
