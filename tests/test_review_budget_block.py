"""The funding block of self-evaluation forms and the budget figures of sentences.

Synthetic blocks in the layouts of the provinces' forms (running text with spaces, ``|``
rows, one cell per line): each inconsistency the hand-checking of self-evaluations found
fires, and the readings that gave false alarms (a misplaced column read as the rate, a
total compared with part of its sources, a budget score left out of the 总分) stay quiet.
"""

from __future__ import annotations

import pytest

from pipeline.review.budget_block import read_budget_block, read_budget_blocks
from pipeline.review.budget_checks import check_block
from pipeline.review.sentences import review_sentences, sentence_facts
from pipeline.run.batch import process_file

ANHUI = ("项目资金（万元） 年初预算数 全年预算数(A) 全年执行数(B) 分值 执行率(B/A) 得分\n"
         "年度资金总额： {b} {b} {s} 10 {r} {score}\n"
         "其中：本年财政拨款 {p1} {p1} {q1} - -\n"
         "上年结转资金 {p2} {p2} {q2} - -\n"
         "其他资金 - -\n"
         "年度总体目标完成情况 预期目标 实际完成情况\n")
SICHUAN = ("预算执行情况(10分) | 年度预算数(万元) | 年初预算 | 调整后预算数 | 预算执行数 | 预算执行率 | 权重 | 得分 | 原因 |\n"
           "总额 | {b} | {b} | {s} | {r} | 10 | {score} |\n"
           "其中:财政资金 | {b} | {b} | {s} | {r} | / | / |\n"
           "其他资金 | | | | | / | / |\n")
CELL_PER_LINE = "\n".join(["全年预算数 |", "全年执行数 |", "分值 |", "执行率(B/A) |", "得分 |", "年度资金总额: |",
                           "{b} |", "{s} |", "10 |", "{r} |", "{score} |", "其中:中央资金 |", "{b} |", "{s} |",
                           "其他资金 |", "资金管理情况 |"])


def _flags(text):
    block = read_budget_block(text)
    assert block is not None
    flags, status = check_block(block, "t.txt")
    return sorted(f.code for f in flags), status


@pytest.mark.parametrize("form", [ANHUI.replace("{p1}", "80").replace("{p2}", "20").replace("{q1}", "70").replace("{q2}", "10.45"), SICHUAN, CELL_PER_LINE])
def test_a_consistent_block_is_read_and_raises_nothing(form):
    codes, status = _flags(form.format(b=100, s="80.45", r="80.45%", score="8.05"))
    assert codes == []
    assert status["block_rate"] == "ran" and status["block_score"] == "ran"


@pytest.mark.parametrize("form", [ANHUI.replace("{p1}", "80").replace("{p2}", "20").replace("{q1}", "70").replace("{q2}", "10.45"), SICHUAN, CELL_PER_LINE])
def test_rate_stated_100_where_spent_over_budget_is_80_45(form):
    codes, _ = _flags(form.format(b=100, s="80.45", r="100%", score="10"))
    assert codes == ["RATE_MISMATCH"]


@pytest.mark.parametrize("form", [SICHUAN, CELL_PER_LINE])
def test_budget_score_9_where_points_times_rate_gives_9_9(form):
    codes, _ = _flags(form.format(b=100, s="99", r="99%", score="9"))
    assert codes == ["BUDGET_SCORE_MISMATCH"]


def test_rate_over_100_capped_and_rate_rounded_or_truncated_are_fine():
    assert _flags(SICHUAN.format(b=100, s="102.59", r="100%", score="10"))[0] == []
    assert _flags(SICHUAN.format(b="9597603.49", s="9391037.56", r="97.84%", score="9.78"))[0] == []


def test_funding_parts_that_add_to_more_than_the_total():
    text = ANHUI.format(b="171.41", s="171.41", r="100%", score="10", p1="150.00", q1="150.00", p2="82.21",
                        q2="21.41")
    codes, status = _flags(text)
    assert codes == ["BUDGET_SUM_MISMATCH", "BUDGET_SUM_MISMATCH"] and status["block_sum"] == "ran"   # 年初, 全年


def test_a_part_row_with_fewer_values_than_money_columns_stops_the_sum():
    text = ANHUI.format(b="171.41", s="171.41", r="100%", score="10", p1="150.00", q1="150.00", p2="82.21",
                        q2="").replace("82.21 82.21  - -", "82.21 82.21 - -")
    codes, status = _flags(text)
    assert codes == [] and status["block_sum"] == "inputs present, rows not read completely"


def test_a_row_whose_cells_cannot_be_placed_is_not_summed_nor_checked():
    # seven values under six columns: which one is extra cannot be told
    text = ("年初预算数 全年预算数 全年执行数 分值 执行率 得分\n年度资金总额： 28.1 28.1 28.1 28.1 10 100% 10\n"
            "其中：中央资金 20 20 20 20 10 100% 10\n其他资金\n")
    codes, status = _flags(text)
    assert codes == []
    assert status["block_rate"].startswith("inputs present") and status["block_sum"].startswith("inputs present")


def test_no_percentage_and_too_few_values_is_not_read_as_a_rate():
    # 分值 10 must not become the 执行率 when the rate cell is empty
    text = "全年预算数 全年执行数 执行率 分值 得分\n年度资金总额： 100 80 10\n其中：财政拨款 100 80\n"
    codes, status = _flags(text)
    assert codes == [] and status.get("block_rate") != "ran"


def test_glued_cells_cut_by_the_stated_rate_are_not_checked_against_it():
    # 40004000100% cuts well-formed as 4000 | 4000 | 100% and as 4000400 | 0 | 100% …: only the
    # first gives the stated rate, so the row is read, but its rate is no finding
    text = "全年预算数 全年执行数 预算执行率(B/A)\n年度资金总额:40004000100%\n其中：中央补助 4000 4000 100%\n"
    block = read_budget_block(text)
    assert block is not None and block.total is not None and block.total.split == "rate"
    assert block.total.get("spent") == 4000 and block.total.get("budget") == 4000
    flags, status = check_block(block, "t")
    assert flags == [] and status["block_rate"].startswith("glued cells cut by the stated rate")


def test_every_project_of_a_multi_project_filing_has_its_block():
    one = SICHUAN.format(b=100, s=100, r="100%", score=10)
    assert len(read_budget_blocks(one + "评价结论 | 好 |\n" + one)) == 2


def test_budget_score_completes_the_total_score(tmp_path):
    text = (SICHUAN.format(b=100, s=100, r="100%", score=10)
            + "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因\n"
            "产出指标\t数量指标\t培训人数\t100人\t100人\t50\t50\t\n"
            "效益指标\t社会效益指标\t就业率\t≥60%\t70%\t40\t40\t\n"
            "合计\t\t\t\t\t100\t100\t\n")
    p = tmp_path / "selfeval.txt"
    p.write_text(text, encoding="utf-8")
    res = process_file(str(p))
    assert res.error is None
    assert not {f.code for f in res.flags} & {"WEIGHT_SUM_MISMATCH", "SCORE_SUM_MISMATCH"}


# ------------------------------------------------------------------ sentences

@pytest.mark.parametrize("sentence", [
    "2.培训经费，预算 6.73 万元，支出 4.73 万元，执行率为 70.26%。",
    "培训经费全年预算数 6.73 万元，全年执行数 4.73 万元，预算执行率 70.26%。",
    "培训经费安排资金6.73万元，实际使用4.73万元，资金使用率70.26%。",
])
def test_a_rate_that_does_not_fit_its_own_figures_in_any_wording(sentence):
    flags = review_sentences(sentence, "r.txt")
    assert [f.code for f in flags] == ["RATE_MISMATCH"]
    assert "70.28%" in flags[0].message


def test_a_spend_in_yuan_beside_a_budget_in_wan():
    flags = review_sentences("3.慰问经费，预算 9 万元，支出 8.27 元，执行率为 91.89%。", "r.txt")
    assert [f.code for f in flags] == ["UNIT_SUSPECT"]


def test_a_filing_level_rate_stated_alone_against_the_filings_figures():
    text = ("本部门全年预算数 3040.19 万元，全年执行数 2947.37 万元，预算执行率为 96.95%。\n"
            "扣分原因：部门预算资金支出率 96.93%，扣 0.31 分。\n"
            "其中项目支出执行率 92%。\n")
    flags = review_sentences(text, "r.txt")
    assert [(f.code, f.row) for f in flags] == [("RATE_MISMATCH", 2)]


def test_two_projects_in_one_sentence_are_not_paired():
    text = "甲项目预算 10 万元、乙项目预算 20 万元，共支出 25 万元，执行率 80%。"
    assert review_sentences(text, "r.txt") == []
    assert sentence_facts("预算 10 万元，支出 9 万元，执行率 90%。")[0].rate == 90


# ---- cells glued without separators (OCR, flattened web pages): read where only one cut fits

GLUED_WHOLE = ("资金情况(万元)全年预算数全年执行数分值执行率(B/A)得分年度资金总额:{run}其中:本年财政拨款{part}其他资金"
               "年度总体目标年初设定目标\n")


def test_glued_block_with_unit_words_has_one_well_formed_cut_and_its_rate_is_checked():
    text = "项目资金 (万元)全年预算数全年执行数执行率\n年度资金总额50万元47.6895.00%\n其中:中央财政补助50万元47.6895.00%\n地方资金\n"
    block = read_budget_block(text)
    assert block is not None and block.total.split == "unique"
    assert (block.total.get("budget"), block.total.get("spent"), block.total.get("rate")) == (50, 47.68, 95)
    codes, status = _flags(text)
    assert codes == ["RATE_MISMATCH"] and status["block_rate"] == "ran"   # 47.68 / 50 = 95.36 %


def test_glued_header_and_rows_in_one_run_are_read_and_the_score_is_checked():
    # 20 | 20 | 10 | 100.00% | 9: the only cut whose rate fits; the score 9 ≠ 10 × 100 %
    codes, status = _flags(GLUED_WHOLE.format(run="202010100.00%9", part="2020"))
    assert codes == ["BUDGET_SCORE_MISMATCH"] and status["block_score"] == "ran"
    assert status["block_rate"].startswith("glued cells cut by the stated rate")
    assert _flags(GLUED_WHOLE.format(run="202010100.00%10", part="2020"))[0] == []


def test_glued_cells_that_cut_several_ways_are_not_read():
    # 1234 under 全年预算数 / 全年执行数 without a rate: 1 | 234, 12 | 34, 123 | 4 — no cut is sure
    text = "全年预算数 全年执行数 分值\n年度资金总额:1234\n其中:财政拨款 1 234\n资金管理情况\n"
    block = read_budget_block(text)
    assert block is not None and not block.total.aligned and not block.total.split


def test_a_total_row_after_its_parts_closes_the_block():
    text = "资金来源预算数(A)执行数(B)执行率(B/A)一般预算内拨款6363100%其他资金2020100%合计8383100%年度绩效目标\n"
    block = read_budget_block(text)
    assert block is not None and block.total is not None and block.total.name == "合计"
    assert [p.get("budget") for p in block.parts] == [63, 20]
    codes, status = _flags(text)
    assert codes == [] and status["block_sum"] == "ran"
    codes, _ = _flags(text.replace("合计8383100%", "合计9090100%"))
    assert codes == ["BUDGET_SUM_MISMATCH"] * 2   # 预算数 and 执行数: 63 + 20 = 83, not 90


def test_a_percentage_of_glued_cells_in_a_sentence_is_no_rate():
    # 预算数 执行数 执行率 一般预算内拨款6363100%: 63 | 63 | 100%, not a rate of 6,363,100 %
    text = ("项目名称森林防火专项经费主管部门某局预算执行情况(万元)资金来源预算数(A)执行数(B)执行率(B/A)"
            "一般预算内拨款6363100%合计6363100%年度绩效目标完成情况\n")
    assert all(f.rate is None or f.rate <= 1000 for f in sentence_facts(text))
    assert review_sentences(text, "t.txt", 100.0) == []
