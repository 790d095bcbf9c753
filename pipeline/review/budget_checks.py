"""Checks over the funding block of a self-evaluation form (:mod:`pipeline.review.budget_block`).

* ``RATE_MISMATCH`` — each row's 执行率 against its 执行数 ÷ 预算数 (全年预算数, else 年初预算数;
  a rate that fits either budget is not called wrong; a rate capped at 100 % is fine);
* ``BUDGET_SCORE_MISMATCH`` — the block's 得分 against 分值 × 执行率 (the rate capped at 100 %);
* ``BUDGET_SUM_MISMATCH`` — the funding rows (财政拨款 + 上年结转 + 其他资金 …) against the
  年度资金总额, per money column, only when every part row was read completely.

Each check runs only on rows whose values were placed with certainty; :func:`coverage`
says which checks had their inputs and which ran, for the per-check table of the README.
Rates and scores are compared allowing rounding and truncation (97.848 % written 97.85 or
97.84; 9.65 points written 9.7 or 9.6).
"""

from __future__ import annotations

from pipeline.core.flags import Flag, review_rules
from pipeline.review.budget_block import (
    MONEY_ROLES,
    BudgetBlock,
    FundingRow,
    block_rules,
)
from pipeline.review.budget_glued import close, rate_fits

LABELS = {"initial": "年初预算数", "budget": "全年预算数", "spent": "全年执行数"}


_SPLIT_HOW = {"unique": "单元格连写，只有一种拆分合乎格式", "rate": "单元格连写，按所填执行率拆分"}


def _ev(row: FundingRow) -> str:
    ev = f"第 {row.line} 行「{row.label}」：{' | '.join(row.raw)}"
    if row.split:
        # glued cells: say how they were cut, so that the reader can check the cut
        ev += f"（{_SPLIT_HOW[row.split]}：{' | '.join(f'{v:g}' for _r, v in row.values)}）"
    return ev


def check_block(block: BudgetBlock, file: str) -> tuple[list[Flag], dict[str, str]]:
    """The flags of one block, and per check 'ran' / 'no input' / why it did not run."""
    rr = review_rules()
    tol = rr.thresholds["rate_tolerance"]
    flags: list[Flag] = []
    status: dict[str, str] = {}
    # ---- 执行率 = 执行数 ÷ 预算数
    seen: set[tuple[float | None, ...]] = set()
    for row in block.rows:
        rate, spent = row.get("rate"), row.get("spent")
        key = (rate, spent, row.get("budget"), row.get("initial"))
        if key in seen:
            continue   # the only source repeats the total's figures: one flag for one error
        seen.add(key)
        budgets = [b for b in (row.get("budget"), row.get("initial")) if b]
        if rate is None or spent is None or not budgets:
            continue
        if not row.aligned:
            status.setdefault("block_rate", "inputs present, columns unsure")
            continue
        if row.split == "rate":
            # glued cells cut so that 执行数 ÷ 预算数 gives the stated rate: that rate was assumed
            status.setdefault("block_rate", "glued cells cut by the stated rate, not checked against it")
            continue
        status["block_rate"] = "ran"
        if not any(rate_fits(rate, spent, b, tol) for b in budgets):
            b = budgets[0]
            flags.append(rr.flag(
                "RATE_MISMATCH", file, 0, row.line,
                f"「{row.name}」执行率填 {rate:g}%，按全年执行数 ÷ 预算数 {spent:g}/{b:g} 计算为 {spent / b * 100:.2f}%。",
                _ev(row), f"执行率应为 {spent / b * 100:.2f}%"))
    # ---- 得分 = 分值 × 执行率
    for row in block.rows:
        pts, score, rate = row.get("points"), row.get("score"), row.get("rate")
        if pts is None or score is None or rate is None:
            continue
        if not row.aligned:
            status.setdefault("block_score", "inputs present, columns unsure")
            continue
        status["block_score"] = "ran"
        r = rate * 100 if rate <= 1.5 else rate
        expected = pts * min(r, 100) / 100
        if not close(score, expected, rr.thresholds["score_tolerance"]):
            flags.append(rr.flag(
                "BUDGET_SCORE_MISMATCH", file, 0, row.line,
                f"预算执行得分填 {score:g}，按 分值 × 执行率 = {pts:g} × {min(r, 100):g}% 应为 {expected:.2f}。",
                _ev(row), f"得分应为 {expected:.2f}，或说明另行采用的评分办法"))
    # ---- parts against the total
    flags += _sums(block, file, status)
    return flags, status


def _sums(block: BudgetBlock, file: str, status: dict[str, str]) -> list[Flag]:
    rr = review_rules()
    tol = rr.thresholds["sum_tolerance"]

    spending = block_rules().spending_parts
    total = block.total
    if total is None or not block.parts:
        return []
    out: list[Flag] = []
    groups = {
        "来源": [p for p in block.parts if not any(w in p.name for w in spending)],
        "支出": [p for p in block.parts if any(w in p.name for w in spending)],
    }
    for gname, parts in groups.items():
        filled = [p for p in parts if not p.empty]
        if not filled:
            continue
        for role in MONEY_ROLES:
            stated = total.get(role)
            vals = [p.get(role) for p in filled]
            if not stated or all(v is None for v in vals):
                continue
            if not total.aligned or any(not p.aligned for p in filled) or any(p.nested for p in parts):
                status.setdefault("block_sum", "inputs present, rows not read completely")
                continue
            status["block_sum"] = "ran"
            s = sum(v or 0 for v in vals)
            if abs(s - stated) > tol * len(filled):
                out.append(rr.flag(
                    "BUDGET_SUM_MISMATCH", file, 0, total.line,
                    f"{LABELS[role]}：资金{gname}各项合计 {s:g}，与「{total.name}」{stated:g} 不符"
                    f"（{len(parts)} 行均已完整读取）。",
                    "；".join(_ev(p) for p in [total] + filled), "核对资金总额与各项资金"))
    return out
