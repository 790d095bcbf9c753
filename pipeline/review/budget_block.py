"""The funding block at the head of a self-evaluation form, read into typed rows.

Every province's 绩效自评表 opens with the same block: a header of money and score columns
(年初预算数 / 全年预算数 / 全年执行数 / 分值 / 执行率 / 得分, in some order and with some of
them missing) and funding rows under it (年度资金总额, then 其中：财政拨款 / 上年结转 /
其他资金 or 中央 / 地方 …). :func:`read_budget_block` reads it whatever the layout — tab or
``|`` rows, one cell per line, or running text with spaces — from the sequence of tokens::

    项目资金（万元）  年初预算数  全年预算数(A)  全年执行数(B)  分值  执行率(B/A)  得分
    年度资金总额：     100        100           80.45         10    100%        10
    其中：本年财政拨款  100        100           80.45         -     -
          其他资金     -          -

gives a :class:`BudgetBlock` whose total row has ``initial=100, budget=100, spent=80.45,
points=10, rate=100, score=10`` and one part (财政拨款) read completely and one empty part.

Empty cells are not kept by every layout, so a row's values are placed on the columns by
content, never by position alone: a percentage anchors the 执行率 column (values before it
are right-aligned to the columns before it, those after it left-aligned); without one, a
row is placed only when it has exactly one value per column or its leading numbers fill the
leading money columns exactly. A row that cannot be placed is kept with ``aligned=False``
so that a sum over it does not run (:mod:`pipeline.review.budget_checks` says so).

Cells glued without any separator (``年度资金总额50万元47.6895.00%``, or the whole block in one
run: ``预算数执行数执行率一般预算内拨款6363100%合计6363100%``, OCR and flattened web pages) are
cut into column words, figures and labels, and a glued run of figures is read only where one
cut fits (:mod:`pipeline.review.budget_glued`); a 合计 row after its parts closes the block as
its total. Not handled yet: header words split over two tokens (``全年预算 数``), blocks whose
header is below the rows.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from pipeline.core.config import load_yaml, require, str_list
from pipeline.core.errors import ConfigError
from pipeline.core.flags import review_rules
from pipeline.review.budget_glued import rate_fits, split_glued

ROLES = ("initial", "budget", "spent", "points", "rate", "score")
MONEY_ROLES = ("initial", "budget", "spent")
_VALUE = re.compile(r"^([-+]?\d[\d,]*(?:\.\d+)?)(万元|万|元|%|％)?$")
_GLUED = re.compile(r"^(\D+?)[:：]\s*([-+]?\d.*)$")
# 年度资金总额50万元47.6895.00%: a row label glued to its values without a colon
_GLUED_BARE = re.compile(r"^(\D*[\u4e00-\u9fff][)）]?)(\d.*)$")
# a run of values glued without separators: digits, decimal points, % and money units only
_RUN = re.compile(r"[\d.,，%％]+(?:(?:万元|万|元)[\d.,，%％]*)*")
# (A) (B) (B/A) (B/A×100%) after a header word: column names of the formula, not cells
_LETTERS = re.compile(r"[（(]\s*[A-Za-z][A-Za-z/×*+\s\d%]*[)）]")
_SPLIT = re.compile(r"[|\t\s]+")
_PREFIX = re.compile(r"^(?:其中\s*[:：]?|[\u4e00-\u9fff]{2,4}[:：])?\s*(?:[（(]\d+[)）]|\d+[.、])?\s*")


@dataclass(frozen=True, slots=True)
class BlockRules:
    columns: dict[str, tuple[str, ...]]
    total_rows: tuple[str, ...]
    part_words: tuple[str, ...]
    spending_parts: tuple[str, ...]
    end_words: tuple[str, ...]
    other_sources: tuple[str, ...]
    placeholders: tuple[str, ...]


@functools.cache
def block_rules() -> BlockRules:
    where = "configs/review.yaml: budget_block"
    data = require(load_yaml("review.yaml"), "budget_block", dict, "configs/review.yaml")
    cols = require(data, "columns", dict, where)
    missing = [r for r in ROLES if r not in cols]
    if missing:
        raise ConfigError("configs/review.yaml", f"budget_block.columns: missing roles {', '.join(missing)}")
    return BlockRules(
        columns={r: str_list(cols, r, f"{where}.columns") for r in ROLES},
        total_rows=str_list(data, "total_rows", where),
        part_words=str_list(data, "part_words", where),
        spending_parts=str_list(data, "spending_parts", where),
        end_words=str_list(data, "end_words", where),
        other_sources=str_list(data, "other_sources", where),
        placeholders=str_list(data, "placeholders", where),
    )


@dataclass(frozen=True, slots=True)
class FundingRow:
    """One funding row: its label as written, the line, and the values placed on columns."""

    label: str
    line: int
    values: tuple[tuple[str, float], ...]   # (role, number) for every placed numeric cell
    raw: tuple[str, ...]                    # the value tokens as written
    aligned: bool                           # False: values present but their columns unsure
    nested: bool = False                    # 其中 after another part: a sub-item, not a source
    split: str = ""                         # glued cells: 'unique' cut, or cut by the stated 'rate'

    def get(self, role: str) -> float | None:
        return next((v for r, v in self.values if r == role), None)

    @property
    def empty(self) -> bool:
        return not any(_VALUE.match(t) for t in self.raw)

    @property
    def name(self) -> str:
        return _PREFIX.sub("", self.label).strip("：: ") or self.label


@dataclass(frozen=True, slots=True)
class BudgetBlock:
    line: int
    columns: tuple[str, ...]
    total: FundingRow | None
    parts: tuple[FundingRow, ...]

    @property
    def rows(self) -> tuple[FundingRow, ...]:
        return ((self.total,) if self.total else ()) + self.parts


@dataclass(frozen=True, slots=True)
class _Tok:
    text: str
    line: int


def _pieces(t: str, rules: BlockRules) -> list[str]:
    """A token holding the whole block glued (``预算数执行数执行率一般预算内拨款6363100%合计…``)
    cut into column words, runs of figures and the text between them; other tokens as they are."""
    pair, cut = _glued_header_res(_columns_key(rules))
    # two column words side by side: a glued header (not a note that names them: 执行率=执行数/…)
    if not pair.search(t):
        return [t]
    return [p for p in cut.split(t) if p]


def _columns_key(rules: BlockRules) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The column words of ``rules`` in a hashable form (the key of the compiled patterns)."""
    return tuple((r, tuple(ws)) for r, ws in rules.columns.items())


@functools.lru_cache(maxsize=8)
def _glued_header_res(columns: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(two column words side by side, a column word or a run of figures as a cut point)."""
    heads, _ = _column_words(columns)
    return (re.compile(f"(?:{heads.pattern})(?:{heads.pattern})"),
            re.compile("(" + heads.pattern + r"|" + _RUN.pattern + ")"))


def _tokens(text: str) -> list[_Tok]:
    return [_Tok(t, n) for n, line in enumerate(text.splitlines(), 1) for t in _line_tokens(line)]


@functools.lru_cache(maxsize=32768)   # lines recur across the filings of a batch (headers, labels)
def _line_tokens(line: str) -> tuple[str, ...]:
    rules = block_rules()
    out: list[str] = []
    for t in (p for tok in _SPLIT.split(_LETTERS.sub("", line)) if tok for p in _pieces(tok, rules)):
        if not t:
            continue
        m = _GLUED.match(t) or _GLUED_BARE.match(t)
        if m and not _VALUE.match(t) and (m.re is _GLUED or _RUN.fullmatch(m.group(2))):
            out.append(m.group(1) + "：")
            out.append(m.group(2))
        else:
            out.append(t)
    return tuple(out)


@functools.lru_cache(maxsize=65536)
def _shipped_roles(tok: str) -> tuple[str, ...]:
    """:func:`_roles` under the configured rules, once per token text (every token of every
    filing is looked at)."""
    return tuple(_roles(tok, block_rules()))


def _role(tok: str, rules: BlockRules) -> str | None:
    if "万元" in tok or "(元)" in tok or "（元）" in tok:
        return None   # 年度预算数（万元）: the caption of the label column, not a column
    best = None
    for role, words in rules.columns.items():
        for w in words:
            if w in tok and (best is None or len(w) > len(best[1])):
                best = (role, w)
    return best[0] if best else None


def _number(tok: str) -> tuple[float, bool] | None:
    m = _VALUE.match(tok.replace("，", ","))
    if not m:
        return None
    try:
        return float(m.group(1).replace(",", "")), m.group(2) in ("%", "％")
    except ValueError:
        return None


def _place(raw: list[str], cols: tuple[str, ...], rules: BlockRules) -> tuple[tuple[tuple[str, float], ...], bool]:
    """Values of one row onto the columns, and whether that placement is certain."""
    cells = [(t, _number(t)) for t in raw]
    if any(n is None and t not in rules.placeholders for t, n in cells):
        return (), False
    pct = [i for i, (_t, n) in enumerate(cells) if n is not None and n[1]]
    placed: list[tuple[str, tuple[float, bool] | None]] = []
    ok = False
    if len(pct) == 1 and "rate" in cols:
        k, r = pct[0], cols.index("rate")
        before, after = cells[:k], cells[k + 1:]
        ok = len(before) == r and len(after) <= len(cols) - r - 1
        # the 执行数 sits right before 分值/执行率 in every form: right-align what precedes
        for j, (_t, n) in enumerate(reversed(before)):
            if r - 1 - j >= 0:
                placed.append((cols[r - 1 - j], n))
        placed.append(("rate", cells[k][1]))
        for j, (_t, n) in enumerate(after):
            if r + 1 + j < len(cols):
                placed.append((cols[r + 1 + j], n))
    elif not pct and len(cells) == len(cols):
        placed, ok = [(c, n) for c, (_t, n) in zip(cols, cells)], True
    elif not pct:
        lead = 0
        while lead < len(cells) and cells[lead][1] is not None:
            lead += 1
        money = 0
        while money < len(cols) and cols[money] in MONEY_ROLES:
            money += 1
        ok = lead == money and all(n is None for _t, n in cells[lead:])
        placed = [(c, n) for c, (_t, n) in zip(cols, cells[:lead])]
    if any(r == "rate" and n is not None and n[0] > 1000 for r, n in placed):
        return (), False   # 40004000100%: cells glued together, not a rate
    return tuple((r, n[0]) for r, n in placed if n is not None), ok


_CAPTION = re.compile(r"[（(](?:万元|元)[)）]")


@functools.lru_cache(maxsize=8)
def _column_words(columns: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    """One alternation of every column word, longest first, and each word's role (a word of two
    roles keeps the first, as the configured order lists them)."""
    role_of: dict[str, str] = {}
    for r, ws in columns:
        for w in ws:
            role_of.setdefault(w, r)
    return re.compile("|".join(re.escape(w) for w in sorted(role_of, key=len, reverse=True))), role_of


def _roles(tok: str, rules: BlockRules) -> list[str]:
    """The column roles of a header token, in order: one for a plain cell, several for header
    cells glued together (``全年预算数全年执行数预算执行率``: budget, spent, rate; the longest
    column word at each position wins). A unit caption before them (``(万元)``) is dropped."""
    glued: list[str] = []
    text, k = _CAPTION.sub("", tok), 0
    pat, role_of = _column_words(_columns_key(rules))
    while k < len(text):
        m = pat.search(text, k)       # the next column word; the longest one where several start
        if m is None:
            break
        glued.append(role_of[m.group()])
        k = m.end()
    if len(glued) >= 2:
        return glued
    r = _role(tok, rules)
    return [r] if r else []


def _glued(raw: list[str]) -> bool:
    """Values glued together: a token that is no single number (two decimal points, a unit
    inside) or a percentage no rate can be (40004000100%)."""
    for t in raw:
        n = _number(t)
        if n is None or (n[1] and n[0] > 1000):
            return True
    return False


def _header(toks: list[_Tok], rules: BlockRules, i: int = 0) -> tuple[int, int, tuple[str, ...]] | None:
    """(first token, end token, column roles) of the first funding header from token i on."""
    roles_of = _shipped_roles if rules is block_rules() else (lambda t: _roles(t, rules))
    while i < len(toks):
        roles: list[str] = []
        j = i
        while j < len(toks):
            rs = roles_of(toks[j].text)
            if not rs or any(r in roles for r in rs) or len(set(rs)) < len(rs):
                break
            roles.extend(rs)
            j += 1
        if "spent" in roles and ("budget" in roles or "initial" in roles) and len(roles) >= 3:
            return i, j, tuple(roles)
        i = max(j, i + 1)
    return None


def _kind(label: str, rules: BlockRules) -> str:
    core = label.strip("：: ")
    if any(w in core for w in rules.end_words) or len(core) > 24:
        return "end"
    if any(core.rstrip("：:") == w or core.endswith(w) for w in rules.total_rows):
        return "total"
    if any(w in core for w in rules.part_words):
        return "part"
    return "end"


def read_budget_blocks(text: str) -> list[BudgetBlock]:
    """Every funding block of a filing's text (one per project of a multi-project filing)."""
    rules = block_rules()
    toks = _tokens(text)
    out: list[BudgetBlock] = []
    at = 0
    while (head := _header(toks, rules, at)) is not None:
        block, at = _block(toks, head, rules)
        if block is not None:
            out.append(block)
    return out


def read_budget_block(text: str) -> BudgetBlock | None:
    """The first funding block of a filing's text, or None when it has none that can be read."""
    blocks = read_budget_blocks(text)
    return blocks[0] if blocks else None


def _block(toks: list[_Tok], head: tuple[int, int, tuple[str, ...]],
           rules: BlockRules) -> tuple[BudgetBlock | None, int]:
    _start, end, cols = head
    rows: list[tuple[str, int, list[str]]] = []
    skipped = 0
    stop = len(toks)
    closing = False
    for k in range(end, len(toks)):
        tok = toks[k]
        t = tok.text
        if _number(t) is not None or t in rules.placeholders or _RUN.fullmatch(t):
            if not rows:
                return None, k   # values before any row label: not the block read here
            rows[-1][2].append(t)
            continue
        kind = _kind(t, rules)
        if kind == "end" and not rows and skipped < 3:
            skipped += 1   # 原因 | 备注 after the last column word: a caption, not a row
            continue
        if closing or kind == "end" or (kind == "total" and rows and _kind(rows[0][0], rules) == "total"):
            stop = k
            break
        # 一般预算内拨款 63 63 100% 合计 63 63 100%: a 合计 after the parts is the block's total
        closing = kind == "total" and bool(rows)
        rows.append((t, tok.line, []))
    if not rows:
        return None, stop
    built: list[FundingRow] = []
    for n, (label, line, raw) in enumerate(rows):
        values, ok = _place(raw, cols, rules)
        how = ""
        if not ok and raw and all(_RUN.fullmatch(t) or t in rules.placeholders for t in raw) and _glued(raw):
            # 40004000100% under 全年预算数全年执行数预算执行率: cells glued without separators
            tol = review_rules().thresholds["rate_tolerance"]
            got = split_glued([t for t in raw if t not in rules.placeholders], cols,
                              lambda r, sp, b: rate_fits(r, sp, b, tol))
            if got is not None:
                values, ok, how = got[0], True, got[1]
        nested = n >= 2 and label.startswith("其中")
        built.append(FundingRow(label, line, values, tuple(raw), ok, nested, how))
    if _kind(rows[0][0], rules) == "total":
        total, parts = built[0], tuple(built[1:])
    elif closing:
        total, parts = built[-1], tuple(built[:-1])
    else:
        total, parts = None, tuple(built)
    return BudgetBlock(toks[head[0]].line, cols, total, parts), stop
