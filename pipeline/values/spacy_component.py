"""A spaCy pipeline that marks the typed values (quantities, money, percents, dates) of a sentence.

``nlp = make_nlp()`` is ``spacy.blank("zh")`` with our jieba segmentation as tokenizer and the
``jixiao_values`` component added::

    >>> doc = get_nlp()("完成残疾人康复资助 1581 人次 573.49 万元。")
    >>> [(e.text, e.label_, e._.value.kind, e._.value.value) for e in doc.ents]
    [('1581 人次', 'COUNT', 'count', 1581.0), ('573.49 万元', 'MONEY', 'money', 5734900.0)]

How it works:

- **Tokenizer** (:class:`pipeline.core.segment.SpacyTokenizer` with
  :func:`~pipeline.values.candidates.text_tokens`): :func:`pipeline.core.segment.tokens` (jieba
  with the domain dictionary) re-aligned on the original text, so ``doc.text == text`` and
  character offsets stay valid (the tokenizer's default mode normalises the text, which would
  break offsets). A jieba word is further cut where digits meet other characters (``为100%`` →
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

import threading

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.core.segment import SpacyTokenizer
from pipeline.values.candidates import VALUE_KINDS, _patterns, candidates, text_tokens
from pipeline.values.parse import parse_value

COMPONENT = "jixiao_values"
LABELS = {"money": "MONEY", "percent": "PERCENT", "count": "COUNT", "date": "DATE"}
DEFAULT_LABEL = "VALUE"

if not Span.has_extension("value"):
    Span.set_extension("value", default=None)

_lock = threading.Lock()
_NLP: Language | None = None
def annotate(doc: Doc, *, year: int | None = None) -> Doc:
    """Mark the values of ``doc`` as entities with ``span._.value`` (the component's body)."""
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
    """A new ``spacy.blank("zh")`` with our tokenizer (text kept intact) and the ``jixiao_values`` pipe."""
    import spacy

    nlp = spacy.blank("zh")
    nlp.tokenizer = SpacyTokenizer(nlp.vocab, words_of=text_tokens)
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
