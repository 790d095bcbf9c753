"""Guards run on the raw bytes of a binary filing before any parser sees them.

A filing is untrusted input. The parsers used here are reasonably safe by themselves
(python-docx parses with lxml and ``resolve_entities=False``; openpyxl uses defusedxml
when it is installed, which jixiao requires; libxml2 and expat ≥ 2.4 cap entity
amplification), but they fail with exceptions that say nothing useful, and none of them
limits what a zip may expand to. So before parsing:

* :func:`check_zip` reads only the zip's central directory: member count, total
  uncompressed size and per-member compression ratio (zip bombs), and the parts that say
  which kind of OOXML package it is (a .docx that is really a workbook);
* :func:`check_xml_parts` reads the prolog of every XML part and refuses a DTD or entity
  declaration (OOXML never has one: billion laughs, external entities);
* :func:`check_ole` tells an encrypted OOXML package (password-protected Office files are
  OLE containers with an ``EncryptedPackage`` stream) from a legacy .doc/.xls;
* :func:`check_pdf` inflates the PDF's compressed streams with a cap (PDF bombs) and
  refuses encrypted PDFs that need a password.

Each raises a :class:`~pipeline.core.errors.FilingError` subclass whose message says what was
expected, what was found and what to do.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
import zlib

from pipeline.core.errors import (
    ArchiveBomb,
    CorruptFiling,
    FilingTooLarge,
    FormatMismatch,
    PasswordProtected,
    TooManyCells,
    UnsafeXml,
)

MAX_UNCOMPRESSED = 200 * 1024 * 1024   # bytes a zip (or a PDF's streams) may expand to
MAX_MEMBERS = 5000                      # members of one zip
MAX_RATIO = 200                         # uncompressed / compressed size of one member …
RATIO_FLOOR = 8 * 1024 * 1024           # … checked for members bigger than this
MAX_CELLS = 200_000                     # cells of all the tables of one filing (env JIXIAO_MAX_CELLS)
PROLOG_BYTES = 64 * 1024

_KIND_PARTS = {
    "docx": ("word/document.xml",),
    "xlsx": ("xl/workbook.xml", "xl/workbook.bin"),
}
_NAMES = {"docx": "a Word document (.docx)", "xlsx": "an Excel workbook (.xlsx)", "pdf": "a PDF",
          "xls": "an Excel 97-2003 workbook (.xls)", "html": "a web page (.html)", "zip": "a zip archive",
          "ole": "an old Office file (.doc/.xls/.ppt)"}
_EXT = {"docx": ".docx", "xlsx": ".xlsx", "pdf": ".pdf", "xls": ".xls", "html": ".html"}


def what(fmt: str) -> str:
    return _NAMES.get(fmt, fmt)


def sniff_kind(data: bytes) -> str:
    """The format the bytes are, as precisely as the first bytes and a zip directory tell."""
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, ValueError, OSError, EOFError):
            return "zip"
        for kind, parts in _KIND_PARTS.items():
            if any(p in names for p in parts):
                return kind
        if "ppt/presentation.xml" in names:
            return "pptx"
        return "zip"
    if data[:1024].lstrip().startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<head", b"<body", b"<meta")) or b"<html" in head:
        return "html"
    if data.startswith((b"{\\rtf",)):
        return "rtf"
    return ""


def mismatch(path: str, fmt: str, found: str) -> FormatMismatch:
    fix = f"rename it to {_EXT[found]}" if found in _EXT else "export the filing again as .docx, .xlsx, .pdf or .html"
    if found == "ole":
        fix = "open it in Word/Excel/WPS and save it as .docx or .xlsx" if fmt in ("docx", "xlsx") else fix
    return FormatMismatch(path, "ingest", f"expected {what(fmt)} but the file is {what(found) if found else 'something else'}"
                          f" ({_describe_head(found)}); {fix}")


def _describe_head(found: str) -> str:
    return {"zip": "a zip archive without the parts of a Word or Excel file", "pptx": "a PowerPoint presentation",
            "rtf": "an RTF document", "": "no known file signature"}.get(found, "judged by its first bytes")


# ---------------------------------------------------------------------------- zip

def check_zip(data: bytes, path: str, fmt: str) -> zipfile.ZipFile:
    """Validate an OOXML package from its central directory; returns the open ZipFile."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
        raise CorruptFiling(path, "ingest", f"expected {what(fmt)} (a zip package) but its zip directory cannot be "
                            f"read ({exc}); the file is truncated or damaged: download or export it again") from exc
    if len(infos) > MAX_MEMBERS:
        raise ArchiveBomb(path, "ingest", f"the package has {len(infos)} parts, over the limit of {MAX_MEMBERS} "
                          f"(a filing has a few dozen): refused as a possible zip bomb; export the filing again")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise PasswordProtected(path, "ingest", f"part {info.filename} of the package is encrypted; "
                                    "save an unprotected copy and pass that")
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            raise ArchiveBomb(path, "ingest", f"part {info.filename} expands {ratio:.0f} times "
                              f"({info.compress_size} bytes to {info.file_size / 2**20:.0f} MB; limit {MAX_RATIO}x): "
                              "refused as a possible zip bomb; export the filing again")
    if total > MAX_UNCOMPRESSED:
        ratio = total / max(len(data), 1)
        if ratio > MAX_RATIO:
            raise ArchiveBomb(path, "ingest", f"the package expands to {total / 2**20:.0f} MB from {len(data) / 2**20:.1f} MB "
                              f"({ratio:.0f} times): refused as a possible zip bomb; export the filing again")
        raise FilingTooLarge(path, "ingest", f"the package expands to {total / 2**20:.0f} MB when unzipped, over the "
                             f"{MAX_UNCOMPRESSED / 2**20:.0f} MB limit (a performance filing is far smaller); "
                             "split it, or delete unused sheets and images, and try again")
    names = {i.filename for i in infos}
    want = _KIND_PARTS.get(fmt, ())
    if want and not any(p in names for p in want):
        found = next((k for k, parts in _KIND_PARTS.items() if any(p in names for p in parts)), "")
        if not found and "ppt/presentation.xml" in names:
            found = "pptx"
        raise mismatch(path, fmt, found or "zip")
    if "xl/workbook.bin" in names and fmt == "xlsx":
        raise FormatMismatch(path, "ingest", "expected an Excel workbook (.xlsx) but the file is a binary workbook "
                             "(.xlsb); open it in Excel/WPS and save it as .xlsx")
    return zf


_DECL = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.I)
_COMMENT = re.compile(rb"<!--.*?-->", re.S)
_START_TAG = re.compile(rb"<[A-Za-z_]")


def check_xml_parts(zf: zipfile.ZipFile, path: str) -> None:
    """Refuse any XML part with a DTD or entity declaration in its prolog."""
    for info in zf.infolist():
        name = info.filename.lower()
        if not name.endswith((".xml", ".rels", ".vml")) or info.file_size == 0:
            continue
        try:
            with zf.open(info) as fh:
                head = fh.read(PROLOG_BYTES)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError) as exc:
            raise CorruptFiling(path, "ingest", f"part {info.filename} of the package cannot be unzipped ({exc}); "
                                "the file is truncated or damaged: download or export it again") from exc
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            head = head.decode("utf-16", errors="ignore").encode("utf-8")
        prolog = _COMMENT.sub(b"", head)
        if b"<!--" in prolog:
            raise UnsafeXml(path, "ingest", f"part {info.filename} starts with an unterminated comment of over "
                            f"{PROLOG_BYTES // 1024} KB; refused (not what Word/Excel write): export the filing again")
        m = _START_TAG.search(prolog)
        before = prolog[: m.start()] if m else prolog
        if _DECL.search(before):
            raise UnsafeXml(path, "ingest", f"part {info.filename} declares a DTD or XML entities, which Word and "
                            "Excel never write (an entity-expansion or external-entity attack?); refused: "
                            "export the filing again from the original application")


# ---------------------------------------------------------------------------- OLE

_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_WORKBOOK = "Workbook".encode("utf-16-le")
_BOOK = "Book".encode("utf-16-le")
_WORD = "WordDocument".encode("utf-16-le")


def ole_kind(data: bytes) -> str:
    """'encrypted' (a password-protected .docx/.xlsx), 'xls', 'doc' or 'ole'."""
    if _ENCRYPTED in data or _ENCRYPTION_INFO in data:
        return "encrypted"
    if _WORKBOOK in data or _BOOK in data:
        return "xls"
    if _WORD in data:
        return "doc"
    return "ole"


def check_ole(data: bytes, path: str, fmt: str) -> None:
    """An OLE container given where OOXML was expected: say which kind and what to do."""
    kind = ole_kind(data)
    if kind == "encrypted":
        noun = {"docx": "document", "xlsx": "workbook"}.get(fmt, "file")
        raise PasswordProtected(path, "ingest", f"the {noun} is password-protected (an encrypted Office package); "
                                "open it with the password and save an unprotected copy, then pass that copy")
    if kind == "xls" and fmt == "xlsx":
        raise FormatMismatch(path, "ingest", "expected an Excel workbook (.xlsx) but the file is an Excel 97-2003 "
                             "workbook; rename it to .xls")
    if kind == "doc":
        raise FormatMismatch(path, "ingest", f"expected {what(fmt)} but the file is a Word 97-2003 document (.doc), "
                             "which jixiao does not read; open it in Word/WPS and save it as .docx")
    raise mismatch(path, fmt, "ole")


# ---------------------------------------------------------------------------- PDF

_STREAM = re.compile(rb"stream\r?\n")
_ENCRYPT = re.compile(rb"/Encrypt\s+\d+\s+\d+\s+R|/Encrypt\s*<<")


def check_pdf(data: bytes, path: str) -> None:
    """Cap what the PDF's Flate streams inflate to (PDF bombs); refuse a truncated header."""
    if b"%PDF-" not in data[:1024]:
        raise CorruptFiling(path, "ingest", "expected a PDF but the file has no %PDF- header; export it again")
    total = 0
    for m in _STREAM.finditer(data):
        start = m.end()
        d = zlib.decompressobj()
        pos = start
        try:
            while pos < len(data):
                chunk = data[pos: pos + 65536]
                pos += len(chunk)
                out = d.decompress(chunk, 1 << 20)
                total += len(out)
                while d.unconsumed_tail:
                    out = d.decompress(d.unconsumed_tail, 1 << 20)
                    total += len(out)
                    if total > MAX_UNCOMPRESSED:
                        break
                if total > MAX_UNCOMPRESSED or d.eof:
                    break
        except zlib.error:
            pass   # not a Flate stream (or its end): nothing more to count
        if total > MAX_UNCOMPRESSED:
            raise ArchiveBomb(path, "ingest", f"the PDF's compressed streams expand to over "
                              f"{MAX_UNCOMPRESSED / 2**20:.0f} MB (a PDF bomb, or a huge scan); refused: "
                              "print the filing to a new PDF or export it as .docx/.xlsx")


def max_cells() -> int:
    try:
        return int(os.environ.get("JIXIAO_MAX_CELLS", "") or MAX_CELLS)
    except ValueError:
        return MAX_CELLS


def check_cells(path: str, n: int, where: str = "") -> None:
    """Refuse a filing whose tables pass the cell limit (memory and time guard)."""
    limit = max_cells()
    if n > limit:
        raise TooManyCells(path, "ingest", f"{where or 'the tables'} hold over {limit:,} cells (a performance "
                           "filing has a few thousand): refused to protect memory and time; delete the unrelated "
                           "sheets or rows, or raise the limit with the environment variable JIXIAO_MAX_CELLS")
