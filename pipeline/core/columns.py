"""Column names for people, from ``configs/columns.yaml``.

``column_names()`` gives the Chinese header of each column of indicators.csv (the workbook
and the review workspace show it; the CSV keeps the English names code reads), the columns
the workbook shows first, and the Chinese headers of users' own files that ``jixiao
classify`` accepts: 三级指标 / 指标名称 → ``name``, 指标值 → ``target``, 一级指标 →
``level1_filed``, 二级指标 → ``level2_filed``.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.core.config import load_yaml, require, str_list
from pipeline.core.errors import ConfigError


@dataclass(frozen=True, slots=True)
class ColumnNames:
    zh: dict[str, str]                         # column -> Chinese header
    workbook_first: tuple[str, ...]            # shown first in the workbook's indicator sheet
    input_aliases: dict[str, str]              # a user's header (spaces removed) -> input column
    kinds_zh: dict[str, str]                   # target_table -> 绩效目标表 …
    severities_zh: dict[str, str]              # error -> 错误 …

    def header(self, column: str) -> str:
        return self.zh.get(column, column)

    def workbook_order(self, columns: Sequence[str]) -> list[str]:
        """``columns`` with the reviewer's columns first, the rest in their own order."""
        first = [c for c in self.workbook_first if c in columns]
        return first + [c for c in columns if c not in first]

    def rename_input(self, headers: Sequence[str]) -> dict[str, str]:
        """The renaming that turns a user's headers into the input columns; a header that is
        already an input column, or whose column is already present, is left alone."""
        out: dict[str, str] = {}
        taken = set(headers)
        for h in headers:
            target = self.input_aliases.get("".join(str(h).split()))
            if target and target not in taken:
                out[h] = target
                taken.add(target)
        return out


@functools.cache
def column_names() -> ColumnNames:
    where = "configs/columns.yaml"
    data = load_yaml("columns.yaml")
    zh = require(data, "zh", dict, where)
    for k, v in zh.items():
        if not isinstance(v, str) or not v:
            raise ConfigError(where, f"zh.{k} must be a non-empty string, got {v!r}")
    first = str_list(data, "workbook_first", where)
    unknown = [c for c in first if c not in zh]
    if unknown:
        raise ConfigError(where, f"workbook_first names columns that zh does not have: {unknown}")
    aliases: dict[str, str] = {}
    for column, words in require(data, "input_aliases", dict, where).items():
        for w in str_list({"w": words}, "w", f"{where}: input_aliases.{column}"):
            aliases["".join(w.split())] = column
    labels = {}
    for key in ("kinds_zh", "severities_zh"):
        labels[key] = {str(k): str(v) for k, v in require(data, key, dict, where).items()}
    return ColumnNames(zh=dict(zh), workbook_first=first, input_aliases=aliases, **labels)
