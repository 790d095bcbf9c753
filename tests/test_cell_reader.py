"""The general cell reader and the family rules of the grid reader, each on a made-up example."""

from __future__ import annotations

from pipeline.extract.cell_stream import CAT, HEAD, NAME, VAL, pieces, stream
from pipeline.extract.cut import cut_piece
from pipeline.core.document import Document, Row, Table
from pipeline.extract.read import extract
from pipeline.ingest.text_reader import read_text
from pipeline.extract.assemble import assemble


def kinds(cells):
    return [(c.kind, c.text) for c in cells]


def test_glued_text_is_cut_into_categories_names_and_values():
    got = kinds(cut_piece("产出指标数量指标示范田面积8300亩8200亩质量指标验收合格率≥95%100%", 1))
    assert got == [(CAT, "产出指标"), (CAT, "数量指标"), (NAME, "示范田面积"), (VAL, "8300亩"), (VAL, "8200亩"),
                   (CAT, "质量指标"), (NAME, "验收合格率"), (VAL, "≥95%"), (VAL, "100%")]


def test_a_number_inside_a_name_stays_in_the_name():
    got = kinds(cut_piece("火灾6小时内扑灭率不低于95%达成预期指标", 1))
    assert got == [(NAME, "火灾6小时内扑灭率"), (VAL, "不低于95%"), (VAL, "达成预期指标")]


def test_glued_header_words_are_header_cells():
    got = cut_piece("一级指标二级指标三级指标指标值完成值", 1)
    assert [c.kind for c in got] == [HEAD] * 5
    assert [c.role for c in got] == ["level1", "level2", "name", "target", "actual"]


def test_a_header_cell_wrapped_over_two_lines_is_joined():
    assert pieces("一级 | 二级 | 三级指标 | 年度 | 指标值 |") == ["一级", "二级", "三级指标", "年度指标值"]
    # two header words of their own are never joined
    assert pieces("三级指标 指标值") == ["三级指标", "指标值"]


def _rows(text: str, self_eval: bool = False):
    tables = assemble(stream([(k + 1, ln) for k, ln in enumerate(text.splitlines())]), self_eval)
    return [(r.level1, r.level2, r.name, r.values.get("target", ""), r.values.get("actual", ""))
            for t in tables for r in t.rows]


def test_no_header_one_cell_a_line_gives_rows_in_the_default_order():
    text = "产出指标\n数量指标\n培训人数\n≥300人\n时效指标\n完成时间\n2023年12月\n"
    assert _rows(text) == [("产出指标", "数量指标", "培训人数", "≥300人", ""),
                           ("产出指标", "时效指标", "完成时间", "2023年12月", "")]


def test_header_order_decides_the_columns_of_a_paragraph_with_spaces():
    text = ("一级指标 二级指标 三级指标 分值 年度指标值 实际完成值 得分 产出指标 数量指标 "
            "培训人数 10 300人 310人 10 质量指标 合格率 10 95% 90% 8")
    assert _rows(text) == [("产出指标", "数量指标", "培训人数", "300人", "310人"),
                           ("产出指标", "质量指标", "合格率", "95%", "90%")]


def test_a_short_word_after_a_name_without_value_is_its_value():
    text = "效益指标 |\n生态效益指标 |\n空气质量 |\n优良 |\n服务对象满意度指标 |\n群众满意度 |\n≥90% |\n"
    rows = _rows(text)
    assert rows[0][2] == "空气质量" and "优良" not in [r[2] for r in rows]


def test_a_name_without_a_value_is_kept():
    text = "产出指标 数量指标 培训人数 质量指标 合格率 95%"
    assert ("产出指标", "数量指标", "培训人数", "", "") in _rows(text)


def test_the_table_ends_at_a_total_or_notes():
    text = "产出指标 数量指标 培训人数 300人 合计 100 注: 一级指标 分值 50分 说明 文字"
    assert [r[2] for r in _rows(text)] == ["培训人数"] or _rows(text) == []


def test_prose_with_one_category_word_gives_no_table():
    text = "本项目的产出指标全部完成。我们认为效果良好,群众满意度较高。"
    assert _rows(text) == []


def _doc(*lines: list[str]) -> Document:
    rows = [Row(list(c), k + 1, " | ".join(c)) for k, c in enumerate(lines)]
    return Document(path="x.txt", tables=[Table(0, rows)])


def test_a_section_label_in_the_category_column_does_not_end_the_table():
    doc = _doc(["", "一级指标", "二级指标", "三级指标", "分值", "得分"],
               ["", "决策", "项目立项", "立项依据充分性", "3", "3"],
               ["", "", "绩效目标(6分)", "绩效目标合理性", "3", "2"])
    assert [r.name for r in extract(doc).rows] == ["立项依据充分性", "绩效目标合理性"]


def test_a_management_word_in_the_name_column_is_the_name():
    doc = _doc(["", "一级指标", "二级指标", "三级指标", "分值", "得分"],
               ["", "项目管理", "资金管理", "资金到位率", "3", "3"],
               ["", "", "", "财务管理", "", ""])
    names = [r.name for r in extract(doc).rows]
    assert names == ["资金到位率", "财务管理"]


def test_a_category_in_the_name_column_ending_in_zhibiao_stays_a_category():
    doc = _doc(["", "一级指标", "二级指标", "三级指标", "指标值"],
               ["", "效益指标", "", "", ""],
               ["", "", "", "社会效益指标", ""],
               ["", "", "", "受益人数", "300人"])
    rows = extract(doc).rows
    assert [(r.level2_filed, r.name) for r in rows] == [("社会效益指标", "受益人数")]


def test_a_name_opening_with_a_figure_is_a_name():
    doc = _doc(["", "一级指标", "二级指标", "三级指标", "指标值"],
               ["", "产出指标", "质量指标", "7岁以下儿童健康管理率", "≥85%"])
    assert [(r.name, r.target_raw) for r in extract(doc).rows] == [("7岁以下儿童健康管理率", "≥85%")]


def test_a_filing_no_layout_reader_reads_gets_rows_from_the_cell_reader():
    text = "项目支出绩效目标表\n一级指标二级指标三级指标指标值产出指标数量指标培训人数≥300人质量指标合格率≥95%\n"
    doc = Document(path="x.txt", tables=[], paragraphs=[], text=text)
    ex = extract(doc)
    assert [(r.level2_filed, r.name, r.target_raw) for r in ex.rows] == [
        ("数量指标", "培训人数", "≥300人"), ("质量指标", "合格率", "≥95%")]


def test_a_numbering_and_a_bracket_group_stay_in_the_name():
    got = kinds(cut_piece("指标3:受益脱贫(含监测对象)户人口数≥1000人", 1))
    assert got == [(NAME, "指标3:受益脱贫(含监测对象)户人口数"), (VAL, "≥1000人")]


def test_a_word_value_between_two_names_is_cut_out():
    got = kinds(cut_piece("经费支出合规性较高项目验收合格率≥95%", 1))
    assert got == [(NAME, "经费支出合规性"), (VAL, "较高"), (NAME, "项目验收合格率"), (VAL, "≥95%")]
    # a word value inside a name whose rest is too short to be a name stays
    assert kinds(cut_piece("工程质量合格率100%", 1)) == [(NAME, "工程质量合格率"), (VAL, "100%")]


def test_word_values_glued_to_the_end_of_a_name_come_off():
    got = kinds(cut_piece("条件改善状况显著提升显著提升", 1))
    assert got == [(NAME, "条件改善状况"), (VAL, "显著提升"), (VAL, "显著提升")]


def test_a_target_written_as_a_sentence_does_not_end_the_table():
    text = "产出指标 | 数量指标 | 培训人数 | 300人 |\n效益指标 | 生态效益指标 | 提高森林覆盖率,促进生物多样性保护。 |\n"
    assert [r[2] for r in _rows(text)] == ["培训人数", "提高森林覆盖率,促进生物多样性保护。"]


def test_cells_the_filer_separated_are_typed_whole():
    cells = stream([(1, "| 产出指标 | 数量指标 | 寨山村新建水泥路1条 | 2km |")])
    assert kinds(cells) == [(CAT, "产出指标"), (CAT, "数量指标"), (NAME, "寨山村新建水泥路1条"), (VAL, "2km")]
    assert [c.col for c in cells] == [0, 1, 2, 3]
    # one cell a line with its pipe is no grid row: cut by content as running text
    assert kinds(stream([(1, "培训人数300人 |")])) == [(NAME, "培训人数"), (VAL, "300人")]


def test_a_header_wrapped_over_two_grid_rows_is_joined_column_by_column():
    cells = stream([(1, "| 一级 | 二级 | 三级 | 年度 | 实际 |"), (2, "| 指标 | 指标 | 指标 | 指标值 | 完成值 |")])
    assert [c.role for c in cells] == ["level1", "level2", "name", "target", "actual"]


def test_under_a_grid_header_an_unknown_category_in_the_second_level_column_is_kept_as_filed():
    text = ("| 一级指标 | 二级指标 | 三级指标 | 指标值 |\n| 产出指标 | 工作数量 | 培训人数 | 300人 |\n"
            "| | | 培训合格率 | 95% |\n")
    assert _rows(text) == [("产出指标", "工作数量", "培训人数", "300人", ""),
                           ("产出指标", "工作数量", "培训合格率", "95%", "")]


def test_the_close_of_a_bracket_from_the_line_above_is_debris():
    got = kinds(cut_piece("分)科学决策必要性", 1))
    assert got[0] == ("debris", "分)") and got[-1] == (NAME, "必要性") or got[-1] == (NAME, "科学决策必要性")


def test_a_bracket_note_written_apart_from_its_name_joins_it():
    text = "产出指标 数量指标 必要性 (政策依据) 5 5 可行性 (政策完善) 5 4"
    assert [r[2] for r in _rows(text, self_eval=True)] == ["必要性(政策依据)", "可行性(政策完善)"]


def test_names_glued_without_values_split_where_they_share_their_ending():
    got = kinds(cut_piece("国家奖学金人数国家助学金人数应征入伍人数", 1))
    assert got == [(NAME, "国家奖学金人数"), (NAME, "国家助学金人数"), (NAME, "应征入伍人数")]
    # different endings inside one name: it stays whole
    assert kinds(cut_piece("农村低保救助资金按标准发放的比率", 1)) == [(NAME, "农村低保救助资金按标准发放的比率")]


def test_a_reports_prose_cut_at_its_figures_gives_no_rows():
    text = ("某项目绩效自评报告\n一、绩效目标完成情况\n产出指标方面,培训人数目标完成≥300人,合格率达到95%;"
            "满意度指标分别是:群众满意度要≥90%,全年执行数为10.8万元,预算执行率为82.85%。\n")
    doc = Document(path="r.txt", tables=[], paragraphs=[], text=text, meta={"layout": "plain"})
    assert extract(doc).rows == []


def test_a_table_written_column_by_column_is_zipped_back_into_rows():
    text = "三级指标 新建校区 工程质量达标率(%)\n开工率(%)\n年度目标值\n7 100% 95%\n实施周期目标值\n7 100% 100%\n"
    tables = assemble(stream([(k + 1, ln) for k, ln in enumerate(text.splitlines())]), False)
    rows = [(r.name, r.values.get("target"), r.values.get("period_target")) for t in tables for r in t.rows]
    assert rows == [("新建校区", "7", "7"), ("工程质量达标率(%)", "100%", "100%"), ("开工率(%)", "95%", "100%")]


def test_header_words_mixed_with_the_first_rows_categories_are_one_header():
    text = "一级指标 二级指标 产出指标 数量指标 三级指标 指标值 培训人数 300人 合格率 95% 质量指标 达标率 100%"
    assert _rows(text) == [("产出指标", "数量指标", "培训人数", "300人", ""),
                           ("产出指标", "数量指标", "合格率", "95%", ""),
                           ("产出指标", "质量指标", "达标率", "100%", "")]


def test_rows_whose_names_swallowed_their_values_are_read_again_by_the_cell_reader():
    text = ("项目绩效自评表\n一级指标二级指标三级指标年度指标值全年完成值\n"
            "产出指标数量指标数量指标系统改版升级100%100%\n质量指标验收合格率100%100%\n"
            "时效指标完成时间12月已完成\n成本指标项目建设成本≤50万元47.68万元\n")
    rows = {r.name: (r.target_raw, r.actual_raw) for r in extract(read_text(text.encode(), "x.txt")).rows}
    assert rows.get("验收合格率") == ("100%", "100%")
    assert rows.get("项目建设成本") == ("≤50万元", "47.68万元")


def test_names_repeating_an_ending_three_times_split_and_yes_no_values_come_off():
    got = kinds(cut_piece("国家奖学金人均资助国家助学金人均资助困难补助人均资助", 1))
    assert got == [(NAME, "国家奖学金人均资助"), (NAME, "国家助学金人均资助"), (NAME, "困难补助人均资助")]
    assert kinds(cut_piece("评审程序是否公正是是", 1)) == [(NAME, "评审程序是否公正"), (VAL, "是"), (VAL, "是")]


def test_an_achieved_word_ending_in_zhibiao_always_ends_a_name_and_a_yes_no_question_gets_its_answer():
    got = kinds(cut_piece("公众知晓度是否明显提高是达成预期指标生态效益指标森林火灾受害面积小于0.9‰", 1))
    assert got[:3] == [(NAME, "公众知晓度是否明显提高"), (VAL, "是"), (VAL, "达成预期指标")]


def test_second_levels_in_a_row_without_names_between_are_score_items():
    text = ("一级指标 二级指标 三级指标 分值 得分 项目效益 经济效益(可选项) 40 社会效益(可选项) "
            "生态效益(可选项) 服务对象满意度 10 10")
    names = [r[2] for r in _rows(text, self_eval=True)]
    assert "社会效益(可选项)" in names


def test_a_bare_verb_comes_off_the_end_of_a_name_but_not_its_start():
    assert kinds(cut_piece("提升博物馆绿化水平提升", 1)) == [(NAME, "提升博物馆绿化水平"), (VAL, "提升")]
    assert kinds(cut_piece("提升群众满意度≥90%", 1)) == [(NAME, "提升群众满意度"), (VAL, "≥90%")]
    # a category word with a percent sign after it is a name with its unit
    assert kinds(cut_piece("服务对象满意度%=99%", 1)) == [(NAME, "服务对象满意度%"), (VAL, "=99%")]


def test_a_comparator_spelled_in_words_before_a_bare_number_is_a_whole_value():
    # family D/F: 大于等于98, 小于等于12, 等于100 in a separated cell — a value, not a name
    from pipeline.extract.cell_stream import VAL, NAME, whole_cell

    for text in ("大于等于98", "小于等于12", "等于100", "不低于95%"):
        assert whole_cell(text, 1).kind == VAL, text
    for text in ("设备验收合格率", "6小时内扑灭率"):
        assert whole_cell(text, 1).kind == NAME, text


def test_a_grid_without_header_takes_the_forms_default_columns_when_its_rows_bear_them_out():
    # family F (a fragment without a header) and no header: the 一级 | 二级 | 三级 | 指标值
    # order gives the columns, so an empty-valued score item stays a row and a text target
    # is the target, not the next name
    from pipeline.extract.assemble import assemble
    from pipeline.extract.region import grid_columns
    from pipeline.extract.cell_stream import stream

    lines = ["| 项目决策 | 决策过程 | 决策依据 |  |", "|  |  | 决策程序 |  |",
             "| 产出指标 | 数量指标 | 宣传教育 | 覆盖全区所有人员 |", "|  | 质量指标 | 服务对象满意度 | 较好 |"]
    cells = stream(list(enumerate(lines, 1)))
    assert grid_columns(cells, 0, ("target",))[2] == "name"
    rows = [r for t in assemble(cells, self_eval=False) for r in t.rows]
    got = [(r.level1, r.level2, r.name, r.values.get("target", "")) for r in rows]
    assert got == [("项目决策", "决策过程", "决策依据", ""), ("项目决策", "决策过程", "决策程序", ""),
                   ("产出指标", "数量指标", "宣传教育", "覆盖全区所有人员"),
                   ("产出指标", "质量指标", "服务对象满意度", "较好")]
    # more columns than the form has, or a value in the name column: no default columns
    wide = stream(list(enumerate([ln + " 1 | 2 |" for ln in lines], 1)))
    assert grid_columns(wide, 0, ("target",)) == {}


def test_a_word_target_repeated_as_the_actual_comes_off_a_glued_name():
    # family A, self-evaluations: 名称 + 有效减轻有效减轻, and a category word after the pair
    from pipeline.extract.cut import cut_piece

    got = [(c.kind, c.text) for c in cut_piece("减轻参训人员经济负担有效减轻有效减轻社会效益参训学员就业率", 1)]
    assert got[:4] == [("name", "减轻参训人员经济负担"), ("value", "有效减轻"), ("value", "有效减轻"),
                       ("category", "社会效益")]
    assert got[4] == ("name", "参训学员就业率")
    # a name ending in a doubled character pair that ends like a name is left whole
    assert [c.kind for c in cut_piece("人人参与的社区服务满意度", 1)] == ["name"]


def test_a_value_with_ji_yishang_is_one_value():
    from pipeline.extract.cut import cut_piece

    got = [(c.kind, c.text) for c in cut_piece("参训学员就业率60%及以上53.53%", 1)]
    assert got == [("name", "参训学员就业率"), ("value", "60%及以上"), ("value", "53.53%")]


def test_a_rubric_of_bare_points_reads_them_as_points_not_targets():
    # a self-evaluation rubric read without a header: 服务对象满意度 10 10 is 分值 and 得分
    from pipeline.extract.assemble import assemble
    from pipeline.extract.cell_stream import stream

    text = "项目决策 科学决策 必要性 5 5 可行性 5 5 项目管理 资金管理 资金使用 4 3 项目效益 服务对象满意度 10 10"
    rows = [r for t in assemble(stream([(1, text)]), self_eval=True) for r in t.rows]
    assert rows and all(not r.values.get("target") and not r.values.get("actual") for r in rows)
    assert [(r.name, r.values.get("weight"), r.values.get("score")) for r in rows][-1] == ("服务对象满意度", "10", "10")
    # one figure with a unit or % and the numbers are targets and actuals again
    text2 = text.replace("5 5 可行性", "100% 98% 可行性")
    rows2 = [r for t in assemble(stream([(1, text2)]), self_eval=True) for r in t.rows]
    assert rows2[0].values.get("target") == "100%"


def test_a_section_label_with_points_before_a_short_name_does_not_end_the_cell_readers_table():
    # a score table: 绩效目标(6分) in the 二级 column, then its items
    from pipeline.extract.assemble import assemble
    from pipeline.extract.cell_stream import stream

    lines = ["| 规划(15分) | 工作计划(6分) | 年度工作计划完整性 |  |", "|  |  | 年度工作计划明确性 |  |",
             "|  | 绩效目标(6分) | 年度绩效目标合理性 |  |", "|  |  | 年度绩效目标明确性 |  |"]
    names = [r.name for t in assemble(stream(list(enumerate(lines, 1))), self_eval=False) for r in t.rows]
    assert "年度绩效目标合理性" in names and "年度绩效目标明确性" in names
    # a sign-off label still ends it
    names2 = [r.name for t in assemble(stream(list(enumerate(lines[:2] + ["填表人:张三 | 合理性 |"], 1))),
                                       self_eval=False) for r in t.rows]
    assert "合理性" not in names2


def test_a_blank_cut_piece_opening_with_its_only_figure_and_ending_like_a_name_is_a_name():
    from pipeline.extract.cut import cut_piece

    for text in ("7岁以下儿童健康管理率", "0-6岁儿童眼保健和视力检查覆盖率"):
        assert [(c.kind, c.text) for c in cut_piece(text, 1)] == [("name", text)]
    # glued values after it are still cut off
    assert [c.kind for c in cut_piece("8300亩8200亩质量指标验收合格率", 1)][:2] == ["value", "value"]


def test_a_short_word_value_is_told_by_its_adverb():
    from pipeline.extract.cell_lexicon import adverb_word_value

    for w in ("有效减轻", "明显增强", "按计划实施", "持续加强"):
        assert adverb_word_value(w), w
    for w in ("有效", "持续时间", "及时率", "有效提升群众获得感"):
        assert not adverb_word_value(w), w


def test_a_span_of_dates_is_one_value():
    from pipeline.extract.cut import cut_piece

    got = [(c.kind, c.text) for c in cut_piece("项目实施时间2021年1月-12月资金拨付到位情况", 1)]
    assert got == [("name", "项目实施时间"), ("value", "2021年1月-12月"), ("name", "资金拨付到位情况")]


def test_glued_values_carry_the_value_parsers_units():
    # units come from configs/values.yaml: a multiplier before a unit (万平方米), a measure word
    # (类), a rate with two denominators (元/生/年); a month is a date, not 12 of a unit
    kinds = [(c.kind, c.text) for c in cut_piece(
        "数量指标养护面积757万平方米补助标准780元/生/年完成时间12月底前支持对象类别6类质量指标合格率95%", 1)]
    vals = [t for k, t in kinds if k == VAL]
    assert vals == ["757万平方米", "780元/生/年", "12月底前", "6类", "95%"]
    assert (NAME, "养护面积") in kinds and (NAME, "支持对象类别") in kinds


def test_a_measure_word_opening_a_common_word_is_no_unit():
    # 26组织…: 组 is a measure word, but 组织 is a word of its own (measure_word_blockers)
    vals = [c.text for c in cut_piece("质量指标培训次数26组织满意度95%", 1) if c.kind == VAL]
    assert vals[0] == "26"


def test_tabs_before_the_first_cell_are_empty_cells_not_a_border():
    from pipeline.extract.cell_stream import grid_row

    # merged 一级/二级 cells left blank in a tab-separated export keep their columns
    assert grid_row("\t\t宣传教育\t覆盖全区所有人员") == ["", "", "宣传教育", "覆盖全区所有人员"]
    assert grid_row("\t质量指标\t知晓率\t100%") == ["", "质量指标", "知晓率", "100%"]
    # a pipe before the first cell is the table's border
    assert grid_row("| | 数量指标 | 宣传教育 | 覆盖全区所有人员 |") == ["", "数量指标", "宣传教育", "覆盖全区所有人员"]
