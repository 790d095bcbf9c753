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
