"""Score-table and budget arithmetic on a small self-evaluation in the seeds' own layout.

The seeds add up (seed 004's blocks and its 98.75 are checked in test_review); these cases
break one figure at a time, so each check is shown to fire on the figure it is about and
to stay quiet when the table is consistent.
"""

from __future__ import annotations

import pytest

from pipeline.run.batch import process_file

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


def test_an_achievement_equal_to_the_rows_points_is_a_slid_cell_not_a_shortfall(tmp_path):
    # 完成值 holds 20, the row's 分值, where the achievement belongs: no SHORTFALL, no rule mismatch
    head = "一级指标\t二级指标\t三级指标\t计量单位\t年度指标值\t实际完成值\t分值\t得分\t偏差原因\n"

    def run(actual):
        p = tmp_path / f"slid{actual}.tsv"
        p.write_text(head + f"产出指标\t数量指标\t培训人数\t人\t550\t{actual}\t20\t20\t\n"
                     "满意度指标\t服务对象满意度指标\t学员满意度\t%\t90\t92\t80\t80\t\n", encoding="utf-8")
        return {f.code for f in process_file(str(p)).flags}

    assert not run("20") & {"SHORTFALL", "SCORE_RULE_MISMATCH"}
    assert "SHORTFALL" in run("500")


def test_header_totals_with_a_source_they_do_not_list_are_not_summed(tmp_path):
    # 60 + 30 is not 100, but 上年结转 10 is a source the totals do not carry: no sum over part of them
    p = tmp_path / "carry.tsv"
    p.write_text(HEAD.format(total="100").replace("其他资金\t30\n", "其他资金\t30\t上年结转\t10\n")
                 + TABLE.format(s1="20", w3="30", s3="30", sat="≥90%", total_score="100"), encoding="utf-8")
    assert "BUDGET_SUM_MISMATCH" not in {f.code for f in process_file(str(p)).flags}


def test_no_missing_score_on_a_row_the_text_stops_in(tmp_path):
    # the excerpt ends inside the last row (≥9… with no closing pipe): its 得分 was cut away
    text = ("一级指标 | 二级指标 | 三级指标 | 分值 | 年度指标值 | 实际完成值 | 得分 |\n"
            "产出指标 | 数量指标 | 培训人数 | 90 | 100人 | 100人 | 90 |\n"
            "满意度指标 | 服务对象满意度指标 | 学员满意度 | 10 | >=9")
    p = tmp_path / "cut.txt"
    p.write_text(text, encoding="utf-8")
    assert "SCORE_MISSING" not in {f.code for f in process_file(str(p)).flags}
