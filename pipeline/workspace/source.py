"""The source of a filing as numbered lines for the filing page.

A text filing (``.txt .csv .tsv``) is shown line by line, decoded as jixiao reads
it, so that a row's ``row`` (its 1-based line) points at its line: ``#L29`` is line 29. A
sheet, Word, PDF or web-page filing has no text lines of its own: its table rows and
paragraphs are shown under the numbers the extractor gave them (the sheet's row for
.xlsx), cells joined by ``│``.

Example: the line ``产出指标\t数量指标\t托养人数\t93人`` is shown as line 30 with its tabs as
``│``. Not handled yet: images in Word files, the page layout of PDFs.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from pipeline.core.errors import FilingError
from pipeline.ingest.dispatch import read_filing

TEXT_FORMATS = ("txt", "csv", "tsv", "text")   # formats whose rows are numbered by their text line


@dataclass(frozen=True, slots=True)
class SourceLine:
    line: int
    text: str
    table: int = 0        # 1-based table of a sheet row; 0 for a text line


@functools.lru_cache(maxsize=32)
def source_lines(path: str) -> tuple[SourceLine, ...]:
    """The filing's lines (empty when the file cannot be read any more)."""
    try:
        doc = read_filing(path)
    except (FilingError, OSError):
        return ()
    if doc.meta.get("format") in TEXT_FORMATS and doc.text:
        return tuple(SourceLine(i, ln.replace("\t", " │ ")) for i, ln in enumerate(doc.text.splitlines(), 1))
    # a sheet, Word, PDF or web page: its text is a rendering whose lines are not the row
    # numbers the extractor gives, so show the table rows and paragraphs under those numbers
    out = [SourceLine(r.line, " │ ".join(c for c in r.cells), t.index + 1) for t in doc.tables for r in t.rows]
    out += [SourceLine(p.line, p.text) for p in doc.paragraphs]
    out.sort(key=lambda ln: (ln.line, ln.table))
    return tuple(out)
