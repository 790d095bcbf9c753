"""The review workspace in a real browser (Playwright driving Debian's chromium).

One server per module on a free loopback port. The flow a reviewer follows: open the
filings, filter to a flag code, open a filing, correct a row's category, reload and see it
kept, export it and retrain with it (the MLflow run counts the corrected row). Screenshots
of the filings page and of a filing page are saved under the test's tmp dir.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.cli.main import app as cli

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "raw" / "seeds"
CHROMIUM = os.environ.get("JIXIAO_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
pytestmark = pytest.mark.filterwarnings("ignore")

if not Path(CHROMIUM).exists():
    # `make test` installs it; in CI its absence is a failure, not a skip
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing: `make chromium` installs it")
    pytest.skip(f"{CHROMIUM} missing (`make chromium` installs it)", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    import uvicorn

    from pipeline.workspace.app import create_app

    base = tmp_path_factory.mktemp("browser")
    out = base / "out"
    res = CliRunner().invoke(cli, ["clean", str(SEEDS), "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(out, user="浏览器测试"), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the workspace server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", out, base
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def page(served):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        pg = browser.new_page(viewport={"width": 1400, "height": 900})
        yield pg
        browser.close()


def test_browser_review_correct_reload_export_retrain(served, page, tmp_path):
    from playwright.sync_api import expect

    url, out, base = served
    page.goto(url + "/")
    rows = page.locator("#filings tbody tr")
    total = rows.count()
    assert total == len(pd.read_csv(out / "filings.csv", encoding="utf-8-sig"))
    # filings ordered by errors, most first
    errors = [int(x or 0) for x in page.locator("#filings tbody tr td:nth-child(7)").all_inner_texts()]
    assert errors == sorted(errors, reverse=True)
    page.screenshot(path=str(base / "filings.png"), full_page=True)

    code = "MISFILED_L2"
    page.select_option("#f-code", code)
    visible = page.locator("#filings tbody tr:not([hidden])")
    assert 0 < visible.count() < total
    for tr in visible.all():
        assert code in tr.get_attribute("data-codes").split()
    # sorting by a header click: fewest rows first
    page.click("th[data-key=n_rows]")
    page.click("th[data-key=n_rows]")
    counts = [int(tr.get_attribute("data-n_rows")) for tr in visible.all()]
    assert counts == sorted(counts)

    visible.first.locator("a").click()
    page.wait_for_selector("article.row")
    page.select_option("#row-code", code)
    article = page.locator("article.row:not(.hidden)").first
    assert code in article.get_attribute("data-codes")
    assert page.locator(f"article.row:not(.hidden) .flag[data-code={code}] b").first.inner_text() == "二级指标疑似错位"
    assert "hit" in (page.locator(f"#L{article.get_attribute('data-line')}").get_attribute("class") or "")
    page.screenshot(path=str(base / "filing.png"), full_page=False)

    name = article.get_attribute("data-name")
    current = article.locator(".level2").inner_text()
    new = "时效指标" if current != "时效指标" else "质量指标"
    article.locator("summary").click()
    article.locator(".level2-select").select_option(new)
    article.locator(".note").fill("完成时限类")
    with page.expect_response(lambda r: r.url.endswith("/api/corrections") and r.status == 201):
        article.locator(".save-level2").click()
    # the page updates after it has read the answer: wait for it (Playwright's expect retries)
    expect(article.locator(".level2")).to_have_text(new)
    expect(article.locator(".edit .state")).to_have_text("已保存")

    # reject the flag with a reason
    flag = article.locator(f".flag[data-code={code}]")
    flag.locator(".reason").fill("填报的二级指标没错")
    with page.expect_response(lambda r: r.url.endswith("/api/corrections") and r.status == 201):
        flag.locator("button[data-value=reject]").click()
    expect(flag.locator(".state")).to_have_text("已驳回")

    page.reload()
    kept = page.locator(f"article.row[data-name='{name}']").first
    assert kept.locator(".level2").inner_text() == new
    assert kept.locator(".badge.fixed").count() == 1
    assert kept.locator(f".flag[data-code={code}] .state").inner_text() == "已驳回"

    # the queue no longer offers the judged row; its first item opens its filing at the row
    page.goto(url + "/next")
    assert name not in page.locator("#queue tbody td:nth-child(4)").all_inner_texts()
    page.locator("#queue tbody tr a").first.click()
    page.wait_for_selector("article.row")
    assert page.url.split("#")[1].startswith("row-")

    # search on the filings page: by an indicator name only one filing has
    page.goto(url + "/")
    page.fill("#q", name)
    assert 1 <= page.locator("#filings tbody tr:not([hidden])").count() < total

    tsv = tmp_path / "corrections.tsv"
    res = CliRunner().invoke(cli, ["review", "export", str(out), "-o", str(tsv), "--xlsx", str(tmp_path / "c.xlsx")])
    assert res.exit_code == 0, res.output
    got = pd.read_csv(tsv, sep="\t", dtype=str, keep_default_na=False)
    assert got[["name", "gold_l2"]].values.tolist() == [[name, new]]

    _retrain_with(tsv, tmp_path)


def _retrain_with(tsv: Path, tmp_path: Path) -> None:
    """The exported file changes the next training: the run logs one corrected row and
    trains on one row more than the labelled file has."""
    import mlflow

    from pipeline.train import run as T
    from pipeline.train.labelled import load_labelled
    from pipeline.train.report import heldout_ids

    df = load_labelled(T.DEFAULT_DATA)
    # working-set filings only: training sets the frozen held-out filings aside (#14)
    df = df[~df["doc_id"].isin(heldout_ids(T.PROJECT_DIR))]
    docs = list(dict.fromkeys(df["doc_id"]))[:8]
    subset = tmp_path / "subset.tsv"
    df[df["doc_id"].isin(docs)].to_csv(subset, sep="\t", index=False)
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    res = CliRunner().invoke(cli, ["train", "--data", str(subset), "--corrections", str(tsv), "--folds", "2",
                                   "--candidates", "lr", "--no-register", "--tracking-uri", uri])
    assert res.exit_code == 0, res.output
    assert "1 corrected rows" in res.output
    mlflow.set_tracking_uri(uri)
    runs = mlflow.search_runs(experiment_names=[T.EXPERIMENT], filter_string="tags.kind = 'train'")
    assert len(runs) == 1
    run = mlflow.get_run(runs.iloc[0]["run_id"])
    p = run.data.params
    assert p["corrected_rows"] == "1" and p["corrections"] == str(tsv)
    assert run.data.metrics["corrected_rows"] == 1
    assert int(p["rows"]) == len(load_labelled(subset)) + 1
