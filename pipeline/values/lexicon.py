"""The word lists of the value parser (``configs/values.yaml``), checked and compiled once.

:func:`lexicon` reads the file on first use (never at import time), validates every key —
an error names the file and the key through :class:`pipeline.core.errors.ConfigError` — and
builds the regular expressions the parser in :mod:`pipeline.values.parse` runs. Nothing here is
called per value.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from pipeline.core.config import config_dir, load_yaml, require, str_list
from pipeline.core.errors import ConfigError
from pipeline.core.words import comparator_table

CATEGORIES = ("percent", "money", "duration", "count")
DIRECTIONS = ("increase", "decrease", "maintain", "complete")

# 1:1 character map (offsets into the raw text stay valid): full-width ASCII, ideographic
# space, the many dashes and dots of filed text.
_TRANS: dict[int, str] = {c: chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
_TRANS.update({ord(k): v for k, v in {
    "\u3000": " ", "\xa0": " ", "\t": " ", "\n": " ", "\r": " ", "\u2002": " ", "\u2003": " ",
    "≧": "≥", "≦": "≤", "〜": "~", "—": "-", "–": "-", "―": "-", "−": "-", "‐": "-", "‑": "-",
    "•": "·", "・": "·", "‧": "·", "∙": "·", "〔": "(", "〕": ")", "［": "[", "］": "]",
}.items()})

CJK = "\u4e00-\u9fff"
NUM_AR = r"\d+(?:,\d{3})*(?:\.\s?\d+)?"
NUM_CN = "[零〇一二两三四五六七八九十百千万亿]{1,12}"
NUM_MASKED = r"\*{2,}[\d*]*"     # ≤****000元, ≥**万元: digits hidden by the publishing site


@dataclass(frozen=True, slots=True)
class ValueLexicon:
    """Checked word lists plus the expressions compiled from them."""

    version: str
    units: dict[str, tuple[str, str, float]]     # written -> (category, normal form, multiplier)
    multipliers: dict[str, float]
    denominator_norm: dict[str, str]
    periods: frozenset[str]                       # denominators that are periods (月, 年, 天): 2次/月
    before_ops: dict[str, str]
    after_ops: dict[str, str]
    between_ops: dict[str, str]
    direction_of: dict[str, str]                  # word -> direction
    vague_words: frozenset[str]
    placeholders: frozenset[str]
    categories: frozenset[str]
    boolean: dict[str, bool]
    money_context: tuple[str, ...]
    timely_words: tuple[str, ...]
    recurring_markers: tuple[str, ...]
    filler_words: tuple[str, ...]
    measure_units: frozenset[str]                 # units that come from measure_words (量词)
    vague_whole: frozenset[str]
    purpose_min_chars: int
    whole_year: frozenset[str]
    copula_words: tuple[str, ...]
    trans: dict[int, str]
    qty_re: re.Pattern[str]
    date_re: re.Pattern[str]
    season_date_re: re.Pattern[str]               # date_re with quarters and half-years first
    mask_re: re.Pattern[str]
    mask_guard_re: re.Pattern[str]
    date_guard_re: re.Pattern[str]
    unit_only_re: re.Pattern[str]
    hint_re: re.Pattern[str]
    direction_re: re.Pattern[str]
    before_op_re: re.Pattern[str]
    recurring_re: re.Pattern[str]
    direction_stop_re: re.Pattern[str]
    negated_re: re.Pattern[str]                   # 未能及时, 不达标: a direction word negated
    negation_guard_re: re.Pattern[str]            # the first characters of the negation words
    ordinal_units: frozenset[str]                 # 期, 批, 轮: measure words that also number sessions
    vague_re: re.Pattern[str]
    vague_stop_re: re.Pattern[str]                # 健康体检, 有效期: nouns holding a vague word
    filler_re: re.Pattern[str]
    money_context_re: re.Pattern[str]
    range_sep_re: re.Pattern[str]
    month_day_re: re.Pattern[str]
    deadline_re: re.Pattern[str]
    not_quantity_re: re.Pattern[str]
    measure_blocker_re: re.Pattern[str]
    standard_re: re.Pattern[str]
    until_re: re.Pattern[str]
    maximum_re: re.Pattern[str]
    quantity_label_re: re.Pattern[str]            # a label straight before a number (实际 18)
    quantity_label_word_re: re.Pattern[str]       # any of those labels
    numeral_unit_re: re.Pattern[str]              # units opening with 十/百/千 (千元, 百分比)
    currency_re: re.Pattern[str]                  # ¥, RMB, 人民币 straight before the number
    per_re: re.Pattern[str]                       # 每月开展 before a count: a rate per month
    den_re: re.Pattern[str]                       # one denominator of a rate (人天 -> 人, 天)


def _alt(words: Any) -> str:
    """Regex alternation, longest first so 人次 wins over 人."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _op_table(key: str) -> dict[str, str]:
    """word → operator for one comparator table (read and checked in :mod:`pipeline.core.words`)."""
    out: dict[str, str] = {}
    for op, words in comparator_table(key).items():
        for word in words:
            out[word] = op
    return out


def _units(data: dict[str, Any], where: str) -> dict[str, tuple[str, str, float]]:
    table = require(data, "units", dict, where)
    out: dict[str, tuple[str, str, float]] = {}
    for cat in CATEGORIES:
        rows = require(table, cat, dict, f"{where} (units)")
        for written, spec in rows.items():
            ok = (isinstance(written, str) and written and isinstance(spec, list) and len(spec) == 2
                  and isinstance(spec[0], str) and isinstance(spec[1], (int, float))
                  and not isinstance(spec[1], bool))
            if not ok:
                raise ConfigError(where, f"units.{cat}.{written!r} must be [normal form, multiplier], got {spec!r}")
            out[written] = (cat, spec[0], float(spec[1]))
    return out


def _measure_words(data: dict[str, Any], where: str, units: dict[str, tuple[str, str, float]]) -> frozenset[str]:
    """Add the 量词 of ``measure_words`` to ``units`` as counts; the units table wins."""
    added = []
    for i, pair in enumerate(require(data, "measure_words", list, where)):
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) and x for x in pair)):
            raise ConfigError(where, f"item {i} of 'measure_words' must be [written, normal form], got {pair!r}")
        if pair[0] not in units:
            units[pair[0]] = ("count", pair[1], 1.0)
            added.append(pair[0])
    return frozenset(added)


@functools.cache
def lexicon() -> ValueLexicon:
    """Load ``values.yaml`` once and compile it; raises ConfigError naming the file."""
    where = str(config_dir() / "values.yaml")
    data = load_yaml("values.yaml")
    version = require(data, "version", str, where)
    if version != "v1":
        raise ConfigError(where, f"version {version!r} is not supported by this jixiao; expected 'v1'")
    units = _units(data, where)
    measure_units = _measure_words(data, where, units)
    mult_raw = require(data, "multipliers", dict, where)
    multipliers: dict[str, float] = {}
    for k, v in mult_raw.items():
        if not isinstance(k, str) or not k or isinstance(v, bool) or not isinstance(v, (int, float)):
            raise ConfigError(where, f"multipliers.{k!r} must be a number, got {v!r}")
        multipliers[k] = float(v)
    denominators = str_list(data, "rate_denominators", where)
    before_ops = _op_table("comparators_before")
    after_ops = _op_table("comparators_after")
    between_ops = _op_table("comparators_between")
    dir_raw = require(data, "direction_words", dict, where)
    direction_of: dict[str, str] = {}
    for d in DIRECTIONS:
        for w in str_list(dir_raw, d, f"{where} (direction_words)"):
            direction_of.setdefault(w, d)
    vague = str_list(data, "vague_words", where)
    placeholders = str_list(data, "placeholder_tokens", where)
    categories = str_list(data, "category_names", where)
    boolean = {w: True for w in str_list(data, "boolean_true", where)}
    boolean.update({w: False for w in str_list(data, "boolean_false", where)})
    money_context = str_list(data, "money_context_words", where)
    deadline = str_list(data, "deadline_words", where)
    timely = str_list(data, "timely_words", where)
    recurring = str_list(data, "recurring_markers", where)
    yearly = str_list(data, "yearly_markers", where)
    baseline = str_list(data, "baseline_markers", where)
    labels = str_list(data, "label_prefixes", where)
    qlabels = str_list(data, "quantity_labels", where)
    filler = [*str_list(data, "filler_words", where), *qlabels]
    purpose_min = require(data, "purpose_min_chars", int, where)

    unit_alt = _alt(units)
    # a multiplier that starts a unit of the tables is that unit there (3千米 is 3 km, 98百分比
    # 98%, not 3000 米 or 9800 分): each multiplier is blocked before the rest of such a unit
    def _mult(w: str) -> str:
        rests = [u[len(w):] for u in units if u.startswith(w) and len(u) > len(w)]
        return re.escape(w) + (f"(?!{_alt(rests)})" if rests else "")
    mult_alt = "|".join(_mult(w) for w in sorted(multipliers, key=lambda w: (-len(w), w)))
    # a rate is per any count unit or measure word (元/株, 元/延米), not only per the listed
    # denominators; a period may follow a person or a household without a joint (元/人天,
    # 元/户年: per person-day), the joints between the others are written (元/人·次)
    dens = [*denominators, *(u for u, spec in units.items() if spec[0] == "count" and "/" not in u)]
    den_alt = _alt(dens)
    periods = str_list(data, "rate_periods", where)
    rate = (rf"/\s*(?:{den_alt})(?:\s*[*·、/×]\s*(?:{den_alt})|(?:{_alt(periods)}))*")
    qty_re = re.compile(
        rf"(?P<cmp>{_alt(before_ops)})?\s*"
        rf"(?<![\d.])(?P<num>{NUM_AR}|{NUM_CN}|{NUM_MASKED})"
        rf"\s*(?P<mult>{mult_alt})?\s*(?P<btw>{_alt(between_ops)})?\s*"
        rf"(?:(?P<unit>{unit_alt})(?P<rate>{rate})?"
        rf"|\(\s*(?P<bmult>{mult_alt})?\s*(?P<bunit>{unit_alt})(?P<brate>{rate})?\s*\)"
        rf"|(?P<orate>{rate}))?"
        rf"(?:\((?:{unit_alt})\))?"
        rf"(?:\s*(?P<sfx>{_alt(after_ops)}))?"
    )
    y = r"(?:19|20)\d{2}"
    m = r"1[0-2]|0?[1-9]"
    d = r"3[01]|[12]\d|0?[1-9]"
    # 2023年第四季度, 三季度, 上半年: a quarter or a half of the year is a span of months (tried
    # first, and only on cells that name one: the alternatives cost at every position)
    season = (rf"(?:(?P<yq>{y})\s*年\s*(?:度\s*)?)?(?<![每个\d])第?\s*(?P<q>[一二三四1-4])\s*季度\s*(?P<endq>底|末)?"
              rf"|(?:(?P<yh>{y})\s*年\s*(?:度\s*)?)?(?P<h>上|下)半年\s*(?P<endh>底|末)?")
    date_pattern = (
        rf"(?<!\d)(?P<y>{y})\s*年\s*(?:(?P<fy>度|全年)|年(?=\s*[底末])|(?P<m>{m})\s*(?:-+\s*(?P<mto>{m})\s*)?月份?\s*(?:(?P<d>{d})\s*[日号])?)?\s*(?P<end>底|末)?"
        rf"|(?<![\d.])(?P<y2>{y})\s*[./-]\s*(?P<m2>{m})\s*[./-]\s*(?P<d2>{d})(?![\d])"
        # 2024.03: a year and a two-digit month (no amount: 2023.12万元 stays a number)
        rf"|(?<![\d.])(?P<y4>{y})\.(?P<m4>0[1-9]|1[0-2])(?![\d.]|\s*(?:万|亿|元|%|‰))"
        rf"|(?<![\d.])(?P<ma>{m})\s*-+\s*(?P<mb>{m})\s*月份?"
        rf"|(?<![\d.])(?P<m3>{m})\s*月份?\s*(?:(?P<d3>{d})\s*[日号])?\s*(?P<end3>底|末)?"
        rf"|(?<![\d年])年\s*(?P<end5>底|末)"
    )
    date_re = re.compile(date_pattern)
    season_date_re = re.compile(season + "|" + date_pattern)
    mask_re = re.compile(
        r"\([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,8}\)"           # pinyin glosses 达(dá)标
        r"|《[^》]{0,60}》|\b(?:GB|GB/T|HJ|DB\d*)\s*[\d.]+(?:-\d{4})?"  # titles, standard codes
        r"|[【\[(]\s*(?:19|20)\d{2}\s*[】\])]\s*第?\s*\d+\s*号"            # document numbers 〔2022〕13号
        rf"|(?:{_alt(baseline)})\s*{y}\s*年度?"                       # 同比2022年
        rf"|^\s*(?:{_alt(labels)})\s*[:：]"                           # 标准: 100%
        rf"|[{CJK}]{{0,14}}[率度](?=\s*(?:为|是|:|=|≥|≤|>|<|\d|{_alt(before_ops)}))"  # 出勤率达
        rf"|第\s*(?:\d+|{NUM_CN})(?!\s*季度)"                          # ordinals (第四季度 is a date)
        rf"|{_alt(yearly)}"
    )
    guard_chars = {w[0] for w in (*baseline, *labels, *yearly)} | set("(《GHD【[第率度")
    mask_guard_re = re.compile("[" + re.escape("".join(sorted(guard_chars))) + "]")
    date_guard_re = re.compile(r"[年月]|季度|\d\s*[./-]\s*\d")
    unit_only_re = re.compile(
        rf"(?:{_alt(before_ops)})?\s*(?:{mult_alt})?\s*(?:{unit_alt})?\s*")
    hint_re = re.compile(rf"(?P<mult>{mult_alt})?(?P<unit>{unit_alt})(?P<rate>{rate})?")
    return ValueLexicon(
        version=version, units=units, multipliers=multipliers,
        denominator_norm={w: units[w][1] if w in units and units[w][0] != "percent" else w for w in dens},
        periods=frozenset(periods),
        before_ops=before_ops, after_ops=after_ops, between_ops=between_ops,
        direction_of=direction_of, vague_words=frozenset(vague), placeholders=frozenset(placeholders),
        categories=frozenset(categories), boolean=boolean, money_context=money_context,
        timely_words=timely, recurring_markers=recurring, filler_words=filler,
        measure_units=measure_units,
        vague_whole=frozenset(str_list(data, "vague_whole_cells", where)), purpose_min_chars=purpose_min,
        whole_year=frozenset(str_list(data, "whole_year_cells", where)),
        copula_words=str_list(data, "copula_words", where), trans=_TRANS,
        qty_re=qty_re, date_re=date_re, season_date_re=season_date_re, mask_re=mask_re, mask_guard_re=mask_guard_re, date_guard_re=date_guard_re, unit_only_re=unit_only_re, hint_re=hint_re,
        direction_re=re.compile(_alt(direction_of)),
        before_op_re=re.compile(_alt(before_ops)),
        recurring_re=re.compile(_alt(recurring)),
        direction_stop_re=re.compile(_alt(str_list(data, "direction_stop_words", where))),
        # the negation reaches over a run of direction words (未能按时完成)
        negated_re=re.compile(rf"(?:{_alt(str_list(data, 'negation_words', where))})\s*(?:{_alt(direction_of)})+"),
        negation_guard_re=re.compile("[" + re.escape("".join(sorted({w[0] for w in str_list(data, "negation_words", where)}))) + "]"),
        ordinal_units=frozenset(str_list(data, "ordinal_measure_words", where)),
        vague_re=re.compile(_alt(vague)),
        vague_stop_re=re.compile(_alt(str_list(data, "vague_stop_words", where))),
        filler_re=re.compile(_alt(filler)),
        money_context_re=re.compile(_alt(money_context)),
        range_sep_re=re.compile(r"\s*(?:-+|~|至|到)\s*"),
        month_day_re=re.compile(rf"(?P<m>{m})\.(?P<d>{d})(?![\d.])"),
        deadline_re=re.compile(rf"\s*(?:{_alt(deadline)})"),
        not_quantity_re=re.compile(rf"\s*(?:{_alt(str_list(data, 'not_quantity_suffixes', where))})"),
        standard_re=re.compile(_alt(str_list(data, "standard_words", where))),
        measure_blocker_re=re.compile(_alt(str_list(data, "measure_word_blockers", where))),
        until_re=re.compile(rf"(?:{_alt(str_list(data, 'until_words', where))})\s*$"),
        den_re=re.compile(den_alt),
        currency_re=re.compile(rf"(?:{_alt(str_list(data, 'currency_markers', where))})\s*$"),
        # 每 + a denominator (not 每个: a determiner, its noun follows), repeated (每人每月),
        # then a few words without a number or a separator up to the quantity
        per_re=re.compile(rf"(?P<pers>(?:每\s*(?!个)(?:{den_alt}|季)\s*)+)[^,;。\d]{{0,8}}$"),
        numeral_unit_re=re.compile(_alt([u for u in units if u[0] in "十百千"] or ["(?!)"])),
        quantity_label_re=re.compile(rf"(?:{_alt(qlabels)})\s*[:：]?\s*$"),
        quantity_label_word_re=re.compile(_alt(qlabels)),
        maximum_re=re.compile(rf"(?:{_alt(str_list(data, 'maximum_markers', where))})\s*[:：]?\s*$"),
    )


# ------------------------------------------------------------------ helpers of pipeline.values.parse

@functools.lru_cache(maxsize=4096)
def cn_number(text: str) -> float | None:
    """Chinese numeral → float through cn2an (imported on first use), None when it refuses."""
    if text[0] in "十百千":
        text = "一" + text
    try:
        import cn2an
        return float(cn2an.cn2an(text, "smart"))
    except Exception:  # cn2an raises ValueError and others on odd input
        return None


def rate_norm(L: ValueLexicon, rate: str) -> str:
    """元/人*月 tail → "/人·月": denominators normalised, joints made "·"."""
    parts = [w for p in "".join(" " if c in "*·、/×" else c for c in rate).split() for w in L.den_re.findall(p) or [p]]
    return "/" + "·".join(L.denominator_norm.get(p, p) for p in parts)


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
    if g["y4"]:
        return _iso_month(g["y4"], g["m4"], None, year)
    if g["m3"]:
        return _iso_month(inherit, g["m3"], g["d3"], year)
    if g["end5"]:
        return f"{inherit or year}-12-31" if (inherit or year) else "--12-31"
    return ""


def read_dates(L: ValueLexicon, m: str, year) -> list[tuple[int, int, str, str]]:
    """(start, end, iso, op) for each date; ranges as 'a/b' with op 'range'; deadlines '<'."""
    out, pos = [], 0
    rx = L.season_date_re if ("季度" in m or "半年" in m) else L.date_re
    while True:
        g = rx.search(m, pos)
        if g is None:
            return out
        start, end, op = g.start(), g.end(), ""
        if g["ma"]:
            iso = f"{_iso_month(None, g['ma'], None, year)}/{_iso_month(None, g['mb'], None, year)}"
            op = "range"
        elif rx is L.season_date_re and (g["q"] or g["h"]):   # 第四季度 -> 10/12; 上半年 -> 01/06
            y = g["yq"] or g["yh"]
            first = 3 * ("一二三四".find(g["q"]) if g["q"] in "一二三四" else int(g["q"]) - 1) + 1 if g["q"] \
                else (1 if g["h"] == "上" else 7)
            last = first + (2 if g["q"] else 5)
            if g["endq"] or g["endh"] or L.deadline_re.match(m, end):
                iso = _iso_month(y, last, None, year)   # 三季度末, 上半年前: by its last month
                op = "" if g["endq"] or g["endh"] else "<="
                if op:
                    end = L.deadline_re.match(m, end).end()
            else:
                iso, op = f"{_iso_month(y, first, None, year)}/{_iso_month(y, last, None, year)}", "range"
        elif g["mto"]:                             # 2023年1-6月
            iso = f"{_iso_month(g['y'], g['m'], None, year)}/{_iso_month(g['y'], g['mto'], None, year)}"
            op = "range"
        else:
            iso = _date_at(L, g, year)
            y = g["y"] or g["y2"] or g["y4"]
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
