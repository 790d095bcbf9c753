"""Typed parsing of the target / actual value cells of indicator rows (年度指标值, 实际完成值).

``parse_value("≥95%")`` → percent 95, op ``>=``. The parser is hand-written: general
extractors (JioNLP, Recognizers-Text) read only about a third of these cells right, because
the cells mix comparators, units, compounds such as ``100%(3133人)``, deadlines and
qualitative wording. Every word list lives in ``configs/values.yaml`` (see
:mod:`pipeline.values_lexicon`); this module holds the logic only.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from pipeline.values_lexicon import ValueLexicon, lexicon

_CN_DIGITS = frozenset("零〇一二两三四五六七八九")
_CN_ALL = frozenset("零〇一二两三四五六七八九十百千万亿")
_SEPS = ",;。"


@dataclass(frozen=True, slots=True)
class Quantity:
    """A secondary quantity, e.g. the 3133人 of ``100%(3133人)``."""

    value: float
    unit: str        # as written: 人, 家企业, 场次 ...
    unit_norm: str   # normalised: 人, 家, 场次 ...

    def to_dict(self) -> dict:
        return {"value": self.value, "unit": self.unit, "unit_norm": self.unit_norm}


@dataclass(frozen=True, slots=True)
class Value:
    """One parsed value cell; see :func:`parse_value` for the meaning of each field."""

    raw: str
    kind: str = "text"   # count|percent|money|date|duration|qualitative|boolean|empty|placeholder|text
    op: str = ""          # >=, >, <=, <, =, ~, range, or ''
    value: float | None = None
    value_high: float | None = None
    unit: str = ""
    unit_norm: str = ""
    money_yuan: float | None = None
    date: str = ""
    secondary: tuple[Quantity, ...] = ()
    direction: str = ""
    vague: bool = False
    status: str = "ok"
    reason: str = ""
    span: tuple[int, int] | None = None

    def to_dict(self) -> dict:
        """JSON-ready mapping (secondary as a list of dicts, span as a list or None)."""
        return {
            "raw": self.raw, "kind": self.kind, "op": self.op, "value": self.value,
            "value_high": self.value_high, "unit": self.unit, "unit_norm": self.unit_norm,
            "money_yuan": self.money_yuan, "date": self.date,
            "secondary": [q.to_dict() for q in self.secondary], "direction": self.direction,
            "vague": self.vague, "status": self.status, "reason": self.reason,
            "span": list(self.span) if self.span else None,
        }


class _Hit:
    """One number read from the cell, with its comparator and unit."""

    __slots__ = ("start", "end", "raw", "factor", "value", "high", "unit", "norm", "cat", "op", "bare", "mult")

    def __init__(self, start, end, raw, factor, unit, norm, cat, op, bare, mult):
        self.start, self.end, self.raw, self.factor = start, end, raw, factor
        self.value, self.high = _clean(raw * factor), None
        self.unit, self.norm, self.cat, self.op, self.bare, self.mult = unit, norm, cat, op, bare, mult


@functools.lru_cache(maxsize=4096)
def _cn_number(text: str) -> float | None:
    """Chinese numeral → float through cn2an (imported on first use), None when it refuses."""
    if text[0] in "十百千":
        text = "一" + text
    try:
        import cn2an
        return float(cn2an.cn2an(text, "smart"))
    except Exception:  # cn2an raises ValueError and others on odd input
        return None


def _clean(v: float) -> float:
    return round(v, 8) if v == v and abs(v) < 1e15 else v


def _rate_norm(L: ValueLexicon, rate: str) -> str:
    parts = [p for p in "".join(" " if c in "*·、/×" else c for c in rate).split() if p]
    return "/" + "·".join(L.denominator_norm.get(p, p) for p in parts)


def _hint(L: ValueLexicon, hint: str | None) -> tuple[str, str, str, float] | None:
    """(written, category, normal form, factor) of the last unit in a 计量单位 cell or header."""
    if not hint:
        return None
    last = None
    for last in L.hint_re.finditer(hint.translate(L.trans)):
        pass
    if last is None:
        return None
    cat, norm, factor = L.units[last["unit"]]
    if last["rate"]:
        norm += _rate_norm(L, last["rate"])
    mult = last["mult"] or ""
    return mult + last["unit"] + (last["rate"] or ""), cat, norm, factor * L.multipliers.get(mult, 1.0)


def _hits(L: ValueLexicon, m: str) -> list[_Hit]:
    out: list[_Hit] = []
    for g in L.qty_re.finditer(m):
        num = g["num"]
        unit, mult = g["unit"] or g["bunit"], g["mult"] or g["bmult"]
        rate = g["rate"] or g["brate"] or g["orate"]
        if num[0] in _CN_ALL:
            if not unit or not (_CN_DIGITS & set(num) or num[0] in "十百千"):
                continue
            v = _cn_number(num)
            if v is None:
                continue
        else:
            v = float(num.replace(",", "").replace(" ", ""))
        op = L.before_ops.get(g["cmp"] or "") or L.between_ops.get(g["btw"] or "") or L.after_ops.get(g["sfx"] or "", "")
        factor = L.multipliers.get(mult, 1.0) if mult else 1.0
        if unit:
            cat, norm, f = L.units[unit]
            if cat == "duration" and unit == "年" and v >= 1000:
                continue
            written = (mult or "") + unit + (rate or "")
            h = _Hit(g.start(), g.end(), v, f * factor, written, norm + (_rate_norm(L, rate) if rate else ""),
                     cat, op, False, mult or "")
        elif rate:
            h = _Hit(g.start(), g.end(), v, factor, (mult or "") + rate, _rate_norm(L, rate), "count", op, False, mult or "")
        else:
            h = _Hit(g.start(), g.end(), v, factor, mult or "", "", "count", op, True, mult or "")
        if g["cmp"] is None:
            h.start = g.start("num")
        out.append(h)
    return _merge_ranges(L, m, out)


def _merge_ranges(L: ValueLexicon, m: str, hits: list[_Hit]) -> list[_Hit]:
    """85%-98%, 10至20人, 18—54周岁 → one hit with op 'range'."""
    i, out = 0, []
    while i < len(hits):
        a = hits[i]
        if i + 1 < len(hits):
            b = hits[i + 1]
            sep = L.range_sep_re.fullmatch(m, a.end, b.start)
            if sep and not b.op and a.op in ("", b.op) and (a.bare or (a.cat == b.cat and a.norm == b.norm)):
                r = _Hit(a.start, b.end, a.raw, b.factor if a.bare else a.factor, b.unit, b.norm, b.cat, "range", False, b.mult)
                r.high = b.value
                out.append(r)
                i += 2
                continue
        out.append(a)
        i += 1
    return out


def _iso_month(y, mo, d, year):
    base = f"{y}-{int(mo):02d}" if y else (f"{year}-{int(mo):02d}" if year else f"--{int(mo):02d}")
    return base + (f"-{int(d):02d}" if d else "")


def _date_at(L: ValueLexicon, g, year, inherit=None) -> str:
    if g["y"]:
        y = g["y"]
        if g["m"]:
            return _iso_month(y, g["m"], g["d"], year)
        return f"{y}-12-31" if g["end"] and not g["fy"] else y
    if g["y2"]:
        return _iso_month(g["y2"], g["m2"], g["d2"], year)
    if g["m3"]:
        return _iso_month(inherit, g["m3"], g["d3"], year)
    if g["end5"]:
        return f"{inherit or year}-12-31" if (inherit or year) else "--12-31"
    return ""


def _dates(L: ValueLexicon, m: str, year) -> list[tuple[int, int, str, str]]:
    """(start, end, iso, op) for each date; ranges as 'a/b' with op 'range'; deadlines '<'."""
    out, pos = [], 0
    while True:
        g = L.date_re.search(m, pos)
        if g is None:
            return out
        start, end, op = g.start(), g.end(), ""
        if g["ma"]:
            iso = f"{_iso_month(None, g['ma'], None, year)}/{_iso_month(None, g['mb'], None, year)}"
            op = "range"
        else:
            iso = _date_at(L, g, year)
            y = g["y"] or g["y2"]
            sep = L.range_sep_re.match(m, end)
            if sep and iso:
                g2 = L.date_re.match(m, sep.end())
                if g2 and not g2["ma"]:
                    iso, end, op = f"{iso}/{_date_at(L, g2, year, y)}", g2.end(), "range"
                elif y and (md := L.month_day_re.match(m, sep.end())):
                    iso, end, op = f"{iso}/{_iso_month(y, md['m'], md['d'], year)}", md.end(), "range"
        dl = L.deadline_re.match(m, end)
        if dl and op != "range":
            op, end = "<", dl.end()
        if iso:
            out.append((start, end, iso, op))
        pos = max(end, start + 1)


def _blank(s: str, spans) -> str:
    chars = list(s)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)


def _direction(L: ValueLexicon, text: str) -> str:
    found = {L.direction_of[w.group()] for w in L.direction_re.finditer(text)}
    if not found:
        return ""
    for w in L.direction_re.finditer(text):
        if L.direction_of[w.group()] in ("increase", "decrease"):
            return L.direction_of[w.group()]
    return "complete" if "complete" in found else "maintain"


def _leftover(L: ValueLexicon, text: str) -> str:
    text = L.filler_re.sub("", L.direction_re.sub("", text))
    return "".join(c for c in text if "\u4e00" <= c <= "\u9fff")


def _bracket_end(m: str, i: int) -> int:
    depth = 0
    for j in range(i, len(m)):
        if m[j] == "(":
            depth += 1
        elif m[j] == ")":
            depth -= 1
            if depth == 0:
                return j + 1
    return len(m)
