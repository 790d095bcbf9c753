"""PDFs with a text layer into a :class:`~pipeline.core.document.Document` (pdfplumber).

* Ruled tables are found with pdfplumber's line strategy; a cell that covers several grid
  rows or columns (a merged cell) is expanded over them (see :mod:`pipeline.ingest.grid`),
  and text wrapped over lines inside a cell is joined by :func:`~pipeline.core.normalize.clean_cell`.
* A table that goes on at the top of the next page is joined to the table above it when
  nothing stands between them (no text after the table on the first page, none before it
  on the next), they have the same number of columns and the new part does not start with
  a header row of its own; a header repeated at the top of the new page (Word's "repeat
  header rows") is dropped from the joined table.
* Text outside the tables becomes paragraphs, in reading order (top to bottom) with the
  tables of the page; pages without tables are prose.
* Rows cut by a page break are left as two rows: the extractor joins such fragments.
* A PDF with pages but no text at all is a scan: :class:`~pipeline.core.errors.NoTextLayer`.
  A PDF that needs a password: :class:`~pipeline.core.errors.PasswordProtected`.
"""

from __future__ import annotations

import io

from pipeline.core.cells import header_of
from pipeline.core.document import Document, Row
from pipeline.core.errors import (
    EmptyFiling,
    FilingTooLarge,
    NoTextLayer,
    PasswordProtected,
)
from pipeline.core.normalize import clean_cell, key
from pipeline.ingest.grid import Builder, Grid

MAX_PAGES = 2000
EPS = 1.0


def read_pdf(data: bytes, path: str) -> Document:
    import pdfplumber
    from pdfminer.pdfdocument import (  # ships with pdfplumber
        PDFEncryptionError,
        PDFPasswordIncorrect,
    )

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise PasswordProtected(path, "ingest", "the PDF is password-protected; open it with the password and "
                                "print or save an unprotected copy, then pass that") from exc
    except Exception as exc:
        # pdfplumber wraps pdfminer's errors: PdfminerException(PDFPasswordIncorrect())
        inner = exc.args[0] if exc.args else None
        if isinstance(inner, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in str(exc).lower():
            raise PasswordProtected(path, "ingest", "the PDF is password-protected; save an unprotected copy "
                                    "and pass that") from exc
        raise
    b = Builder(path, "pdf")
    with pdf:
        n = len(pdf.pages)
        if n == 0:
            raise EmptyFiling(path, "ingest", "the PDF has no pages; export the filing again")
        if n > MAX_PAGES:
            raise FilingTooLarge(path, "ingest", f"the PDF has {n} pages, over the limit of {MAX_PAGES} "
                                 "(a performance filing has a few dozen); split it and try again")
        chars = 0
        open_table: list[list[str]] | None = None     # the table the last page ended with
        header: list[str] | None = None
        for page in pdf.pages:
            chars += len(page.chars)
            items = _page_items(page, b)
            for k, (kind, item) in enumerate(items):
                if kind == "para":
                    if open_table is not None:
                        b.table(open_table)
                        open_table, header = None, None
                    b.para(item)
                    continue
                rows = item
                if (k == 0 and open_table is not None and len(rows[0]) == len(open_table[0])):
                    first = [clean_cell(c) for c in rows[0]]
                    if header is not None and [key(c) for c in first] == [key(c) for c in header]:
                        rows = rows[1:]          # the header repeated on the new page
                        open_table.extend(rows)
                        continue
                    if not _is_header(first):
                        open_table.extend(rows)
                        continue
                if open_table is not None:
                    b.table(open_table)
                open_table = rows
                header = next(([clean_cell(c) for c in r] for r in rows if _is_header([clean_cell(c) for c in r])),
                              None)
            page.flush_cache()
            if getattr(page, "close", None):
                try:
                    page.close()
                except Exception:  # noqa: BLE001 - best effort to free memory
                    pass
        if open_table is not None:
            b.table(open_table)
        if chars == 0:
            raise NoTextLayer(path, "ingest", f"the PDF has {n} page(s) but no text layer (a scan or images of "
                              "text); run OCR on it first, or pass the filing as .docx/.xlsx/.txt")
    return b.build()


def _is_header(cells: list[str]) -> bool:
    return header_of(Row(cells, 0)) is not None


def _page_items(page, b: Builder) -> list[tuple[str, object]]:
    """Tables (as expanded grids) and text lines of one page, top to bottom."""
    found = page.find_tables()
    placed: list[tuple[float, str, object]] = []
    boxes = []
    for t in found:
        grid = _grid(t, b)
        if grid:
            placed.append((t.bbox[1], "table", grid))
            boxes.append(t.bbox)

    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx = (obj["x0"] + obj["x1"]) / 2
        cy = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 - EPS <= cx <= x1 + EPS and top - EPS <= cy <= bottom + EPS for x0, top, x1, bottom in boxes)

    rest = page.filter(outside) if boxes else page
    for ln in rest.extract_text_lines(return_chars=False):
        text = ln.get("text", "")
        if text.strip():
            placed.append((ln["top"], "para", text))
    placed.sort(key=lambda x: x[0])
    return [(k, v) for _, k, v in placed]


def _grid(table, b: Builder) -> list[list[str]]:
    """The table's cells with merged cells spread over the grid rows and columns they cover."""
    texts = table.extract()
    rows = table.rows
    if not rows:
        return []
    xs = sorted({round(c[0], 1) for c in table.cells})
    tops = [round(r.bbox[1], 1) for r in rows]
    g = Grid()
    g.n_rows = len(rows)
    g.n_cols = max(len(r.cells) for r in rows)
    for r, row in enumerate(rows):
        for c, box in enumerate(row.cells):
            if box is None:
                continue
            text = texts[r][c] if r < len(texts) and c < len(texts[r]) else None
            g.put(r, c, text or "")
            x0, top, x1, bottom = box
            c_end = c + sum(1 for x in xs if x0 + EPS < x < x1 - EPS)
            r_end = r + sum(1 for t in tops if top + EPS < t < bottom - EPS)
            if c_end > c or r_end > r:
                g.merge(r, c, min(r_end, g.n_rows - 1), min(c_end, g.n_cols - 1))
    return g.rows(b.path, b.budget)
