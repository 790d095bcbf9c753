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

Longer than 400 lines because cutting glued text into cells is one pass whose rules (values,
units, word values, names) consult each other at every position; the next split is the word-
value rules.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from pipeline.core.cells import cell, header_role, rules
from pipeline.core.config import load_yaml, require, str_list
from pipeline.core.normalize import key
from pipeline.core.words import opener_words
from pipeline.extract.tokens import _category_words, _join_spaced_chars, _merge_brackets

HEAD, CAT, VAL, NAME, DEBRIS = "header", "category", "value", "name", "debris"


@dataclass(frozen=True, slots=True)
class CellReaderRules:
    version: str
    word_values: tuple[str, ...]      # longest first
    word_value_adverbs: tuple[str, ...]
    max_adverb_value_chars: int
    units: tuple[str, ...]            # longest first
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
        max_adverb_value_chars=require(data, "max_adverb_value_chars", int, where),
        units=longest_first("units"),
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
    role: str = ""       # the header role of a header word
    whole: bool = False  # a cell of a row with separators (| or tabs): the filer's own cell
    col: int = -1        # its column in that row (empty cells counted), -1 in running text


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in words)


@functools.cache
def _value_re() -> re.Pattern[str]:
    r = reader_rules()
    number = r"\d+(?:[.,]\d+)*"
    # a date or a span of dates (2023年12月, 2021年1月-12月, 2021年3月至2022年6月)
    day = r"(?:\d{1,2}月)?(?:\d{1,2}日)?"
    date = rf"\d{{4}}年{day}(?:[-~～—至](?:\d{{4}}年)?\d{{1,2}}月(?:\d{{1,2}}日)?)?(?:底前|年底|底|前|之前|以前)?"
    return re.compile(
        rf"(?:(?:{_alternation(r.value_openers)})\s*)?(?:{date}|{number}\s*(?:{_alternation(r.units)})?"
        rf"(?:[~～\-—]{number}\s*(?:{_alternation(r.units)})?)?(?:及以上|及以下|以上|以下|以内|左右)?)")


@functools.cache
def _category_re() -> re.Pattern[str]:

    # a category word may carry its points: 产出指标(70分)
    return re.compile(rf"(?:{_alternation(_category_words())})(?:[(（][^()（）]{{0,12}}[)）])?")


@functools.cache
def _name_stop_re() -> re.Pattern[str]:
    """Where a name may stop: a digit or comparator, a word opener, a category word ending in
    指标, or a bracket (whose group stays in the name)."""

    words = [o for o in reader_rules().value_openers if len(o) > 1]
    words += [w for w in _category_words() if w.endswith("指标")]
    # achieved-words that end in 指标 (达成预期指标) never sit inside a name
    words += [w for w in reader_rules().word_values if len(w) >= 5 and w.endswith("指标")]
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


_YES_NO_TAIL = re.compile(r"[是否]{2}$")
_YES_NO_ONE = re.compile(r"[是否]$")
_CLOSE_DEBRIS = re.compile(r"[^()（）]{0,3}[)）]")
_NUMBERING = re.compile(r"(?:指标|目标)\d{1,2}[:：]")
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
    if k in reader_rules().word_values or whole.actual:
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
            if m:
                out.append(StreamCell(HEAD, m.group(), line, header_role(m.group())))
                pos = m.end()
                continue
            m = _category_re().match(k, pos)
            if m and k[m.end():m.end() + 1] not in ("%", "％"):   # 服务对象满意度% is a name with its unit
                out.append(StreamCell(CAT, m.group(), line))
                pos = m.end()
                continue
            m = _long_word_value_re().match(k, pos)
            if m:
                out.append(StreamCell(VAL, m.group(), line))
                pos = m.end()
                continue
        m = _is_value_at(k, pos)
        if m:
            out.append(StreamCell(VAL, m.group(), line))
            pos, boundary = m.end(), True
            continue
        # a name: up to the next value (a digit, or a comparator before one) or category;
        # a numbering (指标3:) and a bracket group (含监测对象, 15分) stay in the name
        num = _NUMBERING.match(k, pos)
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
                end = close.end() if close else end + 1
                continue
            if _is_value_at(k, end) or _inner_category_re().match(k, end) or _long_word_value_re().match(k, end):
                break
            end += 1
        names = _split_glued_names(k[pos:end]) if not _is_value_at(k, end) else None
        if names:
            out.extend(StreamCell(NAME, t, line) for t in names)
        else:
            out.extend(_peel_word_values(k[pos:end], line))
        pos, boundary = end, True
    return _mend_numbers_in_names(out)


def _split_glued_names(run: str) -> list[str] | None:
    """Names glued with no value between them (a blank form: ``国家奖学金人数国家助学金人数
    应征入伍人数``): cut where the run splits wholly into names of four characters or more
    that all end in the same name suffix as the run (人数 … 人数); so 农村低保救助资金按标准
    发放的比率 (资金 … 率) stays whole. None when there is no such cut."""

    n = len(run)
    suffix = next((x for x in sorted(rules().name_suffixes, key=len, reverse=True) if run.endswith(x)), None)
    if suffix is None:
        # an ending that is no name suffix but ends three names in a row (…人均资助 ×3)
        suffix = next((run[-w:] for w in (4, 3, 2) if n >= 3 * w and run.count(run[-w:]) >= 3), None)
    if suffix is None or n < 8 or n > 80:
        return None
    pieces: list[str] = []
    start = 0
    pos = run.find(suffix, 0)
    while pos >= 0:
        end = pos + len(suffix)
        if end - start >= 4 and (end == n or n - end >= 4):
            pieces.append(run[start:end])
            start = end
        pos = run.find(suffix, end)
    if start != n or len(pieces) < 2:
        return None
    return pieces


def _split_after_name(run: str, suffixes: tuple[str, ...]) -> tuple[str, str, str] | None:
    """A word value between a name and the next name (``经费支出合规性较高项目验收合格率`` →
    经费支出合规性 | 较高 | 项目验收合格率): the part before it ends like a name and the part
    after it is a name of three characters or more (so 工程质量合格率 stays whole)."""
    if len(run) < 9 or not run.endswith(suffixes):
        return None
    for m in _word_value_re().finditer(run, 4):
        i, w = m.start(), m.group()
        if run[:i].endswith(suffixes) and len(run) - m.end() >= 3:
            return run[:i], w, run[m.end():]
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


def _peel_word_values(run: str, line: int) -> list[StreamCell]:
    """Word values of the lexicon glued to the end of a name come off it:
    ``补助资格合规性合规`` → 补助资格合规性 | 合规; ``条件改善状况显著提升显著提升`` →
    条件改善状况 | 显著提升 | 显著提升. Only when what is left ends like a name, or a word of
    four characters or more came off (short words such as 合格 end names too)."""

    inner = _split_after_name(run, rules().name_suffixes)
    if inner is not None:
        head, w, tail = inner
        return ([StreamCell(NAME, head, line), StreamCell(VAL, w, line)] + _peel_word_values(tail, line))
    for m in _category_re().finditer(run, 8):
        # …负担有效减轻有效减轻社会效益参训学员就业率: after a word written twice (target and
        # actual) a category word opens the next block, whatever it ends in
        if _doubled_tail(run[:m.start()]):
            return _peel_word_values(run[:m.start()], line) + _cut_piece(run[m.start():], line)
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
    while i + 3 < len(out):
        a, v, b, nxt = out[i:i + 4]
        if (a.kind == NAME and v.kind == VAL and b.kind == NAME and nxt.kind == VAL
                and not a.text.endswith(suffixes) and b.text.endswith(suffixes) and len(b.text) <= 12
                and v.text[0].isdigit()):
            out[i:i + 3] = [StreamCell(NAME, a.text + v.text + b.text, a.line)]
            continue
        i += 1
    return out


_SEPARATORS = re.compile(r"[|｜\t]")


def pieces(text: str) -> list[str]:
    """The separator-free pieces of one line: ``|``, tabs and blanks cut; brackets kept whole;
    a label spaced out letter by letter (``绩 效 指 标``) joined."""

    out: list[str] = []
    for part in _SEPARATORS.split(text):
        toks = _merge_brackets(_join_spaced_chars(part.split()))
        out.extend(key(t) for t in toks if key(t))
    return _join_wrapped_headers(out)


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
    positions, empty ones counted), else None: ``优良 |`` is one cell a line, not a row."""
    parts = _SEPARATORS.split(text.strip())
    if parts and not parts[0].strip():
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
        for p in pieces(text):
            out.extend(cut_piece(p, ln))
    return out
