"""Web pages (.html/.htm, and HTML tables saved as .xls) into a :class:`~pipeline.core.document.Document`.

The bytes are decoded first (BOM, then the ``<meta charset>`` the page declares — gb2312
and gbk read as their superset gb18030 — then the text reader's detection), then parsed
by lxml's HTML parser with comments and processing instructions dropped and no network
access; the HTML parser does not expand entities declared in a DTD. ``script``, ``style``,
``noscript``, ``template`` and ``iframe`` are removed. Tables become grids with
``rowspan``/``colspan`` expanded (spans capped at HTML's own limits, 1000 columns and
65534 rows, and the whole grid by :func:`pipeline.ingest.safety.max_cells`); a table nested in
a cell becomes a table of its own, after the one that holds it. Text outside tables is
split into paragraphs at block elements and ``<br>``.
"""

from __future__ import annotations

import codecs
import re

from pipeline.core.document import Document
from pipeline.core.errors import (
    CorruptFiling,
    EmptyFiling,
    UndecodableFiling,
    UnsafeXml,
)
from pipeline.ingest import safety
from pipeline.ingest.grid import Builder, Grid
from pipeline.ingest.text_reader import decode

_DROP = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math", "select", "button")
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article", "header",
          "footer", "blockquote", "pre", "center", "form", "dl", "dt", "dd", "hr", "caption", "address", "main",
          "nav", "aside", "figure", "figcaption", "title", "body", "html", "tr", "td", "th", "fieldset", "legend"}
_META = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_ENTITY = re.compile(r"<!ENTITY", re.I)
PROLOG = 64 * 1024
MAX_COLSPAN = 1000
MAX_ROWSPAN = 65534


def decode_html(data: bytes, path: str) -> tuple[str, str]:
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc
    m = _META.search(data[:8192])
    if m:
        enc = m.group(1).decode("ascii", "ignore").lower()
        if enc in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "euc-cn"):
            enc = "gb18030"
        try:
            codecs.lookup(enc)
        except LookupError:
            enc = ""
        if enc:
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                pass   # the page lies about its charset: detect it instead

    try:
        return decode(data, path)
    except UndecodableFiling as exc:
        raise UndecodableFiling(path, "ingest", "expected a web page but the bytes are not text in UTF-8, UTF-16 "
                                "or GB18030, nor in the charset the page declares (a binary file named .html?); "
                                "save the page again from the browser") from exc


def read_html(data: bytes, path: str) -> Document:
    import lxml.html
    from lxml import etree

    text, enc = decode_html(data, path)
    text = _XML_DECL.sub("", text, count=1).replace("\x00", "")
    if _ENTITY.search(text[:PROLOG]):
        raise UnsafeXml(path, "ingest", "the page declares entities in a DTD (<!ENTITY …>), which web pages never "
                        "need (an entity-expansion attack?); refused: save the page again from the browser")
    if not text.strip():
        raise EmptyFiling(path, "ingest", "the page is empty (expected a web page with the filing's table)")
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, recover=True,
                                  default_doctype=False, huge_tree=False)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise CorruptFiling(path, "ingest", f"the page cannot be parsed as HTML ({exc}); save it again from the "
                            "browser (File → Save as → Web page, HTML only)") from exc
    for el in list(root.iter(*_DROP)):
        parent = el.getparent()
        if parent is not None:
            _drop_keep_tail(el)
    b = Builder(path, "html")
    title = root.find(".//title")
    if title is not None and (title.text or "").strip():
        b.para(title.text)
    head = root.find("head")
    if head is not None:
        _drop_keep_tail(head)
    items: list[tuple] = []
    _walk(root, items)
    _emit(items, b)
    return b.build({"encoding": enc})


def _drop_keep_tail(el) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    prev = el.getprevious()
    parent.remove(el)
    if tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


def _tag(el) -> str:
    t = el.tag
    return t.lower() if isinstance(t, str) else ""


def _walk(el, out: list[tuple]) -> None:
    """Flatten ``el`` into ("text", s), ("break",) and ("table", element) items."""
    tag = _tag(el)
    if not tag:
        return
    if tag == "table":
        out.append(("table", el))
        return
    if tag == "br":
        out.append(("break",))
        return
    block = tag in _BLOCK
    if block:
        out.append(("break",))
    if el.text:
        out.append(("text", el.text))
    for ch in el:
        _walk(ch, out)
        if ch.tail:
            out.append(("text", ch.tail))
    if block:
        out.append(("break",))


def _emit(items: list[tuple], b: Builder) -> None:
    buf: list[str] = []

    def flush():
        if buf:
            b.para("".join(buf))
            buf.clear()

    for it in items:
        if it[0] == "text":
            buf.append(it[1])
        elif it[0] == "break":
            flush()
        else:
            flush()
            todo = [it[1]]
            while todo:
                nested: list = []
                b.grid(_table_grid(todo.pop(0), nested, b))
                todo[:0] = nested
    flush()


def _cell_text(td, nested: list) -> str:
    items: list[tuple] = []
    if td.text:
        items.append(("text", td.text))
    for ch in td:
        _walk(ch, items)
        if ch.tail:
            items.append(("text", ch.tail))
    parts: list[str] = []
    for it in items:
        if it[0] == "text":
            parts.append(it[1].replace("\n", " "))
        elif it[0] == "break":
            if parts and not parts[-1].endswith("\n"):
                parts.append("\n")
        else:
            nested.append(it[1])
    return "".join(parts).strip()


def _rows(table):
    for ch in table:
        t = _tag(ch)
        if t == "tr":
            yield ch
        elif t in ("thead", "tbody", "tfoot"):
            for tr in ch:
                if _tag(tr) == "tr":
                    yield tr


def _span(v, limit: int) -> int:
    try:
        n = int(str(v).strip().rstrip(";") or 1)
    except ValueError:
        return 1
    return max(1, min(n, limit))


def _table_grid(table, nested: list, b: Builder) -> Grid:
    g = Grid()
    occupied: set[tuple[int, int]] = set()
    trs = list(_rows(table))
    covered = 0
    for r, tr in enumerate(trs):
        g.n_rows = max(g.n_rows, r + 1)
        c = 0
        for td in tr:
            if _tag(td) not in ("td", "th"):
                continue
            while (r, c) in occupied:
                c += 1
            cs = _span(td.get("colspan", 1), MAX_COLSPAN)
            rs = min(_span(td.get("rowspan", 1), MAX_ROWSPAN), len(trs) - r)
            covered += cs * rs
            safety.check_cells(b.path, b.budget[0] + covered, "the tables of the page")
            g.put(r, c, _cell_text(td, nested))
            if cs > 1 or rs > 1:
                g.merge(r, c, r + rs - 1, c + cs - 1)
                for rr in range(r + 1, r + rs):
                    for cc in range(c, c + cs):
                        occupied.add((rr, cc))
            c += cs
            g.n_cols = max(g.n_cols, c)
    return g
