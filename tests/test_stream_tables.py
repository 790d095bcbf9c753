"""Tables whose rows were lost in the export (``Table.stream``), read from the cell reader's one
stream of cells (issue #12: one reader fewer). Every test is a made-up example of a family."""

from __future__ import annotations

import pytest

from pipeline.extract.read import extract
from pipeline.ingest.text_reader import read_text


@pytest.fixture
def cell_reader():
    """Stream tables are read by the cell reader (the stream reader is gone): kept so that each
    test names the path it pins."""


def _rows(text: str):
    doc = read_text(text.encode(), "x.txt")
    assert any(t.stream for t in doc.tables), "the example must reach the stream-table path"
    ex = extract(doc)
    assert ex.rows_read == len(ex.rows) + len(ex.rejects)
    return [(r.level1_filed, r.level2_filed, r.name, r.target_raw) for r in ex.rows]


def test_running_text_one_row_a_line_under_a_header_line(cell_reader):
    # the format gives the rows (one a line) under a header line: the grid reader reads the
    # cells the cell stream cut, by content
    text = ("项目绩效目标表\n一级指标 二级指标 三级指标 指标值\n"
            "产出指标 数量指标 培训人数 300人\n质量指标 培训合格率 ≥95%\n"
            "效益指标 社会效益指标 就业率提升 ≥60%\n满意度指标 服务对象满意度指标 学员满意度 ≥90%\n")
    got = _rows(text)
    assert ("产出指标", "数量指标", "培训人数", "300人") in got
    assert ("产出指标", "质量指标", "培训合格率", "≥95%") in got
    assert ("满意度指标", "服务对象满意度指标", "学员满意度", "≥90%") in got


def test_one_cell_a_line_with_bare_pipes_between_rows(cell_reader):
    # the format gives the positions: bare pipe lines close each row
    cells = ["一级指标", "二级指标", "三级指标", "指标值"]
    lines = ["项目绩效目标表"] + [c + " |" for c in cells] + ["||||"]
    for row in [("产出指标", "数量指标", "培训人数", "300人"), ("", "质量指标", "培训合格率", "≥95%"),
                ("效益指标", "社会效益指标", "就业率", "≥60%")]:
        lines += [c + " |" for c in row if c] + ["||||"]
    got = _rows("\n".join(lines) + "\n")
    assert ("产出指标", "数量指标", "培训人数", "300人") in got
    assert ("产出指标", "质量指标", "培训合格率", "≥95%") in got
    assert ("效益指标", "社会效益指标", "就业率", "≥60%") in got


def test_one_cell_a_line_without_positions_is_read_by_content(cell_reader):
    # no blank line or pipe places the cells: the categories, names and values say where rows are
    cells = ["一级指标", "二级指标", "三级指标", "指标值", "产出指标", "数量指标", "培训人数", "300人",
             "质量指标", "培训合格率", "≥95%", "效益指标", "社会效益指标", "就业率", "≥60%"]
    got = _rows("项目绩效目标表\n" + "\n".join(cells) + "\n")
    assert ("产出指标", "数量指标", "培训人数", "300人") in got
    assert ("产出指标", "质量指标", "培训合格率", "≥95%") in got
    assert ("效益指标", "社会效益指标", "就业率", "≥60%") in got


def test_unit_comparator_and_value_type_columns_one_cell_a_line():
    # a form's 计量单位 | 指标性质 | 指标值 columns exported one cell a line: the unit and the
    # comparator (when its figure follows) are values of the row
    from pipeline.extract.assemble import _join_comparators
    from pipeline.extract.cell_stream import NAME, VAL, stream

    lines = list(enumerate(["绿化公路长度", "米", "=", "3500", "树木成活率", "%", "≥", "85"], 1))
    got = [(c.kind, c.text) for c in stream(lines)]
    assert got == [(NAME, "绿化公路长度"), (VAL, "米"), (VAL, "="), (VAL, "3500"), (NAME, "树木成活率"), (VAL, "%"),
                   (VAL, "≥"), (VAL, "85")]
    # where the header has no comparator column, the assembler joins it to its figure
    assert _join_comparators(["米", "=", "3500"]) == ["米", "=3500"]
    assert _join_comparators(["大于等于", "98", "%"]) == ["大于等于98", "%"]


def test_a_comparator_whose_figure_does_not_follow_stays_text():
    # ``=`` at the end of a line whose figure was lost, or before a line's own numbering (3、)
    from pipeline.extract.cell_stream import VAL, stream

    got = [(c.kind, c.text) for c in stream([(1, "预算执行率 95% ="), (2, "3、专款专用率 100%")])]
    assert (VAL, "=3") not in got and (VAL, "=") not in got
    assert (VAL, "95%") in got and (VAL, "100%") in got


def test_stream_table_units_and_comparators_reach_their_row(cell_reader):
    cells = ["一级指标", "二级指标", "三级指标", "计量单位", "指标性质", "指标值", "产出指标", "数量指标",
             "绿化公路长度", "米", "=", "3500", "发放树苗", "株", "=", "15000", "质量指标", "树木成活率", "%", "≥", "85"]
    got = _rows("项目绩效目标表\n" + "\n".join(cells) + "\n")
    assert ("产出指标", "数量指标", "绿化公路长度", "=3500") in got
    assert ("产出指标", "数量指标", "发放树苗", "=15000") in got
    assert ("产出指标", "质量指标", "树木成活率", "≥85") in got


def test_blanks_between_the_filers_cells_keep_a_name_with_figures_whole():
    # one row a line under a header line, cells separated by blanks: a name holding figures
    # stays one cell; category words glued to its front come off; a glued line is cut by content
    from pipeline.extract.cell_stream import spaced_cells

    assert spaced_cells("质量指标 台式电脑4台、笔记本电脑2台 100% 100%") == [
        "质量指标", "台式电脑4台、笔记本电脑2台", "100%", "100%"]
    assert spaced_cells("产出指标数量指标 指标1.培训成本 400元/人 380元/人") == [
        "产出指标", "数量指标", "指标1.培训成本", "400元/人", "380元/人"]
    assert spaced_cells("数量指标项目完成时间2023年") is None
    assert spaced_cells("产出指标 数量指标 培训人数300人") is None


def test_stream_table_rows_a_line_keep_names_with_figures(cell_reader):
    text = ("项目绩效目标表\n一级指标 二级指标 三级指标 指标值\n"
            "产出指标 数量指标 新建校舍3栋、改造操场2块 100%\n质量指标 验收合格率 ≥95%\n"
            "效益指标 社会效益指标 惠及学生1200人 ≥1200人\n满意度指标 服务对象满意度指标 学生满意度 ≥90%\n")
    got = _rows(text)
    assert ("产出指标", "数量指标", "新建校舍3栋、改造操场2块", "100%") in got
    assert ("效益指标", "社会效益指标", "惠及学生1200人", "≥1200人") in got


def test_a_deadline_ending_in_zhiqian_after_month_end_is_one_value():
    # 11月底之前, 2023年12月底以前: the month's end and 之前 are one deadline, not a date and a name
    from pipeline.extract.cell_stream import NAME, VAL, stream

    got = [(c.kind, c.text) for c in stream([(1, "11月底之前"), (2, "2023年12月底以前"), (3, "完成时间 6月底前")])]
    assert got == [(VAL, "11月底之前"), (VAL, "2023年12月底以前"), (NAME, "完成时间"), (VAL, "6月底前")]


def test_a_numbering_with_a_dot_or_comma_stays_in_the_name():
    # 指标4.不合格产品处置率, 目标2、…: the numbering is part of the name, not a name 指标 and a value 4
    from pipeline.extract.cell_stream import NAME, VAL
    from pipeline.extract.cut import cut_piece

    assert [(c.kind, c.text) for c in cut_piece("指标4.不合格产品处置率", 1)] == [(NAME, "指标4.不合格产品处置率")]
    assert [(c.kind, c.text) for c in cut_piece("目标2、受益人数", 1)] == [(NAME, "目标2、受益人数")]
    # a decimal after 指标 is no numbering
    assert (VAL, "1.5万元") in [(c.kind, c.text) for c in cut_piece("人均补助指标1.5万元", 1)]


def test_first_levels_in_the_second_level_column_under_a_first_level_above(cell_reader):
    # family: a form that puts 产出指标 / 效益指标 in the 二级 column under a first level of its
    # own (实施效果指标), exported one cell a line
    cells = ["一级指标", "二级指标", "三级指标", "指标值", "实施效果指标", "产出指标", "建设项目个数", "3个",
             "竣工验收合格率", "100%", "效益指标", "粪污综合利用率", "≥90%"]
    got = _rows("项目绩效目标表\n" + "\n".join(cells) + "\n")
    assert ("实施效果指标", "产出指标", "建设项目个数", "3个") in got
    assert ("实施效果指标", "产出指标", "竣工验收合格率", "100%") in got
    assert ("实施效果指标", "效益指标", "粪污综合利用率", "≥90%") in got
    # two first levels in a row where the outer one is a first level's own name: an empty block
    got2 = _rows("项目绩效目标表\n" + "\n".join(["一级指标", "二级指标", "三级指标", "指标值", "成本指标", "产出指标",
                                               "数量指标", "培训人数", "300人", "质量指标", "合格率", "95%"]) + "\n")
    assert ("产出指标", "数量指标", "培训人数", "300人") in got2


def test_a_text_target_before_an_achieved_word_in_a_spaced_paragraph(cell_reader):
    # family B: a self-evaluation in one paragraph, a target written in words between the name
    # and 达成预期指标
    text = ("项目支出绩效自评表\n一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 产出指标 数量指标 培训人数 "
            "≥50人 52人 10 10 时效指标 报告提交及时性 在合同约定时间内提交 达成预期指标 10 10 质量指标 验收合格率 "
            "≥95% 98% 10 10 成本指标 项目总成本 ≤30万元 28万元 10 10 效益指标 社会效益指标 就业带动 明显 达成预期指标 "
            "10 10 满意度指标 服务对象满意度指标 学员满意度 ≥90% 95% 10 10\n")
    rows = extract(read_text(text.encode(), "x.txt")).rows
    got = {r.name: (r.target_raw, r.actual_raw) for r in rows}
    assert got.get("报告提交及时性") == ("在合同约定时间内提交", "达成预期指标")
    assert "在合同约定时间内提交" not in got


def test_a_value_less_row_the_text_stops_in_is_rejected(cell_reader):
    # the excerpt ends inside the last row (its name may be cut): no row is emitted for it
    cells = ["一级指标", "二级指标", "三级指标", "指标值", "产出指标", "数量指标", "培训人数", "300人",
             "质量指标", "培训合格率", "≥95%", "满意度指标", "学员满"]
    doc = read_text(("项目绩效目标表\n" + "\n".join(cells) + "\n[excerpt ends here]\n").encode(), "x.txt")
    ex = extract(doc)
    names = [r.name for r in ex.rows]
    assert "培训合格率" in names and "学员满" not in names
    assert any(j.reason == "row cut off at the end of the text" for j in ex.rejects)


def test_a_name_written_as_a_sentence_with_a_value_after_it_is_a_row():
    # a numbered name holding full stops (指标1:…生活水平。助力文明城市创建。) followed by its value
    # does not end the table as prose would, so the rows after it keep their first level
    from pipeline.extract.assemble import assemble
    from pipeline.extract.cell_stream import stream

    text = ("一级指标 二级指标 三级指标 指标值 效益指标 社会效益指标 指标1:改善小区群众生活质量,提升生活水平。助力文明城市创建。 "
            "显著改善 生态效益指标 优化小区生活环境 显著提高 可持续影响指标 持续提供保障 长期")
    rows = [r for t in assemble(stream([(1, text)]), self_eval=False) for r in t.rows]
    got = {r.name: (r.level1, r.values.get("target")) for r in rows}
    assert got["指标1:改善小区群众生活质量,提升生活水平。助力文明城市创建。"] == ("效益指标", "显著改善")
    assert got["持续提供保障"] == ("效益指标", "长期")


def test_a_rubric_listed_without_values_reads_every_text_as_an_item():
    # a rubric of management words with no value in the table; a figure after the table (a
    # phone number in the sign-off) does not make its items values
    from pipeline.extract.assemble import assemble
    from pipeline.extract.cell_stream import stream

    lines = [(1, "一级指标 二级指标 三级指标 年度指标值 实际完成值 项目决策 项目目标 目标内容 决策过程 决策依据 决策程序"),
             (2, "填表人:张三 联系电话:12345678")]
    rows = [r for t in assemble(stream(lines), self_eval=True) for r in t.rows]
    assert {r.name for r in rows} >= {"目标内容", "决策程序"}
    assert not any(r.values for r in rows)


def test_a_cell_alone_on_its_line_closed_by_a_pipe_is_not_cut_into_words():
    # one cell a line with its pipe: a name and its figures are cut apart, but a word value is
    # not peeled off a name and text is not split into two names
    from pipeline.extract.cell_stream import NAME, VAL, stream

    def kinds(text):
        return [(c.kind, c.text) for c in stream([(1, text)])]

    assert kinds("培训人数300人 |") == [(NAME, "培训人数"), (VAL, "300人")]
    assert kinds("服务能力提升 |") == [(NAME, "服务能力提升")]
    assert kinds("补助资金按时到期 |") == [(NAME, "补助资金按时到期")]


def test_text_values_one_cell_a_line_pair_with_their_names(cell_reader):
    # one cell a line: between two category words, an even run of text cells is names and
    # their text values in turn
    cells = ["一级指标", "二级指标", "三级指标", "指标值", "产出指标", "数量指标", "培训人数", "300人",
             "质量指标", "宣传教育", "覆盖全区所有人员", "严控成本", "按指标任务落实工作",
             "效益指标", "社会效益指标", "群众幸福感", "明显提升"]
    lines = ["项目绩效目标表"] + [c + " |" for c in cells]
    got = _rows("\n".join(lines) + "\n")
    assert ("产出指标", "质量指标", "宣传教育", "覆盖全区所有人员") in got
    assert ("产出指标", "质量指标", "严控成本", "按指标任务落实工作") in got
    assert ("效益指标", "社会效益指标", "群众幸福感", "明显提升") in got


def test_a_text_value_and_its_repeat_each_a_cell_of_their_own():
    # a self-evaluation in one paragraph: the target written in words and the actual repeating it
    from pipeline.extract.assemble import assemble
    from pipeline.extract.cell_stream import stream

    text = ("一级指标 二级指标 三级指标 年度指标值 实际完成值 产出指标 数量指标 培训人数 50人 52人 质量指标 公用经费标准 "
            "符合相关文件要求 符合相关文件要求 设施维护 维护良好 维护良好 时效指标 完成时间 12月 12月")
    rows = {r.name: r.values for t in assemble(stream([(1, text)]), self_eval=True) for r in t.rows}
    assert rows["公用经费标准"] == {"target": "符合相关文件要求", "actual": "符合相关文件要求"}
    assert rows["设施维护"] == {"target": "维护良好", "actual": "维护良好"}
    assert "符合相关文件要求" not in rows


def test_a_year_between_a_verb_and_its_object_when_the_value_is_the_next_piece():
    from pipeline.extract.cell_stream import NAME, VAL, stream

    got = [(c.kind, c.text) for c in stream([(1, "完成2021年护工培训任务 12500名 12166名")])]
    assert got == [(NAME, "完成2021年护工培训任务"), (VAL, "12500名"), (VAL, "12166名")]


def test_a_word_ending_a_name_stays_when_the_next_piece_is_the_value():
    # 服务能力提升 持续加强: 提升 is no value peeled off the name when the value stands apart
    from pipeline.extract.cell_stream import NAME, VAL, stream

    got = [(c.kind, c.text) for c in stream([(1, "服务能力提升 持续加强 群众幸福感 明显提升")])]
    assert got[:2] == [(NAME, "服务能力提升"), (NAME, "持续加强")]
    assert (VAL, "明显提升") in got
    # glued, the word value still comes off
    assert [(c.kind, c.text) for c in stream([(1, "补助资格合规性合规")])] == [(NAME, "补助资格合规性"), (VAL, "合规")]


def test_the_words_of_a_direction_column_are_never_a_name():
    # 正向 / 反向 (指标方向: whether more is better) beside the comparator column: a row whose
    # category cells are merged away still reads its name, not the direction word
    from pipeline.core.cells import cell

    assert cell("正向").not_name and cell("反向").not_name
    text = ("项目绩效目标表\n一级指标 二级指标 三级指标 指标方向 指标性质 目标值 计量单位 分值\n"
            "产出指标 数量指标 采购设备数量 正向 大于等于 10 台 5\n质量指标 设备验收合格率 正向 等于 100 % 5\n"
            "设备验收及时率 正向 大于等于 98 % 5\n满意度指标 服务对象满意度 使用人员满意度 正向 大于等于 95 % 10\n")
    rows = extract(read_text(text.encode(), "x.txt")).rows
    assert "设备验收及时率" in {r.name for r in rows}
    assert not {"正向", "反向"} & {r.name for r in rows}


def test_a_category_word_and_a_short_ending_in_a_cell_of_its_own_is_a_name():
    # family H: 项目完成时间 / 年度绩效目标合理性 one cell a line or spaced before its value;
    # a …指标 or a section label over a list still comes off
    from pipeline.extract.cell_stream import CAT, NAME, VAL, stream

    def kinds(lines):
        return [(c.kind, c.text) for c in stream(list(enumerate(lines, 1)))]

    assert kinds(["项目完成及时性 |", "程度较高 |"])[0] == (NAME, "项目完成及时性")
    assert kinds(["时效指标 项目完成时间 2023年底 质量指标 验收合格率 100%"])[1:3] == [
        (NAME, "项目完成时间"), (VAL, "2023年底")]
    assert kinds(["绩效目标明确性 5 5 合理性 5 4"])[:2] == [(CAT, "绩效目标"), (NAME, "明确性")]


def test_a_figure_inside_a_name_whose_value_is_the_next_piece():
    # 森林火灾6小时内扑灭率 不低于95%: the figure belongs to the name when the piece ends like one
    from pipeline.extract.cell_stream import NAME, VAL, stream

    got = [(c.kind, c.text) for c in stream([(1, "产出时效 森林火灾6小时内扑灭率 不低于95% 产出成本 成本控制数 63")])]
    assert (NAME, "森林火灾6小时内扑灭率") in got and (VAL, "不低于95%") in got


def test_text_values_in_a_spaced_paragraph_pair_with_their_names_but_not_names_or_rubric_items():
    from pipeline.extract.assemble import assemble
    from pipeline.extract.cell_stream import stream

    def rows(text, self_eval=False):
        return {r.name: r.values.get("target", "") for t in assemble(stream([(1, text)]), self_eval) for r in t.rows}

    got = rows("一级指标 二级指标 三级指标 指标值 产出指标 数量指标 培训人数 300人 质量指标 宣传教育 覆盖全区所有人员 "
               "时效指标 完成时间 12月 符合政策规定 专项补助使用符合政策规定 效益指标 社会效益指标 群众幸福感 明显提升")
    assert got["宣传教育"] == "覆盖全区所有人员"
    assert got["符合政策规定"] == "专项补助使用符合政策规定"     # after the value that ends the row before
    # names that end like names are names, not values of each other
    got2 = rows("一级指标 二级指标 三级指标 指标值 产出指标 数量指标 国家奖学金人数 国家助学金人数 质量指标 资金发放率 100%")
    assert got2.get("国家奖学金人数") == "" and "国家助学金人数" in got2
