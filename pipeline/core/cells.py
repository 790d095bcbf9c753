"""What a cell's text is, before any row is read: header words, categories, values, names.

Readers (:mod:`pipeline.ingest`) and extraction (:mod:`pipeline.extract`) share this
lexicon: the text reader's repairs ask whether a line is a value or a category, the grid
builder keeps a merged header word in its first cell only, and the extractor's role
alignment (:mod:`pipeline.extract.roles`) scores each cell by these features. The words are
data in ``configs/extract.yaml`` (``headers``, ``actual_words``, ``placeholder_cells`` …),
loaded once into :class:`ExtractRules`.

    >>> header_role("年度指标值（a）")
    'target'
    >>> cell("≥90%").value, cell("数量指标").cat.is_category
    (True, True)
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from pipeline.core.config import load_yaml, require, str_list
from pipeline.core.document import Row
from pipeline.core.errors import ConfigError
from pipeline.core.normalize import key
from pipeline.core.taxonomy import Category, lookup
from pipeline.core.words import bound_words, unit_pattern

ROLES = ("level1", "level2", "name", "target", "period_target", "actual", "unit", "value_type", "op",
         "weight", "score", "deviation", "detail", "other", "history")
BLOCK_WEIGHT = "block_weight"
SECTION = "section"

_NUM = re.compile(r"^[-+]?\d{1,3}(,\d{3})*(\.\d+)?$|^[-+]?\d+(\.\d+)?$")
# an enumerator before a name (1、宣传次数, 12.培训人数, ①, (3)): numbers a row, is no figure
ENUMERATOR = re.compile(r"^(?:\d{1,2}[、.．](?=[\u4e00-\u9fff])|[①-⑳]|[(（]\d{1,2}[)）](?=[\u4e00-\u9fff]))")
_NEXT_ITEM = re.compile(r"(?<=[^\d])\d{1,2}[、.．](?=[\u4e00-\u9fff])|[②-⑳]")


def _enumerated_name(k: str) -> bool:
    """One name after its enumerator (1、宣传次数), not a list of scoring clauses (1、设置…2、…),
    which reads as a criterion and keeps the kind a leading figure gives it."""
    return bool(ENUMERATOR.match(k)) and len(k) <= 40 and not _NEXT_ITEM.search(k, 2)


_VALUE_START = re.compile(r"^(?:[≥≤<>=＞＜≧≦]|>=|<=|[-+]?\d|[０-９]|[一二两三四五六七八九十百千万]+[人个户次件名场家]|约|近|不低于|不少于|不高于|不超过|达到|超过)")
_CJK = re.compile(r"[\u4e00-\u9fff]")



@functools.cache
def _op_words() -> frozenset[str]:
    """A cell that is a bound and nothing else (a 指标性质 column: ≥, 不低于)."""
    return frozenset(bound_words())


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


@functools.cache
def rules() -> ExtractRules:
    where = "configs/extract.yaml"
    data = load_yaml("extract.yaml")
    heads = require(data, "headers", dict, where)
    table: dict[str, tuple[str, str]] = {}
    for role, words in heads.items():
        if role not in ROLES:
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
        table_end_words=tuple(key(w) for w in str_list(data, "table_end_words", where)),
    )


_HDR_DECOR = re.compile(r"[（(][^（()）]{0,12}[)）]|[*＊※]|[:：]$")


def _header_key(text: str) -> str:
    return _HDR_DECOR.sub("", key(text))


_WITH_POINTS = re.compile(r"[(（]\s*\d{1,3}(?:\.\d{1,2})?\s*分\s*[)）]$")


def section_label(text: str) -> bool:
    """A label that opens the next section of a form (测算依据, 项目名称, 填表人 … of
    ``table_end_labels``) — unless it carries its points (测算依据(5分)): then it is an item of a
    score rubric."""
    k = key(text)
    return k.startswith(rules().table_end_labels) and not _WITH_POINTS.search(k)


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
    # prose glued in front of the first header cell (e.g. "…请以附件为准)一级指标")
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


@functools.cache
def _unit_cell() -> re.Pattern[str]:
    """A cell that is a unit alone (a 计量单位 cell): a unit of configs/values.yaml (万元, 人次,
    元/人, 百分比) or a count noun a filer writes there (人数, 户数, 个数)."""
    return re.compile(rf"(?:{unit_pattern()})数?")


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
        value=number or bool(_VALUE_START.match(k)) and not (k.endswith(r.name_suffixes) and len(_CJK.findall(k)) >= 6)
        and not _enumerated_name(k) and not _enumerated_name(text.strip()),     # ③ is 3 once keyed
        # 已完成100%: an achieved-word with the figure after it
        actual=k in r.actual_words or any(k.startswith(w) and _FIGURE.fullmatch(k[len(w):]) for w in r.actual_words),
        vtype=k in r.value_type_words,
        op=k in _op_words(),
        unit=0 < len(k) <= 8 and not number and bool(_unit_cell().fullmatch(k)),
        placeholder=k in r.placeholders,
        total=k in r.total_words,
        # a bracket note after the name (可行性(政策完善), 明确性(5分)) hides no ending
        name_like=_TRAILING_BRACKET.sub("", k).endswith(r.name_suffixes),
        not_name=k in r.not_names,
    )


# ---------------------------------------------------------------------------- header rows

def header_of(row: Row) -> list[tuple[int, str]] | None:
    """The roles of a header row, or None when the row is no indicator header."""
    filled = row.filled()
    if len(filled) < 2:
        return None
    roles = [(col, header_role(text)) for col, text in filled]
    known = [r for _, r in roles if r]
    if len(known) < 3 or len(known) < 0.6 * len(filled):
        return None
    if not ({"name", "level1", "level2"} & set(known)):
        return None
    if not ({"target", "actual", "weight", "score", "period_target", "history"} & set(known)):
        return None
    return _unique([(c, r or "other") for c, r in roles])


_SINGLE = ("level1", "level2", "name", "target", "actual", "unit", "op")


def _goal_columns(roles: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A value column before the categories and names, whose role a column after them claims
    too, is no value of the rows: ``| 年度目标 | 一级指标 | 二级指标 | 三级指标 | 指标值 |`` —
    the 年度目标 on the left is the year's goal (one merged cell over the table), the 指标值
    on the right the rows' targets. The left one is read as an other column."""
    first = min((c for c, r in roles if r in ("level1", "level2", "name")), default=None)
    if first is None:
        return roles
    for role in ("target", "actual", "period_target"):
        cols = [c for c, r in roles if r == role]
        if any(c < first for c in cols) and any(c > first for c in cols):
            roles = [(c, "other" if r == role and c < first else r) for c, r in roles]
    return roles


def _unique(roles: list[tuple[int, str]]) -> list[tuple[int, str]]:
    roles = _goal_columns(roles)
    seen: dict[str, int] = {}
    out = []
    for col, r in roles:
        n = seen.get(r, 0) + 1
        seen[r] = n
        if n > 1 and r in _SINGLE:
            # 中期 | 年度 column groups repeat 二级/三级/指标值: the first group is read,
            # the repeat only absorbs its cells
            out.append((col, f"other#{col}"))
            continue
        out.append((col, r if n == 1 else f"{r}#{n}"))
    weights = [r for _, r in out if r.startswith("weight")]
    if len(weights) == 2:
        # 一级指标 | 权重 | … | 分值 | 得分: the first weight is the block's
        out = [(c, BLOCK_WEIGHT if r == "weight" else ("weight" if r == "weight#2" else r)) for c, r in out]
    if any(r == "target" for _, r in out):
        out = [(c, "detail#p" if r == "period_target" else r) for c, r in out]
    names = [r for _, r in out]
    for level in ("level2", "level1"):
        if level not in names:
            # the header names no such column, yet data rows often carry the category
            # anyway (a merged 一级 cell without its own header cell)
            at = next(k for k, (_, r) in enumerate(out) if r in ("level1", "level2", "name", "target"))
            out.insert(at, (out[at][0] - 1, level))
            names.insert(at, level)
    return out
