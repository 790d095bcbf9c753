"""The cells of a big worksheet written in one pass, byte for byte as openpyxl writes them.

openpyxl builds a ``Cell`` object per value (type inference, string checks) and serialises
each through lxml: about 15 µs a cell, 80 % of the time ``jixiao clean`` spends writing
indicators.xlsx (48 columns a row). The workbook is still built and saved by openpyxl —
header, styles, widths, filters, frozen pane, comments and their drawing — but with only the
cells that carry a style or a comment; the ``<sheetData>`` of every row is then produced here
from the values and spliced into the saved sheet.

The serialisation is openpyxl's (3.1) for the values jixiao writes: ``str`` as an inline
string (``<c r="A2" t="inlineStr"><is><t>…</t></is></c>``; ``xml:space="preserve"`` when the
text has blanks at either end; ``& < >`` escaped and every non-ASCII character as a decimal
character reference, as lxml writes ASCII), ``""`` as an empty inline-string cell, ``int``
as a number, and a text starting with ``=`` as openpyxl stores it: a formula. Anything
else — another type, an error code (``#N/A``), a character openpyxl refuses, a carriage
return, a text over 32,767 characters — makes :func:`sheet_data` return ``None``, and the caller
writes the sheet the ordinary way. A test compares both writers' bytes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

_MAX = 32767


def _text(text: str) -> str:
    body = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return body if body.isascii() else body.encode("ascii", "xmlcharrefreplace").decode("ascii")


def _cell(text: str) -> str | None:
    """What follows ``<c r=".." s=".."`` for a non-empty text, or None when not handled."""
    if "\r" in text or len(text) > _MAX or text in ERROR_CODES or ILLEGAL_CHARACTERS_RE.search(text):
        return None
    if len(text) > 1 and text[0] == "=":
        # openpyxl stores such a text as a formula (its rule, kept for identical bytes)
        return f"><f>{_text(text[1:])}</f><v></v></c>"
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f' t="inlineStr"><is><t{space}>{_text(text)}</t></is></c>'


def sheet_data(rows: Sequence[Sequence[object]], styles: Mapping[tuple[int, int], int]) -> bytes | None:
    """``<sheetData>…</sheetData>`` of ``rows`` (row 1 first; ``styles[(row, col)]`` is the
    style id of a styled cell, 1-based), or None when a value is not one handled here."""
    n_cols = max((len(r) for r in rows), default=0)
    # what opens each cell of a column (``<c r="B``) and what follows the row number for a
    # plain cell: a cell is then three pieces joined (a million cells in a big batch)
    opens = ['<c r="' + get_column_letter(i) for i in range(1, n_cols + 1)]
    by_row: dict[int, dict[int, int]] = {}
    for (r, c), s in styles.items():
        by_row.setdefault(r, {})[c - 1] = s
    texts: dict[str, str] = {"": ' t="inlineStr"></c>'}
    ints: dict[int, str] = {}
    out = ["<sheetData>"]
    append = out.append
    for r, values in enumerate(rows, 1):
        rs = str(r)
        append('<row r="' + rs + '">')
        plain = rs + '"'
        styled = by_row.get(r)
        for c, v in enumerate(values):
            t = v.__class__
            if t is str:
                tail = texts.get(v)
                if tail is None:
                    tail = _cell(v)
                    if tail is None:
                        return None
                    texts[v] = tail
            elif t is int:
                tail = ints.get(v)
                if tail is None:
                    tail = ints[v] = f' t="n"><v>{v}</v></c>'
            else:
                return None
            if styled is not None and c in styled:
                append(opens[c] + rs + f'" s="{styled[c]}"' + tail)
            else:
                append(opens[c] + plain + tail)
        append("</row>")
    append("</sheetData>")
    return "".join(out).encode("ascii")


def splice(sheet_xml: bytes, data: bytes) -> bytes:
    """``sheet_xml`` with its ``<sheetData>`` element replaced by ``data``."""
    start = sheet_xml.index(b"<sheetData")
    end = sheet_xml.find(b"</sheetData>", start)
    if end < 0:             # an empty sheetData is written as <sheetData/>
        end = sheet_xml.index(b"/>", start) + 2
    else:
        end += len(b"</sheetData>")
    return sheet_xml[:start] + data + sheet_xml[end:]
