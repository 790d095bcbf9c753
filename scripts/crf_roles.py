#!/usr/bin/env python3
"""A learned cell-role reader (a CRF) measured against the rules (issue #12's experiment).

    .venv/bin/pip install -e '.[crf]'
    .venv/bin/python scripts/crf_roles.py [--shared ../shared] [--folds 5] [--families glued,...]

The cell reader (:func:`pipeline.extract.cell_stream.stream`) cuts each filing into typed
pieces. Each piece of a working-set filing is labelled by aligning it to the hand-read rows of
../shared/data/rows.tsv (:func:`align`): ``name`` (matches a hand-read 三级 name by the
scorer's rule, difflib ratio >= 0.8), ``target`` / ``actual`` (equal to that row's value, in the
few pieces after its name), ``cat`` (a category word), ``head`` (a header word), ``other``.
The generated layouts of tests/layouts.py (working-set rows only) are more training material.
A linear-chain CRF (python-crfsuite) learns the roles from :func:`features` — the rules' kind,
length, character classes, digits / units / %, ending characters and the neighbours' (±2) —
and :func:`rows_from_roles` turns the predicted roles into rows (a name opens a row, a target
or actual fills it, a category word fills 一级/二级 down).

Printed: row recall by the scorer's rule (tools/rowscore.py) for (a) the rules (`extract`,
what `jixiao clean` runs), (b) the CRF alone, (c) the rules with the CRF only where the rules
read no row, or rows without values — on the working set out of fold (grouped k-fold by
filing: a filing and its generated layouts are always in the same fold), on the held-out
filings of data/heldout.txt once (model trained on the whole working set; aggregate figures
only, no held-out row is printed), and on the glued layout family (out of fold).

Worked example of the labelling, a target table glued into one line::

    产出指标数量指标培训人次≥100人次  (hand-read: 培训人次 | ≥100人次)
    → CAT 产出指标: cat | CAT 数量指标: cat | NAME 培训人次: name | VAL ≥100人次: target

Not handled: a hand-read name the cell reader cut in two (both halves label ``other``); a value
the reader glued to its name (no piece equals the value); the model's rows carry no weight, score
or deviation (the scorer does not read them).

Longer than 400 lines because it is one experiment (labels, features, two row builders, the
hybrid, the folds and the table) that is run and read as a whole; it is not part of the package.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from pipeline.core.cells import cell, rules
from pipeline.extract.region import _category_roles
from pipeline.extract.cell_lexicon import CAT, HEAD, NAME, VAL, StreamCell, reader_rules
from pipeline.extract.cell_stream import stream

ROOT = Path(__file__).resolve().parents[1]
ROLES = ("name", "target", "actual", "cat", "head", "other")
_UNSURE = re.compile("garbl|reconstruct|inferred|乱码|scrambl|OCR|unreliable|cut off|concatenat|fused|"
                     "attributable|interleav|截断|列序错乱|按顺序对应|按表头还原", re.I)
_UNIT = re.compile(r"(?:%|％|万元|元|人次|人|户|个|件|次|天|亩|公里|km|平方米|㎡|吨|所|家|场|期|月|年|项)$")
_OP = re.compile(r"^(?:[≥≤><=＞＜≈]|不低于|不高于|不少于|不超过|大于|小于|等于|约|达到)")


def norm(s: str) -> str:
    return re.sub(r"\s+", "", s or "").replace("（", "(").replace("）", ")")


def bare_name(s: str) -> str:
    return re.sub(r"^指标\d+[:：]", "", norm(s))


@dataclass(frozen=True, slots=True)
class Gold:
    """One hand-read row: its name, target and actual as written."""

    name: str
    target: str
    actual: str


@dataclass(slots=True)
class Row:
    """A row read by a reader: what the scorer looks at."""

    name: str
    target_raw: str = ""
    actual_raw: str = ""
    level1: str = ""
    level2: str = ""


@dataclass(slots=True)
class Sample:
    """One cell sequence: a filing or a generated layout, its cells, labels and rules' rows."""

    group: str          # the filing id (a layout keeps its filing's id: same fold)
    source: str         # "filing" or the layout family
    self_eval: bool
    cells: list[StreamCell]
    gold: list[Gold]
    labels: list[str] = field(default_factory=list)
    rule_rows: list[Row] = field(default_factory=list)


# ---------------------------------------------------------------------------- labels


def _same_name(a: str, b: str) -> bool:
    return SequenceMatcher(None, bare_name(a), bare_name(b)).ratio() >= 0.8


def _holds(t: str, value: str) -> bool:
    """The cell gives the hand-read value back by the scorer's rule: it holds the value, or is
    a part of it of half its length or more (``100`` of ``100%``)."""
    return bool(value) and (value in t or t in value and 2 * len(t) >= len(value))


def align(cells: list[StreamCell], gold: list[Gold], window: int = 6) -> list[str]:
    """The role of each cell by the hand-read rows: a cell whose text is a hand-read name
    (scorer's ratio) is ``name``; a cell equal to that row's target or actual within ``window``
    cells after it is ``target`` / ``actual``; otherwise the rules' kind says ``cat`` or ``head``
    and anything else is ``other``."""
    labels: list[str] = []
    cur: Gold | None = None
    since = 0
    filled: set[str] = set()
    for c in cells:
        t = norm(c.text)
        since += 1
        match = next((g for g in gold if len(t) >= 2 and _same_name(t, g.name)), None) if c.kind != HEAD else None
        if match is not None and not (cur is not None and since <= window and t in (norm(cur.target), norm(cur.actual))):
            cur, since, filled = match, 0, set()
            labels.append("name")
            continue
        if cur is not None and since <= window and t and c.kind != HEAD:
            if "target" not in filled and _holds(t, norm(cur.target)):
                filled.add("target")
                labels.append("target")
                continue
            if "actual" not in filled and _holds(t, norm(cur.actual)):
                filled.add("actual")
                labels.append("actual")
                continue
        labels.append("cat" if c.kind == CAT else "head" if c.kind == HEAD else "other")
    return labels


# ---------------------------------------------------------------------------- features


def _own(c: StreamCell) -> dict[str, float | str]:
    t = c.text
    info = cell(t)
    f: dict[str, float | str] = {
        "kind": c.kind, "hrole": c.role or "-", "whole": float(c.whole), "col": str(min(c.col, 8)),
        "len": str(min(len(t), 12)) if len(t) < 12 else ("long" if len(t) < 30 else "xlong"),
        "digit": float(bool(re.search(r"\d", t))), "alldigit": float(bool(re.fullmatch(r"[\d.,]+", t))),
        "pct": float("%" in t or "％" in t), "unit": float(bool(_UNIT.search(t))), "op": float(bool(_OP.match(t))),
        "last": t[-1:], "last2": t[-2:], "first": t[:1],
        "cjk": str(min(len(re.findall(r"[\u4e00-\u9fff]", t)) // 3, 5)),
        "name_like": float(info.name_like), "value": float(info.value), "actual_w": float(info.actual),
        "placeholder": float(info.placeholder), "number": float(info.number),
        "word_value": float(t in reader_rules().word_values), "suffix": float(t.endswith(rules().name_suffixes)),
        "level": _category_roles(c) if c.kind == CAT else "-",
        "first2": t[:2],
    }
    if len(t) <= 4:
        f["text"] = t        # short words (合规, 达成, 定量, 正向) are their own best feature
    return f


def features(cells: list[StreamCell], self_eval: bool) -> list[dict[str, float | str]]:
    """The features of each cell (see the module docstring): its own and its neighbours' ±2
    (kind, value-like, name-like, same line)."""
    own = [_own(c) for c in cells]
    out = []
    last_head = last_cat = -99
    for i, c in enumerate(cells):
        f = dict(own[i])
        f["self_eval"] = float(self_eval)
        # how far the last header word and category word are: the indicator region is near them
        f["since_head"] = str(min(i - last_head, 60) // 10)
        f["since_cat"] = str(min(i - last_cat, 20) // 4)
        if c.kind == HEAD:
            last_head = i
        elif c.kind == CAT:
            last_cat = i
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < len(cells):
                o = own[j]
                f[f"{d}:kind"] = str(o["kind"])
                f[f"{d}:value"] = o["value"]
                f[f"{d}:suffix"] = o["suffix"]
                f[f"{d}:digit"] = o["digit"]
                f[f"{d}:kindpair"] = f"{o['kind']}|{c.kind}"
                f[f"{d}:sameline"] = float(cells[j].line == c.line)
                f[f"{d}:last"] = str(o["last"])
                if "text" in o:
                    f[f"{d}:text"] = str(o["text"])
            else:
                f[f"{d}:kind"] = "EDGE"
        out.append(f)
    return out


def _crf_items(feats: list[dict[str, float | str]]) -> list[dict[str, float]]:
    """python-crfsuite takes name -> float: strings become name=value indicators."""
    return [{(k if isinstance(v, float) else f"{k}={v}"): (v if isinstance(v, float) else 1.0)
             for k, v in f.items()} for f in feats]


# ---------------------------------------------------------------------------- rows


def rows_from_roles(cells: list[StreamCell], roles: list[str]) -> list[Row]:
    """Rows out of predicted roles: a name opens a row, the first target and actual after it
    fill it, a category word fills 一级 / 二级 down."""
    out: list[Row] = []
    l1 = l2 = ""
    row: Row | None = None
    for c, r in zip(cells, roles):
        if r == "cat":
            level = _category_roles(c)
            if level == "level1":
                l1, l2 = c.text, ""
            elif level == "level2":
                l2 = c.text
        elif r == "name":
            row = Row(c.text, level1=l1, level2=l2)
            out.append(row)
        elif r == "target" and row is not None and not row.target_raw:
            row.target_raw = c.text
        elif r == "actual" and row is not None and not row.actual_raw:
            row.actual_raw = c.text
    return out


_KIND_OF_ROLE = {"name": NAME, "target": VAL, "actual": VAL, "cat": CAT, "head": HEAD}


def rows_by_assembler(cells: list[StreamCell], roles: list[str], self_eval: bool) -> list[Row]:
    """Rows out of predicted roles by the rules' assembler (:func:`pipeline.extract.assemble.
    assemble`): each cell takes the kind of its role (``other`` becomes debris, which the
    assembler skips), so the assembler's region, fill-down and value order apply."""
    from pipeline.extract.assemble import assemble
    from pipeline.extract.cell_lexicon import DEBRIS

    kinds = [StreamCell(_KIND_OF_ROLE.get(r, DEBRIS), c.text, c.line, c.role, c.whole, c.col)
             for c, r in zip(cells, roles)]
    return [Row(r.name, r.values.get("target", ""), r.values.get("actual", ""), r.level1, r.level2)
            for t in assemble(kinds, self_eval) for r in t.rows]


def recovered(gold: list[Gold], rows: list[Row]) -> int:
    """How many hand-read rows ``rows`` give back, by the rule of ../shared/tools/rowscore.py."""
    hit = 0
    for g in gold:
        gn, gt = bare_name(g.name), norm(g.target or g.actual)
        hit += any(SequenceMatcher(None, gn, bare_name(r.name)).ratio() >= 0.8
                   and (not gt or gt in norm(r.target_raw) + norm(r.actual_raw)
                        or norm(r.target_raw) and norm(r.target_raw) in gt)
                   for r in rows)
    return hit


def hybrid(rule_rows: list[Row], crf_rows: list[Row]) -> list[Row]:
    """The rules' rows, with the CRF's only where the rules read no row with a value: the whole
    filing then; a rules row without values takes the values of the CRF row of the same name."""
    if not any(r.target_raw or r.actual_raw for r in rule_rows):
        # the rules' value-less rows stay (a name read is a MISSING_VALUE row, not nothing)
        return rule_rows + crf_rows
    out = []
    for r in rule_rows:
        if not (r.target_raw or r.actual_raw):
            m = next((c for c in crf_rows if (c.target_raw or c.actual_raw) and _same_name(c.name, r.name)), None)
            if m is not None:
                r = Row(r.name, m.target_raw, m.actual_raw, r.level1, r.level2)
        out.append(r)
    return out


# ---------------------------------------------------------------------------- data


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def load_filings(shared: Path) -> list[Sample]:
    """Every target table and self-evaluation of ``shared``/data with hand-read rows."""
    from pipeline.extract.cells import doc_lines
    from pipeline.extract.read import extract
    from pipeline.ingest.dispatch import read_filing

    kind = {r["doc_id"]: r["kind"] for r in _read(shared / "data" / "sources.tsv")}
    gold: dict[str, list[Gold]] = defaultdict(list)
    for r in _read(shared / "data" / "rows.tsv"):
        if (r["level3_name"].strip() and kind.get(r["doc_id"]) in ("target_table", "self_eval")
                and not _UNSURE.search(r.get("extra") or "")):
            gold[r["doc_id"]].append(Gold(r["level3_name"], r["target_value"], r["actual_value"]))
    out = []
    for path in sorted((shared / "data" / "filings").iterdir()):
        if path.stem not in gold:
            continue
        doc = read_filing(path)
        rule_rows = [Row(r.name, r.target_raw or "", r.actual_raw or "") for r in extract(doc).rows]
        out.append(Sample(path.stem, "filing", kind[path.stem] == "self_eval", stream(doc_lines(doc)),
                          gold[path.stem], rule_rows=rule_rows))
    return out


def load_layouts(families: list[str], folder: Path) -> list[Sample]:
    """The working-set forms of tests/layouts.py rendered in ``families`` (text families)."""
    sys.path.insert(0, str(ROOT / "tests"))
    import layouts
    from pipeline.extract.cells import doc_lines
    from pipeline.extract.read import extract
    from pipeline.ingest.dispatch import read_filing

    out = []
    for form in layouts.forms():
        gold = [Gold(n, t, a) for _, _, n, t, a in form.rows]
        for fam in families:
            doc = read_filing(layouts.render(form, fam, folder))
            rule_rows = [Row(r.name, r.target_raw or "", r.actual_raw or "") for r in extract(doc).rows]
            out.append(Sample(form.doc_id, fam, form.self_eval, stream(doc_lines(doc)), gold, rule_rows=rule_rows))
    return out


# ---------------------------------------------------------------------------- model


def train(samples: list[Sample], model: Path, c1: float = 0.05, c2: float = 0.05) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for s in samples:
        if s.cells:
            trainer.append(_crf_items(features(s.cells, s.self_eval)), s.labels)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": 150, "feature.possible_transitions": True})
    trainer.train(str(model))


def predict(samples: list[Sample], model: Path) -> dict[int, list[str]]:
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    return {id(s): tagger.tag(_crf_items(features(s.cells, s.self_eval))) if s.cells else [] for s in samples}


def folds(groups: list[str], k: int, seed: int = 12) -> list[set[str]]:
    ids = sorted(set(groups))
    random.Random(seed).shuffle(ids)
    return [set(ids[i::k]) for i in range(k)]


@dataclass(slots=True)
class Tally:
    rules: int = 0
    oracle: int = 0
    crf: int = 0
    crf_asm: int = 0
    both: int = 0
    total: int = 0
    emitted_rules: int = 0     # rows emitted, for the cost of the hybrid in rows nobody hand-read
    emitted_both: int = 0

    def add(self, s: Sample, roles: list[str]) -> None:
        crf_rows = rows_from_roles(s.cells, roles)
        self.rules += recovered(s.gold, s.rule_rows)
        # the aligned labels read back: what a perfect role reader over these cells would give
        self.oracle += recovered(s.gold, rows_from_roles(s.cells, s.labels)) if s.labels else 0
        self.crf += recovered(s.gold, crf_rows)
        self.crf_asm += recovered(s.gold, rows_by_assembler(s.cells, roles, s.self_eval))
        both = hybrid(s.rule_rows, crf_rows)
        self.both += recovered(s.gold, both)
        self.emitted_rules += len(s.rule_rows)
        self.emitted_both += len(both)
        self.total += len(s.gold)

    def line(self, label: str) -> str:
        def f(x: int) -> str:
            return f"{x / self.total:.3f} ({x}/{self.total})" if self.total else "-"
        cells = [f(self.rules), f(self.crf), f(self.crf_asm), f(self.both), f(self.oracle) if self.oracle else "-"]
        return f"| {label} | " + " | ".join(cells) + " |"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--families", default="glued,paragraph_spaces,cell_per_line,no_header,pipe",
                    help="generated layout families used as training material (glued is always scored)")
    ap.add_argument("--c1", type=float, default=0.05, help="L1 penalty of the CRF")
    ap.add_argument("--c2", type=float, default=0.05, help="L2 penalty of the CRF")
    ap.add_argument("--no-layouts", action="store_true", help="train on the filings alone")
    a = ap.parse_args()

    from heldout import heldout_ids     # scripts/heldout.py: this script runs from scripts/

    held = heldout_ids()
    filings = load_filings(a.shared)
    work = [s for s in filings if s.group not in held]
    test = [s for s in filings if s.group in held]
    with tempfile.TemporaryDirectory() as tmp:
        fams = [f for f in a.families.split(",") if f] if not a.no_layouts else []
        if "glued" not in fams:
            fams.append("glued")
        gen = [s for s in load_layouts(fams, Path(tmp)) if s.group not in held]
        gen_train = [] if a.no_layouts else gen     # the glued forms are scored either way
        for s in work + gen:
            s.labels = align(s.cells, s.gold)      # working set only: held-out rows are never aligned

        counts = defaultdict(int)
        for s in work:
            for lab in s.labels:
                counts[lab] += 1
        print("labels on working-set filings:", dict(counts))

        cv_work, cv_glued = Tally(), Tally()
        for k, fold in enumerate(folds([s.group for s in work], a.folds)):
            model = Path(tmp) / f"fold{k}.crfsuite"
            train([s for s in work + gen_train if s.group not in fold], model, a.c1, a.c2)
            tags = predict([s for s in work + gen if s.group in fold], model)
            for s in work:
                if s.group in fold:
                    cv_work.add(s, tags[id(s)])
            for s in gen:
                if s.group in fold and s.source == "glued":
                    cv_glued.add(s, tags[id(s)])

        model = Path(tmp) / "all.crfsuite"
        train(work + gen_train, model, a.c1, a.c2)
        tags = predict(test, model)
        ho = Tally()
        for s in test:
            ho.add(s, tags[id(s)])

    print(f"\nrow recall by the rule of tools/rowscore.py (CRF: {a.folds}-fold grouped by filing, out of fold;"
          " rules: in-sample on the working set)")
    print("| set | rules | CRF alone | CRF roles, rules' assembler | rules + CRF where rules read no value"
          " | aligned labels (ceiling) |")
    print("|---|---|---|---|---|---|")
    print(cv_work.line(f"working set, {len({s.group for s in work})} filings"))
    print(ho.line(f"held-out, {len(test)} filings"))
    print(cv_glued.line("glued layouts (A), working-set forms"))
    print(f"\nrows emitted, rules -> rules + CRF: working {cv_work.emitted_rules} -> {cv_work.emitted_both}, "
          f"held-out {ho.emitted_rules} -> {ho.emitted_both}")


if __name__ == "__main__":
    main()
