"""Funding-block cells glued together without separators, split where only one split fits.

OCR and flattened web pages write a row of the funding block as one run of characters:
``年度资金总额:40004000100%`` under ``全年预算数全年执行数预算执行率``. The run is read only
when its numbers can be assigned to the columns unambiguously:

1. every way of cutting the run into one well-formed number per column is listed (no
   leading zeros, at most two decimals, the ``%`` only on the 执行率, a rate of at most
   ``max_rate`` percent, a score no larger than its points, points of at most 100);
2. when exactly one cut is well formed, the row is read as written (``unique``) and every
   check runs on it;
3. when several are, the one whose 执行数 ÷ 预算数 gives the stated 执行率 is taken if it is
   the only one (``rate``): the row is read for the score and sum checks, but its rate is
   not checked (the split already assumed it right). A cut that spends nothing (执行数 0,
   执行率 0 %, the ``100%`` of a spent row read as ``1 | 0 | 0%``) yields to one that spends;
4. otherwise the row is not read, and the checks say so.

Worked example: columns 全年预算数 / 全年执行数 / 分值 / 执行率 / 得分 and the run
``202010100.00%10`` → ``20 | 20 | 10 | 100.00% | 10`` (of the well-formed cuts, 202 | 0 | 10,
2020 | 10 | 10 | 0.00 … only 20 / 20 gives 100 %): read by the rate. ``50万元47.6895.00%``
under 全年预算数 / 全年执行数 / 执行率 → ``50 | 47.68 | 95.00%`` is the only well-formed cut
(47.689 has three decimals, 895 % is no rate): read as written, and 47.68 ÷ 50 = 95.36 % is
then found to differ from the stated 95.00 %.

Not handled yet: a run with empty columns (fewer numbers than columns: the cut would have
to guess which column is empty), amounts written with four decimals of 万元 (47.6895 is cut
as 47.68 | 95…), runs split over two lines.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

MAX_RATE = 200.0
_NUM = re.compile(r"(?:0|[1-9]\d*)(?:\.\d{1,2})?")
_UNIT = re.compile(r"(万元|万|元)")


def close(stated: float, exact: float, tol: float) -> bool:
    """Stated equals exact after rounding or truncating to 0–2 decimals (within tol)."""
    if abs(stated - exact) <= tol:
        return True
    return any(abs(stated - f(exact * 10 ** d) / 10 ** d) < 1e-6 for d in (1, 2) for f in (math.floor, round))


def rate_fits(rate: float, spent: float, budget: float, tol: float) -> bool:
    exact = spent / budget * 100
    if rate <= 1.5 < exact:
        rate *= 100     # 0.9918 written for 99.18 %
    return close(rate, exact, tol) or (exact > 100 and close(rate, 100, tol))


def pieces(raw: list[str]) -> list[str]:
    """The row's value tokens cut at unit words (``50万元47.6895.00%`` → ``50``, ``47.6895.00%``)."""
    out: list[str] = []
    for tok in raw:
        for part in _UNIT.split(tok.replace(",", "").replace("，", "")):
            if part and not _UNIT.fullmatch(part):
                out.append(part)
    return out


def _cuts(s: str, n: int) -> Iterator[list[str]]:
    """Every way of cutting ``s`` into ``n`` well-formed numbers (a ``%`` stays on its number)."""
    if n == 0:
        if not s:
            yield []
        return
    for end in range(1, len(s) + 1):
        head = s[:end]
        pct = head.endswith(("%", "％"))
        body = head[:-1] if pct else head
        if not _NUM.fullmatch(body):
            continue
        if end < len(s) and s[end] in "%％":
            continue   # the % belongs to this number
        for rest in _cuts(s[end:], n - 1):
            yield [head] + rest


def _assign(ps: list[str], cols: tuple[str, ...]) -> Iterator[list[tuple[str, str]]]:
    """Every assignment of the pieces to all columns in order, each piece taking one or more."""
    if not ps:
        if not cols:
            yield []
        return
    first, rest = ps[0], ps[1:]
    for k in range(1, len(cols) - len(rest) + 1):
        for cut in _cuts(first, k):
            for tail in _assign(rest, cols[k:]):
                yield list(zip(cols[:k], cut)) + tail


def _well_formed(a: list[tuple[str, str]]) -> dict[str, float] | None:
    vals: dict[str, float] = {}
    for role, text in a:
        pct = text.endswith(("%", "％"))
        if pct != (role == "rate"):
            return None
        vals[role] = float(text.rstrip("%％"))
    if vals.get("rate", 0) > MAX_RATE or vals.get("points", 0) > 100:
        return None
    if "points" in vals and "score" in vals and vals["score"] > vals["points"]:
        return None
    return vals


def split_glued(raw: list[str], cols: tuple[str, ...], fits) -> tuple[tuple[tuple[str, float], ...], str] | None:
    """``(placed values, how)`` of a glued row, ``how`` 'unique' or 'rate', else None.

    ``fits(rate, spent, budget)`` says whether a stated rate fits its figures (the same
    rounding the rate check allows)."""
    ps = pieces(raw)
    if not ps or not cols:
        return None
    found: list[dict[str, float]] = []
    for a in _assign(ps, cols):
        vals = _well_formed(a)
        if vals is not None and vals not in found:
            found.append(vals)
        if len(found) > 50:
            return None   # a run of bare digits cuts too many ways to try the rate on
    if len(found) == 1:
        how, vals = "unique", found[0]
    else:
        by_rate = [v for v in found if v.get("rate") is not None and v.get("spent") is not None
                   and (v["rate"] > 0 or v["spent"] == 0)   # 0 % is nothing spent, not 10 of 40004000
                   # a rate capped at 100 % fits a modest overspend, not 363 spent of 6
                   and any(v.get(b) and v["spent"] <= MAX_RATE / 100 * v[b] and fits(v["rate"], v["spent"], v[b])
                           for b in ("budget", "initial"))]
        if len(by_rate) > 1:
            # …4000100% also cuts as 400040001 | 0 | 0%: a row that spent nothing. Such a cut is
            # taken only when no cut with a spend fits — forms that spent nothing write 0 | 0%
            # apart, and a fully spent row (100 %) is the common one
            by_rate = [v for v in by_rate if v.get("spent") or v.get("rate")]
        if len(by_rate) != 1:
            return None
        how, vals = "rate", by_rate[0]
    return tuple((c, vals[c]) for c in cols if c in vals), how
