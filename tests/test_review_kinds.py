"""The review fits the kind of document: an indicator library or a blank form gets no
target-value flags, decided from the document's own content; points in a score sheet are
points, not counts without their unit."""

from __future__ import annotations

from pipeline.run.batch import process_file

ROWS = ("产出指标\t数量指标\t培训人数\t{v1}\n"
        "产出指标\t质量指标\t培训合格率\t{v2}\n"
        "效益指标\t社会效益指标\t群众知晓率\t{v3}\n"
        "满意度指标\t服务对象满意度指标\t学员满意度\t{v4}\n")
EMPTY = ROWS.format(v1="", v2="", v3="", v4="")


def _run(tmp_path, text, name="doc.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    res = process_file(str(p))
    assert res.error is None, res.error
    return res


def _codes(res) -> set[str]:
    return {f.code for f in res.flags}


TARGET_CODES = {"MISSING_VALUE", "PLACEHOLDER_VALUE", "VAGUE_TARGET", "MISSING_UNIT"}


def test_an_indicator_library_that_names_itself_gets_no_target_flags(tmp_path):
    text = "培训类项目通用共性指标库\n一级指标\t二级指标\t三级指标\n" + EMPTY.replace("\t\n", "\n")
    res = _run(tmp_path, text)
    assert res.info.kind == "library"
    assert not _codes(res) & TARGET_CODES


def test_the_same_rows_in_a_target_table_with_empty_targets_are_flagged(tmp_path):
    # the check of the test above can fail: a filing's own empty target cells are still missing
    text = "项目名称\t培训项目\n一级指标\t二级指标\t三级指标\t指标值\n" + ROWS.format(v1="100人", v2="", v3="", v4="≥90%")
    res = _run(tmp_path, text)
    assert res.info.kind == "target_table"
    assert "MISSING_VALUE" in _codes(res)


def test_a_library_with_an_attribute_column_of_qualitative_and_quantitative(tmp_path):
    text = ("绩效评价指标表\n序号\t一级指标\t二级指标\t三级指标\t指标属性\n"
            "1\t产出指标\t数量指标\t完成管网普查的片区数量\t定量\n"
            "2\t产出指标\t质量指标\t普查资料建档并数字化\t定性\n"
            "3\t效益指标\t社会效益指标\t居民用水保障程度\t定性\n")
    res = _run(tmp_path, text)
    assert res.info.kind == "library"
    assert not _codes(res) & TARGET_CODES


def test_a_filled_form_calling_itself_an_indicator_system_is_no_library(tmp_path):
    text = "部门整体支出绩效指标体系\n一级指标\t二级指标\t三级指标\t指标值\n" + ROWS.format(
        v1="100人", v2="≥90%", v3="提高", v4="≥90%")
    res = _run(tmp_path, text)
    assert res.info.kind == "target_table"
    assert "VAGUE_TARGET" in _codes(res)       # 提高 is still vague in a real form


def test_a_blank_form_with_empty_fields_is_a_template(tmp_path):
    text = ("附件3 绩效目标自评表\n项目类别:项目名称:承担单位:(盖章)\n"
            "一级指标\t二级指标\t三级指标\t年度指标值\t全年完成值\n" + EMPTY)
    res = _run(tmp_path, text)
    assert res.info.kind == "template"
    assert not _codes(res) & TARGET_CODES


def test_an_example_of_filling_in_is_a_template(tmp_path):
    text = ("项目支出绩效目标申报表填写样例\n一级指标\t二级指标\t三级指标\t指标值\n"
            + ROWS.format(v1="", v2="合格", v3="提高", v4="≥90%"))
    res = _run(tmp_path, text)
    assert res.info.kind == "template"
    assert not _codes(res) & TARGET_CODES


# the points column read as the value column (as the reader does when a sheet's header is
# glued or missing): the labels' (N分) show the numbers are points
SHEET = ("项目支出绩效自评评分表\n一级指标\t二级指标\t三级指标\t指标值\n"
         "项目产出(30分)\t数量指标(10分)\t完成数量\t{n}\n"
         "项目产出(30分)\t质量指标(10分)\t完成质量\t5\n"
         "项目效益(40分)\t社会效益指标\t社会效益\t40\n")


def test_points_in_a_score_sheet_are_no_count_without_unit(tmp_path):
    res = _run(tmp_path, SHEET.format(n="10"))
    assert not [f for f in res.flags if f.code == "MISSING_UNIT"]


def test_a_number_above_its_blocks_points_keeps_its_missing_unit(tmp_path):
    res = _run(tmp_path, SHEET.format(n="757"))
    assert [f.name for f in res.flags if f.code == "MISSING_UNIT"] == ["完成数量"]


def test_a_bare_count_in_a_table_without_points_keeps_its_missing_unit(tmp_path):
    text = SHEET.format(n="10").replace("(30分)", "").replace("(10分)", "").replace("(40分)", "")
    res = _run(tmp_path, text)
    assert "MISSING_UNIT" in _codes(res)


def test_a_sheets_total_row_read_as_an_indicator_gets_no_row_flags(tmp_path):
    text = ("一级指标\t二级指标\t三级指标\t指标值\n" + ROWS.format(v1="100人", v2="≥90%", v3="提高", v4="≥90%")
            + "满意度指标\t服务对象满意度指标\t得分合计\t100\n")
    res = _run(tmp_path, text)
    assert any(r.name == "得分合计" for r in res.rows)        # the reader still emits it
    assert not [f for f in res.flags if f.name == "得分合计"]
    assert [f.name for f in res.flags if f.code == "VAGUE_TARGET"] == ["群众知晓率"]   # a real row keeps its flag


def test_a_category_label_left_as_its_points_is_no_unknown_category(tmp_path):
    text = ("一级指标\t二级指标\t三级指标\t指标值\n" + ROWS.format(v1="100人", v2="≥90%", v3="≥80%", v4="≥90%")
            + "(20分)\t(10分)\t决策依据充分性\t充分\n"
            + "项目决策类\t决策指标\t决策程序规范性\t规范\n")
    res = _run(tmp_path, text)
    unknown = {f.name for f in res.flags if f.code == "UNKNOWN_CATEGORY"}
    assert "决策依据充分性" not in unknown and "决策程序规范性" in unknown


def test_a_first_level_in_the_second_level_column_counts_for_the_dimensions(tmp_path):
    text = ("项目名称\t道路建设项目\n一级指标\t二级指标\t三级指标\t指标值\n"
            "实施效果指标\t产出指标\t建设道路长度\t≥5公里\n"
            "实施效果指标\t效益指标\t群众出行条件\t持续改善\n"
            "满意度指标\t服务对象满意度指标\t群众满意度\t≥90%\n")
    res = _run(tmp_path, text)
    assert not [f for f in res.flags if f.code == "MISSING_DIMENSION"]
    res = _run(tmp_path, text.replace("实施效果指标\t产出指标\t建设道路长度\t≥5公里\n", ""), "cut.txt")
    assert [f.message for f in res.flags if f.code == "MISSING_DIMENSION" and "产出指标" in f.message]


def test_no_absence_flag_on_rows_cut_out_of_one_glued_line_but_flags_on_what_a_cell_says():
    # three rows read from text line 4 (产出指标数量指标甲…乙…丙… flattened into one line)
    from pipeline.core.flags import Flag
    from pipeline.extract.rows import IndicatorRow
    from pipeline.review.kinds import fit_to_kind
    from pipeline.review.rows import RowCtx

    ctxs = [RowCtx(IndicatorRow(file="f", table=1, row=4, name=n), None, None) for n in ("甲", "乙", "丙")]
    ctxs.append(RowCtx(IndicatorRow(file="f", table=1, row=9, name="丁"), None, None))
    flags = [Flag("f", 1, 4, "MISSING_VALUE", "warning", "", "", "", "甲"),
             Flag("f", 1, 4, "VAGUE_TARGET", "warning", "", "", "", "乙"),
             Flag("f", 1, 9, "MISSING_VALUE", "warning", "", "", "", "丁")]
    kept = [(f.row, f.code) for f in fit_to_kind(flags, "self_eval", ctxs)]
    assert kept == [(4, "VAGUE_TARGET"), (9, "MISSING_VALUE")]
    assert len(fit_to_kind(flags, "self_eval", ctxs[:2] + ctxs[3:])) == 3   # two rows on a line are no glued line
    # … unless the reader cut a third piece out of it and rejected it as cut off at the end of the text
    kept = [(f.row, f.code) for f in fit_to_kind(flags, "self_eval", ctxs[:2] + ctxs[3:], cut_rows=[(1, 4)])]
    assert kept == [(4, "VAGUE_TARGET"), (9, "MISSING_VALUE")]
    # a cut row on a line with no other row makes no glued line
    assert len(fit_to_kind(flags, "self_eval", ctxs[3:], cut_rows=[(1, 5)])) == 3


def test_a_report_without_rows_is_no_template_whatever_its_page_fields(tmp_path):
    text = ("某县2022年农村危房改造项目绩效自评报告\n发布机构:某县财政局 成文日期:浏览次数:编辑:\n"
            "附件:自评样表\n一、项目基本情况\n2022年共下达资金120万元，完成改造58户，资金执行率100%。\n")
    res = _run(tmp_path, text)
    assert res.info.kind == "report"


def test_a_label_split_over_two_lines_and_a_notes_heading_are_no_indicators(tmp_path):
    text = ("一级指标\t二级指标\t三级指标\t指标值\n" + ROWS.format(v1="100人", v2="≥90%", v3="提高", v4="≥90%")
            + "满意度指标\t满意度指标\t服务对象\t\n"          # 服务对象 | 满意度指标: one label on two lines
            + "满意度指标\t满意度指标\t说明\t\n"
            + "满意度指标\t满意度指标\t完成率\t\n")           # a real name without its value keeps its flag
    res = _run(tmp_path, text)
    flagged = {f.name for f in res.flags}
    assert "服务对象" not in flagged and "说明" not in flagged
    assert "完成率" in {f.name for f in res.flags if f.code == "MISSING_VALUE"}


EVALUATION = ("项目支出绩效评价得分表\n一级指标\t二级指标\t三级指标\t指标值\n"
              "项目决策\t\t绩效目标合理性\t5\n"
              "项目管理\t\t资金使用合规性\t4\n"
              "项目完成\t\t完成数量\t{n}\n"
              "项目完成\t\t完成质量\t5\n"
              "项目效益\t\t社会效益\t40\n")


def test_an_evaluation_sheet_has_no_second_levels_to_miss_and_its_numbers_are_points(tmp_path):
    res = _run(tmp_path, EVALUATION.format(n="5"))
    codes = {(f.name, f.code) for f in res.flags}
    assert not {c for c in codes if c[1] in ("MISSING_CATEGORY", "MISSING_UNIT")}, codes


def test_without_management_rows_the_same_rows_miss_their_second_level(tmp_path):
    text = EVALUATION.format(n="5").replace("项目决策\t\t绩效目标合理性\t5\n", "").replace("项目管理\t\t资金使用合规性\t4\n", "")
    res = _run(tmp_path, text)
    assert "MISSING_CATEGORY" in {f.code for f in res.flags}
