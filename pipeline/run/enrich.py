"""From extracted rows to the full table: typed values, categories and flags.

``enrich(doc, extraction, info)`` returns the records of indicators.csv (the extraction
columns, the typed value columns of :mod:`pipeline.values.typed`, the classifier's columns and
``flags``) and the flag records of the filing, row-level and filing-level.
"""

from __future__ import annotations

from pipeline.classify.predict import classify_rows
from pipeline.core.document import Document
from pipeline.core.flags import Flag, review_rules
from pipeline.extract.facts import FilingInfo
from pipeline.extract.rows import COLUMNS, Extraction
from pipeline.norms.lookup import load_norms
from pipeline.prose.mine import facts_to_rows, mine_facts
from pipeline.review.budget_block import read_budget_block
from pipeline.review.filing import review_filing
from pipeline.review.kinds import fit_to_kind
from pipeline.review.rows import RowCtx, canonical, review_rows
from pipeline.review.scores import review_scores
from pipeline.values.context import table_unit_of
from pipeline.values.typed import TYPED_COLUMNS, typed_columns, typed_values

CLASS_COLUMNS = ("level1", "level2", "confidence", "misfiled", "suggestion")
NORM_COLUMNS = ("canonical_name", "norm_id")
ALL_COLUMNS = COLUMNS + TYPED_COLUMNS + CLASS_COLUMNS + NORM_COLUMNS + ("flags",)


def _classify(rows):
    """The shipped classifier's predictions, or None when no model is installed."""
    try:
        # the 计量单位 column is the unit hint of the typed value (差旅费 470 | 元 is money, not a count)
        return classify_rows([{"name": r.name, "target_raw": r.target_raw, "level1_filed": r.level1_filed,
                               "level2_filed": r.level2_filed, "unit_raw": r.unit_raw} for r in rows])
    except (FileNotFoundError, ImportError):
        return None
    except Exception as exc:  # a missing or unreadable shipped model: rows go on unclassified
        if type(exc).__name__ == "ModelFormatError":
            return None
        raise


def enrich(doc: Document, ex: Extraction, info: FilingInfo) -> tuple[list[dict], list[Flag]]:
    year = int(info.year) if info.year.isdigit() else None
    facts = []
    if info.kind == "report" or (not ex.rows and doc.meta.get("layout") == "plain"):
        # reports state their indicators in sentences: mined facts become rows too

        facts = mine_facts(doc)
        if not ex.rows:
            ex.rows = facts_to_rows(facts, doc.path)
    rows = ex.rows
    preds = _classify(rows) if rows else []
    ctxs: list[RowCtx] = []
    table_unit = table_unit_of(doc.text)
    for i, r in enumerate(rows):
        t, a = typed_values(r, year, table_unit)
        l1, l2, process = canonical(r)
        ctxs.append(RowCtx(r, t, a, l1, l2, process, preds[i] if preds else None))
    flags = review_rows(ctxs, (doc.text or '').splitlines()) + review_scores(ctxs, ex.totals, _budget_points(doc) if ex.totals else None)
    norm_cols = _norms(ctxs, flags)

    flags += review_filing(doc, ex, info, ctxs, facts)

    # a library or a blank form has no targets to miss; rows cut out of one glued line are guesses
    cut_rows = [(j.table, j.row) for j in ex.rejects if j.reason == "row cut off at the end of the text"]
    flags = fit_to_kind(flags, info.kind, ctxs, (doc.text or '').splitlines(), cut_rows)
    by_row: dict[tuple[int, int, str], list[str]] = {}
    for f in flags:
        by_row.setdefault((f.table, f.row, f.name), []).append(f.code)
    records = []
    for i, c in enumerate(ctxs):
        rec = c.row.as_dict()
        rec.update(typed_columns(c.target, c.actual))
        if c.row.cut_off:
            rec["target_status"] = "cut"    # the text stops inside this cell: the value may be cut
        p = c.pred
        if p is not None:
            rec.update(level1=p.level1, level2=p.level2, confidence=f"{p.confidence:.3f}", misfiled=p.misfiled,
                       suggestion=p.suggestion)
        else:
            rec.update(level1=c.filed_l1, level2=c.filed_l2, confidence="", misfiled="", suggestion="")
        rec.update(norm_cols[i])
        rec["flags"] = ";".join(dict.fromkeys(by_row.get((c.row.table, c.row.row, c.row.name), [])))
        records.append(rec)
    return records, flags


def _budget_points(doc: Document) -> tuple[float, float | None] | None:
    """(分值, 得分) of the form's funding block, when its total row was read with certainty."""
    block = read_budget_block(doc.text)
    t = block.total if block else None
    if t is None or not t.aligned or t.get("points") is None:
        return None
    return t.get("points"), t.get("score")  # type: ignore[return-value]


def _norms(ctxs: list[RowCtx], flags: list[Flag]) -> list[dict[str, str]]:
    """canonical_name / norm_id per row, NONSTANDARD_NAME and NORM_OUTLIER flags, and a
    measurable suggestion for each vague target taken from the norm of its indicator."""

    out = [{"canonical_name": "", "norm_id": ""} for _ in ctxs]
    if not ctxs:
        return out
    norms = load_norms()
    rr = review_rules()
    vague = {(f.table, f.row, f.name): f for f in flags if f.code == "VAGUE_TARGET"}
    for i, c in enumerate(ctxs):
        r = c.row
        if not r.name:
            continue
        m = norms.match(r.name, getattr(c.target, "unit_norm", ""), c.l2)
        if m is not None:
            out[i] = {"canonical_name": m.canonical_name, "norm_id": m.norm_id}
        for f in ([] if r.cut_off else norms.review(r.name, c.l2, c.target)):   # a cut value is no outlier
            flags.append(rr.flag(f.code, r.file, r.table, r.row, f.message, f.evidence, f.suggestion, r.name))
        vf = vague.get((r.table, r.row, r.name))
        if vf is not None:
            hint = norms.suggest_for_vague(r.name, c.l2)
            if hint:
                vf.suggestion = f"改为「{hint}」"
    return out
