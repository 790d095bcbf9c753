"""Generated layouts: the working set's hand-read rows rendered in every layout family of
issue #12 (tests/layouts.py) must come back out, at least 95% of them in every family.

Families that do not reach the bar yet stay as strict expected failures with the share
measured when they were last looked at, so they flip the day they pass. The figures per
family are printed by `make bench` (bench/bench_layouts.py).
"""

from __future__ import annotations

import pytest

import layouts

BAR = 0.95

# Families below the bar, as strict expected failures with their figure and reason (none now).
# Glued text (family A) passed with issue12g, 0.904 -> 0.974 (categories ending in 值, value-less
# rubrics cut at their management labels, text targets opened by 至少/覆盖 or closed by 已完成100%,
# numbered names written as sentences …). Of its last 10 misses, 3 are hand-read rows named 0 and
# most others text values with no cue of any family (补助资金按时到期补助资金及时到位100%): see
# notes/issue12g-readme.md.
NOT_YET: dict[str, str] = {}


@pytest.mark.parametrize("family", [
    pytest.param(f, marks=pytest.mark.xfail(reason=NOT_YET[f], strict=True)) if f in NOT_YET else f
    for f in layouts.TEXT_FAMILIES + layouts.BINARY_FAMILIES
])
def test_family_recovers_the_hand_read_rows(family, tmp_path):
    if family in ("docx", "xlsx"):
        pytest.importorskip("docx" if family == "docx" else "openpyxl")
    got, n = layouts.measure(family, tmp_path)
    assert n >= 300
    assert got / n >= BAR, f"{family}: {got}/{n} = {got / n:.3f}"


def test_the_generator_never_uses_held_out_filings():
    assert not {f.doc_id for f in layouts.forms()} & layouts.heldout()


def test_every_family_renders_every_row():
    form = layouts.forms()[0]
    for fam in layouts.TEXT_FAMILIES:
        text = layouts.render_text(form, fam)
        for _, _, name, target, _ in form.rows:
            assert name in text.replace(" ", "").replace("|", "").replace("\t", "").replace("\n", "")
