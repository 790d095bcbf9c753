"""Rules of the cell reader for tables glued without separators (family A of issue #12), each
on a made-up example: score rubrics whose labels carry points, names closed by a bracket
group, numberings, answered questions and word values told by their form."""

from __future__ import annotations

from pipeline.extract.assemble import assemble
from pipeline.extract.cell_stream import CAT, HEAD, NAME, VAL, stream
from pipeline.extract.cut import cut_piece


def kinds(cells):
    return [(c.kind, c.text) for c in cells]


def _rows(text: str, self_eval: bool = True):
    tables = assemble(stream([(k + 1, ln) for k, ln in enumerate(text.splitlines())]), self_eval)
    return [(r.level1, r.level2, r.name) for t in tables for r in t.rows]


def test_rubric_labels_with_points_are_categories_by_their_points():
    # 运行保障(20分) holds 制度建设(12分), which holds two items of 6 points; 经费保障(8分) is
    # followed by an item without points: a label, not an item
    got = cut_piece("运行保障(20分)制度建设(12分)规范性(6分)完整性(6分)经费保障(8分)资金拨付及时性", 1)
    assert [(c.kind, c.text, c.role) for c in got] == [
        (CAT, "运行保障(20分)", "level1"), (CAT, "制度建设(12分)", "level2"), (NAME, "规范性(6分)", ""),
        (NAME, "完整性(6分)", ""), (CAT, "经费保障(8分)", "level2"), (NAME, "资金拨付及时性", "")]


def test_a_rubric_item_with_as_many_points_as_the_next_stays_an_item():
    got = kinds(cut_piece("合规性(5分)及时性(5分)", 1))
    assert got == [(NAME, "合规性(5分)"), (NAME, "及时性(5分)")]


def test_a_name_with_points_before_a_value_stays_a_name():
    got = kinds(cut_piece("预算执行率(10分)95%", 1))
    assert got == [(NAME, "预算执行率(10分)"), (VAL, "95%")]


def test_the_label_glued_after_the_last_item_of_a_block_comes_off_it():
    got = cut_piece("培训档案完整性人员管理(6分)人员到岗率", 1)
    assert kinds(got) == [(NAME, "培训档案完整性"), (CAT, "人员管理(6分)"), (NAME, "人员到岗率")]


def test_bare_bracketed_numbers_and_sentences_are_no_rubric_labels():
    # a numbered clause (1) and a label holding a comma are not read as categories
    assert CAT not in [c.kind for c in cut_piece("方案基本落实(1)成立领导小组", 1)]
    got = cut_piece("建立制度,定期检查(2分)形成记录文件", 1)
    assert CAT not in [c.kind for c in got]


def test_a_glued_rubric_without_values_gives_its_items():
    text = ("一级指标二级指标三级指标年度指标值实际完成值"
            "运行保障(20分)制度建设(12分)规范性(6分)完整性(6分)经费保障(8分)资金拨付及时性")
    assert _rows(text) == [("运行保障(20分)", "制度建设(12分)", "规范性(6分)"),
                           ("运行保障(20分)", "制度建设(12分)", "完整性(6分)"),
                           ("运行保障(20分)", "经费保障(8分)", "资金拨付及时性")]


def test_a_note_in_brackets_after_a_name_closes_it():
    got = kinds(cut_piece("合法性(法规依据)适用性(地方标准)", 1))
    assert got == [(NAME, "合法性(法规依据)"), (NAME, "适用性(地方标准)")]


def test_a_unit_or_a_list_in_brackets_stays_inside_the_name():
    assert kinds(cut_piece("居民对服务满意度(%)问卷中满意的比率", 1)) == [(NAME, "居民对服务满意度(%)问卷中满意的比率")]
    assert kinds(cut_piece("技术(设备、方法等)更新", 1)) == [(NAME, "技术(设备、方法等)更新")]


def test_qualities_of_three_characters_glued_are_two_names():
    assert kinds(cut_piece("规范性完整性", 1)) == [(NAME, "规范性"), (NAME, "完整性")]
    # a joiner opens no name: 规范性和完整性 is one
    assert kinds(cut_piece("规范性和完整性", 1)) == [(NAME, "规范性和完整性")]


def test_a_numbering_opens_the_next_name_even_after_a_word_value():
    got = kinds(cut_piece("指标1:人员培训已完成已完成指标2:投诉处置率100%", 1))
    assert got == [(NAME, "指标1:人员培训"), (VAL, "已完成"), (VAL, "已完成"), (NAME, "指标2:投诉处置率"), (VAL, "100%")]


def test_a_category_after_a_word_value_opens_the_next_block():
    got = kinds(cut_piece("推动设施标准化配置长期社会效益群众办事便利度", 1))
    assert got == [(NAME, "推动设施标准化配置"), (VAL, "长期"), (CAT, "社会效益"), (NAME, "群众办事便利度")]


def test_a_category_after_an_answered_question_opens_the_next_block():
    got = kinds(cut_piece("居民知晓度是否明显提高是生态效益河道水质达标率", 1))
    assert got == [(NAME, "居民知晓度是否明显提高"), (VAL, "是"), (CAT, "生态效益"), (NAME, "河道水质达标率")]


def test_a_word_value_told_by_its_form_ends_a_run_no_value_follows():
    got = kinds(cut_piece("群众健康意识明显增强可持续影响指标", 1))
    assert got == [(NAME, "群众健康意识"), (VAL, "明显增强"), (CAT, "可持续影响指标")]
    # before a value it stays in the name: 资金及时到位 100%
    assert kinds(cut_piece("资金及时到位100%", 1)) == [(NAME, "资金及时到位"), (VAL, "100%")]
    # a question is never cut at its adverb: its answer comes off
    assert kinds(cut_piece("居民知晓度是否明显提高是", 1)) == [(NAME, "居民知晓度是否明显提高"), (VAL, "是")]


def test_a_category_word_with_points_inside_a_name_run_is_the_next_label():
    got = kinds(cut_piece("规范性完整性项目管理(7分)资金拨付及时性", 1))
    assert got == [(NAME, "规范性"), (NAME, "完整性"), (CAT, "项目管理(7分)"), (NAME, "资金拨付及时性")]


def test_a_category_word_and_a_short_ending_before_a_value_is_a_name():
    # family H glued: 项目完成 + 时间, then a value
    assert kinds(cut_piece("项目完成时间2024年底", 1)) == [(NAME, "项目完成时间"), (VAL, "2024年底")]
    # …before more name text, or at the end of a piece, the word stays a category
    assert kinds(cut_piece("产出成本成本控制数(万元)63", 1))[0] == (CAT, "产出成本")
    assert kinds(cut_piece("绩效目标明确性", 1)) == [(CAT, "绩效目标"), (NAME, "明确性")]
    # …and over a list of qualities ending alike it is their label
    assert kinds(cut_piece("绩效目标明确性合理性", 1))[0] == (CAT, "绩效目标")


def test_the_last_of_a_run_of_items_named_like_categories_is_an_item():
    text = ("一级指标二级指标三级指标年度指标值实际完成值"
            "项目效益社会效益(可选项)生态效益(可选项)可持续效益(可选项)部门决策")
    assert [r[2] for r in _rows(text)] == ["社会效益(可选项)", "生态效益(可选项)", "可持续效益(可选项)"]


def test_a_figure_glued_before_a_name_opens_it_when_the_row_has_too_many_values():
    text = "产出指标数量指标老人健康体检率≥90%65岁以上老人家庭医生签约率≥80%"
    tables = assemble(stream([(1, text)]), self_eval=False)
    got = [(r.name, r.values.get("target", "")) for t in tables for r in t.rows]
    assert got == [("老人健康体检率", "≥90%"), ("65岁以上老人家庭医生签约率", "≥80%")]


def test_a_figure_after_a_self_evaluations_two_values_stays_a_value():
    text = "产出指标数量指标培训人数300人280人合格率100%98%"
    tables = assemble(stream([(1, text)]), self_eval=True)
    got = [(r.name, r.values.get("target", ""), r.values.get("actual", "")) for t in tables for r in t.rows]
    assert got == [("培训人数", "300人", "280人"), ("合格率", "100%", "98%")]


def test_a_year_between_a_verb_and_its_object_stays_in_the_name():
    got = kinds(cut_piece("完成2024年农机手培训任务500名480名", 1))
    assert got == [(NAME, "完成2024年农机手培训任务"), (VAL, "500名"), (VAL, "480名")]
    # a short name before a span that is no year keeps its value (全年 | 1-12月)
    assert kinds(cut_piece("全年1-12月已完成", 1))[0] == (NAME, "全年")


def test_a_grade_after_a_word_value_is_the_rows_second_value():
    got = kinds(cut_piece("资金使用合规性合规好制度执行有效性有效较好", 1))
    assert got == [(NAME, "资金使用合规性"), (VAL, "合规"), (VAL, "好"), (NAME, "制度执行有效性"),
                   (VAL, "有效"), (VAL, "较好")]


def test_a_word_value_that_opens_a_quality_is_no_value():
    # 健全 before 性 is the start of 健全性, not the target of 管理制度
    got = kinds(cut_piece("管理制度健全性健全好", 1))
    assert got == [(NAME, "管理制度健全性"), (VAL, "健全"), (VAL, "好")]


def test_a_word_value_told_by_its_form_between_two_names_before_a_value():
    got = kinds(cut_piece("居民对社区服务的认可明显增加群众对卫生防疫的意识明显增强社会效益", 1))
    assert got == [(NAME, "居民对社区服务的认可"), (VAL, "明显增加"), (NAME, "群众对卫生防疫的意识"),
                   (VAL, "明显增强"), (CAT, "社会效益")]


def test_a_header_wrapped_over_lines_maps_no_columns_when_its_grid_row_has_no_name_column():
    # the name columns of the header sit on lines of their own; the grid row under them starts
    # with 指标分值, so its positions say nothing about the data rows' columns
    text = ("序号 | 一级 指标\n二级 指标\n三级 指标\n指标分值 | 指标解释 | 评分标准 | 自评得分 |\n"
            "运行保障 (20分) | 经费保障 | 人员经费保障率 | 5 | 经费是否足额保障 | 足额得分 | 5 |\n")
    rows = [r[2] for r in _rows(text)]
    assert "人员经费保障率" in rows


def test_a_category_after_a_word_value_wins_over_a_word_value_after_the_category():
    # …配置长期 | 社会效益 | 提升工作效率定性, not …配置长期社会效益 | 提升 (效益 ends names too)
    got = kinds(cut_piece("推动装备建设的标准化配置长期社会效益提升工作效率定性有效提升", 1))
    assert got == [(NAME, "推动装备建设的标准化配置"), (VAL, "长期"), (CAT, "社会效益"),
                   (NAME, "提升工作效率定性"), (VAL, "有效提升")]


def test_a_note_in_brackets_does_not_make_a_name_look_unfinished():
    # 建设项目个数(含续建) ends like a name (个数), so the figure after it is its value
    got = kinds(cut_piece("建设项目个数(含续建)1竣工验收合格率100%", 1))
    assert got == [(NAME, "建设项目个数(含续建)"), (VAL, "1"), (NAME, "竣工验收合格率"), (VAL, "100%")]


def test_a_monthly_schedule_is_a_word_value():
    got = kinds(cut_piece("考核结果通报时间按月通报成本指标", 1))
    assert got == [(NAME, "考核结果通报时间"), (VAL, "按月通报"), (CAT, "成本指标")]


def test_a_word_value_written_twice_between_two_names_is_a_target_and_its_actual():
    got = kinds(cut_piece("路灯维护运行良好运行良好绿化养护及时,整洁及时,整洁垃圾清运频次", 1))
    assert got == [(NAME, "路灯维护"), (VAL, "运行良好"), (VAL, "运行良好"), (NAME, "绿化养护"),
                   (VAL, "及时,整洁"), (VAL, "及时,整洁"), (NAME, "垃圾清运频次")]


def test_a_word_shared_by_two_names_is_no_pair():
    # 改造项目 | 项目类型: 项目 written twice is no value; nor is a label before its name
    assert [c.kind for c in cut_piece("博物馆改造项目项目类型新增", 1)] == [NAME]
    assert [c.kind for c in cut_piece("项目执行执行规范", 1)] == [NAME]


def test_a_section_label_with_points_is_a_rubric_item_not_the_end_of_the_table():
    # 测算依据 opens the next section of a target form; with its points it is an item
    text = ("一级指标二级指标三级指标年度指标值实际完成值"
            "运行保障(25分)预算编制(10分)测算依据(5分)目标管理(5分)")
    assert [r[2] for r in _rows(text)] == ["测算依据(5分)", "目标管理(5分)"]
    # without points it still ends the table
    text = "一级指标二级指标三级指标年度指标值产出指标数量指标培训人数300人培训场次12场测算依据按人均标准测算"
    assert [r[2] for r in _rows(text, self_eval=False)] == ["培训人数", "培训场次"]


def test_a_span_of_months_is_one_value():
    assert kinds(cut_piece("实施周期1-12月已完成100%", 1))[:2] == [(NAME, "实施周期"), (VAL, "1-12月")]
    assert kinds(cut_piece("施工期3月-6月", 1)) == [(NAME, "施工期"), (VAL, "3月-6月")]


def test_a_second_level_word_between_an_item_and_a_first_level_word_is_an_item():
    text = ("一级指标二级指标三级指标年度指标值实际完成值"
            "项目效益社会效益(可选项)生态效益(可选项)公平效率(可选项)服务对象满意度部门决策相关性(5分)明确性(5分)")
    assert [r[2] for r in _rows(text)] == ["社会效益(可选项)", "生态效益(可选项)", "公平效率(可选项)",
                                           "服务对象满意度", "相关性(5分)", "明确性(5分)"]


def test_a_word_written_twice_keeps_two_names_ending_alike_from_being_split_around_it():
    got = kinds(cut_piece("可持续影响巩固脱贫成果有效巩固有效巩固满意度学员满意度", 1))
    assert got == [(CAT, "可持续影响"), (NAME, "巩固脱贫成果"), (VAL, "有效巩固"), (VAL, "有效巩固"),
                   (NAME, "满意度学员满意度")]


def test_every_reader_reads_a_section_label_with_points_as_an_item():
    from pipeline.core.cells import section_label
    from pipeline.core.document import Row
    from pipeline.extract.region import _is_end
    from pipeline.extract.cell_lexicon import NAME, StreamCell
    from pipeline.extract.row_rules import _is_table_end

    assert section_label("测算依据") and not section_label("测算依据(5分)") and not section_label("测算依据 (5 分)")
    # the cell reader (a cell stream) and the grid reader (rows) end their table at the label
    # alone, never at the rubric's item
    assert _is_end(StreamCell(NAME, "测算依据", 7)) and not _is_end(StreamCell(NAME, "测算依据(5分)", 7))
    assert _is_table_end(Row(["测算依据", "按人均标准测算"], 7))
    assert not _is_table_end(Row(["测算依据(5分)", "5", "5"], 7))


def test_a_text_target_swallowed_by_its_name_comes_off_before_an_actual_word():
    got = kinds(cut_piece("验收报告及时性在合同约定时间内提交达成预期指标成本指标", 1))
    assert got == [(NAME, "验收报告及时性"), (VAL, "在合同约定时间内提交"), (VAL, "达成预期指标"), (CAT, "成本指标")]
    # a question answered keeps its name whole; a run with a figure is left to the value rules
    assert kinds(cut_piece("居民知晓度是否明显提高是达成预期指标", 1))[0] == (NAME, "居民知晓度是否明显提高")


def test_rubric_labels_printed_mid_block_take_the_rows_their_points_add_up_to():
    from pipeline.extract.region import StreamRow
    from pipeline.extract.rubric import fill_blocks_by_points

    def row(l1, name, pts):
        return StreamRow(1, l1, "", name, {"weight": pts} if pts else {})

    # a PDF printed 投入(6分) after the first of its two items, 产出(6分) after the first of its own
    rows = [row("", "资金到位率", "3"), row("投入(6分)", "预算执行率", "3"), row("投入(6分)", "培训人数", "2"),
            row("投入(6分)", "片段", ""), row("产出(6分)", "合格率", "2"), row("产出(6分)", "及时率", "2")]
    assert fill_blocks_by_points(rows, "level1")
    assert [r.level1 for r in rows] == ["投入(6分)"] * 2 + ["产出(6分)"] * 4
    # points that do not fill the labels exactly change nothing
    rows = [row("", "资金到位率", "3"), row("投入(6分)", "预算执行率", "4"), row("产出(6分)", "合格率", "5")]
    assert not fill_blocks_by_points(rows, "level1")
    assert [r.level1 for r in rows] == ["", "投入(6分)", "产出(6分)"]


def test_a_second_level_word_with_a_value_right_under_another_is_an_item():
    text = "产出指标时效指标完成时间2024年12月成本指标社会成本指标100"
    tables = assemble(stream([(1, text)]), self_eval=False)
    got = [(r.level2, r.name, r.values.get("target", "")) for t in tables for r in t.rows]
    assert got == [("时效指标", "完成时间", "2024年12月"), ("成本指标", "社会成本指标", "100")]


def test_a_grade_marks_the_end_of_a_row_whose_word_value_is_outside_the_lexicon():
    got = kinds(cut_piece("档案管理规范性档案齐全好人员配备合理性到位好岗位履职率100%", 1))
    assert got[:6] == [(NAME, "档案管理规范性"), (VAL, "档案齐全"), (VAL, "好"), (NAME, "人员配备合理性"),
                       (VAL, "到位"), (VAL, "好")]
    # 好 of 良好 is no grade of its own
    assert (VAL, "运行良") not in kinds(cut_piece("设施维护情况运行良好车辆调度及时率100%", 1))


def test_points_glued_before_a_target_the_actual_repeats_come_off_it():
    # a score table flattened: 分值 | 指标值 | 实际值 | 得分 with no separator (made-up figures)
    assert kinds(cut_piece("培训场次1225场25场12", 1)) == [
        (NAME, "培训场次"), (VAL, "12"), (VAL, "25场"), (VAL, "25场"), (VAL, "12")]
    assert kinds(cut_piece("维修成本830万元30万元8", 1)) == [
        (NAME, "维修成本"), (VAL, "8"), (VAL, "30万元"), (VAL, "30万元"), (VAL, "8")]


def test_a_target_that_merely_ends_like_the_actual_is_not_cut():
    # 115人 against 15人 with a score above any one-digit points: a real target, kept whole
    assert kinds(cut_piece("培训人数115人15人3", 1)) == [
        (NAME, "培训人数"), (VAL, "115人"), (VAL, "15人"), (VAL, "3")]


def test_points_glued_before_a_year_come_off_it():
    got = kinds(cut_piece("资金拨付时间62024年11月2024年11月6", 1))
    assert got[:3] == [(NAME, "资金拨付时间"), (VAL, "6"), (VAL, "2024年11月")]


def test_short_header_words_are_read_inside_a_glued_header_run():
    got = [(c.kind, c.role) for c in cut_piece("三级指标分值年度指标值实际完成值得分偏差原因分析及改进措施", 1)]
    assert got == [(HEAD, "name"), (HEAD, "weight"), (HEAD, "target"), (HEAD, "actual"), (HEAD, "score"),
                   (HEAD, "deviation")]
    # outside a header run, 分值 opens a name
    assert kinds(cut_piece("分值设置合理性100%", 1))[0] == (NAME, "分值设置合理性")


def test_a_glued_score_table_places_its_points_by_the_header():
    text = "一级指标二级指标三级指标分值年度指标值全年实际值得分产出指标数量指标培训场次1020场20场10质量指标验收合格率20100%100%20"
    tables = assemble(stream([(1, text)]), True)
    got = [(r.name, r.values.get("weight"), r.values.get("target"), r.values.get("actual"), r.values.get("score"))
           for t in tables for r in t.rows]
    assert got == [("培训场次", "10", "20场", "20场", "10"), ("验收合格率", "20", "100%", "100%", "20")]


def test_a_total_behind_an_ellipsis_ends_the_table():
    text = ("一级指标二级指标三级指标年度指标值实际完成值产出指标数量指标培训场次20场20场"
            "质量指标验收合格率100%100%……总分100100注:本表")
    assert [r[2] for r in _rows(text)] == ["培训场次", "验收合格率"]


def test_categories_ending_in_zhi_are_categories_of_every_level():
    # a form whose columns are 一级指标值 / 二级指标值 writes its categories 产出值 / 数量值: every
    # alias of the taxonomy takes the ending (alias_endings), glued or in a cell of its own
    from pipeline.core.taxonomy import lookup

    assert lookup("时效值").l2 == "时效指标" and lookup("效益值").l1 == "效益指标"
    assert lookup("经济效益值").l2 == "经济效益指标"
    # a spelling that is a header word stays one: 完成值 is the 实际完成值 column
    assert not lookup("完成值").is_category
    text = "产出值数量值培训人数300人时效值完成时间2024年12月效益值社会效益值群众知晓率≥90%"
    tables = assemble(stream([(1, text)]), self_eval=False)
    got = [(r.level1, r.level2, r.name, r.values.get("target", "")) for t in tables for r in t.rows]
    assert got == [("产出值", "数量值", "培训人数", "300人"), ("产出值", "时效值", "完成时间", "2024年12月"),
                   ("效益值", "社会效益值", "群众知晓率", "≥90%")]


def test_a_valueless_rubric_without_points_is_cut_at_its_management_labels():
    # labels are the taxonomy's management blocks (决策过程, 资金分配, 资金到位); the items between
    # them are cut where their head comes back (决策依据决策程序) or into four-character words
    text = ("一级指标二级指标三级指标年度指标值实际完成值"
            "项目决策决策过程决策依据决策程序资金分配分配办法分配结果项目管理资金到位到位率到位时效")
    assert _rows(text) == [("项目决策", "决策过程", "决策依据"), ("项目决策", "决策过程", "决策程序"),
                           ("项目决策", "资金分配", "分配办法"), ("项目决策", "资金分配", "分配结果"),
                           ("项目管理", "资金到位", "到位率"), ("项目管理", "资金到位", "到位时效")]
    got = kinds(cut_piece("项目管理资金到位监督检查资金管理资金使用财务核算", 1))
    assert got == [(CAT, "项目管理"), (CAT, "资金到位"), (NAME, "监督检查"), (CAT, "资金管理"), (NAME, "资金使用"),
                   (NAME, "财务核算")]


def test_a_run_holding_a_category_word_is_no_rubric_without_its_cue():
    # a title or a name that holds a management word leaves a piece of more than four
    # characters: no rubric
    assert [c.kind for c in cut_piece("部门整体支出绩效评价自评表", 1)] == [NAME]
    # one label only (资金管理 inside a name) is no rubric either
    assert kinds(cut_piece("专项资金管理办法", 1)) == [(NAME, "专项资金管理办法")]
    # a rubric with points is read by its points: the name before the label stays whole
    got = kinds(cut_piece("规划(15分)基础信息(3分)基础信息完整性工作计划(6分)年度工作计划完整性", 1))
    assert (NAME, "基础信息完整性") in got
    # a run with a word value in it holds values: no rubric
    assert (VAL, "有效提升") in kinds(cut_piece("社会效益提升工作效率定性有效提升", 1))


def test_values_listed_with_an_enumeration_comma_are_one_value():
    got = kinds(cut_piece("服务对象年龄18—60周岁存在16岁以下、65周岁以上参训人员考核合格率100%", 1))
    assert got == [(NAME, "服务对象年龄"), (VAL, "18—60周岁"), (NAME, "存在"), (VAL, "16岁以下、65周岁以上"),
                   (NAME, "参训人员考核合格率"), (VAL, "100%")]
    # a bare number before the comma is a numbering or another column, not a list
    assert (VAL, "4、4") not in kinds(cut_piece("绿地保有率95%4、4绿化覆盖率", 1))


def test_a_word_value_right_after_a_category_and_before_a_value_names_the_row():
    text = "产出指标数量指标培训人数300人时效指标按时完成按时完成"
    tables = assemble(stream([(1, text)]), self_eval=False)
    got = [(r.level2, r.name, r.values.get("target", "")) for t in tables for r in t.rows]
    assert got == [("数量指标", "培训人数", "300人"), ("时效指标", "按时完成", "按时完成")]
    # a short word value (合格) after a category opens no row, nor one that no value follows
    from pipeline.extract.neighbours import _word_value_named_row
    from pipeline.extract.cell_stream import StreamCell

    short = [StreamCell(CAT, "质量指标", 1), StreamCell(VAL, "合格", 1), StreamCell(VAL, "合格", 1)]
    assert not _word_value_named_row(short, 1)
    alone = [StreamCell(CAT, "时效指标", 1), StreamCell(VAL, "按时完成", 1), StreamCell(CAT, "成本指标", 1)]
    assert not _word_value_named_row(alone, 1)


def test_a_unit_that_starts_with_a_multiplier_is_read_whole():
    # 百分比 is a unit, not 百 (a multiplier) and 分 (points): the next name keeps its first character
    got = kinds(cut_piece("验收合格率≥98百分比比对准确率100百分比", 1))
    assert got == [(NAME, "验收合格率"), (VAL, "≥98百分比"), (NAME, "比对准确率"), (VAL, "100百分比")]
    # a multiplier before another unit is still one (5百人, 3500万人次)
    assert kinds(cut_piece("服务人数5百人", 1))[1] == (VAL, "5百人")


def test_a_numbered_name_written_as_sentences_ends_at_its_last_full_stop():
    text = ("一级指标二级指标三级指标指标值产出指标数量指标指标1:维修路灯数量12个"
            "质量指标指标1:完成辖区路灯维修任务,指导社区开展巡查。路灯完好,亮灯率高"
            "效益指标社会效益指标指标1:改善居民夜间出行条件。提升社区安全感。明显提升")
    tables = assemble(stream([(1, text)]), self_eval=False)
    got = [(r.name, r.values.get("target", "")) for t in tables for r in t.rows]
    assert got == [("指标1:维修路灯数量", "12个"),
                   ("指标1:完成辖区路灯维修任务,指导社区开展巡查。", "路灯完好,亮灯率高"),
                   ("指标1:改善居民夜间出行条件。提升社区安全感。", "明显提升")]
    # without a numbering, a name with a full stop inside is prose: the table ends there
    text = "一级指标二级指标三级指标指标值产出指标数量指标维修路灯数量12个质量指标完成维修任务。路灯完好,亮灯率高"
    tables = assemble(stream([(1, text)]), self_eval=False)
    assert [r.name for t in tables for r in t.rows] == []


def test_an_actual_word_glued_to_its_figure_ends_the_name_and_is_one_value():
    got = kinds(cut_piece("巡查质量按标准巡查已完成100%成本指标", 1))
    assert got == [(NAME, "巡查质量"), (VAL, "按标准巡查"), (VAL, "已完成100%"), (CAT, "成本指标")]
    # an actual word inside a name, no figure after it, stays in the name
    assert kinds(cut_piece("已完成投资额5000万元", 1))[0] == (NAME, "已完成投资额")


def test_a_text_target_opened_by_a_comparator_word_comes_off_its_name():
    # before a figure: the target runs through the figure and a short tail before the actual
    got = kinds(cut_piece("培训次数不少于每季度1次培训已完成100%", 1))
    assert got == [(NAME, "培训次数"), (VAL, "不少于每季度1次培训"), (VAL, "已完成100%")]
    # before no value (a category word follows): the words after the opener are the target
    got = kinds(cut_piece("健康宣传覆盖辖区全部居民质量指标", 1))
    assert got == [(NAME, "健康宣传"), (VAL, "覆盖辖区全部居民"), (CAT, "质量指标")]
    # a name that only holds the word (医保覆盖率) before its value stays whole
    assert kinds(cut_piece("农村医保覆盖率100%", 1)) == [(NAME, "农村医保覆盖率"), (VAL, "100%")]


def test_an_enumerator_opens_a_name_not_a_value():
    assert kinds(cut_piece("2次2、培训人数300人", 1)) == [(VAL, "2次"), (NAME, "2、培训人数"), (VAL, "300人")]
    assert kinds(cut_piece("(3)宣传覆盖率", 1)) == [(NAME, "(3)宣传覆盖率")]
    assert kinds(cut_piece("1.5万元", 1)) == [(VAL, "1.5万元")]
