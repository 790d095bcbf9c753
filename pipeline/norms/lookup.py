"""Indicator norms: canonical indicators mined from many filings, and their typical targets.

Building (``jixiao norms build``) is a map over partitions of indicator records plus a
reduce, written as plain functions so that a distributed engine can run the map:

* :func:`map_partition` — records (dicts with the columns of indicators.csv) → a
  :class:`Partial`: per normalised name, row and filing counts, category, value-kind and
  comparator counters, and per unit a mergeable :class:`ValueSketch` of the target values.
* :func:`merge_partials` — the reduce: adds partials (counters add, filing sets unite,
  sketches merge). It is associative and commutative.
* :func:`finalize` — groups the distinct names of the reduced partial
  (:func:`pipeline.norms.group.group_names`; the name table is small whatever the number of
  rows) and turns each group into a norm: canonical name, aliases, category distribution,
  per-unit comparator distribution and target quantiles (p10 / median / p90, nearest rank),
  the share of vague targets, sectors and regions.

Using: :func:`load_norms` reads a norms.json (by default the one shipped in
``pipeline/resources/``) into :class:`Norms`, whose ``match``, ``review`` and
``suggest_for_vague`` are what ``jixiao clean`` calls per row.

Longer than 400 lines because the Norms object's match, locate, review and suggestion share
its indexes; the next split is the review of a row.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from pipeline.core.errors import ConfigError
from pipeline.core.flags import review_rules
from pipeline.norms.build import (
    FORMAT,
    KIND_FAMILY,
    NUMERIC_KINDS,
    OP_SYMBOL,
    _fmt,
    csv_rows,
    norm_id,
)
from pipeline.norms.group import (
    NameInfo,
    Normaliser,
    comparison_form,
    name_info,
    norms_config,
    same_indicator,
    suggested_head_name,
    without_fillers,
)
from pipeline.values.parse import parse_value


# ============================================================================ the API
@dataclass(frozen=True, slots=True)
class NormUnit:
    """The target values of one canonical indicator in one unit."""
    norm_id: str
    unit_norm: str
    n_rows: int
    n_filings: int
    n_values: int
    op: str
    op_share: float
    ge_share: float
    p10: float | None
    median: float | None
    p90: float | None
    hist: tuple[tuple[float, int], ...] = ()

    def rank(self, v: float) -> float:
        """Mid-rank percentile of ``v`` among the norm's values (0–100)."""
        below = sum(c for x, c in self.hist if x < v)
        equal = sum(c for x, c in self.hist if x == v)
        total = sum(c for _, c in self.hist) or 1
        return 100.0 * (below + equal / 2) / total


@dataclass(frozen=True, slots=True)
class Norm:
    canonical_name: str
    key: str
    family: str
    aliases: tuple[tuple[str, int], ...]
    n_rows: int
    n_filings: int
    level1: str
    level2: str
    level2_share: float
    vague_share: float
    value_kind: str
    units: tuple[NormUnit, ...]
    sectors: Mapping[str, int]
    regions: Mapping[str, int]
    examples: tuple[Mapping, ...]

    def unit(self, unit_norm: str) -> NormUnit | None:
        return next((u for u in self.units if u.unit_norm == unit_norm), None)

    @property
    def primary(self) -> NormUnit | None:
        """The unit with most numeric targets (None when the indicator has none)."""
        return max(self.units, key=lambda u: (u.n_values, u.n_filings), default=None)


@dataclass(frozen=True, slots=True)
class NormMatch:
    """A name matched to a canonical indicator; ``stats`` are for the asked unit when the
    norm has it (``unit_matched``), else for its primary unit."""

    norm_id: str
    canonical_name: str
    score: float
    rule: str
    norm: Norm
    stats: NormUnit | None
    unit_matched: bool

    @property
    def level2(self) -> str:
        return self.norm.level2

    @property
    def n_filings(self) -> int:
        return self.norm.n_filings

    @property
    def p10(self) -> float | None:
        return self.stats.p10 if self.stats else None

    @property
    def median(self) -> float | None:
        return self.stats.median if self.stats else None

    @property
    def p90(self) -> float | None:
        return self.stats.p90 if self.stats else None


@dataclass(frozen=True, slots=True)
class NormFinding:
    """A row-level finding from the norms (same fields as a :class:`pipeline.core.flags.Flag` body)."""
    code: str
    severity: str
    message: str
    evidence: str = ""
    suggestion: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "severity": self.severity, "message": self.message,
                "evidence": self.evidence, "suggestion": self.suggestion}


def _ending_unified(key: str, rv) -> str:
    """The name with its ending in the preferred form (及时性 → 及时率)."""
    for end, better in rv["preferred_endings"].items():
        if key.endswith(end):
            return key[: -len(end)] + better
    return key


def _measure(key: str, measures) -> str:
    """What a name measures: the kind whose word sits latest in it ('' when none)."""
    best, at = "", -1
    for kind, words in measures:
        for w in words:
            i = key.rfind(w)
            if i >= 0 and i + len(w) > at:
                best, at = kind, i + len(w)
    return best


def _severity(code: str, default: str) -> str:
    try:
        return review_rules().codes.get(code, (default, ""))[0]
    except Exception:  # noqa: BLE001 - the finding must not depend on the review config loading
        return default


def _value_text(v: float | None, unit: str) -> str:
    return f"{_fmt(v)}{unit}" if v is not None else ""


def _target_text(u: NormUnit) -> str:
    """The typical target of a norm unit as a filing would write it: ≥90%, 100%, ≤20工作日."""
    op = OP_SYMBOL.get(u.op, "") if u.op_share >= 0.5 else ""
    if u.unit_norm == "%" and u.median is not None and u.median >= 100 and op in ("≥", ">"):
        op = ""                                  # ≥100% says no more than 100%
    return f"{op}{_value_text(u.median, u.unit_norm)}"


class Norms:
    """Canonical indicators with their norms (one norms.json)."""
    def __init__(self, doc: Mapping, path: str = ""):
        if doc.get("format") != FORMAT:
            raise ConfigError(path or "norms.json", f"is not a jixiao norms file (format {doc.get('format')!r}, "
                              f"expected {FORMAT!r}); rebuild it with `jixiao norms build`")
        self.path = path
        self.doc = doc
        self.version = doc.get("version", "")
        self.cfg = norms_config()
        self.normaliser = Normaliser(doc.get("places", ()), self.cfg)
        self.norms: list[Norm] = [self._norm(d) for d in doc["indicators"]]
        self._by_key: dict[str, int] = {}
        # aliases by the block a name is compared within (the last two characters of its
        # comparison form); their NameInfo (a jieba cut each) is built when a name of that block is
        # first looked up, so a run over one filing segments a few blocks, not all the aliases
        self._aliases_by_block: dict[str, list[tuple[str, int, int]]] = {}
        self._by_block: dict[str, list[tuple[NameInfo, int]]] = {}
        self._family: dict[str, int] = {}
        for i, (d, n) in enumerate(zip(doc["indicators"], self.norms)):
            if n.family:
                self._family.setdefault(n.family, i)
            for alias, rows in d["aliases"]:
                self._by_key.setdefault(alias, i)
                block = comparison_form(alias, self.cfg)[-2:]
                self._aliases_by_block.setdefault(block, []).append((alias, rows, i))
        self._by_id = {u.norm_id: n for n in self.norms for u in n.units}
        self._match_cache: dict[tuple[str, str, str], NormMatch | None] = {}

    def _block(self, block: str) -> list[tuple[NameInfo, int]]:
        """The aliases of ``block`` with their NameInfo, built on first use."""
        got = self._by_block.get(block)
        if got is None:
            got = self._by_block[block] = [
                (name_info(alias, rows, 0, self.norms[i].level2, "", self.cfg), i)
                for alias, rows, i in self._aliases_by_block.get(block, ())]
        return got

    @staticmethod
    def _norm(d: Mapping) -> Norm:
        units = tuple(NormUnit(u["norm_id"], u["unit_norm"], u["n_rows"], u["n_filings"], u["n_values"], u["op"],
                               u["op_share"], u["ge_share"], u["p10"], u["median"], u["p90"],
                               tuple((v, c) for v, c in u.get("hist", ()))) for u in d["units"])
        return Norm(d["canonical_name"], d["key"], d.get("family", ""), tuple((k, n) for k, n in d["aliases"]),
                    d["n_rows"], d["n_filings"], d["level1"], d["level2"], d["level2_share"], d["vague_share"],
                    d.get("value_kind", ""), units, d.get("sectors", {}), d.get("regions", {}),
                    tuple(d.get("examples", ())))

    def __len__(self) -> int:
        return len(self.norms)

    def get(self, norm_id: str) -> Norm | None:
        return self._by_id.get(norm_id)

    def find(self, canonical_name: str) -> Norm | None:
        i = self._by_key.get(canonical_name)
        return self.norms[i] if i is not None else None

    # ------------------------------------------------------------------ matching
    def _make(self, i: int, score: float, rule: str, unit_norm: str) -> NormMatch:
        n = self.norms[i]
        u = n.unit(unit_norm) if unit_norm else None
        matched = u is not None
        stats = u or n.primary
        nid = stats.norm_id if stats else norm_id(n.canonical_name, "")
        return NormMatch(nid, n.canonical_name, round(score, 1), rule, n, stats, matched)

    def _scored(self, name: str, unit_norm: str, level2: str) -> list[tuple[float, bool, str, int]]:
        key = self.normaliser(name)
        if not key or not self.normaliser.keep(key):
            return []
        if key in self._by_key:
            return [(100.0, True, "equal", self._by_key[key])]
        fam = KIND_FAMILY.get({"%": "percent", "元": "money"}.get(unit_norm, ""), "")
        info = name_info(key, 0, 0, level2, fam, self.cfg)
        if info.family >= 0:
            head = self.cfg.families[info.family].canonical_head
            if head in self._family:
                return [(95.0, True, "family", self._family[head])]
        out: dict[int, tuple[float, bool, str, int]] = {}
        for cand, i in self._block(info.block):
            d = same_indicator(info, cand, self.cfg)
            prev = out.get(i)
            item = (d.score, d.same, d.rule, i)
            if prev is None or (item[1], item[0]) > (prev[1], prev[0]):
                out[i] = item
        return sorted(out.values(), key=lambda t: (-t[1], -t[0], -self.norms[t[3]].n_rows))

    def match(self, name: str, unit_norm: str = "", level2: str = "") -> NormMatch | None:
        """The canonical indicator ``name`` belongs to (same rules as the grouping), or None."""
        ck = (name, unit_norm, level2)
        if ck in self._match_cache:
            return self._match_cache[ck]
        scored = self._scored(name, unit_norm, level2)
        best = next((t for t in scored if t[1]), None)
        m = self._make(best[3], best[0], best[2], unit_norm) if best else None
        if len(self._match_cache) < 100_000:
            self._match_cache[ck] = m
        return m

    def nearest(self, name: str, k: int = 5, unit_norm: str = "", level2: str = "") -> list[NormMatch]:
        """The ``k`` closest canonical indicators (matches first, then by similarity),
        including near names that are not the same indicator (``rule`` says why)."""
        from rapidfuzz import fuzz, process

        scored = self._scored(name, unit_norm, level2)
        seen = {t[3] for t in scored}
        out = [self._make(i, s, r if same else f"not same: {r}", unit_norm) for s, same, r, i in scored[:k]]
        if len(out) < k:
            key = self.normaliser(name)
            choices = {i: n.key for i, n in enumerate(self.norms) if i not in seen}
            for _, score, i in process.extract(key, choices, scorer=fuzz.WRatio, limit=k - len(out)):
                out.append(self._make(i, score * 0.5, "not same: similar characters only", unit_norm))
        return out

    # ------------------------------------------------------------------ review
    def review(self, name: str, level2: str, target_value) -> list[NormFinding]:
        """Findings for one row: NONSTANDARD_NAME (info) and NORM_OUTLIER (warning).

        ``target_value`` is a :class:`pipeline.values.parse.Value` (kind, value, unit_norm).
        """
        unit = getattr(target_value, "unit_norm", "") or ""
        m = self.match(name, unit, level2)
        if m is None:
            return []
        out = []
        same = self.same_indicator(name, m)
        f = self._nonstandard(name, m, same)
        if f:
            out.append(f)
        f = self._outlier(name, m, target_value) if same else None
        if f:
            out.append(f)
        return out

    def same_indicator(self, name: str, m: NormMatch) -> bool:
        """Whether a row may be compared with the norm it matched: the names are alike
        (``review.same_name_similarity``) and measure the same thing (rate, count, money)."""
        from rapidfuzz.fuzz import ratio

        rv = self.cfg.review
        key = self.normaliser(name)
        if key == m.norm.key or m.rule == "family" or m.norm.family:
            return True   # the canonical name itself, or a designed family (满意度 whatever the respondent)
        # an alias match ("equal") only says the grouping put the names together; groups hold
        # several objects (重残人员医保…发放准确性 beside 救助资金发放准确率), so the name is
        # compared with the canonical name the norm stands for
        a, b = _ending_unified(key, rv), _ending_unified(m.norm.key, rv)
        n = 0
        while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
            n += 1
        # what is measured sits before the shared ending (工资 | 发放准确率 against 救助资金 |
        # 发放准确率): those objects must be alike, not only the whole strings
        obj_a, obj_b = a[: len(a) - n], b[: len(b) - n]
        if obj_a and obj_b and ratio(obj_a, obj_b) < rv["same_name_similarity"]:
            return False
        if ratio(key, m.norm.key) < rv["same_name_similarity"]:
            return False
        return _measure(key, rv["measures"]) == _measure(m.norm.key, rv["measures"])

    def _nonstandard(self, name: str, m: NormMatch, same: bool = True) -> NormFinding | None:
        """NONSTANDARD_NAME when the row words the same indicator differently from the norm.

        Groups hold one kind of indicator with different objects (辅助器具验收合格率 and
        设备验收合格率), so the row is not told to take another filing's object: it is told
        the canonical name when the two differ only in filler words or synonym endings
        (项目建设成本 → 项目总成本, 项目完成及时性 → 项目完成及时率), else its own name with the
        standard ending (受益群众满意率 → 受益群众满意度, 补贴发放及时性 → 补贴发放及时率).
        """

        key = self.normaliser(name)
        n = m.norm
        if not key or key == n.key:
            return None
        cmp, ccmp = comparison_form(key, self.cfg), comparison_form(n.key, self.cfg)
        if same and not n.family and (cmp == ccmp or without_fillers(cmp, self.cfg) == without_fillers(ccmp, self.cfg)):
            if n.n_filings < self.cfg.review["name_min_filings"]:
                return None   # one filing's wording is no standard to rename others by
            better, why = n.canonical_name, f"与规范名称“{n.canonical_name}”只是措辞不同"
        else:
            better = suggested_head_name(key, self.cfg)
            if not better:
                return None
            why = f"的计量写法不规范，宜写作“…{_common_tail(better, key)}”"
        if not better or better == key:
            return None
        if not same:
            # another indicator's norm says nothing about this name: only its own wording is
            # at issue, and the evidence does not cite the unrelated norm
            return NormFinding(
                "NONSTANDARD_NAME", _severity("NONSTANDARD_NAME", "info"), f"指标名称“{name}”{why}",
                "按指标名称的计量写法规范（未与其他指标的常模比较）", f"改为“{better}”")
        return NormFinding(
            "NONSTANDARD_NAME", _severity("NONSTANDARD_NAME", "info"),
            f"指标名称“{name}”{why}（该指标在 {n.n_filings} 份文件中有 {len(n.aliases)} 种写法）",
            self._evidence(m), f"改为“{better}”")

    def _evidence(self, m: NormMatch) -> str:
        n, u = m.norm, m.stats
        text = f"常模 {m.norm_id}：{n.canonical_name}，{n.n_filings} 份文件 {n.n_rows} 行"
        if u and u.n_values:
            text += (f"；目标值（{u.unit_norm or '无单位'}，{u.n_filings} 份文件 {u.n_values} 个）P10 "
                     f"{_value_text(u.p10, u.unit_norm)} / 中位数 {_value_text(u.median, u.unit_norm)} / P90 "
                     f"{_value_text(u.p90, u.unit_norm)}")
        return text

    def _outlier(self, name: str, m: NormMatch, v) -> NormFinding | None:
        rv = self.cfg.review
        value = getattr(v, "value", None)
        u = m.stats
        if (value is None or getattr(v, "kind", "") not in NUMERIC_KINDS or not m.unit_matched or u is None
                or u.unit_norm in rv["skip_units"] or u.n_filings < rv["min_filings"] or u.p10 is None):
            return None
        if u.unit_norm == "%":
            lo, hi = u.p10 - rv["percent_margin"], u.p90 + rv["percent_margin"]
            how = f"比 P10 低 {_fmt(u.p10 - value)} 个百分点" if value < lo else f"比 P90 高 {_fmt(value - u.p90)} 个百分点"
        else:
            if u.p10 <= 0:
                return None
            lo, hi = u.p10 / rv["ratio"], u.p90 * rv["ratio"]
            how = (f"不到 P10 的 1/{_fmt(rv['ratio'])}" if value < lo else f"超过 P90 的 {_fmt(rv['ratio'])} 倍")
        if lo <= value <= hi:
            return None
        side = "低于" if value < lo else "高于"
        unit = u.unit_norm
        return NormFinding(
            "NORM_OUTLIER", _severity("NORM_OUTLIER", "warning"),
            f"目标值 {_value_text(value, unit)} 远{side}同类指标“{m.canonical_name}”的常见目标（{how}；常见范围 "
            f"{_value_text(u.p10, unit)}–{_value_text(u.p90, unit)}，中位数 {_value_text(u.median, unit)}）",
            self._evidence(m),
            f"核实“{name}”的目标值：同类指标常见目标为 {_target_text(u)}（{u.n_filings} 份文件的中位数）")

    def suggest_for_vague(self, name: str, level2: str = "") -> str:
        """A measurable target for a vague one, from the norm's median (e.g.
        ``"≥90%（12 份文件的中位数）"``); '' when the indicator has no usable norm."""
        m = self.match(name, "", level2)
        if m is None or not self.same_indicator(name, m):
            return ""
        u = m.norm.primary
        if (u is None or u.median is None or u.n_filings < self.cfg.suggest_min_filings
                or u.unit_norm in self.cfg.review["skip_units"]):
            return ""
        return f"{_target_text(u)}（{u.n_filings} 份文件的中位数）"

    def locate(self, name: str, value, level2: str = "") -> str:
        """Where a value stands in the norm of ``name`` (Chinese sentence), '' without a norm.

        ``value`` is a :class:`pipeline.values.parse.Value` or a text parsed with parse_value.
        """
        if isinstance(value, str):
            value = parse_value(value)
        m = self.match(name, value.unit_norm, level2)
        if m is None or value.value is None or m.stats is None or m.stats.median is None or not m.unit_matched:
            return ""
        u, v, unit = m.stats, value.value, m.stats.unit_norm
        if v < u.p10:
            where = f"低于 P10（{_value_text(u.p10, unit)}）"
        elif v > u.p90:
            where = f"高于 P90（{_value_text(u.p90, unit)}）"
        elif v == u.median:
            where = f"等于中位数（{_value_text(u.median, unit)}）"
        else:
            where = (f"在 P10–P90（{_value_text(u.p10, unit)}–{_value_text(u.p90, unit)}）之间，"
                     f"{'低于' if v < u.median else '高于'}中位数 {_value_text(u.median, unit)}")
        return (f"{_value_text(v, unit)} {where}；位于“{m.canonical_name}”常模的第 {u.rank(v):.0f} 百分位"
                f"（{u.n_filings} 份文件 {u.n_values} 个目标值）")


def _common_tail(better: str, key: str) -> str:
    """The reworded ending of ``better`` (what differs from ``key``, from the first change)."""
    i = 0
    while i < min(len(better), len(key)) and better[i] == key[i]:
        i += 1
    return better[max(0, i - 2):] if i else better


@functools.cache   # asked for every filing
def shipped_norms_path() -> Path:
    """pipeline/resources/norms.json (package data)."""
    return Path(str(files("pipeline") / "resources" / "norms.json"))


@functools.lru_cache(maxsize=8)
def _load(path: str) -> Norms:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(path, f"cannot read the norms file ({exc.strerror}); build one with "
                          "`jixiao norms build DATA -o OUT` or regenerate the shipped one with "
                          "scripts/build_norms.py") from exc
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(path, f"is not valid JSON ({exc}); rebuild it with `jixiao norms build`") from exc
    return Norms(doc, path)


def load_norms(path: str | Path | None = None) -> Norms:
    """The norms of ``path`` (default: ``$JIXIAO_NORMS``, else the shipped
    pipeline/resources/norms.json), read once."""

    path = path or os.environ.get("JIXIAO_NORMS") or None
    return _load(_resolved(str(path), os.getcwd()) if path else str(shipped_norms_path()))


@functools.lru_cache(maxsize=64)
def _resolved(path: str, cwd: str) -> str:
    # asked for every filing: resolved once per name and working folder
    return str((Path(cwd) / path).resolve())


def from_doc(doc: Mapping) -> Norms:
    """Norms from an in-memory document (as returned by :func:`finalize`)."""
    return Norms(doc)


def describe(doc_or_norms) -> list[dict]:
    """Plain rows (canonical, unit, n, p10/median/p90) for notebooks and reports."""
    doc = doc_or_norms.doc if isinstance(doc_or_norms, Norms) else doc_or_norms
    return csv_rows(doc)


__all__ = ["Norms", "Norm", "NormUnit", "NormMatch", "NormFinding", "load_norms", "from_doc", "shipped_norms_path"]

