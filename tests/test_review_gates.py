"""Flags only as sure as their inputs: truncation shown by the text, norms of the same
indicator, and a filing's department and year from its own fields, never page furniture."""

from __future__ import annotations

import pytest

from pipeline.norms.lookup import load_norms
from pipeline.run.batch import process_file
from pipeline.values.parse import parse_value

TARGETS = ("项目名称\t培训项目\n"
           "一级指标\t二级指标\t三级指标\t指标值\n"
           "产出指标\t数量指标\t培训人数\t100人\n"
           "产出指标\t质量指标\t培训合格率\t≥90%\n")


def _dimension(tmp_path, text):
    p = tmp_path / "targets.txt"
    p.write_text(text, encoding="utf-8")
    res = process_file(str(p))
    assert res.error is None
    return [f for f in res.flags if f.code == "MISSING_DIMENSION"]


def test_a_complete_table_at_the_end_of_the_text_is_not_called_cut(tmp_path):
    flags = _dimension(tmp_path, TARGETS)
    assert len(flags) == 1 and "截断" not in flags[0].message


def test_a_cut_off_marker_after_the_table_is_named_as_the_evidence(tmp_path):
    flags = _dimension(tmp_path, TARGETS + "[excerpt ends here]\n")
    assert len(flags) == 1 and "文末标注「[excerpt ends here]」" in flags[0].message


def test_a_last_row_with_fewer_cells_than_the_table_is_named_as_cut(tmp_path):
    flags = _dimension(tmp_path, TARGETS + "效益指标\t社会效益指标\t就业")
    assert len(flags) == 1 and "最后一行「效益指标 | 社会效益指标 | 就业」不完整" in flags[0].message


def test_no_norm_of_another_indicator_for_a_name_that_only_shares_its_ending():
    norms = load_norms()
    m = norms.match("工资发放准确性", "", "")
    if m is None:
        pytest.skip("the shipped norms match no 准确率 indicator for this name")
    assert not norms.same_indicator("工资发放准确性", m)
    for f in norms.review("工资发放准确性", "质量指标", parse_value("100%")):
        assert m.canonical_name not in f.message + f.evidence + f.suggestion
        assert f.code != "NORM_OUTLIER"


def test_names_equal_once_normalised_and_designed_families_still_compare():
    norms = load_norms()
    m = norms.match("游客满意度", "%", "服务对象满意度指标")
    assert m is not None and norms.same_indicator("游客满意度", m)
    assert [f.code for f in norms.review("游客满意度", "服务对象满意度指标", parse_value("60%"))] == ["NORM_OUTLIER"]


@pytest.mark.parametrize("head, dept, year", [
    ("项目支出绩效自评表\n（2022年度）\n项目名称\t培训\n主管部门\t219-池州市某镇人民政府\n实施单位\t某镇人民政府\n", "池州市某镇人民政府",
     "2022"),
    ("您当前的位置:首页 > 信息公开 > 某县政府办\n项目名称\t培训\n单位负责人:张三\t填报日期:2024年1月5日\n", "", "2024"),
    ("部门名称\t****\n部门\t年度工作计划是否完整可行\n2023年度部门整体支出绩效目标表\n", "", "2023"),
    ("TITLE: 2021年度某项目绩效自评表 某县交通运输局\n项目名称\t道路\n在2020年度完成的工作\n", "某县交通运输局", "2021"),
])
def test_department_and_year_from_the_forms_fields_and_title(tmp_path, head, dept, year):
    p = tmp_path / "f.txt"
    p.write_text(head + TARGETS, encoding="utf-8")
    res = process_file(str(p))
    assert res.error is None
    assert (res.info.department, res.info.year) == (dept, year)


@pytest.mark.parametrize("dept, region", [
    ("池州市贵池区棠溪镇人民政府", "池州市贵池区"), ("忠县财政局", "忠县"), ("中共黄山市徽州区委宣传部", "黄山市徽州区"),
    ("安居区市场监管局", "安居区"), ("固原市原州区自然资源局", "固原市原州区"), ("湖北工程学院", ""), ("区疾控中心", ""),
])
def test_region_is_the_administrative_prefix_of_the_department(dept, region):
    from pipeline.extract.facts import _region

    assert _region(dept) == region


def test_a_blocks_points_read_as_a_name_carry_no_row_flags(tmp_path):
    text = ("一级指标\t二级指标\t三级指标\t指标值\n产出指标\t(40-50)分\n产出指标\t数量指标\t培训人数\t100人\n"
            "效益指标\t社会效益指标\t就业率\t≥60%\n满意度指标\t服务对象满意度指标\t学员满意度\t≥90%\n")
    p = tmp_path / "points.txt"
    p.write_text(text, encoding="utf-8")
    res = process_file(str(p))
    assert not [f for f in res.flags if f.name.startswith("(40")]


def test_a_category_label_read_as_a_name_carries_no_row_flags(tmp_path):
    text = TARGETS + "成本指标\t成本指标\t社会成本指标\t100\n"
    p = tmp_path / "category.txt"
    p.write_text(text, encoding="utf-8")
    res = process_file(str(p))
    assert any(r.name == "社会成本指标" for r in res.rows)
    assert not [f for f in res.flags if f.name == "社会成本指标"]
