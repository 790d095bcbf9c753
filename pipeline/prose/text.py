"""Records, lexicon and text helpers of the prose miner (:mod:`pipeline.prose.mine`).

:class:`Fact` and :class:`Figure` are what the miner returns; :func:`lexicon` loads
``configs/prose.yaml`` once; the helpers join paragraphs cut by page breaks, strip pinyin
glosses, split sentences and clean indicator names.

Longer than 400 lines because it is the prose lexicon and the text helpers the miner calls
per sentence; the next split is the lexicon.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass

from pipeline.core.config import config_dir, load_yaml, require, str_list
from pipeline.core.document import Document
from pipeline.core.errors import ConfigError
from pipeline.core.segment import tokens
from pipeline.core.words import bound_words

_log = logging.getLogger(__name__)

KINDS = ("project_line", "indicator", "score", "total")
ROLES = ("budget", "spent", "rate", "count", "amount", "points", "score", "deduction", "date", "reference")


# --------------------------------------------------------------------------- records

@dataclass(frozen=True, slots=True)
class Figure:
    """One typed figure of a fact.

    role   budget | spent | rate | count | amount | points | score | deduction | date | reference
           (reference: a figure the fact is compared with, 低于控制指标82起)
    value  the typed :class:`~pipeline.values.parse.Value` (money in 元, percent in points)
    text   the figure as written (``value.raw``)
    start, end  its offsets in :attr:`Fact.sentence`
    side   ``target`` / ``actual`` for indicator figures ('' otherwise)
    """

    role: str
    value: object
    text: str
    start: int
    end: int
    side: str = ""

    def to_dict(self) -> dict:
        return {"role": self.role, "text": self.text, "start": self.start, "end": self.end,
                "side": self.side, "value": self.value.to_dict()}


@dataclass(frozen=True, slots=True)
class Fact:
    """A fact mined from one sentence.

    kind      project_line | indicator | score | total
    name      what the sentence is about, cleaned (残疾人康复资助, 新增就业人数, 康园工疗机构经费)
    target    the target figure(s) as written ('' when the sentence gives none); for project
              lines and budget totals the budget
    actual    the achieved figure(s) as written; for project lines and totals the spending,
              for score facts the 自评分
    figures   the typed figures with their roles
    sentence  the sentence (paragraphs joined across breaks, pinyin glosses removed)
    line      1-based source line where the sentence starts
    span      (start, end) of the sentence's source in ``Document.text`` (for a sentence
              joined across a line break or with pinyin glosses removed, the range holds the
              original text, breaks and glosses included); None when the paragraph cannot be
              located there (a Document built without ``text``)
    level1, level2  indicator levels from the headings around ('' when none)
    weight, score, reason   score facts: 分值, 自评分 as written and 扣分原因
    rate      project lines and budget totals: the execution rate as written
    """

    kind: str
    name: str
    target: str = ""
    actual: str = ""
    figures: tuple[Figure, ...] = ()
    sentence: str = ""
    line: int = 0
    span: tuple[int, int] | None = None
    level1: str = ""
    level2: str = ""
    weight: str = ""
    score: str = ""
    reason: str = ""
    rate: str = ""

    def to_dict(self) -> dict:
        return {"kind": self.kind, "name": self.name, "target": self.target, "actual": self.actual,
                "figures": [f.to_dict() for f in self.figures], "sentence": self.sentence,
                "line": self.line, "span": list(self.span) if self.span else None,
                "level1": self.level1, "level2": self.level2, "weight": self.weight,
                "score": self.score, "reason": self.reason, "rate": self.rate}


# --------------------------------------------------------------------------- lexicon

@dataclass(frozen=True, slots=True)
class ProseLexicon:
    version: str
    sentence_ends: str
    piece_ends: str
    clause_ends: str
    level1: dict[str, str]
    level2: tuple[str, ...]
    budget_cues: tuple[str, ...]
    spent_cues: tuple[str, ...]
    rate_cues: tuple[str, ...]
    total_names: frozenset[str]
    weight_cues: tuple[str, ...]
    score_cues: tuple[str, ...]
    deduction_cues: tuple[str, ...]
    reason_cues: tuple[str, ...]
    total_score_cues: tuple[str, ...]
    target_cues: tuple[str, ...]
    actual_cues: tuple[str, ...]
    target_context: tuple[str, ...]
    lead_words: tuple[str, ...]
    trail_words: tuple[str, ...]
    empty_names: frozenset[str]
    join_words: tuple[str, ...]
    metric_suffixes: tuple[str, ...]
    comparison_words: tuple[str, ...]
    table_words: tuple[str, ...]
    level_re: re.Pattern[str]


def _longest(words) -> tuple[str, ...]:
    return tuple(sorted(set(words), key=lambda w: (-len(w), w)))


@functools.cache
def lexicon() -> ProseLexicon:
    """Load and check ``configs/prose.yaml`` once; a bad file raises ConfigError naming the key."""
    where = str(config_dir() / "prose.yaml")
    data = load_yaml("prose.yaml")
    version = require(data, "version", str, where)
    if version != "prose-v1":
        raise ConfigError(where, f"version {version!r} is not supported by this jixiao; expected 'prose-v1'")
    l1_raw = require(data, "level1_words", dict, where)
    level1: dict[str, str] = {}
    for norm in l1_raw:
        for w in str_list(l1_raw, norm, f"{where} (level1_words)"):
            level1[w] = str(norm)
    level2 = _longest(str_list(data, "level2_words", where))
    levels = _longest([*level1, *level2])
    return ProseLexicon(
        version=version,
        sentence_ends=require(data, "sentence_ends", str, where),
        piece_ends=require(data, "piece_ends", str, where),
        clause_ends=require(data, "clause_ends", str, where),
        level1=level1, level2=level2,
        budget_cues=_longest(str_list(data, "budget_cues", where)),
        spent_cues=_longest(str_list(data, "spent_cues", where)),
        rate_cues=_longest(str_list(data, "rate_cues", where)),
        total_names=frozenset(str_list(data, "total_names", where)),
        weight_cues=_longest(str_list(data, "weight_cues", where)),
        score_cues=_longest(str_list(data, "score_cues", where)),
        deduction_cues=_longest(str_list(data, "deduction_cues", where)),
        reason_cues=_longest(str_list(data, "reason_cues", where)),
        total_score_cues=_longest(str_list(data, "total_score_cues", where)),
        target_cues=_longest(str_list(data, "target_cues", where)),
        actual_cues=_longest(str_list(data, "actual_cues", where)),
        target_context=_longest(str_list(data, "target_context", where)),
        lead_words=_longest(str_list(data, "lead_words", where)),
        trail_words=_longest(str_list(data, "trail_words", where)),
        empty_names=frozenset(str_list(data, "empty_names", where)),
        join_words=_longest(str_list(data, "join_words", where)),
        metric_suffixes=_longest(str_list(data, "metric_suffixes", where)),
        comparison_words=_longest(str_list(data, "comparison_words", where)),
        table_words=_longest(str_list(data, "table_words", where)),
        level_re=re.compile("|".join(re.escape(w) for w in levels)),
    )


# --------------------------------------------------------------------------- text helpers

_GLOSS = re.compile(r"(?<=[\u4e00-\u9fff])\([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,8}\)")
_TERMINAL = set("。！!？?；;：:”」』\"…")
_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|\d+\s*[、.．](?!\d)"
    r"|[①-⑳]|[一二三四五六七八九十]是|第[一二三四五六七八九十\d]+[章节部分条])")
_MAJOR = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]")
_NUMBERING = re.compile(
    r"^(?:\s*(?:[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|[一二三四五六七八九十]+\s*[、.．]|\d+\s*[、.．](?!\d)"
    r"|[①-⑳]|[一二三四五六七八九十]是))+")
_YEARS = re.compile(r"(?:截至|截止)?\s*(?:19|20)\d{2}\s*年(?:度|底|末|初)?(?:\s*\d{1,2}\s*月(?:份|底|末)?(?:\s*\d{1,2}\s*[日号])?)?(?:底|末)?")
# titles, document numbers and references: 《…》, (福财直〔2020〕67号), 水财务【2019】157号
_DOC_REFS = re.compile(r"[（(]?[\u4e00-\u9fffA-Za-z]{0,8}[〔【\[(（]\s*(?:19|20)\d{2}\s*[〕】\])）]\s*\d+\s*号[)）]?|《[^》]{0,80}》"
                       r"|[（(][^()（）]{0,30}号[)）]")
_PCT_NOTE = re.compile(r"[（(]\s*[%％]\s*[)）]")
_EDGE_PUNCT = " \t\u3000,，.。、;；:：!！?？“”\"'‘’()（）[]【】《》-—~·…/"
_WS = re.compile(r"\s+")
_NAME_DEBRIS = re.compile(r"^\d|\d+\.\d+|\d{3,}|\d\s+\d|\[|excerpt")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_QUOTE_PAIRS = (("“", "”"), ("《", "》"), ("\"", "\""))
_COPULA_END = ("为", "是", "达", "达到", "要", "：", ":", "约", "共", "计", "共计", "合计", "累计", "均为", "均达")


@dataclass(slots=True)
class _Para:
    text: str
    pieces: list[tuple[int, int, int | None]]   # (offset in text, source line, offset in Document.text)

    def line_at(self, i: int) -> int:
        line = self.pieces[0][1]
        for off, ln, _ in self.pieces:
            if off <= i:
                line = ln
        return line

    def abs_span(self, a: int, b: int) -> tuple[int, int] | None:
        """The source range in Document.text of text[a:b] (None when a piece is not located)."""
        if b <= a:
            return None
        x, y = self._abs(a), self._abs(b - 1)
        return (x, y + 1) if x is not None and y is not None else None

    def _abs(self, i: int) -> int | None:
        off, _, base = max((p for p in self.pieces if p[0] <= i), key=lambda p: p[0], default=self.pieces[0])
        return None if base is None else base + i - off


def _line_offsets(text: str) -> list[int]:
    out = [0]
    for i, c in enumerate(text):
        if c == "\n":
            out.append(i + 1)
    return out


def _locate(doc_text: str, starts: list[int], line: int, para: str) -> int | None:
    if not doc_text or not para or line < 1 or line > len(starts):
        return None
    a = starts[line - 1]
    b = starts[line] - 1 if line < len(starts) else len(doc_text)
    i = doc_text.find(para, a, b)
    return i if i >= 0 else None


def _ends_mid_sentence(text: str) -> bool:
    """A paragraph broken mid-sentence: prose (it has clause punctuation) without a final stop,
    or a paragraph ending on a number (``支出 79.88 万``). Titles and headings are not."""
    t = text.rstrip()
    if not t or t[-1] in _TERMINAL:
        return False
    if t[-1].isdigit() or t[-1] in "万亿":
        return True
    return len(t) >= 25 and any(c in t for c in "，,。；;")


def _join_paragraphs(doc: Document) -> list[_Para]:
    """Paragraphs with those broken mid-sentence joined to the next one."""
    doc_text = doc.text or ""
    starts = _line_offsets(doc_text) if doc_text else []
    out: list[_Para] = []
    pending: _Para | None = None
    last_line = -10
    for p in doc.paragraphs:
        text = p.text if isinstance(p.text, str) else str(p.text or "")
        text = text.strip()
        if not text:
            continue
        base = _locate(doc_text, starts, p.line, text)
        if pending is not None and p.line - last_line <= 3 and not _HEADING.match(text):
            pending.pieces.append((len(pending.text), p.line, base))
            pending.text += text
        else:
            if pending is not None:
                out.append(pending)
            pending = _Para(text, [(0, p.line, base)])
        last_line = p.line
        if not _ends_mid_sentence(pending.text):
            out.append(pending)
            pending = None
    if pending is not None:
        out.append(pending)
    return out


def _strip_glosses(text: str) -> tuple[str, list[int]]:
    """Text without pinyin glosses, and for each kept character its offset in ``text``."""
    if "(" not in text:
        return text, list(range(len(text) + 1))
    keep, cmap, pos = [], [], 0
    for g in _GLOSS.finditer(text):
        keep.append(text[pos:g.start()])
        cmap.extend(range(pos, g.start()))
        pos = g.end()
    keep.append(text[pos:])
    cmap.extend(range(pos, len(text) + 1))
    return "".join(keep), cmap


def _split(text: str, ends: str, start: int = 0, stop: int | None = None, *, dot: bool = False) -> list[tuple[int, int]]:
    """(start, end) of the pieces of text[start:stop] cut at each char of ``ends`` (left out).
    With ``dot``, a '.' between a Chinese character and a non-digit ends a piece too
    (``摸底不够准确.二是``), as converted PDFs write it for 。."""
    stop = len(text) if stop is None else stop
    out, a = [], start
    for i in range(start, stop):
        if text[i] in ends or dot and text[i] == "." and i > 0 and "\u4e00" <= text[i - 1] <= "\u9fff" \
                and not (i + 1 < len(text) and text[i + 1].isdigit()):
            if text[a:i].strip():
                out.append((a, i))
            a = i + 1
    if text[a:stop].strip():
        out.append((a, stop))
    return out


@functools.lru_cache(maxsize=16384)
def _bounds(s: str) -> frozenset[int]:
    """Token boundaries of ``s`` (jieba words); every position when the words do not add up."""
    words = tokens(s)
    if "".join(words) != s:
        return frozenset(range(len(s) + 1))
    out, i = {0}, 0
    for w in words:
        i += len(w)
        out.add(i)
    return frozenset(out)


_LOOSE_BLANKS = re.compile(r"(?<![A-Za-z0-9])\s+|\s+(?![A-Za-z0-9])")


def _compact(s: str) -> str:
    """Blanks removed except between two Latin letters or digits (A级, 一级A)."""
    return _LOOSE_BLANKS.sub("", s).strip()


@functools.lru_cache(maxsize=16)
def _by_edge(words: tuple[str, ...], edge: int) -> dict[str, tuple[str, ...]]:
    """``words`` grouped by their first (edge 0) or last (edge -1) character, each group in
    the order of ``words``: only those can start or end a text with that character."""
    out: dict[str, list[str]] = {}
    for w in words:
        if w:
            out.setdefault(w[edge], []).append(w)
    return {k: tuple(v) for k, v in out.items()}


def _strip_lead(L: ProseLexicon, s: str) -> str:
    changed = True
    while s and changed:
        changed = False
        s = s.lstrip(_EDGE_PUNCT)
        m = _NUMBERING.match(s)
        if m and m.end() > 0:
            s, changed = s[m.end():], True
            continue
        b = _bounds(s)
        for w in _by_edge(L.lead_words, 0).get(s[:1], ()):
            if s.startswith(w) and len(w) in b:
                s, changed = s[len(w):], True
                break
    return s


def _strip_trail(L: ProseLexicon, s: str) -> str:
    changed = True
    while s and changed:
        changed = False
        s = s.rstrip(_EDGE_PUNCT)
        b = _bounds(s)
        for w in _by_edge(L.trail_words, -1).get(s[-1:], ()):
            if s.endswith(w) and len(s) - len(w) in b:
                s, changed = s[:-len(w)], True
                break
    return s


def _find_cue(s: str, cues: tuple[str, ...]) -> tuple[int, int] | None:
    """The cue of ``s`` that ends last (the longest of those), on word boundaries at both ends."""
    if not s:
        return None
    b = _bounds(s)
    best = None
    for w in cues:
        i = s.find(w)
        while i >= 0:
            if i in b and i + len(w) in b and (best is None or (i + len(w), len(w)) > (best[1], best[1] - best[0])):
                best = (i, i + len(w))
            i = s.find(w, i + 1)
    return best


def _has_word(s: str, words: tuple[str, ...]) -> bool:
    return _find_cue(s, words) is not None


def _balance(s: str) -> str:
    """Cut a name at an unmatched bracket (其他资金(包括… → 其他资金) and drop lone quotes."""
    for o, c in (("(", ")"), ("（", "）")):
        if s.count(o) > s.count(c):
            i = s.rfind(o)
            s = s[:i] if i > 0 else s[i + 1:]
        elif s.count(c) > s.count(o):
            i = s.find(c)
            s = s[i + 1:] if i < len(s) - 1 else s[:i]
    for o, c in (("“", "”"), ("‘", "’")):
        if s.count(o) != s.count(c):
            s = s.replace(o, "").replace(c, "")
    return s


def _clean_name(L: ProseLexicon, s: str) -> str:
    s = _compact(_DOC_REFS.sub("", s))
    s = _PCT_NOTE.sub("", _YEARS.sub("", s))
    s = _strip_trail(L, _strip_lead(L, s))
    s = _balance(s)
    s = _strip_trail(L, _strip_lead(L, s))
    return s


def _title(s: str) -> str:
    """A light clean for titles (project and score lines): numbering, years, references and
    edge punctuation go, the words stay (资助残疾人参加…经费 keeps its 资助)."""
    s = _compact(_DOC_REFS.sub("", s))
    s = _YEARS.sub("", s).strip(_EDGE_PUNCT)
    s = _NUMBERING.sub("", s).strip(_EDGE_PUNCT)
    return _strip_trail(lexicon(), _balance(s))


def _is_name(L: ProseLexicon, s: str) -> bool:
    """Two Chinese characters at least, no generic word, no table debris (2.8预算执行率)."""
    return (len(_CJK.findall(s)) >= 2 and s not in L.empty_names and s not in L.level1 and s not in L.level2
            and not _NAME_DEBRIS.search(s))


def _family(v) -> tuple[str, str]:
    return (v.kind, v.unit_norm if v.kind == "count" else "")


def _same_family(a, b) -> bool:
    fa, fb = _family(a), _family(b)
    return fa[0] == fb[0] and (fa[1] == fb[1] or not fa[1] or not fb[1])


def _role(v) -> str:
    return {"money": "amount", "percent": "rate", "date": "date"}.get(v.kind, "count")


def _is_target_figure(raw: str) -> bool:
    r = raw.strip()
    return any(r.startswith(w) or r.endswith(w) for w in bound_words(after=True, equal=False))


