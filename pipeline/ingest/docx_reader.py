"""Word documents (.docx) into a :class:`~pipeline.core.document.Document`.

python-docx opens the package (its lxml parser does not resolve entities); the body is
then walked in order so that paragraphs and tables keep their sequence:

* ``w:p`` → a paragraph (runs, tabs and breaks; deleted text of tracked changes and field
  codes are left out, and so is the fallback copy of ``mc:AlternateContent``);
* ``w:tbl`` → a table on its column grid: ``w:gridBefore`` skips leading grid
  columns, ``w:gridSpan`` spans columns, ``w:vMerge`` (restart/continue) spans rows; the
  merged text is repeated into every covered cell (see :mod:`pipeline.ingest.grid`);
* a table nested in a cell becomes a table of its own, listed right after the table that
  holds it (the outer cell keeps only its own text);
* content controls (``w:sdt``) and ``w:customXml`` wrappers are looked through.
"""

from __future__ import annotations

import io

from pipeline.core.document import Document
from pipeline.ingest.grid import Builder, Grid

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_WRAPPERS = {W + "sdt", W + "customXml", W + "smartTag", W + "ins"}
MAX_SPAN = 1000      # a gridSpan larger than any real table (guards the grid size)


def read_docx(data: bytes, path: str) -> Document:
    import docx

    doc = docx.Document(io.BytesIO(data))
    b = Builder(path, "docx")
    _walk_blocks(doc.element.body, b)
    return b.build()


def _walk_blocks(parent, b: Builder) -> None:
    for el in parent.iterchildren():
        tag = el.tag
        if tag == W + "p":
            b.para(_text(el))
        elif tag == W + "tbl":
            todo = [el]
            while todo:
                nested: list = []
                b.grid(_table_grid(todo.pop(0), nested))
                todo[:0] = nested
        elif tag in _WRAPPERS:
            inner = el.find(W + "sdtContent") if tag == W + "sdt" else el
            if inner is not None:
                _walk_blocks(inner, b)


def _text(el) -> str:
    """The visible text of a paragraph (or of all paragraphs under ``el``), tables excluded."""
    out: list[str] = []
    _collect(el, out)
    return "".join(out)


def _collect(el, out: list[str]) -> None:
    for ch in el.iterchildren():
        tag = ch.tag
        if not isinstance(tag, str):
            continue
        if tag == W + "t":
            out.append(ch.text or "")
        elif tag == W + "tab":
            out.append("\t")
        elif tag in (W + "br", W + "cr"):
            out.append("\n")
        elif tag == W + "p":
            if out and not out[-1].endswith("\n"):
                out.append("\n")
            _collect(ch, out)
            out.append("\n")
        elif tag in (W + "tbl", W + "delText", W + "instrText", W + "del", MC + "Fallback", W + "rPr", W + "pPr"):
            continue
        else:
            _collect(ch, out)


def _val(el, name: str) -> str | None:
    if el is None:
        return None
    x = el.find(W + name)
    if x is None:
        return None
    return x.get(W + "val", "")


def _int(v: str | None, default: int) -> int:
    try:
        return max(0, min(int(v), MAX_SPAN)) if v not in (None, "") else default
    except ValueError:
        return default


def _children_tagged(el, tag: str):
    """The children of ``el`` with ``tag``, looking through the wrappers of _WRAPPERS
    (content controls, custom XML, smart tags, tracked insertions)."""
    for ch in el.iterchildren():
        if ch.tag == tag:
            yield ch
        elif ch.tag in _WRAPPERS:
            inner = ch.find(W + "sdtContent") if ch.tag == W + "sdt" else ch
            if inner is not None:
                yield from _children_tagged(inner, tag)


def _cells_of(tr):
    return _children_tagged(tr, W + "tc")


def _rows_of(tbl):
    return _children_tagged(tbl, W + "tr")


def _table_grid(tbl, nested: list) -> Grid:
    """The table's cells on its grid, with horizontal and vertical merges recorded."""
    g = Grid()
    open_v: dict[int, tuple[int, int, int]] = {}   # first grid column -> (start row, c0, c1)
    r = -1
    for tr in _rows_of(tbl):
        r += 1
        g.n_rows = max(g.n_rows, r + 1)
        c = _int(_val(tr.find(W + "trPr"), "gridBefore"), 0)
        continued: set[int] = set()
        for tc in _cells_of(tr):
            tcpr = tc.find(W + "tcPr")
            span = max(1, _int(_val(tcpr, "gridSpan"), 1))
            vm = _val(tcpr, "vMerge")
            nested.extend(t for t in tc.iter(W + "tbl") if _outermost_in(t, tc))
            if vm is not None and vm != "restart" and c in open_v:
                continued.add(c)          # covered by the cell above: its text is that cell's
                r0, c0, c1 = open_v[c]
                open_v[c] = (r0, c0, max(c1, c + span - 1))
            else:
                if c in open_v:
                    r0, c0, c1 = open_v.pop(c)
                    g.merge(r0, c0, r - 1, c1)
                g.put(r, c, _text(tc).strip("\n"))
                if span > 1:
                    g.merge(r, c, r, c + span - 1)
                if vm is not None:
                    open_v[c] = (r, c, c + span - 1)
                    continued.add(c)
            c += span
        g.n_cols = max(g.n_cols, c)
        for col in list(open_v):
            if col not in continued:
                r0, c0, c1 = open_v.pop(col)
                g.merge(r0, c0, r - 1, c1)
    for r0, c0, c1 in open_v.values():
        g.merge(r0, c0, r, c1)
    return g


def _outermost_in(inner, tc) -> bool:
    """True when ``inner`` (a table inside cell ``tc``) is not inside another nested table."""
    p = inner.getparent()
    while p is not None and p is not tc:
        if p.tag == W + "tbl":
            return False
        p = p.getparent()
    return True
