"""Typed value columns of indicators.csv: target and actual parsed by :mod:`pipeline.values.parse`.

For each of ``target`` and ``actual`` the columns are ``<p>_kind, <p>_op, <p>_value,
<p>_value_high, <p>_unit, <p>_unit_norm, <p>_secondary, <p>_direction, <p>_vague,
<p>_status`` (plus ``target_money_yuan`` and ``target_date``). The 计量单位 column is the
unit hint, the 指标性质 column (≥, ≤ …) the comparator when the value cell has none, and
the filing's year resolves 年底 / 12月之前. Without a 计量单位 column, a unit in the name's
closing brackets (``受益人数(人)``) is the hint.
"""

from __future__ import annotations

import functools
import re

from pipeline.core.words import bound_words
from pipeline.extract.rows import IndicatorRow
from pipeline.values.context import name_kind
from pipeline.values.parse import parse_value

FIELDS = ("kind", "op", "value", "value_high", "unit", "unit_norm", "secondary", "direction", "vague", "status")
TYPED_COLUMNS = tuple(f"target_{f}" for f in FIELDS) + ("target_money_yuan", "target_date") + tuple(
    f"actual_{f}" for f in FIELDS)


def _num(v: float | None) -> str:
    if v is None:
        return ""
    return str(int(v)) if float(v).is_integer() and abs(v) < 1e15 else repr(round(v, 6))


# a unit written into the name: 实施营造林总面积(亩), 项目总投入(≥**万元), 苗木成活率(≥**%)
_NAME_UNIT = re.compile(r"[（(]\s*[≥≤><=＞＜＝]?\s*\**\s*([^\d()（）*≥≤><=＞＜＝\s]{1,4})\s*[)）]\s*$")


@functools.lru_cache(maxsize=4096)
def name_unit(name: str) -> str | None:
    """The unit a name states in its closing brackets, when it is a unit the value parser
    knows (``实施营造林总面积(亩)`` → ``亩``; ``受益人数(人)`` → ``人``), else None."""

    m = _NAME_UNIT.search(name or "")
    if not m:
        return None
    v = parse_value("1" + m.group(1))
    return m.group(1) if v.kind in ("count", "percent", "money") and v.unit_norm else None


def row_context(name: str, unit_raw: str, filed: str) -> tuple[str | None, str | None]:
    """``(unit_hint, name)`` a row's values are read with: the 计量单位 (or a unit in the
    name's brackets), and the name — with 成本 added when the row is filed under a 成本
    category (``filed``: 一级 + 二级 as filed) and the name has no cue of its own (``≤60万``
    under 成本指标 is an amount, whatever the name says)."""

    name = name or ""
    hint = unit_raw or name_unit(name) or None
    if "成本" in filed and name_kind(name) is None:
        name += "成本"
    return hint, name or None


def parse_cell(text: str, row: IndicatorRow, year: int | None, *, with_op: bool, table_unit: str | None = None):
    t = text
    if with_op and row.op_raw and t and not t.lstrip().startswith(bound_words()):
        t = row.op_raw.strip() + t
    hint, name = row_context(row.name, row.unit_raw, f"{row.level1_filed}{row.level2_filed}")
    if _is_points(text, row):
        name = table_unit = None       # the row's 分值/得分 read into the value cell: no name typing
    return parse_value(t, unit_hint=hint, name=name, table_unit=table_unit, year=year)


def _is_points(text: str, row: IndicatorRow) -> bool:
    """A bare value cell equal to the row's 分值 or 得分 (``10`` beside 分值10, 得分10 in a
    score table): more likely the points read into the value column than a value, so the
    name does not type it (``10`` under 满意度 would become 10%)."""
    t = (text or "").strip()
    return bool(t) and t.replace(".", "", 1).isdigit() and t in ((row.weight or "").strip(), (row.score or "").strip())


def typed_values(row: IndicatorRow, year: int | None = None, table_unit: str | None = None):
    """``(target Value, actual Value)`` of a row, each read with the row's 计量单位, name and
    the table's unit line (``单位：万元``)."""
    return (parse_cell(row.target_raw, row, year, with_op=True, table_unit=table_unit),
            parse_cell(row.actual_raw, row, year, with_op=False, table_unit=table_unit))


def typed_columns(target, actual) -> dict[str, object]:
    out: dict[str, object] = {}
    for prefix, v in (("target", target), ("actual", actual)):
        out[f"{prefix}_kind"] = v.kind
        out[f"{prefix}_op"] = v.op
        out[f"{prefix}_value"] = _num(v.value)
        out[f"{prefix}_value_high"] = _num(v.value_high)
        out[f"{prefix}_unit"] = v.unit
        out[f"{prefix}_unit_norm"] = v.unit_norm
        out[f"{prefix}_secondary"] = "|".join(f"{_num(q.value)}:{q.unit_norm}" for q in v.secondary)
        out[f"{prefix}_direction"] = v.direction
        out[f"{prefix}_vague"] = "1" if v.vague else "0"
        out[f"{prefix}_status"] = v.status
    out["target_money_yuan"] = _num(target.money_yuan)
    out["target_date"] = target.date
    return out
