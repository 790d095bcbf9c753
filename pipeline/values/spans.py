"""The value spans of a sentence without building a spaCy ``Doc``: what the prose miner needs.

:func:`pipeline.values.spacy_component.values` runs the spaCy pipeline (jieba tokenizer, then the
``jixiao_values`` component) and reads the entities back. The prose miner only needs those
``(start, end, Value)`` triples, and building a ``Doc`` per sentence (token objects, entity
tags, the text rebuilt from its tokens on every ``doc.text``) cost more than finding the
values. :func:`value_spans` does the same steps on plain lists: the same jieba words aligned
on the text (:func:`~pipeline.values.candidates.align`), the same candidates and typed values,
and spaCy's own rules for mapping characters to tokens (``Doc.char_span`` with
``alignment_mode="expand"``: a character belongs to the token whose text *or trailing
blank* holds it; a span starting on that blank starts at the next token) and for dropping a
span that shares a token with the previous one. A test checks that both give the same
triples on every sentence of the reports in data/raw.

    >>> value_spans("完成残疾人康复资助 1581 人次 573.49 万元。")
    [(10, 17, Value(raw='1581 人次', kind='count', …)), (18, 27, Value(raw='573.49 万元', kind='money', …))]

Not handled here: entities set by other spaCy components (there are none in this pipeline).
"""

from __future__ import annotations

from bisect import bisect_right

from pipeline.values import Value, parse_value
from pipeline.values.candidates import VALUE_KINDS, _patterns, candidates, text_tokens


def value_spans(text: str) -> list[tuple[int, int, Value]]:
    """``(start, end, Value)`` of each value of ``text`` (the offsets of ``value.raw``),
    equal to :func:`pipeline.values.spacy_component.values` (see the module docstring)."""

    if not isinstance(text, str):
        text = "" if text is None else str(text)
    L = _patterns()
    typed = []
    for a, b, _hint in candidates(text):
        raw = text[a:b]
        value = parse_value(raw)
        if value.kind == "count" and not value.unit_norm and value.unit in L.multipliers \
                and L.money_context_re.match(text[b:b + 8].lstrip()):
            value = parse_value(raw, unit_hint="元")
        if value.kind not in VALUE_KINDS or (value.kind == "date" and not value.date):
            continue
        typed.append((a, b, value))
    if not typed:
        return []           # no value: the sentence is not segmented at all (jieba is the cost)
    words, spaces = text_tokens(text)
    starts, pos = [], 0
    for w, s in zip(words, spaces):
        starts.append(pos)
        pos += len(w) + s
    n = len(words)

    def token_at(c: int) -> int:      # spaCy's token_by_char: blanks after a token are its own
        i = bisect_right(starts, c) - 1
        return i if 0 <= i < n and c < starts[i] + len(words[i]) + spaces[i] else -1

    spans: list[tuple[int, int, Value]] = []      # token start, token end, value
    for a, b, value in typed:
        start, end = token_at(a), token_at(b - 1)
        if start < 0 or end < 0:
            continue
        if a == starts[start] + len(words[start]):
            start += 1
        end += 1
        if end <= start or (spans and start < spans[-1][1]):
            continue
        spans.append((start, end, value))
    out = []
    for start, end, v in spans:
        s_char, e_char = starts[start], starts[end - 1] + len(words[end - 1])
        i = text.find(v.raw, s_char)
        if i < 0 or i >= e_char:
            i = s_char
        out.append((i, i + len(v.raw), v))
    return out
