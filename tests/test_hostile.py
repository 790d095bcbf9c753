"""Broken and hostile files never stop a batch, and each is reported with a sensible code.

The corpus (over 40 files) is generated into tmp_path: empty, truncated and corrupted
files of every format, zip bombs (a ratio bomb, too many parts), XML entity attacks
(billion laughs, external entities), password-protected Office packages and PDFs, wrong
extensions (a .docx that is a PDF …), binary noise named .txt/.html, 100 MB of noise, a
sparse file over the size limit, a PDF bomb, a scan without text, tables too big to be a
filing, and a few files that are odd but fine. They run as one batch together with good
filings, which must come out whole (the rows of their golden file).

Hypothesis then fuzzes the text reader (arbitrary bytes, and tab/pipe/newline-heavy text)
and the extractor on what it reads: the only exception allowed is a FilingError.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from golden_rows import FIELDS, load_golden, raw_path
from pipeline.core.errors import FilingError
from pipeline.core.normalize import key

GOOD = ["000_0bc3dd4ae087ad7a", "043", "035", "001_d4a61a06f04ad918"]

# ---------------------------------------------------------------------------- builders


def _good_docx(stem: str = "043") -> bytes:
    from test_formats import render_docx, text_items

    buf = io.BytesIO()
    render_docx(text_items(stem), buf)
    return buf.getvalue()


def _good_xlsx(stem: str = "043") -> bytes:
    from test_formats import render_xlsx, text_items

    buf = io.BytesIO()
    render_xlsx(text_items(stem), buf)
    return buf.getvalue()


def _rezip(data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, (replace or {}).get(info.filename, src.read(info.filename)))
        for name, body in (add or {}).items():
            z.writestr(name, body)
    return out.getvalue()


def _pdf(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """A minimal PDF from object bodies (object 1 must be the catalog)."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer_extra, xref)
    return bytes(out)


def _page_pdf(content: bytes, filt: bytes = b"", trailer_extra: bytes = b"") -> bytes:
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
        b"<< /Length %d %s>>\nstream\n" % (len(content), filt) + content + b"\nendstream",
    ], trailer_extra)


def _ole(*names: str) -> bytes:
    """Bytes that look like an OLE compound file holding streams with these names."""
    head = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    dirs = b"".join(n.encode("utf-16-le") + b"\x00" * (128 - 2 * len(n)) for n in ("Root Entry", *names))
    return head + dirs + os.urandom(4096)


def _sheet_xml(rows: str, dimension: str = "") -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'{dimension}<sheetData>{rows}</sheetData></worksheet>').encode()


LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                     for i in range(1, 10))
          + b']>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>")
XXE = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
       b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&xxe;</workbook>')


def build_corpus(d: Path) -> dict[str, set[str]]:
    """Write the hostile files into ``d``; returns file name -> acceptable error codes
    (an empty set: the file is odd but must be read without error)."""
    docx, xlsx = _good_docx(), _good_xlsx()
    pdf_text = _page_pdf(b"BT /F1 12 Tf 72 712 Td (hello) Tj ET")
    html_good = "<html><body><p>项目支出绩效目标表</p><table><tr><td>一级指标</td></tr></table></body></html>"
    files: dict[str, tuple[bytes | None, set[str]]] = {}

    def add(name: str, data: bytes | None, codes: set[str] | str):
        files[name] = (data, {codes} if isinstance(codes, str) else codes)

    # empty and blank
    for ext in ("txt", "csv", "docx", "xlsx", "xls", "pdf", "html"):
        add(f"empty.{ext}", b"", "E102")
    add("blank.txt", b"  \r\n\t\n   \n", "E102")
    add("nuls.docx", b"\x00" * 4096, "E102")
    # noise
    for ext in ("txt", "html"):
        add(f"noise.{ext}", os.urandom(65536), "E103")
    for ext in ("docx", "xlsx", "xls", "pdf"):
        add(f"noise.{ext}", os.urandom(65536), "E105")
    # truncated and corrupted
    add("truncated.docx", docx[: len(docx) // 2], "E105")
    add("truncated.xlsx", xlsx[: len(xlsx) // 3], "E105")
    add("truncated_head.docx", docx[:200], "E105")
    add("truncated.pdf", pdf_text[: len(pdf_text) // 2], {"E105", "E111", "E102"})
    add("truncated.xls", _ole("Workbook")[:3000], "E105")
    bad = bytearray(docx)
    mid = len(bad) // 2
    bad[mid: mid + 64] = os.urandom(64)
    add("flipped.docx", bytes(bad), "E105")
    add("garbage_xml.docx", _rezip(docx, {"word/document.xml": b"<w:document><w:body><w:p>unclosed"}), "E105")
    add("garbage_sheet.xlsx", _rezip(xlsx, {"xl/worksheets/sheet1.xml": b"\x00\x01 not xml at all <<<"}), "E105")
    add("garbage_workbook.xlsx", _rezip(xlsx, {"xl/workbook.xml": b"<workbook><sheets><sheet name="}), "E105")
    add("garbage_styles.xlsx", _rezip(xlsx, {"xl/styles.xml": b"\xff\xfe<<<"}), "E105")
    # bombs
    zeros = zlib.compress(b"\x00" * (1 << 20))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<a>" + b" " * (40 << 20) + b"</a>")
    add("zipbomb.docx", bomb.getvalue(), "E108")
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w", zipfile.ZIP_STORED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        for i in range(5100):
            z.writestr(f"xl/x{i}.xml", "")
    add("many_parts.xlsx", many.getvalue(), "E108")
    pdf_bomb = bytearray()
    c = zlib.compressobj(9)
    for _ in range(210):
        pdf_bomb += c.compress(b"\x00" * (1 << 20))
    pdf_bomb += c.flush()
    add("bomb.pdf", _page_pdf(bytes(pdf_bomb), b"/Filter /FlateDecode "), "E108")
    del zeros
    # XML attacks
    add("billion_laughs.docx", _rezip(docx, {"word/document.xml": LAUGHS}), "E109")
    add("xxe.xlsx", _rezip(xlsx, {"xl/workbook.xml": XXE}), "E109")
    add("laughs_in_rels.docx", _rezip(docx, {"_rels/.rels": LAUGHS.replace(b"w:document", b"Relationships")}), "E109")
    add("entities.html", b'<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><html><body>&b;</body></html>',
        "E109")
    # password-protected
    add("encrypted.xlsx", _ole("EncryptionInfo", "EncryptedPackage"), "E107")
    add("encrypted.docx", _ole("EncryptionInfo", "EncryptedPackage"), "E107")
    add("encrypted.xls", _ole("EncryptionInfo", "EncryptedPackage"), "E107")
    enc = b"<< /Filter /Standard /V 2 /R 3 /Length 128 /P -3904 /O <%s> /U <%s> >>" % (
        os.urandom(32).hex().encode(), os.urandom(32).hex().encode())
    add("encrypted.pdf", _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>", enc],
                              b"/Encrypt 3 0 R /ID [<%s> <%s>] " % (b"ab" * 16, b"ab" * 16)), {"E107"})
    # wrong extension
    add("pdf_named.docx", pdf_text, "E106")
    add("pdf_named.xlsx", pdf_text, "E106")
    add("docx_named.xlsx", docx, "E106")
    add("xlsx_named.docx", xlsx, "E106")
    add("docx_named.pdf", docx, "E106")
    add("xlsx_named.html", xlsx, "E106")
    add("legacy_doc.docx", _ole("WordDocument"), "E106")
    add("legacy_xls.xlsx", _ole("Workbook"), "E106")
    add("plain_zip.docx", _rezip(xlsx, None, None).replace(b"xl/workbook.xml", b"xl/wrkbook0.xml"), {"E106", "E105"})
    add("docx_named.txt", docx, "E101")
    add("pdf_named.csv", pdf_text, "E101")
    add("html_named.pdf", html_good.encode(), "E106")
    add("html_named.xls", html_good.encode(), set())            # sites serve HTML tables as .xls
    add("unknown.doc", b"whatever", "E101")
    # too big
    add("scan.pdf", _page_pdf(b"0 0 m 500 800 l S 10 10 100 100 re f"), "E111")
    add("huge_span.html", b"<table><tr><td colspan=1000 rowspan=65534>x</td></tr>" + b"<tr><td>y</td></tr>" * 600
        + b"</table>", "E110")
    cells = "".join(f'<row r="{r}">' + "".join(f'<c r="{col}{r}"><v>1</v></c>' for col in "ABCDEFGHIJ") + "</row>"
                    for r in range(1, 20_100))
    add("many_cells.xlsx", _rezip(xlsx, {"xl/worksheets/sheet1.xml": _sheet_xml(cells)}), "E110")
    # odd but fine: a sheet claiming to span A1:XFD1048576, a page lying about its charset
    add("lying_dimension.xlsx", _rezip(xlsx, {"xl/worksheets/sheet1.xml": _sheet_xml(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>项目</t></is></c><c r="B1"><v>1</v></c></row>',
        '<dimension ref="A1:XFD1048576"/>')}), set())
    add("lying_charset.html", '<html><head><meta charset="utf-8"></head><body><p>绩效目标表</p></body></html>'
        .encode("gb18030"), set())
    add("deep_nesting.html", b"<div>" * 5000 + b"text" + b"</div>" * 5000, {"", "E105"})
    add("latin1.txt", "Café au lait\tprix\t3,50 £\n".encode("latin-1") * 3, set())
    add("utf16_nobom.txt", "Indicator\t一级指标\t二级指标\nOutput\t产出指标\t数量指标\n".encode("utf-16-le") * 3, set())
    # UTF-16 without a BOM and almost no ASCII has too few NUL bytes for the text reader to
    # recognise it (a known limit of ingest_text.decode): it must at least fail cleanly
    add("utf16_nobom_cjk.txt", "一级指标\t二级指标\n产出指标\t数量指标\n".encode("utf-16-le") * 3, {"", "E103"})
    for name, (data, codes) in files.items():
        (d / name).write_bytes(data or b"")
    # 100 MB of noise, written in chunks; and a sparse file over the 200 MB size limit
    with open(d / "noise_100mb.xlsx", "wb") as fh:
        for _ in range(100):
            fh.write(os.urandom(1 << 20))
    files["noise_100mb.xlsx"] = (None, {"E105"})
    with open(d / "sparse_250mb.txt", "wb") as fh:
        fh.truncate(250 << 20)
    files["sparse_250mb.txt"] = (None, {"E104"})
    return {name: codes for name, (_, codes) in files.items()}


# ---------------------------------------------------------------------------- the batch


@pytest.fixture(scope="module")
def hostile_batch(tmp_path_factory):
    from pipeline.run.batch import run_batch
    from pipeline.output.tables import write_batch

    d = tmp_path_factory.mktemp("hostile")
    expected = build_corpus(d)
    good = []
    for stem in GOOD:
        p = d / f"good_{stem}.txt"
        p.write_bytes(raw_path(stem).read_bytes())
        good.append(p)
    from test_formats import render_docx, render_html, render_xlsx, text_items

    for stem, fmt, fn in (("043", "docx", render_docx), ("035", "xlsx", render_xlsx), ("099", "html", render_html)):
        p = d / f"good_{stem}.{fmt}"
        fn(text_items(stem), p)
        good.append(p)
    # a folder yields only the supported extensions; a file named explicitly is always tried
    res = run_batch([d, d / "unknown.doc"], jobs=2)
    out = d.parent / (d.name + "_out")
    write_batch(res, out)
    return d, expected, res, out


def test_corpus_is_big_enough(hostile_batch):
    _, expected, _, _ = hostile_batch
    assert len(expected) >= 40


def test_every_bad_file_reported_with_a_sensible_code(hostile_batch):
    d, expected, res, out = hostile_batch
    with open(out / "errors.csv", encoding="utf-8-sig", newline="") as fh:
        errors = {Path(r["file"]).name: r for r in csv.DictReader(fh)}
    assert not [e for e in errors.values() if e["code"] == "E199"], "internal errors"
    wrong = {}
    for name, codes in expected.items():
        got = errors.get(name)
        ok_codes = codes - {""}
        if not ok_codes or "" in codes:
            if got is not None and got["code"] not in ok_codes:
                wrong[name] = (got["code"], got["message"])
            continue
        if got is None or got["code"] not in ok_codes:
            wrong[name] = (got and got["code"], got and got["message"], sorted(ok_codes))
    assert not wrong
    for e in errors.values():
        assert e["stage"] and len(e["message"]) > 30
        if e["code"] < "E104":
            continue    # the text reader's own messages (E101–E103) are checked by its tests
        # the message says what to do
        assert any(w in e["message"] for w in ("again", "save", "rename", "split", "convert", "OCR", "pass",
                                                "export", "open", "give it", "delete", "print")), e


def test_good_files_beside_them_come_out_whole(hostile_batch):
    d, _, res, _ = hostile_batch
    by_file: dict[str, list] = {}
    for r in res.rows:
        by_file.setdefault(Path(r.file).name, []).append(tuple(key(str(getattr(r, f))) for f in FIELDS))
    for stem in GOOD:
        assert by_file.get(f"good_{stem}.txt") == load_golden(stem), stem
    for name in ("good_043.docx", "good_035.xlsx", "good_099.html"):
        stem = name.split("_")[1].split(".")[0]
        assert by_file.get(name) == load_golden(stem), name
    good_errors = [e for e in res.errors if Path(e.file).name.startswith("good_")]
    assert not good_errors


def test_cli_exit_status_is_1_when_a_file_failed(tmp_path):
    from typer.testing import CliRunner

    from pipeline.cli.main import app

    (tmp_path / "ok.txt").write_bytes(raw_path("043").read_bytes())
    (tmp_path / "bad.docx").write_bytes(b"not a docx")
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["clean", str(tmp_path / "ok.txt"), str(tmp_path / "bad.docx"), "-o", str(out), "-q"])
    assert r.exit_code == 1, r.output
    with open(out / "errors.csv", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert [(Path(x["file"]).name, x["code"], x["stage"]) for x in rows] == [("bad.docx", "E105", "ingest")]
    r = CliRunner().invoke(app, ["clean", str(tmp_path / "ok.txt"), "-o", str(tmp_path / "out2"), "-q"])
    assert r.exit_code == 0, r.output


def test_parsers_do_not_expand_entities():
    """Behind the prolog check, python-docx's parser and openpyxl's do not expand entities."""
    from lxml import etree

    from docx.oxml.parser import oxml_parser

    try:
        root = etree.fromstring(LAUGHS, oxml_parser)
    except etree.XMLSyntaxError:
        return      # libxml2 refused the amplification itself: safe too
    assert len(etree.tostring(root)) < 10_000     # the entity was not expanded to 10**9 'lol's
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML, "openpyxl must parse with defusedxml (a dependency of jixiao)"


# ---------------------------------------------------------------------------- fuzzing

_TOKENS = list("\t|\n\r 　产出指标数量质量效益满意度一级二级三级值分得≥≤%1234567890.,:：()（）[]…-*#<>/年度目标合计") + [
    "一级指标", "二级指标", "三级指标", "指标值", "分值", "得分", "产出指标", "数量指标", "满意度指标", "项目完成",
    "\t\t", "||", "\n\n", "\n\t", " | ", "[text cut off here]", "1.00", "≥95%", "合计", "年度目标2：", "……"]
_TEXTY = st.lists(st.sampled_from(_TOKENS), max_size=200).map("".join)


def _n(default: int) -> int:
    """Examples per fuzz test; JIXIAO_FUZZ_EXAMPLES=5000 for a long run."""
    return int(os.environ.get("JIXIAO_FUZZ_EXAMPLES") or default)


def _read_and_extract(data: bytes, fmt: str = "txt") -> None:
    from pipeline.extract.read import extract
    from pipeline.ingest.text_reader import read_text

    try:
        doc = read_text(data, "fuzz." + fmt, fmt)
    except FilingError:
        return
    ex = extract(doc)
    assert ex.rows_read == len(ex.rows) + len(ex.rejects)


@settings(max_examples=_n(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_fuzz_text_reader_on_bytes(data):
    _read_and_extract(data)


@settings(max_examples=_n(250), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTY, st.sampled_from(["txt", "csv", "tsv"]), st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_fuzz_text_reader_and_extractor_on_table_text(text, fmt, enc):
    _read_and_extract(text.encode(enc, errors="ignore"), fmt)


@settings(max_examples=_n(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_TEXTY.map(lambda s: s[:30]), min_size=1, max_size=8), min_size=1, max_size=25),
       st.sampled_from(["\t", "|"]))
def test_fuzz_extractor_on_grids(rows, sep):
    text = "一级指标{0}二级指标{0}三级指标{0}指标值{0}分值\n".format(sep) + "\n".join(
        sep.join(c.replace("\n", " ").replace(sep, " ") for c in r) for r in rows)
    _read_and_extract(text.encode("utf-8"))


@settings(max_examples=_n(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000), st.sampled_from(["docx", "xlsx", "xls", "pdf", "html"]))
def test_fuzz_binary_readers_on_bytes(data, fmt):
    """Arbitrary bytes (and a zip prefix) into every binary reader: a FilingError or a Document."""
    from pipeline.ingest.binary import read

    for blob in (data, b"PK\x03\x04" + data, b"%PDF-1.4\n" + data, b"<html><table><tr><td>" + data):
        try:
            read(blob, "fuzz." + fmt, fmt)
        except FilingError:
            pass


# ---------------------------------------------------------------------------- merges, by property

_WORDS = st.sampled_from(["产出指标", "数量指标", "补贴人数", "≥95%", "1.00", "21.45", "指标值", "一级指标", "abc", "x y",
                          "满意度", "达成", "100人次", "备注"])


@st.composite
def _merged_grids(draw):
    n_rows, n_cols = draw(st.integers(1, 6)), draw(st.integers(1, 5))
    grid = [[draw(_WORDS) for _ in range(n_cols)] for _ in range(n_rows)]
    taken: set[tuple[int, int]] = set()
    rects = []
    for _ in range(draw(st.integers(0, 4))):
        r0, c0 = draw(st.integers(0, n_rows - 1)), draw(st.integers(0, n_cols - 1))
        r1, c1 = draw(st.integers(r0, n_rows - 1)), draw(st.integers(c0, n_cols - 1))
        area = {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        if (r1, c1) == (r0, c0) or area & taken:
            continue
        taken |= area
        rects.append((r0, c0, r1, c1))
        for r, c in area - {(r0, c0)}:
            grid[r][c] = ""
    return grid, rects


def _expected(grid, rects):
    from pipeline.ingest.grid import is_header_word

    out = [row[:] for row in grid]
    for r0, c0, r1, c1 in rects:
        if is_header_word(grid[r0][c0]):
            continue
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                out[r][c] = grid[r0][c0]
    keep = [c for c in range(len(out[0])) if any(row[c] for row in out)]
    return [[row[c] for c in keep] for row in out]


def _write(fmt, grid, rects, path):
    if fmt == "docx":
        import docx

        d = docx.Document()
        t = d.add_table(rows=len(grid), cols=len(grid[0]))
        cells = [t.rows[r].cells for r in range(len(grid))]
        for r, row in enumerate(grid):
            for c, text in enumerate(row):
                if text:
                    cells[r][c].text = text
        for r0, c0, r1, c1 in rects:
            cells[r0][c0].merge(cells[r1][c1])
        d.save(path)
    elif fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        for r, row in enumerate(grid, 1):
            for c, text in enumerate(row, 1):
                if text:
                    ws.cell(r, c, text)
        for r0, c0, r1, c1 in rects:
            ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
        wb.save(path)
    else:
        covered = {(r, c) for r0, c0, r1, c1 in rects for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        spans = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in rects}
        html = ["<html><body><table>"]
        for r, row in enumerate(grid):
            html.append("<tr>")
            for c, text in enumerate(row):
                if (r, c) in spans:
                    rs, cs = spans[(r, c)]
                    html.append(f'<td rowspan="{rs}" colspan="{cs}">{text}</td>')
                elif (r, c) not in covered:
                    html.append(f"<td>{text}</td>")
            html.append("</tr>")
        html.append("</table></body></html>")
        path.write_text("".join(html), encoding="utf-8")


@settings(max_examples=_n(40), deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                     HealthCheck.function_scoped_fixture])
@given(_merged_grids(), st.sampled_from(["docx", "xlsx", "html"]))
def test_merged_areas_are_expanded_over_the_grid(tmp_path, grid_rects, fmt):
    """Any rectangle of merged cells (vertical, horizontal or both) comes back as its text
    repeated into every cell it covers (header words only in their first cell)."""
    from pipeline.ingest.dispatch import read_filing

    grid, rects = grid_rects
    path = tmp_path / f"g.{fmt}"
    _write(fmt, grid, rects, path)
    doc = read_filing(path)
    want = _expected(grid, rects)
    got = [r.cells for t in doc.tables for r in t.rows]
    if fmt == "xlsx":
        # a sheet drops blank rows; one-cell rows set off from a table are paragraphs
        want = [row for row in want if any(row)]
        if all(len({t for t in row if t}) <= 1 for row in want):
            assert got == [] and [p.text for p in doc.paragraphs] == [next(t for t in row if t) for row in want]
            return
        want = [[row[c] for c in range(len(want[0])) if any(r[c] for r in want)] for row in want]
    assert got == want
