"""Shape tokens of an indicator name: its suffix class, leading verb and raw ending.

The name's ending says what kind of measure it is more reliably than any word inside it:
``培训完成率`` ends in a completion rate (数量 by the 10号 framework), ``差旅费`` in a money word,
``受益人数`` in a count of people. :func:`shape_field` turns a normalised name into binary
tokens for the classifier's ``shape`` block (see :mod:`pipeline.classify.features`)::

    >>> shape_field("培训人员覆盖率(%)")
    'SHAPE=rate SHAPE=completion_rate END1=率 END2=盖率'
    >>> shape_field("节约优抚人员出行成本")
    'SHAPE=money SHAPE=saving END1=本 END2=成本'

The classes live in ``configs/name_shapes.yaml`` (loaded once into a frozen
:class:`NameShapes`). Trailing brackets (``(%)``, ``(人次)``, ``(≥**人)``, ``（5分）``) are dropped
before the ending is read.

Not handled yet: names whose measure sits in the middle (``完成率考核``, ``覆盖率达到``) or after a
colon in a compound cell (``指标1:…`` prefixes are harmless, trailing explanations are not).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pipeline.core.config import load_yaml, require, str_list
from pipeline.core.errors import ConfigError
from pipeline.core.segment import normalize

# trailing bracketed decorations: (%), （人次）, (≥**人), (5分), [万元]
_TRAIL = re.compile(r"(?:[(（\[【][^()（）\[\]【】]*[)）\]】]|[\s*:：。.,，;；])+$")


@dataclass(frozen=True, slots=True)
class NameShapes:
    """The shape classes of ``configs/name_shapes.yaml``: (class, endings) and (class, beginnings)."""
    version: str
    suffix: tuple[tuple[str, tuple[str, ...]], ...]
    prefix: tuple[tuple[str, tuple[str, ...]], ...]


def parse_shapes(data: Mapping[str, Any], where: str = "configs/name_shapes.yaml") -> NameShapes:
    """Validate a name-shapes mapping (raises ConfigError naming the file and key)."""
    version = require(data, "version", str, where)
    out = []
    for key in ("suffix_classes", "prefix_classes"):
        table = require(data, key, dict, where)
        classes = []
        for name, words in table.items():
            if not isinstance(name, str) or not re.fullmatch(r"[a-z_]+", name):
                raise ConfigError(f"{where}: {key}", f"class names must be lower-case words, got {name!r}")
            ws = tuple(normalize(w) for w in str_list(table, name, f"{where}: {key}"))
            if not ws or not all(ws):
                raise ConfigError(f"{where}: {key}.{name}", "needs a non-empty list of non-empty strings")
            classes.append((name, ws))
        out.append(tuple(classes))
    return NameShapes(version=version, suffix=out[0], prefix=out[1])


@functools.cache
def shapes() -> NameShapes:
    """Load ``configs/name_shapes.yaml`` once."""
    return parse_shapes(load_yaml("name_shapes.yaml"))


def strip_trailing(name: str) -> str:
    """``培训人员覆盖率(%)`` → ``培训人员覆盖率``; a name that is only brackets stays as it is."""
    stripped = _TRAIL.sub("", name)
    return stripped or name


@functools.lru_cache(maxsize=65536)
def shape_field(name: str) -> str:
    """Shape tokens of a normalised name (see the module docstring); '' for an empty name."""
    core = strip_trailing(name)
    if not core:
        return ""
    s = shapes()
    toks = [f"SHAPE={c}" for c, ends in s.suffix if core.endswith(ends)]
    toks += [f"SHAPE={c}" for c, begins in s.prefix if core.startswith(begins)]
    toks.append(f"END1={core[-1]}")
    if len(core) >= 2:
        toks.append(f"END2={core[-2:]}")
    return " ".join(toks)
