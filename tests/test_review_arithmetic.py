"""Score-table and budget arithmetic on a small self-evaluation in the seeds' own layout.

The seeds add up (seed 004's blocks and its 98.75 are checked in test_review); these cases
break one figure at a time, so each check is shown to fire on the figure it is about and
to stay quiet when the table is consistent.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.batch import process_file

HEAD = "项目名称\t残疾人职业技能培训\n资金总额（万元）\t{total}\t财政拨款\t60\t其他资金\t30\n"
TABLE = ("一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因\n"
         "产出指标\t数量指标\t培训人数\t100人\t100人\t20\t{s1}\t\n"
         "产出指标\t质量指标\t培训合格率\t≥90%\t95%\t20\t20\t\n"
         "效益指标\t社会效益指标\t就业率\t≥60%\t70%\t{w3}\t{s3}\t\n"
         "满意度指标\t服务对象满意度指标\t学员满意度\t{sat}\t92%\t30\t30\t\n"
         "合计\t\t\t\t\t100\t{total_score}\t\n")


def codes(tmp_path, *, total="90", s1="20", w3="30", s3="30", sat="≥90%", total_score="100"):
    p = tmp_path / "selfeval.tsv"
    p.write_text(HEAD.format(total=total) + TABLE.format(s1=s1, w3=w3, s3=s3, sat=sat, total_score=total_score),
                 encoding="utf-8")
    res = process_file(str(p))
    assert res.error is None
    return sorted(f.code for f in res.flags)


def test_a_consistent_table_raises_nothing(tmp_path):
    assert codes(tmp_path) == []


@pytest.mark.parametrize("change, expected", [
    ({"total": "100"}, ["BUDGET_SUM_MISMATCH"]),                       # 60 + 30 is not 100
    ({"s1": "25", "total_score": "105"}, ["SCORE_OVER_WEIGHT", "SCORE_RULE_MISMATCH"]),   # 25 of 20 points
    ({"w3": "20", "s3": "20", "total_score": "90"}, ["WEIGHT_SUM_MISMATCH"]),   # points add up to 90, total says 100
    ({"total_score": "98"}, ["SCORE_SUM_MISMATCH"]),                     # scores add up to 100
    ({"sat": "≥80%"}, ["SATISFACTION_LOW"]),                             # under the 85% floor of configs/review.yaml
])
def test_each_broken_figure_is_flagged(tmp_path, change, expected):
    assert codes(tmp_path, **change) == expected


_PIECES = st.lists(st.sampled_from(["预算", "支出", "执行", "执行率", "为", "100", "95.5", "万元", "元", "%", "，",
                                     ",", "；", "项目", "市区两级", " ", "1."]), max_size=6).map("".join)
# a budget line (name, 预算, amount, 支出, amount, 执行率, rate) with random pieces around and between
_LINE = st.tuples(_PIECES, st.sampled_from(["预算", "预算数", "市区两级预算"]), st.sampled_from(["100", "1,200", "95.5"]),
                  st.sampled_from(["万元", "元"]), _PIECES, st.sampled_from(["支出", "共支出", "执行数", "执行"]),
                  st.sampled_from(["95", "80.5"]), st.sampled_from(["万元", "元", "万"]), _PIECES,
                  st.sampled_from(["执行率", "支出率为", "执行率达"]), st.sampled_from(["95", "9.5"]), st.just("%"),
                  _PIECES).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(_LINE, _PIECES))
def test_budget_line_search_tried_only_where_a_match_can_start_equals_the_plain_search(text):
    """_prose_line tries the budget-line pattern at the start and after each separator only:
    the same match as searching at every position (which was quadratic on long sentences)."""
    from pipeline.review_filing import _PROSE_LINE, _prose_line

    want, got = _PROSE_LINE.search(text), _prose_line(text)
    assert (want is None) == (got is None)
    if want is not None:
        assert want.span() == got.span() and want.groupdict() == got.groupdict()


def test_budget_line_search_examples():
    from pipeline.review_filing import _PROSE_LINE, _prose_line

    for text in ("1.残疾人康复项目，预算数100万元，支出95万元，执行率95%。",
                 "其中，市区两级预算 80 万元，执行 60 万元，执行率 75 %；",
                 "项目预算100万元支出95万元执行率95%", "没有预算的句子。", "预算100万元，执行率95%"):
        want, got = _PROSE_LINE.search(text), _prose_line(text)
        assert (want and want.span()) == (got and got.span()), text
