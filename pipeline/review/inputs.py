"""Whether a row's cells can bear a flag: a flag is only as sure as the cells it rests on.

The review checks what the reader gave it. Where the reader took something that is no
indicator for one (a value, a cut category label, a lone text cell) or cut the cells out of
text without separators, a flag on that row states a guess as a finding. These predicates
say when a row, or a kind of flag on it, has inputs too weak to bear it:

* :func:`value_as_name` — the name is value wording only (``逐步提高``, ``应改尽改``,
  ``达(dá)标(biāo)。``): a value cell read as a name, no indicator;
* :func:`label_fragment` — the name is the start of a category label (``社会`` of
  ``社会效益指标``) or stops on an open bracket (``规划(``, of ``规划 (15分)``): a label
  cut by a line or cell break;
* :func:`category_in_name` — the name opens with a second level (``数量指标:资助贫困子女``,
  ``质量指标：合格率``): the row is filed, in its own name cell;
* :func:`header_line`, :func:`heading_line` — the name stands on a line of column headers
  (``指标分值 | 指标解释 | 指标说明及评分标准``) or is cut out of a report's numbered heading
  (``1.产出指标完成情况分析``): no indicator;
* :func:`value_before_name` — running text states the value first (``100%及时、足额发放…``):
  the row is not missing its value;
* :func:`glued_cells` — the row's name and target were cut out of one run of text without
  any separator (``数量指标修建道路12.5公里2020``: is the target 2020, or 20 | 20?), so
  where one number ends and the next starts is a guess; :func:`numbers_lead` — the line puts
  the row's numbers before its name (``5 5 完成质量``), so the numbers read after it are
  another row's; :func:`label_before_name` — on a glued line, the filed category stands right
  before the whole name, so the placement was read, not guessed;
* :func:`label_above` — a first level stands on a line of its own between the previous row
  and this one (``满意度指标`` in an indented form): the row is filed under it, whatever the
  reader carried down.

Pinyin glosses of mirror sites (``达(dá)标(biāo)``) are removed before any of these reads
(:func:`strip_glosses`).

Worked example: ``逐步提高 | 3`` (a one-cell-a-line sheet whose value 逐步提高 became the
next row's name, 3 its points) → :func:`value_as_name` is True and the row gets no
``MISSING_UNIT``. Not handled yet: a value with a subject (``收入显著提高``) read as a name
passes as an indicator; cells glued with a space inside a number (``20 100%``) are not
told from two cells.
"""

from __future__ import annotations

import re

from pipeline.core.cells import header_role
from pipeline.core.normalize import key
from pipeline.core.taxonomy import lookup, taxonomy
from pipeline.values.lexicon import lexicon

_GLOSS = re.compile(r"(?<=[\u4e00-\u9fff?？])[(（][a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,8}[)）]?")
# what is left of a value wording once its vague and direction words are gone
_FILLER = re.compile(r"[已均全都了的地得\d%.,，。;；:：!！、\s]")
_OPEN_END = re.compile(r"[(（\[【]\s*$")
_SEPARATOR = re.compile(r"[\s|\t]")


def strip_glosses(text: str) -> str:
    """``达(dá)标(biāo)`` → ``达标``: pinyin glosses after Chinese characters removed."""
    return _GLOSS.sub("", text or "")


def value_as_name(name: str) -> bool:
    """The name says nothing but value wording: a change, a completion or a grade
    (``逐步提高``, ``稳步推进``, ``应改尽改``, ``已完成``, ``良好``)."""
    n = key(strip_glosses(name))
    if not n:
        return False
    L = lexicon()
    if n.rstrip("。.;；,，") in L.vague_whole:
        return True
    rest = L.direction_re.sub("", L.vague_re.sub("", n))
    return rest != n and not _FILLER.sub("", rest)


def _category_names() -> tuple[str, ...]:
    tax = taxonomy()
    names = set()
    for prof in tax.profiles:
        for l1, l2s in tax.profiles[prof].items():
            names.add(l1)
            names.update(l2s)
    return tuple(n for n in names if n)


def label_fragment(name: str) -> bool:
    """The name is a cut category label: the start of one (``社会`` of 社会效益指标, at least two
    characters and not a whole label) or text that stops on an open bracket (``规划(``)."""
    raw = strip_glosses(name).strip()
    if _OPEN_END.search(raw):
        return True
    n = key(raw)
    if len(n) < 2 or lookup(n).is_category:
        return False
    return any(c.startswith(n) and c != n for c in _category_names())


_LEADING_LABEL = re.compile(r"^(?:[（(]?[一二三四五六七八九十\d]+[)）.、]\s*)?([\u4e00-\u9fff]{2,10}指标)\s*[:：]")


def category_in_name(name: str) -> str:
    """The second level a name opens with (``数量指标:资助困难学生200人`` → 数量指标), or ''."""
    m = _LEADING_LABEL.match(key(strip_glosses(name)))
    if not m:
        return ""
    cat = lookup(m.group(1))
    return cat.l2 or ""


def glued_cells(name: str, target: str, line: str) -> bool:
    """The row's name and its target were cut out of one run of text with no separator
    between them (``…12.5公里2020`` on a line without blanks or bars), so the boundary of
    the target's number is a guess."""
    n, t = key(name), key(target)
    if not n or not t or not line:
        return False
    run = next((tok for tok in _SEPARATOR.split(line) if n in key(tok)), "")
    return bool(run) and (n + t) in key(run)


def label_before_name(label: str, name: str, line: str) -> bool:
    """The filed category stands right before the name in the text line (blanks aside):
    ``生态效益指标 对降低能耗的影响`` — read where it was written, not carried from
    a label block elsewhere in a flattened line."""
    lab, n = key(label), key(name)
    if not (lab and n and line):
        return False
    # the name must end where a cell ends (a blank, a bar, a number): 质量指标 巡查覆盖率 does
    # not put 巡查 under 质量指标
    spaced = r"\s*".join(map(re.escape, lab)) + r"\s*" + r"\s*".join(map(re.escape, n))
    return re.search(spaced + r"(?=$|[\s|\d≥≤<>=＞＜])", line) is not None


# two numbers (points, score) or a number of points (3 分) before the name; a lone 1 is a 序号
_LEADING_NUMBERS = re.compile(r"^\s*(?:(?:\d+(?:\.\d+)?\s+){2,}|\d+(?:\.\d+)?\s*分)")


def numbers_lead(name: str, line: str) -> bool:
    """The line holds the row's numbers before its name and nothing after it (``5 5 完成质量``,
    a score sheet whose columns came out reversed): a reader that looks for a row's numbers
    after its name took the next line's, so the row's points and score are another row's."""
    n = key(name)
    if not n or not line or not _LEADING_NUMBERS.match(line):
        return False
    return key(line).endswith(n)


def header_line(name: str, line: str) -> bool:
    """The row's name stands on a line of column headers (``指标分值 | 指标解释 |
    指标说明及评分标准 | 自评得分``): a header row read as an indicator. At least two cells of
    the line, and at least half of its cells, are header words."""
    cells = [c.strip() for c in re.split(r"[|\t]", line or "") if c.strip()]
    if len(cells) < 2 or not any(key(name) == key(c) for c in cells):
        return False
    heads = sum(bool(header_role(c)) for c in cells)
    return heads >= 2 and heads * 2 >= len(cells)


# 1.产出指标完成情况分析, (二)效益指标完成情况: a numbered heading of a report's sections
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.]|\d+[.、]|[（(][一二三四五六七八九十\d]+[)）])\s*"
                      r"[\u4e00-\u9fff]{0,8}指标[\u4e00-\u9fff]{0,8}(?:情况|分析)[\u4e00-\u9fff]{0,4}[。:：]?\s*$")


def heading_line(name: str, line: str) -> bool:
    """The row was cut out of a numbered section heading (``1.产出指标完成情况分析`` → name
    ``分析``): a report's heading, no indicator."""
    return bool(name) and key(name) in key(line or "") and _HEADING.match(line or "") is not None


_LEADING_VALUE = re.compile(r"^\s*(?:[≥≤>=<＞＜]\s*)?\d+(?:\.\d+)?\s*(?:%|％|[\u4e00-\u9fff]{1,2})?")


def value_before_name(name: str, line: str) -> bool:
    """The line gives a value right before the row's name (``100%及时、足额发放…``): running
    text that states the figure first; the row has a value, the reader left it in front."""
    n = key(name)
    k = key(line or "")
    m = _LEADING_VALUE.match(line or "")
    return bool(n and m) and k.startswith(key(m.group(0)) + n[:4]) and any(ch.isdigit() for ch in m.group(0))


def label_above(lines: list[str], after: int, at: int, wanted: set[str]) -> bool:
    """A first-level label of ``wanted`` stands on its own line, or as a line's first cell,
    between the previous row's line ``after`` and this row's line ``at`` (1-based): the text
    files the row under it, the reader carried the block above down (one cell a line,
    indented labels: ``   满意度指标`` / ``    服务对象满意度指标`` / ``     学员满意度``)."""
    for ln in lines[max(after, 0): max(at - 1, 0)]:
        cells = [c for c in re.split(r"[|\t]|\s{2,}|\s+", ln.strip()) if c]
        cat = lookup(cells[0]) if cells else None
        # a first level (满意度指标 also names its only second level: the whole text must be the first)
        if cat is not None and cat.l1 in wanted and (not cat.l2 or key(cells[0]) == cat.l1):
            return True
    return False
