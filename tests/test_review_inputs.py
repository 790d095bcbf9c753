"""A flag only as sure as its inputs (issue 15, round 3): rows that are no indicator, cells cut
out of glued text, numbers read from another line, rows the text cuts, and truncation named
by the evidence the text shows. Synthetic texts in the layouts these families come in."""

from __future__ import annotations

import pytest

from pipeline.review.inputs import (
    category_in_name,
    glued_cells,
    header_line,
    heading_line,
    label_before_name,
    label_fragment,
    numbers_lead,
    strip_glosses,
    value_as_name,
    value_before_name,
)
from pipeline.core.document import Document, Row, Table
from pipeline.core.flags import review_rules
from pipeline.extract.facts import FilingInfo
from pipeline.extract.read import _mark_cut_rows
from pipeline.extract.rows import Extraction, IndicatorRow
from pipeline.review.dimensions import missing_dimension as _missing_dimension
from pipeline.review.kinds import fit_to_kind
from pipeline.run.batch import process_file

HEADER = "一级指标\t二级指标\t三级指标\t指标值\n"


def _flags(tmp_path, text, name="filing.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    res = process_file(str(p))
    assert res.error is None
    return res.flags


@pytest.mark.parametrize("name", ["逐步提高", "稳步推进", "应改尽改", "已完成", "良好", "达(dá)标(biāo)。"])
def test_review_inputs_value_wording_read_as_a_name_is_no_indicator(name):
    assert value_as_name(name)


@pytest.mark.parametrize("name", ["资金到位率", "培训合格率", "项目完成及时率", "群众满意度", "销量显著提高"])
def test_review_inputs_an_indicator_name_is_not_value_wording(name):
    assert not value_as_name(name)


@pytest.mark.parametrize("name, cut", [("社会(huì)", True), ("规划(", True), ("服务对象", True),
                                       ("社会效益", False), ("补助标准", False), ("培训人数", False)])
def test_review_inputs_a_cut_category_label_is_a_fragment(name, cut):
    assert label_fragment(name) is cut


def test_review_inputs_pinyin_glosses_are_removed_before_reading_a_name():
    assert strip_glosses("资助经(jīng)费(fèi)发(fā)放率") == "资助经费发放率"
    assert category_in_name("数(shù)量指标(biāo):资助贫困子女1966人") == "数量指标"
    assert category_in_name("1、时效指标：按时发放") == "时效指标"
    assert category_in_name("培训人数") == ""


def test_review_inputs_cells_cut_from_a_run_without_separators_are_glued():
    assert glued_cells("建设省道二级公路32.1公里", "2020", "数量指标建设省道二级公路32.1公里2020")
    assert not glued_cells("培训人数", "100人", "数量指标\t培训人数\t100人")
    assert not glued_cells("逐步提高", "3", "逐步提高")   # one cell a line: the target is on another line


def test_review_inputs_a_label_counts_only_where_it_stands_before_the_whole_name():
    line = "质量指标 质量指标 巡查覆盖率 100% 生态效益指标 对控制成本影响程度 效果明显"
    assert label_before_name("生态效益指标", "对控制成本影响程度", line)
    assert label_before_name("质量指标", "巡查覆盖率", line)
    assert not label_before_name("质量指标", "巡查", line)   # 巡查 is only the start of 巡查覆盖率
    assert not label_before_name("数量指标", "巡查覆盖率", line)


def test_review_inputs_numbers_before_the_name_and_header_lines():
    assert numbers_lead("完成质量", "5 5 完成质量")
    assert not numbers_lead("培训人数", "培训人数 100 100")
    assert not numbers_lead("培训人数", "1 培训人数")   # a row number (序号), one cell a line
    assert numbers_lead("执行规范", "3 分)项目执行规范")
    assert header_line("指标说明及评分标准", "指标分值 | 指标解释 | 指标说明及评分标准 | 自评得分 |")
    assert not header_line("培训人数", "产出指标 | 数量指标 | 培训人数 | 100人 |")


def test_review_inputs_a_value_read_as_a_name_gets_no_flag(tmp_path):
    text = ("项目名称\t示例项目\n" + HEADER + "产出指标\t数量指标\t培训人数\t100人\n"
            "效益指标\t社会效益指标\t逐步提高\t3\n满意度指标\t服务对象满意度指标\t学员满意度\t≥90%\n")
    flags = _flags(tmp_path, text)
    assert not [f for f in flags if f.name == "逐步提高"]


def test_review_inputs_glued_cells_lose_unit_flags_but_keep_their_placement(tmp_path):
    # one row a line, its cells glued: 2020 may be 20 | 20 (target and actual) — no MISSING_UNIT;
    # the 满意度 row's category stands in its own line, so the legacy placement is still read
    text = ("项目名称\t示例项目\n" + "一级指标二级指标三级指标指标值\n"
            "产出指标\n数量指标建设普通公路32.1公里2020\n"
            "效益指标\n社会公众或服务对象满意度指标群众满意度≥90%\n")
    flags = _flags(tmp_path, text)
    assert not [f for f in flags if f.code == "MISSING_UNIT"]


def _ctx(name, line, table=1, **cells):
    from pipeline.review.rows import RowCtx
    from pipeline.values.parse import parse_value

    r = IndicatorRow("f.txt", table, line, name=name, **cells)
    return RowCtx(r, parse_value(r.target_raw), parse_value(r.actual_raw))


def test_review_inputs_score_flags_skip_rows_whose_numbers_stand_before_the_name():
    # 5 5 完成质量 / 5 4 完成时效: a reader that looks after the name gave 完成质量 the 4 of the
    # next line; a deduction on it rests on another row's numbers
    lines = ["指标 分值 得分", "5 5 完成质量", "5 4 完成时效"]
    ctxs = [_ctx("完成质量", 2, weight="5", score="4"), _ctx("完成时效", 3, weight="5", score="5")]
    rr = review_rules()
    flags = [rr.flag("DEDUCTION_WITHOUT_REASON", "f.txt", 1, 2, "扣分", name="完成质量"),
             rr.flag("VAGUE_TARGET", "f.txt", 1, 2, "模糊", name="完成质量")]
    kept = fit_to_kind(flags, "self_eval", ctxs, lines)
    assert [f.code for f in kept] == ["VAGUE_TARGET"]
    assert len(fit_to_kind(flags, "self_eval", ctxs, ["指标 分值 得分", "完成质量 5 4", "完成时效 5 5"])) == 2


def test_review_inputs_the_row_a_cut_table_ends_on_is_cut_whoever_read_it():
    doc = Document("f.txt", [Table(0, [Row(["", "数量指标", "补助户数", "101户"], 3, "| | 数量指标 | 补助户数 | 101户 |"),
                                       Row(["", "成本指标", "补助标准", "15"], 4, "| | 成本指标 | 补助标准 | 15")],
                                   truncated=True, cut_cell=True)])
    ex = Extraction(rows=[IndicatorRow("f.txt", 1, 3, name="补助户数"), IndicatorRow("f.txt", 1, 4, name="补助标准")])
    _mark_cut_rows(doc, ex)
    assert [r.cut_off for r in ex.rows] == [False, True]


TARGETS = ("| 项目名称 | 示例项目 | | |\n| 一级指标 | 二级指标 | 三级指标 | 指标值 |\n"
           "| 产出指标 | 数量指标 | 培训人数 | 100人 |\n| 产出指标 | 质量指标 | 培训合格率 | ≥90% |\n")


@pytest.mark.parametrize("tail, evidence", [
    ("| 产出指标 | 时效指标 | 完成时限", "在单元格中断（行尾没有表格的分隔符）"),
    ("| 产出指标 | 时效指标 | 按时完成率 | ≧", "文本止于未写完的单元格「"),
    ("效益指标\n", "文本止于类别「效益指标」，其下没有指标"),
])
def test_review_inputs_a_table_cut_without_a_marker_names_what_shows_the_cut(tmp_path, tail, evidence):
    flags = [f for f in _flags(tmp_path, TARGETS + tail) if f.code == "MISSING_DIMENSION"]
    assert len(flags) == 1 and evidence in flags[0].message, [f.message for f in flags]


def test_review_inputs_a_complete_table_is_still_not_called_cut(tmp_path):
    flags = [f for f in _flags(tmp_path, TARGETS) if f.code == "MISSING_DIMENSION"]
    assert len(flags) == 1 and "截断" not in flags[0].message


def test_review_inputs_a_score_sheet_read_as_a_target_table_misses_no_dimension():
    doc = Document("f.txt", text="一级指标 三级指标 分值 得分\n")
    info = FilingInfo("f.txt", kind="target_table")
    sheet = [_ctx("完成数量", 2, level1_filed="产出指标", weight="10", score="10"),
             _ctx("资金管理", 3, level1_filed="过程指标", weight="5", score="5")]
    for c in sheet:
        c.filed_l1 = c.row.level1_filed
    assert _missing_dimension(doc, info, sheet) == []
    targets = [_ctx("完成数量", 2, level1_filed="产出指标", target_raw="10人")]
    targets[0].filed_l1 = "产出指标"
    assert [f.code for f in _missing_dimension(doc, info, targets)] == ["MISSING_DIMENSION"]


def test_review_inputs_a_value_read_as_the_next_name_is_no_missing_value(tmp_path):
    # one cell a line: 应改尽改 (the value) became the next row's name, so the row above is not
    # missing its value
    text = ("项目名称\t示例项目\n" + HEADER + "产出指标\t数量指标\t培训人数\t100人\n"
            "产出指标\t数量指标\t危房改造户数\t\n产出指标\t数量指标\t应改尽改\t\n"
            "满意度指标\t服务对象满意度指标\t群众满意度\t≥90%\n")
    flags = _flags(tmp_path, text)
    assert not [f for f in flags if f.code == "MISSING_VALUE"], [(f.code, f.name) for f in flags]


def test_review_inputs_a_report_heading_and_a_value_written_first_are_read_as_such():
    assert heading_line("分析", "1.产出指标完成情况分析")
    assert heading_line("完成情况", "（二）效益指标完成情况")
    assert not heading_line("培训人数", "产出指标 培训人数 100人")
    assert not heading_line("效益指标完成情况", "2.效益指标完成情况。该项指标完成100%。")   # a sentence follows
    assert value_before_name("及时、足额发放救助资金", "100%及时、足额发放救助资金,达到应保尽保。")
    assert not value_before_name("培训人数", "培训人数 100人")


def test_review_inputs_a_report_section_heading_gets_no_row_flag(tmp_path):
    text = ("某区民政局关于救助补助资金管理使用情况\n\n  一、资金基本情况\n\n  下达我区111万元。\n\n"
            "  四、资金绩效评价结果\n\n  1.产出指标完成情况分析\n\n  (1)数量指标\n\n"
            "  100%及时、足额发放在册低保人员救助资金,达到应保尽保。\n\n  (2)质量指标\n\n"
            "  救助资金发放准确率100%。按照相关规定发放。\n\n  (3)时效指标\n\n  救助资金发放及时率100%。\n")
    flags = _flags(tmp_path, text, "report.txt")
    assert not [f for f in flags if f.name == "分析" or f.code == "MISSING_VALUE"], [(f.code, f.name) for f in flags]


def test_review_inputs_a_terse_name_with_a_target_of_its_own_keeps_its_flags(tmp_path):
    # 按时完成 | 120%: value wording as a name, but the row has a well-formed target: an indicator
    text = ("项目名称\t示例项目\n" + HEADER + "产出指标\t数量指标\t培训人数\t100人\n"
            "产出指标\t时效指标\t按时完成\t120%\n满意度指标\t服务对象满意度指标\t学员满意度\t≥90%\n")
    assert [f.code for f in _flags(tmp_path, text) if f.name == "按时完成"] == ["PERCENT_OVER_100"]


def test_review_inputs_a_first_level_the_text_shows_above_the_row_is_not_missing_nor_misplaced():
    from pipeline.review.rows import canonical, review_rows

    lines = ["效益指标", "社会效益指标", "特殊教育资源 扩大", "满意度指标", "服务对象满意度指标",
             "残疾学生满意度 90%", "教师满意度 90%"]

    def ctx(name, line, target):
        c = _ctx(name, line, level1_filed="效益指标", level2_filed="服务对象满意度指标", target_raw=target)
        c.filed_l1, c.filed_l2, c.process = canonical(c.row)
        return c

    first = _ctx("特殊教育资源", 3, level1_filed="效益指标", level2_filed="社会效益指标", target_raw="扩大")
    first.filed_l1, first.filed_l2, first.process = canonical(first.row)
    rows = [first, ctx("残疾学生满意度", 6, "90%"), ctx("教师满意度", 7, "90%")]
    assert not [f for f in review_rows(rows, lines) if f.code == "LEGACY_PLACEMENT"]
    # without the label line the reader's 效益指标 is all the text says: the legacy placement stands
    lines_without = lines[:3] + ["", ""] + lines[5:]
    assert [f.code for f in review_rows(rows, lines_without) if f.code == "LEGACY_PLACEMENT"] == ["LEGACY_PLACEMENT"] * 2


def test_review_inputs_a_text_ending_on_a_name_without_value_names_the_cut(tmp_path):
    # one cell a line (a web table flattened): the text stops after a name whose value cells are empty
    text = ("项目名称 |\n林业资金 | |||\n绩效指标 |\n一级指标 |\n二级指标 |\n三级指标 |\n指标值 |\n产出指标 |\n数量指标 |\n"
            "参保人数(人) |\n||\n补助面积(万亩) |\n||||\n防治面积(万亩) |\n||||\n")
    flags = [f for f in _flags(tmp_path, text) if f.code == "MISSING_DIMENSION"]
    assert len(flags) == 1 and "只有名称、没有指标值" in flags[0].message, [f.message for f in flags]
