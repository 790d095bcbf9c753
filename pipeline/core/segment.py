"""Word segmentation of indicator names: jieba with the domain dictionary ``configs/jieba_domain.txt``.

``tokens("残疾人乘车持卡人数")`` → ``['残疾人', '乘车', '持卡人数']``;
``tokens("预算资金执行率")`` → ``['预算', '资金', '执行率']`` (the 率 suffix stays on its word,
like 出勤率); ``tokens("全区重残人员医疗保险应保尽保率")`` → ``[…, '应保尽保率']``.

The segmenter is a private :class:`jieba.Tokenizer` (never jieba's global one, so other code
that uses jieba is not affected by our dictionary). Nothing is loaded at import: jieba is
imported and its main dictionary plus ours are loaded on the first call (about a second;
jieba keeps a cache of its prefix dictionary in the user's cache folder). Loading is
thread-safe.

:func:`tokenize_name` is the tokenizer scikit-learn vectorizers use: a plain module-level
function, so a persisted pipeline refers to it by name (``pipeline.core.segment.tokenize_name``)
and skops can be told to trust exactly that name.

Not handled yet: traditional characters (the readers convert them before this stage),
and names that mix pinyin annotations into the text (``经(jīng)费``) are cut into letters.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from pipeline.core.config import config_dir
from pipeline.core.errors import ConfigError

DICTIONARY = "jieba_domain.txt"

_lock = threading.Lock()
_tokenizer = None            # the jieba.Tokenizer, built on first use
_WS = re.compile(r"\s+")
# a token made only of punctuation / symbols (no letter, digit or CJK character)
_PUNCT = re.compile(r"^[^\w\u3400-\u9fff]+$")
_LINE = re.compile(r"^(\S+)(?:\s+(\d+))?(?:\s+([A-Za-z]+))?$")


def dictionary_path() -> Path:
    """Where the domain dictionary is read from (the configs folder, see :mod:`pipeline.core.config`)."""
    return config_dir() / DICTIONARY


def read_dictionary(path: Path | None = None) -> list[tuple[str, int | None, str | None]]:
    """The entries of the domain dictionary as (word, frequency or None, tag or None).

    Lines are ``word [freq] [tag]``; ``#`` starts a comment. A malformed line raises
    :class:`~pipeline.core.errors.ConfigError` naming the line.
    """

    path = path or dictionary_path()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(str(path), f"cannot read the jieba domain dictionary ({exc.strerror}); "
                          "reinstall jixiao or set JIXIAO_CONFIG_DIR to a folder that has it") from exc
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        m = _LINE.match(line)
        if not m:
            raise ConfigError(str(path), f"line {n} must be 'word [frequency] [tag]', got {line!r}")
        out.append((m[1], int(m[2]) if m[2] else None, m[3]))
    return out


def _cache_dir() -> str | None:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    d = os.path.join(base, "jixiao")
    try:
        os.makedirs(d, exist_ok=True)
    except OSError:
        return None          # jieba falls back to the system temp folder
    return d if os.access(d, os.W_OK) else None


def _load():
    """Build the private tokenizer once (main dictionary + domain words)."""
    global _tokenizer
    if _tokenizer is not None:
        return _tokenizer
    with _lock:
        if _tokenizer is None:
            import jieba

            logging.getLogger("jieba").setLevel(logging.WARNING)   # no "Building prefix dict" chatter
            tk = jieba.Tokenizer()
            tk.tmp_dir = _cache_dir()
            tk.initialize()
            for word, freq, tag in read_dictionary():
                tk.add_word(word, freq, tag)
            _tokenizer = tk
    return _tokenizer


def is_loaded() -> bool:
    """True once the dictionaries have been loaded (the first call to :func:`tokens`)."""
    return _tokenizer is not None


def normalize(text: str) -> str:
    """The form that is segmented: NFKC (full-width → half-width), blanks removed, lower case."""
    return _WS.sub("", unicodedata.normalize("NFKC", text or "")).lower()


@functools.lru_cache(maxsize=65536)
def _cut(text: str) -> tuple[str, ...]:
    return tuple(t for t in _load().lcut(text, HMM=True) if not t.isspace())


def tokens(text: str) -> list[str]:
    """Segment ``text`` into words (blanks dropped, punctuation kept as tokens).

    ``tokens("康园工疗站残保金")`` → ``['康园工疗站', '残保金']``.
    """
    if not text or text.isspace():
        return []
    return list(_cut(text.strip()))


def tokenize_name(text: str) -> list[str]:
    """The tokenizer of the classifier's word features: words of the normalised name,
    without punctuation tokens. ``tokenize_name("受益群众满意率 (%)")`` →
    ``['受益', '群众', '满意率']``."""
    t = normalize(text)
    if not t:
        return []
    return [w for w in _cut(t) if not _PUNCT.match(w) and w != "%"]


def suggest_words(texts: Iterable[str], suffixes: tuple[str, ...] = ("率", "度", "性"),
                  min_count: int = 1) -> list[tuple[str, int]]:
    """Candidate dictionary words: a 1–2 character word followed by a bare suffix token.

    ``suggest_words(["经费发放率"])`` → ``[('发放率', 1)]`` when the dictionary cuts
    发放/率. Review the list by hand before adding words to ``configs/jieba_domain.txt``.
    """
    c: Counter[str] = Counter()
    for text in texts:
        toks = tokens(normalize(text))
        for a, b in zip(toks, toks[1:]):
            if b in suffixes and re.fullmatch(r"[\u4e00-\u9fff]{1,2}", a):
                c[a + b] += 1
    return [(w, n) for w, n in c.most_common() if n >= min_count]


class SpacyTokenizer:
    """A spaCy tokenizer over :func:`tokens`: ``nlp.tokenizer = SpacyTokenizer(nlp.vocab)``.

    spaCy's own ``zh`` tokenizer segments by character unless pkuseg/jieba are configured;
    this one gives spaCy exactly our segmentation. Two modes, one class:

    - names (the default): the text is normalised and blanks dropped, so no token has a space
      (the classifier's spaCy features);
    - ``words_of``: a function giving ``(words, spaces)`` that spell the text exactly, so
      ``doc.text == text`` and character offsets stay valid (the value component passes
      :func:`pipeline.values.candidates.text_tokens`).
    """

    def __init__(self, vocab, words_of=None):
        self.vocab = vocab
        self.words_of = words_of

    def __call__(self, text: str):
        from spacy.tokens import Doc

        if self.words_of is not None:
            if not isinstance(text, str):
                text = "" if text is None else str(text)
            words, spaces = self.words_of(text)
            return Doc(self.vocab, words=words, spaces=spaces)
        words = tokens(normalize(text)) or [""]
        if words == [""]:
            return Doc(self.vocab, words=[], spaces=[])
        return Doc(self.vocab, words=words, spaces=[False] * len(words))

    # spaCy calls these when a pipeline with this tokenizer is saved; nothing to store.
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "SpacyTokenizer":
        return self

    def to_disk(self, path, **kwargs) -> None:
        pass

    def from_disk(self, path, **kwargs) -> "SpacyTokenizer":
        return self
