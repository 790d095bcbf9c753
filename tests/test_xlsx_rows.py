"""The one-pass sheet writer gives the bytes openpyxl gives, and leaves to openpyxl what it
does not handle."""

from __future__ import annotations

import io
import zipfile

import pytest

from pipeline.output.xlsx_rows import sheet_data, splice

TRICKY = ["plain", "", " lead", "trail ", "x&y<z>\"q'", "line\nbreak", "tab\there", "中文，全角", "😀 non-BMP",
          "a\u00a0", "\u3000b", "=22个", "= a ", "=x&y", "=", "100%(3133人)", "≥90%", "<p>html</p>"]


def _openpyxl_sheet(rows, styled):
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    fill = PatternFill("solid", fgColor="FFC7CE")
    for r, c in styled:
        ws.cell(row=r, column=c).fill = fill
        ws.cell(row=r, column=c).comment = Comment("flag", "jixiao")
    styles = {(r, c): ws.cell(row=r, column=c).style_id for r, c in sorted(styled)}
    buf = io.BytesIO()
    wb.save(buf)
    return zipfile.ZipFile(buf).read("xl/worksheets/sheet1.xml"), styles


def test_sheet_data_is_openpyxls_serialisation():
    rows = [["file", "table", "row", "name"]]
    for i, text in enumerate(TRICKY):
        rows.append([f"data/{i}.txt", i % 3, i * 7, text])
    styled = [(3, 4), (5, 2), (13, 4)]
    xml, styles = _openpyxl_sheet(rows, styled)
    ours = sheet_data(rows, styles)
    assert ours is not None
    start, end = xml.index(b"<sheetData>"), xml.index(b"</sheetData>") + len(b"</sheetData>")
    assert ours == xml[start:end]
    assert splice(xml, ours) == xml


@pytest.mark.parametrize("value", ["#N/A", "bad\x01char", "cr\rlf", 1.5, None, True])
def test_values_it_does_not_handle_are_left_to_openpyxl(value):
    assert sheet_data([["a", "b"], ["x", value]], {}) is None


def test_splice_replaces_an_empty_sheet_data():
    xml = b'<worksheet><sheetData/><pageMargins/></worksheet>'
    assert splice(xml, b"<sheetData><row r=\"1\"></row></sheetData>") == \
        b'<worksheet><sheetData><row r="1"></row></sheetData><pageMargins/></worksheet>'
