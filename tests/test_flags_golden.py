"""Golden flags: every flag the review raises on a filing, against lines judged by reading it.

tests/golden/flags/<stem>.tsv holds one line per flag with a verdict (see flag_golden.py).
The test fails when a flag appears that has no line (run ``scripts/unjudged_flags.py`` to
list it with its text and add it as ``unjudged``; then read it and give the verdict), when a
line is still ``unjudged``, or when a judged flag disappears. A flag judged ``wrong`` is also
a strict expected failure of its own: the day the review stops raising it, that test passes
and says to remove the line. No mode rewrites the files.
"""

from __future__ import annotations

import functools
from collections import Counter

import pytest

from flag_golden import GOLDEN, flag_key, load
from golden_rows import raw_path
from pipeline.run.batch import process_file

STEMS = sorted(p.stem for p in GOLDEN.glob("*.tsv"))


@functools.cache
def current(stem: str) -> list[tuple[str, ...]]:
    res = process_file(str(raw_path(stem)))
    assert res.error is None, res.error
    return [flag_key(f) for f in res.flags]


def test_there_are_golden_flag_files_for_every_seed():
    assert {s for s in STEMS if "_" in s} >= {"000_0bc3dd4ae087ad7a", "001_d4a61a06f04ad918", "002_2ce996c71ca4daff",
                                                "003_552fed3c714631ba", "004_bf38c9880e42d804"}


@pytest.mark.parametrize("stem", STEMS)
def test_flags_match_golden(stem):
    got = Counter(current(stem))   # cached: the wrong-line tests below reuse the run
    lines = load(stem)
    want = Counter(ln.key for ln in lines if ln.verdict != "missed")
    missed = Counter(ln.key for ln in lines if ln.verdict == "missed")
    appeared, disappeared = got - want - missed, want - got
    unjudged = [ln.key for ln in lines if ln.verdict == "unjudged"]
    assert not appeared and not disappeared and not unjudged, (
        f"{stem}: flags changed.\n  new (not judged): {sorted(appeared)}\n  gone: {sorted(disappeared)}\n"
        f"  unjudged lines: {unjudged}\n"
        "List new flags with their text: .venv/bin/python scripts/unjudged_flags.py " + stem +
        " --append; read each, set its verdict; remove a gone line only if its disappearance is right.")


WRONG = [(stem, ln) for stem in STEMS for ln in load(stem) if ln.verdict == "wrong"]


@pytest.mark.parametrize("stem, line", [pytest.param(s, ln, id=f"{s}-{ln.key[3]}-{ln.key[1]}") for s, ln in WRONG])
@pytest.mark.xfail(strict=True, reason="a flag judged wrong: still raised until the review is fixed")
def test_flag_judged_wrong_is_gone(stem, line):
    assert line.key not in current(stem), f"{line.key[3]} row {line.key[1]}: {line.note}"


MISSED = [(stem, ln) for stem in STEMS for ln in load(stem) if ln.verdict == "missed"]


@pytest.mark.parametrize("stem, line", [pytest.param(s, ln, id=f"{s}-{ln.key[3]}-{ln.key[1]}") for s, ln in MISSED])
@pytest.mark.xfail(strict=True, reason="a flag judged right that the review no longer raises: a recall loss, "
                   "kept until it fires again (then set the line back to right)")
def test_flag_judged_right_but_missed_fires(stem, line):
    assert line.key in current(stem), f"{line.key[3]} row {line.key[1]}: {line.note}"


def test_every_line_has_a_verdict_and_wrong_or_unsure_say_why():
    for stem in STEMS:
        for ln in load(stem):
            assert ln.verdict in ("right", "wrong", "unsure", "unjudged", "missed")
            if ln.verdict in ("wrong", "unsure", "missed"):
                assert ln.note, f"{stem}: {ln.key} is {ln.verdict} without a note"
