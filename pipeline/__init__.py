"""jixiao: clean Chinese budget-performance filings and mine their indicators.

``pipeline.read_filing(path)`` returns a filing's Document; ``pipeline.clean(paths)``
returns its indicator rows as a pandas DataFrame. Imports are lazy so that ``import
pipeline`` stays cheap (the command line must start in well under a second).
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["read_filing", "clean", "__version__"]


def __getattr__(name: str):
    if name == "read_filing":
        from pipeline.ingest.dispatch import read_filing

        return read_filing
    if name == "clean":
        from pipeline.run.api import clean

        return clean
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
