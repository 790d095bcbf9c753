"""Score rubrics glued into text: labels that carry points, the levels they stand for, and
names glued to each other with no value between them.

A rubric (自评表 评分表) gives each label its points; a label holds the items under it, so its
points are more than any one item's. Read by content where no separator says what is what::

    部门决策(25分)目标任务(15分)相关性(5分)明确性(5分)预算编制(10分)测算依据(5分)
    → CAT 部门决策(25分) (first level) | CAT 目标任务(15分) (second) | NAME 相关性(5分) |
      NAME 明确性(5分) | CAT 预算编制(10分) (second) | NAME 测算依据(5分)

and ``基础信息完整性工作计划(6分)年度…`` gives the name 基础信息完整性 and the label
工作计划(6分); ``明确性合理性`` two names.

A rubric without values or points is cut at the taxonomy's management labels and its items
at a head that comes back or by four characters (:func:`_valueless_rubric`)::

    决策过程决策依据决策程序资金分配分配办法分配结果
    → CAT 决策过程 | NAME 决策依据 | NAME 决策程序 | CAT 资金分配 | NAME 分配办法 | NAME 分配结果

Not handled yet: in such a rubric, a label the taxonomy does not know (项目目标 before 目标内容
is read as an item) and a label followed straight by another (资金管理资金分配: the first is
read as an item named like a category); a label whose points
are a bare number in brackets (项目绩效(20)) is read as points only in the cut of a name run,
never as a category.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Protocol

from pipeline.core.cells import cell, rules
from pipeline.core.taxonomy import taxonomy
from pipeline.extract.cell_lexicon import CAT, NAME, VAL, StreamCell
from pipeline.extract.tokens import _category_words

_POINTS = re.compile(r"[(（](\d{1,3}(?:\.\d{1,2})?)\s*分?[)）]$")
_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")
_ALL_CJK = re.compile(r"[\u4e00-\u9fff]+")


def _category_before_points(k: str, pos: int, close: re.Match[str] | None) -> int:
    """Where a category word carrying points starts inside a name run (明确性合理性项目管理(7分)),
    when at least two characters of the run come before it; 0 when there is none."""
    if close is None or not _POINTS.search(close.group()):
        return 0
    for w in _category_words():
        start = close.start() - len(w)
        if start >= pos + 2 and k.startswith(w, start):
            return start
    return 0


def _group_ends_name(k: str, pos: int, close: re.Match[str]) -> bool:
    """A bracket group that closes a name in glued text, when more text follows it: a group
    of points (``规划(15分)``, ``项目绩效(20)``), or a note after a piece that ends like a name
    (``必要性(政策依据)可行性…``). A group after a word that does not end like one (项目(工程)
    验收合格率) stays inside the name."""
    if close.end() >= len(k) or not _CJK_CHAR.match(k, close.end()):
        return False
    if _POINTS.search(close.group()):
        return True
    # a note of words only (政策依据), not a unit (满意度(%)) or a list (制度、方法)
    return bool(_ALL_CJK.fullmatch(close.group()[1:-1])) and k[pos:close.start()].endswith(rules().name_suffixes)


def _label_before_points(run: str) -> str:
    """The label that carries the points at the end of a run, when a name ending like one
    comes before it: ``基础信息完整性工作计划(6分)`` → 工作计划(6分); '' when there is none."""
    m = _POINTS.search(run)
    if m is None:
        return ""
    head = run[:m.start()]
    for w in range(2, 7):
        if len(head) - w >= 3 and _ALL_CJK.fullmatch(head[-w:]) and (
                head[:-w].endswith(rules().name_suffixes) or w >= 4 and cell(head[-w:]).cat.is_category):
            return run[len(head) - w:]
    return ""


def _points_label(text: str, m: re.Match[str]) -> bool:
    """A rubric label with its points: its points in 分 (目标任务(15分), not the bare (1) of a
    numbered clause) and words only before them, at most 20 characters (no comma or list of a
    sentence cut at a bracket)."""
    return "分" in m.group() and bool(_ALL_CJK.fullmatch(text[:m.start()])) and len(text[:m.start()]) <= 20


def _points_levels(cells: list[StreamCell]) -> list[StreamCell]:
    """In a score rubric glued into text, a piece carrying points (``部门决策(25分)``) is a
    category when the piece after it is text without points or with fewer points, and an item
    when a value, an item with as many points or nothing follows: 部门决策(25分) 目标任务(15分)
    相关性(5分) 明确性(5分) gives two categories and two items. A category followed by another
    is the first level, one followed by an item the second."""
    out = list(cells)
    for i in range(len(out) - 2, -1, -1):     # backwards: the kind of the next piece is final
        c = out[i]
        m = _POINTS.search(c.text)
        nxt = out[i + 1]
        if c.kind != NAME or m is None or nxt.kind not in (NAME, CAT):
            continue
        after = _POINTS.search(nxt.text)
        if after is not None and float(after.group(1)) >= float(m.group(1)):
            continue
        # 基础信息完整性工作计划(6分): the names before the label are the last items of the block above
        label = _label_before_points(c.text) or c.text
        if not _points_label(label, _POINTS.search(label)):
            continue
        run = c.text[:-len(label)]
        head = [StreamCell(NAME, t, c.line) for t in (_split_glued_names(run) or [run] if run else [])]
        out[i:i + 1] = head + [StreamCell(CAT, label, c.line, "level1" if nxt.kind == CAT else "level2")]
    return out


_GLUED_YEAR = re.compile(r"(\d{1,2})((?:19|20)\d{2}年)")
_MONTH = re.compile(r"\d{1,2}月")
_BARE = re.compile(r"\d{1,3}(?:\.\d{1,2})?")


def split_points_before_values(cells: list[StreamCell]) -> list[StreamCell]:
    """The points a score table prints before the target, glued to it in flattened text,
    come off it as a value of their own (the 分值 column: 分值 | 指标值 | 实际值 | 得分)::

        保障人数102370人2370人10   → 保障人数 | 10 | 2370人 | 2370人 | 10
        办公所需成本415万元15万元4 → 办公所需成本 | 4 | 15万元 | 15万元 | 4
        完成时间52021年12月完成     → 完成时间 | 5 | 2021年12月 | 完成

    Two cues, each enough on its own, so that a real target (115人 against an actual of 15人)
    is never cut: the value repeats as the actual right after it and a score no higher than
    the points follows; or a year of the calendar (19xx年, 20xx年) with one or two digits in
    front and a month after it (52021年 ⏎ 12月: no filing counts 52,021 years).

    Not handled yet: points glued to a target that the actual does not repeat (915万元 ⏎
    14.8万元 ⏎ 8: 9 and 15万元, or 91 and 5万元?); points glued to a text target.
    """
    out: list[StreamCell] = []
    n, i = len(cells), 0
    while i < n:
        c = cells[i]
        nxt = cells[i + 1] if i + 1 < n and cells[i + 1].kind == VAL else None
        if c.kind == VAL and nxt is not None:
            m = _GLUED_YEAR.fullmatch(c.text)
            if m and _MONTH.fullmatch(nxt.text):
                out += [StreamCell(VAL, m.group(1), c.line), StreamCell(VAL, m.group(2) + nxt.text, c.line)]
                i += 2
                continue
            p = c.text[:len(c.text) - len(nxt.text)]
            score = cells[i + 2] if i + 2 < n and cells[i + 2].kind == VAL else None
            if (c.text.endswith(nxt.text) and p.isdigit() and len(p) <= 2 and int(p) > 0
                    and nxt.text[:1].isdigit() and score is not None and _BARE.fullmatch(score.text)
                    and float(score.text) <= int(p)):
                out += [StreamCell(VAL, p, c.line), StreamCell(VAL, nxt.text, c.line)]
                i += 1
                continue
        out.append(c)
        i += 1
    return out


_JOINERS = tuple("和及与、的之")


def _split_glued_names(run: str) -> list[str] | None:
    """Names glued with no value between them (a blank form: ``国家奖学金人数国家助学金人数
    应征入伍人数``): cut where the run splits wholly into names of four characters or more
    (three for the qualities of a score rubric, 明确性合理性) that all end in the same name
    suffix as the run (人数 … 人数), no piece opening with a joiner (规范性和完整性); so 农村低保救助资金按标准
    发放的比率 (资金 … 率) stays whole. None when there is no such cut."""

    n = len(run)
    suffix = next((x for x in sorted(rules().name_suffixes, key=len, reverse=True) if run.endswith(x)), None)
    if suffix is None:
        # an ending that is no name suffix but ends three names in a row (…人均资助 ×3)
        suffix = next((run[-w:] for w in (4, 3, 2) if n >= 3 * w and run.count(run[-w:]) >= 3), None)
    # a score rubric's qualities are two characters and 性 (明确性合理性): pieces of three
    short = 3 if suffix == "性" else 4
    if suffix is None or n < 2 * short or n > 80 or n < 8 and run[short] in _JOINERS:
        return None
    pieces: list[str] = []
    start = 0
    pos = run.find(suffix, 0)
    while pos >= 0:
        end = pos + len(suffix)
        if end - start >= short and (end == n or n - end >= short) and run[end:end + 1] not in _JOINERS:
            pieces.append(run[start:end])
            start = end
        pos = run.find(suffix, end)
    if start != n or len(pieces) < 2:
        return None
    return pieces


_TRAILING_GROUP = re.compile(r"[(（][^()（）]{0,12}[)）]$")


def _valueless_rubric(run: str) -> list[tuple[str, str]] | None:
    """A rubric glued without values or points (项目决策 ⏎ 决策过程决策依据决策程序资金分配分配
    办法…): the run holds category words of the taxonomy (决策过程, 资金分配: its management
    blocks) after its first characters, and they are its labels; the text between two labels
    is their items, cut where a two-character head comes back (决策依据决策程序, 到位率到位时效)
    or else into four-character words when it is two or three of them (资金使用财务管理) — the
    labels and items of such rubrics are four-character compounds. A bracket group closing the
    run stays on its last piece. ``[(kind, text)]`` with kind ``CAT`` or ``NAME``, or None when
    the run is not all words, holds fewer than two labels (one of them after its first
    characters) or leaves an item of more than four characters.

    Not handled yet: items of other lengths glued without a repeated head (组织机构管理制度规范
    is cut 组织机构 | 管理制度规范 only when its length is a multiple of four)."""
    tail = _TRAILING_GROUP.search(run)
    body = run[:tail.start()] if tail else run
    if len(body) < 8 or not _ALL_CJK.fullmatch(body) or tail and _POINTS.search(tail.group()) and "分" in tail.group():
        return None     # …完整性工作计划(6分): a rubric with points, read by its points (_points_levels)
    label = _rubric_label_re()
    if label.search(body, 2) is None:
        return None     # no label after the run's first characters (most runs): one search
    out: list[tuple[str, str]] = []
    buf, i, inner = "", 0, False
    while i < len(body):
        m = label.match(body, i)
        w = m.group() if m else None
        if w is None or len(buf) == 1:
            buf += body[i]
            i += 1
            continue
        inner = inner or i > 0
        out.extend((NAME, t) for t in _rubric_items(buf))
        out.append((CAT, w))
        buf, i = "", i + len(w)
    out.extend((NAME, t) for t in _rubric_items(buf))
    # the cue of such a rubric: two labels or more and every item a short compound of two to
    # four characters — a title or a sentence that holds a category word (整体支出绩效评价自评表)
    # leaves longer pieces
    if not inner or sum(1 for kind, _ in out if kind == CAT) < 2 or any(
            kind == NAME and not 2 <= len(t) <= 4 for kind, t in out):
        return None
    if tail:
        kind, last = out[-1]
        out[-1] = (kind, last + tail.group())
    return out


@functools.cache
def _rubric_label_re() -> re.Pattern[str]:
    """The category words of the cutter and the taxonomy's management blocks of the second
    level (决策过程, 资金分配), four characters or more, longest first."""
    words = set(_category_words()) | set(taxonomy().process_l2)
    return re.compile("|".join(re.escape(w) for w in sorted((w for w in words if len(w) >= 4), key=len, reverse=True)))


def _rubric_items(text: str) -> list[str]:
    """The items of a value-less rubric between two labels (see :func:`_valueless_rubric`)."""
    if not text:
        return []
    head = text[:2]
    cut = text.find(head, 3)
    if len(text) >= 6 and cut >= 3 and len(text) - cut >= 3:
        return [text[:cut]] + _rubric_items(text[cut:])
    if len(text) in (8, 12):
        return [text[k:k + 4] for k in range(0, len(text), 4)]
    return [text]


class _Ranked(Protocol):
    level1: str
    level2: str
    values: dict[str, str]


def fill_blocks_by_points(rows: Sequence[_Ranked], level: str) -> bool:
    """Give each row of a score rubric the label whose points it fills, when a PDF printed each
    merged label at the middle of its block (items of 投入目标(28分) before and after the label,
    产出目标(28分) after four of its own items): the labels with points of ``level`` ("level1"
    or "level2"), in the order they first appear, take the rows in order until the rows' points
    (分值, else 得分) add up to the label's — 10 × 2.8 = 28, then 5 × 5.6 = 28. Applied only when
    every label is filled exactly (a row without points, such as a fragment, goes with the
    rows around it; rows after the last label filled keep theirs); returns whether it was
    applied.

    Not handled yet: labels whose points are not the sum of their items' (a weight per block)."""
    labels: list[tuple[str, float]] = []
    for r in rows:
        text = getattr(r, level)
        m = _POINTS.search(text)
        if m and "分" in m.group() and text not in [t for t, _ in labels]:
            labels.append((text, float(m.group(1))))
    if len(labels) < 2:
        return False
    plan: list[str] = []
    k, total = 0, 0.0
    for r in rows:
        if k >= len(labels):
            break       # rows after the last label filled keep theirs
        plan.append(labels[k][0])
        pts = _row_points(r)
        if pts is None:
            continue
        total += pts
        if total > labels[k][1] + 0.01:
            return False
        if abs(total - labels[k][1]) <= 0.01:
            k, total = k + 1, 0.0
    if k != len(labels) or total:
        return False
    for r, label in zip(rows, plan):
        setattr(r, level, label)
    return True


def _row_points(r: _Ranked) -> float | None:
    for role in ("weight", "score"):
        try:
            return float(r.values.get(role, "") or "x")
        except ValueError:
            continue
    return None
