"""Indicator norms: canonical indicators mined from many filings, and their typical targets.

Building (``jixiao norms build``) is a map over partitions of indicator records plus a
reduce, written as plain functions so that a distributed engine can run the map:

* :func:`map_partition` — records (dicts with the columns of indicators.csv) → a
  :class:`Partial`: per normalised name, row and filing counts, category, value-kind and
  comparator counters, and per unit a mergeable :class:`ValueSketch` of the target values.
* :func:`merge_partials` — the reduce: adds partials (counters add, filing sets unite,
  sketches merge). It is associative and commutative.
* :func:`finalize` — groups the distinct names of the reduced partial
  (:func:`pipeline.norms_group.group_names`; the name table is small whatever the number of
  rows) and turns each group into a norm: canonical name, aliases, category distribution,
  per-unit comparator distribution and target quantiles (p10 / median / p90, nearest rank),
  the share of vague targets, sectors and regions.

Using: :func:`load_norms` reads a norms.json (by default the one shipped in
``pipeline/resources/``) into :class:`Norms`, whose ``match``, ``review`` and
``suggest_for_vague`` are what ``jixiao clean`` calls per row.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.norms_group import (NameInfo, NormsConfig, Normaliser, group_names, name_info, norms_config,
                                  same_indicator, suggested_head_name)

FORMAT = "jixiao-norms/1"
NUMERIC_KINDS = frozenset({"count", "percent", "money", "duration"})
KIND_FAMILY = {"percent": "rate", "money": "money", "count": "count", "date": "time", "duration": "time"}
OP_SYMBOL = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "", "": "", "~": "约", "range": ""}
CSV_COLUMNS = ("norm_id", "canonical_name", "aliases", "n_rows", "n_filings", "level1", "level2", "level2_share",
               "unit_norm", "unit_rows", "unit_filings", "n_values", "op", "op_share", "ge_share", "p10", "median",
               "p90", "vague_share", "value_kind", "family", "sectors", "regions", "examples")


# ============================================================================ value sketch
class ValueSketch:
    """Mergeable summary of target values: exact value counts while there are at most
    ``limit`` distinct values, then log-spaced buckets with relative error ``alpha``
    (the DDSketch idea). Quantiles use the nearest-rank rule in both modes."""

    __slots__ = ("exact", "pos", "neg", "zeros", "n", "alpha", "limit")

    def __init__(self, alpha: float = 0.005, limit: int = 2048):
        self.exact: dict[float, int] | None = {}
        self.pos: dict[int, int] = {}
        self.neg: dict[int, int] = {}
        self.zeros = 0
        self.n = 0
        self.alpha = alpha
        self.limit = limit

    @property
    def gamma(self) -> float:
        return (1 + self.alpha) / (1 - self.alpha)

    def _bucket(self, v: float) -> int:
        return math.ceil(math.log(v) / math.log(self.gamma))

    def _rep(self, i: int) -> float:
        return 2 * self.gamma ** i / (self.gamma + 1)

    def _add_bucketed(self, v: float, c: int) -> None:
        if v == 0:
            self.zeros += c
        elif v > 0:
            b = self._bucket(v)
            self.pos[b] = self.pos.get(b, 0) + c
        else:
            b = self._bucket(-v)
            self.neg[b] = self.neg.get(b, 0) + c

    def _compress(self) -> None:
        exact, self.exact = self.exact, None
        for v, c in exact.items():
            self._add_bucketed(v, c)

    def add(self, v: float, count: int = 1) -> None:
        self.n += count
        if self.exact is not None:
            self.exact[v] = self.exact.get(v, 0) + count
            if len(self.exact) > self.limit:
                self._compress()
        else:
            self._add_bucketed(v, count)

    def merge(self, other: ValueSketch) -> ValueSketch:
        if self.exact is not None and other.exact is not None:
            for v, c in other.exact.items():
                self.exact[v] = self.exact.get(v, 0) + c
            self.n += other.n
            if len(self.exact) > self.limit:
                self._compress()
            return self
        if self.exact is not None:
            self._compress()
        if other.exact is not None:
            for v, c in other.exact.items():
                self._add_bucketed(v, c)
        else:
            for b, c in other.pos.items():
                self.pos[b] = self.pos.get(b, 0) + c
            for b, c in other.neg.items():
                self.neg[b] = self.neg.get(b, 0) + c
            self.zeros += other.zeros
        self.n += other.n
        return self

    @property
    def is_exact(self) -> bool:
        return self.exact is not None

    def items(self) -> list[tuple[float, int]]:
        """(value, count) in increasing order (bucket representatives once compressed)."""
        if self.exact is not None:
            return sorted(self.exact.items())
        out = [(-self._rep(b), c) for b, c in self.neg.items()]
        if self.zeros:
            out.append((0.0, self.zeros))
        out += [(self._rep(b), c) for b, c in self.pos.items()]
        return sorted(out)

    def quantile(self, q: float) -> float | None:
        if self.n == 0:
            return None
        rank = max(1, math.ceil(q * self.n))
        seen = 0
        for v, c in self.items():
            seen += c
            if seen >= rank:
                return v
        return self.items()[-1][0]  # pragma: no cover - counts always reach n


# ============================================================================ map / reduce
@dataclass(slots=True)
class UnitAgg:
    n_rows: int = 0
    filings: set = field(default_factory=set)
    ops: Counter = field(default_factory=Counter)
    sketch: ValueSketch | None = None


@dataclass(slots=True)
class NameAgg:
    """Everything the norms need from the rows of one normalised name."""

    n_rows: int = 0
    filings: dict = field(default_factory=dict)       # file -> (sector, region)
    level1: Counter = field(default_factory=Counter)
    level2: Counter = field(default_factory=Counter)
    kinds: Counter = field(default_factory=Counter)
    vague: int = 0
    raw: Counter = field(default_factory=Counter)     # names as filed
    examples: list = field(default_factory=list)      # (name, target_raw, file, table, row)
    units: dict = field(default_factory=dict)         # unit_norm -> UnitAgg


@dataclass(slots=True)
class Partial:
    """The result of the map for one partition, and of the reduce for many."""

    names: dict = field(default_factory=dict)         # normalised name -> NameAgg
    n_records: int = 0
    dropped: Counter = field(default_factory=Counter)
    places: tuple = ()


def _float(v) -> float | None:
    if v is None or v == "":
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _truthy(v) -> bool:
    return v is True or (isinstance(v, str) and v.strip().lower() in ("1", "true", "yes")) or v == 1


def map_partition(records: Iterable[Mapping], *, context: Mapping[str, tuple[str, str]] | None = None,
                  normaliser: Normaliser | None = None, cfg: NormsConfig | None = None) -> Partial:
    """Map: normalise the names of a partition of indicator records and aggregate them.

    ``records`` are dicts with the columns of indicators.csv (strings, as read from the
    CSV, or typed values): name, level1, level2, target_kind, target_op, target_value,
    target_unit_norm, target_vague, target_raw, file, table, row — and optionally
    ``sector`` and ``region``; else ``context[file]`` gives (sector, region).
    """
    cfg = cfg or norms_config()
    norm = normaliser or Normaliser(cfg=cfg)
    part = Partial(places=norm.extra_places)
    names = part.names
    keep_cache: dict[str, bool] = {}
    ctx = context or {}
    k_examples = cfg.examples
    for rec in records:
        part.n_records += 1
        raw = str(rec.get("name") or "")
        key = norm(raw)
        ok = keep_cache.get(key)
        if ok is None:
            ok = keep_cache[key] = norm.keep(key)
        if not ok:
            part.dropped["not an indicator name"] += 1
            continue
        agg = names.get(key)
        if agg is None:
            agg = names[key] = NameAgg()
        agg.n_rows += 1
        file = str(rec.get("file") or "")
        if file not in agg.filings:
            where = ctx.get(file, ("", ""))
            agg.filings[file] = (rec.get("sector", where[0]) or "", rec.get("region", where[1]) or "")
        l1, l2 = rec.get("level1") or "", rec.get("level2") or ""
        if l1:
            agg.level1[l1] += 1
        if l2:
            agg.level2[l2] += 1
        kind = rec.get("target_kind") or ""
        agg.kinds[kind] += 1
        if _truthy(rec.get("target_vague")):
            agg.vague += 1
        agg.raw[raw] += 1
        if len(agg.examples) < k_examples:
            agg.examples.append((raw, str(rec.get("target_raw") or ""), file, rec.get("table", ""), rec.get("row", "")))
        value = _float(rec.get("target_value"))
        if value is not None and kind in NUMERIC_KINDS:
            unit = rec.get("target_unit_norm") or ""
            u = agg.units.get(unit)
            if u is None:
                u = agg.units[unit] = UnitAgg(sketch=ValueSketch(cfg.sketch_alpha, cfg.exact_distinct))
            u.n_rows += 1
            u.filings.add(file)
            u.ops[rec.get("target_op") or ""] += 1
            u.sketch.add(value)
    return part


def _merge_name(a: NameAgg, b: NameAgg, k_examples: int) -> NameAgg:
    a.n_rows += b.n_rows
    for f, v in b.filings.items():
        a.filings.setdefault(f, v)
    a.level1.update(b.level1)
    a.level2.update(b.level2)
    a.kinds.update(b.kinds)
    a.vague += b.vague
    a.raw.update(b.raw)
    if len(a.examples) < k_examples:
        a.examples.extend(b.examples[: k_examples - len(a.examples)])
    for unit, ub in b.units.items():
        ua = a.units.get(unit)
        if ua is None:
            a.units[unit] = UnitAgg(ub.n_rows, set(ub.filings), Counter(ub.ops),
                                    ValueSketch(ub.sketch.alpha, ub.sketch.limit).merge(ub.sketch))
        else:
            ua.n_rows += ub.n_rows
            ua.filings |= ub.filings
            ua.ops.update(ub.ops)
            ua.sketch.merge(ub.sketch)
    return a


def merge_into(acc: Partial, part: Partial, cfg: NormsConfig | None = None) -> Partial:
    """Reduce step: add ``part`` into ``acc`` (modified and returned; ``part`` is not)."""
    cfg = cfg or norms_config()
    acc.n_records += part.n_records
    acc.dropped.update(part.dropped)
    if part.places and set(part.places) - set(acc.places):
        acc.places = tuple(sorted(set(acc.places) | set(part.places)))
    for key, agg in part.names.items():
        mine = acc.names.get(key)
        if mine is None:
            mine = acc.names[key] = NameAgg()
        _merge_name(mine, agg, cfg.examples)
    return acc


def merge_partials(partials: Iterable[Partial], cfg: NormsConfig | None = None) -> Partial:
    """Reduce: one new Partial holding the sum of the given ones (inputs are not modified).
    Associative and commutative up to the order of the kept examples."""
    cfg = cfg or norms_config()
    out = Partial()
    for p in partials:
        merge_into(out, p, cfg)
    return out


# ============================================================================ finalize
def _majority(c: Counter) -> tuple[str, float]:
    total = sum(c.values())
    if not total:
        return "", 0.0
    k, n = sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    return k, n / total


def _value_family(kinds: Counter) -> str:
    fams = Counter()
    for k, n in kinds.items():
        if k in KIND_FAMILY:
            fams[KIND_FAMILY[k]] += n
    fam, share = _majority(fams)
    return fam if share > 0.5 else ""


def name_infos(partial: Partial, cfg: NormsConfig | None = None) -> list[NameInfo]:
    """The grouping's view of every distinct name of a (reduced) partial."""
    cfg = cfg or norms_config()
    return [name_info(key, agg.n_rows, len(agg.filings), _majority(agg.level2)[0], _value_family(agg.kinds), cfg)
            for key, agg in partial.names.items()]


def _parent_of(level2: str) -> str:
    if not level2:
        return ""
    try:
        from pipeline.taxonomy import taxonomy

        return taxonomy().parent(level2)
    except Exception:  # noqa: BLE001 - the norms do not depend on the taxonomy loading
        return ""


def norm_id(canonical: str, unit: str) -> str:
    """Stable id of one (canonical indicator, unit): ``N`` + 10 hex digits of SHA-1."""
    return "N" + hashlib.sha1(f"{canonical}|{unit}".encode()).hexdigest()[:10]


def _r(v: float | None) -> float | None:
    if v is None:
        return None
    return float(f"{v:.6g}")


def finalize(partial: Partial, cfg: NormsConfig | None = None, sources: Mapping | None = None) -> dict:
    """The norms document (what norms.json holds) from a reduced partial."""
    cfg = cfg or norms_config()
    infos = name_infos(partial, cfg)
    indicators = []
    for group in group_names(infos, cfg):
        leader = group[0]                      # the canonical member
        agg = NameAgg()
        for m in group:
            _merge_name(agg, partial.names[m.key], 0)
        firsts = [partial.names[m.key].examples[:1] for m in group]       # one example per name first
        agg.examples = [e for ex in firsts for e in ex][:5]
        for m in group:
            agg.examples += [e for e in partial.names[m.key].examples[1:]][: max(0, 5 - len(agg.examples))]
        if not agg.n_rows:
            continue
        l2, l2s = _majority(agg.level2)
        l1, l1s = _majority(agg.level1)
        parent = _parent_of(l2)
        if parent and parent != l1:      # the placement the majority second level implies
            l1, l1s = parent, agg.level1.get(parent, 0) / max(1, sum(agg.level1.values()))
        units = []
        for unit, u in sorted(agg.units.items(), key=lambda kv: (-kv[1].n_rows, kv[0])):
            ops = Counter({(k or "="): v for k, v in u.ops.items()})
            op, op_share = _majority(ops)
            hist = u.sketch.items()
            units.append({
                "norm_id": norm_id(leader.key, unit), "unit_norm": unit, "n_rows": u.n_rows,
                "n_filings": len(u.filings), "n_values": u.sketch.n, "op": op, "op_share": round(op_share, 4),
                "ge_share": round((ops.get(">=", 0) + ops.get(">", 0)) / max(1, sum(ops.values())), 4),
                "ops": dict(sorted(ops.items())), "p10": _r(u.sketch.quantile(0.10)),
                "median": _r(u.sketch.quantile(0.50)), "p90": _r(u.sketch.quantile(0.90)),
                "min": _r(hist[0][0]), "max": _r(hist[-1][0]), "exact": u.sketch.is_exact,
                "hist": [[_r(v), c] for v, c in hist[:400]],
            })
        sectors = Counter(s for s, _ in agg.filings.values() if s)
        regions = Counter(r for _, r in agg.filings.values() if r)
        counts = {m.key: partial.names[m.key].n_rows for m in group}
        aliases = sorted(counts.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))
        fam = leader.family
        indicators.append({
            "canonical_name": leader.key, "key": leader.key,
            "family": cfg.families[fam].canonical_head if fam >= 0 else "",
            "unit_family": leader.ufam, "block": leader.block,
            "aliases": [[k, n] for k, n in aliases],
            "raw_names": [[k, n] for k, n in agg.raw.most_common(12)],
            "n_rows": agg.n_rows, "n_filings": len(agg.filings),
            "level1": l1, "level1_share": round(l1s, 4), "level2": l2, "level2_share": round(l2s, 4),
            "level1_dist": dict(agg.level1.most_common()), "level2_dist": dict(agg.level2.most_common()),
            "kinds": dict(agg.kinds.most_common()),
            "value_kind": _majority(Counter({k: v for k, v in agg.kinds.items() if k}))[0],
            "vague_share": round(agg.vague / agg.n_rows, 4),
            "sectors": dict(sectors.most_common()), "regions": dict(regions.most_common()),
            "examples": [{"name": e[0], "target": e[1], "file": e[2], "table": e[3], "row": e[4]}
                         for e in agg.examples[:5]],
            "units": units,
        })
    indicators.sort(key=lambda d: (-d["n_rows"], d["canonical_name"]))
    return {
        "format": FORMAT, "version": cfg.version, "params": cfg.params(), "places": list(partial.places),
        "sources": dict(sources or {}) | {"n_records": partial.n_records, "dropped": dict(partial.dropped),
                                          "n_names": len(partial.names)},
        "indicators": indicators,
    }


def build_norms(records: Iterable[Mapping], *, context: Mapping[str, tuple[str, str]] | None = None,
                places: Iterable[str] = (), partition_size: int = 50_000, sources: Mapping | None = None) -> dict:
    """Map over partitions of ``records`` in this process, reduce, finalize (small inputs;
    bench/bench_norms.py shows the same map run by a process pool)."""
    cfg = norms_config()
    norm = Normaliser(places, cfg)
    partials, chunk = [], []
    for rec in records:
        chunk.append(rec)
        if len(chunk) >= partition_size:
            partials.append(map_partition(chunk, context=context, normaliser=norm, cfg=cfg))
            chunk = []
    if chunk or not partials:
        partials.append(map_partition(chunk, context=context, normaliser=norm, cfg=cfg))
    return finalize(merge_partials(partials, cfg), cfg, sources)


# ============================================================================ outputs
def _fmt(v: float | None) -> str:
    if v is None:
        return ""
    if float(v).is_integer() and abs(v) < 1e15:
        return str(int(v))
    return f"{v:.4g}" if abs(v) < 1e6 else f"{v:.6g}"


def csv_rows(doc: Mapping) -> list[dict]:
    """One row per canonical indicator and unit (an indicator with no numeric target: one row)."""
    rows = []
    for ind in doc["indicators"]:
        aliases = "; ".join(f"{k}({n})" for k, n in ind["aliases"])
        base = {
            "canonical_name": ind["canonical_name"], "aliases": aliases, "n_rows": ind["n_rows"],
            "n_filings": ind["n_filings"], "level1": ind["level1"], "level2": ind["level2"],
            "level2_share": ind["level2_share"], "vague_share": ind["vague_share"], "value_kind": ind["value_kind"],
            "family": ind["family"],
            "sectors": "; ".join(f"{k}({n})" for k, n in ind["sectors"].items()),
            "regions": "; ".join(f"{k}({n})" for k, n in ind["regions"].items()),
            "examples": " | ".join(f"{e['name']} = {e['target']} [{e['file']}#{e['table']}.{e['row']}]"
                                   for e in ind["examples"][:3]),
        }
        units = ind["units"] or [None]
        for u in units:
            row = dict(base)
            if u is None:
                row.update(norm_id=norm_id(ind["canonical_name"], ""), unit_norm="", unit_rows=0, unit_filings=0,
                           n_values=0, op="", op_share="", ge_share="", p10="", median="", p90="")
            else:
                row.update(norm_id=u["norm_id"], unit_norm=u["unit_norm"], unit_rows=u["n_rows"],
                           unit_filings=u["n_filings"], n_values=u["n_values"], op=u["op"], op_share=u["op_share"],
                           ge_share=u["ge_share"], p10=_fmt(u["p10"]), median=_fmt(u["median"]), p90=_fmt(u["p90"]))
            rows.append({c: row.get(c, "") for c in CSV_COLUMNS})
    return rows


def write_norms(doc: Mapping, out: Path | str) -> dict[str, Path]:
    """OUT/norms.csv (UTF-8 with BOM, for Excel/WPS), OUT/norms.xlsx and OUT/norms.json."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rows = csv_rows(doc)
    paths = {"csv": out / "norms.csv", "xlsx": out / "norms.xlsx", "json": out / "norms.json"}
    with paths["csv"].open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.DictWriter(f, fieldnames=CSV_COLUMNS)
        w.writeheader()
        w.writerows(rows)
    write_json(doc, paths["json"])
    _write_xlsx(doc, rows, paths["xlsx"])
    return paths


def write_json(doc: Mapping, path: Path | str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    head = json.dumps({k: v for k, v in doc.items() if k != "indicators"}, ensure_ascii=False, indent=1)
    body = ",\n".join("  " + json.dumps(i, ensure_ascii=False, separators=(",", ":"))
                       for i in doc.get("indicators", ()))
    text = (head[:-2] + ",\n" if head.strip() != "{}" else "{\n") + f' "indicators": [\n{body}\n ]\n}}\n'
    path.write_text(text, encoding="utf-8")         # one indicator per line: readable diffs
    return path


def _write_xlsx(doc: Mapping, rows: list[dict], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "norms"
    sheets = {
        ws: (CSV_COLUMNS, [[r[c] for c in CSV_COLUMNS] for r in rows]),
        wb.create_sheet("aliases"): (("canonical_name", "alias", "rows"),
                                     [[i["canonical_name"], k, n] for i in doc["indicators"] for k, n in i["aliases"]]),
        wb.create_sheet("examples"): (("canonical_name", "name", "target", "file", "table", "row"),
                                      [[i["canonical_name"], e["name"], e["target"], e["file"], e["table"], e["row"]]
                                       for i in doc["indicators"] for e in i["examples"]]),
    }
    for sheet, (header, data) in sheets.items():
        sheet.append(list(header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for r in data:
            sheet.append(r)
        sheet.freeze_panes = "A2"
        for col, width in zip("ABCDEFGH", (12, 24, 40, 10, 10, 12, 16, 12)):
            sheet.column_dimensions[col].width = width
    wb.save(path)


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
    """A row-level finding from the norms (same fields as a :class:`pipeline.flags.Flag` body)."""

    code: str
    severity: str
    message: str
    evidence: str = ""
    suggestion: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "severity": self.severity, "message": self.message,
                "evidence": self.evidence, "suggestion": self.suggestion}


def _severity(code: str, default: str) -> str:
    try:
        from pipeline.flags import review_rules

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
            from pipeline.errors import ConfigError

            raise ConfigError(path or "norms.json", f"is not a jixiao norms file (format {doc.get('format')!r}, "
                              f"expected {FORMAT!r}); rebuild it with `jixiao norms build`")
        self.path = path
        self.doc = doc
        self.version = doc.get("version", "")
        self.cfg = norms_config()
        self.normaliser = Normaliser(doc.get("places", ()), self.cfg)
        self.norms: list[Norm] = [self._norm(d) for d in doc["indicators"]]
        self._by_key: dict[str, int] = {}
        self._by_block: dict[str, list[tuple[NameInfo, int]]] = {}
        self._family: dict[str, int] = {}
        for i, (d, n) in enumerate(zip(doc["indicators"], self.norms)):
            if n.family:
                self._family.setdefault(n.family, i)
            for alias, rows in d["aliases"]:
                self._by_key.setdefault(alias, i)
                info = name_info(alias, rows, 0, n.level2, "", self.cfg)
                self._by_block.setdefault(info.block, []).append((info, i))
        self._by_id = {u.norm_id: n for n in self.norms for u in n.units}
        self._match_cache: dict[tuple[str, str, str], NormMatch | None] = {}

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
        for cand, i in self._by_block.get(info.block, ()):
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

        ``target_value`` is a :class:`pipeline.values.Value` (kind, value, unit_norm).
        """
        unit = getattr(target_value, "unit_norm", "") or ""
        m = self.match(name, unit, level2)
        if m is None:
            return []
        out = []
        f = self._nonstandard(name, m)
        if f:
            out.append(f)
        f = self._outlier(name, m, target_value)
        if f:
            out.append(f)
        return out

    def _nonstandard(self, name: str, m: NormMatch) -> NormFinding | None:
        """NONSTANDARD_NAME when the row words the same indicator differently from the norm.

        Groups hold one kind of indicator with different objects (辅助器具验收合格率 and
        设备验收合格率), so the row is not told to take another filing's object: it is told
        the canonical name when the two differ only in filler words or synonym endings
        (项目建设成本 → 项目总成本, 项目完成及时性 → 项目完成及时率), else its own name with the
        standard ending (受益群众满意率 → 受益群众满意度, 补贴发放及时性 → 补贴发放及时率).
        """
        from pipeline.norms_group import comparison_form, without_fillers

        key = self.normaliser(name)
        n = m.norm
        if not key or key == n.key:
            return None
        cmp, ccmp = comparison_form(key, self.cfg), comparison_form(n.key, self.cfg)
        if not n.family and (cmp == ccmp or without_fillers(cmp, self.cfg) == without_fillers(ccmp, self.cfg)):
            better, why = n.canonical_name, f"与规范名称“{n.canonical_name}”只是措辞不同"
        else:
            better = suggested_head_name(key, self.cfg)
            if not better:
                return None
            why = f"的计量写法不规范，宜写作“…{_common_tail(better, key)}”"
        if not better or better == key:
            return None
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
        if m is None:
            return ""
        u = m.norm.primary
        if (u is None or u.median is None or u.n_filings < self.cfg.suggest_min_filings
                or u.unit_norm in self.cfg.review["skip_units"]):
            return ""
        return f"{_target_text(u)}（{u.n_filings} 份文件的中位数）"

    def locate(self, name: str, value, level2: str = "") -> str:
        """Where a value stands in the norm of ``name`` (Chinese sentence), '' without a norm.

        ``value`` is a :class:`pipeline.values.Value` or a text parsed with parse_value.
        """
        if isinstance(value, str):
            from pipeline.values import parse_value

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


def shipped_norms_path() -> Path:
    """pipeline/resources/norms.json (package data)."""
    from importlib.resources import files

    return Path(str(files("pipeline") / "resources" / "norms.json"))


@functools.lru_cache(maxsize=8)
def _load(path: str) -> Norms:
    from pipeline.errors import ConfigError

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
    import os

    path = path or os.environ.get("JIXIAO_NORMS") or None
    return _load(str(Path(path).resolve()) if path else str(shipped_norms_path()))


def from_doc(doc: Mapping) -> Norms:
    """Norms from an in-memory document (as returned by :func:`finalize`)."""
    return Norms(doc)


def describe(doc_or_norms) -> list[dict]:
    """Plain rows (canonical, unit, n, p10/median/p90) for notebooks and reports."""
    doc = doc_or_norms.doc if isinstance(doc_or_norms, Norms) else doc_or_norms
    return csv_rows(doc)


__all__ = ["ValueSketch", "Partial", "map_partition", "merge_into", "merge_partials", "finalize", "build_norms",
           "write_norms", "write_json", "csv_rows", "Norms", "Norm", "NormUnit", "NormMatch", "NormFinding",
           "load_norms", "from_doc", "shipped_norms_path", "norm_id", "name_infos"]
