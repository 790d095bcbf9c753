"""What a cell is: header words, cell content features and the role of each cell in a row.

Filings slide cells left and right, so a cell's role (category, indicator name, target,
actual, weight, score …) is decided by its content and its order in the row, with the
header's column position only as a tie-breaker. :func:`align` finds the best
order-preserving assignment of a row's filled cells to the header's roles (a small
dynamic programme, like aligning two sequences).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from pipeline.core.config import load_yaml, require, str_list
from pipeline.core.normalize import key
from pipeline.core.taxonomy import Category, lookup

ROLES = ("level1", "level2", "name", "target", "period_target", "actual", "unit", "value_type", "op",
         "weight", "score", "deviation", "detail", "other", "history")
BLOCK_WEIGHT = "block_weight"
SECTION = "section"

_NUM = re.compile(r"^[-+]?\d{1,3}(,\d{3})*(\.\d+)?$|^[-+]?\d+(\.\d+)?$")
_VALUE_START = re.compile(r"^(?:[≥≤<>=＞＜≧≦]|>=|<=|[-+]?\d|[０-９]|[一二两三四五六七八九十百千万]+[人个户次件名场家]|约|近|不低于|不少于|不高于|不超过|达到|超过)")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_OP_ONLY = re.compile(r"^(?:[≥≤<>=＞＜≧≦]|>=|<=|＝|大于等于|小于等于|大于|小于|等于|不低于|不高于)$")


@dataclass(frozen=True, slots=True)
class ExtractRules:
    version: str
    headers: dict[str, tuple[str, str]]   # key(header word) -> (role, word); longest match wins
    min_header_cells: int
    actual_words: frozenset[str]
    total_words: frozenset[str]
    value_type_words: frozenset[str]
    placeholders: frozenset[str]
    name_suffixes: tuple[str, ...]
    not_names: frozenset[str]
    table_end_labels: tuple[str, ...]
    table_end_words: tuple[str, ...]
    value_suffixes: tuple[str, ...]
    unit_chars: frozenset[str]


@functools.cache
def rules() -> ExtractRules:
    where = "configs/extract.yaml"
    data = load_yaml("extract.yaml")
    heads = require(data, "headers", dict, where)
    table: dict[str, tuple[str, str]] = {}
    for role, words in heads.items():
        if role not in ROLES:
            from pipeline.core.errors import ConfigError

            raise ConfigError(where, f"headers.{role}: unknown role; expected one of {', '.join(ROLES)}")
        for w in str_list(heads, role, f"{where}: headers"):
            table[_header_key(w)] = (role, w)
    return ExtractRules(
        version=require(data, "version", str, where),
        headers=table,
        min_header_cells=require(data, "min_header_cells", int, where),
        actual_words=frozenset(key(w) for w in str_list(data, "actual_words", where)),
        total_words=frozenset(key(w) for w in str_list(data, "total_words", where)),
        value_type_words=frozenset(key(w) for w in str_list(data, "value_type_words", where)),
        placeholders=frozenset(key(w) for w in str_list(data, "placeholder_cells", where)),
        name_suffixes=tuple(str_list(data, "name_suffixes", where)),
        not_names=frozenset(key(w) for w in str_list(data, "not_names", where)),
        table_end_labels=tuple(sorted((key(w) for w in str_list(data, "table_end_labels", where)), key=len,
                                      reverse=True)),
        unit_chars=frozenset(require(data, "unit_chars", str, where)),
        table_end_words=tuple(key(w) for w in str_list(data, "table_end_words", where)),
        value_suffixes=tuple(sorted((key(w) for w in str_list(data, "value_suffixes", where)), key=len, reverse=True)),
    )


_HDR_DECOR = re.compile(r"[（(][^（()）]{0,12}[)）]|[*＊※]|[:：]$")


def _header_key(text: str) -> str:
    return _HDR_DECOR.sub("", key(text))


@functools.lru_cache(maxsize=4096)
def header_role(text: str) -> str:
    """The column role a header cell names ('' if it is no header word)."""
    k = _header_key(text)
    if not k:
        return ""
    hit = rules().headers.get(k)
    if hit:
        return hit[0]
    # 年度指标值（a） / 实际完成值(b) / 指标值（2023年）: try without a trailing decoration
    # prose glued in front of the first header cell (filing 244: "…请以附件为准)一级指标")
    if len(k) <= 20:
        k2 = re.sub(r"[（(].*$", "", key(text))
        hit = rules().headers.get(k2)
        if hit:
            return hit[0]
    m = re.search(r"[)）。:：,，]([^)）。:：,，]{2,8})$", key(text))
    if m and len(key(text)) > 12:
        hit = rules().headers.get(m.group(1))
        if hit:
            return hit[0]
    return ""


@dataclass(frozen=True, slots=True)
class Cell:
    """Content features of one cell, computed once per distinct text."""

    text: str
    cat: Category
    number: bool        # a bare number: 1.00, 25, 5,195.12
    value: bool         # starts like a value: ≥90%, 100人, 2023年12月, 约50
    actual: bool        # 达成指标 and friends
    vtype: bool         # 定量 / 定性
    op: bool            # a comparator alone: ≥
    unit: bool          # a short unit token: %, 人次, 万元
    placeholder: bool   # ……, -, *
    total: bool         # 合计, 总分
    name_like: bool     # ends like an indicator name (…率, …人数)
    not_name: bool      # a standard phrase of the 评分标准 columns


# a figure alone after an achieved-word: 100%, 98.79%, 12人 (not 2021年吕梁山护工培训任务)
_FIGURE = re.compile(r"\d[\d.,]*\s*(?:%|[\u4e00-\u9fff]{1,2})?")


_TRAILING_BRACKET = re.compile(r"[(（][^()（）]{1,15}[)）]$")


@functools.lru_cache(maxsize=65536)
def cell(text: str) -> Cell:
    r = rules()
    k = key(text)
    number = bool(_NUM.match(k))
    return Cell(
        text=text,
        cat=lookup(text) if len(k) <= 30 else Category(text),
        number=number,
        # 7岁以下儿童健康管理率: a figure opens the name, which still ends like a name
        value=number or bool(_VALUE_START.match(k)) and not (k.endswith(r.name_suffixes) and len(_CJK.findall(k)) >= 6),
        # 已完成100%: an achieved-word with the figure after it
        actual=k in r.actual_words or any(k.startswith(w) and _FIGURE.fullmatch(k[len(w):]) for w in r.actual_words),
        vtype=k in r.value_type_words,
        op=bool(_OP_ONLY.match(k)),
        unit=0 < len(k) <= 5 and not number and all(ch in r.unit_chars for ch in k),
        placeholder=k in r.placeholders,
        total=k in r.total_words,
        # a bracket note after the name (可行性(政策完善), 明确性(5分)) hides no ending
        name_like=_TRAILING_BRACKET.sub("", k).endswith(r.name_suffixes),
        not_name=k in r.not_names,
    )


NEG = float("-inf")


def compat(c: Cell, role: str) -> float:
    """How well a cell's content fits a role (``-inf``: never)."""
    cat = c.cat
    if role == "level1":
        return 5.0 if (cat.l1 or (cat.process and not cat.l2)) else NEG
    if role == "level2":
        if cat.l2 or cat.process:
            return 5.0
        # a first level typed in the 二级 column under a first level above it (213:
        # 实施效果指标 | 产出指标 | 建设项目个数): kept as filed, the review maps it
        # (only a first level's own name, not an alias such as 项目成本 that may be a name)
        return 1.0 if cat.is_first_level_name else NEG
    if role == SECTION:
        return 1.0 if cat.section else NEG
    if role == "name":
        if c.number or c.actual or c.vtype or c.op or c.placeholder or cat.section or c.total or c.not_name:
            return NEG
        if c.value and len(c.text) <= 12:
            return NEG
        if cat.is_category:
            return 1.0
        return 6.0 + (1.0 if c.name_like else 0.0)
    if role in ("weight", "score", BLOCK_WEIGHT):
        if c.number:
            try:
                v = float(key(c.text).replace(",", ""))
            except ValueError:
                return NEG
            return 3.0 if 0 <= v <= 100 else NEG
        return NEG
    if role == "unit":
        return 4.0 if c.unit and not cat.is_category else NEG
    if role == "value_type":
        return 5.0 if c.vtype else NEG
    if role == "op":
        return 5.0 if c.op else NEG
    if role == "target":
        if c.vtype or c.op:
            return NEG
        if c.number:
            return 3.5   # a bare number is as often a 分值 or 得分: position decides
        if c.value:
            return 4.0
        if c.actual or cat.is_category:
            return 0.5
        return 2.0
    if role == "actual":
        if c.actual:
            return 5.0
        return 3.0 if c.value else 1.0
    if role == "history":
        return 2.0 if c.value else 0.5
    if role == "deviation":
        return 0.5 if c.number else 1.5
    # period_target, detail, other
    if cat.is_category:
        return 0.2
    return 0.5 if c.number else 1.0


SKIP_PENALTY = -3.0


def align(cells: list[tuple[int, str]], roles: list[tuple[int, str]], need_name: bool = True
          ) -> tuple[float, dict[str, tuple[int, str]], list[tuple[int, str]]] | None:
    """Best order-preserving assignment of filled cells to roles.

    ``cells`` are ``(column, text)`` in row order, ``roles`` ``(column, role)`` in header
    order. Returns ``(score, {role: (column, text)}, skipped cells)``, or None when no
    assignment has a name (with ``need_name``). A cell in its header column earns a small
    bonus, so position breaks ties between equally plausible readings. Results are cached:
    real batches repeat the same rows (standard indicators, boilerplate) over and over.
    """
    return _align(tuple(cells), tuple(roles), need_name)


@functools.lru_cache(maxsize=65536)
def _align(cells: tuple[tuple[int, str], ...], roles: tuple[tuple[int, str], ...], need_name: bool):
    n, m = len(cells), len(roles)
    feats = [cell(t) for _, t in cells]
    base_roles = [r.partition("#")[0] for _, r in roles]
    # score of cell i in role j, position bonus included (NEG: never)
    fit = []
    for i, f in enumerate(feats):
        ccol = cells[i][0]
        row = []
        for j, br in enumerate(base_roles):
            s = compat(f, br)
            if s != NEG:
                col = roles[j][0]
                s += 1.0 if ccol == col else (0.4 if abs(ccol - col) == 1 else 0.0)
            row.append(s)
        fit.append(row)
    is_name = [br == "name" for br in base_roles]
    skip = [0.0 if f.cat.section else SKIP_PENALTY for f in feats]
    W = m + 1
    size = (n + 1) * W * 2
    best = [NEG] * size
    back: list = [None] * size
    best[0] = 0.0
    for i in range(n + 1):
        for j in range(W):
            for h in (0, 1):
                k0 = (i * W + j) * 2 + h
                cur = best[k0]
                if cur == NEG:
                    continue
                if j < m:
                    k = k0 + 2
                    if cur > best[k]:
                        best[k] = cur
                        back[k] = (i, j, h, -1)
                if i < n:
                    k = k0 + W * 2
                    v = cur + skip[i]
                    if v > best[k]:
                        best[k] = v
                        back[k] = (i, j, h, -2)
                    if j < m:
                        s = fit[i][j]
                        if s != NEG:
                            h2 = 1 if (h or is_name[j]) else 0
                            k = ((i + 1) * W + j + 1) * 2 + h2
                            v = cur + s
                            if v > best[k]:
                                best[k] = v
                                back[k] = (i, j, h, j)
    end = (n * W + m) * 2
    h_end = 1 if need_name else (0 if best[end] >= best[end + 1] else 1)
    total = best[end + h_end]
    if total == NEG:
        return None
    out: dict[str, tuple[int, str]] = {}
    skipped: list[tuple[int, str]] = []
    i, j, h = n, m, h_end
    while (i, j, h) != (0, 0, 0):
        pi, pj, ph, what = back[(i * W + j) * 2 + h]
        if what == -2:
            skipped.append(cells[pi])
        elif what >= 0:
            out[roles[what][1]] = cells[pi]
        i, j, h = pi, pj, ph
    skipped.reverse()
    return total, out, skipped
