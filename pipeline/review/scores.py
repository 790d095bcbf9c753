"""Self-evaluation arithmetic: points, scores, shortfalls and the usual scoring rule.

The model case is a self-evaluation where six rows say 达成指标 while points were deducted, one
deduction has no reason, three scores differ from the usual rule (3037 of 3133 人 gives
0.97, not 0.80), and one score cell is missing from the text — reported as missing, never
read as zero — while the block and table totals are recomputed, not assumed.
"""

from __future__ import annotations

import re
from collections import defaultdict

from pipeline.core.flags import Flag, review_rules
from pipeline.review.rows import RowCtx, _ev

_QTY = re.compile(r"(\d+(?:\.\d+)?)\s*(人次|人|家|户|个|件|次|场次|场|辆|批|所|项|例|名|元|万元)")


def _num(text: str) -> float | None:
    try:
        return float(text.replace(",", "").strip())
    except (ValueError, AttributeError):
        return None


def _pairs(c: RowCtx) -> tuple[float, float, str] | None:
    """(actual, target, unit) to compare, from the values or from the 偏差 note."""
    t, a = c.target, c.actual
    if t.value is not None and a.value is not None and t.kind == a.kind and t.unit_norm == a.unit_norm \
            and t.kind in ("count", "percent", "money"):
        return a.value, t.value, t.unit_norm
    # 100%(3133人) + 达成指标 + "3037人,按照实际…": the counts are the comparison
    if t.secondary and c.row.deviation_note:
        m = _QTY.match(c.row.deviation_note.strip())
        if m:
            unit = {"名": "人"}.get(m.group(2), m.group(2))
            sec = t.secondary[0]
            if sec.unit_norm == unit:
                return float(m.group(1)), sec.value, unit
    return None


def _slid(actual_raw: str, weight: float, score: float) -> bool:
    """A bare number in the 完成值 cell equal to the row's 分值 or 得分 (``550人 | 20 | 20 | 20``):
    the cells slid one place, so the number is a point count, not the achievement."""
    a = _num(actual_raw)
    return a is not None and a in (weight, score)


def review_scores(ctxs: list[RowCtx], totals: list[tuple[int, list[str]]],
                  budget: tuple[float, float | None] | None = None) -> list[Flag]:
    """Row checks and sums; ``budget`` is the funding block's (分值, 得分), part of the 总分 of
    forms whose total row counts the budget-execution points (90 for indicators + 10)."""
    rr = review_rules()
    tol = rr.thresholds["score_tolerance"]
    flags: list[Flag] = []
    by_table: dict[int, list[RowCtx]] = defaultdict(list)
    for c in ctxs:
        by_table[c.row.table].append(c)
    for tno, rows in by_table.items():
        scored = [c for c in rows if _num(c.row.score) is not None]
        if not scored:
            continue
        for c in rows:
            r = c.row
            F = lambda code, msg, sug="", ev=None: flags.append(  # noqa: E731
                rr.flag(code, r.file, r.table, r.row, msg, ev or _ev(r) + f"；分值={r.weight}；得分={r.score or '（缺）'}",
                        sug, r.name))
            w, s = _num(r.weight), _num(r.score)
            if w is not None and s is None and r.cut_off:
                continue   # the text stops inside this row: its 得分 was cut away, not left empty
            if w is not None and s is None:
                F("SCORE_MISSING", f"该行分值为 {r.weight}，但文本中没有得分：按缺失处理，未按 0 分计。",
                  "补全该行得分")
                continue
            if w is None or s is None:
                continue
            if s > w + tol:
                F("SCORE_OVER_WEIGHT", f"得分 {r.score} 高于该行分值 {r.weight}。", f"得分不应超过 {r.weight}")
            deducted = s < w - tol
            achieved = any(x in r.actual_raw for x in rr.achieved_words) and not any(
                x in r.actual_raw for x in ("未", "部分", "基本"))
            if deducted and achieved:
                F("ACHIEVED_BUT_DEDUCTED", f"完成值写「{r.actual_raw}」，却扣了 {w - s:.2f} 分（{r.score}/{r.weight}）。",
                  "如确未完全达成，完成值应写实际数并说明偏差；如已达成，应给满分")
            if deducted and not r.deviation_note.strip():
                F("DEDUCTION_WITHOUT_REASON", f"扣了 {w - s:.2f} 分（{r.score}/{r.weight}），但没有填写偏差原因。",
                  "补充扣分（偏差）原因及改进措施")
            pair = _pairs(c)
            if pair is not None and _slid(r.actual_raw, w, s):
                pair = None   # the achievement cell holds the row's points: cells slid, no figure to compare
            if pair is not None:
                act, tgt, unit = pair
                higher_is_better = c.target.op in (">=", ">", "") or c.target.kind == "percent"
                if higher_is_better and tgt > 0 and act < tgt - 1e-9:
                    F("SHORTFALL", f"实际完成 {act:g}{unit}，低于目标 {tgt:g}{unit}（完成 {act / tgt:.1%}）。",
                      "说明未完成原因，并按实际完成情况评分")
                if higher_is_better and tgt > 0:
                    expected = w if act >= tgt else round(act / tgt * w, 2)
                    if abs(expected - s) > tol:
                        F("SCORE_RULE_MISMATCH",
                          f"按常用评分规则（完成值≥目标值得满分，否则按 完成值/目标值×分值），{act:g}/{tgt:g}{unit} 应得 "
                          f"{expected:.2f} 分，实际给了 {r.score} 分。", f"得分应为 {expected:.2f}，或说明另行采用的评分规则")
        flags.extend(_sums(tno, rows, [t for n, t in totals if n == tno], budget))
    return flags


def _sums(tno: int, rows: list[RowCtx], totals: list[list[str]],
          budget: tuple[float, float | None] | None = None) -> list[Flag]:
    """Points per block against the block's 权重, and points/scores against the total row."""
    rr = review_rules()
    tol = rr.thresholds["sum_tolerance"]
    out: list[Flag] = []
    file = rows[0].row.file
    blocks: dict[str, list[RowCtx]] = defaultdict(list)
    for c in rows:
        blocks[c.row.level1_filed].append(c)
    for l1, members in blocks.items():
        bw = _num(members[0].row.block_weight)
        ws = [_num(c.row.weight) for c in members]
        if bw is None or any(w is None for w in ws):
            continue
        total = sum(ws)  # type: ignore[arg-type]
        if abs(total - bw) > tol:
            out.append(rr.flag("WEIGHT_SUM_MISMATCH", file, tno, members[0].row.row,
                               f"「{l1}」的权重为 {members[0].row.block_weight}，但其下 {len(members)} 个指标的分值合计 {total:g}。",
                               f"{l1}：权重={members[0].row.block_weight}；分值={'+'.join(c.row.weight for c in members)}",
                               "调整分值使其合计等于该一级指标的权重"))
    if not totals:
        return out
    nums = [_num(x) for x in totals[-1]]
    nums = [x for x in nums if x is not None]
    if len(nums) < 2:
        return out
    stated_w, stated_s = nums[0], nums[1]
    ws = [_num(c.row.weight) for c in rows]
    # the total row counts the budget-execution points when the indicators fall short of it
    # by exactly those points: their score then belongs in the score sum too
    with_budget = budget is not None and all(w is not None for w in ws) and \
        abs(sum(ws) + budget[0] - stated_w) <= tol  # type: ignore[arg-type]
    if with_budget:
        ws = ws + [budget[0]]  # type: ignore[index]
    if all(w is not None for w in ws) and abs(sum(ws) - stated_w) > tol:  # type: ignore[arg-type]
        out.append(rr.flag("WEIGHT_SUM_MISMATCH", file, tno, 0,
                           f"各指标分值合计 {sum(ws):g}，与表中合计 {stated_w:g} 不符。",  # type: ignore[arg-type]
                           f"合计行：{' | '.join(totals[-1])}", "核对各行分值"))
    present = [(_num(c.row.score), c) for c in rows if _num(c.row.weight) is not None]
    known = sum(s for s, _ in present if s is not None)
    missing = [c for s, c in present if s is None]
    room = sum(_num(c.row.weight) or 0 for c in missing)
    if with_budget:
        if budget[1] is None:  # type: ignore[index]
            room += budget[0]  # type: ignore[index]
        else:
            known += budget[1]  # type: ignore[index]
    if known - tol > stated_s or stated_s > known + room + tol:
        miss = f"（另有 {len(missing)} 行得分缺失，其分值共 {room:g}）" if missing else ""
        plus = "（含预算执行得分）" if with_budget else ""
        out.append(rr.flag("SCORE_SUM_MISMATCH", file, tno, 0,
                           f"各指标得分合计{plus} {known:g}{miss}，与表中总得分 {stated_s:g} 不符。",
                           f"合计行：{' | '.join(totals[-1])}", "核对各行得分与总分"))
    elif missing:
        implied = stated_s - known
        names = "、".join(c.row.name for c in missing)
        out.append(rr.flag("SCORE_MISSING", file, tno, 0,
                           f"总得分 {stated_s:g} 无法逐行核实：{names} 的得分缺失；按其余各行得分合计 {known:g} 推算，"
                           f"缺失的得分应为 {implied:.2f}。",
                           f"合计行：{' | '.join(totals[-1])}", "补全缺失的得分后重新核对总分"))
    return out
