"""Readers for binary formats (docx, xlsx/xls, pdf, html) — see issue 6.

Each returns the same Document model as the text reader: tables as cell grids with merged
cells expanded, and paragraphs.
"""

from __future__ import annotations

from pipeline.document import Document
from pipeline.errors import UnsupportedFormat


def read(data: bytes, path: str, fmt: str) -> Document:
    raise UnsupportedFormat(path, "ingest", f"the {fmt} reader is not available in this version; "
                            "export the filing to text (.txt) for now")
