"""Building the indicator norms: a map over partitions of indicator records plus a reduce.

Plain functions, so that a distributed engine can run the map (see :mod:`pipeline.norms.lookup`
for the whole picture):

* :func:`map_partition` — records (dicts with the columns of indicators.csv) → a
  :class:`Partial`: per normalised name, row and filing counts, category, value-kind and
  comparator counters, and per unit a mergeable :class:`ValueSketch` of the target values.
* :func:`merge_partials` — the reduce: adds partials (counters add, filing sets unite,
  sketches merge). It is associative and commutative.
* :func:`finalize` — groups the distinct names of the reduced partial and turns each group
  into a norm; :func:`write_norms` writes norms.csv / .xlsx / .json.

Longer than 400 lines because map, merge and finalize of the norms build are one algorithm
over the same partial structures (and the Dask build reuses them).
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.core.taxonomy import taxonomy
from pipeline.norms.group import (
    NameInfo,
    Normaliser,
    NormsConfig,
    group_names,
    name_info,
    norms_config,
)

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
    ``limit`` distinct values, then a :class:`ddsketch.DDSketch` (relative error ``alpha``,
    exactly mergeable, from the ddsketch library). Quantiles use the nearest-rank rule in
    both modes; min and max stay exact.

    ``ValueSketch(0.005, 2048)``: 满意度 values 90, 95, 95, 98 → median 95 (exact); past 2,048
    distinct values every quantile is within 0.5 % of the true nearest-rank value.
    """

    __slots__ = ("exact", "dd", "n", "alpha", "limit", "lo", "hi")

    def __init__(self, alpha: float = 0.005, limit: int = 2048):
        self.exact: dict[float, int] | None = {}
        self.dd = None                    # the DDSketch, once past ``limit`` distinct values
        self.n = 0
        self.alpha = alpha
        self.limit = limit
        self.lo = math.inf
        self.hi = -math.inf

    def _compress(self) -> None:
        from ddsketch import DDSketch

        exact, self.exact = self.exact, None
        self.dd = DDSketch(relative_accuracy=self.alpha)
        for v, c in exact.items():
            self.dd.add(v, c)

    def add(self, v: float, count: int = 1) -> None:
        self.n += count
        self.lo, self.hi = min(self.lo, v), max(self.hi, v)
        if self.exact is not None:
            self.exact[v] = self.exact.get(v, 0) + count
            if len(self.exact) > self.limit:
                self._compress()
        else:
            self.dd.add(v, count)

    def merge(self, other: ValueSketch) -> ValueSketch:
        self.lo, self.hi = min(self.lo, other.lo), max(self.hi, other.hi)
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
                self.dd.add(v, c)
        else:
            self.dd.merge(other.dd)
        self.n += other.n
        return self

    @property
    def is_exact(self) -> bool:
        return self.exact is not None

    def items(self) -> list[tuple[float, int]]:
        """(value, count) in increasing order (bucket representatives once past the limit;
        the first and last are the exact min and max)."""
        if self.exact is not None:
            return sorted(self.exact.items())
        dd = self.dd
        # the library keeps its bins in stores without a public accessor: read them here only
        out = [(-dd._mapping.value(dd._negative_store.offset + i), c)
               for i, c in enumerate(dd._negative_store.bins) if c]
        if dd._zero_count:
            out.append((0.0, int(dd._zero_count)))
        out += [(dd._mapping.value(dd._store.offset + i), c) for i, c in enumerate(dd._store.bins) if c]
        out = sorted((v, int(c)) for v, c in out)
        if out:
            out[0], out[-1] = (self.lo, out[0][1]), (self.hi, out[-1][1])
        return out

    def quantile(self, q: float) -> float | None:
        if self.n == 0:
            return None
        rank = max(1, math.ceil(q * self.n))           # nearest rank, 1-based
        if self.exact is None:
            if rank == 1:
                return self.lo
            if rank == self.n:
                return self.hi
            # DDSketch answers the value at 0-based rank floor(q' (n - 1)): aim at the middle
            # of the wanted rank so that rounding cannot land on its neighbour
            return self.dd.get_quantile_value(min(1.0, (rank - 0.5) / (self.n - 1)))
        seen = 0
        for v, c in sorted(self.exact.items()):
            seen += c
            if seen >= rank:
                return v
        return self.hi  # pragma: no cover - counts always reach n


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
        # a value cut by the end of the text (">=9" of ≥9x%) is no target to learn from
        value = _float(rec.get("target_value")) if rec.get("target_status") != "cut" else None
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

