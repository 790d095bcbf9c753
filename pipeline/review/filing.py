"""Filing-level review: the arithmetic of budgets, rates, formulas and stated facts.

Checks, each a function over the Document (and its rows) returning flags:

* ``BUDGET_SUM_MISMATCH`` — header totals against their parts (income and spending side)
  and every 合计 row of a table against the amounts it sums;
* ``RATE_MISMATCH``, ``BUDGET_SCORE_MISMATCH``, ``BUDGET_SUM_MISMATCH`` — the funding block
  of a self-evaluation form (:mod:`pipeline.review.budget_checks`);
* ``RATE_MISMATCH``, ``UNIT_SUSPECT`` — budgets, spends and rates stated in sentences
  (:mod:`pipeline.review.sentences`), a filing-level rate against the block's own figures;
* ``FORMULA_MISMATCH`` — a 测算 formula (45名×1.5万元) against its stated amount;
* ``COST_VS_PROJECT`` — the 成本指标 amount against the project's budget;
* ``MISSING_DIMENSION`` — a target table without 产出, 效益 or 满意度 indicators
  (:mod:`pipeline.review.dimensions`, with the evidence of a cut);
* ``CONFLICTING_FACTS`` — the same fact with two figures (from the prose facts).

Rates are compared allowing both rounding and truncation to two decimals, as filers do
both (97.848 % is written 97.85 or 97.84).
"""

from __future__ import annotations

import re

from pipeline.core.cells import header_of
from pipeline.core.document import Document, Row
from pipeline.core.flags import Flag, review_rules
from pipeline.core.normalize import key
from pipeline.extract.facts import FilingInfo
from pipeline.extract.rows import Extraction
from pipeline.review.budget_block import block_rules, read_budget_blocks
from pipeline.review.budget_checks import check_block
from pipeline.review.dimensions import missing_dimension
from pipeline.review.facts import conflicting_facts
from pipeline.review.reading import no_rows_read
from pipeline.review.rows import RowCtx
from pipeline.review.sentences import review_sentences

_NUM = r"\d[\d,]*(?:\.\d+)?"
_AMOUNT = re.compile(rf"^[（(]?\s*({_NUM})\s*(万元|元|万)?\s*[)）]?$")
_FACTOR = re.compile(rf"({_NUM})\s*(万元|元|万)?((?:/[\u4e00-\u9fff]{{1,2}})*)\s*([\u4e00-\u9fff]{{0,8}}?)\s*$")
_TIMES = re.compile(r"[×xX✕*＊]")


def _f(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def review_filing(doc: Document, ex: Extraction, info: FilingInfo, ctxs: list[RowCtx], facts=()) -> list[Flag]:
    flags: list[Flag] = []
    blocks = read_budget_blocks(doc.text)
    filing_rate = None
    for block in blocks:
        got, _status = check_block(block, doc.path)
        flags += got
        t = block.total
        if filing_rate is None and t is not None and t.aligned and t.get("spent") is not None and t.get("budget"):
            filing_rate = t.get("spent") / t.get("budget") * 100  # type: ignore[operator]
    if not blocks:
        # the funding block's own sum check reads every part row; the header totals of
        # filings without a block (target tables) are checked from the extracted totals
        flags += _budget_totals(doc, info)
    # 合计 rows of indicator tables hold points and scores: review_scores checks those
    score_totals = {r.row for r in ex.rejects if r.reason == "total row" and r.table}
    flags += _table_sums(doc, score_totals)
    flags += _formulas(doc, info)
    flags += review_sentences(doc.text, doc.path, filing_rate)
    flags += _cost_vs_project(doc, ctxs)
    flags += missing_dimension(doc, info, ctxs, ex)
    flags += _conflicting_facts(doc, facts)

    flags += no_rows_read(doc, ex, info)
    return flags


# ------------------------------------------------------------------ budget totals

_TOTAL_KEYS = ("资金总额", "年度资金总额", "年度预算申请")
_INCOME = ("财政拨款", "本年财政拨款", "一般公共预算拨款", "政府性基金拨款", "其他资金")
_SPENDING = ("基本支出", "项目支出", "其他事业发展性支出", "财政专项资金")


def _budget_totals(doc: Document, info: FilingInfo) -> list[Flag]:
    rr = review_rules()
    tol = rr.thresholds["sum_tolerance"]
    t = info.totals
    out = []
    total = next((t[k] for k in _TOTAL_KEYS if k in t), None)
    income = [(k, t[k]) for k in _INCOME if k in t]
    if "财政拨款" in t and ("一般公共预算拨款" in t or "本年财政拨款" in t):
        income = [x for x in income if x[0] != "财政拨款"]   # the same line read under two labels
    if total and total[0] == 0:
        total = None   # a template left at 0 (年度资金总额: 0 0 0): not a stated total

    if any(w in doc.text[:6000] for w in block_rules().other_sources):
        income = []   # a source the totals do not list (上年结转, 中央 …): the sum would be partial
    if "中期资金总额" in doc.text:
        # 中期 and 年度 columns side by side: which 财政拨款 belongs to which total cannot be
        # told from the header alone, so the income side is not checked
        income = []
    spending = [(k, t[k]) for k in _SPENDING if k in t]
    ref = total or (sum(v for _, (v, _u) in income), income[0][1][1]) if income else total
    if total and income and len(income) >= 1:
        s = sum(v for _, (v, _u) in income)
        if abs(s - total[0]) > tol * max(1, len(income)):
            out.append(rr.flag("BUDGET_SUM_MISMATCH", doc.path, 0, 0,
                               f"资金总额 {total[0]:g}{total[1]} 与其来源合计 {s:g}{total[1]} 不符。",
                               "；".join(f"{k}={v:g}" for k, (v, _u) in income), "核对资金来源各项"))
    if ref and len([k for k, _ in spending if k in ("基本支出", "项目支出")]) == 2:
        s = sum(v for _, (v, _u) in spending)
        if abs(s - ref[0]) > tol * len(spending):
            out.append(rr.flag("BUDGET_SUM_MISMATCH", doc.path, 0, 0,
                               f"支出合计 {s:g}{ref[1]}（{'+'.join(k for k, _ in spending)}）与资金总额 {ref[0]:g}{ref[1]} 不符。",
                               "；".join(f"{k}={v:g}" for k, (v, _u) in spending), "核对基本支出与项目支出"))
    return out


# ------------------------------------------------------------------ 合计 rows

def _amount(cell: str) -> float | None:
    m = _AMOUNT.match(key(cell))
    return _f(m.group(1)) if m else None


def _first_amount(row: Row) -> float | None:
    got = _first_amount_at(row)
    return got[1] if got else None


def _first_amount_at(row: Row) -> tuple[int, float] | None:
    for i, c in enumerate(row.cells):
        if c:
            v = _amount(c)
            if v is not None:
                return i, v
    return None


def _table_sums(doc: Document, skip_lines: set[int] = frozenset()) -> list[Flag]:  # type: ignore[assignment]
    rr = review_rules()
    tol = rr.thresholds["sum_tolerance"]
    out = []
    for t in doc.tables:
        rows = t.rows
        for i, row in enumerate(rows):
            filled = row.filled()
            if not filled or key(filled[0][1]) not in ("合计", "总计") or row.line in skip_lines:
                continue
            got = _first_amount_at(row)
            if got is None or got[0] == filled[0][0]:
                continue
            col, stated = got
            groups = []
            for step in (-1, 1):
                vals = []
                j = i + step
                while 0 <= j < len(rows):
                    f = rows[j].filled()
                    if not f or key(f[0][1]) in ("合计", "总计"):
                        break
                    at = _first_amount_at(Row(rows[j].cells, 0))
                    # the parts are the amounts in the total's column: a 合计 of weights
                    # (合计 | 100) is not the sum of the targets in another column
                    if at is None or at[0] != col:
                        break
                    vals.append(at[1])
                    j += step
                if len(vals) >= 2:
                    groups.append(vals)
            if not groups:
                continue
            if any(abs(sum(g) - stated) <= tol * len(g) for g in groups):
                continue
            g = groups[0]
            out.append(rr.flag("BUDGET_SUM_MISMATCH", doc.path, 0, row.line,
                               f"合计 {stated:g} 与各项之和 {sum(g):g} 不符。",
                               f"第 {row.line} 行合计={stated:g}；各项={'+'.join(f'{v:g}' for v in g)}", "核对合计与各项金额"))
    return out


# ------------------------------------------------------------------ 测算 formulas

def _factor(text: str) -> tuple[float, str] | None:
    m = _FACTOR.search(text)
    if not m:
        return None
    v = _f(m.group(1))
    return (v, m.group(2) or "") if v is not None else None


def _formula_value(cell: str) -> float | None:
    """The amount in 元 of a single product ``45名残疾儿童×1.5万元/人/年``, else None."""
    parts = _TIMES.split(cell)
    if len(parts) != 2:
        return None
    left_txt = re.split(r"[，,；;、。]", parts[0])[-1]
    right_txt = re.split(r"[，,；;、。+]", parts[1])[0]
    m_right = re.match(rf"\s*({_NUM})\s*(万元|元|万)?", right_txt)
    left = _factor(left_txt)
    if left is None or m_right is None:
        return None
    rv, ru = _f(m_right.group(1)), m_right.group(2) or ""
    lv, lu = left
    if rv is None:
        return None
    money = [(v, u) for v, u in ((lv, lu), (rv, ru)) if u in ("万元", "元", "万")]
    if len(money) != 1:
        return None
    mult = 10000 if money[0][1] in ("万元", "万") else 1
    return lv * rv * mult


def _formulas(doc: Document, info: FilingInfo) -> list[Flag]:
    rr = review_rules()
    rel = rr.thresholds["formula_tolerance"]
    unit = 10000 if "万元" in doc.text[:8000] else 1
    out = []
    for t in doc.tables:
        for row in t.rows:
            cells = [c for c in row.cells if c]
            formula = [c for c in cells if _TIMES.search(c) and re.search(r"\d\s*[^\d]{0,10}[×xX✕*＊]\s*\d", c)]
            if len(formula) != 1 or len(re.findall(r"[×xX✕*＊]", formula[0])) != 1:
                continue   # several products in one basis: a partial sum, not checked
            f = formula[0]
            if re.search(r"[+＋]", f) or len(re.findall(rf"{_NUM}\s*万?元", f)) > 1:
                continue   # the product is one term of a longer basis
            computed = _formula_value(f)
            stated = None
            for c in cells:
                if c is f:
                    continue
                m = re.fullmatch(rf"({_NUM})\s*(万元|元)?", key(c))
                if m:
                    v = _f(m.group(1))
                    if v is not None:
                        stated = v * (10000 if (m.group(2) == "万元" or (not m.group(2) and unit == 10000)) else 1)
                        break
            if computed is None or stated is None or stated == 0:
                continue
            if abs(computed - stated) / stated > rel:
                expr = next((p for p in re.split(r"[，,；;。]", f) if _TIMES.search(p)), f).strip()
                out.append(rr.flag("FORMULA_MISMATCH", doc.path, 0, row.line,
                                   f"测算「{expr}」得 {computed / 10000:g} 万元，而填报金额为 {stated / 10000:g} 万元。",
                                   " | ".join(cells), f"核对测算依据或金额（按测算应为 {computed / 10000:g} 万元）"))
    return out


# ------------------------------------------------------------------ cost vs project

_PROJECT_KEYS = ("项目金额", "项目资金", "当年预算", "年度资金总额", "资金总额", "预算数", "项目总预算")


def _cost_vs_project(doc: Document, ctxs: list[RowCtx]) -> list[Flag]:
    rr = review_rules()
    unit = 10000 if "万元" in doc.text[:8000] else 1
    amounts: dict[int, float] = {}
    tno = 0
    last = None
    for t in doc.tables:
        if t.stream:
            continue
        for row in t.rows:
            if header_of(row) is not None:
                tno += 1
                if last is not None:
                    amounts[tno] = last
                last = None
                continue
            cells = [c for c in row.cells if c]
            for i, c in enumerate(cells[:-1]):
                if key(c) in _PROJECT_KEYS or key(c).rstrip("(万元)（万元）") in _PROJECT_KEYS:
                    v = _amount(cells[i + 1])
                    if v is not None and last is None:
                        last = v * unit
    out = []
    for c in ctxs:
        r, t = c.row, c.target
        if c.filed_l2 != "经济成本指标" or t.kind != "money" or t.money_yuan is None or r.table not in amounts:
            continue
        if not re.search(r"预算|总成本|项目成本|资金", r.name):
            continue
        proj = amounts[r.table]
        if proj and abs(t.money_yuan - proj) / proj > 0.005 and t.op not in ("<=", "<"):
            out.append(rr.flag("COST_VS_PROJECT", r.file, r.table, r.row,
                               f"成本指标「{r.name}」为 {t.money_yuan / 10000:g} 万元，而该项目金额为 {proj / 10000:g} 万元。",
                               f"三级={r.name}；指标值={r.target_raw}；项目金额={proj / 10000:g}万元",
                               f"成本指标应与项目预算一致（{proj / 10000:g} 万元）或说明差额", r.name))
    return out


# ------------------------------------------------------------------ conflicting facts

def _conflicting_facts(doc: Document, facts) -> list[Flag]:
    if not facts:
        return []

    return conflicting_facts(doc, facts)
