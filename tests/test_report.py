"""report.html: ordered by errors, Chinese names with the code in small print, empty
filings marked, search/filter/sort in an inline script, nothing fetched."""

from __future__ import annotations

import re

from pipeline.run.batch import BatchResult
from pipeline.extract.facts import FilingInfo
from pipeline.core.flags import Flag, review_rules
from pipeline.output.tables import summaries
from pipeline.output.report import write_report


def _batch() -> BatchResult:
    res = BatchResult()
    for f, kind in (("a_quiet.txt", "self_eval"), ("b_empty.txt", "target_table"), ("c_bad.txt", "target_table")):
        res.filings.append(FilingInfo(file=f, kind=kind, department="某县财政局"))
    res.records = [{"file": "a_quiet.txt", "table": 1, "row": 3, "name": "培训人数", "flags": "MISSING_UNIT",
                    "level2": "数量指标"},
                   {"file": "c_bad.txt", "table": 1, "row": 5, "name": "完成时限", "flags": "MISSING_VALUE",
                    "level2": "时效指标"}]
    res.flags = [Flag("a_quiet.txt", 1, 3, "MISSING_UNIT", "warning", "缺少单位", name="培训人数"),
                 Flag("c_bad.txt", 1, 5, "MISSING_VALUE", "error", "没有指标值", name="完成时限"),
                 Flag("c_bad.txt", 0, 0, "MISSING_DIMENSION", "warning", "缺少效益指标")]
    return res


def test_report_orders_filings_by_errors_and_marks_empty_ones(tmp_path):
    res = _batch()
    write_report(tmp_path / "r.html", res, summaries(res))
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    table = html[html.index("id='filings'"):html.index("</table>", html.index("id='filings'"))]
    order = re.findall(r"<a href='#f\d+'>([^<]+)</a>", table)
    assert order == ["c_bad.txt", "a_quiet.txt", "b_empty.txt"]
    empty_row = next(r for r in table.split("<tr") if "b_empty.txt" in r)
    assert "0 条指标" in empty_row and "class=empty" in empty_row
    assert "绩效目标表" in table and "绩效自评表" in table


def test_report_shows_chinese_flag_names_with_the_code_in_small_print(tmp_path):
    res = _batch()
    write_report(tmp_path / "r.html", res, summaries(res))
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    zh = review_rules().zh("MISSING_VALUE")
    assert zh != "MISSING_VALUE"
    assert f"{zh} <span class='code'>MISSING_VALUE</span>" in html
    assert "<td class='sev-error'>错误</td>" in html


def test_report_has_search_filter_sort_inline_and_fetches_nothing(tmp_path):
    res = _batch()
    write_report(tmp_path / "r.html", res, summaries(res))
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "id='q'" in html and "id='code'" in html and "th class='sort'" in html
    assert "<option value='MISSING_VALUE'>" in html
    assert "<script>" in html and "<script src" not in html
    assert not re.search(r"(src|href)=['\"]?(https?:)?//", html) and "@import" not in html
    rows = re.findall(r"<tr data-file='c_bad.txt'[^>]*data-codes='([^']*)'", html)
    assert rows == ["MISSING_DIMENSION MISSING_VALUE"]


def test_every_flag_code_has_a_chinese_name():
    rr = review_rules()
    for code in rr.codes:
        assert re.search(r"[\u4e00-\u9fff]", rr.zh(code)), code
