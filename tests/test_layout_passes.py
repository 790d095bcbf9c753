"""The layout passes that were written for one filing each, now pinned on made-up examples of
their family (issue #12): every test states the family's shape, not a filing's words."""

from __future__ import annotations

from pipeline.core.document import Row, Table
from pipeline.extract.build import FillDown
from pipeline.extract.cell_stream import grid_cells
from pipeline.extract.grid_lines import LIST, GridRows, grid_line
from pipeline.extract.row_rules import _fragment_pair, _list_cell, _merge_fragment
from pipeline.extract.read import extract
from pipeline.ingest.text_reader import (_join_leading_pipes, _join_separator_pipes, _lost_pipe, _mend_split_rows,
                                  read_text)


def _rows(text: str):
    return [(r.level1_filed, r.level2_filed, r.name, r.target_raw) for r in extract(read_text(text.encode(), "x.txt")).rows]


def test_rows_broken_over_lines_with_leading_pipes_are_joined():
    # family: a web export that starts every cell after the first on its own indented line
    lines = []
    for name, value in [("培训人数", "300人"), ("合格率", "95%"), ("完成时间", "12月"), ("受益人数", "500人"),
                        ("满意度", "90%")]:
        lines += ["产出指标", "        | 数量指标", f"        | {name}", f"        | {value}", "        | ||"]
    out = _join_leading_pipes(lines)
    assert out[0] == "产出指标 | 数量指标 | 培训人数 | 300人 |"
    assert out[1:5] == ["", "", "", ""]          # the lines it took stay, empty, for line numbers
    # texts whose pipes end the lines are left alone
    plain = ["| 产出指标 | 数量指标 | 培训人数 | 300人 |"] * 6
    assert _join_leading_pipes(plain) == plain


def test_cells_with_a_lone_pipe_between_them_become_one_cell_a_line():
    lines = []
    for cell in ["一级指标", "二级指标", "三级指标", "指标值", "产出指标", "数量指标", "培训人数", "300人",
                 "质量指标", "合格率", "95%"]:
        lines += [cell, "|"]
    out = _join_separator_pipes(lines)
    assert [ln for ln in out if ln][:3] == ["一级指标 |", "二级指标 |", "三级指标 |"]
    assert _join_separator_pipes(["| a | b |"] * 12) == ["| a | b |"] * 12


def test_a_row_cut_in_two_by_a_blank_line_is_mended_when_the_widths_add_up():
    rows = [Row(["产出指标", "数量指标", "培训人数", "300人", "人"], 1),
            Row(["", "", "受益人数"], 2), Row(["500人", "人"], 4),
            Row(["", "质量指标", "合格率", "95%", "%"], 5)]
    out = _mend_split_rows(rows)
    assert [r.cells for r in out][1] == ["", "", "受益人数", "500人", "人"]
    assert len(out) == 3


def test_a_cell_that_lost_its_pipe_at_the_end_of_a_cut_text_is_kept():
    lines = ["培训人数 |", "300人 |", "合格率 |", ">=9"]
    assert _lost_pipe(lines, 3)
    # a name cut in half at the end is not a cell
    assert not _lost_pipe(["培训人数 |", "300人 |", "社会"], 2)
    # prose after a table is no cell
    assert not _lost_pipe(["培训人数 |", "300人 |", "以上指标由单位自行填报，如有疑问请与财政局联系。", "签字"], 2)


def test_a_row_cut_by_a_page_break_joins_the_next_row_it_overlaps():
    row = Row(["", "", "", "达成", "5"], 1)
    nxt = Row(["", "", "补贴发放及时率", "达成", "5"], 2)
    assert _fragment_pair(row, nxt, name_col=2)
    assert _merge_fragment(row, nxt).cells[2] == "补贴发放及时率"
    # a row that shares no cell with the next is no fragment of it
    assert not _fragment_pair(Row(["", "", "", "100%", "3"], 1), nxt, name_col=2)


def test_a_cell_listing_management_items_gives_a_row_per_item():
    assert _list_cell("资金管理 财务管理 组织实施") == ["资金管理", "财务管理", "组织实施"]
    assert _list_cell("培训人数 合格率") is None
    cols = {0: "level1", 1: "name", 2: "weight", 3: "score"}
    rows = [Row(["过程指标", "资金管理 财务管理", "5", "4"], 1), Row(["", "", "5", "5"], 2)]
    cells = [c for row in grid_cells(Table(index=0, rows=rows)) for c in row]
    line = grid_line(cells, 0, GridRows(rows), cols)
    assert line.kind == LIST and line.end == len(cells)
    assert [(name, dict(values)["weight"], dict(values)["score"]) for _, name, values in line.items] == [
        ("资金管理", "5", "4"), ("财务管理", "5", "5")]


def test_a_table_without_categories_whose_names_are_grades_is_rejected():
    text = ("| 指标名称 | 目标值 | 权重 | 实际完成值 | 得分 |\n"
            "| 合规 | 好 | 2.8 | 好 | 2.8 |\n| 健全 | 好 | 2.8 | 好 | 2.8 |\n"
            "| 明确 | 好 | 2.8 | 好 | 2.8 |\n| 合理 | 好 | 2.8 | 好 | 2.8 |\n")
    ex = extract(read_text(text.encode(), "x.txt"))
    assert ex.rows == []
    assert sum(1 for r in ex.rejects if r.reason.startswith("layout not read")) == 4


def test_a_first_level_above_output_and_effect_puts_their_names_in_the_second_level():
    # family: 实施效果指标 | 产出指标 | … — a level above the usual first levels
    st = FillDown()
    st.update({"level1": (0, "实施效果指标"), "level2": (1, "产出指标")})
    assert st.l1_above
    st.update({"level1": (1, "效益指标")})
    assert (st.l1, st.l2) == ("实施效果指标", "效益指标")


def test_a_target_wrapped_onto_the_line_below_joins_its_row():
    text = ("一级指标 二级指标 三级指标 指标性质 目标值 分值\n"
            "产出指标 数量指标 培训人数 正向 300人 10\n"
            "效益指标 可持续影响 推动业务装备标准化配置 定性\n"
            "长期\n"
            "15\n"
            "时效指标 采购计划完成时间 定性\n"
            "11月底之前\n"
            "5\n")
    rows = _rows(text)
    got = {name: target for _, _, name, target in rows}
    assert got.get("推动业务装备标准化配置") == "长期"
    assert got.get("采购计划完成时间") == "11月底之前"
    assert "长期" not in got


def test_a_header_wrapped_over_two_grid_rows_opens_the_table():
    # family C: each header cell broken in two, column by column, over two pipe rows
    text = ("项目支出绩效自评表\n| 一级 | 二级 | 三级 | 年度 | 实际 |\n| 指标 | 指标 | 指标 | 指标值 | 完成值 |\n"
            "| 产出指标 | 数量指标 | 培训人数 | 300人 | 298人 |\n|  | 质量指标 | 验收合格率 | 100% | 100% |\n"
            "| 效益指标 | 社会效益指标 | 群众满意度 | ≥90% | 95% |\n")
    rows = extract(read_text(text.encode(), "x.txt")).rows
    assert [(r.level1_filed, r.level2_filed, r.name, r.target_raw, r.actual_raw) for r in rows] == [
        ("产出指标", "数量指标", "培训人数", "300人", "298人"),
        ("产出指标", "质量指标", "验收合格率", "100%", "100%"),
        ("效益指标", "社会效益指标", "群众满意度", "≥90%", "95%")]


def test_a_data_row_below_a_header_is_never_joined_to_it():
    from pipeline.extract.wrapped import wrapped_header

    head = Row(["一级指标", "二级指标", "三级指标", "指标值"], 1)
    data = Row(["产出指标", "数量指标", "培训人数", "300人"], 2)
    assert wrapped_header(head, data) is None
    # a header whole on one row gains nothing from the row below
    assert wrapped_header(head, Row(["", "", "", "指标值"], 2)) is None


def test_one_cell_a_line_with_blank_lines_for_empty_cells_keeps_its_columns():
    # family E: a one-cell-a-line dump where an empty cell is a blank line and a blank line
    # closes each row: rows with empty target cells (a score rubric) and a name alone on its
    # row must not take the next row's name as their value
    head = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值"]
    body = [["项目决策", "决策过程", "决策依据", "", ""], ["", "", "决策程序", "", ""],
            ["", "资金分配", "分配办法", "", ""], ["产出指标", "数量指标", "培训人数", "300人", "298人"]]
    lines = ["项目支出绩效自评表"]
    for r in [head] + body:
        lines += r + [""]
    lines += ["填表人:张三"]
    rows = extract(read_text("\n".join(lines).encode(), "x.txt")).rows
    got = [(r.level2_filed, r.name, r.target_raw, r.actual_raw) for r in rows]
    assert ("决策过程", "决策程序", "", "") in got
    assert ("数量指标", "培训人数", "300人", "298人") in got
    assert not any(r.target_raw in ("决策程序", "分配办法") for r in rows)


def test_rows_by_line_period_needs_the_blank_line_rhythm():
    from pipeline.extract.positions import _rows_by_line_period

    cells = ["一级指标", "二级指标", "三级指标", "指标值", "产出指标", "数量指标", "培训人数", "300人"]
    # consecutive lines: no blank line closes a row, so no period can be told
    t = Table(0, [Row([c], k + 1) for k, c in enumerate(cells)], stream=True)
    assert _rows_by_line_period(t) is None
    # bare pipe lines between rows belong to the chunking by header width
    t2 = Table(0, [Row([c], k + 1) for k, c in enumerate(cells)] + [Row([], 20)], stream=True)
    assert _rows_by_line_period(t2) is None


def test_a_section_label_before_a_short_name_in_a_cell_stream_is_a_category():
    # family E: one cell a line; 绩效目标 in the 二级 column of a score table, followed by a
    # name, does not end the table — a sign-off word does
    from pipeline.extract.region import _label_before_name

    body = list(enumerate(["项目决策", "绩效目标", "明确性", "合理性", "填表人:张三"], 1))
    assert _label_before_name(body, 1)
    assert not _label_before_name(body, 4)
    # a label before a long target sentence (the next section) still ends it
    nxt = list(enumerate(["绩效目标", "完成全年培训任务并提高全县农民的技能水平"], 1))
    assert not _label_before_name(nxt, 0)


def test_a_name_with_a_bracket_note_still_ends_like_a_name():
    from pipeline.core.cells import cell

    assert cell("可行性(政策完善)").name_like and cell("明确性(5分)").name_like
    assert not cell("项目决策(10分)").name_like


def test_a_word_value_repeated_as_target_and_actual_joins_the_row_before_it():
    # a self-evaluation in one paragraph: 名称 有效减轻 有效减轻 came out as a value-less row
    # and a row named 有效减轻 whose target is 有效减轻
    from pipeline.extract.rows import Extraction, IndicatorRow
    from pipeline.extract.mend import attach_values_below

    def row(name, target="", line=3):
        return IndicatorRow(file="x.txt", table=1, row=line, level1_filed="效益指标", level2_filed="经济效益",
                            name=name, target_raw=target)

    out = Extraction()
    out.rows += [row("减轻参训人员经济负担"), row("有效减轻", "有效减轻"), row("参训学员就业率", "60%")]
    attach_values_below(out)
    assert [(r.name, r.target_raw, r.actual_raw) for r in out.rows] == [
        ("减轻参训人员经济负担", "有效减轻", "有效减轻"), ("参训学员就业率", "60%", "")]
    # a short word target with a grade of the lexicon as its actual: 资金使用合规性 合规 好
    out3 = Extraction()
    out3.rows += [row("资金使用合规性"), row("合规", "好"), row("保洁", "及时")]
    attach_values_below(out3)
    assert [(r.name, r.target_raw, r.actual_raw) for r in out3.rows] == [
        ("资金使用合规性", "合规", "好"), ("保洁", "及时", "")]
    # a word value of the lexicon read as a value-less row of its own: 消除安全隐患 持续影响
    out4 = Extraction()
    out4.rows += [row("消除安全隐患"), row("持续影响")]
    attach_values_below(out4)
    assert [(r.name, r.target_raw) for r in out4.rows] == [("消除安全隐患", "持续影响")]
    # a short word value told by its form (an adverb and a verb), and a target sentence
    # ending in the word its actual repeats
    out5 = Extraction()
    out5.rows += [row("按进度计划实施情况"), row("按计划实施"), row("提升彩票销量"), row("同比上年销量显著提高", "显著提高")]
    attach_values_below(out5)
    assert [(r.name, r.target_raw, r.actual_raw) for r in out5.rows] == [
        ("按进度计划实施情况", "按计划实施", ""), ("提升彩票销量", "同比上年销量显著提高", "显著提高")]
    # a name that ends like one, repeated as its own target, is no word value
    out2 = Extraction()
    out2.rows += [row("减轻参训人员经济负担"), row("群众满意度", "群众满意度")]
    attach_values_below(out2)
    assert len(out2.rows) == 2


def test_a_score_rubric_listed_without_values_reads_no_item_as_a_target():
    # a rubric of management words in running text, every value column blank: each item is
    # a name (the issue: rubric rows are not targets)
    # (the stream reader's _rubric_roles is gone: the cell reader's _values_ahead reads a table
    # region without any value cell as a rubric; tests/test_stream_tables.py pins it too)
    items = ["项目决策", "项目目标", "目标内容", "决策过程", "决策依据", "决策程序"]
    items += ["资金分配", "分配办法", "分配结果", "项目管理", "资金到位", "到位率", "到位时效"]
    text = "项目支出绩效自评表\n一级指标 二级指标 三级指标 年度指标值 实际完成值 " + " ".join(items) + "\n填表人:张三\n"
    rows = extract(read_text(text.encode(), "x.txt")).rows
    assert not any(r.target_raw for r in rows)
    assert {"目标内容", "决策依据", "决策程序", "分配结果", "到位时效"} <= {r.name for r in rows}


def test_a_category_word_before_two_characters_is_the_start_of_a_name():
    # family H: 项目完成时间 is a name, not the category 项目完成 and a name 时间 (glued before a
    # value, alone in its cell, or spaced before its value); after 数量指标 the rest is the name
    from pipeline.extract.cell_stream import CAT, NAME, VAL, stream
    from pipeline.extract.cut import cut_piece

    def kinds(cells):
        return [(c.kind, c.text) for c in cells]

    assert kinds(cut_piece("项目完成时间2023年底", 1)) == [(NAME, "项目完成时间"), (VAL, "2023年底")]
    assert kinds(stream([(1, "项目完成及时性 |")])) == [(NAME, "项目完成及时性")]
    assert kinds(stream([(1, "项目完成时间 2023年底")])) == [(NAME, "项目完成时间"), (VAL, "2023年底")]
    assert kinds(cut_piece("数量指标覆盖率100%", 1)) == [(CAT, "数量指标"), (NAME, "覆盖率"), (VAL, "100%")]
    assert kinds(cut_piece("产出指标数量指标覆盖率100%", 1))[:2] == [(CAT, "产出指标"), (CAT, "数量指标")]


def test_a_yes_no_answer_spaced_out_stays_one_cell_each():
    from pipeline.extract.tokens import _join_spaced_chars

    assert _join_spaced_chars(["评审程序是否公正", "是", "是"]) == ["评审程序是否公正", "是", "是"]
    assert _join_spaced_chars(["绩", "效", "指", "标"]) == ["绩效指标"]


def test_an_actual_repeating_the_target_read_as_the_next_name_is_shifted_back():
    # 保洁 及时,整洁 及时,整洁 植物状况 健康 健康 in running text came out shifted by one cell
    from pipeline.extract.rows import Extraction, IndicatorRow
    from pipeline.extract.mend import attach_values_below

    def row(name, target=""):
        return IndicatorRow(file="x.txt", table=1, row=3, level1_filed="产出指标", level2_filed="",
                            name=name, target_raw=target)

    out = Extraction()
    out.rows += [row("保洁", "及时,整洁"), row("及时,整洁", "植物状况"), row("健康", "健康"), row("树木保存率", "98%")]
    attach_values_below(out)
    assert [(r.name, r.target_raw, r.actual_raw) for r in out.rows] == [
        ("保洁", "及时,整洁", "及时,整洁"), ("植物状况", "健康", "健康"), ("树木保存率", "98%", "")]
    # a next row that only shares the text but has a value as its target is left alone
    out2 = Extraction()
    out2.rows += [row("保洁", "及时"), row("及时", "100%")]
    attach_values_below(out2)
    assert [(r.name, r.target_raw, r.actual_raw) for r in out2.rows] == [("保洁", "及时", ""), ("及时", "100%", "")]


def test_indicators_in_the_description_column_are_read_as_names():
    # family G: 指标类型 | 指标名称 | 指标值 | 指标描述 filled one level up (made-up rows)
    text = "\n".join([
        "| 指标类型 | 指标名称 | 指标值 | 指标描述 |",
        "| 产出指标 | 数量指标 | 300万㎡ | 完成绿地养护面积 |",
        "|  |  | 12次 | 开展病虫害防治次数 |",
        "|  | 质量指标 | ≥95% | 绿地养护达标率 |",
        "| 效益指标 | 社会效益指标 | 明显改善 | 城市人居环境 |",
    ])
    assert _rows(text) == [
        ("产出指标", "数量指标", "完成绿地养护面积", "300万㎡"),
        ("产出指标", "数量指标", "开展病虫害防治次数", "12次"),
        ("产出指标", "质量指标", "绿地养护达标率", "≥95%"),
        ("效益指标", "社会效益指标", "城市人居环境", "明显改善"),
    ]


def test_a_description_that_explains_a_real_name_stays_a_description():
    text = "\n".join([
        "| 一级指标 | 二级指标 | 指标名称 | 指标值 | 指标描述 |",
        "| 产出指标 | 数量指标 | 绿地养护面积 | 300万㎡ | 反映绿地养护工作量 |",
        "|  |  | 病虫害防治次数 | 12次 | 反映防治工作开展情况 |",
        "|  | 质量指标 | 绿地养护达标率 | ≥95% | 反映养护质量 |",
    ])
    rows = extract(read_text(text.encode(), "x.txt")).rows
    assert [(r.name, r.detail) for r in rows] == [
        ("绿地养护面积", "反映绿地养护工作量"), ("病虫害防治次数", "反映防治工作开展情况"), ("绿地养护达标率", "反映养护质量")]


def test_a_goal_column_before_the_categories_does_not_take_the_rows_targets():
    # family D: 年度目标 (a target word) heads a merged goal cell left of the categories; the
    # rows' targets are under 指标值 after the names
    text = "\n".join([
        "| 年度目标 | 一级指标 | 二级指标 | 三级指标 | 指标值 |",
        "| 完成年度工作任务 | 产出指标 | 数量指标 | 宣传次数 | 2次 |",
        "|  |  | 质量指标 | 宣传覆盖率 | ≥90% |",
        "|  | 效益指标 | 社会效益指标 | 群众知晓率 | 明显提升 |",
    ])
    rows = extract(read_text(text.encode(), "x.txt")).rows
    assert [(r.name, r.target_raw) for r in rows] == [("宣传次数", "2次"), ("宣传覆盖率", "≥90%"), ("群众知晓率", "明显提升")]
    assert "完成年度工作任务" in rows[0].extra


def test_header_words_in_other_wordings_are_read():
    from pipeline.core.cells import header_role

    assert [header_role(w) for w in ("三级指标内容", "评价内容", "标准值", "指标得分", "指标方向性")] == [
        "name", "name", "target", "score", "op"]


def test_enumerated_names_are_names_and_lose_their_enumerator():
    text = "\n".join([
        "| 一级指标 | 二级指标 | 三级指标 | 指标值 |",
        "| 产出指标 | 数量指标 | 1、宣传次数 | 2次 |",
        "|  |  | 2、培训人数 | 300人 |",
        "|  | 质量指标 | ③宣传覆盖率 | ≥90% |",
        "| 效益指标 | 社会效益指标 | 12.群众知晓率 | 明显提升 |",
    ])
    assert _rows(text) == [
        ("产出指标", "数量指标", "宣传次数", "2次"), ("产出指标", "数量指标", "培训人数", "300人"),
        ("产出指标", "质量指标", "宣传覆盖率", "≥90%"), ("效益指标", "社会效益指标", "群众知晓率", "明显提升")]


def test_a_list_of_scoring_clauses_is_no_enumerated_name():
    from pipeline.core.cells import cell

    assert not cell("1、宣传次数").value and not cell("(2)培训人数").value
    assert cell("1、设置年度绩效目标(2分)2、绩效目标设置依据充分(1分)").value
    assert cell("1.5万元").value and cell("12人").value
