"""The norms configuration (``configs/norms.yaml``) as a frozen :class:`NormsConfig`, and the
place names it knows (provinces and the parts of the manifest regions), which the name
normaliser of :mod:`pipeline.norms.group` strips."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from pipeline.core.config import load_yaml, require, str_list
from pipeline.core.errors import ConfigError

WHERE = "configs/norms.yaml"


# ---------------------------------------------------------------------------- config
@dataclass(frozen=True, slots=True)
class Family:
    heads: tuple[str, ...]
    canonical_head: str
    canonical_name: str = ""


@dataclass(frozen=True, eq=False)
class NormsConfig:
    version: str
    junk_names: frozenset[str]
    drop_suffixes: tuple[str, ...]
    min_chars: int
    stop_prefixes: tuple[str, ...]
    places: tuple[str, ...]
    place_stems: tuple[str, ...]
    place_suffixes: tuple[str, ...]
    place_exceptions: frozenset[str]
    measure_modifiers: tuple[str, ...]
    method: str
    char_threshold: float
    token_threshold: float
    category_constraint: str
    min_suffix_chars: int
    min_template_chars: int
    fillers: tuple[str, ...]
    generic_words: frozenset[str]
    unit_families: tuple[tuple[str, str], ...]      # (suffix, family), longest suffix first
    head_synonyms: dict[str, str]
    synonym_endings: tuple[tuple[str, str], ...]     # (ending, canonical), longest first
    families: tuple[Family, ...]
    stop_words: frozenset[str]
    exact_distinct: int
    sketch_alpha: float
    examples: int
    sectors: tuple[tuple[str, tuple[str, ...]], ...]
    review: dict[str, object]
    suggest_min_filings: int
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    def params(self) -> dict:
        """The thresholds recorded in norms.json (what the norms were built with)."""
        return {"version": self.version, "char_threshold": self.char_threshold,
                "token_threshold": self.token_threshold, "category_constraint": self.category_constraint,
                "min_suffix_chars": self.min_suffix_chars, "min_template_chars": self.min_template_chars,
                "fillers": list(self.fillers), "generic_words": sorted(self.generic_words),
                "exact_distinct": self.exact_distinct,
                "sketch_alpha": self.sketch_alpha,
                "review": {k: sorted(v) if isinstance(v, frozenset) else v for k, v in self.review.items()},
                "suggest_min_filings": self.suggest_min_filings, "method": self.method}


def _num(data: dict, key: str, where: str) -> float:
    v = require(data, key, (int, float), where)
    if isinstance(v, bool):
        raise ConfigError(where, f"key '{key}' must be a number, got {v!r}")
    return float(v)


def _choice(data: dict, key: str, allowed: tuple[str, ...], where: str) -> str:
    v = require(data, key, str, where)
    if v not in allowed:
        raise ConfigError(WHERE, f"group.{key} must be one of {', '.join(allowed)}, got {v!r}")
    return v


@functools.cache
def norms_config() -> NormsConfig:
    """``configs/norms.yaml``, checked; a wrong key raises :class:`ConfigError` naming it."""
    data = load_yaml("norms.yaml")
    version = require(data, "version", str, WHERE)
    nm = require(data, "normalise", dict, WHERE)
    w = f"{WHERE}: normalise"
    gr = require(data, "group", dict, WHERE)
    g = f"{WHERE}: group"
    fams_raw = require(gr, "unit_families", dict, g)
    unit_families = []
    for fam, suffixes in fams_raw.items():
        for s in str_list(fams_raw, fam, f"{g}.unit_families"):
            unit_families.append((s, str(fam)))
    unit_families.sort(key=lambda p: -len(p[0]))
    synonyms: dict[str, str] = {}
    for i, syn in enumerate(require(gr, "head_synonyms", list, g)):
        if not isinstance(syn, list) or len(syn) < 2 or not all(isinstance(s, str) and s for s in syn):
            raise ConfigError(WHERE, f"group.head_synonyms[{i}] must be a list of at least two words, got {syn!r}")
        for s in syn:
            synonyms[s] = syn[0]
    families = []
    for i, f in enumerate(require(gr, "families", list, g)):
        fw = f"{g}.families[{i}]"
        if not isinstance(f, dict):
            raise ConfigError(WHERE, f"group.families[{i}] must be a mapping with heads and canonical_head")
        heads = str_list(f, "heads", fw)
        ch = require(f, "canonical_head", str, fw)
        if ch not in heads:
            raise ConfigError(WHERE, f"group.families[{i}].canonical_head {ch!r} must be one of its heads {heads}")
        cn = f.get("canonical_name", "")
        if not isinstance(cn, str):
            raise ConfigError(WHERE, f"group.families[{i}].canonical_name must be a string, got {cn!r}")
        families.append(Family(tuple(sorted(heads, key=len, reverse=True)), ch, cn))
    sec = require(data, "sectors", dict, WHERE)
    sectors = tuple((str(k), str_list(sec, k, f"{WHERE}: sectors")) for k in sec)
    rv = require(data, "review", dict, WHERE)
    r = f"{WHERE}: review"
    review = {"min_filings": int(_num(rv, "min_filings", r)), "percent_margin": _num(rv, "percent_margin", r),
              "ratio": _num(rv, "ratio", r), "skip_units": frozenset(str_list(rv, "skip_units", r))}
    review["same_name_similarity"] = _num(rv, "same_name_similarity", r)
    review["name_min_filings"] = int(_num(rv, "name_min_filings", r))
    ms = require(rv, "measures", dict, r)
    review["measures"] = tuple((str(k), str_list(ms, k, f"{r}.measures")) for k in ms)
    pe = require(rv, "preferred_endings", dict, r)
    if not all(isinstance(k, str) and isinstance(v, str) and k and v for k, v in pe.items()):
        raise ConfigError(WHERE, f"review.preferred_endings must map words to words, got {pe!r}")
    review["preferred_endings"] = dict(sorted(pe.items(), key=lambda kv: -len(kv[0])))
    if review["ratio"] <= 1:
        raise ConfigError(WHERE, f"review.ratio must be above 1, got {review['ratio']}")
    st = require(data, "stats", dict, WHERE)
    sg = require(data, "suggest", dict, WHERE)
    return NormsConfig(
        version=version,
        junk_names=frozenset(str_list(nm, "junk_names", w)),
        drop_suffixes=str_list(nm, "drop_suffixes", w),
        min_chars=int(_num(nm, "min_chars", w)),
        stop_prefixes=tuple(sorted(str_list(nm, "stop_prefixes", w), key=len, reverse=True)),
        places=str_list(nm, "places", w),
        place_stems=str_list(nm, "place_stems", w),
        place_suffixes=tuple(sorted(str_list(nm, "place_suffixes", w), key=len, reverse=True)),
        place_exceptions=frozenset(str_list(nm, "place_exceptions", w)),
        measure_modifiers=str_list(nm, "measure_modifiers", w),
        method=" ".join(str(require(gr, "method", str, g)).split()),
        char_threshold=_num(gr, "char_threshold", g),
        token_threshold=_num(gr, "token_threshold", g),
        category_constraint=_choice(gr, "category_constraint", ("level1", "level2", "none"), g),
        min_suffix_chars=int(_num(gr, "min_suffix_chars", g)),
        min_template_chars=int(_num(gr, "min_template_chars", g)),
        fillers=tuple(sorted(str_list(gr, "fillers", g), key=len, reverse=True)),
        generic_words=frozenset(str_list(gr, "generic_words", g)),
        unit_families=tuple(unit_families),
        head_synonyms=synonyms,
        synonym_endings=tuple(sorted(((k, v) for k, v in synonyms.items() if k != v), key=lambda p: -len(p[0]))),
        families=tuple(families),
        stop_words=frozenset(str_list(gr, "stop_words", g)),
        exact_distinct=int(_num(st, "exact_distinct", f"{WHERE}: stats")),
        sketch_alpha=_num(st, "sketch_alpha", f"{WHERE}: stats"),
        examples=int(_num(st, "examples", f"{WHERE}: stats")),
        sectors=sectors,
        review=review,
        suggest_min_filings=int(_num(sg, "min_filings", f"{WHERE}: suggest")),
        raw=data,
    )


# ---------------------------------------------------------------------------- places
def region_places(region: str, cfg: NormsConfig | None = None) -> list[str]:
    """The place names in a manifest region: ``湖南省岳阳市岳阳楼区`` → 湖南省, 岳阳市, 岳阳楼区.

    Only the leading run of Chinese characters is read (the manifest adds notes in
    brackets); parts are two characters or more followed by a place suffix, and words such
    as 景区 or 开发区 (``place_exceptions``) are not places.
    """
    cfg = cfg or norms_config()
    text = unicodedata.normalize("NFKC", region or "")
    m = re.match(r"[\u4e00-\u9fff]+", text)
    if not m:
        return []
    chunk = m.group(0)
    out: list[str] = []
    for p in sorted(cfg.places + cfg.place_stems, key=len, reverse=True):   # the province first
        if chunk.startswith(p):
            out.append(p)
            chunk = chunk[len(p):]
            break
    suf = "|".join(map(re.escape, cfg.place_suffixes))
    for m in re.finditer(rf"[\u4e00-\u9fff]{{2,}}?(?:{suf})", chunk):
        part = m.group(0)
        if part not in cfg.place_exceptions and not any(part.endswith(e) for e in cfg.place_exceptions):
            out.append(part)
    return out


def region_province(region: str, cfg: NormsConfig | None = None) -> str:
    """The province of a manifest region (its short name: 湖南, 内蒙古), '' when none is named."""
    cfg = cfg or norms_config()
    text = unicodedata.normalize("NFKC", region or "")
    for full, stem in zip(cfg.places, _stems_for(cfg)):
        if stem and (text.startswith(full) or text.startswith(stem)):
            return stem
    return ""


def _stems_for(cfg: NormsConfig) -> list[str]:
    stems = []
    for full in cfg.places:
        stem = next((s for s in cfg.place_stems if full.startswith(s)), "")
        stems.append(stem)
    return stems


