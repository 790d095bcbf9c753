"""NO_ROWS_READ: a form from which nothing was read is reported, not shown as clean."""

from __future__ import annotations

from pipeline.run.batch import process_file


def _codes(tmp_path, text: str, name: str = "x.txt") -> list[str]:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    res = process_file(str(p))
    return [f.code for f in res.flags if not f.table]


def test_a_target_table_with_no_readable_row_gets_no_rows_read(tmp_path):
    text = "某单位2023年项目绩效目标表\n（表格为图片，未能转换）\n填表人：张三\n"
    assert "NO_ROWS_READ" in _codes(tmp_path, text)


def test_a_read_target_table_gets_no_such_flag(tmp_path):
    text = ("某单位2023年项目绩效目标表\n| 一级指标 | 二级指标 | 三级指标 | 指标值 |\n"
            "| 产出指标 | 数量指标 | 培训人数 | ≥300人 |\n| 效益指标 | 社会效益指标 | 受益人数 | 500人 |\n")
    assert "NO_ROWS_READ" not in _codes(tmp_path, text)


def test_a_report_in_prose_gets_no_such_flag(tmp_path):
    text = "某单位2023年项目绩效自评报告\n一、项目概况\n本项目全年完成培训300人次，群众满意度较高。\n"
    assert "NO_ROWS_READ" not in _codes(tmp_path, text)
