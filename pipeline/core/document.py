"""The Document model every reader produces, whatever the source format.

Schema
------
``Document``
    path        the filing's path as given (str)
    tables      list of ``Table``
    paragraphs  list of ``Paragraph`` (text outside tables, in order, with line numbers)
    meta        ``dict[str, str]``: ``format`` (txt/docx/xlsx/…), ``layout`` (tab, cells,
                pipe, pipe-stream, plain), ``encoding``, ``converted`` ("t2s" when
                traditional characters were converted to simplified), ``ruby`` ("stripped" when
                a page's pinyin annotations, 项(xiàng), were taken out of the text)
``Table``
    index       0-based position in the document
    rows        list of ``Row``; merged cells are expanded (their text repeated) by the
                binary readers, left blank by text dumps (the extractor fills down)
    stream      True when row boundaries in the source are unreliable (cells one per line
                with no row separator, or a table flattened into running text): the
                extractor rebuilds rows from the content of the cells
    truncated   True when the text ends inside the last row (web excerpts cut off)
``Row``
    cells       list of cell texts, cleaned with :func:`pipeline.core.normalize.clean_cell`
    line        1-based line (text) or row (sheet) number of the row in the source
    raw         the source text of the row before cleaning (provenance)
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Row:
    cells: list[str]
    line: int
    raw: str = ""

    def filled(self) -> list[tuple[int, str]]:
        """The non-empty cells with their column index."""
        return [(i, c) for i, c in enumerate(self.cells) if c]


@dataclass(slots=True)
class Table:
    index: int
    rows: list[Row]
    stream: bool = False
    sheet: str = ""
    truncated: bool = False   # the source text stops inside the table's last row
    cut_cell: bool = False    # … and inside its last cell (the line has lost its closing pipe)


@dataclass(slots=True)
class Paragraph:
    text: str
    line: int


@dataclass(slots=True)
class Document:
    path: str
    tables: list[Table] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    text: str = ""
