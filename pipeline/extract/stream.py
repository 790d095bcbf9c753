"""Indicator rows from tables whose row boundaries were lost in the export.

Two shapes reach here (``Table.stream``):

* running text, one row per line with cells separated by spaces or not separated at all
  (``产出指标数量指标农村义务教育学校改造覆盖率100%``) — each line is cut into
  cells by :func:`split_line` (category words peeled off the front, the value off the end)
  and the lines go through the grid extractor like any table;
* cells one per line (``发放人数 |`` / ``20 |``) or a whole table flattened into
  one line — the header run is found, then :func:`segment` cuts the cell
  stream into rows: a dynamic programme over row ends that maximises the sum of the
  per-row alignments (:func:`pipeline.extract.roles.align`), each row paying a fixed cost so
  that text is not cut into needless one-cell rows.

Longer than 400 lines because both shapes of stream table (cells one a line, running text)
share the cutting and the alignment DP; the next split is the running-text cutter.
"""

from __future__ import annotations

import functools
import re

from pipeline.core.cells import cell, header_of, header_role, rules, section_label
from pipeline.core.document import Row, Table
from pipeline.core.normalize import key
from pipeline.extract.cell_lexicon import reader_rules
from pipeline.extract.grid import _extract_grid, _make_row, _State
from pipeline.extract.roles import align
from pipeline.extract.rows import Reject
from pipeline.extract.tokens import _category_words, _join_spaced_chars, _merge_brackets

_TRAIL_VALUE = re.compile(
    r"^(?P<name>.*?[^\d.,，%％≥≤<>=＞＜≧≦~～\-—])"
    r"(?P<value>(?:[≥≤<>=＞＜≧≦]=?|不低于|不少于|不高于|不超过|达到|达|约|近)?"
    r"\d[\d.,，]*\s*(?:%|％|[\u4e00-\u9fff/·]{0,5})?(?:以上|以下|以内)?)$")
ROW_COST = 4.0
SKIP = -2.0


@functools.cache
def _header_words() -> tuple[str, ...]:
    return tuple(sorted(rules().headers, key=len, reverse=True))


def _peel_front(token: str, words: tuple[str, ...]) -> list[str]:
    """Cut glued words off the front: 产出指标数量指标覆盖率100% → 产出指标 | 数量指标 | 覆盖率100%.
    A word followed by no more than two characters (three when the word does not end in 指标)
    is the start of a name (项目完成时间, 项目完成及时性 stay whole: family H of issue #12)."""
    out = []
    k = token
    pat = _matcher(words)
    while True:
        m = pat.match(k)
        if m is None or m.end() >= len(k):
            break
        rest = k[m.end():]
        if not re.search(r"\d", rest) and (len(rest) <= 2 or len(rest) == 3 and not m.group().endswith("指标")):
            # 项目完成时间, 项目完成及时性: a short ending after a category word that is no
            # …指标 completes a name; after 数量指标 a word of three (覆盖率) is the name
            break
        out.append(m.group())
        k = k[m.end():]
    out.append(k)
    return out


def split_line(text: str) -> list[str]:
    """Cut a line of running text into cells (see the module docstring)."""
    return list(_split_line(text))


@functools.lru_cache(maxsize=32768)   # header and category lines recur across the filings of a batch
def _split_line(text: str) -> tuple[str, ...]:
    tokens = _merge_brackets(_join_spaced_chars(text.split()))
    cells: list[str] = []
    for t in tokens:
        k = key(t)
        if header_role(k) or cell(k).cat.is_category:
            cells.append(t)
            continue
        whole = _decompose(k, _all_words())
        cells.extend(whole if whole and len(whole) >= 2 else _peel_front(k, _category_words()))
    # a name with its value glued to the end: 覆盖率100% → 覆盖率 | 100%
    if cells and sum(1 for c in cells if not cell(c).cat.is_category) == 1:
        last = cells[-1]
        c = cell(last)
        if not c.value and not c.cat.is_category and not header_role(last):
            m = _TRAIL_VALUE.match(key(last))
            if m and len(m.group("name")) >= 2:
                cells[-1:] = [m.group("name"), m.group("value")]
            else:
                kl = key(last)
                m2 = _suffix_matcher().search(kl)
                if m2 and m2.start() > 1:
                    cells[-1:] = [kl[: m2.start()], m2.group()]
    return tuple(cells)


@functools.cache
def _suffix_matcher() -> re.Pattern[str]:
    words = sorted((w for w in reader_rules().word_values if len(w) >= 4), key=len, reverse=True)
    return re.compile("(?:" + "|".join(re.escape(w) for w in words) + ")$")


@functools.cache
def _matcher(words: tuple[str, ...]) -> re.Pattern[str]:
    """One compiled alternation, longest words first, so ``match`` finds the longest."""
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def _decompose(k: str, words: tuple[str, ...]) -> list[str] | None:
    """Split ``k`` wholly into known words (longest first), or None."""
    out = []
    pat = _matcher(words)
    pos = 0
    while pos < len(k):
        m = pat.match(k, pos)
        if m is None or m.end() == pos:
            return None
        out.append(m.group())
        pos = m.end()
    return out


@functools.cache
def _all_words() -> tuple[str, ...]:
    return tuple(sorted(set(_header_words()) | set(_category_words()), key=len, reverse=True))


def _glued_header(k: str) -> bool:
    n = 0
    rest = k
    while rest:
        hit = next((w for w in _header_words() if rest.startswith(w)), None)
        if hit is None:
            return False
        rest = rest[len(hit):]
        n += 1
    return n >= 2


def _header_run(cells: list[str] | tuple[str, ...]) -> tuple[int, int] | None:
    """The longest run of ≥3 header cells (一级指标 二级指标 三级指标 指标值 …)."""
    return _header_run_of(tuple(cells))


@functools.lru_cache(maxsize=32768)   # lines recur across a batch (their cells come from split_line)
def _header_run_of(cells: tuple[str, ...]) -> tuple[int, int] | None:
    best = None
    i = 0
    while i < len(cells):
        j = i
        while j < len(cells) and (header_role(cells[j]) or cell(cells[j]).cat.section):
            j += 1
        roles = {header_role(c) for c in cells[i:j]}
        if j - i >= 3 and roles & {"name", "level1", "level2"} and roles & {"target", "actual", "score"}:
            if best is None or j - i > best[1] - best[0]:
                best = (i, j)
        i = max(j, i + 1)
    return best


def segment(cells: list[str], roles: list[tuple[int, str]]) -> list[tuple[int, int, dict]]:
    """Cut a stream of cells into indicator rows (see the module docstring)."""
    n = len(cells)
    width = len(roles) + 2
    free_roles = [(-100, r) for _, r in roles]
    best = [float("-inf")] * (n + 1)
    back: list[tuple[int, dict | None]] = [(0, None)] * (n + 1)
    best[0] = 0.0
    # a row starts with a category or a name, never with a value or a number
    starts = [not (c.value or c.number or c.actual) for c in (cell(t) for t in cells)]
    for e in range(1, n + 1):
        # skip one cell
        if best[e - 1] + SKIP > best[e]:
            best[e], back[e] = best[e - 1] + SKIP, (e - 1, None)
        for s in range(max(0, e - width), e):
            if best[s] == float("-inf") or not starts[s]:
                continue
            res = align([(-1, c) for c in cells[s:e]], free_roles)
            if res is None:
                continue
            score, got, skipped = res
            if skipped:
                continue
            total = best[s] + score - ROW_COST
            if total > best[e]:
                best[e], back[e] = total, (s, got)
    out = []
    e = n
    while e > 0:
        s, got = back[e]
        if got is not None:
            out.append((s, e, got))
        e = s
    out.reverse()
    return out


def extract_stream(file, table: Table, tno: int, out, header_state=None) -> int:
    """Rows of a stream table; returns the last indicator-table number used."""

    # 1. running text, one row per line: cut lines into cells, then read as a grid
    lines = [Row(split_line(" ".join(r.cells)), r.line, r.raw) for r in table.rows]
    runs = [_header_run(r.cells) for r in lines]
    flat_at = next((k for k, (r, hr) in enumerate(zip(lines, runs)) if hr and len(r.cells) - hr[1] > 12), None)
    if flat_at is None and any(runs) and not _cells_per_line(lines):
        # header lines start a grid; split a header glued after prose into its own row
        fixed = []
        for r, hr in zip(lines, runs):
            if hr and hr[0] > 0:
                fixed.append(Row(r.cells[:hr[0]], r.line, r.raw))
                fixed.append(Row(r.cells[hr[0]:], r.line, r.raw))
            else:
                fixed.append(r)
        grid = Table(index=table.index, rows=fixed, truncated=table.truncated, cut_cell=table.cut_cell)
        tno, _, _ = _extract_grid(file, grid, tno, None, {}, out)
        return tno
    # 2a. cells one per line, an empty cell a blank line and a blank line after each row:
    # a cell's line number, counted from the header's, gives its column
    if flat_at is None and _cells_per_line(lines):
        grid = _rows_by_line_period(table)
        if grid is not None:
            tno, _, _ = _extract_grid(file, grid, tno, None, {}, out)
            return tno
    # 2. cells one per line with empty cells kept (``|`` lines): rows have the header's width
    if flat_at is None and any(len(r.cells) == 0 for r in table.rows):
        grid = _chunk_by_header(table)
        if grid is not None:
            tno, _, _ = _extract_grid(file, grid, tno, None, {}, out)
            return tno
    # 3. a cell stream: every cell in order, the header run found, rows rebuilt by content
    cells: list[tuple[int, str]] = []
    for r in (table.rows if flat_at is None else lines):
        for c in (r.cells if r.cells else [""]):
            cells.append((r.line, c))
    texts = [c for _, c in cells]
    hr = _header_run(texts)
    if hr is None:
        out.rows_read += len(table.rows)
        for r in table.rows:
            out.rejects.append(Reject(file, 0, r.line, "outside indicator table", " | ".join(r.cells)))
        return tno

    head = header_of(Row(texts[hr[0]:hr[1]], cells[hr[0]][0])) or []
    tno += 1
    out.headers.append(head)
    body = [(ln, t) for ln, t in cells[hr[1]:] if t]
    end = next((k for k, (_, t) in enumerate(body) if _stream_end(t) and not _label_before_name(body, k)), len(body))
    after = body[end:]
    body = body[:end]
    st = _State()
    segs = segment([t for _, t in body], _rubric_roles(head, [t for _, t in body]))
    # rows read in a cell stream = the rows rebuilt + what is left over: the lines before the
    # header, the header, each cell no row took, the lines after the end of the table
    placed = {k for s, e, _ in segs for k in range(s, e)}
    left = [(file, 0, "outside indicator table", _by_line(cells[:hr[0]])),
            (file, tno, "header", [(cells[hr[0]][0], texts[hr[0]:hr[1]])]),
            (file, tno, "cell not placed in any row", [(ln, [t]) for k, (ln, t) in enumerate(body) if k not in placed]),
            (file, tno, "after the end of the indicator table", _by_line(after))]
    for f, t_no, reason, groups in left:
        for ln, ts in groups:
            out.rejects.append(Reject(f, t_no, ln, reason, " | ".join(ts)))
            out.rows_read += 1
    out.rows_read += len(segs)
    for k, (s, e, got) in enumerate(segs):
        roles = {r: (0, t) for r, (_, t) in got.items()}
        st.update(roles)
        if table.truncated and k == len(segs) - 1 and end == len(cells[hr[1]:]) and "target" not in roles:
            out.rejects.append(Reject(file, tno, body[s][0], "row cut off at the end of the text",
                                      " | ".join(t for _, t in body[s:e])))
            continue
        out.rows.append(_make_row(file, tno, body[s][0], st, roles, {}))
    return tno


def _by_line(cells: list[tuple[int, str]]) -> list[tuple[int, list[str]]]:
    """Non-empty cells grouped by their source line, in order."""
    out: list[tuple[int, list[str]]] = []
    for ln, t in cells:
        if not t:
            continue
        if out and out[-1][0] == ln:
            out[-1][1].append(t)
        else:
            out.append((ln, [t]))
    return out


def _chunk_by_header(table: Table) -> Table | None:
    """Rebuild rows of a one-cell-a-line table by cutting the cells after each header into
    rows of the header's width (e.g. ``发放人数 | 20 | 人数 | ≥ | 80``)."""
    cells = [(r.line, r.cells[0] if r.cells else "", r.raw) for r in table.rows]
    texts = [c for _, c, _ in cells]
    runs = []
    k = 0
    while k < len(texts):
        hr = _header_run(texts[k:])
        if hr is None:
            break
        a, b = hr[0] + k, hr[1] + k
        while a < b and cell(texts[a]).cat.section and not header_role(texts[a]):
            a += 1      # 绩效指标 before the header names the block, it is no column
        runs.append((a, b))
        k = b
    if not runs:
        return None
    rows: list[Row] = []
    prev = 0
    for n, (a, b) in enumerate(runs):
        rows.extend(Row([t], ln, raw) for ln, t, raw in cells[prev:a] if t)
        width = b - a
        rows.append(Row(texts[a:b], cells[a][0], " | ".join(texts[a:b])))
        stop = runs[n + 1][0] if n + 1 < len(runs) else len(cells)
        body = cells[b:stop]
        for chunk in _row_chunks(body, width):
            rows.append(Row([t for _, t, _ in chunk], chunk[0][0], " | ".join(t for _, t, _ in chunk)))
        prev = stop
    return Table(index=table.index, rows=rows, truncated=table.truncated, cut_cell=table.cut_cell)


def _rows_by_line_period(table: Table) -> Table | None:
    """Rows of a one-cell-a-line table whose blank lines were kept: an empty cell is a blank
    line and a blank line closes each row, so a row of a header of width w takes w + 1 lines
    and a cell's line, counted from the header's first line, gives its row and column::

        一级指标 ⏎ 二级指标 ⏎ 三级指标 ⏎ 年度指标值 ⏎ 实际完成值 ⏎ ⏎
        项目决策 ⏎ 科学决策 ⏎ 必要性 ⏎ ⏎ ⏎ ⏎
        ⏎ ⏎ 可行性 ⏎ ⏎ ⏎ ⏎         → | 项目决策 | 科学决策 | 必要性 | | |, | | | 可行性 | | |

    The table ends at the first cell that falls on a row's closing blank line (the sign-off
    block below keeps no such rhythm). None when the header's cells are not on consecutive
    lines or fewer than two rows keep the rhythm. Not handled yet: a table whose rows are
    not closed by a blank line (the period is then the header's width, which any text fits)."""
    if any(not r.cells for r in table.rows):
        return None     # bare ``|`` lines mark the rows: the chunking by header width reads those
    cells = [(r.line, r.cells[0]) for r in table.rows]
    hr = _header_run([t for _, t in cells])
    if hr is None:
        return None
    a, b = hr
    width, start = b - a, cells[a][0]
    if [ln for ln, _ in cells[a:b]] != list(range(start, start + width)):
        return None
    period = width + 1
    body: dict[int, list[str]] = {}
    stop = len(cells)
    for k in range(b, len(cells)):
        ln, t = cells[k]
        row, col = divmod(ln - start, period)
        if col == width:
            stop = k
            break
        body.setdefault(row, [""] * width)[col] = t
    if len(body) < 2:
        return None
    rows = [Row([t], ln, t) for ln, t in cells[:a]]
    rows.append(Row([t for _, t in cells[a:b]], start, " | ".join(t for _, t in cells[a:b])))
    rows += [Row(cs, start + n * period, " | ".join(cs)) for n, cs in sorted(body.items())]
    rows += [Row([t], ln, t) for ln, t in cells[stop:]]
    return Table(index=table.index, rows=rows, truncated=table.truncated, cut_cell=table.cut_cell)


_SEPARATOR = re.compile(r"^\s*\|(?:\s*\|)+\s*$")


def _row_breaks(body) -> set[int]:
    """Indexes of the lines that end rows: bare pipe lines (``||||``), or a run of three or
    more empty cells (a row's four empty trailing cells, ``|`` on each line, before the
    next row's name; single empty cells inside a row are no break)."""
    out = {k for k, c in enumerate(body) if _SEPARATOR.match(c[2])}
    run: list[int] = []
    for k, c in enumerate(body + [(0, "x", "x")]):
        if not c[1] and k not in out:
            run.append(k)
            continue
        if len(run) >= 3:
            out.update(run)
        run = []
    return out


def _split_segment(seg, width: int):
    """The rows in the cells between two row breaks: a category cell after the cells of an
    indicator starts the next row (… 10 | 效益指标(30分) | 社会效益指标 | ★★★受益…);
    what is still wider than the header is cut by its width."""
    rows: list[list] = [[]]
    for c in seg:
        if rows[-1] and cell(c[1]).cat.is_category and not cell(rows[-1][-1][1]).cat.is_category:
            rows.append([])
        rows[-1].append(c)
    for r in rows:
        yield from (r[i:i + width] for i in range(0, len(r), width))


def _row_chunks(body, width: int):
    """The rows of a one-cell-a-line body.

    Where lines of bare pipes (``|||``, ``||||||``) stand between the rows, they are the row
    breaks, and a row may hold fewer cells than the header (merged cells left out,
    ``||||`` / ``呼家河至鲍家沟新建水泥路1条`` / ``2km`` / ``||||||``); the alignment then places its
    cells by content. Otherwise (a single ``|`` is an empty cell) rows have the
    header's width.
    """
    breaks = _row_breaks(body)
    if len(breaks) >= 2:
        seg: list = []
        for k, c in enumerate(body):
            if k in breaks:
                if seg:
                    yield from _split_segment(seg, width)
                seg = []
            elif c[1]:
                seg.append(c)
        if seg:
            yield from _split_segment(seg, width)
        return
    for i in range(0, len(body), width):
        yield body[i:i + width]


def _cells_per_line(rows: list[Row]) -> bool:
    return sum(1 for r in rows if len(r.cells) <= 1) >= 0.7 * max(1, len(rows))


_POINTS = re.compile(r"[(（][^()（）]{0,12}[)）]")
_VALUE_ROLES = ("target", "actual", "period_target", "history", "weight", "score", "unit", "op")


def _rubric_roles(head: list[tuple[int, str]], texts: list[str]) -> list[tuple[int, str]]:
    """A score rubric listed without any value (``项目决策 项目目标 目标内容 决策过程 决策依据
    决策程序 …``: categories and the items scored, the value columns left blank) has no
    target to read: with no figure, comparator or word value of the lexicon anywhere in the
    table, the value columns are dropped, so an item is not read as the target of the item
    before it. Otherwise the header's roles, unchanged."""

    words = set(reader_rules().word_values)
    # the points in brackets (项目决策(10分), 相关性(5分)) are no values
    bare = [_POINTS.sub("", key(t)) for t in texts]
    if any(re.search(r"\d", t) or t in words or cell(t).value or cell(t).actual for t in bare if t):
        return head
    kept = [(c, r) for c, r in head if r.partition("#")[0] not in _VALUE_ROLES]
    return kept if any(r == "name" for _, r in kept) else head


def _label_before_name(body: list[tuple[int, str]], k: int) -> bool:
    """A section label in the category column of a cell stream (``绩效目标 ⏎ 明确性 ⏎ 合理性``
    in a score table) is the block's category, not the start of the next section, when the
    cell after it is a short name (ending like one, no label or header word itself) — as
    :func:`pipeline.extract.grid._label_as_category` reads it in a grid row. A sign-off
    word (填表人) always ends the table."""
    if any(w in key(body[k][1]) for w in rules().table_end_words) or k + 1 >= len(body):
        return False
    nxt = key(body[k + 1][1])
    return (len(nxt) <= 12 and cell(nxt).name_like and not header_role(nxt)
            and not nxt.startswith(rules().table_end_labels) and not cell(nxt).cat.section)


def _stream_end(text: str) -> bool:
    k = key(text)
    if any(w in k for w in rules().table_end_words):
        return True
    return section_label(k) and not cell(text).cat.is_category
