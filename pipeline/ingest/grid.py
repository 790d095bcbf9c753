"""The grid builder shared by the binary readers (docx, xlsx/xls, pdf, html).

Every binary reader (dispatched by :mod:`pipeline.ingest.binary`) builds its Document with
:class:`Builder` and :class:`Grid`, so each returns the same
:class:`~pipeline.core.document.Document` as the text reader:

* tables as rectangular cell grids, merged cells expanded (the merged text repeated into
  every cell it covers, as a reviewer sees it) — except header words (一级指标, 指标值 …):
  a merged header cell keeps its text in its first cell only, because the extractor reads
  a header group from its first cell and a repeated 一级指标 in the row below would be
  taken for a second header;
* cells cleaned with :func:`pipeline.core.normalize.clean_cell`, traditional characters
  converted to simplified like the text reader does (``meta['converted'] = 't2s'``);
* text outside tables as paragraphs, in document order;
* ``Row.line`` is the row's line in ``Document.text`` (docx, pdf, html) or its 1-based
  row number in the sheet (xlsx, xls; ``Table.sheet`` names the sheet);
* ``meta``: ``format`` (docx/xlsx/xls/pdf/html), ``layout`` (``grid``), ``encoding``
  (html only) and ``converted``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.core.cells import header_role
from pipeline.core.document import Document, Paragraph, Row, Table
from pipeline.core.normalize import clean_cell
from pipeline.ingest import safety
from pipeline.ingest.text_reader import to_simplified

# ---------------------------------------------------------------------------- grids


@dataclass(slots=True)
class Grid:
    """A table being built: cell texts by position plus the merged areas, expanded at the end."""
    cells: dict[tuple[int, int], str] = field(default_factory=dict)
    spans: list[tuple[int, int, int, int]] = field(default_factory=list)   # r0, c0, r1, c1 (inclusive)
    n_rows: int = 0
    n_cols: int = 0

    def put(self, r: int, c: int, text: str) -> None:
        if text:
            self.cells[(r, c)] = text
        self.n_rows = max(self.n_rows, r + 1)
        self.n_cols = max(self.n_cols, c + 1)

    def merge(self, r0: int, c0: int, r1: int, c1: int) -> None:
        if r1 > r0 or c1 > c0:
            self.spans.append((r0, c0, r1, c1))
        self.n_rows = max(self.n_rows, r1 + 1)
        self.n_cols = max(self.n_cols, c1 + 1)

    def rows(self, path: str, budget: list[int]) -> list[list[str]]:
        """The rectangular grid with merged areas expanded (see the module docstring)."""
        budget[0] += self.n_rows * self.n_cols
        safety.check_cells(path, budget[0])
        out = [[""] * self.n_cols for _ in range(self.n_rows)]
        for (r, c), t in self.cells.items():
            out[r][c] = t
        for r0, c0, r1, c1 in self.spans:
            text = out[r0][c0]
            if not text or is_header_word(text):
                continue
            for r in range(r0, min(r1, self.n_rows - 1) + 1):
                row = out[r]
                for c in range(c0, min(c1, self.n_cols - 1) + 1):
                    if not row[c]:
                        row[c] = text
        return out


def is_header_word(text: str) -> bool:
    return bool(header_role(clean_cell(text)))


class Builder:
    """Collects tables and paragraphs in document order and makes the Document.

    ``line`` numbers are positions in ``Document.text``: one line per paragraph and per
    table row (cells joined by tabs), so a reviewer can find every row in the text.
    """

    def __init__(self, path: str, fmt: str, sheet_lines: bool = False):
        self.path = path
        self.fmt = fmt
        self.items: list[tuple[str, object]] = []   # ("para", str) | ("table", (rows, sheet, first_row))
        self.sheet_lines = sheet_lines
        self.budget = [0]

    def para(self, text: str) -> None:
        for ln in text.replace("\r", "\n").split("\n"):
            t = clean_cell(ln)
            if t:
                self.items.append(("para", t))

    def table(self, rows: list[list[str]], sheet: str = "", row_numbers: list[int] | None = None) -> None:
        rows = [r for r in rows]
        if not rows:
            return
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        # drop columns that are blank in every row (layout spacers of Word/Excel exports)
        keep = [c for c in range(width) if any(r[c] for r in rows)]
        if not keep:
            return
        rows = [[r[c] for c in keep] for r in rows]
        self.items.append(("table", (rows, sheet, row_numbers)))

    def grid(self, g: Grid, sheet: str = "", row_numbers: list[int] | None = None) -> None:
        """Add a table from a :class:`Grid` (merged areas expanded, size checked)."""
        self.table(g.rows(self.path, self.budget), sheet, row_numbers)

    def build(self, meta: dict[str, str] | None = None) -> Document:
        texts: list[str] = []
        for kind, item in self.items:
            if kind == "para":
                texts.append(item)  # type: ignore[arg-type]
            else:
                texts.extend(c for r in item[0] for c in r if c)  # type: ignore[index]
        _, has_trad = to_simplified("".join(texts)[:2_000_000]) if texts else ("", False)
        conv = _converter() if has_trad else None

        tables: list[Table] = []
        paragraphs: list[Paragraph] = []
        lines: list[str] = []
        for kind, item in self.items:
            if kind == "para":
                text = conv(item) if conv else item  # type: ignore[arg-type]
                lines.append(text)
                paragraphs.append(Paragraph(text, len(lines)))
                continue
            rows, sheet, numbers = item  # type: ignore[misc]
            out_rows = []
            for k, raw in enumerate(rows):
                cells = [clean_cell(conv(c) if conv and c else c) for c in raw]
                lines.append("\t".join(cells))
                line = numbers[k] if self.sheet_lines and numbers else len(lines)
                out_rows.append(Row(cells, line, "\t".join(raw)))
            tables.append(Table(index=len(tables), rows=out_rows, sheet=sheet))
        m = {"format": self.fmt, "layout": "grid"}
        m.update(meta or {})
        if conv:
            m["converted"] = "t2s"
        return Document(path=self.path, tables=tables, paragraphs=paragraphs, meta=m, text="\n".join(lines))


def _converter():
    from opencc import OpenCC

    cc = OpenCC("t2s")
    cache: dict[str, str] = {}

    def conv(text: str) -> str:
        if text not in cache:
            cache[text] = cc.convert(text)
        return cache[text]

    return conv
