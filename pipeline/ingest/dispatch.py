"""Reading any filing into a :class:`~pipeline.core.document.Document`.

``read_filing(path)`` picks the reader by the file's extension (and sniffs the bytes so a
.docx renamed .txt is still caught), enforces the size limit, and raises a
:class:`~pipeline.core.errors.FilingError` subclass that names the file and says what to do.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.core.document import Document
from pipeline.core.errors import FilingError, FilingTooLarge, UnsupportedFormat
from pipeline.ingest import binary
from pipeline.ingest.text_reader import read_text

TEXT_EXT = {".txt": "txt", ".csv": "csv", ".tsv": "tsv", ".text": "txt"}
BINARY_EXT = {".docx": "docx", ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".pdf": "pdf",
              ".html": "html", ".htm": "html"}
SUPPORTED = tuple(sorted({*TEXT_EXT, *BINARY_EXT}))
MAX_BYTES = 200 * 1024 * 1024


def sniff(data: bytes) -> str:
    """The format the bytes look like ('' when nothing is recognised)."""
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    return ""


def read_filing(path: str | Path, *, max_bytes: int = MAX_BYTES) -> Document:
    """Read one filing. ``path`` is kept as given, for provenance."""
    p = Path(path)
    name = str(path)
    ext = p.suffix.lower()
    if not p.exists():
        # checked before the type: a missing folder has no suffix and is no unsupported file
        raise FilingError(name, "ingest", "no such file or folder; check the path")
    if ext not in TEXT_EXT and ext not in BINARY_EXT:
        raise UnsupportedFormat(name, "ingest", f"unsupported file type '{ext or '(none)'}'; "
                                f"expected one of {', '.join(SUPPORTED)}")
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise FilingError(name, "ingest", f"cannot open the file ({exc.strerror})") from exc
    if size > max_bytes:
        raise FilingTooLarge(name, "ingest", f"the file is {size / 2**20:.0f} MB, over the {max_bytes / 2**20:.0f} MB "
                             "limit; split it or raise the limit with --max-mb")
    data = p.read_bytes()
    kind = sniff(data)
    if ext in TEXT_EXT:
        if kind in ("zip", "pdf", "ole"):
            raise UnsupportedFormat(name, "ingest", f"the file is named {ext} but holds a {kind} container "
                                    "(a .docx/.xlsx/.pdf/.xls renamed?); give it its real extension")
        return read_text(data, name, TEXT_EXT[ext])
    fmt = BINARY_EXT[ext]
    return binary.read(data, name, fmt)
