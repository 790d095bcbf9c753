"""The command line and the Python API over the sample filings."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

import pipeline
from pipeline.cli.main import app
from pipeline.extract.rows import COLUMNS

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "raw" / "seeds"
REQUIRED = ["file", "table", "row", "level1_filed", "level2_filed", "name", "detail", "target_raw", "actual_raw",
            "unit_raw", "weight", "score", "deviation_note"]


def test_cli_clean_writes_outputs(tmp_path):
    res = CliRunner().invoke(app, ["clean", str(SEEDS), "-o", str(tmp_path)])
    assert res.exit_code == 0, res.output
    with open(tmp_path / "indicators.csv", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0])[: len(REQUIRED)] == REQUIRED
    table_rows = [r for r in rows if r["table"] != ""]
    assert len(table_rows) == 8 + 11 + 40 + 58
    assert any(Path(r["file"]).stem.startswith("003") for r in rows if r["table"] == "")   # facts mined from the report
    with open(tmp_path / "filings.csv", encoding="utf-8-sig") as fh:
        filings = {Path(r["file"]).stem: r for r in csv.DictReader(fh)}
    assert filings["000_0bc3dd4ae087ad7a"]["department"] == "广州市番禺区残疾人联合会"
    assert "基本支出=483.09 万元" in filings["000_0bc3dd4ae087ad7a"]["totals"]
    assert filings["004_bf38c9880e42d804"]["kind"] == "self_eval"
    wb = load_workbook(tmp_path / "indicators.xlsx")
    ws = wb["indicators"]
    assert ws.freeze_panes == "B2"          # the header row and the first column (the name)
    assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
    assert "indicator rows:" in res.output and "flags:" in res.output


def test_cli_clean_reports_a_broken_file_and_goes_on(tmp_path):
    bad = tmp_path / "in" / "broken.txt"
    bad.parent.mkdir()
    bad.write_bytes(b"")
    good = tmp_path / "in" / "000.txt"
    good.write_bytes((SEEDS / "000_0bc3dd4ae087ad7a.txt").read_bytes())
    res = CliRunner().invoke(app, ["clean", str(bad.parent), "-o", str(tmp_path / "out"), "-q"])
    assert res.exit_code == 1
    errors = (tmp_path / "out" / "errors.csv").read_text(encoding="utf-8-sig")
    assert "broken.txt" in errors and "E102" in errors
    assert (tmp_path / "out" / "indicators.csv").read_text(encoding="utf-8-sig").count("\n") == 9


def test_cli_clean_does_not_import_heavy_modules():
    code = ("import sys; from typer.testing import CliRunner; from pipeline.cli.main import app; "
            f"r = CliRunner().invoke(app, ['clean', r'{SEEDS / '000_0bc3dd4ae087ad7a.txt'}', '-o', r'{ROOT / 'out' / '.t'}', '-q']); "
            "heavy = [m for m in ('mlflow', 'sklearn', 'spacy', 'pandas') if m in sys.modules]; "
            "print(r.exit_code, heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "0 []"


def test_api_read_filing_and_clean():
    doc = pipeline.read_filing(SEEDS / "004_bf38c9880e42d804.txt")
    assert doc.meta["layout"] == "tab" and doc.tables
    df = pipeline.clean(SEEDS / "001_d4a61a06f04ad918.txt")
    assert list(df.columns) == list(COLUMNS)
    assert len(df) == 11
    assert df.loc[df["name"] == "项目完成及时率", "target_raw"].item() == "时效指标"


def test_cli_clean_with_a_norms_file_of_ones_own(tmp_path, monkeypatch):
    """--norms: the canonical names come from the given corpus (here built from one seed)."""
    monkeypatch.delenv("JIXIAO_NORMS", raising=False)
    seed = str(SEEDS / "004_bf38c9880e42d804.txt")
    res = CliRunner().invoke(app, ["norms", "build", seed, "-o", str(tmp_path / "n"), "-q"])
    assert res.exit_code == 0, res.output
    res = CliRunner().invoke(app, ["clean", seed, "-o", str(tmp_path / "o"), "-q", "--norms", str(tmp_path / "n")])
    assert res.exit_code == 0, res.output
    with open(tmp_path / "o" / "indicators.csv", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all(r["norm_id"] for r in rows if r["name"])
    with open(tmp_path / "n" / "norms.csv", encoding="utf-8-sig") as fh:
        ids = {r["norm_id"] for r in csv.DictReader(fh)}
    assert {r["norm_id"] for r in rows if r["norm_id"]} <= ids
    bad = CliRunner().invoke(app, ["clean", seed, "-o", str(tmp_path / "o"), "--norms", str(tmp_path / "missing")])
    assert bad.exit_code == 2
