"""Reading text dumps (.txt/.csv/.tsv) into a :class:`~pipeline.core.document.Document`.

Two problems are solved here: the encoding (government sites serve GB18030, UTF-16 and
UTF-8 with or without BOM, and detectors guess wrong on short Chinese text) and the
layout of the table export, which comes in five shapes seen in real filings:

``tab``        one row per line, cells separated by tabs
``cells``      one cell per line, each line starting with a tab, a blank line between rows,
               multi-line cells continued on lines without a tab
``pipe``       one row per line, cells separated by ``|`` (most web pages)
``pipe-stream`` one cell per line ending in ``|``, row boundaries lost
``plain``      tables flattened into running text, cells separated by spaces

The last two become ``Table(stream=True)``: the extractor rebuilds rows from content.

Longer than 400 lines because decoding, layout detection and the line repairs of text dumps
run in one order over the same lines; the next split is the repairs (each has a unit test in
tests/test_layout_passes.py).
"""

from __future__ import annotations

import codecs
import functools
import re
from collections import Counter
from importlib.resources import files

from pipeline.core.cells import cell
from pipeline.core.document import Document, Paragraph, Row, Table
from pipeline.core.errors import EmptyFiling, UndecodableFiling
from pipeline.core.normalize import clean_cell, strip_ruby
from pipeline.core.taxonomy import lookup

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Return ``(text, encoding)`` for the bytes of a text filing.

    Order: BOMs, strict UTF-8, BOM-less UTF-16 (NUL bytes on one side), strict GB18030
    (a superset of GBK and GB2312), and only then charset-normalizer's guess — it called a
    GB18030 line cp949, so it must not go first. Binary junk raises
    :class:`UndecodableFiling`.
    """
    if not data.strip():
        raise EmptyFiling(path, "ingest", "the file is empty; nothing to read (expected a filing's text)")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return _check(data.decode(enc, errors="replace"), enc, path), enc
    try:
        return _check(data.decode("utf-8"), "utf-8", path), "utf-8"
    except UnicodeDecodeError:
        pass
    head = data[:4000]
    if len(head) >= 4 and head.count(0) > len(head) // 4:
        even_nuls = head[0::2].count(0)
        odd_nuls = head[1::2].count(0)
        enc = "utf-16-le" if odd_nuls > even_nuls else "utf-16-be"
        try:
            return _check(data.decode(enc), enc, path), enc
        except UnicodeDecodeError:
            pass
    try:
        return _check(data.decode("gb18030"), "gb18030", path), "gb18030"
    except UnicodeDecodeError:
        pass

    # lazy on purpose: only the rare file that is neither UTF-8 nor GB18030 needs guessing
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding:
        return _check(str(best), best.encoding, path), best.encoding
    raise UndecodableFiling(path, "ingest", "the bytes are not text in UTF-8, UTF-16 or GB18030 "
                            "(is it a binary file named .txt?); convert it to UTF-8 or pass the original .docx/.xlsx/.pdf")


def _check(text: str, enc: str, path: str) -> str:
    """Reject decoded text that is mostly control characters (binary junk)."""
    sample = text[:20000]
    if not sample:
        return text
    bad = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n\f")
    if bad > max(8, len(sample) // 50):
        raise UndecodableFiling(path, "ingest", f"decoded as {enc} but {bad} of the first {len(sample)} "
                                "characters are control characters: this looks like a binary file, not text")
    return text


@functools.cache
def _traditional_chars() -> frozenset[str]:
    """Characters that OpenCC's t2s table changes (to detect traditional text cheaply).

    Read from pipeline/resources/t2s_chars.txt: probing OpenCC over the CJK block costs
    ~0.12 s of every cold start. tests/test_ingest_text.py checks the file against
    :func:`probe_traditional_chars` with the installed OpenCC.
    """

    try:
        text = files("pipeline.resources").joinpath("t2s_chars.txt").read_text(encoding="utf-8")
        return frozenset("".join(ln for ln in text.splitlines() if not ln.startswith("#")))
    except OSError:   # pragma: no cover - a broken install: probe instead
        return probe_traditional_chars()


def probe_traditional_chars() -> frozenset[str]:
    """The CJK characters (U+4E00..U+9FA5) that OpenCC t2s converts, probed once."""
    from opencc import OpenCC

    block = "".join(chr(c) for c in range(0x4E00, 0x9FA6))
    conv = OpenCC("t2s").convert(block)
    return frozenset(a for a, b in zip(block, conv) if a != b)


def to_simplified(text: str) -> tuple[str, bool]:
    """Convert traditional characters to simplified with OpenCC (t2s) when there are any."""
    if not (set(text) & _traditional_chars()):
        return text, False
    from opencc import OpenCC

    return OpenCC("t2s").convert(text), True


def read_text(data: bytes, path: str, fmt: str = "txt") -> Document:
    """Decode, convert to simplified, detect the layout and build the Document."""
    text, enc = decode(data, path)
    original = text
    text, converted = to_simplified(text)
    ruby = strip_ruby(text)
    # 数(shù)量指标(biāo): a page's pinyin annotations would split category words and names
    had_ruby, text = ruby is not text, ruby
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = _join_separator_pipes(_join_leading_pipes(text.split("\n")))
    layout = detect_layout(lines, fmt)
    builder = {
        "tab": _grid_tables,
        "cells": _cell_tables,
        "pipe": _pipe_tables,
        "plain": _plain_tables,
    }[layout]
    tables, paragraphs, layout = builder(lines, layout)
    meta = {"format": fmt, "layout": layout, "encoding": enc}
    if converted:
        meta["converted"] = "t2s"
    if had_ruby:
        meta["ruby"] = "stripped"
    if converted or had_ruby:
        meta["original_text"] = original
    return Document(path=path, tables=tables, paragraphs=paragraphs, meta=meta, text=text)


_LEADING_PIPE = re.compile(r"^\s*\|")
_CELL_AFTER_PIPE = re.compile(r"^\s+\|\s*[^|\s][^|]*$")
_INDENTED = re.compile(r"^\s{4,}\S")


def _join_leading_pipes(lines: list[str]) -> list[str]:
    """Rows broken over lines with the pipes in front::

        项目决策
                | 数量指标
                | 宣传次数
                | ||

    become ``项目决策 | 数量指标 | 宣传次数 |`` on the row's first line (the lines it took are left
    empty, so line numbers stay those of the source). An indented line without a pipe
    continues the cell above (``社会效益`` / ``指标``); a line of bare pipes, or a pipe with
    nothing after it, ends the row. Texts where the pipes end the lines are returned as they are.
    """
    pipe = [ln for ln in lines if "|" in ln]
    # an indented pipe, then one cell and no pipe after it; tables whose rows start with
    # "| |" for empty cells or whose cells end with pipes are left alone
    leading = sum(1 for ln in pipe if _CELL_AFTER_PIPE.match(ln))
    if leading < 5 or leading < 0.4 * len(pipe):
        return lines
    out = list(lines)
    row: list[str] = []
    start = -1

    def flush():
        nonlocal row, start
        if len(row) >= 2:       # a line with no pipe after it is prose, left as it is
            out[start] = " | ".join(row) + " |"
        elif row:
            out[start] = lines[start]
        row, start = [], -1

    for i, ln in enumerate(lines):
        if not ln.strip():
            continue
        if _LEADING_PIPE.match(ln):
            body = ln.strip()[1:]
            text = body.split("|", 1)[0].strip()
            if row:
                out[i] = ""
                if text:
                    row.append(text)
                if not text or "|" in body:
                    flush()
            continue
        if _INDENTED.match(ln) and row:
            row[-1] += ln.strip()                  # 社会效益 / 指标: a cell broken over lines
            out[i] = ""
            continue
        if row and len(row) == 1:
            out[start + 1:i] = lines[start + 1:i]  # (a prose line: give back what it took)
        flush()
        row, start = [ln.strip()], i
    flush()
    return out


def _join_separator_pipes(lines: list[str]) -> list[str]:
    """Cells on their own lines with a lone pipe between them::

        三级指标
        |
        指标值
        |

    become one cell a line, ``三级指标 |``, the layout the cell reader knows. A second lone
    pipe in a row is an empty cell and stays. Texts with pipes inside their lines are returned
    as they are.
    """
    filled = [ln.strip() for ln in lines if ln.strip()]
    lone = sum(1 for ln in filled if ln == "|")
    inline = sum(1 for ln in filled if "|" in ln and ln != "|")
    if lone < 10 or lone < 0.35 * len(filled) or inline > 0.1 * lone:
        return lines
    out = list(lines)
    after_cell = False
    for i, ln in enumerate(lines):
        t = ln.strip()
        if not t:
            continue
        if t == "|":
            out[i] = "" if after_cell else "|"
            after_cell = False
        else:
            out[i] = t + " |"
            after_cell = True
    return out


def detect_layout(lines: list[str], fmt: str = "txt") -> str:
    """Pick the layout from how cells are separated (see the module docstring)."""
    tab_lines = [ln for ln in lines if "\t" in ln]
    if fmt == "tsv" or len(tab_lines) >= 3:
        single = sum(1 for ln in tab_lines if ln.startswith("\t") and ln.count("\t") == 1)
        return "cells" if single >= 0.6 * len(tab_lines) and fmt != "tsv" else "tab"
    pipe_lines = [ln for ln in lines if "|" in ln]
    if len(pipe_lines) >= 3:
        return "pipe"
    return "plain"


def _split_blocks(rows_and_paras: list[tuple[str, object]]) -> tuple[list[list[Row]], list[Paragraph]]:
    blocks: list[list[Row]] = [[]]
    paragraphs: list[Paragraph] = []
    for kind, item in rows_and_paras:
        if kind == "row":
            blocks[-1].append(item)  # type: ignore[arg-type]
        else:
            paragraphs.append(item)  # type: ignore[arg-type]
            if blocks[-1]:
                blocks.append([])
    return [b for b in blocks if b], paragraphs


def _tables(blocks: list[list[Row]], stream: bool = False) -> list[Table]:
    return [Table(index=i, rows=b, stream=stream) for i, b in enumerate(blocks)]


def _grid_tables(lines: list[str], layout: str):
    items: list[tuple[str, object]] = []
    for no, ln in enumerate(lines, 1):
        if "\t" in ln:
            items.append(("row", Row([clean_cell(c) for c in ln.split("\t")], no, ln)))
        elif ln.strip():
            items.append(("para", Paragraph(ln.strip(), no)))
    blocks, paras = _split_blocks(items)
    return _tables(blocks), paras, layout


def _cell_tables(lines: list[str], layout: str):
    """One cell per line; rebuild rows from blank-line separators and the column count."""
    items: list[tuple[str, object]] = []
    cur: list[str] = []
    raw: list[str] = []
    start = 0
    prev_blank = True

    def flush():
        nonlocal cur, raw
        if cur:
            items.append(("row", Row([clean_cell(c) for c in cur], start, "\n".join(raw))))
        cur, raw = [], []

    for no, ln in enumerate(lines, 1):
        if ln.startswith("\t"):
            if not cur:
                start = no
            cur.extend(ln[1:].split("\t"))
            raw.append(ln)
            prev_blank = False
        elif not ln.strip():
            flush()
            prev_blank = True
        elif cur and not prev_blank:
            cur[-1] = cur[-1] + "\n" + ln
            raw.append(ln)
        else:
            flush()
            items.append(("para", Paragraph(ln.strip(), no)))
            prev_blank = False
    flush()
    blocks, paras = _split_blocks(items)
    return _tables([_mend_split_rows(b) for b in blocks]), paras, layout


def _mend_split_rows(rows: list[Row]) -> list[Row]:
    """Join a row cut in two by a stray blank line, when the widths add up to the usual one.

    ``| | 残疾人居家托养服务`` + blank + ``| 44 | 关于印发…`` is one 5-cell row.
    """
    if len(rows) < 3:
        return rows
    widths = Counter(len(r.cells) for r in rows)
    out: list[Row] = []
    i = 0
    while i < len(rows):
        r = rows[i]
        if i + 1 < len(rows):
            nxt = rows[i + 1]
            w = len(r.cells) + len(nxt.cells)
            around = {len(rows[k].cells) for k in (i - 1, i + 2) if 0 <= k < len(rows)}
            if (len(r.cells) < w and w in around and widths[len(r.cells)] <= 2 and r.cells[-1]
                    and len(nxt.cells) < w):
                out.append(Row(r.cells + nxt.cells, r.line, r.raw + "\n" + nxt.raw))
                i += 2
                continue
        out.append(r)
        i += 1
    return out


def _one_cell_pipe(ln: str) -> bool:
    return "|" in ln and sum(1 for c in ln.split("|") if c.strip()) <= 1


def _lost_pipe(lines: list[str], i: int) -> bool:
    """A line without its pipe between one-cell pipe lines is a cell whose pipe was lost, not
    prose (a last cell ``经济效益`` or ``>=9`` where the text is cut off)."""
    prev = next((ln for ln in reversed(lines[max(0, i - 3):i]) if ln.strip()), "")
    nxt = next((ln for ln in lines[i + 1:i + 4] if ln.strip()), "")
    if not _one_cell_pipe(prev) or len(lines[i].strip()) > 60:
        return False
    if _one_cell_pipe(nxt):
        return True
    if any(ln.strip() for ln in lines[i + 1:]):
        return False
    # the last line of a text cut off inside the table: kept when it is a value or a category
    # (``>=9``, ``经济效益``); a name cut in half (``社会``) stays outside

    c = cell(lines[i].strip())
    return c.value or c.cat.is_category


def _pipe_tables(lines: list[str], layout: str):
    items: list[tuple[str, object]] = []
    for no, ln in enumerate(lines, 1):
        if "|" in ln and not ln.lstrip().startswith(("SOURCE:", "http")):
            cells = [clean_cell(c) for c in ln.split("|")]
            while cells and not cells[-1]:
                cells.pop()
            items.append(("row", Row(cells, no, ln)))
        elif ln.strip() and _lost_pipe(lines, no - 1):
            items.append(("row", Row([clean_cell(ln)], no, ln)))
        elif ln.strip():
            items.append(("para", Paragraph(ln.strip(), no)))
    blocks, paras = _split_blocks(items)
    tables = []
    for i, b in enumerate(blocks):
        single = sum(1 for r in b if len(r.cells) <= 1)
        tables.append(Table(index=i, rows=b, stream=single >= 0.7 * len(b) and len(b) >= 6))
    if tables and all(t.stream for t in tables):
        layout = "pipe-stream"
    if tables and tables[-1].rows:
        last = tables[-1].rows[-1]
        later = [ln for ln in lines[last.line:] if ln.strip() and not ln.startswith("[")]
        # cut off: the last line is no complete row, or (one cell a line) the text stops on
        # category labels that have no indicator after them (… 时效指标 |; … 效益指标 |
        # 经济效益, the last cell without its pipe)
        # (a "[excerpt ends here]" right after the table says so in words)
        marked = not later and any(_CUT.match(ln.strip()) for ln in lines[last.line:])
        open_cell = not later and not last.raw.rstrip().endswith("|")   # the last line lost its pipe
        if tables[-1].stream and _is_category_label(last.cells):
            tables[-1].truncated = all(_is_category_label([ln.strip(" |")]) for ln in later)
        else:
            tables[-1].truncated = marked or open_cell
        tables[-1].cut_cell = tables[-1].truncated and open_cell
    return tables, paras, layout


def _is_category_label(cells: list[str]) -> bool:
    filled = [c for c in cells if c.strip()]
    return len(filled) == 1 and lookup(filled[0]).is_category


_CUT = re.compile(r"^\[(?:text cut off|excerpt ends|[^\]]*(?:cut off|truncated|截断))", re.I)


def _plain_tables(lines: list[str], layout: str):
    """Running text: every line becomes a row of space-separated tokens, marked stream."""
    rows = []
    paras = []
    cut = False
    pending = ""
    for no, ln in enumerate(lines, 1):
        if not ln.strip():
            continue
        if _CUT.match(ln.strip()):
            cut = True
            paras.append(Paragraph(ln.strip(), no))
            continue
        paras.append(Paragraph(ln.strip(), no))
        toks = [clean_cell(t) for t in ln.split()]
        if len(ln.strip()) == 1 and not ln.strip().isdigit():
            # a category written vertically, one character a line (产/出/指/标 数量指标 …)
            pending += ln.strip()
            continue
        if pending:
            toks[0] = pending + toks[0]
            pending = ""
        if toks and toks[0] == "指标" and rows and rows[-1].cells:
            # "项目完成" / "指标" — a category cell broken over two lines
            rows[-1].cells[-1] += "指标"
            rows[-1].raw += "指标"
            toks = toks[1:]
            if not toks:
                continue
            ln = " ".join(toks)
        rows.append(Row([t for t in toks if t], no, ln))
    # a text that ends inside its table (no sign-off after the last row) was cut off
    ends_in_table = bool(rows) and rows[-1].line == max((p.line for p in paras if not _CUT.match(p.text)), default=0)
    return ([Table(index=0, rows=rows, stream=True, truncated=cut or ends_in_table)] if rows else []), paras, layout
