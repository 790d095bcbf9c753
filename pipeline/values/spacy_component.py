"""A spaCy pipeline that marks the typed values (quantities, money, percents, dates) of a sentence.

``nlp = make_nlp()`` is ``spacy.blank("zh")`` with our jieba segmentation as tokenizer and the
``jixiao_values`` component added::

    >>> doc = get_nlp()("完成残疾人康复资助 1581 人次 573.49 万元。")
    >>> [(e.text, e.label_, e._.value.kind, e._.value.value) for e in doc.ents]
    [('1581 人次', 'COUNT', 'count', 1581.0), ('573.49 万元', 'MONEY', 'money', 5734900.0)]

How it works:

- **Tokenizer** (:class:`JiebaTokenizer`): :func:`pipeline.core.segment.tokens` (jieba with the
  domain dictionary) re-aligned on the original text, so ``doc.text == text`` and character
  offsets stay valid (``segment.SpacyTokenizer`` normalises the text, which would break
  offsets). A jieba word is further cut where digits meet other characters (``为100%`` →
  ``为`` ``100%``), so a value never shares a token with a word. Runs of blanks and line
  breaks become blank tokens, as spaCy expects.
- **Component** ``jixiao_values``: candidate spans are found by regular expressions over the
  text, built from the value parser's own lexicon (``configs/values.yaml``: units, multipliers,
  comparators, dates): a number with a unit, a percent, a multiplier (``141.8万``), a Chinese
  numeral with a unit (``近百名``, ``两项``), a range (``2-12个月``), a date (``2023年9月``,
  ``11 月底``). Bare numbers (list numbering, codes) are not values. Book titles, document
  numbers (``〔2021〕70号``), ordinals (``第一``), pinyin glosses and text inside them are
  skipped, like :func:`pipeline.values.parse.parse_value` does; so are a comparator that ends a
  word (the 达 of ``下达98.6万元``), a unit that starts a word (``15 项目``), ``十分`` and
  ``千分点``. ``141.8万`` before a money word (补助资金) is money. Each candidate's character
  offsets are mapped to tokens with ``doc.char_span(..., alignment_mode="expand")`` and the
  span becomes an entity labelled by kind (MONEY, PERCENT, COUNT, DATE; VALUE for durations)
  with the typed :class:`~pipeline.values.parse.Value` of the candidate text in ``span._.value``
  (``value.raw`` is the exact value text; the entity may be wider when a token is).
  Entities set earlier by other components are kept when they do not overlap ours.

:func:`values` is the short form: ``(start, end, Value)`` per value of a text.

Nothing heavy happens at import: spaCy is imported (the component must be registered), but
the jieba dictionaries, the value lexicon and the ``nlp`` object are built on first use.

Not handled yet: a single ``一`` with a unit (``一人一策``, ``一座``) is not a value (mostly
idioms); Chinese-numeral percents (``百分之九十``); compound physical units (``1000m3/d``).
"""

from __future__ import annotations

import re
import threading

from spacy.language import Language
from spacy.tokens import Doc, Span

COMPONENT = "jixiao_values"
LABELS = {"money": "MONEY", "percent": "PERCENT", "count": "COUNT", "date": "DATE"}
DEFAULT_LABEL = "VALUE"
VALUE_KINDS = frozenset({"money", "percent", "count", "date", "duration"})

if not Span.has_extension("value"):
    Span.set_extension("value", default=None)

_lock = threading.Lock()
_NLP: Language | None = None
# a jieba word is cut where a number starts or ends: 为100% -> 为 / 100%
_DIGIT_RUN = re.compile(r"\d+(?:[.,]\d+)*%?|\D+")
_CN_ONE = "一"
# a unit character that is the start of a word: 对15项目实施对象 has no unit 项
_UNIT_THEN_WORD = frozenset({"项目", "人员", "名单", "户籍", "个人", "条例", "条件", "批复", "期间", "期限", "台账",
                             "家庭", "所有", "次要"})
# a one-character comparator that is the end of a word: 下达 (not 达 = at least), 赶超
_WORDS_ENDING_IN_CMP = frozenset({"下达", "到达", "送达", "传达", "表达", "抵达", "直达", "通达", "发达", "转达",
                                  "赶超", "附近", "最近", "将近", "接近", "大约", "节约", "签约", "履约", "制约"})
_QUOTED = re.compile(r"“[^”]{0,40}”|\"[^\"]{0,40}\"")


# --------------------------------------------------------------------------- tokenizer

def _words(text: str) -> list[str]:
    """jieba words of ``text`` (blanks dropped), each cut at digit boundaries."""
    from pipeline.core.segment import tokens

    out: list[str] = []
    for w in tokens(text):
        if any(c.isdigit() for c in w) and not w.isdigit():
            out.extend(_DIGIT_RUN.findall(w))
        else:
            out.append(w)
    return out


def align(text: str, words: list[str]) -> tuple[list[str], list[bool]]:
    """``(words, spaces)`` for ``Doc`` such that the doc's text is exactly ``text``.

    Blank runs between words become a trailing space (a single blank) or a blank token; a
    word that cannot be found in order falls back to one token per remaining character.
    """
    out: list[str] = []
    spaces: list[bool] = []

    def gap(g: str) -> None:
        if not g:
            return
        if out and not spaces[-1] and g[0] == " " and not out[-1].isspace():
            spaces[-1] = True
            g = g[1:]
        if g:
            out.append(g)
            spaces.append(False)

    pos = 0
    for w in words:
        i = text.find(w, pos) if w else -1
        if i < 0 or not text[pos:i].isspace() and i != pos:
            break
        gap(text[pos:i])
        out.append(w)
        spaces.append(False)
        pos = i + len(w)
    rest = text[pos:]
    # whatever is left (normally only blanks): blanks as gaps, other characters one by one
    for chunk in re.findall(r"\s+|\S", rest):
        if chunk.isspace():
            gap(chunk)
        else:
            out.append(chunk)
            spaces.append(False)
    return out, spaces


class JiebaTokenizer:
    """spaCy tokenizer over :func:`pipeline.core.segment.tokens` that keeps the text intact."""

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        words, spaces = align(text, _words(text) if text.strip() else [])
        doc = Doc(self.vocab, words=words, spaces=spaces)
        if doc.text != text:   # cannot happen by construction; keep offsets exact anyway
            words, spaces = align(text, [])
            doc = Doc(self.vocab, words=words, spaces=spaces)
        return doc

    # spaCy calls these when a pipeline with this tokenizer is saved; nothing to store.
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "JiebaTokenizer":
        return self

    def to_disk(self, path, **kwargs) -> None:
        pass

    def from_disk(self, path, **kwargs) -> "JiebaTokenizer":
        return self


# --------------------------------------------------------------------------- candidates

def _patterns():
    """The value parser's lexicon (configs/values.yaml), loaded on first use and cached there."""
    from pipeline.values.lexicon import lexicon

    return lexicon()


def _blank(s: str, spans) -> str:
    chars = list(s)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)


def _date_spans(L, m: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = 0
    while True:
        g = L.date_re.search(m, pos)
        if g is None:
            return out
        a, b = g.span()
        if g.group().strip() and re.search(r"[\d零〇一二两三四五六七八九十]", g.group()):
            sep = L.range_sep_re.match(m, b)
            if sep:
                g2 = L.date_re.match(m, sep.end())
                if g2 and g2.group().strip() and re.search(r"\d", g2.group()):
                    b = g2.end()
            dl = L.deadline_re.match(m, b)
            if dl:
                b = dl.end()
            while b > a and m[b - 1] == " ":
                b -= 1
            out.append((a, b))
        pos = max(b, a + 1)


def candidates(text: str) -> list[tuple[int, int, str]]:
    """Character spans ``(start, end, kind_hint)`` of the values in ``text`` (kind_hint is
    ``date`` or ``quantity``), in order and not overlapping. No spaCy, no parsing."""
    if not text or not text.strip():
        return []
    L = _patterns()
    s = text.translate(L.trans)
    m = L.mask_re.sub(lambda g: " " * len(g.group()), s)
    for q in _QUOTED.finditer(m):            # “两个维护”: numbers inside slogans are no values
        inner = q.group()
        if len(inner) <= 12:
            m = m[:q.start()] + " " * len(inner) + m[q.end():]
    dates = _date_spans(L, m)
    m2 = _blank(m, dates)
    out: list[tuple[int, int, str]] = [(a, b, "date") for a, b in dates]
    n_dates = len(dates)
    pending: tuple[int, int] | None = None   # a bare number that may start a range (2-12个月)
    for g in L.qty_re.finditer(m2):
        num = g.group("num")
        if not num or num[0] == "*":
            continue
        cmp = g.group("cmp")
        start = g.start() if cmp else g.start("num")
        if cmp and len(cmp) == 1 and g.start() > 0 and m2[g.start() - 1] + cmp in _WORDS_ENDING_IN_CMP:
            cmp, start = None, g.start("num")     # 下达98.6万元: 达 belongs to 下达, not a comparator
        end = g.end()
        while end > start and m2[end - 1] == " ":
            end -= 1
        unit = g.group("unit") or g.group("bunit")
        mult = g.group("mult") or g.group("bmult")
        has_unit = bool(unit or g.group("orate"))
        if num[0] in "零〇一二两三四五六七八九十百千万亿":
            # 两项, 近百名 are values; 一人一策, 十分繁重, 千分点 are not
            if not unit or num == _CN_ONE or unit == "分":
                continue
            if not set(num) & set("零〇一二两三四五六七八九") and not cmp:
                continue
        if unit and not g.group("rate") and m2[end:end + 1] and unit[-1] + m2[end] in _UNIT_THEN_WORD:
            continue                              # 15 项目: 项 starts the word 项目, no unit
        if unit == "年":
            try:
                if float(num.replace(",", "")) >= 1000:
                    continue
            except ValueError:
                pass
        if not has_unit and not mult:
            pending = (start, end)
            continue
        if dates and not cmp:
            near = [d for d in dates if d[1] <= start and L.range_sep_re.fullmatch(m2, d[1], start)]
            if near and unit in ("日", "号"):             # 2022年12月6日至8日: the end of a date range
                dates.append((near[-1][0], end))
                continue
        if pending is not None and L.range_sep_re.fullmatch(m2, pending[1], start):
            start = pending[0]
        elif out and out[-1][2] == "quantity" and L.range_sep_re.fullmatch(m2, out[-1][1], start):
            start = out.pop()[0]                # 85%-98%: one value
        pending = None
        out.append((start, end, "quantity"))
    out.extend((a, b, "date") for a, b in dates[n_dates:])
    out.sort(key=lambda c: (c[0], -c[1]))
    kept: list[tuple[int, int, str]] = []
    for c in out:
        if kept and c[0] < kept[-1][1]:
            continue
        kept.append(c)
    return kept


# --------------------------------------------------------------------------- component

def annotate(doc: Doc, *, year: int | None = None) -> Doc:
    """Mark the values of ``doc`` as entities with ``span._.value`` (the component's body)."""
    from pipeline.values.parse import parse_value

    L = _patterns()
    text = doc.text
    spans: list[Span] = []
    for a, b, hint in candidates(text):
        raw = text[a:b]
        value = parse_value(raw, year=year)
        if value.kind == "count" and not value.unit_norm and value.unit in L.multipliers \
                and L.money_context_re.match(text[b:b + 8].lstrip()):
            value = parse_value(raw, unit_hint="元", year=year)   # 141.8万补助资金: 万 of 元
        if value.kind not in VALUE_KINDS or (value.kind == "date" and not value.date):
            continue
        label = LABELS.get(value.kind, DEFAULT_LABEL)
        span = doc.char_span(a, b, label=label, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        if spans and span.start < spans[-1].end:   # a token shared by two values: keep the first
            continue
        span._.value = value
        spans.append(span)
    if spans:
        old = [e for e in doc.ents if all(e.end <= s.start or e.start >= s.end for s in spans)]
        doc.ents = sorted(old + spans, key=lambda e: e.start)
    return doc


@Language.component(COMPONENT, assigns=["doc.ents", "token.ent_iob", "token.ent_type", "span._.value"])
def jixiao_values(doc: Doc) -> Doc:
    """spaCy component: typed values as entities (see the module docstring)."""
    return annotate(doc)


def make_nlp() -> Language:
    """A new ``spacy.blank("zh")`` with :class:`JiebaTokenizer` and the ``jixiao_values`` pipe."""
    import spacy

    nlp = spacy.blank("zh")
    nlp.tokenizer = JiebaTokenizer(nlp.vocab)
    nlp.add_pipe(COMPONENT)
    return nlp


def get_nlp() -> Language:
    """The shared pipeline of :func:`make_nlp`, built on first call (thread-safe)."""
    global _NLP
    if _NLP is None:
        with _lock:
            if _NLP is None:
                _NLP = make_nlp()
    return _NLP


def is_built() -> bool:
    """True once :func:`get_nlp` has built the shared pipeline."""
    return _NLP is not None


def values(text: str) -> list[tuple[int, int, "object"]]:
    """``(start, end, Value)`` for each value entity of ``text`` (offsets of ``value.raw``)."""
    doc = get_nlp()(text)
    out = []
    for e in doc.ents:
        v = e._.value
        if v is None:
            continue
        i = text.find(v.raw, e.start_char)
        if i < 0 or i >= e.end_char:
            i = e.start_char
        out.append((i, i + len(v.raw), v))
    return out
