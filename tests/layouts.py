"""A layout generator: hand-read rows of real filings rendered in every layout family.

The rows are those of data/reference/rows.tsv (hand-read from the real filings) for the
target tables and self-evaluations of the working set: the filings of data/heldout.txt are
never used. Each filing's rows are written out again, unchanged, in each family of issue
#12 — a pipe table, tabs, one cell a line, the header wrapped over two lines, the header
fused with the first row, no header, glued without separators (A), one paragraph with
spaces (B), cells shifted right, word values one cell a line (E), a fragment that starts
mid-table (F), header words in other wordings (D, also one cell a line), the indicator in
the description column (G), names numbered 1、 2、 … in one paragraph, and the .docx / .xlsx / .html forms of the pipe table — and extraction has
to give them back. A row counts as recovered by the rule of ../shared/tools/rowscore.py
(an emitted name within difflib ratio 0.8 whose target or actual holds the value).

Plain functions, so that bench/bench_layouts.py reports the same figures.
"""

from __future__ import annotations

import csv
import hashlib
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "data" / "reference"
# the same words rowscore.py leaves out: rows whose hand reading is unsure
_UNSURE = re.compile("garbl|reconstruct|inferred|乱码|scrambl|OCR|unreliable|cut off|concatenat|fused|"
                     "attributable|interleav|截断|列序错乱|按顺序对应|按表头还原", re.I)


@dataclass(frozen=True)
class Form:
    doc_id: str
    self_eval: bool
    rows: tuple[tuple[str, str, str, str, str], ...]   # level1, level2, name, target, actual


def heldout() -> frozenset[str]:
    sys.path.insert(0, str(ROOT / "scripts"))
    from heldout import heldout_ids

    return heldout_ids()


def _clean(s: str) -> str:
    return re.sub(r"\s+", "", s or "")


def forms(limit: int | None = None) -> list[Form]:
    """The working-set forms with at least three rows that have a name and a first level."""
    with open(REFERENCE / "sources.tsv", encoding="utf-8-sig", newline="") as f:
        kind = {r["doc_id"]: r["kind"] for r in csv.DictReader(f, delimiter="\t")}
    by_doc: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    with open(REFERENCE / "rows.tsv", encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            if kind.get(r["doc_id"]) not in ("target_table", "self_eval") or r["doc_id"] in heldout():
                continue
            if _UNSURE.search(r.get("extra") or "") or not _clean(r["level3_name"]):
                continue
            by_doc[r["doc_id"]].append(tuple(_clean(r[c]) for c in (
                "level1_filed", "level2_filed", "level3_name", "target_value", "actual_value")))
    out = []
    for doc, rows in sorted(by_doc.items()):
        if len(rows) >= 3 and all(r[0] for r in rows):
            out.append(Form(doc, kind[doc] == "self_eval" or any(r[4] for r in rows), tuple(rows)))
    return out[:limit] if limit else out


# ---------------------------------------------------------------------------- rendering


def header(form: Form) -> list[str]:
    if form.self_eval:
        return ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值"]
    return ["一级指标", "二级指标", "三级指标", "指标值"]


# Header wordings other than the standard one (family D of issue #12, words from its list of
# real headers): each form gets one, by a digest of its id, so that every wording is read by
# some forms. The third puts a 年度目标 column before the categories, holding the year's goal
# in its first row only (one merged cell): it claims the target role by its word.
SYNONYM_HEADERS = (
    (("一级指标", "二级指标", "三级指标内容"), ("指标值",), ("实际完成值",)),
    (("评价指标", "二级指标", "评价内容"), ("标准值",), ("完成值",)),
    (("年度目标", "一级指标", "二级指标", "三级指标"), ("指标值",), ("全年实际值",)),
    (("一级", "二级", "三级"), ("年度目标",), ("全年实际值",)),
)
GOAL = "完成年度工作任务,保障项目顺利实施"


def _synonyms(form: Form) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    return SYNONYM_HEADERS[int(hashlib.sha256(form.doc_id.encode()).hexdigest(), 16) % len(SYNONYM_HEADERS)]


def synonym_header(form: Form) -> list[str]:
    names, target, actual = _synonyms(form)
    return [*names, *target, *(actual if form.self_eval else ())]


def synonym_grid(form: Form) -> list[list[str]]:
    """The data rows under :func:`synonym_header`: a goal column first where the header has one."""
    body = grid(form)
    if _synonyms(form)[0][0] != "年度目标":
        return body
    return [[GOAL if k == 0 else ""] + r for k, r in enumerate(body)]


def grid(form: Form, merged: bool = True) -> list[list[str]]:
    """The data rows as cells; a category repeated below itself is left blank (a merged cell)."""
    out, last = [], ("", "")
    for l1, l2, name, target, actual in form.rows:
        cells = [l1, l2, name, target] + ([actual] if form.self_eval else [])
        if merged:
            cells[0] = "" if l1 == last[0] else l1
            cells[1] = "" if (l1, l2) == last else l2
        last = (l1, l2)
        out.append(cells)
    return out


def _title(form: Form) -> str:
    return "项目支出绩效自评表" if form.self_eval else "项目支出绩效目标表"


def _pipe(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def render_text(form: Form, family: str) -> str:
    """The form as text in one layout family (see the module docstring)."""
    head, body = header(form), grid(form)
    lines = [_title(form), "单位:万元"]
    if family == "pipe":
        lines += [_pipe(head)] + [_pipe(r) for r in body]
    elif family == "tabs":
        lines += ["\t".join(head)] + ["\t".join(r) for r in body]
    elif family == "cell_per_line":
        for r in [head] + body:
            lines += [c for c in r] + [""]
    elif family == "header_wrapped":
        lines += [_pipe([h[:2] for h in head]), _pipe([h[2:] for h in head])] + [_pipe(r) for r in body]
    elif family == "header_fused":
        lines += [_pipe(head + body[0])] + [_pipe(r) for r in body[1:]]
    elif family == "no_header":
        lines += [_pipe(r) for r in body]
    elif family == "glued":
        lines.append("".join(head) + "".join("".join(r) for r in body))
    elif family == "paragraph_spaces":
        lines.append(" ".join(head) + " " + " ".join(c for r in body for c in r if c))
    elif family == "shifted":
        lines += [_pipe(head)] + [_pipe(([""] * (k % 3)) + r) for k, r in enumerate(body)]
    elif family == "word_value_lines":
        lines += [h + " |" for h in head]
        lines += [c + " |" for r in body for c in r if c]
    elif family == "fragment":
        lines += [_pipe(r) for r in grid(form, merged=False)]
    elif family == "header_synonyms":
        lines += [_pipe(synonym_header(form))] + [_pipe(r) for r in synonym_grid(form)]
    elif family == "synonyms_cell_per_line":
        # the same wordings one cell a line: no column positions to fall back on
        for r in [synonym_header(form)] + synonym_grid(form):
            lines += [c for c in r] + [""]
    elif family == "numbered_names":
        # every name numbered (1、 2、 …), one paragraph with spaces: the enumerators are no figures
        cells = [c for k, r in enumerate(body) for c in (r[:2] + [f"{k + 1}、{r[2]}"] + r[3:]) if c]
        lines.append(" ".join(head) + " " + " ".join(cells))
    elif family == "description_column":
        # 指标类型 | 指标名称 | 指标值 | 指标描述 holding 产出指标 | 数量指标 | 300万㎡ | 完成绿地养护:
        # the categories in the type and name columns, the indicator in the description
        values = ["指标值"] + (["实际完成值"] if form.self_eval else [])
        lines += [_pipe(["指标类型", "指标名称", *values, "指标描述"])]
        lines += [_pipe([r[0], r[1], *r[3:], r[2]]) for r in body]
    else:
        raise ValueError(family)
    lines += ["", "填表人:张三  联系电话:12345678"]
    return "\n".join(lines) + "\n"


TEXT_FAMILIES = ("pipe", "tabs", "cell_per_line", "header_wrapped", "header_fused", "no_header", "glued",
                 "paragraph_spaces", "shifted", "word_value_lines", "fragment", "header_synonyms",
                 "synonyms_cell_per_line", "description_column", "numbered_names")
BINARY_FAMILIES = ("docx", "xlsx", "html")


def render(form: Form, family: str, folder: Path) -> Path:
    if family in TEXT_FAMILIES:
        path = folder / f"{form.doc_id}_{family}.txt"
        path.write_text(render_text(form, family), encoding="utf-8")
        return path
    from test_formats import RENDER, merges

    rows = [header(form)] + grid(form)
    w = max(len(r) for r in rows)
    rows = [r + [""] * (w - len(r)) for r in rows]
    items = [("para", _title(form)), ("table", (rows, merges(rows))), ("para", "填表人:张三")]
    path = folder / f"{form.doc_id}_{family}.{family}"
    RENDER[family](items, path)
    if family == "xlsx":
        _formulas_as_text(path)
    return path


def _formulas_as_text(path: Path) -> None:
    """openpyxl writes a string that starts with ``=`` (a target such as ``=100%``) as a
    formula; a filer's workbook holds it as text, so the cell is turned back into text."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    c.data_type = "s"
    wb.save(path)


# ---------------------------------------------------------------------------- measuring


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s or "").replace("（", "(").replace("）", ")")


def recovered(form: Form, emitted) -> int:
    """How many of the form's rows the emitted rows give back (the rule of rowscore.py)."""
    hit = 0
    for _, _, name, target, actual in form.rows:
        gn, gt = re.sub(r"^指标\d+[:：]", "", _norm(name)), _norm(target or actual)
        hit += any(SequenceMatcher(None, gn, re.sub(r"^指标\d+[:：]", "", _norm(r.name))).ratio() >= 0.8
                   and (not gt or gt in _norm(r.target_raw) + _norm(r.actual_raw)
                        or _norm(r.target_raw) and _norm(r.target_raw) in gt)
                   for r in emitted)
    return hit


def measure(family: str, folder: Path, limit: int | None = None) -> tuple[int, int]:
    """(rows recovered, rows) over the working-set forms rendered in ``family``."""
    from pipeline.extract.read import extract
    from pipeline.ingest.dispatch import read_filing

    got = total = 0
    for form in forms(limit):
        rows = extract(read_filing(render(form, family, folder))).rows
        got += recovered(form, rows)
        total += len(form.rows)
    return got, total
