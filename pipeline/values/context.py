"""A value cell read with its row: the indicator name and the table's unit line.

Many cells cannot be typed alone: a bare ``1`` under 覆盖率 exported from a spreadsheet is
100%, ``250万`` under 项目资金 is money, ``28.8`` under 资金 in a table headed
``单位：万元`` is 288,000 元. :func:`apply_context` takes the value :mod:`pipeline.values.parse`
read from the cell (and the 计量单位 column) and, only when the cell left its unit open —
a bare number, or ``X万`` / ``X亿`` without 元 — types it from the name, then the table unit.
The result's ``basis`` says what decided: ``cell``, ``unit column``, ``name`` or
``table unit``.

The name cues are data (``context`` in ``configs/values.yaml``); a name ending with a unit
of two or more characters of the lexicon (``…抽验批次``, ``…培训学时``) gives that unit;
otherwise the cue nearest the end of the name decides, because a Chinese name ends with
its head noun:

========================================  ==========================================
``("1", name="学龄儿童入学覆盖率")``            percent 100 (a fraction ≤ 1 under a rate: points)
``("0.95", name="资金到位率")``                percent 95
``("≤60万", name="设备购置成本")``              money 600,000 元, op ``<=``
``("28.8", name="项目资金", table_unit="万元")``  money 288,000 元, basis ``table unit``
``("28.8", name="项目资金")``                   count 28.8, no unit (元 or 万元 cannot be told)
``("3000", name="补助资金发放人数")``            count 3000 人 (人数 ends the name)
``("30", name="补贴渔船数")``                   count 30, no unit (a count name: never money)
``("8", name="补助村(社区)数量")``              count 8 村 (the measure word before 数量)
``("≤28.4/株", name="苗木单价")``               money 28.4 元/株 (a rate under a money name)
``("2024", name="项目完成时间")``               date 2024 (a year under a time name)
``("92", name="考核得分")``                     count 92 分
========================================  ==========================================

A name ending with a count word (``count_name_endings``: …数, …数量) is a count name
whatever money word it holds; the unit is the count unit or measure word just before the
ending, none when there is none; ``…预算数``, ``…执行数`` are amounts, ``…系数``, ``…指数`` no count.
A name opening with an action verb (``完成…支付资金``) takes no money cue: its last noun is
the verb's object. Not handled yet: a name whose head noun is not last (``人数达标情况``); a noun before 数
that is no measure word gives no unit (``补贴渔船数``: 艘 is not guessed); a unit line of
another table of the filing; 千元 / 亿元 table units on ``X万`` cells.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass

from pipeline.core.config import config_dir, load_yaml, require, str_list
from pipeline.core.errors import ConfigError
from pipeline.values.lexicon import lexicon


@dataclass(frozen=True, slots=True)
class ContextRules:
    """The ``context`` section of values.yaml, checked."""

    percent_words: tuple[str, ...]
    money_words: tuple[str, ...]
    count_units: tuple[tuple[str, str], ...]       # (name ending, unit text)
    table_units: frozenset[str]
    action_starts: tuple[str, ...]
    percent_max: float
    count_endings: tuple[str, ...]
    date_words: tuple[str, ...]
    year_range: tuple[int, int]
    not_count_endings: tuple[str, ...]
    amount_endings: tuple[str, ...]


@functools.cache
def context_rules() -> ContextRules:
    where = str(config_dir() / "values.yaml")
    ctx = require(load_yaml("values.yaml"), "context", dict, where)
    sub = f"{where} (context)"
    counts = require(ctx, "count_name_units", dict, sub)
    for k, v in counts.items():
        if not (isinstance(k, str) and k and isinstance(v, str) and v):
            raise ConfigError(where, f"context.count_name_units.{k!r} must name a unit, got {v!r}")
    return ContextRules(
        percent_words=str_list(ctx, "percent_name_words", sub),
        money_words=str_list(ctx, "money_name_words", sub),
        count_units=tuple(counts.items()),
        table_units=frozenset(str_list(ctx, "table_units", sub)),
        action_starts=str_list(ctx, "action_name_starts", sub),
        percent_max=float(require(ctx, "percent_name_max", (int, float), sub)),
        date_words=str_list(ctx, "date_name_words", sub),
        year_range=_year_range(require(ctx, "date_name_years", list, sub), where),
        count_endings=tuple(sorted(str_list(ctx, "count_name_endings", sub), key=len, reverse=True)),
        not_count_endings=str_list(ctx, "not_count_endings", sub),
        amount_endings=str_list(ctx, "amount_name_endings", sub),
    )


def _year_range(pair: list, where: str) -> tuple[int, int]:
    if not (len(pair) == 2 and all(isinstance(x, int) and not isinstance(x, bool) for x in pair) and pair[0] < pair[1]):
        raise ConfigError(where, f"context.date_name_years must be [first year, last year], got {pair!r}")
    return pair[0], pair[1]


def _unit_ending(name: str) -> tuple[str, str] | None:
    """``("count", "批次")`` when the name ends with a count or duration unit of two or more
    Chinese characters of the value lexicon (one character is too often part of a noun:
    …村, …站)."""
    for u, (cat, _norm, _f) in _ending_units():
        if name.endswith(u):
            before = name[:-len(u)].rstrip()
            if before and (before[-1].isdigit() or before[-1] in "零〇一二两三四五六七八九十百千万"):
                return None            # 建设二级公路32.1公里: a quantity inside the name, not the value's unit
            return cat, u
    return None


# a unit written into the name's closing brackets: 项目资金(万元), 受益人口(万人), 补助标准(元/人)
_NAME_UNIT = re.compile(r"[（(]\s*[≥≤><=＞＜＝]?\s*\**\s*([^\d()（）*≥≤><=＞＜＝\s]{1,6})\s*[)）]\s*$")


@functools.lru_cache(maxsize=4096)
def name_unit_hint(name: str) -> str | None:
    """The unit a name states in its closing brackets when it is a unit of the lexicon,
    whole (``项目资金(万元)`` → ``万元``, ``补助标准(元/人)`` → ``元/人``); else None
    (``(市、区)`` names places)."""
    m = _NAME_UNIT.search(name or "")
    if not m:
        return None
    L = lexicon()
    unit = m.group(1).translate(L.trans)
    return unit if L.hint_re.fullmatch(unit) else None


def _unit_factor(unit: str) -> float:
    """How many base units one ``unit`` is: 元 1, 千元 1000, 万元 10000 (a 万/亿 multiplier
    written before a unit of the lexicon, as the parser reads ``1万元``)."""
    L = lexicon()
    if unit in L.units:
        return L.units[unit][2]
    if unit[:1] in L.multipliers and unit[1:] in L.units:
        return L.multipliers[unit[:1]] * L.units[unit[1:]][2]
    return 1.0


@functools.cache
def _ending_units() -> tuple[tuple[str, tuple[str, str, float]], ...]:
    L = lexicon()
    units = [(u, spec) for u, spec in L.units.items()
             if spec[0] in ("count", "duration") and len(u) >= 2 and all("\u4e00" <= c <= "\u9fff" for c in u)]
    return tuple(sorted(units, key=lambda x: -len(x[0])))


_BRACKETS = re.compile(r"[(（][^()（）]*[)）]")


def _count_name(name: str) -> tuple[str, str] | None:
    """``("count", unit)`` when the name ends with a count ending (``…数``, ``…数量``):
    the unit is the measure word or count unit just before it (``改造户数`` → 户,
    ``补助村(社区)数量`` → 村, ``培训期数`` → 期), ``""`` when there is none
    (``补贴渔船数``); ``("money", "")`` for an amount (``年初预算数``: the 数 of budget
    tables is a sum of money); None for the endings that are no count (``…系数``, ``…指数``)."""
    R = context_rules()
    n = _BRACKETS.sub("", name).rstrip(" 。.;；:：")
    end = next((e for e in R.count_endings if n.endswith(e)), None)
    if end is None or n.endswith(R.not_count_endings):
        return None
    if n.endswith(R.amount_endings):
        return "money", ""                     # 全年执行数 is an amount, whatever cue comes before
    stem = n[:-len(end)]
    for u, _spec in _stem_units():
        if stem.endswith(u):
            return "count", u                  # 培训人次数 -> 人次 (longest unit first)
    for w, u in R.count_units:                 # 天数 -> 天, 工作日数: the listed endings
        if n.endswith(w):
            return "count", u
    return "count", ""


@functools.cache
def _stem_units() -> tuple[tuple[str, tuple[str, str, float]], ...]:
    """Count units and measure words, longest first (床位 before 床)."""
    L = lexicon()
    return tuple(sorted(((u, spec) for u, spec in L.units.items() if spec[0] == "count"
                         and all("\u4e00" <= c <= "\u9fff" for c in u)), key=lambda x: -len(x[0])))


@functools.lru_cache(maxsize=4096)
def name_kind(name: str) -> tuple[str, str] | None:
    """``("percent", "")``, ``("money", "")`` or ``("count", unit)`` from the name's last cue;
    None when the name has no cue."""
    if not name:
        return None
    R = context_rules()
    unit = _unit_ending(name.rstrip(" 。.;；:："))
    if unit:
        return unit                    # 化妆品抽验批次, 人均培训学时: the name ends with the unit
    # 完成…支付资金, 按期完成投资: a name opening with an action has the verb's object as its
    # last noun, so a money word there says nothing; 保障村干部人数 still counts 人
    count = _count_name(name)
    if count:
        return count                   # 补贴渔船数, 经费补助县(市、区)数量: a count, never money
    action = name.startswith(R.action_starts)
    best: tuple[int, int, tuple[str, str]] | None = None
    cues = [(w, ("percent", "")) for w in R.percent_words] + [(w, ("date", "")) for w in R.date_words] + \
        ([] if action else [(w, ("money", "")) for w in R.money_words]) + [(w, ("count", u)) for w, u in R.count_units]
    for word, kind in cues:
        at = name.rfind(word)
        if at >= 0:
            cand = (at + len(word), len(word), kind)   # the cue ending last, then the longest
            if best is None or cand[:2] > best[:2]:
                best = cand
    return best[2] if best else None


# 单位：万元, 金额单位:万元, 资金单位（万元）: the unit line above or inside a table
_UNIT_LINE = re.compile(r"(?:金额|资金|预算)?单位\s*[:：(（]\s*(万元|千元|亿元|元)")


def table_unit_of(text: str) -> str | None:
    """The first unit line of a filing's text (``单位：万元`` → ``万元``), or None.

    One unit for the filing: a filing with tables in different units gets the first one,
    which only matters for bare numbers under money names (the only cells it applies to).
    """
    m = _UNIT_LINE.search(text or "")
    return m.group(1) if m else None


def _open_unit(v) -> bool:
    """A number whose unit the cell left open: bare, 万 / 亿 without 元, or a figure per a
    measure word without a unit of its own (``≤28.40/株``)."""
    if v.kind != "count" or v.value is None or v.basis != "cell":
        return False
    return (v.unit_norm == "" and v.unit in ("", "万", "亿")) or (v.unit[:1] == "/" and v.unit_norm == v.unit)


def _scale(x: float | None, f: float) -> float | None:
    return None if x is None else round(x * f, 8)


def _typed_secondaries(v, f: float, unit: str, norm: str) -> tuple:
    """The secondaries written as bare numbers (计划 0.95 实际 0.96) typed as the value was."""
    return tuple(dataclasses.replace(q, value=_scale(q.value, f), unit=unit, unit_norm=norm)
                 if q.unit == "" and q.unit_norm == "" else q for q in v.secondary)


def apply_context(v, name: str | None, table_unit: str | None):
    """The value typed by the name and the table unit when the cell left its unit open."""
    if not _open_unit(v):
        return v
    kind = name_kind(name) if name else None
    if kind is None:
        return v
    what, unit = kind
    if v.unit[:1] == "/":
        # ≤28.40/株 under 苗木单价 or a 成本 row: money per 株; under a count name it stays a
        # rate per the word (its count unit is the name's, 2/户 under 发放袋数: 袋/户)
        if what == "money":
            return dataclasses.replace(v, kind="money", unit_norm="元" + v.unit_norm, money_yuan=v.value, basis="name")
        spec = lexicon().units.get(unit)
        if what == "count" and spec and spec[0] == "count" and spec[1]:
            return dataclasses.replace(v, unit=unit + v.unit, unit_norm=spec[1] + v.unit_norm, basis="name")
        return v
    if what == "date":
        # 2023 under 完成时间: the year, not 2,023 of something; other numbers stay as read
        lo, hi = context_rules().year_range
        if v.unit == "" and v.value_high is None and v.value.is_integer() and lo <= v.value <= hi:
            return dataclasses.replace(v, kind="date", value=None, date=str(int(v.value)), basis="name")
        return v
    if what == "percent" and v.unit == "" and abs(v.value) <= context_rules().percent_max:
        hi = v.value_high if v.value_high is not None else v.value
        f = 100.0 if 0 <= v.value <= 1 and 0 <= hi <= 1 else 1.0   # 0.95 / 1 / 0 from a spreadsheet
        return dataclasses.replace(v, kind="percent", value=_scale(v.value, f), value_high=_scale(v.value_high, f),
                                   unit_norm="%", basis="name", secondary=_typed_secondaries(v, f, "", "%"))
    if what == "money":
        tu = (table_unit or "").strip()
        if tu in context_rules().table_units and v.unit == "":
            f = _unit_factor(tu)                            # 万元 -> 10000
            val = _scale(v.value, f)
            return dataclasses.replace(v, kind="money", value=val, value_high=_scale(v.value_high, f), unit=tu,
                                       unit_norm="元", money_yuan=val, basis="table unit",
                                       secondary=_typed_secondaries(v, f, tu, "元"))
        if v.unit == "":
            # 28 under 项目资金 with no unit anywhere: 元 or 万元 cannot be told, so it stays a
            # number without a unit (and the review asks for the unit)
            return v
        # X万 / X亿 under a money name is 万元 / 亿元 (the value is multiplied out already)
        return dataclasses.replace(v, kind="money", unit_norm="元", money_yuan=v.value, basis="name")
    if what == "count":
        spec = lexicon().units.get(unit)                    # 批次 -> ("count", "批次", 1)
        if spec and spec[0] in ("count", "duration") and spec[1]:
            # 1.2万 under 受益人数: 12,000 人 (the 万 is multiplied out already)
            return dataclasses.replace(v, kind=spec[0], unit=v.unit + unit, unit_norm=spec[1], basis="name",
                                       secondary=_typed_secondaries(v, 1.0, unit, spec[1]))
    return v
