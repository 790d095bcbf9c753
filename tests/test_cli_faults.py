"""Faults found when jixiao was tried as a new user would: each is pinned here."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from pipeline.run.batch import BatchResult, FileError
from pipeline.cli.main import app
from pipeline.extract.facts import FilingInfo
from pipeline.core.flags import Flag
from pipeline.cli.summary import print_summary

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "raw" / "seeds" / "000_0bc3dd4ae087ad7a.txt"
run = CliRunner().invoke


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def test_clean_twice_into_its_own_folder_reads_no_outputs(tmp_path):
    batch = tmp_path / "batch"
    batch.mkdir()
    shutil.copy(SEED, batch)
    first = run(app, ["clean", str(batch), "-o", str(batch / "out"), "-q"])
    assert first.exit_code == 0, first.output
    rows = _rows(batch / "out" / "indicators.csv")
    shutil.copytree(batch / "out", batch / "earlier")           # an earlier run's folder, by another name
    second = run(app, ["clean", str(batch), "-o", str(batch / "out"), "-q"])
    assert second.exit_code == 0, second.output
    assert _rows(batch / "out" / "indicators.csv") == rows
    assert {r["file"] for r in _rows(batch / "out" / "filings.csv")} == {str(batch / SEED.name)}


def test_clean_missing_folder_is_E100_not_an_unsupported_type(tmp_path):
    res = run(app, ["clean", str(tmp_path / "no_such_folder"), "-o", str(tmp_path / "o"), "-q"])
    assert res.exit_code == 1
    err = _rows(tmp_path / "o" / "errors.csv")
    assert [e["code"] for e in err] == ["E100"] and "no such file" in err[0]["message"]


def test_clean_out_naming_an_existing_file_is_a_clear_error(tmp_path):
    target = tmp_path / "report.txt"
    target.write_text("x", encoding="utf-8")
    res = run(app, ["clean", str(SEED), "-o", str(target)])
    assert res.exit_code == 2
    text = " ".join(res.output.split())
    assert "-o names the folder" in text and "Traceback" not in text
    assert target.read_text(encoding="utf-8") == "x"


def _batch(n: int) -> BatchResult:
    res = BatchResult()
    for i in range(n):
        f = f"f{i:03d}.txt"
        res.filings.append(FilingInfo(file=f, kind="target_table"))
        for j in range(i % 4):
            res.records.append({"file": f, "table": 1, "row": j + 1, "name": f"n{j}", "flags": ""})
            res.flags.append(Flag(f, 1, j + 1, "MISSING_VALUE", "error", "m"))
    res.errors.append(FileError("bad.docx", "ingest", "E104", "not a Word file"))
    return res


def test_summary_is_totals_and_the_ten_worst_filings():
    console = Console(record=True, width=100)
    print_summary(console, _batch(110), Path("out"))
    text = console.export_text()
    assert len(text.splitlines()) <= 35
    assert "filings read: 110" in text and "failed: 1" in text
    listed = re.findall(r"f\d{3}\.txt", text)
    assert len(listed) == 10
    assert all(int(f[1:4]) % 4 == 3 for f in listed)                 # the ones with 3 errors
    err_line = next(ln for ln in text.splitlines() if "bad.docx" in ln)
    assert re.search(r"bad\.docx\s*│\s*E104\s*│", err_line)          # the code in its own column


def test_classify_reads_gbk_csv_with_chinese_headers(tmp_path):
    src = tmp_path / "mine.csv"
    src.write_bytes("一级指标,二级指标,三级指标,指标值\n产出指标,数量指标,培训人数,300人\n"
                    "效益指标,服务对象满意度指标,群众满意度,≥90%\n".encode("gbk"))
    res = run(app, ["classify", "-i", str(src), "-o", str(tmp_path / "out.csv")])
    assert res.exit_code == 0, res.output
    rows = _rows(tmp_path / "out.csv")
    assert [r["name"] for r in rows] == ["培训人数", "群众满意度"]
    assert rows[0]["target"] == "300人" and rows[1]["level2"] == "服务对象满意度指标"


@pytest.mark.parametrize("content,expect", [(b"", "is empty"), (b"   \n", "is empty"),
                                            ("备注,金额\n说明,3\n".encode("utf-8"), "needs a column")])
def test_classify_unreadable_input_is_one_line_not_a_traceback(tmp_path, content, expect):
    src = tmp_path / "x.csv"
    src.write_bytes(content)
    res = run(app, ["classify", "-i", str(src), "-o", str(tmp_path / "o.csv")])
    assert res.exit_code == 2
    text = " ".join(res.output.split())                               # rich wraps long lines
    assert expect in text and "Traceback" not in text


def test_norms_lookup_keeps_names_whole_in_80_columns(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    res = run(app, ["norms", "lookup", "服务对象满意度"])
    assert res.exit_code == 0, res.output
    assert "服务对象满意度" in res.output.split("┡")[1] and "服务…" not in res.output
    assert max(len(ln) for ln in res.output.splitlines()) <= 80
    assert "no good match" not in res.output


def test_norms_lookup_says_when_there_is_no_good_match():
    res = run(app, ["norms", "lookup", "阿斯顿发生"])
    assert res.exit_code == 0
    assert "no good match" in " ".join(res.output.split())


def test_version_and_help_without_python_types():
    res = run(app, ["--version"])
    assert res.exit_code == 0 and re.fullmatch(r"jixiao \d+\.\d+\.\d+\s*", res.output)
    for cmd in (["clean"], ["classify"], ["norms", "lookup"], ["review", "export"]):
        text = run(app, [*cmd, "--help"], terminal_width=100).output
        assert "<bool>" not in text and "{" not in text, (cmd, text)
        assert "<list[" not in text
    assert "mof2021|legacy2015" in run(app, ["classify", "--help"], terminal_width=120).output
