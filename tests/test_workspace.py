"""The review workspace without a browser: the JSON API, the SQLite store, the review
queue, the export of corrections as labelled rows and their use in training."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pipeline.cli.main import app as cli
from pipeline.workspace.app import create_app
from pipeline.train.corrections import with_corrections
from pipeline.workspace.export import labelled_rows
from pipeline.workspace.outdir import FlagEntry, OutDir, RowEntry, RowKey, region_of
from pipeline.workspace.queue import review_queue
from pipeline.workspace.store import Store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "raw" / "seeds"
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def outdir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ws") / "out"
    res = CliRunner().invoke(cli, ["clean", str(SEEDS), "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    return out


@pytest.fixture()
def client(outdir, tmp_path):
    return TestClient(create_app(outdir, db=tmp_path / "review.db", user="测试员"))


def _row(file="a.txt", table=1, row=3, name="按时完成率", conf="0.5", misfiled="", flags=(), **fields):
    f = {"file": file, "table": str(table), "row": str(row), "name": name, "confidence": conf, "misfiled": misfiled,
         "level2": "时效指标", "level2_filed": "数量指标", "level1_filed": "产出指标", "target_raw": "100%", **fields}
    return RowEntry(RowKey(file, table, row, name), f, [FlagEntry(c, s, "m", "e", "s") for c, s in flags])


def test_workspace_api_lists_filings_with_counts_sorted_by_errors(client, outdir):
    items = client.get("/api/filings").json()
    with open(outdir / "filings.csv", encoding="utf-8-sig") as fh:
        assert {r["file"] for r in csv.DictReader(fh)} == {f["file"] for f in items}
    with open(outdir / "flags.csv", encoding="utf-8-sig") as fh:
        flags = list(csv.DictReader(fh))
    for f in items:
        assert f["n_errors"] == sum(1 for x in flags if x["file"] == f["file"] and x["severity"] == "error")
        assert set(f) >= {"file", "kind", "department", "n_rows", "n_errors", "n_warnings"}
    errors = [f["n_errors"] for f in items]
    assert errors == sorted(errors, reverse=True) and errors[0] > 0


def test_workspace_api_filters_and_searches(client):
    everything = client.get("/api/filings").json()
    code = "MISSING_CATEGORY"
    some = client.get("/api/filings", params={"code": code}).json()
    assert some and len(some) < len(everything) and all(code in f["codes"] for f in some)
    kind = client.get("/api/filings", params={"kind": "self_eval"}).json()
    assert kind and {f["kind"] for f in kind} == {"self_eval"}
    # full text: a value written in one filing's rows finds that filing
    rows = client.get("/api/rows", params={"file": everything[0]["file"]}).json()
    hit = client.get("/api/filings", params={"q": rows[0]["fields"]["target_raw"]}).json()
    assert everything[0]["file"] in {f["file"] for f in hit}
    assert client.get("/api/filings", params={"q": "不会出现的文字串"}).json() == []
    assert client.get("/api/filings", params={"sort": "bogus"}).status_code == 422


def test_workspace_corrections_are_stored_with_who_when_before_after(client, outdir):
    f = client.get("/api/filings").json()[0]["file"]
    r = client.get("/api/rows", params={"file": f}).json()[0]
    before = (outdir / "indicators.csv").read_bytes()
    new = "时效指标" if r["fields"]["level2"] != "时效指标" else "质量指标"
    res = client.post("/api/corrections", json={"file": f, "table": r["table"], "row": r["row"], "name": r["name"],
                                                "field": "level2", "value": new, "note": "是完成时限"})
    assert res.status_code == 201, res.text
    c = res.json()
    assert (c["who"], c["before"], c["after"], c["note"]) == ("测试员", r["fields"]["level2"], new, "是完成时限")
    assert c["at"][:4].isdigit()
    again = client.get("/api/rows", params={"file": f}).json()[0]
    assert again["corrections"]["level2"] == new
    assert [x["after"] for x in client.get("/api/corrections").json()] == [new]
    assert (outdir / "indicators.csv").read_bytes() == before        # the outputs are never edited


@pytest.mark.parametrize("field,value,status", [("level2", "不是类别", 422), ("colour", "红", 422),
                                                ("flag:NO_SUCH_CODE", "accept", 422), ("name", " ", 422)])
def test_workspace_rejects_invalid_corrections(client, field, value, status):
    f = client.get("/api/filings").json()[0]["file"]
    r = client.get("/api/rows", params={"file": f}).json()[0]
    res = client.post("/api/corrections", json={"file": f, "table": r["table"], "row": r["row"], "name": r["name"],
                                                "field": field, "value": value})
    assert res.status_code == status
    assert client.post("/api/corrections", json={"file": "nope.txt", "table": 1, "row": 1, "field": "level2",
                                                 "value": "时效指标"}).status_code == 404


def test_workspace_flag_verdicts_and_pages(client):
    f = client.get("/api/filings", params={"code": "MISSING_CATEGORY"}).json()[0]["file"]
    rows = client.get("/api/rows", params={"file": f}).json()
    r = next(x for x in rows if x["flags"])
    code = r["flags"][0]["code"]
    res = client.post("/api/corrections", json={"file": f, "table": r["table"], "row": r["row"], "name": r["name"],
                                                "field": f"flag:{code}", "value": "reject", "note": "原文有二级指标"})
    assert res.status_code == 201
    assert res.json()["row"]["flags"][0]["verdict"] == "reject"
    page = client.get("/filing", params={"file": f}).text
    assert r["flags"][0]["zh"] in page and code in page and "已驳回" in page
    home = client.get("/").text
    assert "<script src=\"/static/app.js\">" in home and "https://" not in home and "//cdn" not in home
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/next").status_code == 200


def test_workspace_queue_puts_doubtful_and_contested_rows_first():
    sure = _row(name="资金到位率", conf="0.98")
    doubtful = _row(name="按时完成率", conf="0.40")
    contested = _row(name="培训人数", conf="0.80", misfiled="l1", flags=[("MISFILED_L1", "error")])
    out = OutDir(Path("."), [], {}, {"a.txt": [sure, doubtful, contested]},
                 {r.key: r for r in (sure, doubtful, contested)})
    order = [it.row.key.name for it in review_queue(out)]
    assert order == ["培训人数", "按时完成率", "资金到位率"]
    assert [it.row.key.name for it in review_queue(out, judged={contested.key})] == ["按时完成率", "资金到位率"]


def test_workspace_region_is_the_leading_place_name():
    assert region_of("广州市番禺区残疾人联合会") == "广州市番禺区"
    assert region_of("湖南省株洲市财政局") == "湖南省株洲市"
    assert region_of("") == ""


def test_workspace_labelled_rows_from_judgements(tmp_path):
    store = Store(tmp_path / "review.db")
    a = _row(name="按时完成率", level2="数量指标")
    b = _row(name="培训人数", row=4, level2="质量指标", flags=[("MISFILED_L2", "warning")])
    c = _row(name="资金到位率", row=5, flags=[("MISFILED_L2", "warning")])
    d = _row(name="宣传次数", row=6)
    store.add(a, "level2", "时效指标", who="甲", note="完成时限")
    store.add(b, "flag:MISFILED_L2", "accept", who="乙")
    store.add(c, "flag:MISFILED_L2", "reject", who="乙")
    store.add(d, "target_raw", "12次", who="甲")          # no category judgement: no training row
    rows = {r["name"]: r for r in labelled_rows(store)}
    assert set(rows) == {"按时完成率", "培训人数", "资金到位率"}
    assert rows["按时完成率"]["gold_l2"] == "时效指标" and "完成时限" in rows["按时完成率"]["note"]
    assert rows["培训人数"]["gold_l2"] == "质量指标"          # accepted: the model's level2
    assert rows["资金到位率"]["gold_l2"] == "数量指标"        # rejected: the filed level2 stands
    with sqlite3.connect(tmp_path / "review.db") as con:
        assert con.execute("select count(*) from corrections").fetchone()[0] == 4


def test_workspace_corrections_join_training_data(tmp_path):
    store = Store(tmp_path / "review.db")
    store.add(_row(name="按时完成率", target_raw="100%"), "level2", "时效指标", who="甲")
    df = pd.DataFrame({"doc_id": ["1", "1"], "source": ["filing"] * 2, "level1_filed": ["", ""],
                       "level2_filed": ["", ""], "name": ["按时完成率", "培训人数"], "target": ["100%", "30人"],
                       "actual": ["", ""], "gold_l2": ["数量指标", "数量指标"], "gold_alt": ["", ""],
                       "vague": ["0", "0"], "note": ["", ""]})
    merged, n = with_corrections(df, tmp_path / "review.db")
    assert n == 1 and len(merged) == 2                      # the reviewed row replaces the gold row
    assert merged.set_index("name").loc["按时完成率", "gold_l2"] == "时效指标"


def test_workspace_cli_export_writes_labelled_rows_and_corrected_workbook(client, outdir, tmp_path):
    from openpyxl import load_workbook

    f = client.get("/api/filings").json()[0]["file"]
    r = client.get("/api/rows", params={"file": f}).json()[1]
    assert client.post("/api/corrections", json={"file": f, "table": r["table"], "row": r["row"], "name": r["name"],
                                                 "field": "level2", "value": "社会效益指标"}).status_code == 201
    tsv, book = tmp_path / "corrections.tsv", tmp_path / "fixed.xlsx"
    res = CliRunner().invoke(cli, ["review", "export", str(outdir), "-o", str(tsv), "--db",
                                   str(tmp_path / "review.db"), "--xlsx", str(book)])
    assert res.exit_code == 0, res.output
    got = pd.read_csv(tsv, sep="\t", dtype=str, keep_default_na=False)
    assert list(got.columns[:5]) == ["doc_id", "source", "level1_filed", "level2_filed", "name"]
    assert got.loc[0, "name"] == r["name"] and got.loc[0, "gold_l2"] == "社会效益指标"
    ws = load_workbook(book)["indicators"]
    header = [c.value for c in ws[2]]
    hit = [row for row in ws.iter_rows(min_row=3, values_only=True) if row[header.index("name")] == r["name"]]
    assert hit and hit[0][header.index("level2")] == "社会效益指标"
    assert CliRunner().invoke(cli, ["review", str(tmp_path / "none")]).exit_code == 2


def test_workspace_cli_serves_on_loopback(outdir, tmp_path):
    """`jixiao review OUTDIR --port P` (the default sub-command) answers the API."""
    import json
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, USER="命令行")
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli.main", "review", str(outdir), "--port", str(port),
                             "--db", str(tmp_path / "r.db")], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    try:
        deadline, body = time.monotonic() + 60, None
        while body is None:
            assert proc.poll() is None, proc.stdout.read().decode()
            assert time.monotonic() < deadline, "server did not answer"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/filings", timeout=2) as r:
                    body = json.loads(r.read())
            except OSError:
                time.sleep(0.2)
        assert len(body) == 5 and body[0]["n_errors"] >= body[-1]["n_errors"]
    finally:
        proc.terminate()
        proc.wait(10)


def test_workspace_source_of_a_sheet_is_its_rows_by_sheet_row(tmp_path):
    """A workbook has no text lines: its rows are shown under the row numbers the extractor
    gives them, so a row's link lands on its sheet row."""
    from openpyxl import Workbook

    from pipeline.workspace.source import source_lines

    wb = Workbook()
    ws = wb.active
    ws.append(["项目绩效目标表"])
    ws.append([])
    ws.append(["一级指标", "二级指标", "三级指标", "指标值"])
    ws.append(["产出指标", "数量指标", "培训人数", "300人"])
    path = tmp_path / "form.xlsx"
    wb.save(path)
    lines = source_lines(str(path))
    hit = [ln for ln in lines if "培训人数" in ln.text]
    assert len(hit) == 1 and hit[0].line == 4 and hit[0].table >= 1
    assert "300人" in hit[0].text and "│" in hit[0].text
    assert source_lines(str(tmp_path / "gone.txt")) == ()
