"""Training, model comparison and evaluation of the category classifier, tracked in MLflow.

``train("data/labelled/gold.tsv")`` cross-validates every candidate model with 5-fold
``GroupKFold`` on ``doc_id`` (a filing is never split), selects the best exportable one by
macro-F1 (then accuracy), tunes the misfile threshold out-of-fold, refits it on all rows,
and logs everything to MLflow: parameters (incl. taxonomy / rules / features versions),
the training data (``mlflow.log_input`` with its digest), metrics, the confusion matrix
(PNG), the classification report, the misfile curve and the model (skops, with an explicit
trusted-types list, and a signature). The model is registered as ``jixiao-classifier``; the
alias ``champion`` moves to it only when it beats the current champion on the same folds.

Scoring counts a prediction as right when it matches ``gold_l2`` or ``gold_alt``: per-class
precision/recall/F1 and the confusion matrix use the "effective gold" (the prediction when
it is one of the two acceptable labels, else ``gold_l2``).

Tracking goes to ``$MLFLOW_TRACKING_URI`` or, by default, ``sqlite:///<project>/mlflow.db``
with artifacts in ``<project>/mlruns/``. mlflow is imported inside the functions that log.

Longer than 400 lines because candidates, cross-validation, the final fit, export and
evaluate share the MLflow run; the next split is MLflow tracking and the registry.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.classify.features import FEATURES_VERSION, FeatureSettings, rules
from pipeline.classify.misfile import (
    DEFAULT_THRESHOLDS,
    confident_learning,
    misfile_scores,
    tune_thresholds,
)
from pipeline.classify.predict import default_model_dir
from pipeline.classify.scorer import Scorer, digest, export
from pipeline.classify.types import LABELS
from pipeline.core.segment import read_dictionary
from pipeline.core.taxonomy import taxonomy
from pipeline.train.content import choose_content, compare_content
from pipeline.train.corrections import with_corrections
from pipeline.train.labelled import expand_alt, load_labelled
from pipeline.train.metrics import (
    confusion_figure,
    filers_accuracy,
    flat_metrics,
    l1_scores,
    metrics,
    model_accuracy_on_filed_rows,
    model_card,
    report_text,
)
from pipeline.train.models import TRUSTED_TYPES, LinearModel, RulesModel, TextcatModel
from pipeline.train.misfile_eval import seed_ids
from pipeline.train.report import heldout_ids, judge_and_report, split_heldout

PROJECT_DIR = Path(__file__).resolve().parents[2]   # the checkout
DEFAULT_DATA = PROJECT_DIR / "data" / "labelled" / "gold.tsv"
EXPERIMENT = "jixiao-classifier"
REGISTERED_MODEL = "jixiao-classifier"
CHAMPION = "champion"
INPUT_COLUMNS = ["name", "target", "actual", "level1_filed", "level2_filed"]


# --------------------------------------------------------------------------- candidates

@dataclass(frozen=True)
class Candidate:
    """A model configuration compared by cross-validation (rebuildable from :meth:`to_dict`)."""
    name: str
    kind: str                                   # rules | linear | textcat
    settings: FeatureSettings = field(default_factory=FeatureSettings)
    C: float = 3.0
    class_weight: str | None = "balanced"
    model: str = "lr"                           # lr | svc (kind linear)
    alt_weight: float = 0.6                     # gold_alt rows added with this weight (0: not)
    use_filed: bool = True                      # rules / textcat
    epochs: int = 10                            # textcat
    architecture: str = "bow"                   # textcat
    content: bool = False                       # linear lr: also fit the content model (no filed label)
    content_C: float | None = None              # its C (default: C)
    content_alt_weight: float | None = None     # its weight of the gold_alt rows (default: alt_weight)
    content_class_weight: str | None = "balanced"   # its class weights (None: unweighted)

    @property
    def exportable(self) -> bool:
        return self.kind == "linear" and self.model == "lr"

    def make(self):
        if self.kind == "rules":
            return RulesModel(use_filed=self.use_filed)
        if self.kind == "linear":
            return LinearModel(self.settings, C=self.C, class_weight=self.class_weight, model=self.model,
                               content=self.content, content_C=self.content_C,
                               content_alt_weight=self.content_alt_weight,
                               content_class_weight=self.content_class_weight)
        if self.kind == "textcat":
            return TextcatModel(epochs=self.epochs, architecture=self.architecture, use_filed=self.use_filed)
        raise ValueError(f"The 'kind' of candidate {self.name!r} must be rules, linear or textcat. "
                         f"Got {self.kind!r} instead.")

    def to_dict(self) -> dict[str, Any]:
        d = {k: getattr(self, k) for k in ("name", "kind", "C", "class_weight", "model", "alt_weight",
                                            "use_filed", "epochs", "architecture", "content", "content_C",
                                            "content_alt_weight", "content_class_weight")}
        d["settings"] = self.settings.to_dict()
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Candidate":
        d = dict(d)
        d["settings"] = FeatureSettings.from_dict(d.get("settings", {}))
        return cls(**{k: v for k, v in d.items() if k in cls.__dataclass_fields__})


_CHOSEN = FeatureSettings(value_words=True, shape=True)
CANDIDATES: dict[str, Candidate] = {
    "rules": Candidate("rules", "rules", use_filed=False, alt_weight=0.0),
    "rules+filed": Candidate("rules+filed", "rules", use_filed=True, alt_weight=0.0),
    "lr-nofiled": Candidate("lr-nofiled", "linear", replace(_CHOSEN, filed=False)),
    "lr-novalue": Candidate("lr-novalue", "linear", replace(_CHOSEN, value=False, value_words=False)),
    "lr-noalt": Candidate("lr-noalt", "linear", _CHOSEN, alt_weight=0.0),
    "lr-norules": Candidate("lr-norules", "linear", replace(_CHOSEN, rules=False)),
    "svc": Candidate("svc", "linear", _CHOSEN, C=0.1, model="svc"),
    "lr": Candidate("lr", "linear", _CHOSEN, content=True, content_alt_weight=1.0),
    "textcat": Candidate("textcat", "textcat", alt_weight=0.0, epochs=10, architecture="bow"),
}
DEFAULT_CANDIDATES = ("rules", "rules+filed", "lr-nofiled", "lr-novalue", "lr-noalt", "lr-norules", "svc",
                      "lr", "textcat")
QUICK_CANDIDATES = ("rules", "lr")


# --------------------------------------------------------------------------- data

def folds_of(df, n_splits: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """GroupKFold splits on doc_id (deterministic for a given file and number of folds)."""
    from sklearn.model_selection import GroupKFold

    groups = df["doc_id"].to_numpy()
    n_splits = min(n_splits, len(set(groups)))
    return list(GroupKFold(n_splits=n_splits).split(df, df["gold_l2"], groups))


def folds_id(df, splits) -> str:
    """A digest of the data and the fold assignment: equal ids mean "the same folds"."""
    h = hashlib.sha256()
    for col in ("doc_id", "name", "target", "actual", "level1_filed", "level2_filed", "gold_l2", "gold_alt"):
        h.update("\x1f".join(df[col]).encode())
    for _, te in splits:
        h.update(np.asarray(te, dtype=np.int64).tobytes())
    return h.hexdigest()[:16]




# --------------------------------------------------------------------------- cross-validation

@dataclass
class CVResult:
    candidate: Candidate
    proba: np.ndarray               # (n_rows, len(LABELS)), out-of-fold
    pred: np.ndarray
    metrics: dict[str, Any]
    seconds: float
    content_proba: np.ndarray | None = None   # the content model's, out-of-fold (candidates with content=True)


def cross_validate(candidate: Candidate, df, splits) -> CVResult:
    """Out-of-fold probabilities of ``candidate`` over ``splits`` (columns in LABELS order)."""
    t0 = time.perf_counter()
    proba = np.zeros((len(df), len(LABELS)))
    content = np.zeros((len(df), len(LABELS))) if candidate.content else None
    index = {c: i for i, c in enumerate(LABELS)}
    for tr, te in splits:
        X, y, w = expand_alt(df.iloc[tr], candidate.alt_weight)
        model = candidate.make().fit(X, y, sample_weight=w)
        cols = [index[c] for c in model.classes_]
        proba[np.ix_(te, cols)] = model.predict_proba(df.iloc[te])
        if content is not None:
            content[np.ix_(te, cols)] = model.predict_content_proba(df.iloc[te])
    pred = np.array(LABELS, dtype=object)[proba.argmax(1)]
    return CVResult(candidate, proba, pred, metrics(df, pred), time.perf_counter() - t0, content)


def fit_final(candidate: Candidate, df):
    X, y, w = expand_alt(df, candidate.alt_weight)
    return candidate.make().fit(X, y, sample_weight=w)


def _better(a: Mapping[str, float], b: Mapping[str, float]) -> bool:
    """a beats b: higher macro-F1, ties broken by accuracy (differences under 1e-6 are ties: the
    champion's figures come back from its tags rounded to 6 decimals)."""
    if abs(a["macro_f1"] - b["macro_f1"]) > 1e-6:
        return a["macro_f1"] > b["macro_f1"]
    return a["accuracy"] > b["accuracy"] + 1e-6


# --------------------------------------------------------------------------- versions and tracking

def versions() -> dict[str, str]:
    """Versions of everything the model depends on (logged as params and in the model card)."""
    import sklearn


    # over the entries, not the bytes: editing a comment does not change the segmentation
    jd = hashlib.sha256(json.dumps(read_dictionary(), ensure_ascii=False).encode()).hexdigest()[:12]
    return {"taxonomy_version": taxonomy().version, "rules_version": rules().version,
            "features_version": FEATURES_VERSION, "jieba_dictionary_sha256": jd,
            "sklearn_version": sklearn.__version__}


def default_tracking_uri() -> str:
    return os.environ.get("MLFLOW_TRACKING_URI") or f"sqlite:///{PROJECT_DIR / 'mlflow.db'}"


def _quiet_mlflow_env() -> None:
    """jixiao works offline: no usage telemetry unless the user asked for it."""
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")


def pip_requirements() -> list[str]:
    """Pinned requirements of the logged model (given explicitly: mlflow's inference runs a
    subprocess that imports the model, which is slow and would not find our package's data)."""

    out = []
    for dist in ("scikit-learn", "skops", "numpy", "pandas", "jieba", "pyyaml", "rapidfuzz", "cn2an"):
        try:
            out.append(f"{dist}=={version(dist)}")
        except PackageNotFoundError:
            out.append(dist)
    return out


def _setup_mlflow(tracking_uri: str | None, experiment: str) -> str:
    _quiet_mlflow_env()
    import mlflow

    for name in ("mlflow", "alembic"):
        logging.getLogger(name).setLevel(logging.WARNING)
    uri = tracking_uri or default_tracking_uri()
    mlflow.set_tracking_uri(uri)
    if mlflow.get_experiment_by_name(experiment) is None:
        artifacts = None
        if uri.startswith("sqlite:///"):
            artifacts = (Path(uri[len("sqlite:///"):]).resolve().parent / "mlruns").as_uri()
        mlflow.create_experiment(experiment, artifact_location=artifacts)
    mlflow.set_experiment(experiment)
    return uri


def _log_eval_artifacts(m: Mapping[str, Any], prefix: str = "") -> None:
    import matplotlib.pyplot as plt
    import mlflow

    fig = confusion_figure(m)
    mlflow.log_figure(fig, f"{prefix}confusion_matrix.png")
    plt.close(fig)
    mlflow.log_text(report_text(m), f"{prefix}classification_report.txt")
    mlflow.log_dict(m["confusion"], f"{prefix}confusion_matrix.json")


def _dataset(df, data_path):
    """The labelled file as an MLflow dataset (with its digest) for ``mlflow.log_input``."""
    import mlflow.data

    with warnings.catch_warnings():   # "source can be interpreted in multiple ways": both are local files
        warnings.simplefilter("ignore", UserWarning)
        return mlflow.data.from_pandas(df, source=str(Path(data_path).resolve()), name=Path(data_path).stem,
                                       targets="gold_l2")


@dataclass
class TrainResult:
    run_id: str
    chosen: str
    cv: dict[str, dict[str, Any]]               # candidate -> metrics (+ seconds)
    thresholds: dict[str, float]
    misfile: dict[str, Any]
    filers: dict[str, Any]
    model_version: str | None
    champion_moved: bool
    champion_reason: str
    train_seconds: float
    export_dir: str | None = None
    model: Any = None                           # the fitted LinearModel
    report: dict[str, Any] = field(default_factory=dict)   # held-out, final-category, labels (train_report)
    candidate: Any = None                       # the chosen Candidate as fitted (content head chosen out of fold)


def _current_champion(client, name: str):
    try:
        return client.get_model_version_by_alias(name, CHAMPION)
    except Exception:   # no registered model or no alias yet
        return None


def _champion_metrics_on(client, champ, df, splits, fid: str, log: Callable[[str], None]) -> dict | None:
    """The champion's CV metrics on these folds: its logged ones when the folds are the same,
    else a fresh cross-validation of its configuration on these folds."""
    tags = champ.tags or {}
    if tags.get("cv_folds_id") == fid and "cv_macro_f1" in tags:
        return {"macro_f1": float(tags["cv_macro_f1"]), "accuracy": float(tags["cv_accuracy"])}
    if "config" not in tags:
        return None
    log(f"champion v{champ.version} was cross-validated on other folds: re-running its configuration")
    res = cross_validate(Candidate.from_dict(json.loads(tags["config"])), df, splits)
    return res.metrics


def train(data_path: str | Path = DEFAULT_DATA, *, candidates: Iterable[str] = DEFAULT_CANDIDATES,
          folds: int = 5, tracking_uri: str | None = None, experiment: str = EXPERIMENT,
          registered_model: str = REGISTERED_MODEL, register: bool = True, export_dir: str | Path | None = None,
          log: Callable[[str], None] = print, corrections: str | Path | None = None) -> TrainResult:
    """Cross-validate the candidates, log to MLflow, refit and register the best (see module doc).

    ``corrections`` (a ``review.db`` of the review workspace or its exported TSV) adds the
    reviewers' labelled rows to the data; the run logs how many (``corrected_rows``)."""
    _quiet_mlflow_env()
    import mlflow
    import mlflow.sklearn
    from mlflow import MlflowClient
    from mlflow.models import infer_signature


    names = list(candidates)
    unknown = [c for c in names if c not in CANDIDATES]
    if unknown:
        raise ValueError(f"unknown candidate(s) {unknown}; choose from {sorted(CANDIDATES)}")
    if not any(CANDIDATES[c].exportable for c in names):
        raise ValueError("at least one candidate must be a logistic-regression model (lr, lr-…): "
                         "only those can be shipped to the numpy scorer")

    t_start = time.perf_counter()
    df_all = load_labelled(data_path)
    # the frozen held-out filings are scored once at the end, never cross-validated or tuned on
    df, held = split_heldout(df_all, heldout_ids(PROJECT_DIR))
    n_corrected = 0
    if corrections is not None:
        # reviewers' corrections are training rows (never held-out: they are judged anew)
        df, n_corrected = with_corrections(df, corrections)
        log(f"{n_corrected} corrected rows from {corrections} added to {data_path}")
    splits = folds_of(df, folds)
    fid = folds_id(df, splits)
    uri = _setup_mlflow(tracking_uri, experiment)
    vers = versions()
    filers = filers_accuracy(df)
    dataset = _dataset(df, data_path)
    results: dict[str, CVResult] = {}
    with mlflow.start_run(run_name="train") as run:
        mlflow.set_tag("kind", "train")
        mlflow.log_input(dataset, context="training")
        mlflow.log_params({"data": str(data_path), "data_digest": dataset.digest, "rows": len(df),
                           "documents": int(df["doc_id"].nunique()), "folds": len(splits), "folds_id": fid,
                           "candidates": ",".join(names), "corrections": str(corrections or ""),
                           "corrected_rows": n_corrected, **vers})
        mlflow.log_metric("corrected_rows", n_corrected)
        mlflow.log_metrics({f"filers_{k}": float(v) for k, v in filers.items()})
        for name in names:
            cand = CANDIDATES[name]
            with mlflow.start_run(run_name=name, nested=True):
                mlflow.set_tag("kind", "cv")
                mlflow.set_tag("candidate", name)
                res = cross_validate(cand, df, splits)
                results[name] = res
                mlflow.log_params({"candidate": name, "config": json.dumps(cand.to_dict(), ensure_ascii=False),
                                   "folds_id": fid, **vers})
                mlflow.log_metrics({**flat_metrics(res.metrics, "cv_"), "cv_seconds": res.seconds})
                _log_eval_artifacts(res.metrics, "cv_")
            log(f"{name:<12} macro-F1 {res.metrics['macro_f1']:.4f}  accuracy {res.metrics['accuracy']:.4f}  "
                f"({res.seconds:.1f}s)")
        exportable = [n for n in names if CANDIDATES[n].exportable]
        # the shipped model must be able to judge the filing: with a content model when one was compared
        exportable = [n for n in exportable if CANDIDATES[n].content] or exportable
        chosen = exportable[0]
        for n in exportable[1:]:
            if _better(results[n].metrics, results[chosen].metrics):
                chosen = n
        best = results[chosen]
        content_cmp = None
        if best.candidate.content:
            # the head that judges the filing is chosen on its own, out of fold (pipeline.train.content)
            cmp = compare_content(df, splits, best.candidate.settings, best.candidate.content_alt_weight
                                  or best.candidate.alt_weight, seed_ids(PROJECT_DIR))
            pick = choose_content(cmp)
            best.candidate = replace(best.candidate, content_C=pick.variant.C,
                                     content_class_weight=pick.variant.class_weight)
            best.content_proba = pick.proba
            content_cmp = {"chosen": pick.variant.name, "variants": [r.summary() for r in cmp]}
            for r in cmp:
                log(f"content {r.variant.name:<15} log-loss {r.log_loss:.3f}  accuracy {r.accuracy:.3f}  "
                    f"misfile P {r.tuned['precision']:.3f} R {r.tuned['recall']:.3f} (nested P "
                    f"{r.nested['precision']:.3f} R {r.nested['recall']:.3f})")
        thresholds, curve = tune_thresholds(df, best.proba, LABELS)
        filers["model_accuracy_same_rows"] = model_accuracy_on_filed_rows(df, best.pred)
        review, cl = confident_learning(df, best.proba, LABELS)
        mis = {"l2": misfile_scores(df, best.proba, LABELS, thresholds["l2"]),
               "l1": l1_scores(df, best.proba, thresholds["l1"]), "confident_learning": cl, "curve": curve}
        t_fit = time.perf_counter()
        model = fit_final(best.candidate, df)
        fit_seconds = time.perf_counter() - t_fit
        # content-model thresholds (out of fold), held-out scores, labels: updates thresholds
        report = judge_and_report(df, held, df_all, best, model, thresholds, PROJECT_DIR)
        for part in ("cv_final", "heldout"):     # the category after the misfile decision
            if report.get(part):
                _log_eval_artifacts(report[part], f"{part}_")
        if content_cmp:
            report["content_comparison"] = content_cmp
            mlflow.log_param("content_chosen", content_cmp["chosen"])
            mlflow.log_dict(content_cmp, "content_comparison.json")
            for r in content_cmp["variants"]:
                mlflow.log_metrics({f"content_{r['name']}_log_loss": r["log_loss"],
                                    f"content_{r['name']}_accuracy": r["accuracy"],
                                    **{f"content_{r['name']}_{part}_{k}": float(r[part][k])
                                       for part in ("tuned", "nested") for k in ("precision", "recall", "flagged")}})
        train_seconds = time.perf_counter() - t_start
        mlflow.set_tag("chosen", chosen)
        mlflow.log_params({"chosen": chosen, "config": json.dumps(best.candidate.to_dict(), ensure_ascii=False),
                           **{f"threshold_{k}": v for k, v in thresholds.items()}})
        mlflow.log_metrics({**flat_metrics(best.metrics, "cv_"), "cv_seconds": best.seconds,
                            **{f"misfile_{k}": float(v) for k, v in mis["l2"].items()},
                            **{f"misfile_l1_{k}": float(v) for k, v in mis["l1"].items()},
                            **{f"misfile_cl_{k}": float(v) for k, v in cl.items()},
                            "fit_seconds": fit_seconds, "train_seconds": train_seconds})
        _log_eval_artifacts(best.metrics)
        mlflow.log_dict({"curve": curve}, "misfile_curve.json")
        mlflow.log_text(review.to_csv(index=False), "filed_label_review.csv")
        comparison = {n: {"macro_f1": r.metrics["macro_f1"], "accuracy": r.metrics["accuracy"],
                          "filings_macro_f1": r.metrics.get("filings_macro_f1"),
                          "filings_accuracy": r.metrics.get("filings_accuracy"), "seconds": r.seconds}
                      for n, r in results.items()}
        mlflow.log_dict(comparison, "comparison.json")
        sample = df[INPUT_COLUMNS].head(5)
        head = df[INPUT_COLUMNS].head(50)
        signature = infer_signature(head, np.asarray(model.predict(head), dtype=str))
        info = mlflow.sklearn.log_model(
            model.pipeline_, name="model", serialization_format="skops", skops_trusted_types=TRUSTED_TYPES,
            signature=signature, input_example=sample, pip_requirements=pip_requirements(),
            metadata={"note": "loading needs the jixiao package (pipeline.classify.features.row_frame, "
                              "pipeline.core.segment.tokenize_name) and its configs/"},
            registered_model_name=registered_model if register else None)
        version = str(info.registered_model_version) if register and info.registered_model_version else None
        moved, reason = False, "not registered"
        if version:
            client = MlflowClient()
            tags = {"cv_folds_id": fid, "cv_macro_f1": f"{best.metrics['macro_f1']:.6f}",
                    "cv_accuracy": f"{best.metrics['accuracy']:.6f}", "data_digest": dataset.digest,
                    "config": json.dumps(best.candidate.to_dict(), ensure_ascii=False), **vers}
            for k, v in tags.items():
                client.set_model_version_tag(registered_model, version, k, v)
            champ = _current_champion(client, registered_model)
            if champ is None:
                moved, reason = True, "no champion yet"
            else:
                cm = _champion_metrics_on(client, champ, df, splits, fid, log)
                if cm is None:
                    moved, reason = True, f"champion v{champ.version} has no comparable metrics"
                elif _better(best.metrics, cm):
                    moved = True
                    reason = (f"beats champion v{champ.version} on the same folds: macro-F1 "
                              f"{best.metrics['macro_f1']:.4f} > {cm['macro_f1']:.4f} (accuracy "
                              f"{best.metrics['accuracy']:.4f} vs {cm['accuracy']:.4f})")
                else:
                    reason = (f"does not beat champion v{champ.version} on the same folds (macro-F1 "
                              f"{best.metrics['macro_f1']:.4f} vs {cm['macro_f1']:.4f}, accuracy "
                              f"{best.metrics['accuracy']:.4f} vs {cm['accuracy']:.4f})")
            if moved:
                client.set_registered_model_alias(registered_model, CHAMPION, version)
            mlflow.set_tag("champion", "yes" if moved else "no")
            mlflow.set_tag("champion_reason", reason)
        log(f"chosen: {chosen}  model version: {version}  champion moved: {moved} ({reason})")
        result = TrainResult(run_id=run.info.run_id, chosen=chosen,
                             cv={n: {**r.metrics, "seconds": r.seconds} for n, r in results.items()},
                             thresholds=thresholds, misfile=mis, filers=filers, model_version=version,
                             champion_moved=moved, champion_reason=reason, train_seconds=train_seconds,
                             model=model, report=report, candidate=best.candidate)
        if export_dir is not None:
            result.export_dir = str(export_model(result, df, export_dir, data_path=data_path,
                                                 data_digest=dataset.digest, tracking_uri=uri, folds=len(splits),
                                                 fit_seconds=fit_seconds))
            mlflow.log_artifacts(str(export_dir), "numpy_model")
    return result


# --------------------------------------------------------------------------- export (models/)

def export_model(result: TrainResult, df, out_dir: str | Path, *, data_path, data_digest: str, tracking_uri: str,
                 folds: int, fit_seconds: float) -> Path:
    """Write the chosen model for the numpy scorer plus ``metrics.json`` and ``MODEL_CARD.md``."""
    cand = result.candidate or CANDIDATES[result.chosen]
    today = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    vers = versions()
    data = Path(data_path).resolve()
    meta = {"name": REGISTERED_MODEL, "candidate": result.chosen, "config": cand.to_dict(), "trained": today,
            "data": str(data.relative_to(PROJECT_DIR)) if data.is_relative_to(PROJECT_DIR) else str(data_path),
            "data_digest": data_digest, "rows": int(len(df)), "mlflow_run_id": result.run_id,
            "registered_version": result.model_version, **vers}
    out = export(result.model.pipeline_, out_dir, settings=cand.settings, meta=meta, thresholds=result.thresholds,
                 content_pipeline=getattr(result.model, "content_pipeline_", None))
    meta["model_sha256"] = digest(out)
    metrics_doc = {"trained": today, "data": meta["data"], "data_digest": data_digest, "rows": int(len(df)),
                   "documents": int(df["doc_id"].nunique()), "folds": folds, "chosen": result.chosen,
                   "versions": vers, "cv": result.cv, "filers": result.filers, "thresholds": result.thresholds,
                   "misfile": result.misfile, "train_seconds": result.train_seconds, "fit_seconds": fit_seconds,
                   "model_sha256": meta["model_sha256"], "mlflow_run_id": result.run_id, **result.report}
    (out / "metrics.json").write_text(json.dumps(metrics_doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (out / "MODEL_CARD.md").write_text(model_card(metrics_doc, best_c(metrics_doc)), encoding="utf-8")
    return out


def best_c(m: Mapping[str, Any]) -> float:
    return CANDIDATES[m["chosen"]].C


# --------------------------------------------------------------------------- evaluate

def load_model(model: str | Path | None = None):
    """A model to evaluate: a numpy model folder (default: the shipped one), a ``.skops`` file
    or an MLflow URI (``models:/jixiao-classifier@champion``, ``runs:/<id>/model``).

    skops files are loaded with the explicit :data:`~pipeline.train.models.TRUSTED_TYPES` only,
    never by trusting the file's own list. Returns an object with ``classes_``/``classes``,
    ``predict_proba`` and ``thresholds``.
    """

    if model is None:
        return Scorer.load(default_model_dir())
    s = str(model)
    if "://" not in s and not s.startswith(("models:/", "runs:/")):
        p = Path(s)
        if p.is_dir() and (p / "model.json").is_file():
            return Scorer.load(p)
        if p.suffix == ".skops" or p.is_file():
            return _SkopsModel(p)
        if p.is_dir():
            found = sorted(p.rglob("*.skops")) or sorted(p.rglob("model.pkl"))
            if found and found[0].suffix == ".skops":
                return _SkopsModel(found[0])
        raise FileNotFoundError(f"{model}: not a model folder (model.json), a .skops file or an MLflow URI")
    import mlflow

    local = Path(mlflow.artifacts.download_artifacts(artifact_uri=s))
    found = sorted(local.rglob("*.skops")) or ([local] if local.suffix == ".skops" else [])
    if not found:
        raise FileNotFoundError(f"{model}: no skops-serialised model in the downloaded artifacts ({local})")
    return _SkopsModel(found[0])


class _SkopsModel:
    def __init__(self, path: Path):
        import skops.io as sio

        untrusted = set(sio.get_untrusted_types(file=path)) - set(TRUSTED_TYPES)
        if untrusted:
            raise ValueError(f"{path} references types outside jixiao's trusted list: {sorted(untrusted)}; "
                             "refusing to load it")
        self.pipeline = sio.load(path, trusted=TRUSTED_TYPES)
        self.classes = [str(c) for c in self.pipeline.classes_]
        self.thresholds: dict[str, float] = {}

    def predict_proba(self, rows):
        return self.pipeline.predict_proba(rows)


def evaluate(model: str | Path | Any = None, data_path: str | Path = DEFAULT_DATA, *, tracking_uri: str | None = None,
             experiment: str = EXPERIMENT, log_run: bool = True) -> dict[str, Any]:
    """Score a model on a labelled file: metrics (alt-aware), misfile precision/recall; logs a run."""
    df = load_labelled(data_path)
    m = load_model(model) if model is None or isinstance(model, (str, Path)) else model
    classes = list(getattr(m, "classes", None) or getattr(m, "classes_"))
    raw = np.asarray(m.predict_proba(df))
    proba = np.zeros((len(df), len(LABELS)))
    index = {c: i for i, c in enumerate(LABELS)}
    proba[:, [index[c] for c in classes]] = raw
    pred = np.array(LABELS, dtype=object)[proba.argmax(1)]
    res = metrics(df, pred)
    th = {**DEFAULT_THRESHOLDS, **(getattr(m, "thresholds", None) or {})}
    res["misfile"] = {"l2": misfile_scores(df, proba, LABELS, th["l2"]), "l1": l1_scores(df, proba, th["l1"])}
    res["filers"] = filers_accuracy(df)
    res["thresholds"] = th
    if log_run:
        import mlflow

        _setup_mlflow(tracking_uri, experiment)
        dataset = _dataset(df, data_path)
        with mlflow.start_run(run_name="evaluate") as run:
            mlflow.set_tag("kind", "evaluate")
            mlflow.log_input(dataset, context="evaluation")
            mlflow.log_params({"data": str(data_path), "data_digest": dataset.digest, "rows": len(df),
                               "model": str(model or "shipped models/"), **versions()})
            mlflow.log_metrics({**flat_metrics(res), **{f"misfile_{k}": float(v) for k, v in res["misfile"]["l2"].items()},
                                **{f"filers_{k}": float(v) for k, v in res["filers"].items()}})
            _log_eval_artifacts(res)
            res["run_id"] = run.info.run_id
    return res
