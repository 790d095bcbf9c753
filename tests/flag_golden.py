"""Judged golden flags: reading, matching and listing the flag lines of tests/golden/flags.

Each line of ``tests/golden/flags/<stem>.tsv`` is one flag (table, row, name, code,
severity, suggestion) with the ``verdict`` of someone who read the filing's text around it
— ``right``, ``wrong`` or ``unsure`` — and a ``note`` saying why; ``missed`` is a line judged
right whose flag the review no longer raises (a recall loss, a strict xfail). ``unjudged`` marks a line
that entered (scripts/unjudged_flags.py) but was not read yet: the test fails on it.
Nothing rewrites these files; a line is added or changed by hand after reading the text.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden" / "flags"
KEY = ("table", "row", "name", "code", "severity", "suggestion")
FIELDS = KEY + ("verdict", "note")
VERDICTS = ("right", "wrong", "unsure", "unjudged", "missed")
_CONFIDENCE = re.compile(r"（置信度 [0-9.]+）")


@dataclass(frozen=True)
class Line:
    key: tuple[str, ...]
    verdict: str
    note: str


def flag_key(f) -> tuple[str, ...]:
    # the classifier's confidence moves a little with every retraining: the flag and its fix
    # are what is checked, not the second decimal
    return tuple(_CONFIDENCE.sub("", str(getattr(f, k))).replace("\t", " ").replace("\n", " ") for k in KEY)


def load(stem: str) -> list[Line]:
    with open(GOLDEN / f"{stem}.tsv", encoding="utf-8", newline="") as fh:
        out = []
        for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            v = r.get("verdict") or ""
            if v not in VERDICTS:
                raise ValueError(f"tests/golden/flags/{stem}.tsv: verdict {v!r} is not one of {VERDICTS}")
            out.append(Line(tuple(r[k] for k in KEY), v, r.get("note") or ""))
        return out


def write(stem: str, lines: list[Line]) -> None:
    with open(GOLDEN / f"{stem}.tsv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\", lineterminator="\n")
        w.writerow(FIELDS)
        for ln in sorted(lines, key=lambda x: (int(x.key[0] or 0), int(x.key[1] or 0), x.key[3], x.key[2])):
            w.writerow([c.replace("\t", " ").replace("\n", " ") for c in ln.key + (ln.verdict, ln.note)])
