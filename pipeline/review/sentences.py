"""Budgets, spends and execution rates stated in sentences, as typed facts, and their checks.

A report says the same three things in many wordings — ``预算 6.73 万元，支出 4.73 万元，执行率
为 70.26%``, ``全年预算数 3040.19 万元，全年执行数 2947.37 万元，预算执行率为 96.95%``,
``安排资金 50 万元，实际使用 47.68 万元，资金使用率 95.36%``. :func:`sentence_facts` reads
every amount (``万元``/``元``/``亿元``) and percentage of a sentence and gives each the role of
the cue word that ends nearest before it in its clause (``configs/review.yaml:
sentence_facts``): budget, spent or rate. A sentence with one budget, one spend and one rate
is a :class:`MoneyFact`; a rate alone under a scope word (本部门, 整体 …) is a filing-level
rate, compared with the filing's own budget and spend.

Checks: ``RATE_MISMATCH`` (rate ≠ spent ÷ budget, allowing rounding and truncation) and
``UNIT_SUSPECT`` (the spend in 元 beside a budget in 万元 where the rate shows 万元 was meant).

Not handled yet: figures split over two sentences (预算…。其中支出…), several projects in one
sentence (the sentence is skipped when it holds two budgets), rates written in words (百分之九十).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

from pipeline.core.config import load_yaml, require, str_list
from pipeline.core.flags import Flag, review_rules
from pipeline.review.budget_checks import close

_FIGURE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(亿元|万元|元|%|％)")
_SENTENCE = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")
_UNIT = {"亿元": 1e8, "万元": 1e4, "元": 1.0}


@dataclass(frozen=True, slots=True)
class Cues:
    budget: tuple[str, ...]
    spent: tuple[str, ...]
    rate: tuple[str, ...]
    scope: tuple[str, ...]
    max_gap: int


@functools.cache
def cues() -> Cues:
    where = "configs/review.yaml: sentence_facts"
    data = require(load_yaml("review.yaml"), "sentence_facts", dict, "configs/review.yaml")
    return Cues(str_list(data, "budget_cues", where), str_list(data, "spent_cues", where),
                str_list(data, "rate_cues", where), str_list(data, "scope_words", where),
                int(require(data, "max_gap", int, where)))


@dataclass(frozen=True, slots=True)
class Money:
    value: float        # as written
    unit: str           # 亿元 / 万元 / 元
    text: str

    @property
    def yuan(self) -> float:
        return self.value * _UNIT[self.unit]


@dataclass(frozen=True, slots=True)
class MoneyFact:
    """One sentence's budget, spend and rate (any of them may be missing)."""

    line: int
    sentence: str
    name: str
    budget: Money | None
    spent: Money | None
    rate: float | None
    rate_text: str = ""
    subject: str = ""    # the sentence before its first figure: where scope words are looked for


def _role(before: str, c: Cues, percent: bool) -> str | None:
    """The role of the cue that ends nearest the figure (the longest on a tie)."""
    best: tuple[int, int, str] | None = None
    for role, words in (("rate", c.rate), ("budget", c.budget), ("spent", c.spent)):
        if (role == "rate") != percent:
            continue
        for w in words:
            at = before.rfind(w)
            if at < 0:
                continue
            gap = len(before) - (at + len(w))
            if gap > c.max_gap:
                continue
            cand = (gap, -len(w), role)
            if best is None or cand < best:
                best = cand
    return best[2] if best else None


# a percentage above this is figures glued together, not a rate anyone states
_MAX_RATE = 1000.0


def sentence_facts(text: str, first_line: int = 1) -> list[MoneyFact]:
    out: list[MoneyFact] = []
    for n, line in enumerate(text.splitlines(), first_line):
        if not _FIGURE.search(line):
            continue        # no figure in the line, so none in its sentences (most lines)
        out.extend(replace(f, line=n) for f in _line_facts(line))
    return out


@functools.lru_cache(maxsize=16384)   # lines recur across a batch; facts are frozen, shared safely
def _line_facts(line: str) -> tuple[MoneyFact, ...]:
    """The money facts of one line, numbered line 0 (the caller sets the line)."""
    c = cues()
    out: list[MoneyFact] = []
    for m in _SENTENCE.finditer(line):
        s = m.group(0)
        got: dict[str, list] = {"budget": [], "spent": [], "rate": []}
        start = 0
        first_cue = len(s)
        first_fig = len(s)
        for f in _FIGURE.finditer(s):
            clause_start = max(s.rfind(x, 0, f.start()) for x in "，,：:") + 1
            before = s[max(clause_start, start, f.start() - 40):f.start()]
            pct = f.group(2) in ("%", "％")
            role = _role(before, c, pct)
            start = f.end()
            if role is None:
                continue
            if pct and float(f.group(1).replace(",", "")) > _MAX_RATE:
                continue   # 6363100%: cells glued without separators (63 | 63 | 100%), no rate
            first_cue = min(first_cue, f.start() - len(before))
            first_fig = min(first_fig, f.start())
            v = float(f.group(1).replace(",", ""))
            got[role].append(v if pct else Money(v, f.group(2), f.group(0)))
            if pct:
                got.setdefault("rate_text", []).append(f.group(0))
        if not got["rate"] and not (got["budget"] and got["spent"]):
            continue
        if len(got["budget"]) > 1 or len(got["spent"]) > 1 or len(got["rate"]) > 1:
            continue   # two projects (or a split) in one sentence: which goes with which is unsure
        head = re.split(r"[，,：:]", s[:first_cue])[0]
        name = re.sub(r"^\s*(?:\d+[.、]|[（(]\d+[)）])", "", head).strip("，,。 ") or s[:first_cue].strip("，, ")
        out.append(MoneyFact(0, s.strip(), name, (got["budget"] or [None])[0], (got["spent"] or [None])[0],
                             (got["rate"] or [None])[0], (got.get("rate_text") or [""])[0], s[:first_fig]))
    return tuple(out)


def review_sentences(text: str, file: str, filing_rate: float | None = None) -> list[Flag]:
    """RATE_MISMATCH and UNIT_SUSPECT over the money facts of the text.

    ``filing_rate`` is the filing's own spent ÷ budget in % — from the form's funding block;
    when None, the first sentence fact with all three figures and a scope word gives it.
    """
    rr = review_rules()
    tol = rr.thresholds["rate_tolerance"]
    ratio = rr.thresholds["unit_suspect_ratio"]
    c = cues()
    facts = sentence_facts(text)
    out: list[Flag] = []
    for f in facts:
        if f.budget is None or f.spent is None or f.rate is None or f.budget.value == 0:
            continue
        b, s = f.budget, f.spent
        if filing_rate is None and any(w in f.subject for w in c.scope):
            filing_rate = s.yuan / b.yuan * 100
        spent_yuan = s.yuan
        if b.unit == "万元" and s.unit == "元" and b.yuan / max(s.yuan, 1e-9) > ratio \
                and close(f.rate, s.value / b.value * 100, tol):
            out.append(rr.flag("UNIT_SUSPECT", file, 0, f.line,
                               f"「{f.name}」预算 {b.value:g} 万元，支出却写作 {s.value:g} 元（仅为预算的 "
                               f"{s.yuan / b.yuan:.4%}），而执行率写 {f.rate:g}%：支出单位应为万元。",
                               f.sentence, f"改为「支出 {s.value:g} 万元」", f.name))
            spent_yuan = s.value * 1e4
        exact = spent_yuan / b.yuan * 100
        if not close(f.rate, exact, tol) and not (exact > 100 and close(f.rate, 100, tol)):
            out.append(rr.flag("RATE_MISMATCH", file, 0, f.line,
                               f"「{f.name}」执行率写 {f.rate:g}%，按支出/预算 {s.text}/{b.text} 计算为 {exact:.2f}%。",
                               f.sentence, f"执行率应为 {exact:.2f}%", f.name))
    if filing_rate is not None:
        exact = filing_rate
        for f in facts:
            if f.rate is None or f.budget is not None or f.spent is not None:
                continue
            if not any(w in f.subject for w in c.scope):
                continue
            if not close(f.rate, exact, tol):
                what = re.split(r"[，,：:]", f.subject)[-1].strip() or f.name
                out.append(rr.flag("RATE_MISMATCH", file, 0, f.line,
                                   f"「{what}」写 {f.rate:g}%，而本文件的全年执行数/预算数为 {exact:.2f}%。",
                                   f.sentence, f"统一为 {exact:.2f}%", f.name))
    return out
