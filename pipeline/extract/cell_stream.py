"""A filing's text as one stream of typed cells, cut by content where separators are missing.

The layout readers of :mod:`pipeline.ingest.text_reader` need a separator (``|``, tabs, one cell a
line under a known header). Where a table was flattened without one, this module reads the
text as a stream of cells whatever the layout: the separators that are there (line ends,
``|``, tabs, blanks) cut first — a cell the filer separated is kept whole and typed as a whole
(:func:`whole_cell`) — then each separator-free piece is cut by what it holds
(:func:`pipeline.extract.cut.cut_piece`: header words, category words, values, the names
between them).

Worked example (a row a line, blanks between the filer's cells)::

    产出指标 数量指标 示范田面积 8300亩 ⏎ 质量指标 验收合格率 ≥95%
    → CAT 产出指标 | CAT 数量指标 | NAME 示范田面积 | VAL 8300亩 |
      CAT 质量指标 | NAME 验收合格率 | VAL ≥95%

Not handled yet: a name that itself holds a blank (its halves are two cells).
"""

from __future__ import annotations

import functools
import re

from pipeline.core.cells import cell, header_role, rules
from pipeline.core.document import Table
from pipeline.core.normalize import key
from pipeline.extract.cell_lexicon import (
    _DIGIT_OR_OP,
    CAT,
    HEAD,
    NAME,
    VAL,
    StreamCell,
    _category_re,
    _header_re,
    _is_value_at,
    adverb_word_value,
    reader_rules,
)
from pipeline.extract.cut import _category_opens_name, cut_piece
from pipeline.extract.tokens import _join_spaced_chars, _merge_brackets

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


def whole_cell(k: str, line: int, col: int = -1, row: int = -1) -> StreamCell:
    """A cell the filer separated (``| 寨山村新建水泥路1条 | 2km |``): typed as a whole, never cut."""

    kind, role = _whole_kind(k)
    return StreamCell(kind, k, line, role, whole=True, col=col, row=row)


@functools.lru_cache(maxsize=65536)   # grid cells repeat across rows and filings
def _whole_kind(k: str) -> tuple[str, str]:
    c = cell(k)
    if c.cat.is_category and len(k) <= 24:
        return CAT, ""
    if header_role(k):
        return HEAD, header_role(k)
    if c.value or c.actual or c.placeholder or k in reader_rules().word_values or _whole_value(k):
        return VAL, ""
    return NAME, ""


def grid_cells(table: Table) -> list[list[StreamCell]]:
    """The cells of a table whose format gave rows and columns (a pipe table, tabs, docx, xlsx,
    html), row by row: each filled cell typed as a whole (:func:`whole_cell`, never cut) with its
    line, its column (empty cells counted) and its row, the filer's text kept as written::

        | 产出指标 | | 培训人数 | 300人 |  → CAT 产出指标 @0 | NAME 培训人数 @2 | VAL 300人 @3

    The one producer of a grid table's cells: the assembler reads them as positioned cells of
    one stream, each row's cells aligned to the header's columns
    (:func:`pipeline.extract.roles.row_roles`)."""
    return [[whole_cell(t, r.line, col, k) for col, t in r.filled()] for k, r in enumerate(table.rows)]


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
