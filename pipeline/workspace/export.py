"""Corrections out of ``review.db``: labelled training rows and a corrected workbook.

``labelled_rows(store)`` gives one row in the format of ``data/labelled/gold.tsv``
(``doc_id, source, level1_filed, level2_filed, name, target, actual, gold_l2, gold_alt,
vague, note``) for every row whose category a reviewer judged:

- a corrected ``level2`` is the gold label (时效指标 for a row filed 数量指标 that is a deadline);
- an accepted ``MISFILED_L1``/``MISFILED_L2`` flag confirms the model's ``level2``;
- a rejected one confirms the filed second level (when it names a standard second level).

Corrected names and values are applied to the row. Rows with only a flag judgement on
other codes, or only text corrections, give no label (they are in the corrected workbook).
Not handled yet: ``gold_alt`` (a reviewer gives one label).
"""

from __future__ import annotations

import csv
from pathlib import Path

from pipeline.classify.types import LABELS
from pipeline.core.columns import column_names
from pipeline.core.taxonomy import lookup, taxonomy
from pipeline.workspace.outdir import OutDir, RowKey
from pipeline.workspace.store import Correction, Store

LABELLED_COLUMNS = ("doc_id", "source", "level1_filed", "level2_filed", "name", "target", "actual", "gold_l2",
                    "gold_alt", "vague", "note")
MISFILE_CODES = ("MISFILED_L1", "MISFILED_L2")


def _filed_l2(text: str) -> str:
    l2 = lookup(text).l2 if text else ""
    return l2 if l2 in LABELS else ""


def gold_of(fields: dict[str, Correction]) -> tuple[str, str]:
    """The gold second level a row's judgements give, and how it was judged ('' when none)."""
    if "level2" in fields:
        return fields["level2"].after, "level2 corrected"
    for code in MISFILE_CODES:
        c = fields.get(f"flag:{code}")
        if c is None:
            continue
        if c.after == "accept" and c.snapshot.get("level2"):
            return c.snapshot["level2"], f"{code} accepted"
        if c.after == "reject":
            filed = _filed_l2(c.snapshot.get("level2_filed", ""))
            if filed:
                return filed, f"{code} rejected"
    return "", ""


def labelled_rows(store: Store) -> list[dict[str, str]]:
    """Training rows from the judgements of ``store`` (see the module docstring)."""
    out = []
    for key, fields in store.latest().items():
        gold, how = gold_of(fields)
        if not gold:
            continue
        snap = next(iter(fields.values())).snapshot
        latest = max(fields.values(), key=lambda c: c.id)
        text = {f: (fields[f].after if f in fields else snap.get(f, "")) for f in ("name", "target_raw", "actual_raw")}
        notes = "; ".join(c.note for c in fields.values() if c.note)
        out.append({
            "doc_id": Path(key.file).stem, "source": "review", "level1_filed": snap.get("level1_filed", ""),
            "level2_filed": snap.get("level2_filed", ""), "name": text["name"], "target": text["target_raw"],
            "actual": text["actual_raw"], "gold_l2": gold, "gold_alt": "", "vague": snap.get("target_vague", "") or "0",
            "note": f"review {how} by {latest.who} at {latest.at}" + (f": {notes}" if notes else ""),
        })
    return out


def write_labelled(store: Store, path: str | Path) -> int:
    """Write :func:`labelled_rows` as a TSV (UTF-8, like gold.tsv); returns the row count."""
    rows = labelled_rows(store)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(LABELLED_COLUMNS), delimiter="\t", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return len(rows)


def corrected_records(out: OutDir, store: Store) -> list[dict[str, str]]:
    """Every row of indicators.csv with the reviewers' corrections applied, plus the columns
    ``review_flags`` (code=accept/reject) and ``review_note``."""

    latest = store.latest()
    records = []
    for entries in out.rows.values():
        for r in entries:
            rec = dict(r.fields)
            fields = latest.get(r.key, {})
            for f, c in fields.items():
                if not f.startswith("flag:"):
                    rec[f] = c.after
            if "level2" in fields and "level1" not in fields:
                rec["level1"] = taxonomy().parent(fields["level2"].after) or rec.get("level1", "")
            rec["review_flags"] = ";".join(f"{f[5:]}={c.after}" for f, c in fields.items() if f.startswith("flag:"))
            rec["review_note"] = "; ".join(c.note for c in fields.values() if c.note)
            records.append(rec)
    return records


def write_corrected_xlsx(out: OutDir, store: Store, path: str | Path) -> Path:
    """indicators.xlsx with the corrections applied (corrected cells in green, the value
    before as a comment); the outputs of ``jixiao clean`` are left as they are."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill


    names = column_names()
    cols = names.workbook_order(out.columns) + ["review_flags", "review_note"]
    latest = store.latest()
    wb = Workbook()
    ws = wb.active
    ws.title = "indicators"
    ws.append([names.header(c) if c in names.zh else c for c in cols])
    ws.append(cols)
    for c in ws[1] + ws[2]:
        c.font = Font(bold=True)
    green = PatternFill("solid", fgColor="C6EFCE")
    keys = [r.key for entries in out.rows.values() for r in entries]
    for key, rec in zip(keys, corrected_records(out, store), strict=True):
        ws.append([rec.get(c, "") for c in cols])
        for f, c in latest.get(key, {}).items():
            if f in cols:
                cell = ws.cell(row=ws.max_row, column=cols.index(f) + 1)
                cell.fill = green
                cell.comment = Comment(f"{c.who} {c.at}\n原值：{c.before}" + (f"\n{c.note}" if c.note else ""), "jixiao")
    ws.freeze_panes = "B3"
    ws.auto_filter.ref = f"A2:{ws.cell(row=2, column=len(cols)).column_letter}{ws.max_row}"
    wb.save(path)
    return Path(path)


def judged_keys(store: Store) -> set[RowKey]:
    return set(store.latest())
