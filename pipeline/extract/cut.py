"""One separator-free piece of text cut into typed cells, by content (glued text).

Where a table was flattened without separators, each piece the separators left (line ends,
``|``, tabs, blanks: :mod:`pipeline.extract.cell_stream`) is cut by what it holds —

* header words (一级指标, 三级指标, 年度指标值, 实际完成值 …) and category words (产出指标,
  数量指标, 项目决策 …) at the start of a piece or right after a value;
* values: a comparator or approximation, a number and a unit (``≥95%``, ``不低于90%``,
  ``8300亩``, ``780元/生/年``), a date (``2023年12月``) or a word value of the lexicon
  (``达成预期指标``, ``显著提升``, ``合格``);
* names: the text between them.

Worked example (family A of issue #12, a self-evaluation glued into one line)::

    产出指标数量指标示范田面积8300亩8200亩质量指标验收合格率≥95%100%
    → CAT 产出指标 | CAT 数量指标 | NAME 示范田面积 | VAL 8300亩 | VAL 8200亩 |
      CAT 质量指标 | NAME 验收合格率 | VAL ≥95% | VAL 100%

A number inside a name (``森林火灾6小时内扑灭率不低于95%``) is put back into the name when
the piece after it ends like a name and is followed by a value.

Not handled yet: two names glued with no value between them (``国家奖学金人数国家助学金人数``:
one name comes out); a weight glued to a target (``20100%`` for 20 and 100%); word values
outside the lexicon glued to a name (``项目日常进度管理情况完整``).

Its lexicon and patterns are in :mod:`pipeline.extract.cell_lexicon`, the rules of score
rubrics (labels with points, names glued without values) in :mod:`pipeline.extract.rubric`, the
tests that find a word value or a text target inside a run of name text, and the peeling of
word values off a run (given this cutter for a category word inside it), in
:mod:`pipeline.extract.word_values`.
"""

from __future__ import annotations

import functools
import re

from pipeline.core.cells import cell, header_role, rules
from pipeline.extract.cell_lexicon import (
    _BRACKET_GROUP,
    _CLOSE_DEBRIS,
    _FIGURE_OPENS_NAME,
    _NUMBERING,
    CAT,
    DEBRIS,
    HEAD,
    ITEM,
    NAME,
    VAL,
    StreamCell,
    _category_re,
    _header_re,
    _short_header_re,
    _inner_category_re,
    _is_value_at,
    _long_word_value_re,
    _name_stop_re,
    _word_value_end_re,
    reader_rules,
)
from pipeline.extract.rubric import (
    split_points_before_values,
    _ALL_CJK,
    _category_before_points,
    _group_ends_name,
    _points_levels,
    _split_glued_names,
    _valueless_rubric,
)
from pipeline.extract.word_values import (
    _actual_before_figure,
    _adverb_tail,
    _inner_pair,
    _listed_value,
    _mend_text_values,
    _numbered_sentence_end,
    _peel_word_values,
    _target_before_actual,
    _text_value_opener,
)


def cut_piece(k: str, line: int) -> list[StreamCell]:
    """Cut one separator-free piece of text into typed cells (see the module docstring)."""
    return [StreamCell(kind, text, line, role) for kind, text, role in _cut(k)]


@functools.lru_cache(maxsize=65536)
def _cut(k: str) -> tuple[tuple[str, str, str], ...]:
    """The cut of a piece, cached: category words, headers and standard values repeat
    across filings."""
    return tuple((c.kind, c.text, c.role) for c in _cut_piece(k, 0))


def _cut_piece(k: str, line: int) -> list[StreamCell]:

    whole = cell(k)
    if whole.cat.is_category and len(k) <= 24:
        return [StreamCell(CAT, k, line)]
    if header_role(k):
        return [StreamCell(HEAD, k, line, header_role(k))]
    if k in reader_rules().word_values or whole.actual or _column_word(whole):
        return [StreamCell(VAL, k, line)]
    if _FIGURE_OPENS_NAME.fullmatch(k) and whole.name_like and not _inner_category_re().search(k):
        # 7岁以下儿童健康管理率, 0-6岁儿童眼保健和视力检查覆盖率: a piece the blanks cut whole,
        # opening with its only figure and ending like a name, is a name
        return [StreamCell(NAME, k, line)]
    out: list[StreamCell] = []
    pos, boundary, n = 0, True, len(k)
    while pos < n:
        if boundary:
            m = _CLOSE_DEBRIS.match(k, pos)
            if m:
                # ``分)科学决策`` — the close of a bracket opened on the line above (a PDF's
                # wrapped ``(10 分)``): debris, not the start of a name
                out.append(StreamCell(DEBRIS, m.group(), line))
                pos = m.end()
                continue
            m = _header_re().match(k, pos)
            if m is None and out and out[-1].kind == HEAD:
                # 三级指标分值年度指标值: a short header word right after another header word
                m = _short_header_re().match(k, pos)
            if m:
                out.append(StreamCell(HEAD, m.group(), line, header_role(m.group())))
                pos = m.end()
                continue
            m = _category_re().match(k, pos)
            if m and k[m.end():m.end() + 1] not in ("%", "％") and not _category_opens_name(k, m):
                # 服务对象满意度% is a name with its unit
                out.append(StreamCell(CAT, m.group(), line))
                pos = m.end()
                continue
            m = _long_word_value_re().match(k, pos)
            if m:
                out.append(StreamCell(VAL, m.group(), line))
                pos = m.end()
                continue
            m = _actual_before_figure(k, pos)
            if m:
                # 已完成100%: an actual word and its figure are one value
                end = _is_value_at(k, m.end()).end()
                out.append(StreamCell(VAL, k[pos:end], line))
                pos = end
                continue
        enum = _ENUMERATOR_AT.match(k, pos)
        m = None if enum else _is_value_at(k, pos)
        if m:
            end = m.end()
            while k.startswith("、", end) and _listed_value(k, pos, end):
                # 18岁以下、54周岁以上: values listed with an enumeration comma are one value
                end = _is_value_at(k, end + 1).end()
            out.append(StreamCell(VAL, k[pos:end], line))
            pos, boundary = end, True
            continue
        # a name: up to the next value (a digit, or a comparator before one) or category;
        # a numbering (指标3:) and a bracket group (含监测对象, 15分) stay in the name
        num = _NUMBERING.match(k, pos) or enum     # 指标3: / 1、宣传次数 (the enumerator is dropped later)
        end = num.end() if num else pos + 1
        while end < n:
            # jump to the next place a name can end (one compiled search, not a loop per character)
            m = _name_stop_re().search(k, end)
            if m is None:
                end = n
                break
            end = m.start()
            if k[end] in "(（":
                close = _BRACKET_GROUP.match(k, end)
                label = _category_before_points(k, pos, close)
                if label:
                    end = label     # …合理性项目管理(7分): the label with its points is the next cell
                    break
                end = close.end() if close else end + 1
                if close and _group_ends_name(k, pos, close):
                    break
                continue
            if end - 2 > pos and _NUMBERING.match(k, end - 2):
                end -= 2        # …已完成已完成指标2:违法案件查办率: a numbering opens the next name
                break
            if (_is_value_at(k, end) or _inner_category_re().match(k, end) and not _numbering_inside(k, end)
                    or _long_word_value_re().match(k, end) or _actual_before_figure(k, end)):
                break
            end += 1
        run = k[pos:end]
        # a word written twice inside the run (…成果有效巩固有效巩固满意度…) is a target and its
        # actual, not the middle of two names that end alike
        names = _split_glued_names(run) if not _is_value_at(k, end) and _inner_pair(run) is None else None
        rubric = None if names or _is_value_at(k, end) or _long_word_value_re().match(k, end) else _valueless_rubric(run)
        if rubric and [c.kind for c in _peel_word_values(run, line, _cut_piece)] != [NAME]:
            rubric = None       # …配置长期社会效益提升工作效率定性有效提升: the run holds values
        tail = "" if names or _is_value_at(k, end) else _adverb_tail(run)
        target = _target_before_actual(k, end, run)
        stop = _numbered_sentence_end(run) if not _is_value_at(k, end) else -1
        opener = 0 if stop > 0 or names or rubric or target else _text_value_opener(k, end, run, line, _cut_piece)
        if opener:
            # 宣传次数至少全年完成 ⏎ 2次, 宣传教育覆盖全区所有人员 ⏎ 质量指标: a text target glued
            # after its name, opened by a word of text_value_openers
            out.extend([StreamCell(NAME, run[:opener], line), StreamCell(VAL, run[opener:], line)])
        elif stop > 0:
            # 指标1:完成物业费清算任务,指导创建工作。房屋设施管理到位 ⏎ 时效指标: a numbered name
            # written as a sentence ends at its full stop; the text after it is its value
            out.extend([StreamCell(NAME, run[:stop], line)] + _peel_word_values(run[stop:], line, _cut_piece, before_value=True)
                       if _word_value_end_re().fullmatch(run[stop:]) else
                       [StreamCell(NAME, run[:stop], line), StreamCell(VAL, run[stop:], line)])
        elif rubric:
            # 决策过程决策依据决策程序资金分配…: labels and items of a rubric without values
            out.extend(StreamCell(kind, t, line, ITEM if kind == NAME else "") for kind, t in rubric)
        elif target:
            # 提交报告及时性在项目计划完成时间内完成 ⏎ 达成预期指标: the name swallowed its text target
            out.extend([StreamCell(NAME, run[:-len(target)], line), StreamCell(VAL, target, line)])
        elif names:
            out.extend(StreamCell(NAME, t, line) for t in names)
        elif tail:
            # 项目实施情况良好服务能力提升持续加强 ⏎ (a category or the end): the last word is
            # the value of the name before it, told by its form
            out.extend(_peel_word_values(run[:-len(tail)], line, _cut_piece, before_value=True) + [StreamCell(VAL, tail, line)])
        else:
            out.extend(_peel_word_values(run, line, _cut_piece))
        pos, boundary = end, True
    return split_points_before_values(_points_levels(_mend_text_values(_mend_numbers_in_names(out))))


_BRACKET_TAIL = re.compile(r"[(（][^()（）]*[)）]$")
_YEAR = re.compile(r"(?:19|20)\d{2}年(?:度)?")


def _column_word(c) -> bool:
    """A cell that is only a unit or a comparator (``米``, ``%``, ``=``, ``大于等于``): the
    content of a form's 计量单位 / 指标性质 column written apart from the figure, a value of
    the row, never a name. (A value type, 定性 / 定量, is left as text: in a library without
    targets it would take the next row's serial number as its figure.)"""
    return bool(c.unit or c.op) and not c.cat.is_category


def _category_opens_name(k: str, m: re.Match[str]) -> bool:
    """A category word that is no …指标 and carries no points, followed by one to three
    characters ending like a name, then a value or a category word, starts that name in glued
    text (项目完成时间2023年底, 年度绩效目标合理性年度绩效目标…: family H of issue #12) — unless a
    quality of three characters ending alike follows (绩效目标明确性合理性: the label of a list).
    At the end of a piece (绩效目标明确性 ⏎ 5 5 合理性) or before more text (产出成本成本控制数)
    the word stays a category."""
    word = m.group()
    if word.endswith(("指标", ")", "）")) or _category_re().match(k, m.end()):
        return False
    rest = k[m.end():m.end() + 3]
    for j in (1, 2, 3):
        if _ALL_CJK.fullmatch(rest[:j]) and rest[:j].endswith(rules().name_suffixes):
            # 绩效目标明确性合理性: a label over a list of qualities, each ending alike, stays a
            # label; so does one whose ending closes the piece (绩效目标明确性 ⏎ 5 5 合理性)
            after = m.end() + j
            if not (_is_value_at(k, after) or _category_re().match(k, after) or _long_word_value_re().match(k, after)):
                continue
            nxt = k[after:after + 3]
            return not (len(nxt) == 3 and _ALL_CJK.fullmatch(nxt) and nxt[-1] == rest[j - 1])
    return False


def _numbering_inside(k: str, i: int) -> bool:
    """A category word ending in 指标 at ``i`` whose 指标 opens a numbering (``已完成指标2:``):
    the 指标 is the next row's ``指标2:``, so 完成指标 is no category there."""
    m = _inner_category_re().match(k, i)
    return m is not None and _NUMBERING.match(k, m.end() - 2) is not None



def _mend_numbers_in_names(cells: list[StreamCell]) -> list[StreamCell]:
    """NAME VAL NAME VAL where the second name piece ends like a name and the first does not:
    the value was a number inside the name (森林火灾 | 6小时 | 内扑灭率 | 不低于95%)."""

    suffixes = rules().name_suffixes
    out = list(cells)
    i = 0
    while i + 2 < len(out):
        a, v, b = out[i:i + 3]
        nxt = out[i + 3] if i + 3 < len(out) else None
        # or a year between a verb and its object (完成 | 2021年 | 护工培训任务 | 12500名); both
        # also where the piece ends with the name (its value is the next piece)
        if (a.kind == NAME and v.kind == VAL and b.kind == NAME and v.text[0].isdigit() and "、" not in v.text
                and ((nxt is None or nxt.kind == VAL) and not _BRACKET_TAIL.sub("", a.text).endswith(suffixes)
                     and b.text.endswith(suffixes) and len(b.text) <= 12
                     or len(a.text) <= 2 and _YEAR.fullmatch(v.text) and len(b.text) >= 4
                     and (nxt is None or nxt.kind == VAL))):
            out[i:i + 3] = [StreamCell(NAME, a.text + v.text + b.text, a.line)]
            continue
        i += 1
    return out


# an enumerator opening a name (1、宣传次数, 12.培训人数): no figure (core.cells.ENUMERATOR, not anchored)
_ENUMERATOR_AT = re.compile(r"\d{1,2}[、.](?=[\u4e00-\u9fff])|[(]\d{1,2}[)](?=[\u4e00-\u9fff])")
