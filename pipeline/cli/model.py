"""``jixiao train``, ``jixiao evaluate`` and ``jixiao classify`` (registered on the main app).

Imports of scikit-learn, mlflow and pandas happen inside the commands: loading this module
(which ``jixiao --help`` and ``jixiao clean`` do) stays cheap.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from pipeline.classify.predict import classify_rows
from pipeline.cli.table_input import TableInputError, read_user_table
from pipeline.core.taxonomy import taxonomy
from pipeline.train.metrics import report_text
from pipeline.train.run import (
    CANDIDATES,
    DEFAULT_CANDIDATES,
    QUICK_CANDIDATES,
    evaluate,
    train,
)


def register(app: typer.Typer) -> None:
    app.command("train")(train_cmd)
    app.command("evaluate")(evaluate_cmd)
    app.command("classify")(classify_cmd)


def _console():
    return Console(stderr=True)


def train_cmd(
    data: Annotated[Path, typer.Option("--data", "-d", help="Labelled rows (TSV/CSV with name, gold_l2, doc_id …).")]
    = Path("data/labelled/gold.tsv"),
    folds: Annotated[int, typer.Option("--folds", min=2, help="GroupKFold folds (by doc_id).")] = 5,
    candidates: Annotated[str, typer.Option("--candidates", "-c",
                                            help="Comma-separated candidates, or 'quick' (rules,lr) / 'all'.")] = "all",
    export: Annotated[Path | None, typer.Option("--export", help="Also write the numpy model, metrics.json and "
                                                 "MODEL_CARD.md here (e.g. models).")] = None,
    tracking_uri: Annotated[str | None, typer.Option("--tracking-uri", help="MLflow tracking URI "
                                                     "(default: $MLFLOW_TRACKING_URI or sqlite:///mlflow.db).")] = None,
    no_register: Annotated[bool, typer.Option("--no-register", help="Do not register the model.")] = False,
    corrections: Annotated[Path | None, typer.Option("--corrections", help="A review.db of `jixiao review` or its "
                                                     "exported corrections.tsv: reviewers' rows added to --data.")]
    = None,
) -> None:
    """Cross-validate the classifiers, log to MLflow, register the best.

    The 'champion' alias moves to the new model only when it beats the current champion on
    the same folds.
    """


    console = _console()
    if not data.is_file():
        console.print(f"[red]error:[/] {data}: no such labelled file")
        raise typer.Exit(2)
    if corrections is not None and not corrections.is_file():
        console.print(f"[red]error:[/] {corrections}: no such corrections file (review.db or corrections.tsv)")
        raise typer.Exit(2)
    names = {"all": DEFAULT_CANDIDATES, "quick": QUICK_CANDIDATES}.get(candidates) or \
        tuple(c.strip() for c in candidates.split(",") if c.strip())
    unknown = [c for c in names if c not in CANDIDATES]
    if unknown:
        console.print(f"[red]error:[/] unknown candidate(s) {unknown}; choose from {', '.join(sorted(CANDIDATES))}")
        raise typer.Exit(2)
    res = train(data, candidates=names, folds=folds, tracking_uri=tracking_uri, register=not no_register,
                export_dir=export, log=lambda s: console.print(s, highlight=False), corrections=corrections)
    t = Table(title=f"cross-validation ({folds}-fold GroupKFold by doc_id)")
    for col in ("model", "macro-F1", "accuracy", "filings macro-F1", "filings accuracy", "seconds"):
        t.add_column(col, justify="right" if col != "model" else "left")
    for n, m in res.cv.items():
        t.add_row(("* " if n == res.chosen else "") + n, f"{m['macro_f1']:.4f}", f"{m['accuracy']:.4f}",
                  f"{m.get('filings_macro_f1', 0):.4f}", f"{m.get('filings_accuracy', 0):.4f}", f"{m['seconds']:.1f}")
    console.print(t)
    mis = res.misfile["l2"]
    console.print(f"filers' accuracy {res.filers['accuracy']:.4f}; misfile (l2) precision {mis['precision']:.3f} "
                  f"recall {mis['recall']:.3f} at threshold {res.thresholds['l2']}; run {res.run_id}; "
                  f"total {res.train_seconds:.1f}s", highlight=False)
    if res.export_dir:
        console.print(f"numpy model written to {res.export_dir}/")


def evaluate_cmd(
    data: Annotated[Path, typer.Option("--data", "-d", help="A labelled file (name, gold_l2, …).")],
    model: Annotated[str | None, typer.Option("--model", "-m", help="Model folder (model.json), .skops file or "
                                              "MLflow URI (models:/jixiao-classifier@champion). "
                                              "Default: the shipped model.")] = None,
    tracking_uri: Annotated[str | None, typer.Option("--tracking-uri")] = None,
    no_log: Annotated[bool, typer.Option("--no-log", help="Do not log an MLflow run.")] = False,
) -> None:
    """Score a model on a labelled file and log the run to MLflow.

    A prediction matching gold_l2 or gold_alt counts as right.
    """

    console = _console()
    if not data.is_file():
        console.print(f"[red]error:[/] {data}: no such labelled file")
        raise typer.Exit(2)
    try:
        res = evaluate(model, data, tracking_uri=tracking_uri, log_run=not no_log)
    except (FileNotFoundError, ValueError) as exc:
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from exc
    typer.echo(report_text(res), nl=False)
    mis = res["misfile"]["l2"]
    typer.echo(f"misfile (l2): precision {mis['precision']:.3f} recall {mis['recall']:.3f} "
               f"({mis['true_positives']}/{mis['flagged']} flags, {mis['misfiled']} misfiled rows); "
               f"filers' accuracy {res['filers']['accuracy']:.4f}")
    if "run_id" in res:
        typer.echo(f"logged run {res['run_id']}")


def classify_cmd(
    input: Annotated[Path, typer.Option("--input", "-i", help="CSV/TSV with name, target (optional), "
                                        "level1_filed, level2_filed (optional).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Output CSV (UTF-8 with BOM for Excel/WPS).")],
    profile: Annotated[str | None, typer.Option("--profile", metavar="mof2021|legacy2015",
                                                help="Taxonomy profile: mof2021 (成本 a first level of its own) or "
                                                     "legacy2015 (成本 under 产出); default mof2021.")] = None,
    model: Annotated[Path | None, typer.Option("--model", "-m", help="Model folder (default: shipped).")] = None,
) -> None:
    """Classify indicator rows (level1, level2, confidence, misfiled, suggestion).

    Reads name, target (or target_raw), actual, level1_filed, level2_filed and unit (the
    计量单位 column, or unit_raw); writes the input columns plus level1, level2, confidence,
    misfiled, suggestion and legacy.
    """

    console = _console()
    if not input.is_file():
        console.print(f"[red]error:[/] {input}: no such file")
        raise typer.Exit(2)
    if profile and profile not in taxonomy().profiles:
        console.print(f"[red]error:[/] unknown profile {profile!r}; choose from {sorted(taxonomy().profiles)}")
        raise typer.Exit(2)

    try:
        # GBK or UTF-8, comma or tab, Chinese headers (三级指标, 指标值 …) as users' sheets have them
        df = read_user_table(input)
    except TableInputError as exc:
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from exc
    preds = classify_rows(df.to_dict("records"), profile=profile, model_dir=model)
    out = df.copy()
    out["level1"] = [p.level1 for p in preds]
    out["level2"] = [p.level2 for p in preds]
    out["confidence"] = [p.confidence for p in preds]
    out["misfiled"] = [p.misfiled for p in preds]
    out["suggestion"] = [p.suggestion for p in preds]
    out["legacy"] = [p.legacy for p in preds]
    output.parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(output, index=False, encoding="utf-8-sig")
    n_mis = sum(1 for p in preds if p.misfiled)
    console.print(f"{len(preds)} rows classified, {n_mis} flagged as misfiled → {output}")
