"""One number read from a value cell, with its comparator and unit (shared by the parser
and the rules for cells holding several quantities, :mod:`pipeline.values.compound`)."""

from __future__ import annotations


class Hit:
    """One number read from the cell, with its comparator and unit."""

    __slots__ = ("start", "end", "raw", "factor", "value", "high", "unit", "norm", "cat", "op", "bare", "mult", "cn")

    def __init__(self, start, end, raw, factor, unit, norm, cat, op, bare, mult, cn=False):
        self.start, self.end, self.raw, self.factor = start, end, raw, factor
        self.value, self.high = clean_number(raw * factor), None
        self.unit, self.norm, self.cat, self.op, self.bare, self.mult = unit, norm, cat, op, bare, mult
        self.cn = cn   # written in Chinese numerals (三项): a modifier more often than the value


def clean_number(v: float) -> float:
    """``v`` rounded to 8 decimals (float noise of ``raw * factor``); NaN and huge values as they are."""
    return round(v, 8) if v == v and abs(v) < 1e15 else v
