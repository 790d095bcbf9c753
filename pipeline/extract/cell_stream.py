"""A filing's text as one stream of typed cells, cut by content where separators are missing.

The layout readers of :mod:`pipeline.ingest.text_reader` need a separator (``|``, tabs, one cell a
line under a known header). Where a table was flattened without one, this module reads the
text as a stream of cells whatever the layout: the separators that are there (line ends,
``|``, tabs, blanks) cut first, then each piece is cut by what it holds —

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
tests that find a word value or a text target inside a run of name text in
:mod:`pipeline.extract.word_values`.

Longer than 400 lines because cutting glued text into cells is one pass whose rules (values,
units, word values, names) consult each other at every position, and the peeling of word values
off a run calls the cutter again for a category word inside it; the next split is that peeling
(``_peel_word_values`` and ``_text_value_opener``, given the cutter as an argument).
"""

from __future__ import annotations

import functools
import re

from pipeline.core.cells import cell, header_role, rules
from pipeline.core.normalize import key
from pipeline.extract.cell_lexicon import (
    _BRACKET_GROUP,
    _CLOSE_DEBRIS,
    _DIGIT_OR_OP,
    _FIGURE_OPENS_NAME,
    _NUMBERING,
    _YES_NO_ONE,
    _YES_NO_TAIL,
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
    adverb_word_value,
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
from pipeline.extract.tokens import _join_spaced_chars, _merge_brackets
from pipeline.extract.word_values import (
    _actual_before_figure,
    _adverb_tail,
    _answer_tail,
    _doubled_tail,
    _inner_pair,
    _listed_value,
    _mend_text_values,
    _mid_adverb_value,
    _numbered_sentence_end,
    _split_after_name,
    _target_before_actual,
    _value_before_grade,
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
        if rubric and [c.kind for c in _peel_word_values(run, line)] != [NAME]:
            rubric = None       # …配置长期社会效益提升工作效率定性有效提升: the run holds values
        tail = "" if names or _is_value_at(k, end) else _adverb_tail(run)
        target = _target_before_actual(k, end, run)
        stop = _numbered_sentence_end(run) if not _is_value_at(k, end) else -1
        opener = 0 if stop > 0 or names or rubric or target else _text_value_opener(k, end, run, line)
        if opener:
            # 宣传次数至少全年完成 ⏎ 2次, 宣传教育覆盖全区所有人员 ⏎ 质量指标: a text target glued
            # after its name, opened by a word of text_value_openers
            out.extend([StreamCell(NAME, run[:opener], line), StreamCell(VAL, run[opener:], line)])
        elif stop > 0:
            # 指标1:完成物业费清算任务,指导创建工作。房屋设施管理到位 ⏎ 时效指标: a numbered name
            # written as a sentence ends at its full stop; the text after it is its value
            out.extend([StreamCell(NAME, run[:stop], line)] + _peel_word_values(run[stop:], line, before_value=True)
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
            out.extend(_peel_word_values(run[:-len(tail)], line, before_value=True) + [StreamCell(VAL, tail, line)])
        else:
            out.extend(_peel_word_values(run, line))
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


def _text_value_opener(k: str, end: int, run: str, line: int) -> int:
    """Where a text target glued after its name starts in ``run`` (a word of
    ``text_value_openers``), four characters or more into it: before a figure within ten
    characters when the name ends like one (宣传次数 | 至少全年完成 ⏎ 2次), or, when no value
    follows the run, before four characters or more of a run that holds no word value (宣传教育 |
    覆盖全区所有人员 ⏎ 质量指标); 0 when there is none."""
    openers = reader_rules().text_value_openers
    if len(run) < 6 or not any(w in run[4:] for w in openers):
        return 0        # most runs: no opener after a name's first characters
    figure = _is_value_at(k, end) is not None
    if not figure and (_long_word_value_re().match(k, end) or [c.kind for c in _peel_word_values(run, line)] != [NAME]):
        return 0
    for w in openers:
        i = run.find(w, 4)
        while i >= 0:
            rest = len(run) - i
            if (figure and rest <= 10 and run[:i].endswith(rules().name_suffixes)
                    or not figure and rest >= len(w) + 4 and _ALL_CJK.fullmatch(run[i:])):
                return i
            i = run.find(w, i + 1)
    return 0


def _peel_word_values(run: str, line: int, before_value: bool = False) -> list[StreamCell]:
    """Word values of the lexicon glued to the end of a name come off it:
    ``补助资格合规性合规`` → 补助资格合规性 | 合规; ``条件改善状况显著提升显著提升`` →
    条件改善状况 | 显著提升 | 显著提升. Only when what is left ends like a name, or a word of
    four characters or more came off (short words such as 合格 end names too)."""

    for m in _category_re().finditer(run, 4):
        # …负担有效减轻有效减轻社会效益参训学员就业率: after a word written twice (target and
        # actual), a word value of the lexicon or a yes/no answer (…配置长期社会效益…,
        # 公众知晓度是否明显提高是生态效益…) a category word opens the next block, whatever it ends in
        before = run[:m.start()]
        if _doubled_tail(before):
            return _peel_word_values(before, line) + _cut_piece(run[m.start():], line)
        answer = _adverb_tail(before) or _answer_tail(before)
        if answer:
            return (_peel_word_values(before[:-len(answer)], line, before_value=True) + [StreamCell(VAL, answer, line)]
                    + _cut_piece(run[m.start():], line))
    pair = _inner_pair(run)
    if pair is not None:
        p, w = pair
        return ([StreamCell(NAME, run[:p], line), StreamCell(VAL, w, line), StreamCell(VAL, w, line)]
                + _peel_word_values(run[p + 2 * len(w):], line, before_value))
    g = next((g for g in reader_rules().grade_words if run.endswith(g)), "")
    # a run that ends with a word value and its grade (…规范好项目日常进度管理情况完整好) need
    # not end like a name for a word value inside it to be cut off
    ends_valued = before_value or bool(g and _word_value_end_re().search(run[:-len(g)]))
    graded = _value_before_grade(run)
    if graded is not None:
        head, w, grade, tail = graded
        return ([StreamCell(NAME, head, line), StreamCell(VAL, w, line), StreamCell(VAL, grade, line)]
                + _peel_word_values(tail, line, before_value))
    inner = _split_after_name(run, rules().name_suffixes, need_end=not ends_valued)
    if inner is not None:
        head, ws, tail = inner
        return ([StreamCell(NAME, head, line)] + [StreamCell(VAL, w, line) for w in ws]
                + _peel_word_values(tail, line, before_value))
    if before_value:
        mid = _mid_adverb_value(run)
        if mid:
            i, w = mid
            return [StreamCell(NAME, run[:i], line), StreamCell(VAL, w, line)] + _peel_word_values(run[i + len(w):], line, True)
        return [StreamCell(NAME, run, line)]
    twice = _doubled_tail(run)
    if twice:
        # 减轻参训人员经济负担有效减轻有效减轻: a self-evaluation's word target repeated as its
        # actual, glued to the name
        return ([StreamCell(NAME, run[:-2 * len(twice)], line)] + [StreamCell(VAL, twice, line)] * 2)
    yes_no = _YES_NO_TAIL.search(run)
    if yes_no is None and "是否" in run[:-1] and run.endswith(("是", "否")):
        yes_no = _YES_NO_ONE.search(run)     # 公众知晓度是否明显提高是: a yes/no question answered
    if yes_no and yes_no.start() >= 4:
        # 评审程序是否公正是是: a target and an actual of 是/否 glued to the name
        return ([StreamCell(NAME, run[:yes_no.start()], line)]
                + [StreamCell(VAL, ch, line) for ch in yes_no.group()])
    vals: list[str] = []
    head = run
    g = next((g for g in reader_rules().grade_words if run.endswith(g)), None)
    if g and _word_value_end_re().search(run[:-len(g)]):
        vals, head = [g], run[:-len(g)]     # …管理情况完整好: a word value and the grade after it
    while True:
        m = _word_value_end_re().search(head)
        w = m.group() if m else None
        if w is None or len(head) - len(w) < 4:
            break
        vals.insert(0, w)
        head = head[:-len(w)]
    if not vals or not (head.endswith(rules().name_suffixes) or any(len(v) >= 4 for v in vals)):
        return [StreamCell(NAME, run, line)]
    return [StreamCell(NAME, head, line)] + [StreamCell(VAL, v, line) for v in vals]


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
_SEPARATORS = re.compile(r"[|｜\t]")


def pieces(text: str) -> list[str]:
    """The separator-free pieces of one line: ``|``, tabs and blanks cut; brackets kept whole;
    a label spaced out letter by letter (``绩 效 指 标``) joined."""
    return list(_pieces(text))


@functools.lru_cache(maxsize=32768)   # lines recur across the filings of a batch
def _pieces(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for part in _SEPARATORS.split(text):
        toks = _merge_brackets(_join_spaced_chars(part.split()))
        out.extend(key(t) for t in toks if key(t))
    return tuple(_join_wrapped_headers(out))


def spaced_cells(text: str) -> list[str] | None:
    """The cells of a line whose blanks separate the filer's cells, or None when they do not.

    In a table read one row a line under a header line, blanks stand where the columns were:
    each blank-separated piece is one cell, once the category and header words glued to its
    front are peeled off (``质量指标 培训合格率(含复训)95% ≥95%`` → 质量指标 | 培训合格率(含复训)95% |
    ≥95%), so a name holding figures (``台式电脑4台、笔记本电脑4台``) stays whole. A line with
    one piece beside its categories is glued text: None, and it is cut by content
    (:func:`cut_piece`). Not handled yet: a name that itself holds a blank."""
    got = _spaced_cells(text)
    return list(got) if got is not None else None


@functools.lru_cache(maxsize=32768)   # lines recur across the filings of a batch
def _spaced_cells(text: str) -> tuple[str, ...] | None:
    out: list[str] = []
    for p in pieces(text):
        rest = p
        while True:
            m = _header_re().match(rest) or _category_re().match(rest)
            if m is None or m.end() >= len(rest) or rest[m.end()].isdigit() or _category_opens_name(rest, m):
                # 指标4.不合格产品处置率: a word before a number is the name's numbering
                break
            out.append(m.group())
            rest = rest[m.end():]
        out.append(rest)
    spaced = [c for c in out if not (header_role(c) or cell(c).cat.is_category)]
    return tuple(out) if len(spaced) >= 2 else None


def _join_wrapped_headers(toks: list[str]) -> list[str]:
    """A header cell broken in two (``年度`` ⏎ ``指标值``, ``一级`` ⏎ ``指标``): joined when
    the two halves make a header word that neither half is."""

    out: list[str] = []
    for t in toks:
        if out and len(out[-1]) <= 4 and len(t) <= 4:
            joined = out[-1] + t
            both_words = len(out[-1]) >= 3 and len(t) >= 3 and header_role(out[-1]) and header_role(t)
            if header_role(joined) and len(joined) >= 4 and not both_words:
                out[-1] = joined
                continue
        out.append(t)
    return out


def _whole_value(k: str) -> bool:
    """A cell that is one value by the cell reader's pattern as a whole: a comparator spelled
    out in words before a bare number (``大于等于98``, ``小于等于12``, ``等于100``), which the
    value parser does not take for a value without a unit."""
    m = _is_value_at(k, 0)
    return m is not None and m.end() == len(k)


def whole_cell(k: str, line: int, col: int = -1) -> StreamCell:
    """A cell the filer separated (``| 寨山村新建水泥路1条 | 2km |``): typed as a whole, never cut."""

    c = cell(k)
    if c.cat.is_category and len(k) <= 24:
        return StreamCell(CAT, k, line, whole=True, col=col)
    if header_role(k):
        return StreamCell(HEAD, k, line, header_role(k), whole=True, col=col)
    if c.value or c.actual or c.placeholder or k in reader_rules().word_values or _whole_value(k):
        return StreamCell(VAL, k, line, whole=True, col=col)
    return StreamCell(NAME, k, line, whole=True, col=col)


def _header_over_two_rows(row: list[str], nxt: list[str] | None) -> list[str] | None:
    """A header wrapped over two grid rows, column by column (``| 一级 | 年度 |`` over
    ``| 指标 | 指标值 |``): the joined cells, when they name three more header columns than
    the first row alone."""

    if nxt is None or len(nxt) != len(row):
        return None
    joined = [a + b for a, b in zip(row, nxt)]
    alone = sum(1 for a in row if len(a) >= 3 and header_role(a))
    both = sum(1 for j in joined if header_role(j))
    return joined if both >= alone + 3 else None


def grid_row(text: str) -> list[str] | None:
    """The cells of a line that is a row of a grid (three or more ``|`` or tab separated
    positions, empty ones counted), else None: ``优良 |`` is one cell a line, not a row.

    A pipe before the first cell is the table's border; a tab before it is an empty cell (a
    merged 一级/二级 cell left blank: ``⇥⇥宣传教育⇥覆盖全区所有人员``), so tabs at the start of a
    line are kept and count as columns."""
    # (trailing tabs are cells left empty at the end of a row, as a pipe table's are dropped)
    text = text.rstrip().lstrip(" \u3000") if "|" not in text and "｜" not in text else text.strip()
    parts = _SEPARATORS.split(text)
    if parts and not parts[0].strip() and "\t" not in text[:1]:
        parts = parts[1:]
    if parts and not parts[-1].strip():
        parts = parts[:-1]
    return [key(p) for p in parts] if len(parts) >= 3 else None


def stream(lines: list[tuple[int, str]]) -> list[StreamCell]:
    """Every cell of ``lines`` (line number, text) in order: the cells of a line with two or
    more ``|`` or tab separated cells as the filer wrote them, other text cut by content."""
    out: list[StreamCell] = []
    skip = -1
    for k, (ln, text) in enumerate(lines):
        if k == skip:
            continue
        parts = grid_row(text)
        if parts is not None:
            nxt = grid_row(lines[k + 1][1]) if k + 1 < len(lines) else None
            joined = _header_over_two_rows(parts, nxt)
            if joined is not None:
                parts, skip = joined, k + 1
            out.extend(whole_cell(p, ln, col) for col, p in enumerate(parts) if p)
            continue
        lone = _LONE_PIPE_CELL.fullmatch(text)
        if lone and key(lone.group(1)):
            out.extend(_lone_cell(key(lone.group(1)), ln))
            continue
        ps = pieces(text)
        for n, p in enumerate(ps):
            cut = cut_piece(p, ln)
            if (len(cut) == 2 and cut[0].kind == NAME and cut[1].kind == VAL and n + 1 < len(ps)
                    and not _DIGIT_OR_OP.search(cut[1].text) and _word_value_piece(ps[n + 1])):
                # 服务能力提升 持续加强: the next piece is the value, so the word at the end of this
                # one belongs to its name
                cut = [StreamCell(NAME, p, ln)]
            elif _category_then_ending(cut) and n + 1 < len(ps) and _value_piece(ps[n + 1]):
                # 项目完成时间 2023年底, 项目完成及时性 程度较高: a category word and a short ending,
                # then a piece that is no category (its value) — a name (family H of issue #12)
                cut = [StreamCell(NAME, p, ln)]
            if len(ps) >= 3 and len(cut) == 1 and cut[0].kind == NAME:
                # a text piece between blanks in a spaced paragraph is one cell the filer separated
                cut = [StreamCell(NAME, cut[0].text, ln, whole=True)]
            out.extend(cut)
    return _lone_comparators(out)


def _category_then_ending(cut: list[StreamCell]) -> bool:
    """A category word of the output or benefit frame (项目完成, not a …指标, a label with points
    or a management word) followed by one to three characters ending like a name."""
    if len(cut) != 2 or cut[0].kind != CAT or cut[1].kind != NAME or len(cut[1].text) > 3:
        return False
    cat = cell(cut[0].text).cat
    return (bool(cat.l1 or cat.l2) and not cat.process and not cut[0].text.endswith(("指标", ")", "）"))
            and cut[1].text.endswith(rules().name_suffixes))


def _value_piece(p: str) -> bool:
    """A piece that can be a value: it opens with no category or header word."""
    first = cut_piece(p, 0)[:1]
    return bool(first) and first[0].kind in (VAL, NAME)


def _word_value_piece(p: str) -> bool:
    """A piece that is a word value as a whole: of the lexicon, or told by its form (持续加强)."""
    return p in reader_rules().word_values or adverb_word_value(p)


def _lone_cell(k: str, line: int) -> list[StreamCell]:
    """A cell alone on its line, closed by the filer's pipe (one cell a line): cut by content
    only into a name and its figures (``培训人数300人 |`` → 培训人数 | 300人); a cut that would
    peel a word off a name or split text into two names (``服务能力提升 |``, ``补助资金按时到期 |``)
    is not made — the filer wrote it as one cell."""
    cut = cut_piece(k, line)
    names = sum(1 for c in cut if c.kind == NAME)
    if len(cut) == 1 or names and (names > 1 or any(c.kind == VAL and not re.search(r"\d", c.text) for c in cut)):
        return [whole_cell(k, line)]
    if (len(cut) == 2 and cut[0].kind == CAT and cut[1].kind == NAME and len(cut[1].text) <= 3
            and not cut[0].text.endswith(("指标", ")", "）")) and cut[1].text.endswith(rules().name_suffixes)):
        # 项目完成及时性 |, 年度绩效目标合理性 |: a category word and a short ending in one cell of
        # its own is a name (family H of issue #12)
        return [StreamCell(NAME, k, line, whole=True)]
    return cut


# one cell without blanks (blanks inside a cell still separate its pieces)
_LONE_PIPE_CELL = re.compile(r"\s*([^|｜\s]+)\s*[|｜]\s*")


def lone_pipe_cell(text: str) -> str:
    """The cell of a line that holds one cell closed by a pipe (``服务能力提升 |``), else ''."""
    m = _LONE_PIPE_CELL.fullmatch(text)
    return key(m.group(1)) if m else ""


_LONE_COMPARATOR = re.compile(r"[≥≤<>=＞＜≧≦＝]=?|大于等于|小于等于|大于|小于|等于|不低于|不少于|不高于|不超过")


def lone_comparator(text: str) -> bool:
    """A comparator alone in its cell (``=``, ``≥``, ``大于等于``)."""
    return _LONE_COMPARATOR.fullmatch(text) is not None


def _lone_comparators(cells: list[StreamCell]) -> list[StreamCell]:
    """A comparator alone in its cell is a value (a form's 指标性质 column) only when a figure
    follows it (``= ⏎ 3500``, ``大于等于 98``); one whose figure does not follow (lost to a page
    break, or before a line's own numbering ``3、``) stays text, as it was before comparators
    were typed. The assembler joins it to its figure where the header has no column for it."""
    out = list(cells)
    for k, c in enumerate(out):
        if c.kind != VAL or c.whole or not lone_comparator(c.text):
            continue
        nxt = out[k + 1] if k + 1 < len(out) else None
        after = out[k + 2] if k + 2 < len(out) else None
        figure = nxt is not None and nxt.kind == VAL and nxt.text[:1].isdigit()
        if not figure or after is not None and after.text.startswith(("、", ".", "．")):
            out[k] = StreamCell(NAME, c.text, c.line)
    return out
