"""indicators.xlsx as a reviewer reads it: the reviewer's columns first, Chinese headers
with a legend of the English names, header and first column frozen, comments sized to
their message."""

from __future__ import annotations

from openpyxl import load_workbook

from pipeline.run.batch import BatchResult
from pipeline.run.enrich import ALL_COLUMNS
from pipeline.extract.facts import FilingInfo
from pipeline.core.flags import Flag
from pipeline.output.tables import comment_size, write_xlsx


def _batch() -> BatchResult:
    res = BatchResult()
    res.filings.append(FilingInfo(file="a.txt", kind="target_table"))
    base = {c: "" for c in ALL_COLUMNS}
    res.records = [dict(base, file="a.txt", table=1, row=3, name="培训人数", target_raw="300", detail="说明" * 40,
                        flags="MISSING_UNIT"),
                   dict(base, file="a.txt", table=1, row=4, name="完成时限", target_raw="", flags="MISSING_VALUE")]
    res.flags = [Flag("a.txt", 1, 3, "MISSING_UNIT", "warning", "数字没有单位", name="培训人数"),
                 Flag("a.txt", 1, 4, "MISSING_VALUE", "error", "没有指标值。" * 30, suggestion="填写可考核的时限",
                      name="完成时限")]
    return res


def test_workbook_puts_name_target_actual_unit_flags_first_with_chinese_headers(tmp_path):
    write_xlsx(tmp_path / "w.xlsx", _batch(), ALL_COLUMNS)
    wb = load_workbook(tmp_path / "w.xlsx")
    ws = wb["indicators"]
    header = [c.value for c in ws[1]]
    assert header[:6] == ["三级指标", "指标值", "完成值", "计量单位", "标记", "建议"]
    assert header.index("指标解释") > 10 and "name" not in header
    assert ws.freeze_panes == "B2"
    legend = {row[0]: row[1] for row in wb["列名对照"].iter_rows(min_row=2, values_only=True)}
    assert legend["三级指标"] == "name" and legend["指标解释"] == "detail"
    assert set(ALL_COLUMNS) <= set(legend.values())
    assert ws.cell(row=2, column=1).value == "培训人数" and ws.cell(row=2, column=2).value == "300"


def test_workbook_comment_boxes_fit_their_message(tmp_path):
    short_w, short_h = comment_size("[MISSING_UNIT] 数字没有单位")
    long_w, long_h = comment_size("[MISSING_VALUE] " + "没有指标值。" * 30 + "\n建议：填写可考核的时限")
    assert short_w < long_w and short_h < long_h
    assert long_h >= 15 * (len("没有指标值。" * 30) * 2 // 56)        # every wrapped line has room
    write_xlsx(tmp_path / "w.xlsx", _batch(), ALL_COLUMNS)
    import zipfile

    with zipfile.ZipFile(tmp_path / "w.xlsx") as z:
        vml = next(z.read(n).decode() for n in z.namelist() if n.endswith(".vml"))
    assert f"height:{long_h}px" in vml.replace(" ", "") or f"height:{long_h}" in vml
