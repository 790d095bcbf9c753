"""Indicator names → canonical indicators: name normalisation and grouping (``configs/norms.yaml``).

``normalise`` turns a filed name into the form that is compared: ``"指标1:★受助对象满意度(≥**%)"``
→ ``"受助对象满意度"``; ``"2021年吕梁山护工培训任务"`` → ``"吕梁山护工培训任务"``. It strips full-width
forms (NFKC), blanks, leading numbering (指标1: / 1. / （一）/ ①), stars and ``**`` placeholders,
bracketed decorations (``(≥**%)``, ``(工程)``, ``(万亩)``), trailing targets written into the name
(``≥**人``, ``100%``, ``32.1公里``), years, place names (provinces and the parts of the manifest
regions), project names in 《》 or quotes, and scope words at the front (全区, 其中 …).

:func:`same_indicator` decides whether two normalised names are one indicator and
:func:`group_names` builds the groups (see ``group.method`` in the config). Both
are plain functions over :class:`NameInfo` records so that the grouping can run wherever the
reduced name table is (it is small: one entry per distinct normalised name).

Longer than 400 lines because name normalisation and grouping share the token and place
tables; the next split is normalisation.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipeline.core.segment import tokens
from pipeline.core.taxonomy import lookup, taxonomy
from pipeline.core.words import bound_words
from pipeline.norms.config import NormsConfig, norms_config


@functools.cache
def _trail_target() -> re.Pattern[str]:
    """A target written at the end of a name (``≥**人``, ``不低于95%``): a bound and what follows."""
    return re.compile(rf"(?:{'|'.join(map(re.escape, bound_words()))})[^≥≤<>=]*$")


# ---------------------------------------------------------------------------- normalisation
_WS = re.compile(r"\s+")
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")
_STARS = re.compile(r"[★☆※▲△●○◆◇■□√✔✓#＊]+|\*{1,}")
_NUMBERING = re.compile(
    r"^(?:指标\s*[0-9一二三四五六七八九十]+\s*[:.、,)]?|[0-9]{1,2}\s*[.、)](?![0-9])|"
    r"\([0-9一二三四五六七八九十]{1,3}\)|[一二三四五六七八九十]{1,3}[、.]|[①-⑳]|[a-zA-Z]\s*[.、)])\s*")
_PAREN = re.compile(r"[(\[【〔][^()\[\]【】〔〕]{0,24}[)\]】〕]")
_QUOTED = re.compile(r"《[^《》]{0,30}》|“[^“”]{0,30}”|\"[^\"]{0,30}\"|「[^「」]{0,30}」|‘[^‘’]{0,30}’|'[^']{0,30}'")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?:\s*[-—~至]\s*(?:19|20)?\d{2,4})?\s*(?:年度|年)")
_LEAD_YEAR = re.compile(r"^(?:19|20)\d{2}\s*(?:年度|年)")
_TRAIL_NUMBER = re.compile(r"(?:\d+(?:\.\d+)?(?:%|[\u4e00-\u9fffA-Za-z]{0,2}))+$")
_EDGE_PUNCT = re.compile(r"^[\s,.;:、。!?/\\|_\-—~·]+|[\s,.;:、。!?/\\|_\-—~·(]+$")
_CJK = re.compile(r"[\u4e00-\u9fff]")


class Normaliser:
    """Name → normalised name, with the place lexicon of the build (config + manifest regions).

    Instances are picklable (a map worker builds its own) and keep a cache per raw name.
    """

    def __init__(self, extra_places: Iterable[str] = (), cfg: NormsConfig | None = None):
        self.cfg = cfg or norms_config()
        self.extra_places = tuple(sorted({p for p in extra_places if len(p) >= 2}))
        full = set(self.cfg.places) | set(self.extra_places)
        self._full = tuple(sorted(full, key=len, reverse=True))
        self._stems = tuple(sorted(self.cfg.place_stems, key=len, reverse=True))
        self._cache: dict[str, str] = {}

    def __getstate__(self):
        return {"extra_places": self.extra_places}

    def __setstate__(self, state):
        self.__init__(state["extra_places"])

    def __call__(self, text: str) -> str:
        got = self._cache.get(text)
        if got is None:
            got = self._normalise(text)
            if len(self._cache) < 500_000:
                self._cache[text] = got
        return got

    def _strip_places(self, t: str) -> str:
        for p in self._full:
            if p in t and len(t) - len(p) >= 2:
                t = t.replace(p, "")
        for s in self._stems:
            if t.startswith(s) and len(t) - len(s) >= 2:
                t = t[len(s):]
                break
        return t

    def _normalise(self, text: str) -> str:
        t = unicodedata.normalize("NFKC", text or "")
        t = _TAG.sub("", t)
        t = _WS.sub("", t).lower()
        t = t.replace("人(次)", "人次").replace("(%)", "")
        t = _STARS.sub("", t)
        t = self._strip_front(t)
        for _ in range(3):                                  # nested or repeated brackets
            t2 = _PAREN.sub("", t)
            if t2 == t or len(_CJK.findall(t2)) < 2:
                break
            t = t2
        t2 = _QUOTED.sub("", t)
        if len(_CJK.findall(t2)) >= 2:
            t = t2
        t = _trail_target().sub("", t) or t
        t2 = _YEAR.sub("", t)
        if len(_CJK.findall(t2)) >= 2:
            t = t2
        t2 = _TRAIL_NUMBER.sub("", t)
        if len(_CJK.findall(t2)) >= 4:
            t = t2
        t = self._strip_front(self._strip_places(t))
        t = _EDGE_PUNCT.sub("", t)
        return t

    def _strip_front(self, t: str) -> str:
        """Numbering, a leading year, scope words and punctuation at the front, until none is left."""
        for _ in range(6):
            t2 = _EDGE_PUNCT.sub("", _LEAD_YEAR.sub("", _NUMBERING.sub("", t), count=1))
            for p in self.cfg.stop_prefixes:
                if t2.startswith(p) and len(t2) - len(p) >= 2:
                    t2 = t2[len(p):]
                    break
            if t2 == t or not t2:
                break
            t = t2
        return t

    def keep(self, key: str) -> bool:
        """False for names that are no indicator: junk labels, too short, category names."""
        if not key or key in self.cfg.junk_names or key.endswith(self.cfg.drop_suffixes):
            return False
        if len(_CJK.findall(key)) < self.cfg.min_chars:
            return False
        return not _is_category(key)


@functools.lru_cache(maxsize=65536)
def _is_category(key: str) -> bool:
    c = lookup(key)
    return bool(c.section or (c.is_category and key.endswith("指标")))


@functools.cache
def default_normaliser(extra_places: tuple[str, ...] = ()) -> Normaliser:
    return Normaliser(extra_places)


def normalise(text: str, extra_places: Iterable[str] = ()) -> str:
    """Normalised form of one name (see the module docstring)."""
    return default_normaliser(tuple(sorted(set(extra_places))))(text)


# ---------------------------------------------------------------------------- name features
_PUNCT_TOKEN = re.compile(r"^[^\w\u3400-\u9fff]+$|^\d+(?:\.\d+)?$")


@functools.lru_cache(maxsize=200_000)
def _segment(text: str) -> tuple[str, ...]:
    """jieba words of a normalised name (pipeline.core.segment: jieba with the domain dictionary)."""
    return tuple(tokens(text))


def content_tokens(key: str, cfg: NormsConfig | None = None) -> tuple[str, ...]:
    """jieba words of a name without stop words, punctuation and bare numbers."""
    cfg = cfg or norms_config()
    return tuple(w for w in _segment(key) if w not in cfg.stop_words and not _PUNCT_TOKEN.match(w))


def unit_family(key: str, cfg: NormsConfig | None = None) -> str:
    """rate / count / money / time / quality from the end of the name, '' when it says nothing."""
    cfg = cfg or norms_config()
    for suffix, fam in cfg.unit_families:
        if key.endswith(suffix):
            return fam
    return ""


def family_of(key: str, cfg: NormsConfig | None = None) -> int:
    """Index of the family (满意度/满意率) the name ends in, or -1."""
    cfg = cfg or norms_config()
    for i, f in enumerate(cfg.families):
        if any(key.endswith(h) for h in f.heads):
            return i
    return -1


def comparison_form(key: str, cfg: NormsConfig | None = None) -> str:
    """The name with synonym endings replaced by their canonical form, until none applies:
    项目完成及时性 → 项目完成及时率; 培训计划按期完成率 → 培训计划完成及时率."""
    cfg = cfg or norms_config()
    endings = cfg.synonym_endings
    for _ in range(4):
        for syn, canon in endings:
            if key.endswith(syn):
                key = key[: -len(syn)] + canon
                break
        else:
            break
    return key


def without_fillers(text: str, cfg: NormsConfig | None = None) -> str:
    """``text`` without the filler words inside it (its first and last characters stay)."""
    cfg = cfg or norms_config()
    if len(text) <= 2:
        return text
    inner = text[1:-1]
    for f in cfg.fillers:
        inner = inner.replace(f, "")
    return text[0] + inner + text[-1]


@dataclass(slots=True)
class NameInfo:
    """What the grouping knows of one distinct normalised name."""
    key: str
    n_rows: int = 0
    n_filings: int = 0
    level2: str = ""                   # majority canonical second level, '' when unknown
    level1: str = ""                   # the first level of level2
    value_family: str = ""             # from the targets' kinds when the name says nothing
    cmp: str = ""                      # comparison form (synonym ending replaced)
    bare: str = ""                     # comparison form without filler words
    words: tuple[str, ...] = ()        # jieba words of cmp
    tokens: tuple[str, ...] = ()       # content words (stop words, punctuation, numbers dropped)
    starts: frozenset[int] = frozenset()   # offsets in cmp where a jieba word starts
    family: int = -1
    ufam: str = ""
    mods: frozenset[str] = frozenset()

    @property
    def block(self) -> str:
        return self.cmp[-2:]


def name_info(key: str, n_rows: int = 0, n_filings: int = 0, level2: str = "", value_family: str = "",
              cfg: NormsConfig | None = None) -> NameInfo:
    cfg = cfg or norms_config()
    cmp = comparison_form(key, cfg)
    words = _segment(cmp)
    starts, pos = set(), 0
    for w in words:
        starts.add(pos)
        pos += len(w)
    toks = tuple(w for w in words if w not in cfg.stop_words and not _PUNCT_TOKEN.match(w))
    fam = family_of(key, cfg)
    ufam = unit_family(cmp, cfg) or value_family
    mods = frozenset(m for m in cfg.measure_modifiers if m in key)
    return NameInfo(key, n_rows, n_filings, level2, _parent(level2), value_family, cmp, without_fillers(cmp, cfg),
                    tuple(words), toks, frozenset(starts), fam, ufam, mods)


@functools.lru_cache(maxsize=256)
def _parent(level2: str) -> str:
    """The first level of a second level (canonical or as filed: 产出数量指标 → 产出指标); ''
    when the text is no known second level (then it constrains nothing)."""
    if not level2:
        return ""
    try:
        tx = taxonomy()
        l2 = level2 if tx.parent(level2) else lookup(level2).l2
        return tx.parent(l2) if l2 else ""
    except Exception:  # noqa: BLE001 - a taxonomy problem must not stop the grouping
        return ""


# ---------------------------------------------------------------------------- pair decision
@dataclass(frozen=True, slots=True)
class PairDecision:
    same: bool
    score: float          # 0–100 similarity shown to users (rapidfuzz scale)
    rule: str             # equal | family | fillers | suffix | fuzzy | or the reason they differ


def similarity(a: NameInfo, b: NameInfo) -> float:
    """max(fuzz.ratio over characters, fuzz.token_sort_ratio over content words)."""
    from rapidfuzz import fuzz

    return max(fuzz.ratio(a.cmp, b.cmp), fuzz.token_sort_ratio(" ".join(a.tokens), " ".join(b.tokens)))


def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b)):
        if x != y:
            break
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _aligned_suffix(a: NameInfo, b: NameInfo) -> int:
    """Longest common ending of the comparison forms that starts at a word start in one of them."""
    n = _common_suffix(a.cmp, b.cmp)
    while n > 0 and len(a.cmp) - n not in a.starts and len(b.cmp) - n not in b.starts:
        n -= 1
    return n


def _aligned_prefix(a: NameInfo, b: NameInfo) -> int:
    """Longest common start that ends at a word boundary in both."""
    n = _common_prefix(a.cmp, b.cmp)
    ends_a = {s for s in a.starts} | {len(a.cmp)}
    ends_b = {s for s in b.starts} | {len(b.cmp)}
    while n > 0 and not (n in ends_a and n in ends_b):
        n -= 1
    return n


def _specific(info: NameInfo, n: int, cfg: NormsConfig) -> bool:
    """Whether the last ``n`` characters hold a word that is not generic."""
    start = len(info.cmp) - n
    pos = 0
    for w in info.words:
        if pos >= start and len(w) >= 2 and w not in cfg.generic_words and not w.endswith(("率", "度", "性")):
            return True
        pos += len(w)
    return False


def _categories_differ(a: NameInfo, b: NameInfo, cfg: NormsConfig) -> bool:
    if cfg.category_constraint == "level2":
        return bool(a.level2 and b.level2 and a.level2 != b.level2)
    if cfg.category_constraint == "level1":
        return bool(a.level1 and b.level1 and a.level1 != b.level1)
    return False


def same_indicator(a: NameInfo, b: NameInfo, cfg: NormsConfig | None = None) -> PairDecision:
    """Whether two names are one indicator (the rules of ``group.method`` in configs/norms.yaml)."""
    cfg = cfg or norms_config()
    if a.key == b.key:
        return PairDecision(True, 100.0, "equal")
    if a.family >= 0 or b.family >= 0:
        if a.family == b.family:
            return PairDecision(True, max(90.0, similarity(a, b)), "family")
        return PairDecision(False, similarity(a, b) * 0.5, "family differs")
    sim = similarity(a, b)
    if a.ufam and b.ufam and a.ufam != b.ufam:
        return PairDecision(False, sim * 0.5, "unit family differs")
    if a.mods != b.mods:
        return PairDecision(False, sim * 0.8, "modifier differs")
    if a.cmp == b.cmp:
        return PairDecision(True, max(sim, 95.0), "synonym")
    if _categories_differ(a, b, cfg):
        return PairDecision(False, sim * 0.8, "category differs")
    if len(a.bare) >= 2 and a.bare == b.bare:
        return PairDecision(True, max(sim, 92.0), "fillers")
    n = _aligned_suffix(a, b)
    if n >= cfg.min_suffix_chars and (n == len(a.cmp) or n == len(b.cmp) or _specific(a, n, cfg)):
        return PairDecision(True, max(sim, 90.0), "suffix")
    p = _aligned_prefix(a, b)
    if (p >= 2 and n >= 2 and p + n >= cfg.min_template_chars and p + n < min(len(a.cmp), len(b.cmp))):
        return PairDecision(True, max(sim, 88.0), "template")
    if a.block != b.block:
        return PairDecision(False, sim * 0.7, "measure differs")
    from rapidfuzz import fuzz

    ok = (fuzz.ratio(a.cmp, b.cmp) >= cfg.char_threshold
          or fuzz.token_sort_ratio(" ".join(a.tokens), " ".join(b.tokens)) >= cfg.token_threshold)
    return PairDecision(ok, sim, "fuzzy" if ok else "below threshold")


# ---------------------------------------------------------------------------- grouping
def _order(info: NameInfo) -> tuple:
    """Grouping order: general names first (shortest comparison form), then by rows."""
    return (len(info.cmp), -info.n_rows, -info.n_filings, info.key)


def canonical_order(info: NameInfo) -> tuple:
    """Canonical member of a group: the form used by most filings (a form repeated in several
    tables of one filing counts once), ties → shortest, then most rows."""
    return (-info.n_filings, len(info.key), -info.n_rows, info.key)


def group_names(infos: Sequence[NameInfo], cfg: NormsConfig | None = None) -> list[list[NameInfo]]:
    """Groups of names, each sorted with its canonical member first (:func:`canonical_order`).

    Names are taken shortest first, so that a general name (验收合格率) opens the group its
    specific forms (辅助器具验收合格率) join. A family name goes to its family's group; any
    other name joins the group, among those of the same last two characters (blocking keeps
    this near-linear), in which it matches the largest share of the members — at least half
    (average linkage: one member cannot pull in a chain of others) — else opens a new group.
    """
    cfg = cfg or norms_config()
    groups: list[list[NameInfo]] = []
    family_group: dict[int, int] = {}
    by_block: dict[str, list[int]] = {}
    for info in sorted(infos, key=_order):
        if info.family >= 0:
            gi = family_group.get(info.family)
            if gi is None:
                family_group[info.family] = len(groups)
                groups.append([info])
            else:
                groups[gi].append(info)
            continue
        best, best_share, best_score = -1, 0.0, -1.0
        for gi in by_block.get(info.block, ()):
            members = groups[gi]
            decisions = [same_indicator(info, m, cfg) for m in members]
            hits = [d.score for d in decisions if d.same]
            share = len(hits) / len(members)
            score = max(hits, default=0.0)
            if share >= 0.5 and (share, score) > (best_share, best_score):
                best, best_share, best_score = gi, share, score
        if best >= 0:
            groups[best].append(info)
        else:
            by_block.setdefault(info.block, []).append(len(groups))
            groups.append([info])
    out = []
    for g in groups:
        g = sorted(g, key=canonical_order)
        if g[0].family >= 0:
            name = cfg.families[g[0].family].canonical_name
            first = next((m for m in g if m.key == name), None)
            if first is not None:
                g.remove(first)
                g.insert(0, first)
        out.append(g)
    return out


def group_keys(infos: Sequence[NameInfo], cfg: NormsConfig | None = None) -> dict[str, int]:
    """key → group index (the grouping of :func:`group_names` as a mapping)."""
    return {m.key: gi for gi, g in enumerate(group_names(infos, cfg)) for m in g}


def suggested_head_name(key: str, cfg: NormsConfig | None = None) -> str:
    """The name with its ending in the standard form, or '' when it already is: a family
    head (受益群众满意率 → 受益群众满意度) or a ``review.preferred_endings`` word (补助发放及时性 →
    补助发放及时率)."""
    cfg = cfg or norms_config()
    for f in cfg.families:
        for h in f.heads:
            if key.endswith(h):
                return "" if h == f.canonical_head else key[: -len(h)] + f.canonical_head
    for end, better in cfg.review["preferred_endings"].items():
        if key.endswith(end):
            return key[: -len(end)] + better
    return ""


def sector_of(text: str, cfg: NormsConfig | None = None) -> str:
    """The sector whose keyword occurs first in the configured order, '' when none does."""
    cfg = cfg or norms_config()
    for sector, words in cfg.sectors:
        if any(w in text for w in words):
            return sector
    return ""

