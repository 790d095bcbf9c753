"""Every user-facing error of jixiao, each with a stable code.

Messages say what was expected, what was found and how to fix it (spaCy's errors.py is
the model). Errors that concern one input file carry the file so a batch can report it
and go on.
"""

from __future__ import annotations


class JixiaoError(Exception):
    """Base class: ``code`` is stable and documented in the README."""

    code = "E000"

    def __init__(self, message: str):
        super().__init__(f"[{self.code}] {message}")
        self.message = message


class ConfigError(JixiaoError):
    """A file under configs/ is missing or malformed."""

    code = "E001"

    def __init__(self, path: str, problem: str):
        super().__init__(f"config {path}: {problem}")
        self.path = path


class FilingError(JixiaoError):
    """One input filing could not be read; the batch reports it and goes on."""

    code = "E100"

    def __init__(self, file: str, stage: str, problem: str):
        super().__init__(f"{file}: {problem}")
        self.file = file
        self.stage = stage
        self.problem = problem


class UnsupportedFormat(FilingError):
    code = "E101"


class EmptyFiling(FilingError):
    code = "E102"


class UndecodableFiling(FilingError):
    code = "E103"


class FilingTooLarge(FilingError):
    code = "E104"


class CorruptFiling(FilingError):
    """The container is damaged: a truncated or corrupted zip, PDF, .xls or XML part."""

    code = "E105"


class FormatMismatch(FilingError):
    """The bytes are another format than the extension says (a .docx that is a PDF …)."""

    code = "E106"


class PasswordProtected(FilingError):
    """An encrypted workbook, document or PDF: it cannot be read without the password."""

    code = "E107"


class ArchiveBomb(FilingError):
    """A zip whose directory promises far more than a filing holds (zip bomb)."""

    code = "E108"


class UnsafeXml(FilingError):
    """An XML part declares a DTD or entities (billion laughs, external entities)."""

    code = "E109"


class TooManyCells(FilingError):
    """A table or sheet too large to be a performance filing (memory guard)."""

    code = "E110"


class NoTextLayer(FilingError):
    """A PDF with pages but no text: a scan that needs OCR first."""

    code = "E111"
