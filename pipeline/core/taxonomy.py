"""The indicator taxonomy (``configs/taxonomy.yaml``) and the lookup of filed category text.

``lookup("产出指标(50分)")`` tells whether a cell is a category name, at which level it can
sit and what it maps to. Filed labels are messy — decorations such as ``(50分)`` or
``（必填硬性指标）``, a missing ``指标`` suffix, spaces inside (``可持续影响  指标``), line
breaks (``产出\\n指标``), typos — so the lookup strips decorations, tries the name with and
without ``指标`` (or another ending of ``alias_endings``: 产出值), and falls back to rapidfuzz for near-misses.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from pipeline.core.config import load_yaml, require, str_list
from pipeline.core.errors import ConfigError
from pipeline.core.normalize import key

_DECOR = re.compile(r"[（(【\[][^（()）【】\[\]]{0,16}[)）】\]]|[0-9.]+分$|[:：]$")


@dataclass(frozen=True, slots=True)
class Category:
    """What a filed category text is.

    ``l1``/``l2`` are the canonical names it maps to at each level ('' when it cannot sit
    at that level); ``process`` marks the management blocks of self-evaluations;
    ``section`` marks labels such as 绩效指标 that head a block but are no category.
    """

    text: str
    l1: str = ""
    l2: str = ""
    process: bool = False
    section: bool = False

    @property
    def is_category(self) -> bool:
        return bool(self.l1 or self.l2 or self.process)

    @property
    def is_first_level_name(self) -> bool:
        """产出指标, 效益指标 …: a first level's own name, neither a second level nor an alias
        such as 项目成本 that may also be an indicator's name."""
        return bool(self.l1) and not self.l2 and key(self.text) == self.l1


@dataclass(frozen=True, slots=True)
class Taxonomy:
    version: str
    default_profile: str
    profiles: dict[str, dict[str, tuple[str, ...]]]   # profile -> level1 -> level2s
    legacy: dict[str, frozenset[tuple[str, str]]]      # profile -> allowed (l1, l2) legacy pairs
    l1_alias: dict[str, str]                           # key(text) -> canonical level1
    l2_alias: dict[str, str]                           # key(text) -> canonical level2
    process_l1: frozenset[str]
    process_l2: frozenset[str]
    sections: frozenset[str]
    endings: tuple[str, ...] = ("指标",)                 # how a category name may end (alias_endings)

    def parent(self, l2: str, profile: str | None = None) -> str:
        """The first level a canonical second level belongs to under ``profile``."""
        for l1, l2s in self.profiles[profile or self.default_profile].items():
            if l2 in l2s:
                return l1
        return "过程指标" if l2 == "过程指标" else ""


def strip_decorations(text: str) -> str:
    """``产出指标(50分)`` → ``产出指标``; ``数量指标 (必填硬性指标)`` → ``数量指标``."""
    t = key(text)
    for _ in range(2):
        t2 = _DECOR.sub("", t)
        if t2 == t:
            break
        t = t2
    return t.lstrip("0123456789.、一二三四五六七八九十")


@functools.cache
def taxonomy() -> Taxonomy:
    where = "configs/taxonomy.yaml"
    data = load_yaml("taxonomy.yaml")
    version = require(data, "version", str, where)
    profiles_raw = require(data, "profiles", dict, where)
    profiles: dict[str, dict[str, tuple[str, ...]]] = {}
    legacy: dict[str, frozenset[tuple[str, str]]] = {}
    for name, prof in profiles_raw.items():
        pw = f"{where}: profiles.{name}"
        levels = require(prof, "level1", dict, pw)
        profiles[name] = {l1: tuple(l2s) for l1, l2s in levels.items()}
        pairs = prof.get("legacy_placements") or []
        for p in pairs:
            if not (isinstance(p, list) and len(p) == 2):
                raise ConfigError(pw, f"legacy_placements items must be [level1, level2] pairs, got {p!r}")
        legacy[name] = frozenset(tuple(p) for p in pairs)
    default = require(data, "default_profile", str, where)
    if default not in profiles:
        raise ConfigError(where, f"default_profile '{default}' is not one of the profiles {sorted(profiles)}")
    aliases = require(data, "aliases", dict, where)
    endings = tuple(str_list(data, "alias_endings", where))
    headers = _header_words()
    l1_alias: dict[str, str] = {}
    l2_alias: dict[str, str] = {}
    for level, target in (("level1", l1_alias), ("level2", l2_alias)):
        table = require(aliases, level, dict, f"{where}: aliases")
        for canon, names in table.items():
            for n in [canon, *names]:
                k = strip_decorations(n)
                target[k] = canon
                for form in _ending_forms(k, endings, headers):
                    target.setdefault(form, canon)
    for prof in profiles.values():
        for l1, l2s in prof.items():
            for name, target, canon in [(l1, l1_alias, l1)] + [(l2, l2_alias, l2) for l2 in l2s]:
                k = strip_decorations(name)
                target.setdefault(k, canon)
                for form in _ending_forms(k, endings, headers):
                    target.setdefault(form, canon)
    proc = require(data, "process", dict, where)
    return Taxonomy(
        version=version,
        default_profile=default,
        profiles=profiles,
        legacy=legacy,
        l1_alias=l1_alias,
        l2_alias=l2_alias,
        process_l1=frozenset(strip_decorations(x) for x in str_list(proc, "level1", f"{where}: process")),
        process_l2=frozenset(strip_decorations(x) for x in str_list(proc, "level2", f"{where}: process")),
        sections=frozenset(strip_decorations(x) for x in str_list(data, "section_labels", where)),
        endings=endings,
    )


def _ending_forms(k: str, endings: tuple[str, ...], headers: frozenset[str]) -> list[str]:
    """The other spellings of a category name by its ending (``alias_endings``): 产出指标 →
    产出, 产出值; 数量 → 数量指标, 数量值. A spelling that is a column header word stays one
    (完成指标 gives no 完成值: that is the 实际完成值 column)."""
    stem = next((k[:-len(e)] for e in endings if k.endswith(e) and len(k) - len(e) >= 2), k)
    return [f for f in [stem] + [stem + e for e in endings] if f != k and f not in headers]


def _header_words() -> frozenset[str]:
    """The header words of configs/extract.yaml (its ``headers``, every role)."""
    heads = load_yaml("extract.yaml").get("headers") or {}
    return frozenset(key(w) for words in heads.values() for w in words or [])


@functools.lru_cache(maxsize=8192)
def lookup(text: str) -> Category:
    """Classify a cell's text as a category (see :class:`Category`)."""
    t = strip_decorations(text)
    if not t or len(t) > 24:
        return Category(text)
    tax = taxonomy()
    if t in tax.sections:
        return Category(text, section=True)
    l1 = tax.l1_alias.get(t, "")
    l2 = tax.l2_alias.get(t, "")
    if l1 or l2:
        return Category(text, l1=l1, l2=l2)
    if t in tax.process_l1 or t in tax.process_l2:
        return Category(text, process=True)
    if t.endswith(("指标", "指")) and 3 <= len(t) <= 14:
        # Typos and odd spellings of a category (产出质量指票 is rare; 社会效益指, cut by a cell
        # border, is not): only names that end like a category are tried, so indicator names
        # never match.
        from rapidfuzz import process as rf_process
        from rapidfuzz.fuzz import ratio

        best = rf_process.extractOne(t, list(tax.l2_alias) + list(tax.l1_alias), scorer=ratio, score_cutoff=88)
        if best:
            name = best[0]
            return Category(text, l1=tax.l1_alias.get(name, ""), l2=tax.l2_alias.get(name, ""))
    return Category(text)
