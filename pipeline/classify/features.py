"""The classifier's view of an indicator row: plain-Python feature extraction, no scikit-learn.

One row (a mapping with ``name``, ``target``/``target_raw``, ``actual``/``actual_raw``,
``level1_filed``, ``level2_filed`` and optionally ``unit_raw``) becomes six text fields,
each vectorised by its own block of the model:

======  ===========================================================  ===============================
field   content                                                      vectorised as
======  ===========================================================  ===============================
name    the normalised name (NFKC, no blanks, lower case)            jieba words and character
                                                                     1–3-grams, TF-IDF (two blocks)
value   ``kind=percent op=>= unit=% vague dir=increase`` from         binary tokens
        :func:`pipeline.values.parse.parse_value` on the target (or the
        actual value when no target was filed)
vwords  the Chinese words of the target and actual cells             binary tokens
filed   ``FILED_L2=数量指标 FILED_L1=产出指标`` — the filed category      binary tokens
        text mapped by :func:`pipeline.core.taxonomy.lookup`
rules   ``RULE=时效指标 …`` — every soft keyword rule of                binary tokens
        ``configs/classify_rules.yaml`` that fires
hard    ``HARD=none …`` — every hard rule that fires                  binary tokens (fixed vocabulary)
shape   ``SHAPE=rate SHAPE=completion_rate END1=率 END2=成率`` — the     binary tokens
        name's suffix class and ending (:mod:`pipeline.classify.name_shape`)
======  ===========================================================  ===============================

Example: ``row_fields({"name": "观影人次数量", "target": ">=520人次", "level1_filed": "产出指标",
"level2_filed": "质量指标"})`` →
``Fields(name='观影人次数量', value='kind=count op=>= unit=人次', vwords='人次',
filed='FILED_L2=质量指标 FILED_L1=产出指标', rules='RULE=数量指标', hard='',
shape='SHAPE=item_count END1=量 END2=数量')``.

The unit column (``unit_raw`` from the extractor, ``unit`` in gold.tsv and ``jixiao classify``
input) is the unit hint of the typed value: ``差旅费 470`` with 计量单位 ``元/人天`` is money, not a
count.

The same functions feed the scikit-learn pipeline (:func:`row_frame`, used through a
``FunctionTransformer``) and the numpy scorer (:mod:`pipeline.classify.scorer`), so both see identical
features. The keyword rules double as the rules baseline (:class:`RuleSet.predict`).

Not handled yet: the 指标解释 / 评分标准 columns of some forms (they often say what the
indicator measures better than its name).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from pipeline.classify.name_shape import shape_field
from pipeline.core.config import load_yaml, require, str_list
from pipeline.core.errors import ConfigError
from pipeline.core.segment import normalize, tokenize_name
from pipeline.core.taxonomy import lookup, strip_decorations
from pipeline.values.parse import parse_value

FEATURES_VERSION = "features-v2"   # v2: the shape block and the unit column as unit hint in training
FIELDS = ("name", "value", "vwords", "filed", "rules", "hard", "shape")
PROCESS_L2 = "过程指标"
NONE_LABEL = "none"


@dataclass(frozen=True)
class FeatureSettings:
    """Which feature blocks a model uses and how the name is cut (stored with the model)."""
    word_ngram_max: int = 1          # 1: words; 2: words and word bigrams
    char_ngram_min: int = 1
    char_ngram_max: int = 3
    value: bool = True               # typed value tokens
    value_words: bool = False        # the Chinese words of the target/actual cells as tokens
    filed: bool = True               # the filed category as FILED_L2=/FILED_L1= tokens
    rules: bool = True               # keyword-rule hits as RULE= tokens (hard rules as HARD= tokens)
    shape: bool = False              # the name's suffix class and ending as SHAPE=/END= tokens
    sublinear_tf: bool = True
    min_df: int = 1
    weights: dict[str, float] = field(default_factory=lambda: {
        "words": 1.0, "chars": 1.0, "value": 0.5, "vwords": 0.5, "filed": 0.5, "rules": 0.5, "hard": 2.0,
        "shape": 0.5})

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "FeatureSettings":
        known = {k: v for k, v in d.items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass(frozen=True, slots=True)
class Fields:
    """The text fields of one row (see the module docstring)."""
    name: str
    value: str
    vwords: str
    filed: str
    rules: str
    hard: str
    shape: str = ""


@dataclass(frozen=True, slots=True)
class Filed:
    """The filed category of a row, canonicalised: ``l1``/``l2`` are '' when not given or unknown."""
    l1: str = ""
    l2: str = ""


def _get(row: Mapping[str, Any], *keys: str) -> str:
    for k in keys:
        v = row.get(k)
        if v is None:
            continue
        if v.__class__ is str:          # the common case: one strip, no str() and NaN test
            v = v.strip()
            if v:
                return v
        elif v == v and str(v).strip():   # v == v drops NaN
            return str(v).strip()
    return ""


def row_texts(row: Mapping[str, Any]) -> tuple[str, str, str, str, str, str]:
    """(name, target, actual, level1_filed, level2_filed, unit) of a row, '' where absent.

    Accepts the gold.tsv columns (``target``, ``actual``) and the extractor's
    (``target_raw``, ``actual_raw``, ``unit_raw``).
    """
    return (_get(row, "name"), _get(row, "target", "target_raw"), _get(row, "actual", "actual_raw"),
            _get(row, "level1_filed"), _get(row, "level2_filed"), _get(row, "unit_raw", "unit"))


def _lookup(text: str):
    """taxonomy.lookup, retried without a trailing 指标 for management blocks (资金管理指标 → 资金管理)."""
    c = lookup(text)
    if not c.is_category:
        t = strip_decorations(text)
        if t.endswith("指标") and len(t) > 4:
            c2 = lookup(t[:-2])
            if c2.process:
                return c2
    return c


@functools.lru_cache(maxsize=4096)
def filed_category(level1_filed: str, level2_filed: str) -> Filed:
    """Canonical filed levels: ``("产出指标(50分)", "数量指标 (必填硬性指标)")`` → ``Filed('产出指标', '数量指标')``.

    A first-level name typed in the second-level column (``绩效指标 / 产出指标``,
    ``实施效果指标 / 产出指标``) counts as the first level; a management block (资金管理, 预算编制 …) counts as 过程指标.
    """
    l1 = l2 = ""
    if level2_filed:
        c = _lookup(level2_filed)
        if c.l2:
            l2 = c.l2
        elif c.process:
            l2 = PROCESS_L2
        elif c.l1:
            l1 = c.l1
    if level1_filed:
        c = _lookup(level1_filed)
        if c.l1 and not l1:
            # (a first level in the 二级 column is the specific one: 实施效果指标 / 产出指标)
            l1 = c.l1
        elif c.process and not l1:
            l1 = PROCESS_L2
        elif not l1 and c.l2 and not l2:    # a second-level name typed in the first-level column
            l2 = c.l2
    return Filed(l1, l2)


@functools.lru_cache(maxsize=16384)
def _value_tokens(text: str, unit: str) -> str:
    # parse_value reports a cell it cannot read as a status and never raises on a cell; only a
    # broken configs/values.yaml raises, and that must stop training rather than skew the model
    v = parse_value(text, unit_hint=unit or None)
    out = [f"kind={v.kind}"]
    if v.op:
        out.append(f"op={v.op}")
    if v.unit_norm:
        out.append("unit=" + v.unit_norm.replace(" ", ""))
    if v.vague:
        out.append("vague")
    if v.direction:
        out.append(f"dir={v.direction}")
    return " ".join(out)


def value_field(target: str, actual: str, unit: str = "") -> str:
    """Typed value tokens of the target, or of the actual value when no target was filed."""
    if target:
        return _value_tokens(target, unit)
    if actual:
        return "src=actual " + _value_tokens(actual, unit)
    return "kind=none"


_CJK_WORD = re.compile(r"^[\u3400-\u9fff]+$")


@functools.lru_cache(maxsize=16384)
def value_words_field(target: str, actual: str) -> str:
    """The Chinese words of the value cells: ``"及时（每月25日）"`` → ``"及时 每月"``."""
    words = [w for w in tokenize_name(f"{target} {actual}") if _CJK_WORD.match(w)]
    return " ".join(dict.fromkeys(words))


def filed_field(f: Filed) -> str:
    return f"FILED_L2={f.l2 or '-'} FILED_L1={f.l1 or '-'}"


# --------------------------------------------------------------------------- keyword rules

@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    label: str
    hard: bool = False
    name_any: tuple[str, ...] = ()
    name_none: tuple[str, ...] = ()
    name_regex: re.Pattern | None = None
    value_kind: tuple[str, ...] = ()
    value_unit: tuple[str, ...] = ()
    _any: re.Pattern | None = field(default=None, repr=False, compare=False)
    _none: re.Pattern | None = field(default=None, repr=False, compare=False)

    @classmethod
    def make(cls, **kw: Any) -> "Rule":
        """A rule with its word lists compiled into one alternation each (matching is on every row)."""
        alt = lambda words: re.compile("|".join(map(re.escape, words))) if words else None  # noqa: E731
        return cls(**kw, _any=alt(kw.get("name_any", ())), _none=alt(kw.get("name_none", ())))

    def matches(self, name: str, kind: str, unit: str) -> bool:
        if self._any is not None and not self._any.search(name):
            return False
        if self._none is not None and self._none.search(name):
            return False
        if self.name_regex is not None and not self.name_regex.search(name):
            return False
        if self.value_kind and kind not in self.value_kind:
            return False
        if self.value_unit and unit not in self.value_unit:
            return False
        return True


@dataclass(frozen=True, slots=True)
class RuleSet:
    """The ordered keyword rules of ``configs/classify_rules.yaml``."""
    version: str
    fallback: str
    rules: tuple[Rule, ...]

    def hits(self, name: str, value: str) -> list[Rule]:
        """Every rule that fires for a normalised name and a value field."""
        kind, unit = _kind_unit(value)
        return [r for r in self.rules if r.matches(name, kind, unit)]

    def predict(self, name: str, value: str) -> str:
        """The rules baseline: the label of the first rule that fires, else the fallback."""
        kind, unit = _kind_unit(value)
        for r in self.rules:
            if r.matches(name, kind, unit):
                return r.label
        return self.fallback


def _kind_unit(value: str) -> tuple[str, str]:
    kind = unit = ""
    for tok in value.split():
        if tok.startswith("kind="):
            kind = tok[5:]
        elif tok.startswith("unit="):
            unit = tok[5:]
    return kind, unit


@functools.cache
def rules() -> RuleSet:
    """Load ``configs/classify_rules.yaml`` once (raises ConfigError naming the bad rule)."""
    return parse_rules(load_yaml("classify_rules.yaml"))


def parse_rules(data: Mapping[str, Any], where: str = "configs/classify_rules.yaml") -> RuleSet:
    """Validate the mapping of a rules file and compile it (see :func:`rules`)."""
    version = require(data, "rules", str, where)
    fallback = require(data, "fallback", str, where)
    out = []
    for i, item in enumerate(require(data, "classes", list, where)):
        w = f"{where}: classes[{i}]"
        if not isinstance(item, dict):
            raise ConfigError(w, f"each rule must be a mapping, got {item!r:.60}")
        rid = require(item, "id", str, w)
        label = require(item, "label", str, w)
        regex = None
        if "name_regex" in item:
            try:
                regex = re.compile(require(item, "name_regex", str, w))
            except re.error as exc:
                raise ConfigError(w, f"name_regex of rule '{rid}' is not a valid regex: {exc}") from exc
        opt = {k: tuple(normalize(x) for x in str_list(item, k, w)) if k.startswith("name") else str_list(item, k, w)
               for k in ("name_any", "name_none", "value_kind", "value_unit") if k in item}
        hard = item.get("hard", False)
        if not isinstance(hard, bool):
            raise ConfigError(w, f"'hard' of rule '{rid}' must be true or false, got {hard!r}")
        unknown = set(item) - {"id", "label", "hard", "name_any", "name_none", "name_regex", "value_kind", "value_unit"}
        if unknown:
            raise ConfigError(w, f"rule '{rid}' has unknown keys {sorted(unknown)}; "
                              "allowed: name_any, name_none, name_regex, value_kind, value_unit")
        if not (opt or regex):
            raise ConfigError(w, f"rule '{rid}' has no condition")
        out.append(Rule.make(id=rid, label=label, hard=hard, name_regex=regex, **opt))
    return RuleSet(version=version, fallback=fallback, rules=tuple(out))


@functools.lru_cache(maxsize=65536)
def rules_fields(name: str, value: str) -> tuple[str, str]:
    """(soft, hard) rule tokens: ``("RULE=时效指标 RULE=数量指标", "HARD=服务对象满意度指标")``."""
    hits = rules().hits(name, value)
    soft = " ".join(dict.fromkeys("RULE=" + r.label for r in hits if not r.hard))
    hard = " ".join(dict.fromkeys("HARD=" + r.label for r in hits if r.hard))
    return soft, hard


# --------------------------------------------------------------------------- rows → fields

def row_fields(row: Mapping[str, Any]) -> Fields:
    """The text fields of one row (every block computed; the settings choose which are used)."""
    return _fields(*row_texts(row))


@functools.lru_cache(maxsize=65536)
def _fields(name: str, target: str, actual: str, l1: str, l2: str, unit: str) -> Fields:
    n = normalize(name)
    value = value_field(target, actual, unit)
    soft, hard = rules_fields(n, value)
    return Fields(name=n, value=value, vwords=value_words_field(target, actual),
                  filed=filed_field(filed_category(l1, l2)), rules=soft, hard=hard, shape=shape_field(n))


def records(X: Any) -> list[Mapping[str, Any]]:
    """Rows as mappings, from a pandas DataFrame, a list of dicts or of IndicatorRow-like objects."""
    if hasattr(X, "to_dict") and hasattr(X, "columns"):
        return X.to_dict("records")
    out = []
    for r in X:
        if isinstance(r, Mapping):
            out.append(r)
        elif hasattr(r, "as_dict"):
            out.append(r.as_dict())
        else:
            raise TypeError(f"a row must be a mapping or have as_dict(), got {type(r).__name__}")
    return out


def row_frame(X: Any):
    """``FunctionTransformer`` step of the scikit-learn pipeline: rows → DataFrame of :data:`FIELDS`.

    A plain module-level function so that skops can trust it by name
    (``pipeline.classify.features.row_frame``).
    """
    import pandas as pd

    rows = [row_fields(r) for r in records(X)]
    return pd.DataFrame({f: [getattr(r, f) for r in rows] for f in FIELDS})
