"""The one row builder both readers share (pipeline/extract/build.py): fill-down over merged
cells and the IndicatorRow built from a row's roles. Made-up rows, no filing."""

from __future__ import annotations

from pipeline.extract.build import FillDown, indicator_row


def test_merged_first_level_is_carried_and_marked_inherited():
    # | 产出指标 | 数量指标 | … | then | | 质量指标 | …: the blank 一级 cell carries 产出指标
    fill = FillDown()
    fill.update({"level1": (0, "产出指标"), "level2": (1, "数量指标"), "name": (2, "培训人数")})
    assert (fill.l1, fill.l2, fill.l1_carried) == ("产出指标", "数量指标", False)
    fill.update({"level2": (1, "质量指标"), "name": (2, "培训合格率")})
    assert (fill.l1, fill.l2, fill.l1_carried) == ("产出指标", "质量指标", True)


def test_first_level_in_the_second_column_under_a_first_level_above():
    # | 实施效果指标 | 产出指标 | … | then | 效益指标 | | …: 效益指标 is the 二级 cell of the block
    fill = FillDown()
    fill.update({"level1": (0, "实施效果指标"), "level2": (1, "产出指标"), "name": (2, "建设项目个数")})
    assert fill.l1_above
    fill.update({"level1": (0, "效益指标"), "name": (2, "受益人数")})
    assert (fill.l1, fill.l2) == ("实施效果指标", "效益指标")


def test_cell_by_cell_levels_of_a_stream():
    fill = FillDown()
    fill.first_level("产出指标")
    fill.second_level("时效指标")
    assert (fill.l1, fill.l2, fill.l1_carried) == ("产出指标", "时效指标", True)
    fill.first_level("效益指标")
    assert (fill.l2, fill.l1_carried) == ("", False)


def test_roles_in_column_order_become_the_row():
    row = indicator_row("f.txt", 1, 7, "产出指标", "数量指标", "培训人数",
                        [("history", "280人"), ("history#2", "290人"), ("target", "300人"), ("actual", "320人"),
                         ("detail", "全年培训人次"), ("other", "按台账"), ("weight", "10"), ("score", "9")],
                        labels={"other": "评分标准"}, block_weight="30")
    assert (row.target_raw, row.actual_raw, row.weight, row.score) == ("300人", "320人", "10", "9")
    assert row.history_raw == "280人 / 290人"
    assert row.detail == "全年培训人次"
    assert row.extra == "评分标准: 按台账"
    assert row.block_weight == "30"


def test_period_target_stands_in_for_a_missing_yearly_target():
    row = indicator_row("f.txt", 1, 3, "", "", "道路长度", [("period_target", "12公里"), ("unit", "公里")])
    assert (row.target_raw, row.unit_raw) == ("12公里", "公里")
