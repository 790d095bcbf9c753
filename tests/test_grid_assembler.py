"""Grid tables read by the one assembler (``grid_tables: assembler``): each family of grid rows
the grid reader handles, on a made-up table, read the same by both readers — rows, rejects with
their reasons, totals, headers. No filing is named."""

from __future__ import annotations

import dataclasses

import pytest

from pipeline.core.errors import ConfigError
from pipeline.extract.cell_lexicon import StreamCell, _grid_tables, reader_rules
from pipeline.extract.read import extract
from pipeline.extract.roles import row_roles
from pipeline.ingest.text_reader import read_text


def _extract(text: str, reader: str, monkeypatch):
    rules = dataclasses.replace(reader_rules(), grid_tables=reader)
    monkeypatch.setattr("pipeline.extract.read.reader_rules", lambda: rules)
    return extract(read_text(text.encode(), "x.txt"))


def _both(text: str, monkeypatch):
    """The extraction by the grid reader and by the assembler, as comparable tuples."""
    out = []
    for reader in ("grid", "assembler"):
        ex = _extract(text, reader, monkeypatch)
        out.append(([(r.table, r.row, r.level1_filed, r.level2_filed, r.name, r.target_raw, r.actual_raw, r.weight,
                      r.score, r.detail, r.extra, r.block_weight, r.history_raw, r.level1_inherited, r.cut_off)
                     for r in ex.rows],
                    [(j.table, j.row, j.reason) for j in ex.rejects], ex.totals, ex.rows_read))
    return out


def _names(text: str, monkeypatch):
    return [(r.level1_filed, r.level2_filed, r.name, r.target_raw) for r in _extract(text, "assembler", monkeypatch).rows]


def test_rows_whose_merged_cells_were_dropped_slide_left(monkeypatch):
    text = "\n".join([
        "| 一级指标 | 二级指标 | 三级指标 | 指标值 |",
        "| 产出指标 | 数量指标 | 培训人数 | 300人 |",
        "| 培训场次 | 12场 |",
        "| 质量指标 | 培训合格率 | ≥95% |",
    ])
    assert _names(text, monkeypatch) == [
        ("产出指标", "数量指标", "培训人数", "300人"),
        ("产出指标", "数量指标", "培训场次", "12场"),
        ("产出指标", "质量指标", "培训合格率", "≥95%"),
    ]
    grid, assembler = _both(text, monkeypatch)
    assert grid == assembler


def test_row_roles_align_by_content_with_the_column_as_tie_breaker():
    cols = {0: "level1", 1: "level2", 2: "name", 3: "target"}
    cells = [StreamCell("NAME", "培训场次", 5, whole=True, col=0), StreamCell("VAL", "12场", 5, whole=True, col=1)]
    end, roles = row_roles(cells, 0, cols)
    assert end == 2 and roles == {0: "name", 1: "target"}


def test_a_self_evaluation_with_points_and_a_total(monkeypatch):
    text = "\n".join([
        "| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |",
        "| 产出指标 | 数量指标 | 培训人数 | 300人 | 320人 | 10 | 10 |",
        "| | 质量指标 | 培训合格率 | ≥95% | 98% | 10 | 9 |",
        "| 效益指标 | 社会效益指标 | 就业率 | ≥80% | 85% | 20 | 20 |",
        "| 合计 | | | | | 40 | 39 |",
        "| 填表人: 张三 | 联系电话: 123 |",
    ])
    grid, assembler = _both(text, monkeypatch)
    assert grid == assembler
    rows, rejects, totals, _ = assembler
    assert [(r[4], r[7], r[8]) for r in rows] == [("培训人数", "10", "10"), ("培训合格率", "10", "9"), ("就业率", "20", "20")]
    assert (1, ["40", "39"]) in totals
    assert [r for _, _, r in rejects] == ["header", "total row", "end of indicator table"]


def test_a_header_wrapped_over_two_rows_with_history_sub_headers(monkeypatch):
    text = "\n".join([
        "| 一级 | 二级 | 三级 | 指标值 | |",
        "| 指标 | 指标 | 指标 | | |",
        "| | | | 近两年指标值 | 预期当年实现值 |",
        "| | | | 前年 | 上年 |",
        "| 产出指标 | 数量指标 | 培训人数 | 280人 | 290人 | 300人 |",
        "| | | 培训场次 | 10场 | 11场 | 12场 |",
    ])
    grid, assembler = _both(text, monkeypatch)
    assert grid == assembler


def test_a_row_cut_by_a_page_break_is_joined_to_its_other_half(monkeypatch):
    text = "\n".join([
        "| 一级指标 | 二级指标 | 三级指标 | 指标值 |",
        "| 产出指标 | 时效指标 | 办结率 | 100% |",
        "| | | | 标准:100% |",
        "| | | 审批及时率 | 标准:100% |",
        "| | | 受理时长 | 3天 |",
    ])
    grid, assembler = _both(text, monkeypatch)
    assert grid == assembler


def test_a_listing_cell_gives_one_row_per_management_item(monkeypatch):
    # tab-separated (a pipe table's cells lose their inner blanks)
    text = "\n".join([
        "一级指标\t二级指标\t三级指标\t指标值\t分值\t得分",
        "投入管理指标\t\t预算编审管理 预算执行管理 资产管理\t按文件规定设置\t7.50\t7.50",
        "10.20\t10.15",
        "0.90\t0.90",
        "产出指标\t数量指标\t培训人数\t300人\t10\t10",
    ] + [f"\t\t{name}\t{value}\t10\t10" for name, value in [("培训场次", "12场"), ("合格率", "95%"), ("满意度", "90%")]])
    grid, assembler = _both(text, monkeypatch)
    assert grid == assembler
    assert [(r[4], r[7], r[8]) for r in assembler[0]][:3] == [
        ("预算编审管理", "7.50", "7.50"), ("预算执行管理", "10.20", "10.15"), ("资产管理", "0.90", "0.90")]


def test_a_category_row_and_a_section_label_in_the_first_column(monkeypatch):
    text = "\n".join([
        "| 一级指标 | 二级指标 | 三级指标 | 实施周期指标值 | 年度指标值 |",
        "| 绩效指标 | 产出指标 | 康复服务人次 | 资助例数 | 预计资助1920例 |",
        "| | | 托养人数 | 托养服务 | 预计资助93人 |",
        "| 效益指标 | | 社会效益指标 | 未达指标值酌情扣分 | |",
        "| | | 群众满意度 | | ≥90% |",
    ])
    grid, assembler = _both(text, monkeypatch)
    assert grid == assembler
    assert [r for _, _, r in assembler[1]] == ["header", "category row without an indicator"]


def test_indicators_in_the_description_column(monkeypatch):
    text = "\n".join([
        "| 指标类型 | 指标名称 | 指标值 | 指标描述 |",
        "| 产出指标 | 数量指标 | 300万㎡ | 完成绿地养护面积 |",
        "|  |  | 12次 | 开展病虫害防治次数 |",
        "|  | 质量指标 | ≥95% | 绿地养护达标率 |",
    ])
    assert _names(text, monkeypatch) == [
        ("产出指标", "数量指标", "完成绿地养护面积", "300万㎡"),
        ("产出指标", "数量指标", "开展病虫害防治次数", "12次"),
        ("产出指标", "质量指标", "绿地养护达标率", "≥95%"),
    ]


def test_a_management_word_names_a_score_tables_row(monkeypatch):
    text = "\n".join([
        "| 一级指标 | 二级指标 | 三级指标 | 分值 | 得分 |",
        "| 过程 | 资金管理 | 资金到位率 | 5 | 5 |",
        "| | | 财务管理 | 5 | 4 |",
        "| | | 资金使用合规性 | 5 | 5 |",
    ])
    grid, assembler = _both(text, monkeypatch)
    assert grid == assembler


def test_first_levels_in_the_second_column_under_a_level_above(monkeypatch):
    # 实施效果指标 | 产出指标: the 二级 column holds first levels; the next 效益指标, in the 一级
    # column with its 二级 cell blank, is the second level of that block (and its first level
    # only carried down: level1_inherited)
    text = "\n".join([
        "| 一级指标 | 二级指标 | 三级指标 | 指标值 |",
        "| 实施效果指标 | 产出指标 | 建设项目个数 | 3个 |",
        "| | | 建成道路长度 | 12公里 |",
        "| 效益指标 | | 受益人数 | 500人 |",
        "| | | 群众满意度 | ≥90% |",
    ])
    grid, assembler = _both(text, monkeypatch)
    assert grid == assembler
    assert [(r[2], r[3], r[4], r[13]) for r in assembler[0]] == [
        ("实施效果指标", "产出指标", "建设项目个数", False), ("实施效果指标", "产出指标", "建成道路长度", False),
        ("实施效果指标", "效益指标", "受益人数", True), ("实施效果指标", "效益指标", "群众满意度", True)]


def test_the_grid_reader_is_chosen_by_name_only():
    assert _grid_tables("assembler", "configs/cell_reader.yaml") == "assembler"
    with pytest.raises(ConfigError, match="grid or assembler"):
        _grid_tables("cells", "configs/cell_reader.yaml")
