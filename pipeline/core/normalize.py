"""Tiny pure ``str -> str`` clean-up functions, composed by the readers and extractors.

Each does one thing (textacy's ``normalize`` namespace is the model) so that a stage can
say exactly which clean-ups it applies, and the golden tests can compare texts after the
same key function.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")
_WS = re.compile(r"[ \t\u3000\xa0\u2002\u2003\u200b]+")
_ALL_WS = re.compile(r"\s+")
_CJK = "\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])\s*\n\s*(?=[{_CJK}])")
_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# one syllable of tone-marked pinyin in brackets right after a Chinese character: 项(xiàng)
_RUBY = re.compile(rf"(?<=[\u4e00-\u9fff])[(（](?=[a-zü]*[{_TONED}])[a-zü{_TONED}]{{1,7}}[)）]")


def strip_tags(text: str) -> str:
    """Remove HTML tags left inside cells (``<p>…</p>``), keeping their text."""
    if "<" not in text:
        return text
    return _TAG.sub(" ", text)


def join_lines(text: str) -> str:
    """Join a cell broken over lines: no space between Chinese characters, else one space.

    ``"产出\\n指标"`` → ``"产出指标"``; ``"Total\\n2023"`` → ``"Total 2023"``.
    """
    if "\n" not in text:
        return text
    text = _CJK_BREAK.sub("", text)
    return text.replace("\n", " ")


def squeeze(text: str) -> str:
    """Collapse runs of blanks (ASCII, ideographic, no-break) to one space and trim."""
    return _WS.sub(" ", text).strip()


def strip_ruby(text: str, at_least: int = 3) -> str:
    """Drop the pinyin a web page printed after its characters (ruby annotations saved as text).

    ``数(shù)量指标(biāo):资助人数`` → ``数量指标:资助人数``. Only where the text carries at least
    ``at_least`` of them: a page annotated throughout, not one gloss (``重(chóng)复`` in a note
    explaining a reading is left alone). A bracket without a tone mark (``(a)``, ``(ha)``) is
    never pinyin here.

    Not handled yet: pinyin with tone numbers (``shu4``) or without tone marks; ruby whose
    brackets were lost (``数shù量``).
    """
    if "(" not in text and "（" not in text:
        return text
    found = _RUBY.findall(text)
    if len(found) < at_least:
        return text
    return _RUBY.sub("", text)


@functools.lru_cache(maxsize=65536)   # a pure function called for every cell read; cells recur
def clean_cell(text: str) -> str:
    """The clean-up every table cell gets: tags, bookmarks, line breaks, blanks."""
    if not text:
        return ""
    text = strip_tags(text)
    if "[bookmark" in text:
        text = _BOOKMARK.sub("", text)
    return squeeze(join_lines(text.replace("\r", "")))


@functools.lru_cache(maxsize=65536)   # a pure function called for every cell, often on the same text
def key(text: str) -> str:
    """Comparison key: NFKC (full-width → half-width) with every blank removed.

    Used to compare cells (``标准: 100%`` equals ``标准：100%``) and by the golden tests.
    """
    return _ALL_WS.sub("", unicodedata.normalize("NFKC", text or ""))


def overlap_join(a: str, b: str) -> str:
    """Join two pieces of one cell split by a page break, writing their overlap once.

    ``overlap_join("残疾人福利补贴申请审批", "审批及时率100%")`` →
    ``"残疾人福利补贴申请审批及时率100%"``. Equal pieces (after :func:`key`) are kept once.
    """
    if not a:
        return b
    if not b or key(a) == key(b):
        return a
    for n in range(min(len(a), len(b)), 0, -1):
        if a.endswith(b[:n]):
            return a + b[n:]
    return a + b
