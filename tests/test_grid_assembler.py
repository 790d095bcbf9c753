"""Grid tables read by the one assembler: each family of grid rows the grid reader handled, on a
made-up table. The expected rows, rejects and totals are what the grid reader gave on the same
tables (compared row for row before it was deleted, issue 12). No filing is named."""

from __future__ import annotations

from pipeline.extract.cell_lexicon import StreamCell
from pipeline.extract.read import extract
from pipeline.extract.roles import row_roles
from pipeline.ingest.text_reader import read_text


def _read(text: str):
    return extract(read_text(text.encode(), "x.txt"))


def _rows(ex, *fields: str):
    return [tuple(getattr(r, f) for f in fields) for r in ex.rows]


def _reasons(ex):
    return [(j.table, j.row, j.reason) for j in ex.rejects]


LEVELS = ("level1_filed", "level2_filed", "name", "target_raw")


def test_rows_whose_merged_cells_were_dropped_slide_left():
    ex = _read("\n".join([
        "| 一级指标 | 二级指标 | 三级指标 | 指标值 |",
        "| 产出指标 | 数量指标 | 培训人数 | 300人 |",
        "| 培训场次 | 12场 |",
        "| 质量指标 | 培训合格率 | ≥95% |",
    ]))
    assert _rows(ex, *LEVELS) == [
        ("产出指标", "数量指标", "培训人数", "300人"),
        ("产出指标", "数量指标", "培训场次", "12场"),
        ("产出指标", "质量指标", "培训合格率", "≥95%"),
    ]
    assert _reasons(ex) == [(1, 1, "header")] and ex.rows_read == 4


def test_row_roles_align_by_content_with_the_column_as_tie_breaker():
    cols = {0: "level1", 1: "level2", 2: "name", 3: "target"}
    cells = [StreamCell("NAME", "培训场次", 5, whole=True, col=0, row=2),
             StreamCell("VAL", "12场", 5, whole=True, col=1, row=2)]
    end, roles = row_roles(cells, 0, cols)
    assert end == 2 and roles == {0: "name", 1: "target"}


def test_a_self_evaluation_with_points_a_total_and_a_sign_off():
    ex = _read("\n".join([
        "| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |",
        "| 产出指标 | 数量指标 | 培训人数 | 300人 | 320人 | 10 | 10 |",
        "| | 质量指标 | 培训合格率 | ≥95% | 98% | 10 | 9 |",
        "| 效益指标 | 社会效益指标 | 就业率 | ≥80% | 85% | 20 | 20 |",
        "| 合计 | | | | | 40 | 39 |",
        "| 填表人: 张三 | 联系电话: 123 |",
    ]))
    assert _rows(ex, "name", "target_raw", "actual_raw", "weight", "score", "level1_inherited") == [
        ("培训人数", "300人", "320人", "10", "10", False),
        ("培训合格率", "≥95%", "98%", "10", "9", True),
        ("就业率", "≥80%", "85%", "20", "20", False),
    ]
    assert ex.totals == [(1, ["40", "39"])]
    assert _reasons(ex) == [(1, 1, "header"), (1, 5, "total row"), (1, 6, "end of indicator table")]


def test_a_header_wrapped_over_two_rows_with_history_sub_headers():
    ex = _read("\n".join([
        "| 一级 | 二级 | 三级 | 指标值 | |",
        "| 指标 | 指标 | 指标 | | |",
        "| | | | 近两年指标值 | 预期当年实现值 |",
        "| | | | 前年 | 上年 |",
        "| 产出指标 | 数量指标 | 培训人数 | 280人 | 290人 | 300人 |",
        "| | | 培训场次 | 10场 | 11场 | 12场 |",
    ]))
    assert _rows(ex, "name", "target_raw", "history_raw") == [("培训人数", "300人", "280人 / 290人"),
                                                              ("培训场次", "12场", "10场 / 11场")]
    assert [r for _, _, r in _reasons(ex)] == ["header"] * 4


def test_a_row_cut_by_a_page_break_is_joined_to_its_other_half():
    ex = _read("\n".join([
        "| 一级指标 | 二级指标 | 三级指标 | 指标值 |",
        "| 产出指标 | 时效指标 | 办结率 | 100% |",
        "| | | | 标准:100% |",
        "| | | 审批及时率 | 标准:100% |",
        "| | | 受理时长 | 3天 |",
    ]))
    assert _rows(ex, "row", "name", "target_raw") == [(2, "办结率", "100%"), (3, "审批及时率", "标准:100%"),
                                                      (5, "受理时长", "3天")]
    assert _reasons(ex) == [(1, 1, "header"), (1, 4, "joined to the row above (split by a page break)")]


def test_a_listing_cell_gives_one_row_per_management_item():
    # tab-separated (a pipe table's cells lose their inner blanks)
    ex = _read("\n".join([
        "一级指标\t二级指标\t三级指标\t指标值\t分值\t得分",
        "投入管理指标\t\t预算编审管理 预算执行管理 资产管理\t按文件规定设置\t7.50\t7.50",
        "10.20\t10.15",
        "0.90\t0.90",
        "产出指标\t数量指标\t培训人数\t300人\t10\t10",
    ] + [f"\t\t{name}\t{value}\t10\t10" for name, value in [("培训场次", "12场"), ("合格率", "95%"), ("满意度", "90%")]]))
    assert _rows(ex, "row", "level1_filed", "name", "weight", "score", "detail")[:3] == [
        (2, "投入管理指标", "预算编审管理", "7.50", "7.50", "按文件规定设置"),
        (3, "投入管理指标", "预算执行管理", "10.20", "10.15", "按文件规定设置"),
        (4, "投入管理指标", "资产管理", "0.90", "0.90", "按文件规定设置"),
    ]
    assert len(ex.rows) == 7 and ex.rows_read == 8


def test_a_category_row_and_a_section_label_in_the_first_column():
    ex = _read("\n".join([
        "| 一级指标 | 二级指标 | 三级指标 | 实施周期指标值 | 年度指标值 |",
        "| 绩效指标 | 产出指标 | 康复服务人次 | 资助例数 | 预计资助1920例 |",
        "| | | 托养人数 | 托养服务 | 预计资助93人 |",
        "| 效益指标 | | 社会效益指标 | 未达指标值酌情扣分 | |",
        "| | | 群众满意度 | | ≥90% |",
    ]))
    assert _rows(ex, *LEVELS, "detail", "extra") == [
        ("产出指标", "", "康复服务人次", "预计资助1920例", "资助例数", "绩效指标"),
        ("产出指标", "", "托养人数", "预计资助93人", "托养服务", ""),
        ("效益指标", "社会效益指标", "群众满意度", "≥90%", "", ""),
    ]
    assert _reasons(ex) == [(1, 1, "header"), (1, 4, "category row without an indicator")]


def test_indicators_in_the_description_column():
    ex = _read("\n".join([
        "| 指标类型 | 指标名称 | 指标值 | 指标描述 |",
        "| 产出指标 | 数量指标 | 300万㎡ | 完成绿地养护面积 |",
        "|  |  | 12次 | 开展病虫害防治次数 |",
        "|  | 质量指标 | ≥95% | 绿地养护达标率 |",
    ]))
    assert _rows(ex, *LEVELS) == [
        ("产出指标", "数量指标", "完成绿地养护面积", "300万㎡"),
        ("产出指标", "数量指标", "开展病虫害防治次数", "12次"),
        ("产出指标", "质量指标", "绿地养护达标率", "≥95%"),
    ]


def test_a_management_word_alone_names_a_score_tables_row():
    ex = _read("\n".join([
        "| 一级指标 | 二级指标 | 三级指标 | 指标值 | 分值 | 得分 |",
        "| 过程 | 资金管理 | 资金到位率 | 100% | 5 | 5 |",
        "| | | 财务管理 | | | |",
        "| | | 资金使用合规性 | 合规 | 5 | 5 |",
    ]))
    assert _rows(ex, *LEVELS, "weight") == [("过程", "资金管理", "资金到位率", "100%", "5"),
                                            ("过程", "资金管理", "财务管理", "", ""),
                                            ("过程", "资金管理", "资金使用合规性", "合规", "5")]
    assert _reasons(ex) == [(1, 1, "header")]


def test_first_levels_in_the_second_column_under_a_level_above():
    # 实施效果指标 | 产出指标: the 二级 column holds first levels; the next 效益指标, in the 一级
    # column with its 二级 cell blank, is the second level of that block (and its first level
    # only carried down: level1_inherited)
    ex = _read("\n".join([
        "| 一级指标 | 二级指标 | 三级指标 | 指标值 |",
        "| 实施效果指标 | 产出指标 | 建设项目个数 | 3个 |",
        "| | | 建成道路长度 | 12公里 |",
        "| 效益指标 | | 受益人数 | 500人 |",
        "| | | 群众满意度 | ≥90% |",
    ]))
    assert _rows(ex, "level1_filed", "level2_filed", "name", "level1_inherited") == [
        ("实施效果指标", "产出指标", "建设项目个数", False), ("实施效果指标", "产出指标", "建成道路长度", False),
        ("实施效果指标", "效益指标", "受益人数", True), ("实施效果指标", "效益指标", "群众满意度", True)]


def test_a_header_carried_into_the_next_grid_table():
    # a table broken by a page break: the second grid has no header row of its own
    ex = _read("\n".join([
        "| 一级指标 | 二级指标 | 三级指标 | 指标值 |",
        "| 产出指标 | 数量指标 | 培训人数 | 300人 |",
        "| | | 培训场次 | 12场 |",
        "",
        "第 2 页",
        "",
        "| | 质量指标 | 培训合格率 | ≥95% |",
        "| | | 结业率 | ≥90% |",
    ]))
    assert _rows(ex, "table", *LEVELS) == [
        (1, "产出指标", "数量指标", "培训人数", "300人"), (1, "产出指标", "数量指标", "培训场次", "12场"),
        (1, "", "质量指标", "培训合格率", "≥95%"), (1, "", "质量指标", "结业率", "≥90%")]
