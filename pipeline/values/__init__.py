"""Typed values: the parser (:mod:`.parse`), its lexicon, the typed columns of a row table
and the spaCy component.

``pipeline.values.parse_value`` is the public entry point (see :func:`.parse.parse_value`).
"""

from pipeline.values.parse import Value, parse_value

__all__ = ["Value", "parse_value"]
