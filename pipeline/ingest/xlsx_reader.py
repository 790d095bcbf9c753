"""Workbooks (.xlsx/.xlsm with openpyxl, .xls with xlrd) into a :class:`~pipeline.core.document.Document`.

Every visible worksheet becomes a table (``Table.sheet`` is its name; ``Row.line`` the
1-based sheet row), blank rows left out, title rows right above the form kept as rows (the
extractor finds the header wherever it is). Runs of one-cell rows set off by blank rows
(titles, notes, 单位：万元) are paragraphs and end the table above them, like the text
lines between tables of a text export — unless the sheet puts a blank row after most of
its rows (a double-spaced export), where blank rows separate nothing. Merged ranges are expanded (see
:mod:`pipeline.ingest.grid`).

.xlsx is read in openpyxl's read-only mode with its worksheet parser driven directly, so
rows stream from the zip and nothing is built for cells the sheet does not have (the
``<dimension>`` of a sheet is not trusted: a hostile ``A1:XFD1048576`` would otherwise
make a million empty rows); the merged ranges are read at the end of the same pass.
Reading stops with :class:`~pipeline.core.errors.TooManyCells` once the filing passes
:func:`pipeline.ingest.safety.max_cells`.

Numbers are shown as a person sees them in Excel: the cell's number format is applied
when it is a simple one (``0.00`` → ``1.00``, ``#,##0.00`` → ``5,195.12``, ``0%`` →
``90%``, literal text like ``0"人"``), otherwise the shortest text without float noise
(``21.45`` stays ``21.45``, ``1.0`` is ``1``, ``0.1+0.2`` is ``0.3``). Dates follow their
format when it is a plain y/m/d pattern (``2023年12月31日``), else ISO ``2023-12-31``.

Longer than 400 lines because .xlsx (openpyxl) and .xls (xlrd) share the merged-cell
expansion and the number and date formatting.
"""

from __future__ import annotations

import datetime as dt
import io
import re

from pipeline.core.document import Document
from pipeline.core.errors import PasswordProtected
from pipeline.ingest import safety
from pipeline.ingest.grid import Builder, Grid


def read_xlsx(data: bytes, path: str) -> Document:
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.worksheet._reader import WorkSheetParser

    reader = _open_workbook(data)
    wb = reader.wb
    b = Builder(path, "xlsx", sheet_lines=True)
    styles = wb._cell_styles
    custom = wb._number_formats
    fmt_cache: dict[int, str] = {}

    def number_format(style_id: int) -> str:
        f = fmt_cache.get(style_id)
        if f is None:
            try:
                fid = styles[style_id].numFmtId
                f = BUILTIN_FORMATS.get(fid, "General") if fid < BUILTIN_FORMATS_MAX_SIZE else \
                    custom[fid - BUILTIN_FORMATS_MAX_SIZE]
            except (IndexError, KeyError, TypeError):
                f = "General"
            fmt_cache[style_id] = f
        return f

    seen = 0
    limit = safety.max_cells()
    try:
        for sheet, rel in reader.parser.find_sheets():
            if rel.target not in reader.valid_files or "chartsheet" in (rel.Type or ""):
                continue
            if (sheet.state or "visible") != "visible":
                continue    # hidden sheets: a reviewer does not see them
            title = sheet.name
            g = Grid()
            with reader.archive.open(rel.target) as src:
                parser = WorkSheetParser(src, reader.shared_strings, data_only=True, epoch=wb.epoch,
                                         date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
                for idx, row in parser.parse():
                    for c in row:
                        v = c["value"]
                        if v is None or v == "":
                            continue
                        seen += 1
                        if seen > limit:
                            safety.check_cells(path, seen, f"the sheets of the workbook (sheet {title!r})")
                        g.put(idx - 1, c["column"] - 1, show(v, number_format(c.get("style_id") or 0)))
                    if idx > 1_048_576:
                        break
                merged = getattr(parser, "merged_cells", None)
                for mc in (merged.mergeCell if merged is not None else []):
                    try:
                        c0, r0, c1, r1 = range_boundaries(mc.ref)
                    except (ValueError, TypeError):
                        continue
                    if None in (c0, r0, c1, r1):
                        continue
                    g.merge(r0 - 1, c0 - 1, min(r1, r0 + 100_000) - 1, min(c1, c0 + 1000) - 1)
            _add_sheet(b, g, title)
    finally:
        reader.archive.close()
    return b.build()


def _open_workbook(data: bytes):
    """openpyxl's ExcelReader up to the stylesheet, without building its worksheets.

    ``load_workbook(read_only=True)`` makes a ReadOnlyWorksheet per sheet, whose constructor
    looks for ``<dimension>`` — and when a sheet has none, parses the whole sheet to find
    out (a hostile or machine-written sheet then costs two full parses). The sheets are
    parsed here once, by :class:`WorkSheetParser`, instead.
    """
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    reader = ExcelReader(io.BytesIO(data), read_only=True, keep_vba=False, data_only=True, keep_links=False)
    reader.read_manifest()
    reader.read_strings()
    reader.read_workbook()
    reader.read_theme()
    apply_stylesheet(reader.archive, reader.wb)
    return reader


def _add_sheet(b: Builder, g: Grid, title: str) -> None:
    """Add a sheet's rows that hold anything, keeping their sheet row numbers."""
    if not g.cells:
        return
    used = sorted({r for r, _ in g.cells})
    # merged areas whose first cell holds text also fill the rows they cover
    cover = {r for r0, c0, r1, c1 in g.spans if (r0, c0) in g.cells for r in range(r0, r1 + 1)}
    rows_used = sorted(set(used) | cover)
    index = {r: k for k, r in enumerate(rows_used)}
    cols = sorted({c for _, c in g.cells})
    c_min = cols[0]
    dense = Grid()
    spans = [(r0, c0, r1, c1) for r0, c0, r1, c1 in g.spans if (r0, c0) in g.cells]
    dense.n_cols = max([c for _, c in g.cells] + [c1 for *_, c1 in spans]) - c_min + 1
    dense.n_rows = len(rows_used)
    for (r, c), t in g.cells.items():
        dense.cells[(index[r], c - c_min)] = t
    for r0, c0, r1, c1 in spans:
        rs = [index[r] for r in range(r0, r1 + 1) if r in index]
        if rs and c1 >= c_min:
            dense.spans.append((rs[0], max(c0 - c_min, 0), rs[-1], min(c1 - c_min, dense.n_cols - 1)))
    grid = dense.rows(b.path, b.budget)
    # blocks of adjacent rows; a block of one-cell rows (titles, notes, 单位：万元 …) set off
    # by blank rows is text, not a table: it becomes paragraphs and ends the table above
    blocks: list[list[int]] = []
    filled = [k for k in range(len(rows_used)) if any(grid[k])]
    # a sheet with a blank row after most rows (double-spaced export) has no blocks
    gaps = sum(1 for a, b2 in zip(filled, filled[1:]) if rows_used[b2] - rows_used[a] > 1)
    spaced = gaps > 0.5 * len(filled)
    last = -2               # the last row of the current block, rows covered by its merges included
    for k, r in enumerate(rows_used):
        if not any(grid[k]):
            if blocks and last == k - 1 and r == rows_used[k - 1] + 1:
                last = k    # covered only by a merged cell of the block: the block goes on
            continue        # (the merged header cell's text is not repeated)
        if blocks and (spaced or (k > 0 and r == rows_used[k - 1] + 1 and last == k - 1)):
            blocks[-1].append(k)
        else:
            blocks.append([k])
        last = k
    if spaced and blocks:
        # one block; its leading and trailing one-cell rows are still titles and notes
        one = [len({t for t in grid[k] if t}) <= 1 for k in blocks[0]]
        a = next((i for i, o in enumerate(one) if not o), len(one))
        z = len(one) - next((i for i, o in enumerate(reversed(one)) if not o), len(one))
        blk = blocks[0]
        blocks = [[k] for k in blk[:a]] + ([blk[a:z]] if a < z else []) + [[k] for k in blk[z:]]
    pending: list[int] = []
    for blk in blocks:
        if all(len({t for t in grid[k] if t}) <= 1 for k in blk):
            if pending:
                b.table([grid[k] for k in pending], sheet=title, row_numbers=[rows_used[k] + 1 for k in pending])
                pending = []
            for k in blk:
                b.para(next(t for t in grid[k] if t))
        else:
            pending.extend(blk)
    if pending:
        b.table([grid[k] for k in pending], sheet=title, row_numbers=[rows_used[k] + 1 for k in pending])


def read_xls(data: bytes, path: str) -> Document:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True,
                                  logfile=io.StringIO())
    except xlrd.biffh.XLRDError as exc:
        msg = str(exc)
        if "encrypt" in msg.lower():
            raise PasswordProtected(path, "ingest", "the workbook is password-protected; open it with the password, "
                                    "save an unprotected copy and pass that") from exc
        raise
    b = Builder(path, "xls", sheet_lines=True)
    seen = 0
    for k in range(book.nsheets):
        sh = book.sheet_by_index(k)
        if getattr(sh, "visibility", 0) != 0:
            book.unload_sheet(k)
            continue
        seen += sh.nrows * sh.ncols
        safety.check_cells(path, seen, f"the sheets of the workbook (sheet {sh.name!r})")
        g = Grid()
        for r in range(sh.nrows):
            for c, cell in enumerate(sh.row(r)):
                text = _xls_text(book, sh, r, c, cell)
                if text:
                    g.put(r, c, text)
        for rlo, rhi, clo, chi in sh.merged_cells:
            g.merge(rlo, clo, rhi - 1, chi - 1)
        _add_sheet(b, g, sh.name)
        book.unload_sheet(k)
    book.release_resources()
    return b.build()


def _xls_text(book, sh, r: int, c: int, cell) -> str:
    import xlrd

    t = cell.ctype
    if t in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if t == xlrd.XL_CELL_TEXT:
        return cell.value
    if t == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if cell.value else "FALSE"
    if t == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERR")
    fmt = "General"
    try:
        fmt = book.format_map[book.xf_list[sh.cell_xf_index(r, c)].format_key].format_str
    except (IndexError, KeyError, AttributeError):
        pass
    if t == xlrd.XL_CELL_DATE:
        try:
            return show(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode), fmt)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return show(cell.value, "General")
    return show(cell.value, fmt)


# ---------------------------------------------------------------------------- display


def show(v, fmt: str = "General") -> str:
    """A cell value as Excel shows it under number format ``fmt`` (see the module docstring)."""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, (dt.datetime, dt.date, dt.time)):
        return _show_date(v, fmt)
    if isinstance(v, dt.timedelta):
        return str(v)
    if isinstance(v, (int, float)):
        try:
            return _show_number(float(v) if isinstance(v, float) else v, fmt)
        except (ValueError, OverflowError):
            return general(v)
    return str(v)


def general(v) -> str:
    """Excel's General format without float noise: 1.0 → 1, 21.45 → 21.45, 0.1+0.2 → 0.3."""
    if isinstance(v, int):
        return str(v)
    if v != v or v in (float("inf"), float("-inf")):
        return str(v)
    if v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    s = f"{v:.15g}"
    return s if "e" not in s else repr(v)


_BRACKETS = re.compile(r"\[[^\]]*\]")
_QUOTED = re.compile(r'"([^"]*)"|\\(.)|_.|\*.')
_CORE = re.compile(r"[#0?,.]*[0#?][#0?,.]*")


def _sections(fmt: str) -> list[str]:
    """The ``;``-separated sections of a number format (positive; negative; zero; text),
    semicolons inside quoted literals kept."""
    parts, cur, q = [], [], False
    for ch in fmt:
        if ch == '"':
            q = not q
        if ch == ";" and not q:
            parts.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    parts.append("".join(cur))
    return parts


def _first_section(fmt: str) -> str:
    return _sections(fmt)[0]


def _show_number(v, fmt: str) -> str:
    if not fmt or fmt in ("General", "@", "general"):
        return general(v)
    sec = _BRACKETS.sub("", _first_section(fmt)) if isinstance(v, int) or v >= 0 else \
        _BRACKETS.sub("", _negative_section(fmt))
    if not sec.strip() or "E" in sec.upper().replace("GENERAL", ""):
        return general(v)
    literal_free = _QUOTED.sub(lambda m: "\x00" * len(m.group(0)), sec)
    m = _CORE.search(literal_free)
    if m is None:
        return general(v)
    if re.search(r"[ymdhs]", literal_free[: m.start()] + literal_free[m.end():], re.I):
        return general(v)   # a date format on a number that is no date
    core = m.group(0)
    if "/" in literal_free:
        return general(v)   # fractions: not simple
    x = abs(v) if isinstance(v, float) or isinstance(v, int) else v
    if "%" in literal_free:
        x = x * 100
    # trailing commas scale by 1000 (#,##0, → thousands)
    scale = len(core) - len(core.rstrip(","))
    core = core.rstrip(",")
    x = x / (1000 ** scale) if scale else x
    int_part, _, dec_part = core.partition(".")
    zeros = dec_part.count("0")
    optional = dec_part.count("#") + dec_part.count("?")
    s = f"{x:.{zeros + optional}f}"
    if optional:
        whole, _, frac = s.partition(".")
        frac = frac.rstrip("0")
        frac = frac + "0" * max(0, zeros - len(frac))
        s = whole + ("." + frac if frac else "")
    if "," in int_part:
        whole, dot, frac = s.partition(".")
        s = f"{int(whole):,}" + dot + frac
    need = int_part.count("0")
    whole, dot, frac = s.partition(".")
    if need == 0 and whole == "0" and (frac or dec_part):
        whole = ""
    elif len(whole) < need:
        whole = whole.zfill(need)
    s = whole + dot + frac
    negative = v < 0 and float(s.replace(",", "") or 0) != 0 and ";" not in fmt
    prefix = _literals(sec[: m.start()])
    suffix = _literals(sec[m.end():])
    return ("-" if negative else "") + prefix + s + suffix


def _negative_section(fmt: str) -> str:
    parts = _sections(fmt)
    return parts[1] if len(parts) > 1 else parts[0]


def _literals(text: str) -> str:
    out = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == '"':
            j = text.find('"', i + 1)
            j = len(text) if j < 0 else j
            out.append(text[i + 1: j])
            i = j + 1
            continue
        if ch == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        if ch in "_*" and i + 1 < len(text):
            out.append(" " if ch == "_" else "")
            i += 2
            continue
        if ch in "@":
            i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out).strip() if "".join(out).strip() in ("%",) else "".join(out)


_DATE_TOKENS = re.compile(r'"[^"]*"|\\.|yyyy|yy|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|am/pm|a/p|\.0+', re.I)


def _show_date(v, fmt: str) -> str:
    sec = _BRACKETS.sub("", _first_section(fmt or ""))
    if not re.search(r"[ymdhs]", sec, re.I):
        if isinstance(v, dt.datetime):
            return v.date().isoformat() if v.time() == dt.time(0) else v.isoformat(sep=" ")
        return v.isoformat()
    d = v if isinstance(v, (dt.datetime, dt.date)) else None
    t = v if isinstance(v, (dt.datetime, dt.time)) else None
    toks = list(_DATE_TOKENS.finditer(sec))
    out = []
    pos = 0
    for k, m in enumerate(toks):
        out.append(sec[pos: m.start()])
        tok = m.group(0)
        low = tok.lower()
        prev = next((x.group(0).lower() for x in reversed(toks[:k]) if x.group(0)[0] not in '"\\'), "")
        nxt = next((x.group(0).lower() for x in toks[k + 1:] if x.group(0)[0] not in '"\\'), "")
        if tok.startswith('"'):
            out.append(tok[1:-1])
        elif tok.startswith("\\"):
            out.append(tok[1:])
        elif low in ("yyyy", "yy") and d:
            out.append(f"{d.year:04d}" if low == "yyyy" else f"{d.year % 100:02d}")
        elif low in ("m", "mm") and (prev.startswith("h") or nxt.startswith("s")) and t:
            out.append(f"{t.minute:02d}" if low == "mm" else str(t.minute))
        elif low in ("m", "mm") and d:
            out.append(f"{d.month:02d}" if low == "mm" else str(d.month))
        elif low in ("d", "dd") and d:
            out.append(f"{d.day:02d}" if low == "dd" else str(d.day))
        elif low in ("h", "hh") and t:
            out.append(f"{t.hour:02d}" if low == "hh" else str(t.hour))
        elif low in ("s", "ss") and t:
            out.append(f"{t.second:02d}" if low == "ss" else str(t.second))
        else:
            return _show_date(v, "")
        pos = m.end()
    out.append(sec[pos:])
    return "".join(out).replace("\\", "")
