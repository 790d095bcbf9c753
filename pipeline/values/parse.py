"""Typed parsing of the target / actual value cells of indicator rows (年度指标值, 实际完成值).

``parse_value("≥95%")`` → percent 95, op ``>=``. The parser is hand-written: general
extractors read few of these cells right (on tests/golden/values.tsv, strict on kind, number,
unit and comparator, JioNLP gets 10% and Recognizers-Text 23%; see bench/bench_values.py),
because the cells mix comparators, units, compounds such as ``100%(3133人)``, deadlines and
qualitative wording. Every word list lives in ``configs/values.yaml`` (see
:mod:`pipeline.values.lexicon`); this module holds the logic only.

Longer than 400 lines because the parser is one hand-written grammar whose rules
(quantities, comparators, dates, wording) are tried in order on the same cell; context,
wording, compound cells and the lexicon already live apart.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass

from pipeline.core.config import load_yaml
from pipeline.core.errors import ConfigError
from pipeline.values.compound import clause as _clause
from pipeline.values.compound import copula as _copula
from pipeline.values.compound import detached_op as _detached_op
from pipeline.values.compound import leftover as _leftover
from pipeline.values.compound import promote as _promote
from pipeline.values.compound import reorder as _reorder
from pipeline.values.context import (
    _ending_units,
    _stem_units,
    apply_context,
    context_rules,
    name_kind,
    name_unit_hint,
)
from pipeline.values.hit import Hit as _Hit
from pipeline.values.hit import clean_number as _clean
from pipeline.values.lexicon import (
    ValueLexicon,
    cn_number,
    lexicon,
    rate_norm,
    read_dates,
)
from pipeline.values.wording import direction_of, read_wording

_CN_DIGITS = frozenset("零〇一二两三四五六七八九")
_CN_ALL = frozenset("零〇一二两三四五六七八九十百千万亿")
_SEPS = ",;。"
_DIGIT = re.compile(r"\d")
_NUMERIC = re.compile(r"[\d*零〇一二两三四五六七八九十百千万亿]")
_CJK_DIGIT = re.compile("[零〇一二两三四五六七八九]")
_CJK_ROUND = re.compile("[十百千]")
_TEMPLATE_ANSWER = re.compile(r"(?:是/否|是或否)([是否]+)")
_OCR_EQUALS = re.compile(r"二(?=\d)")
_MONEY_UNIT = re.compile(r"\d\s*(?:万元|元)")
_ALTERNATIVE = re.compile(r"或")
_TIMES = re.compile(r"\s*[*×xX]\s*")
_LABEL_UNIT = re.compile(r"[(（](万元|元)[)）]|单位[:：]\s*(万元|元)")


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
    basis: str = "cell"   # what decided kind and unit: cell, unit column, name, table unit

    def to_dict(self) -> dict:
        """JSON-ready mapping (secondary as a list of dicts, span as a list or None)."""
        return {
            "raw": self.raw, "kind": self.kind, "op": self.op, "value": self.value,
            "value_high": self.value_high, "unit": self.unit, "unit_norm": self.unit_norm,
            "money_yuan": self.money_yuan, "date": self.date,
            "secondary": [q.to_dict() for q in self.secondary], "direction": self.direction,
            "vague": self.vague, "status": self.status, "reason": self.reason,
            "span": list(self.span) if self.span else None, "basis": self.basis,
        }


def _spaces(g: re.Match) -> str:
    return " " * len(g.group())


@functools.lru_cache(maxsize=1024)
def _hint(hint: str) -> tuple[str, str, str, float] | None:
    """(written, category, normal form, factor) of the last unit in a 计量单位 cell or header."""
    L = lexicon()
    last = None
    for last in L.hint_re.finditer(hint.translate(L.trans)):
        pass
    if last is None:
        return None
    cat, norm, factor = L.units[last["unit"]]
    if last["rate"]:
        norm += rate_norm(L, last["rate"])
    mult = last["mult"] or ""
    return mult + last["unit"] + (last["rate"] or ""), cat, norm, factor * L.multipliers.get(mult, 1.0)


def _hit(L: ValueLexicon, g: re.Match) -> _Hit | None:
    """One quantity match → a hit, or None when it is no number (一级, 十四五, 2023年)."""
    num, cmp, mult, btw, unit, rate, bmult, bunit, brate, orate, sfx = g.group(
        "num", "cmp", "mult", "btw", "unit", "rate", "bmult", "bunit", "brate", "orate", "sfx")
    unit, mult, rate = unit or bunit, mult or bmult, rate or brate or orate
    c = num[0]
    if L.not_quantity_re.match(g.string, g.end("num")):
        return None                                # 建市60周年: an anniversary, no quantity
    if c == "*":
        v = float("nan")                           # masked digits: value unknown
    elif c in _CN_ALL:
        if not unit or not (_CN_DIGITS & set(num) or c in "十百千"):
            return None
        v = cn_number(num)
        if v is None:
            return None
    else:
        v = float(num.replace(",", "").replace(" ", "")) if "," in num or " " in num else float(num)
    op = (cmp and L.before_ops[cmp]) or (btw and L.between_ops[btw]) or (sfx and L.after_ops[sfx]) or ""
    factor = L.multipliers[mult] if mult else 1.0
    start, end = (g.start() if cmp else g.start("num")), g.end()
    if unit:
        cat, norm, f = L.units[unit]
        if (unit == "年" and v >= 1000) or (unit == "分" and g.string.startswith("之", end)):
            return None                            # 2023年 is a date; 三分之一 is a fraction
        if num == "一" and unit in L.measure_units:
            return None                            # 一站式, 一条龙: idioms, not one of something
        if unit in L.measure_units and L.measure_blocker_re.match(g.string, g.start("unit" if g["unit"] else "bunit")):
            at = g.start("unit" if g["unit"] else "bunit")   # 26组织方式: 组 starts a word, no unit
            return _Hit(start, at, v, factor, mult or "", "", "count", op, True, mult or "", c in _CN_ALL)
        written = (mult or "") + unit + (rate or "")
        if rate:
            norm += rate_norm(L, rate)
        return _Hit(start, end, v, f * factor, written, norm, cat, op, False, mult or "", c in _CN_ALL)
    while end > start and g.string[end - 1] == " ":
        end -= 1
    if rate and mult:
        # ≤620万/月: 万 per month is 万元 per month (people per month would name the 人)
        return _Hit(start, end, v, factor, mult + rate, "元" + rate_norm(L, rate), "money", op, False, mult)
    if rate:
        return _Hit(start, end, v, factor, (mult or "") + rate, rate_norm(L, rate), "count", op, False, mult or "")
    return _Hit(start, end, v, factor, mult or "", "", "count", op, True, mult or "")


def _hits(L: ValueLexicon, m: str) -> list[_Hit]:
    out = [h for h in map(functools.partial(_hit, L), L.qty_re.finditer(m)) if h is not None]
    return _merge_ranges(L, m, out) if len(out) > 1 else out


def _merge_ranges(L: ValueLexicon, m: str, hits: list[_Hit]) -> list[_Hit]:
    """85%-98%, 10至20人, 18—54周岁 → one hit with op 'range'."""
    i, out = 0, []
    while i < len(hits):
        a = hits[i]
        if i + 1 < len(hits):
            b = hits[i + 1]
            sep = L.range_sep_re.fullmatch(m, a.end, b.start)
            if sep and not b.op and a.op in ("", b.op) and (a.bare or (a.cat == b.cat and a.norm == b.norm)):
                r = _Hit(a.start, b.end, a.raw, b.factor if a.bare else a.factor, b.unit, b.norm, b.cat, "range",
                         b.bare, b.mult)
                r.high = b.value
                out.append(r)
                i += 2
                continue
        out.append(a)
        i += 1
    return out


def _blank(s: str, spans) -> str:
    chars = list(s)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)


_direction = direction_of


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


def _placeholder(raw, span, reason):
    return Value(raw, kind="placeholder", status="ok", reason=reason, span=span)


def _parse(raw: str, unit_hint: str | None, year: int | None) -> Value:
    L = lexicon()
    s = raw.translate(L.trans)
    lead, tail = len(s) - len(s.lstrip()), len(s.rstrip())
    if lead == len(s):
        return Value(raw, kind="empty", span=None)
    whole = (lead, tail)
    compact = s[lead:tail].replace(" ", "")
    key = compact.rstrip("。.;,")
    if compact in L.placeholders or key in L.placeholders:
        return _placeholder(raw, whole, "placeholder token: the cell holds no value")
    if key in L.categories:
        return _placeholder(raw, whole, "category name in value cell")
    if key in L.boolean:
        return Value(raw, kind="boolean", value=1.0 if L.boolean[key] else 0.0, span=whole)
    if key in L.whole_year:                        # 全年: all the filing's year long
        return Value(raw, kind="date", date=str(year) if year else "", span=whole)
    t = _TEMPLATE_ANSWER.fullmatch(key)
    if t and len(set(t.group(1))) == 1 and t.group(1)[0] in L.boolean:
        # 是/否否否: the form's 是/否 prompt, then the answer
        return Value(raw, kind="boolean", value=1.0 if L.boolean[t.group(1)[0]] else 0.0, span=whole)
    if _OCR_EQUALS.match(s, lead):
        # 二100百分比: an ＝ read as 二 by OCR (a Chinese numeral is never glued to digits)
        s = s[:lead] + "=" + s[lead + 1:]
    g = L.qty_re.fullmatch(s, lead, tail)
    if g is not None and g["num"][0].isdigit():    # fast path: the whole cell is one quantity
        h = _hit(L, g)
        if h is not None:
            return _from_single(raw, h, unit_hint)
    m = L.mask_re.sub(_spaces, s) if L.mask_guard_re.search(s) else s
    if m.replace(" ", "") in L.placeholders:      # 标准: 控制数
        return _placeholder(raw, whole, "placeholder token: the cell holds no value")
    has_digit = _DIGIT.search(m) is not None
    if not has_digit and L.unit_only_re.fullmatch(compact) and not _CJK_DIGIT.search(compact) \
            and not _CJK_ROUND.search(L.numeral_unit_re.sub("", compact)):
        # (近百名, 近千人: 百 / 千 are a number there; 千元 or 百分比 alone is a unit)
        return _placeholder(raw, whole, "a unit or comparator without a number")
    dates = read_dates(L, m, year) if L.date_guard_re.search(m) else []
    m2 = _blank(m, [(a, b) for a, b, _, _ in dates]) if dates else m
    hits = _hits(L, m2) if _NUMERIC.search(m2) else []
    cm = m.replace(" ", "")
    recurring = L.recurring_re.search(cm) is not None
    if hits and recurring and hits[0].cat == "duration" and hits[0].norm == "天" and not hits[0].op:
        hits = []
    if hits and all(_ordinal_span(L, m2, h) for h in hits):
        # 1-6期培训结束后及时考核: the span names the sessions the sentence is about
        direction, vague = read_wording(L, cm)
        return Value(raw, kind="qualitative", direction=direction, vague=vague, span=whole)
    if hits:
        return _from_hits(L, raw, m2, hits, dates, unit_hint)
    if recurring:
        return Value(raw, kind="date", direction=_direction(L, cm), status="partial",
                     reason="recurring schedule", span=whole)
    if dates:
        return _from_dates(L, raw, m, dates)
    if has_digit:
        if _MONEY_UNIT.search(cm):                 # M.8万元: garbled digits, but an amount
            return Value(raw, kind="money", unit_norm="元", status="unparsed",
                         reason="an amount whose digits cannot be read", span=None)
        if sum("\u4e00" <= c <= "\u9fff" for c in cm) >= L.purpose_min_chars:
            direction, vague = read_wording(L, cm)   # 宣传建市60周年来的成果: a wording, its digits no quantity
            return Value(raw, kind="qualitative", direction=direction, vague=vague, span=whole)
        return Value(raw, kind="text", status="unparsed", reason="has digits but no readable number", span=None)
    # every number-free cell is a wording, whatever its length: checked for vagueness
    direction, vague = read_wording(L, cm)
    return Value(raw, kind="qualitative", direction=direction, vague=vague, span=whole)


def _ordinal_span(L: ValueLexicon, m: str, h: _Hit) -> bool:
    """``1-6期培训结束后…``: a span from the first of an ordinal measure word (期, 批, 轮 …)
    followed by words names sessions in a sentence (第1至6期), it is no quantity."""
    return (h.op == "range" and h.value == 1 and h.unit in L.ordinal_units
            and len(_leftover(L, m[h.end:])) >= 2)


def _from_dates(L: ValueLexicon, raw: str, m: str, dates) -> Value:
    a, b, iso, op = dates[0]
    if not op and any(w in m[:a] for w in L.timely_words):
        op = "<="                                  # 及时（10月）: done by October
    elif not op and L.until_re.search(m[:a]):
        op = "<="                                  # 截至10月底: by the end of October
    rest = _blank(m, [(x, y) for x, y, _, _ in dates]).replace(" ", "")
    left = _leftover(L, rest)
    if len(left) > 6:
        return Value(raw, kind="text", status="unparsed", reason=f"a sentence; its only number is a date ({iso})")
    status, reason = "ok", ""
    if len(dates) > 1:
        status, reason = "partial", "more than one date in the cell; the first is read"
    elif len(left) > 2:
        status, reason = "partial", f"words around the date not read: {left}"
    return Value(raw, kind="date", op=op, date=iso, direction=_direction(L, rest), status=status,
                 reason=reason, span=(a, b))


def _resolve(L: ValueLexicon, main: _Hit, before: str, unit_hint):
    """(value, high, unit, unit_norm, kind, basis) of the main hit, with the unit hint applied."""
    value, high, unit, norm, kind = main.value, main.high, main.unit, main.norm, main.cat
    basis = "cell"
    if kind == "count" and unit[:1] == "/":
        # ≤28.40/株: a figure per measure word whose own unit is not written. A money word
        # before it (补助标准28.40/株) or a money unit column makes it money per that word;
        # otherwise it stays a rate per the word (unit /株), never a plain count
        hint = _hint(unit_hint) if unit_hint else None
        if before and L.money_context_re.search(_clause(before)):
            kind, norm = "money", "元" + norm
        elif hint and hint[1] == "money" and "/" not in hint[0]:
            kind, norm, basis = "money", "元" + norm, "unit column"
            unit, value = hint[0] + unit, _clean(value * hint[3])
            high = _clean(high * hint[3]) if high is not None else None
        return value, high, unit, norm, kind, basis
    if main.bare:
        hint = _hint(unit_hint) if unit_hint else None
        if before and L.currency_re.search(before):
            kind, norm = "money", "元"             # ¥100, RMB100万: a currency sign says 元
        elif main.mult and before and L.money_context_re.search(_clause(before)):
            kind, norm = "money", "元"             # 儿童康复25万: 万 after a money word is 万元
        elif hint:
            written, kind, norm, f = hint
            if main.mult and written.startswith(main.mult):
                f /= main.factor                   # ≤60万 under 万元: the 万 of 万元, not 万 × 万元
            unit, basis = written, "unit column"
            value = _clean(main.value * f)
            high = _clean(high * f) if high is not None else None
    return value, high, unit, norm, kind, basis


def _from_single(raw: str, main: _Hit, unit_hint) -> Value:
    """Fast path: the whole cell is one quantity (≥95%, 1200人, 28.8万元, 100)."""
    value, high, unit, norm, kind, basis = _resolve(None, main, "", unit_hint)
    if value != value:                             # ≥**万元: digits masked by the site
        return Value(raw, kind=kind, op=main.op, unit=unit, unit_norm=norm, status="partial",
                     reason="digits masked in the filing", span=(main.start, main.end), basis=basis)
    return Value(raw, kind=kind, op=main.op, value=value, value_high=high, unit=unit, unit_norm=norm,
                 money_yuan=value if kind == "money" else None, span=(main.start, main.end), basis=basis)


def _product(L: ValueLexicon, raw: str, m: str, hits: list[_Hit]) -> Value | None:
    """``3人*15000元``: a count times an amount per unit is the amount (45,000 元)."""
    if len(hits) != 2:
        return None
    a, b = hits
    if a.cat != "count" or a.bare or b.cat != "money" or b.high is not None or a.high is not None:
        return None
    if not _TIMES.fullmatch(m[a.end:b.start]) or _leftover(L, m[:a.start] + m[b.end:]):
        return None
    v = _clean(a.value * b.value)
    return Value(raw, kind="money", op=a.op or b.op, value=v, unit="元", unit_norm="元", money_yuan=v,
                 span=(a.start, b.end))


def _like(L: ValueLexicon, m: str, main: _Hit, kind: str, norm: str, h: _Hit, unit_hint) -> Quantity | None:
    """A further quantity of the same kind and unit as the value (小学600人,初中700人), as a
    secondary; 万 without 元 follows the value when the value was read as money."""
    if h.bare and not (h.mult and kind == "money" and main.bare and main.mult == h.mult):
        return None
    if h.bare:
        return Quantity(h.value, h.mult, "元")
    if h.cat != kind or h.norm != norm or h.high is not None:
        return None
    return Quantity(h.value, h.unit, h.norm)


def _currency_op(L: ValueLexicon, before: str) -> str:
    """``≥¥500``: the comparator before a currency sign is the value's."""
    g = L.currency_re.search(before)
    if not g:
        return ""
    c = L.before_op_re.search(before[:g.start()].rstrip()[-6:])
    return L.before_ops[c.group()] if c and before[:g.start()].rstrip().endswith(c.group()) else ""


def _per_before(L: ValueLexicon, raw: str, main: _Hit) -> str:
    """``/月`` when the clause before the quantity opens with 每 and a denominator (每月开展
    1次, 每季度至少召开1次, 每人每月300元 → ``/人/月``); '' when it does not. Read on the
    unmasked text: 每年 is masked as a yearly marker for deadlines (每年12月底前)."""
    before = _clause(raw[:main.start].translate(L.trans))
    g = L.per_re.search(before)
    return "/" + "/".join(L.den_re.findall(g.group("pers").replace("每", " "))) if g else ""


def _from_hits(L: ValueLexicon, raw: str, m: str, hits: list[_Hit], dates, unit_hint) -> Value:
    prod = _product(L, raw, m, hits)
    if prod is not None:
        return prod
    hits, moved = _reorder(L, m, _promote(L, m, hits))
    main = hits[0]
    before = m[:main.start]
    label = None
    if main.bare and not unit_hint:
        lu = _LABEL_UNIT.search(before)            # 资金合计(万元) …: 1084.25 — the label's unit
        if lu:
            unit_hint = label = lu.group(1) or lu.group(2)
    value, high, unit, norm, kind, basis = _resolve(L, main, before, unit_hint)
    if label:
        basis = "cell"
    per = _per_before(L, raw, main) if kind in ("count", "money") and not main.bare and "/" not in norm else None
    if per:                                        # 每月开展1次: 1 次/月; 每人每月300元: 300 元/人·月
        unit, norm = unit + per, norm + rate_norm(L, per)
    masked = value is not None and value != value
    if masked:                                     # ≤****000元: digits masked by the site
        value, high = None, None
    op = main.op or _detached_op(L, before) or _copula(L, m, before, main) or _currency_op(L, before)
    used, end, sec = {0} | {i for i, h in enumerate(hits) if any(h is x for x in moved)}, main.end, \
        [Quantity(h.value, h.unit, h.norm) for h in moved]
    end = max([end] + [h.end for h in moved])
    k = end
    while k < len(m) and k - end < 6 and ("\u4e00" <= m[k] <= "\u9fff" or m[k] == " "):
        k += 1
    if k < len(m) and m[k] == "(":
        close = _bracket_end(m, k)
        for i, h in enumerate(hits[1:], 1):
            if k < h.start < close and m[k:h.start].count("(") - m[k:h.start].count(")") == 1 and not h.bare:
                if not (h.raw == main.raw and h.norm == main.norm and "含" in m[k:h.start]):
                    sec.append(Quantity(h.value, h.unit, h.norm))   # ≥98%(含98%): the bound restated, no quantity
                used.add(i)
        end = close
    for i, h in enumerate(hits[1:], 1):
        if i in used:
            continue
        gap = m[end:h.start].strip()
        if gap == "、" and not h.bare:
            sec.append(Quantity(h.value, h.unit, h.norm))
        elif gap == "" and h.value == main.value and h.cat == main.cat:
            pass                                   # ≥100%100%: the same value filed twice
        else:
            break
        used.add(i)
        end = h.end
    rest = [i for i in range(1, len(hits)) if i not in used]
    # 计划 20 完成 18, 目标值 95 实际 96: a bare number straight after a label is one more
    # quantity of the value's unit (the first labelled one is the value), never dropped
    labelled = {i for i in rest if hits[i].value == hits[i].value and hits[i].high is None
                and ((hits[i].bare and not hits[i].mult) or (hits[i].cat == kind and hits[i].norm == norm))
                and L.quantity_label_re.search(m[hits[i - 1].end:hits[i].start])}
    if labelled:
        scale = value / main.value if main.bare and main.value and value is not None else 1.0
        for i in sorted(labelled):
            h = hits[i]
            sec.append(Quantity(_clean(h.value * scale), unit, norm) if h.bare else Quantity(h.value, h.unit, h.norm))
            used.add(i)
        rest = [i for i in rest if i not in labelled]
        end = max(end, max(hits[i].end for i in labelled))
    # … 或比2023年提升不少于5个百分点: what follows 或 is an alternative target, not one more
    if rest and not _ALTERNATIVE.search(m[main.end:hits[rest[-1]].start]):
        like = [_like(L, m, main, kind, norm, hits[i], unit_hint) for i in rest]
        if not moved and all(q is not None for q in like):   # every further number one more of the same
            sec.extend(like)                      # type: ignore[arg-type]
            used.update(rest)
        else:                                     # 举办讲座18场覆盖930人次: every quantity is kept
            for i in rest:
                if not hits[i].bare and hits[i].value == hits[i].value:
                    sec.append(Quantity(hits[i].value, hits[i].unit, hits[i].norm))
                    used.add(i)
    status, reasons = "ok", []
    cut = len(m)
    after = m[end:].lstrip()
    # the words read before the quantity: 每月 of a rate, a comparator read as its op
    left_before = _leftover(L, L.before_op_re.sub("", L.per_re.sub("", before) if per else before)) \
        if before.strip() else ""
    if after[:1] in _SEPS and after[:1] and not left_before:
        cut = end + m[end:].index(after[0])
        reasons.append("explanation after the value not read")
    if len(left_before) > 2:
        reasons.append("text before the value not read")
    if len(used) < len(hits):
        reasons.append("more numbers in the cell than the value read")
    if masked:
        reasons.append("digits masked in the filing")
    dir_text = _blank(m[:cut], [(h.start, h.end) for h in hits if h.start < cut]).replace(" ", "")
    if labelled:                                   # 计划 20 完成 18: 完成 labels a figure, no direction
        dir_text = L.quantity_label_word_re.sub("", dir_text)
    if reasons:
        status = "partial"
    return Value(
        raw, kind=kind, op=op, value=value, value_high=high, unit=unit, unit_norm=norm,
        money_yuan=value if kind == "money" and value is not None else None, date=dates[0][2] if dates else "",
        secondary=tuple(sec), direction=_direction(L, dir_text), vague=False, status=status,
        reason="; ".join(reasons), span=(main.start, max(main.end, end if sec else main.end)), basis=basis,
    )


_PER_CENT = re.compile(r"百分之\s*(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百点]{1,8})")
# 大写 numerals of amounts (伍拾万元, 壹仟贰佰圆整): read as the ordinary numerals, one to one
_CAPITAL = re.compile("[壹贰叁肆伍陆柒捌玖拾佰仟零]+(?:[万亿][壹贰叁肆伍陆柒捌玖拾佰仟零]*)*[万亿]?[元圆]")
_CAPITAL_MAP = str.maketrans("壹贰叁肆伍陆柒捌玖拾佰仟圆", "一二三四五六七八九十百千元")


def _spell_out(text: str) -> tuple[str, list[tuple[int, int]]]:
    """``百分之九十`` → ``  90%``: a percent written in words, rewritten in place to the same
    length (offsets stay valid), and the spans rewritten; the 大写 numerals of an amount
    (``伍拾万元`` → ``五十万元``) are mapped one to one."""
    if _CAPITAL.search(text):
        text = _CAPITAL.sub(lambda g: g.group().translate(_CAPITAL_MAP), text)
    out, spans, pos = [], [], 0
    for g in _PER_CENT.finditer(text):
        num = g.group(1)
        v = float(num) if num[0].isdigit() else cn_number(num)
        if v is None:
            continue
        digits = f"{v:g}%"
        if len(digits) > g.end() - g.start():
            continue
        out += [text[pos:g.start()], digits.rjust(g.end() - g.start())]
        spans.append((g.start(), g.end()))
        pos = g.end()
    return ("".join(out) + text[pos:], spans) if spans else (text, [])


def _widen(span, rewritten) -> tuple[int, int] | None:
    """A span that starts or ends inside a rewritten ``百分之…`` covers all of it."""
    if span is None:
        return None
    a, b = span
    for x, y in rewritten:
        if x <= a < y:
            a = x
        if x < b <= y:
            b = y
    return a, b


@functools.lru_cache(maxsize=8192)
def _cached(text: str, unit_hint: str | None, year: int | None, name: str | None, table_unit: str | None) -> Value:
    return parse_value_uncached(text, unit_hint=unit_hint, year=year, name=name, table_unit=table_unit)


def _str_or_none(x) -> str | None:
    return x if isinstance(x, str) and x else None


def parse_value_uncached(text: str, *, unit_hint: str | None = None, name: str | None = None,
                         table_unit: str | None = None, year: int | None = None) -> Value:
    """:func:`parse_value` without the cache (benchmarks and property tests use it)."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    try:
        spelt = "百分之" in text or (("元" in text or "圆" in text) and _CAPITAL.search(text) is not None)
        read, rewritten = _spell_out(text) if spelt else (text, [])
        name, table_unit, hint = _str_or_none(name), _str_or_none(table_unit), _str_or_none(unit_hint)
        named = name_unit_hint(name) if name and not hint else None
        v = _parse(read, hint or named, year if isinstance(year, int) and not isinstance(year, bool) else None)
        if read != text:                           # 百分之九十, 伍拾万元: read rewritten, reported as written
            v = dataclasses.replace(v, raw=text, span=_widen(v.span, rewritten))
        if named and v.basis == "unit column":     # 项目资金(万元): the unit came from the name
            v = dataclasses.replace(v, basis="name")
        return apply_context(v, name, table_unit) if name and v.kind == "count" else v
    except ConfigError:
        raise                 # a broken configs/values.yaml is not a cell problem
    except Exception as exc:  # never raise on a cell: report it instead
        return Value(text, kind="text", status="unparsed", reason=f"internal error: {type(exc).__name__}: {exc}")


def parse_value(text: str, *, unit_hint: str | None = None, name: str | None = None,
                table_unit: str | None = None, year: int | None = None) -> Value:
    """Parse one target / actual value cell into a typed :class:`Value`.

    Never raises on a cell, whatever it holds (an internal error comes back as kind
    ``text``, status ``unparsed``); only a broken ``configs/values.yaml`` raises
    :class:`pipeline.core.errors.ConfigError`, naming the file. Deterministic, and cached
    (``functools.lru_cache``); :func:`parse_value_uncached` skips the cache.

    Args:
        text: the cell as filed (年度指标值, 实际完成值, 指标值及单位 ...).
        unit_hint: a unit from a 计量单位 column or a table header (``万元``,
            ``预算金额（万元）``, ``资金单位：万元``, ``%``, ``人数``); it applies only to a
            number written without a unit. A unit written in the cell always wins.
        name: the indicator name; types a number the cell and unit hint left open (bare, or
            ``X万`` without 元) by the name's last cue: ``1`` under 覆盖率 → 100%, ``≤60万``
            under 成本 → money, ``300`` under 受益人数 → 300 人 (see :mod:`pipeline.values.context`).
        table_unit: the table's unit line (``万元``); bare numbers under a money name are in it.
        year: the filing's year; resolves month-only dates, 年底 and 全年.

    Returns:
        :class:`Value`. ``kind`` is one of count, percent, money, date, duration,
        qualitative, boolean, empty, placeholder, text. Money is always in 元, percent in
        points, counts multiplied out; ``status`` says ok / partial / unparsed and
        ``reason`` why; ``basis`` which input decided kind and unit (``cell``, ``unit
        column``, ``name``, ``table unit``).

    Conventions worth knowing:
        - A bare number without a unit hint is kind ``count`` with unit ``''`` (status ok):
          ``57,157,686.73`` → count 57157686.73. With ``unit_hint="元"`` it is money.
        - ``X万`` without 元 is money only after a money word of the config (康复, 补贴,
          资金, 经费 ...): ``儿童康复25万`` → money 250000 元; otherwise it is a count of
          ``X × 10000`` with unit ``万`` and unit_norm ``''``.
        - Dates are ISO, partial allowed: ``2023-12``, ``2023-12-31``, ``--12`` (no year
          given), ``2023`` for 2023年度, ``a/b`` for a range (op ``range``). 年底 with a year
          is the 31st of December; a month with 底 stays a month.
        - The direction comes from the wording around the value, never from a metric name
          (``完成率达90%`` has no direction; ``补助资金及时到位100%`` is ``complete``), and
          never from an explanation after a comma (``122家,申请补贴的企业减少``).
        - A figure per a count unit or measure word keeps the per-part in its unit
          (``元/人·天``, ``元/株``); a period may follow 人 / 户 without a joint (人天, 户年).
        - ``vague`` is set on qualitative values only: a number is never vague. Every
          number-free cell is qualitative, whatever its length (:mod:`pipeline.values.wording`).
        - A measure word (量词, ``measure_words`` in the config) after a number makes it a count
          of that word: ``4200公斤`` → 4200 千克, ``≥45组`` → 45 组.

    Examples:
        ========================================  ================================================
        ``parse_value("≥95%")``                   percent 95, op ``>=``
        ``parse_value("出勤率达90%")``             percent 90, op ``>=`` (达 → >=)
        ``parse_value("≥98百分比")``               percent 98, op ``>=``
        ``parse_value("0.0738‰")``                percent 0.00738 (‰ is a tenth of a point)
        ``parse_value("达到百分之九十五")``          percent 95, op ``>=`` (百分之 in words or digits)
        ``parse_value("¥2,000")``                  money 2000 元 (a currency sign: ¥, RMB, 人民币)
        ``parse_value("伍拾万元")``                 money 500000 元 (大写 numerals)
        ``parse_value("第三季度前", year=2024)``     date ``2024-09``, op ``<=`` (by the quarter's end)
        ``parse_value("2024年上半年")``             date ``2024-01/2024-06``, op ``range``
        ``parse_value("100%(3133人)")``           percent 100, secondary (3133, 人)
        ``parse_value("100%(115人,20家企业)")``    percent 100, secondary (115, 人), (20, 家企业 → 家)
        ``parse_value("超过 34.13 万元")``          money 341300.0 元, op ``>``
        ``parse_value("483.09", unit_hint="万元")``  money 4830900.0 元
        ``parse_value("583元/人*月")``             money 583 元, unit_norm ``元/人·月``
        ``parse_value("470元/人天")``              money 470 元, unit_norm ``元/人·天`` (per person-day)
        ``parse_value("3万元/公里")``              money 30000 元, unit_norm ``元/公里``
        ``parse_value("≤28.40/株")``               count 28.4, unit_norm ``/株``: a rate per 株
        ``parse_value("补助28.40/株")``            money 28.4, unit_norm ``元/株`` (a money word before it)
        ``parse_value("1.7 万名")``                count 17000 人
        ``parse_value("近百名")``                  count 100 人, op ``~`` (Chinese numerals via cn2an)
        ``parse_value("4000余名")``                count 4000 人, op ``>``
        ``parse_value("85%-98%")``                percent 85..98, op ``range``
        ``parse_value("12月之前", year=2023)``      date ``2023-12``, op ``<``
        ``parse_value("2023年底")``                date ``2023-12-31``
        ``parse_value("2026年年底前")``             date ``2026-12-31``, op ``<``
        ``parse_value("截至10月底", year=2024)``     date ``2024-10``, op ``<=``
        ``parse_value("2024.03-2024.11")``         date ``2024-03/2024-11``, op ``range``
        ``parse_value("资金到位率为97.5%")``         percent 97.5, op ``=`` (为 = is)
        ``parse_value("及时（10月）")``             date ``--10``, op ``<=``, direction complete
        ``parse_value("自申请之日起15个工作日内")``    duration 15 工作日, op ``<=``
        ``parse_value("及时（每月25日，周末顺延）")``  date ``''``, status partial (recurring schedule)
        ``parse_value("稳步提升")``                qualitative, direction increase, vague
        ``parse_value("应保尽保")``                qualitative, direction complete, not vague
        ``parse_value("是")``                      boolean, value 1.0
        ``parse_value("时效指标")``                placeholder (category name in value cell)
        ``parse_value("……")``                    placeholder
        ========================================  ================================================

    Sentences and compounds:
        - ``3人*15000元`` → money 45000 元 (a count times an amount per unit);
        - ``1-6期培训结束后及时考核`` → qualitative, direction complete: a span from the first
          of an ordinal measure word (期, 批, 轮) followed by words names sessions, no quantity;
          ``1-2期未能及时培训`` → no direction (及时 negated by 未能);
        - ``404名服务对象发放补助金2126.81万元`` → count 404 人, secondary (21268100, 元): a count
          and the amount spent on it (``1581人次 573.49万元``);
        - ``按15次作业且总航时不少于30小时`` → duration 30 小时, op ``>=``, secondary (15, 次):
          the quantity with the comparator is the value;
        - ``举办讲座18场覆盖930人次`` → count 18 场, secondary 930 人次 (every quantity kept);
          ``满分20分，实际得分18.5分`` → 18.5 分, secondary 20 分; ``审核三项补助申请1240人次`` →
          1240 人次, secondary 3 项;
        - ``计划 20 完成 18``, ``目标值 95 实际 96`` → 20 (95), secondary 18 (96) of the same unit:
          the first labelled quantity is the value, a bare number after a label (``quantity_labels``)
          one more of its unit, never dropped; the labels give no direction;
        - ``每季度至少召开1次`` → count 1 次/季度, op ``>=``; ``每人每月300元`` → money 300
          元/人·月 (每 and a denominator before the quantity make it a rate);
        - ``小学600人,初中700人,高中1000人`` → count 600 人, secondaries 700 人 and 1000 人 (every
          further number one more of the same unit); not after 或 (an alternative target:
          ``不低于80%或比2023年提升不少于5个百分点`` → percent 80, op ``>=``, no secondary);
        - ``≤620万/月`` → money 6200000 元/月 (万 per period is 万元); ``资金合计(万元) …1084.25``
          → money (the label's unit); ``是/否否否`` → boolean 0 (the form's prompt, then the
          answer); ``二100百分比`` → percent 100, op ``=`` (an ＝ read as 二 by OCR);
          ``M.8万元`` → money, value unknown (status unparsed).

    Not handled yet (they come back partial, unparsed or with the first quantity only):
        - a figure per a measure word with no unit of its own and no money word, unit column or
          money name (``≤28.40/株``) stays a rate per the word (unit_norm ``/株``): 元 is not
          assumed; a label after the value that names another measure (``计划20 完成率90%``)
          leaves the second figure out;
        - negative numbers, fractions (``三分之一``);
        - a truncated direction word (``同比2022年销量显著提``: no direction);
        - a deadline combined with a percent keeps the percent's op (``12月底前100%到位``
          → percent 100, date ``--12``; the ``<`` of the deadline is not kept);
        - a remark instead of a value (``根据沪财绩【2022】13号文的规定要求设置三级指标和指标值``
          comes back qualitative), ages describing a group (``存在18岁以下、54周岁以上`` is read as ≤18 岁);
        - 一条龙 inside a sentence (read as 1 条);
        - idioms such as 一人一策 inside sentences
          (read as 1 人), 半年 / 半个月 (半 is no number yet), 次月10日前 (read as 10 天).
    """
    try:
        return _cached(text, unit_hint, year, name, table_unit)
    except TypeError:  # unhashable argument: parse without the cache
        return parse_value_uncached(text, unit_hint=unit_hint, year=year, name=name, table_unit=table_unit)


def clear_caches() -> None:
    """Forget the parsed values and the loaded lexicon (tests that swap configs use it)."""
    _cached.cache_clear()
    _hint.cache_clear()
    lexicon.cache_clear()
    context_rules.cache_clear()
    name_kind.cache_clear()
    _ending_units.cache_clear()
    _stem_units.cache_clear()
    name_unit_hint.cache_clear()
    load_yaml.cache_clear()
