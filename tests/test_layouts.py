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

NOT_YET = {
    # glued text with no separator at all (0.726 before issue12c): of the 36 rows still missed,
    # 11 are one value-less rubric of management words without points (项目目标目标内容决策过程
    # 决策依据…: labels and items cannot be told apart without a lexicon of them), 4 a form
    # whose categories end in 值 (产出值数量值), 3 hand-read rows named 0, and most of the rest
    # text values glued to names with no word of the lexicon between them (宣传教育覆盖全区所有
    # 人员, 提交报告及时性在项目计划完成时间内完成)
    "glued": "0.910: a value-less rubric without points; categories in 值; text values glued to names",
}


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
