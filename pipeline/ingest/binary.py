"""Binary filings (docx, xlsx/xls, pdf, html): check the bytes, then call the format's reader.

:func:`read` checks that the bytes are what the extension says (and are not hostile, see
:mod:`pipeline.ingest.safety`), then calls the reader; a parser's own exception becomes a
:class:`~pipeline.core.errors.CorruptFiling` that names the file.
"""

from __future__ import annotations

from pipeline.core.document import Document
from pipeline.core.errors import (
    CorruptFiling,
    EmptyFiling,
    FilingError,
    TooManyCells,
    UnsupportedFormat,
)
from pipeline.ingest import safety
from pipeline.ingest.docx_reader import read_docx
from pipeline.ingest.html_reader import read_html
from pipeline.ingest.pdf_reader import read_pdf
from pipeline.ingest.xlsx_reader import read_xls, read_xlsx


def read(data: bytes, path: str, fmt: str) -> Document:
    """Read the bytes of a binary filing of format ``fmt`` (docx, xlsx, xls, pdf, html)."""
    if not data.strip(b"\x00 \t\r\n"):
        raise EmptyFiling(path, "ingest", f"the file is empty (expected {safety.what(fmt)}); export the filing again")
    kind = safety.sniff_kind(data)
    if fmt in ("docx", "xlsx"):
        if kind == "ole":
            safety.check_ole(data, path, fmt)
        if not data.startswith(b"PK"):
            if kind and kind not in ("zip", fmt):
                raise safety.mismatch(path, fmt, kind)
            raise CorruptFiling(path, "ingest", f"expected {safety.what(fmt)} (a zip package starting with 'PK') "
                                "but the file is neither a zip nor another known format; it is damaged or not "
                                "a filing: export it again")
        zf = safety.check_zip(data, path, fmt)
        safety.check_xml_parts(zf, path)
        if fmt == "docx":
            return _guard(read_docx, data, path)

        return _guard(read_xlsx, data, path)
    if fmt == "xls":
        if kind != "ole":
            if kind == "html":     # many sites serve an HTML table named .xls

                doc = _guard(read_html, data, path)
                doc.meta["format"] = "xls-html"
                return doc
            if kind in ("xlsx", "docx", "pdf", "zip"):
                raise safety.mismatch(path, fmt, kind)
            raise CorruptFiling(path, "ingest", "expected an Excel 97-2003 workbook (.xls, an OLE container) but the "
                                "file has no OLE signature; it is damaged or not a workbook: export it again")
        if safety.ole_kind(data) == "encrypted":
            safety.check_ole(data, path, "xlsx")

        return _guard(read_xls, data, path)
    if fmt == "pdf":
        if kind != "pdf":
            if kind in ("docx", "xlsx", "html", "ole", "zip", "pptx", "rtf"):
                raise safety.mismatch(path, fmt, kind)
            raise CorruptFiling(path, "ingest", "expected a PDF (starting with %PDF-) but the file is not one; it is "
                                "damaged or not a PDF: export it again")
        safety.check_pdf(data, path)

        return _guard(read_pdf, data, path)
    if fmt == "html":
        if kind in ("docx", "xlsx", "pdf", "ole", "zip", "pptx"):
            raise safety.mismatch(path, fmt, kind)

        return _guard(read_html, data, path)
    raise UnsupportedFormat(path, "ingest", f"no reader for {fmt}")


def _guard(reader, data: bytes, path: str) -> Document:
    """Run a reader; a parser's own exception becomes a CorruptFiling that names the file."""
    try:
        return reader(data, path)
    except FilingError:
        raise
    except MemoryError as exc:
        raise safety_too_big(path) from exc
    except RecursionError as exc:
        raise CorruptFiling(path, "ingest", "the file nests its elements too deeply to be read (a hostile or "
                            "damaged file?); export the filing again") from exc
    except Exception as exc:  # noqa: BLE001 - parsers raise anything on damaged input
        raise CorruptFiling(path, "ingest", f"the file could not be parsed ({type(exc).__name__}: {str(exc)[:200]}); "
                            "it is damaged or truncated: open it in the original application, save a new copy "
                            "and try again") from exc


def safety_too_big(path: str) -> FilingError:
    return TooManyCells(path, "ingest", "the file ran out of memory while being read; it is far larger than a "
                        "performance filing: split it and try again")
