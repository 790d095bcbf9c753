"""Where the values of a sentence are, without spaCy: the jieba words aligned on the text and
the candidate value spans (shared by the spaCy component, :mod:`pipeline.values.spacy_component`,
and the Doc-free reader the prose miner uses, :mod:`pipeline.values.spans`).

Kept apart from the component so that reading values never imports spaCy.
"""

from __future__ import annotations

import re

from pipeline.core.segment import tokens
from pipeline.values.lexicon import lexicon

VALUE_KINDS = frozenset({"money", "percent", "count", "date", "duration"})
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


def text_tokens(text: str) -> tuple[list[str], list[bool]]:
    """Our jieba words re-aligned on ``text`` with their trailing blanks, spelling it exactly
    (the tokens of the spaCy value component, and of :func:`pipeline.values.spans.value_spans`
    without a Doc): ``"支出 79.88万元"`` → ``(["支出", "79.88", "万元"], [True, False, False])``."""
    words, spaces = align(text, _words(text) if text.strip() else [])
    if "".join(w + " " * s for w, s in zip(words, spaces)) != text:   # cannot happen by construction
        words, spaces = align(text, [])
    return words, spaces


# --------------------------------------------------------------------------- candidates

def _patterns():
    """The value parser's lexicon (configs/values.yaml), loaded on first use and cached there."""
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
        if unit in L.measure_units and L.measure_blocker_re.match(m2, g.start("unit" if g.group("unit") else "bunit")):
            continue                              # 26组织方式: 组 starts a word, no value here
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
