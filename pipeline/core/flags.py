"""Flag records and the review rules of ``configs/review.yaml``.

Schema of a :class:`Flag` (one row of flags.csv): ``file, table, row, name, code,
severity, message, evidence, suggestion``. ``table``/``row`` are 0 for a flag on the
filing as a whole; ``message`` is Chinese for the reviewer and says what was expected
and what was found; ``evidence`` quotes the cells or sentences it rests on.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, fields

from pipeline.core.config import load_yaml, require, str_list
from pipeline.core.errors import ConfigError

SEVERITIES = ("error", "warning", "info")


@dataclass(slots=True)
class Flag:
    file: str
    table: int
    row: int
    code: str
    severity: str
    message: str
    evidence: str = ""
    suggestion: str = ""
    name: str = ""

    def as_dict(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in FLAG_FIELDS}


# computed once: as_dict runs for every flag of a batch (dataclasses.fields is slow)
FLAG_FIELDS = tuple(f.name for f in fields(Flag))


FLAG_COLUMNS = ("file", "table", "row", "name", "code", "severity", "message", "evidence", "suggestion")


@dataclass(frozen=True, slots=True)
class ReviewRules:
    version: str
    codes: dict[str, tuple[str, str]]          # code -> (severity, about)
    thresholds: dict[str, float]
    kind_rules: dict[str, frozenset[str]]      # canonical level2 -> kinds that do not fit
    rates_ok: frozenset[str]                   # level2s where an amount per unit (元/人·月) is a standard
    percent_over_100_ok: tuple[str, ...]
    satisfaction_words: tuple[str, ...]
    achieved_words: tuple[str, ...]
    non_indicator_names: tuple[str, ...] = ()      # 合计, 总分, 说明 …: rows that are no indicator
    label_zh: dict[str, str] = field(default_factory=dict)   # code -> Chinese name shown to reviewers

    def zh(self, code: str) -> str:
        """The Chinese name of a flag code (the code itself for one not declared)."""
        return self.label_zh.get(code, code)

    def flag(self, code: str, file: str, table: int, row: int, message: str, evidence: str = "",
             suggestion: str = "", name: str = "") -> Flag:
        if code not in self.codes:
            raise ConfigError("configs/review.yaml", f"flag code '{code}' is used by the code but not declared "
                              "under 'codes'; add it with its severity")
        return Flag(file, table, row, code, self.codes[code][0], message, evidence, suggestion, name)


@functools.cache
def review_rules() -> ReviewRules:
    where = "configs/review.yaml"
    data = load_yaml("review.yaml")
    codes_raw = require(data, "codes", dict, where)
    codes = {}
    for code, spec in codes_raw.items():
        if not isinstance(spec, dict) or spec.get("severity") not in SEVERITIES:
            raise ConfigError(where, f"codes.{code}: needs a severity, one of {', '.join(SEVERITIES)}; got {spec!r}")
        codes[code] = (spec["severity"], str(spec.get("about", "")))
        if not isinstance(spec.get("zh"), str) or not spec["zh"]:
            raise ConfigError(where, f"codes.{code}: needs a 'zh' (the Chinese name reviewers see)")
    th = require(data, "thresholds", dict, where)
    thresholds = {}
    for k, v in th.items():
        if not isinstance(v, (int, float)):
            raise ConfigError(where, f"thresholds.{k} must be a number, got {v!r}")
        thresholds[k] = float(v)
    kr = require(data, "kind_rules", dict, where)
    kind_rules = {l2: frozenset(str_list(spec, "bad", f"{where}: kind_rules.{l2}")) for l2, spec in kr.items()}
    rates_ok = frozenset(l2 for l2, spec in kr.items() if isinstance(spec, dict) and spec.get("rates_ok") is True)
    return ReviewRules(
        version=require(data, "rules", str, where),
        codes=codes,
        thresholds=thresholds,
        kind_rules=kind_rules,
        rates_ok=rates_ok,
        percent_over_100_ok=str_list(data, "percent_over_100_ok", where),
        satisfaction_words=str_list(data, "satisfaction_words", where),
        achieved_words=str_list(data, "achieved_words", where),
        non_indicator_names=str_list(data, "non_indicator_names", where),
        label_zh={code: spec["zh"] for code, spec in codes_raw.items()},
    )
