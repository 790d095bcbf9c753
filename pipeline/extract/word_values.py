"""Word values and text targets glued to names: the rules that tell, inside a run of text the
cell reader (:mod:`pipeline.extract.cell_stream`) could not cut at a figure, where a name ends
and its value begins.

Worked examples::

    经费支出合规性较高项目验收合格率   → 经费支出合规性 | 较高 | 项目验收合格率 (_split_after_name)
    …负担有效减轻有效减轻             → …负担 | 有效减轻 | 有效减轻 (_doubled_tail)
    提交报告及时性在项目计划完成时间内完成 ⏎ 达成预期指标
                                     → 提交报告及时性 | 在项目计划完成时间内完成 (_target_before_actual)
    至少全年完成 | 2次 | 宣传 | 已完成100% → 至少全年完成2次宣传 | 已完成100% (_mend_text_values)
    18岁以下、54周岁以上             → one value (_listed_value)

Each returns positions or pieces, never cells of its own making but for the merge pass and the
peeling of word values off a run (:func:`_peel_word_values`, which is handed the cutter of
:mod:`pipeline.extract.cut` to cut a category word inside the run again); the cutting loop
stays in :mod:`pipeline.extract.cut`.

Not handled yet: a text target glued to its name with no opener, no actual word after it and no
name ending before it (补助资金按时到期补助资金及时到位); word values outside the lexicon that do
not start with an adverb of ``word_value_adverbs`` (日产日清).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pipeline.core.cells import cell, rules
from pipeline.extract.cell_lexicon import (
    _DIGIT_OR_OP,
    _NUMBERING,
    _YES_NO_ONE,
    _YES_NO_TAIL,
    NAME,
    VAL,
    StreamCell,
    _category_re,
    _is_value_at,
    _long_word_value_re,
    _word_value_end_re,
    _word_value_re,
    adverb_word_value,
    reader_rules,
)
from pipeline.extract.rubric import _ALL_CJK

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]")


_BARE_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _listed_value(k: str, start: int, end: int) -> bool:
    """A value at ``start:end``, an enumeration comma at ``end`` and another value after it, both
    with a unit or a word (18岁以下、54周岁以上): one value listed in two. A bare number before or
    after the comma is a numbering (4、绿化…) or another column, not a list."""
    nxt = _is_value_at(k, end + 1)
    return (nxt is not None and not _BARE_NUMBER.fullmatch(k[start:end])
            and not _BARE_NUMBER.fullmatch(nxt.group()))


def _numbered_sentence_end(run: str) -> int:
    """Where a name that opens with a numbering (指标1:) and is written as sentences ends: after
    its last full stop, when words follow it (at most 40 characters, no figure); -1 otherwise."""
    if not _NUMBERING.match(run):
        return -1
    j = run.rfind("。", 0, len(run) - 1)
    tail = run[j + 1:]
    return j + 1 if j > 0 and len(tail) <= 40 and _CJK_RUN.match(tail) and not _DIGIT_OR_OP.search(tail) else -1


def _split_after_name(run: str, suffixes: tuple[str, ...], need_end: bool = True) -> tuple[str, list[str], str] | None:
    """A word value between a name and the next name (``经费支出合规性较高项目验收合格率`` →
    经费支出合规性 | 较高 | 项目验收合格率): the part before it ends like a name and the part
    after it is a name of three characters or more (so 工程质量合格率 stays whole). The word is
    not the start of a quality (财务制度健全性: 健全 before 性 is no value), and a grade glued after
    it is the row's second value (资金使用合规性合规好财务… → 合规 | 好). ``need_end=False``
    where the run is known to end with a value: it need not end like a name then."""
    if len(run) < 9 or need_end and not run.endswith(suffixes):
        return None
    one_char = tuple(x for x in suffixes if len(x) == 1)
    for m in _word_value_re().finditer(run, 4):
        i, w = m.start(), m.group()
        if run[:i].endswith(suffixes) and len(run) - m.end() >= 3 and not run.startswith(one_char, m.end()):
            vals, j = [w], m.end()
            g = next((g for g in reader_rules().grade_words if run.startswith(g, j)), None)
            if g and len(run) - j - len(g) >= 3:
                vals.append(g)
                j += len(g)
            return run[:i], vals, run[j:]
    return None


def _doubled_tail(run: str) -> str | None:
    """The text a run ends with twice over (``…负担有效减轻有效减轻`` → 有效减轻), when it is
    two to twelve characters, does not end like a name and leaves a name of four or more
    characters before it; else None."""

    for n in range(min(12, (len(run) - 4) // 2), 1, -1):
        w = run[-n:]
        if run[-2 * n:-n] == w and not w.endswith(rules().name_suffixes):
            return w
    return None


def _target_before_actual(k: str, end: int, run: str) -> str:
    """The text target a name swallowed, when the run is followed straight by a self-evaluation's
    actual word (达成预期指标, 已完成) and holds no figure: what follows the first place the run
    ends like a name, four characters or more (提交报告及时性 | 在项目计划完成时间内完成); ''
    when there is none."""
    m = _long_word_value_re().match(k, end) or _actual_before_figure(k, end)
    if m is None or not cell(m.group()).actual or _DIGIT_OR_OP.search(run) or "是否" in run:
        return ""      # 公众知晓度是否明显提高是: a question and its answer, read by the yes/no rule
    for i in range(3, len(run) - 3):
        if run[:i].endswith(rules().name_suffixes) and _CJK_RUN.match(run, i):
            return run[i:]
    return ""


def _actual_before_figure(k: str, i: int) -> re.Match[str] | None:
    """A self-evaluation's actual word of the lexicon glued to the figure after it at ``i``
    (已完成100%, 已达成95%): where a name run stops, like a value; else None."""
    m = _word_value_re().match(k, i)
    return m if m is not None and len(m.group()) >= 3 and cell(m.group()).actual and _is_value_at(k, m.end()) else None


def _value_before_grade(run: str) -> tuple[str, str, str, str] | None:
    """A grade inside a run marks the end of a row: the text between
    the last place before it that ends like a name and the grade is that row's word value,
    two to six characters, even outside the lexicon (资产产权明确性资产明确好投入结构… → 资产产权
    明确性 | 资产明确 | 好 | 投入结构…). (name, value, grade, rest) or None; the rest is a name
    of four characters or more."""
    suffixes = rules().name_suffixes
    for g in reader_rules().grade_words:
        j = run.find(g, 5)
        while j >= 0:
            # 好 of 良好 or 较好 is no grade of its own
            inside = any(len(w) > len(g) and run.endswith(w, 0, j + len(g)) for w in reader_rules().word_values)
            if len(run) - j - len(g) >= 4 and not inside:
                for i in range(j - 2, max(j - 7, 2), -1):
                    if run[:i].endswith(suffixes) and _ALL_CJK.fullmatch(run[i:j]):
                        return run[:i], run[i:j], g, run[j + len(g):]
            j = run.find(g, j + 1)
    return None


def _answer_tail(run: str) -> str:
    """The value a run ends with before a category word: the 是/否 answer to a question it
    asks (…是否明显提高是), or a word value of the lexicon after a name of four characters or
    more (…标准化配置长期); '' when there is none."""
    if run.endswith(("是", "否")) and "是否" in run[:-1] and len(run) >= 6:
        return run[-1]
    m = _word_value_end_re().search(run)
    return m.group() if m is not None and m.start() >= 4 else ""


def _adverb_tail(run: str) -> str:
    """A word value told by its form (:func:`adverb_word_value`: 持续加强, 明显增强) at the end of
    a run that no value follows, after a name of four characters or more; '' when there is none."""
    if run.endswith(("是", "否") + reader_rules().grade_words) or "是否" in run:
        # 公众知晓度是否明显提高是: a question and its answer, not an adverb value; …有效较好:
        # a word value and its grade
        return ""
    if _doubled_tail(run):
        return ""       # …显著提升显著提升: a target repeated as its actual, peeled as the lexicon's
    for w in range(reader_rules().max_adverb_value_chars, 2, -1):
        if len(run) - w >= 4 and adverb_word_value(run[-w:]):
            return run[-w:]
    return ""


def _mid_adverb_value(run: str) -> tuple[int, str] | None:
    """A word value told by its form (an adverb of the lexicon and a verb of two characters:
    明显增加) between two names of four characters or more, in a run that ends with a value:
    ``…的关爱明显增加广大群众对防治意识`` → its position and text, else None."""
    for a in reader_rules().word_value_adverbs:
        i = run.find(a, 4)
        while i >= 0:
            w = run[i:i + len(a) + 2]
            if (len(run) - i - len(w) >= 4 and len(_CJK_RUN.findall(run[:i])) >= 4
                    and adverb_word_value(w) and _ALL_CJK.fullmatch(w)):
                return i, w
            i = run.find(a, i + 1)
    return None


def _value_like_pair(w: str) -> bool:
    """Text written twice that reads as a value, not as a word shared by two names (改造项目项目
    类型): four characters or more, a word value of the lexicon, or a list (及时,整洁)."""
    return len(w) >= 4 or w in reader_rules().word_values or any(ch in w for ch in ",，、")


def _inner_pair(run: str) -> tuple[int, str] | None:
    """A text written twice in a row inside a run, with a name of two characters or more before
    it and a name of four characters or more after it (项目执行执行规范 is a label and a name): a
    self-evaluation's word target and its actual, glued between
    two names (保洁及时,整洁及时,整洁植物状况… → 保洁 | 及时,整洁 | 及时,整洁 | 植物状况…). Of
    overlapping candidates the longer wins (设施维护维护良好维护良好: 维护良好, not 维护). Its
    position and text, else None; a pair ending the run is :func:`_doubled_tail`'s."""
    n = len(run)
    # a pair whose next character is a name's last (…满意度服务对象 | 满意度服务对象 | 度…) cuts a
    # name repeated in a header, not a value written twice
    one_char = tuple(x for x in rules().name_suffixes if len(x) == 1)
    best: tuple[int, str] | None = None
    for p in range(2, n - 4):
        if best is not None and p >= best[0] + 2 * len(best[1]):
            break
        for size in range(min(12, (n - p) // 2), 1, -1):
            w = run[p:p + size]
            if (run.startswith(w, p + size) and n - p - 2 * size >= 4 and not w.endswith(rules().name_suffixes)
                    and not run.startswith(one_char, p + 2 * size) and _value_like_pair(w)):
                if best is None or size > len(best[1]):
                    best = (p, w)
                break
    return best


def _mend_text_values(cells: list[StreamCell]) -> list[StreamCell]:
    """A text target opened by a word of ``text_value_openers``, its figure and a tail of one to
    three characters that does not end like a name, before another value, are one value:
    至少全年完成 | 2次 | 宣传 | 已完成100% → 至少全年完成2次宣传 | 已完成100%."""
    out = list(cells)
    openers = reader_rules().text_value_openers
    for i in range(len(out) - 4, -1, -1):
        if i + 4 > len(out):
            continue
        a, v, t, nxt = out[i:i + 4]
        if (a.kind == VAL and a.text.startswith(openers) and v.kind == VAL and _DIGIT_OR_OP.match(v.text)
                and t.kind == NAME and len(t.text) <= 3 and not t.text.endswith(rules().name_suffixes)
                and nxt.kind == VAL):
            out[i:i + 3] = [StreamCell(VAL, a.text + v.text + t.text, a.line)]
    return out


# the cutter of pipeline.extract.cut (a piece of text and its line → typed cells)
Cutter = Callable[[str, int], list[StreamCell]]


def _text_value_opener(k: str, end: int, run: str, line: int, cut: Cutter) -> int:
    """Where a text target glued after its name starts in ``run`` (a word of
    ``text_value_openers``), four characters or more into it: before a figure within ten
    characters when the name ends like one (宣传次数 | 至少全年完成 ⏎ 2次), or, when no value
    follows the run, before four characters or more of a run that holds no word value (宣传教育 |
    覆盖全区所有人员 ⏎ 质量指标); 0 when there is none."""
    openers = reader_rules().text_value_openers
    if len(run) < 6 or not any(w in run[4:] for w in openers):
        return 0        # most runs: no opener after a name's first characters
    figure = _is_value_at(k, end) is not None
    if not figure and (_long_word_value_re().match(k, end) or [c.kind for c in _peel_word_values(run, line, cut)] != [NAME]):
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


def _peel_word_values(run: str, line: int, cut: Cutter, before_value: bool = False) -> list[StreamCell]:
    """Word values of the lexicon glued to the end of a name come off it:
    ``补助资格合规性合规`` → 补助资格合规性 | 合规; ``条件改善状况显著提升显著提升`` →
    条件改善状况 | 显著提升 | 显著提升. Only when what is left ends like a name, or a word of
    four characters or more came off (short words such as 合格 end names too). ``cut`` is the
    cutter of :mod:`pipeline.extract.cut`, called again for a category word inside the run."""

    for m in _category_re().finditer(run, 4):
        # …负担有效减轻有效减轻社会效益参训学员就业率: after a word written twice (target and
        # actual), a word value of the lexicon or a yes/no answer (…配置长期社会效益…,
        # 公众知晓度是否明显提高是生态效益…) a category word opens the next block, whatever it ends in
        before = run[:m.start()]
        if _doubled_tail(before):
            return _peel_word_values(before, line, cut) + cut(run[m.start():], line)
        answer = _adverb_tail(before) or _answer_tail(before)
        if answer:
            return (_peel_word_values(before[:-len(answer)], line, cut, before_value=True) + [StreamCell(VAL, answer, line)]
                    + cut(run[m.start():], line))
    pair = _inner_pair(run)
    if pair is not None:
        p, w = pair
        return ([StreamCell(NAME, run[:p], line), StreamCell(VAL, w, line), StreamCell(VAL, w, line)]
                + _peel_word_values(run[p + 2 * len(w):], line, cut, before_value))
    g = next((g for g in reader_rules().grade_words if run.endswith(g)), "")
    # a run that ends with a word value and its grade (…规范好项目日常进度管理情况完整好) need
    # not end like a name for a word value inside it to be cut off
    ends_valued = before_value or bool(g and _word_value_end_re().search(run[:-len(g)]))
    graded = _value_before_grade(run)
    if graded is not None:
        head, w, grade, tail = graded
        return ([StreamCell(NAME, head, line), StreamCell(VAL, w, line), StreamCell(VAL, grade, line)]
                + _peel_word_values(tail, line, cut, before_value))
    inner = _split_after_name(run, rules().name_suffixes, need_end=not ends_valued)
    if inner is not None:
        head, ws, tail = inner
        return ([StreamCell(NAME, head, line)] + [StreamCell(VAL, w, line) for w in ws]
                + _peel_word_values(tail, line, cut, before_value))
    if before_value:
        mid = _mid_adverb_value(run)
        if mid:
            i, w = mid
            return [StreamCell(NAME, run[:i], line), StreamCell(VAL, w, line)] + _peel_word_values(run[i + len(w):], line, cut, True)
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
