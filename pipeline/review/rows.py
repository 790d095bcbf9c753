"""Row-level review: every vague, missing, misfiled and inconsistent indicator flagged.

Input: the enriched rows of one filing (:class:`RowCtx` — the extracted row, its typed
target and actual, the canonical filed categories and the classifier's prediction).
Output: :class:`pipeline.core.flags.Flag` records. Thresholds and word lists come from
``configs/review.yaml``; self-evaluation arithmetic is in :mod:`pipeline.review.scores`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from pipeline.classify.features import PROCESS_L2, filed_category
from pipeline.core.flags import Flag, review_rules
from pipeline.core.normalize import key
from pipeline.core.taxonomy import lookup, taxonomy
from pipeline.extract.rows import IndicatorRow
from pipeline.review.inputs import (
    category_in_name,
    header_line,
    heading_line,
    label_above,
    label_fragment,
    value_as_name,
    value_before_name,
)


@dataclass(slots=True)
class RowCtx:
    row: IndicatorRow
    target: object           # pipeline.values.parse.Value
    actual: object
    filed_l1: str = ""       # canonical first level of the filed text ('' if none / unknown)
    filed_l2: str = ""
    process: bool = False    # a management row of a self-evaluation (投入管理, 决策, 过程 …)
    pred: object = None      # pipeline.classify.predict.Prediction or None

    @property
    def l2(self) -> str:
        """The second level to judge the row by: as filed, else as predicted."""
        if self.filed_l2:
            return self.filed_l2
        p = self.pred
        return getattr(p, "level2", "") if p is not None and getattr(p, "level2", "") != "none" else ""


def canonical(row: IndicatorRow) -> tuple[str, str, bool]:
    """Canonical (level1, level2, process) of the filed category text.

    The one reading of a row's filed category is :func:`pipeline.classify.features.filed_category`
    (the classifier's feature and the misfile decision use it too); a management block
    (过程指标) is the ``process`` flag here, not a level.
    """
    f = filed_category(row.level1_filed, row.level2_filed)
    process = PROCESS_L2 in (f.l1, f.l2)
    return ("" if f.l1 == PROCESS_L2 else f.l1), ("" if f.l2 == PROCESS_L2 else f.l2), process


def _ev(r: IndicatorRow) -> str:
    parts = [f"一级={r.level1_filed}" if r.level1_filed else "", f"二级={r.level2_filed}" if r.level2_filed else "",
             f"三级={r.name}", f"指标值={r.target_raw}" if r.target_raw else "",
             f"完成值={r.actual_raw}" if r.actual_raw else ""]
    return "；".join(p for p in parts if p)


# 项目产出(30分) | 数量指标(10分): a category label that carries the points of its block
_LABEL_POINTS = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")


_BLANKS = re.compile(r"\s+")


def _label_points(text: str) -> float | None:
    m = _LABEL_POINTS.search(_BLANKS.sub("", text or ""))
    return float(m.group(1)) if m else None


def _scored_tables(ctxs: list["RowCtx"]) -> dict[tuple[str, int], float]:
    """(file, table) -> the largest block points its category labels carry, for the tables
    of a score sheet (项目产出(30分) | 数量指标(10分) | 完成数量 | 5): there a bare number
    in the value cell is the row's points, not a count without its unit. An evaluation sheet
    (项目决策 | 合理性 | 5 … 项目完成 | 完成数量 | 5: management rows beside the result rows)
    is a score sheet too, whether or not its labels carry points (0 then: the sheet's total
    bounds its points)."""
    out: dict[tuple[str, int], float] = {k: 0.0 for k in _evaluation_sheets(ctxs)}
    for c in ctxs:
        for text in (c.row.level1_filed, c.row.level2_filed):
            pts = _label_points(text)
            if pts is not None:
                k = (c.row.file, c.row.table)
                out[k] = max(out.get(k, 0.0), pts)
    return out


def _evaluation_sheets(ctxs: list["RowCtx"]) -> set[tuple[str, int]]:
    """(file, table) of the evaluation sheets: tables with management rows (项目决策, 项目管理 …,
    ``process`` in the taxonomy) beside result rows filed under a first level only
    (项目完成 | 完成数量). Their frame is 决策-过程-产出-效益 with scored items under each
    block, not the target table's 一级-二级-三级: a missing second level is no finding there."""
    process = {(c.row.file, c.row.table) for c in ctxs if c.process}
    return {(c.row.file, c.row.table) for c in ctxs
            if (c.row.file, c.row.table) in process and not c.process and c.filed_l1 and not c.row.level2_filed}


def _points_cell(c: "RowCtx", scored: dict[tuple[str, int], float]) -> bool:
    """The row's bare number is the points of a score sheet: the table's labels carry
    points, the row has no weight column of its own, and the number is within its block's
    points (the second level's, else the first level's, else the whole sheet's total).
    Not handled yet: a real count target without its unit in a self-evaluation whose labels
    carry points (产出指标(30分) | 数量指标(10分) | 培训班次 | 5) passes as points."""
    v = getattr(c.target, "value", None)
    if (c.row.file, c.row.table) not in scored or v is None or c.row.weight:
        return False
    block = (_label_points(c.row.level2_filed) or _label_points(c.row.level1_filed)
             or review_rules().thresholds["score_sheet_total"])
    return 0 < v <= block


_POINTS_ONLY = re.compile(r"[（(]?\s*\d+(?:\.\d+)?(?:\s*[-—~～－]\s*\d+(?:\.\d+)?)?\s*分?\s*[)）]?\s*分?")


def review_rows(ctxs: list[RowCtx], lines: list[str] | None = None) -> list[Flag]:
    """Row flags of one filing; ``lines`` (the filing's text lines) tell a header row read as one."""
    rr = review_rules()
    th = rr.thresholds
    tax = taxonomy()
    flags: list[Flag] = []
    seen: dict[tuple[int, str], IndicatorRow] = {}
    block_ok: set[tuple[str, int, str]] = set()   # (file, table, level1) with a fitting level2 seen
    # a scoring rubric (分值 in every row, no 指标值 anywhere in the table) has no targets to miss
    with_target: set[tuple[str, int]] = {(c.row.file, c.row.table) for c in ctxs if c.row.target_raw}
    weighted: set[tuple[str, int]] = {(c.row.file, c.row.table) for c in ctxs if c.row.weight}
    rubric = weighted - with_target
    scored = _scored_tables(ctxs)
    rr_totals = {key(w) for w in rr.non_indicator_names}
    evaluation = _evaluation_sheets(ctxs)
    # 改造户数 / 应改尽改: one cell a line, the value read as the next row's name — the row
    # above it has its value, only displaced (no MISSING_VALUE)
    displaced = {id(a.row) for a, b in zip(ctxs, ctxs[1:]) if a.row.table == b.row.table and value_as_name(b.row.name)}
    # the line of the row before each row of the same table: labels between them are the row's
    above = {id(b.row): a.row.row for a, b in zip(ctxs, ctxs[1:]) if a.row.table == b.row.table}
    relabelled: set[tuple[int, str, str]] = set()
    for c in ctxs:
        r, t = c.row, c.target
        named = lookup(r.name.strip())
        if (named.l1 or named.l2) and r.name.strip().endswith("指标"):
            # 成本指标 | 社会成本指标 | 100: a category cell read as the indicator's name, no
            # indicator to check (the reader should not emit it; until then no flag rests on it)
            continue
        if key(r.name) in rr_totals:
            # 得分合计 | 100, 总分 | 100100, 说明: the sheet's total row or the notes' heading
            # read as an indicator, no indicator to check (sums are checked by review/scores.py)
            continue
        if not r.target_raw and r.level2_filed and _split_label(r.name, r.level2_filed):
            # 满意度指标 服务对象 / 满意度指标: the label 服务对象满意度指标 split over two lines,
            # its first half read as a row's name under its second half — no indicator
            continue
        if _POINTS_ONLY.fullmatch(r.name.strip()) and not r.target_raw:
            # 产出指标 (40-50)分 | (50分): a block's points read as a row's name, no indicator to
            # check (the reader should not emit it; until it stops, no flag rests on it)
            continue
        line = lines[r.row - 1] if lines and 0 < r.row <= len(lines) else ""
        # (a value wording with a well-formed target of its own — 按时完成 | 100% — is a terse name, kept)
        if ((value_as_name(r.name) and not _well_formed_target(t)) or label_fragment(r.name)
                or _bare_name(r) or header_line(r.name, line) or heading_line(r.name, line)):
            # 逐步提高 | 3, 社会(huì), 规划(, a lone caption, 指标说明及评分标准 on a header line: a
            # value, a cut label, a lone text cell or a header taken for an indicator — every flag
            # on it would rest on that misreading
            continue
        F = lambda code, msg, sug="": flags.append(rr.flag(code, r.file, r.table, r.row, msg, _ev(r), sug, r.name))  # noqa: E731
        # a fact mined from a report's prose (table 0) states what was done, not a filed
        # indicator: it has no category cells or target cell to check, only its figures
        prose = r.table == 0
        # ---- categories
        if c.filed_l2 and c.filed_l1:
            parents = {tax.parent(c.filed_l2, p) for p in tax.profiles}
            block = (r.table, r.level1_filed, r.level2_filed)
            if c.filed_l1 not in parents and lines and (block in relabelled or (
                    id(r) in above and label_above(lines, above[id(r)], r.row, parents))):
                # 效益指标 … then 满意度指标 on a line of its own above the row (and the rows after
                # it in the same block): the text files them under the right first level, the
                # reader carried the block above down
                relabelled.add(block)
                parents = parents | {c.filed_l1}
            if c.filed_l1 in parents:
                block_ok.add((r.file, r.table, c.filed_l1))
            legacy = any((c.filed_l1, c.filed_l2) in tax.legacy[p] for p in tax.profiles)
            if legacy and c.filed_l1 not in parents:
                F("LEGACY_PLACEMENT", f"「{r.level2_filed}」放在「{r.level1_filed}」下，是旧版（财预〔2015〕88号及部分县级表式）的放法，"
                  f"按财预〔2021〕101号应放在「{tax.parent(c.filed_l2)}」下。", f"新表式中改列「{tax.parent(c.filed_l2)}」")
            elif c.filed_l1 not in parents and r.level1_inherited and (r.file, r.table, c.filed_l1) in block_ok:
                # the row's 一级 cell is blank and the block above already held second levels
                # that belong to its first level (产出: 数量, 质量, 时效, then 社会效益): the label
                # of a new block is missing, the row is not filed under the old one on purpose.
                # A block whose second levels never fit (e.g. 满意度 over 质量, 时效) is misfiled.
                right = "或".join(sorted(p for p in parents if p))
                F("MISSING_CATEGORY", f"二级指标「{r.level2_filed}」所在行没有填写一级指标（表中只能沿用上方的「{r.level1_filed}」），"
                  f"而「{r.level2_filed}」属于「{right}」。", f"补填一级指标「{right}」")
            elif c.filed_l1 not in parents:
                right = "或".join(sorted(p for p in parents if p))
                F("MISFILED_L1", f"二级指标「{r.level2_filed}」不属于一级指标「{r.level1_filed}」，在任何框架下都应归入「{right}」。",
                  f"改列「{right}」/「{c.filed_l2}」")
        p = c.pred
        if p is not None and getattr(p, "misfiled", "") == "l1" and not (c.filed_l2 and c.filed_l1):
            F("MISFILED_L1", f"指标「{r.name}」按内容应属「{p.level1}/{p.level2}」，不应放在「{r.level1_filed or '（空）'}」下"
              f"（模型置信度 {p.confidence:.2f}）。", p.suggestion)
        elif p is not None and getattr(p, "misfiled", "") == "l2" and p.confidence >= th["misfile_l2_confidence"]:
            F("MISFILED_L2", f"指标「{r.name}」" + (f"（{r.target_raw}）" if r.target_raw else "") + f"按内容应属「{p.level2}」，而不是所填的「{r.level2_filed}」"
              f"（模型置信度 {p.confidence:.2f}）。", p.suggestion)
        if prose:
            pass
        elif category_in_name(r.name):
            pass   # 数量指标:资助困难学生200人 — filed in its own name cell (a list in running text)
        elif not c.process and not r.level1_filed and not r.level2_filed:
            sug = f"建议归入「{p.level1}/{p.level2}」" if _suggests(p) else ""
            F("MISSING_CATEGORY", "该指标没有填写一级和二级指标。", sug)
        elif not c.process and r.level1_filed and not r.level2_filed and (r.file, r.table) not in evaluation:
            sug = f"建议填写二级指标「{p.level2}」" if _suggests(p) else ""
            F("MISSING_CATEGORY", f"该指标只填了一级指标「{r.level1_filed}」，缺少二级指标。", sug)
        elif not c.process and r.level2_filed and not c.filed_l2 and lookup(r.level2_filed).l1:
            # 实施效果指标 | 产出指标 | 建设项目个数 — the 二级 column holds a first level
            sug = f"建议填写二级指标「{p.level2}」" if _suggests(p) else ""
            F("MISSING_CATEGORY", f"二级指标栏填的是一级指标「{r.level2_filed}」，缺少二级指标。", sug)
        # filed text that maps to no category of the taxonomy: reported, never silently dropped
        for lvl, text in (("一级", r.level1_filed), ("二级", r.level2_filed)):
            # 项目决策(20分) read as (20分): the label's words were lost, only its points are
            # left — nothing the taxonomy could know (the reading, not the filing, is at fault)
            cat = lookup(text) if text and not _POINTS_ONLY.fullmatch(text.strip()) else None
            if cat is not None and not cat.is_category and not cat.section:
                known = _suggests(p)
                F("UNKNOWN_CATEGORY", f"{lvl}指标「{text}」不是 configs/taxonomy.yaml 中的任何类别（或其别名），无法按所填类别核对。",
                  (f"按内容建议归入「{p.level1}/{p.level2}」；若「{text}」是常见写法，请加到 taxonomy.yaml 的 aliases"
                   if known else f"若「{text}」是常见写法，请加到 configs/taxonomy.yaml 的 aliases"))
        # ---- the target value
        if not prose and r.target_raw and key(r.target_raw) == key(r.name) and t.value is None:
            F("NAME_AS_VALUE", f"指标值「{r.target_raw}」只是重复了指标名称。", "填写该指标要达到的水平")
        if prose or r.cut_off or (c.process and not r.target_raw):
            pass   # prose facts; a value the cut-off text may have cut; management items carry points
        elif t.kind == "empty" and ((r.file, r.table) in rubric or id(r) in displaced or value_before_name(r.name, line)):
            pass   # a rubric has no targets; a value read as the next row's name or left before the name
        elif t.kind == "empty":
            F("MISSING_VALUE", "没有填写指标值：年终无法据以考核。", "补填可考核的目标值（数量、比率、时限或金额）")
        elif t.kind == "placeholder":
            what = "类别名称" if "category" in (t.reason or "") else "占位符"
            F("PLACEHOLDER_VALUE", f"指标值「{r.target_raw}」是{what}，不是目标值。", "填写具体的目标值")
        else:
            if t.vague:
                F("VAGUE_TARGET", f"指标值「{r.target_raw}」无法在年终核验（没有可比较的数值、比率或时限）。",
                  "改为可量化的目标，如「≥90%」「≥500人次」「2023年12月底前」")
            bad = rr.kind_rules.get(c.l2, frozenset())
            per_unit = t.kind == "money" and "/" in t.unit_norm and c.l2 in rr.rates_ok
            if t.kind in bad and not per_unit and not (t.kind == "count" and _points_cell(c, scored)):
                kinds = {"money": "金额", "text": "一段文字", "count": "计数", "date": "日期", "duration": "期限",
                         "qualitative": "定性描述", "boolean": "是/否"}
                F("KIND_MISMATCH", f"「{c.l2}」的指标值是{kinds.get(t.kind, t.kind)}「{r.target_raw}」，与该类指标不符。",
                  _kind_fix(c.l2))
            if t.kind == "count" and t.value and not t.unit_norm and not r.unit_raw and not _points_cell(c, scored):
                F("MISSING_UNIT", f"指标值「{r.target_raw}」只有数字，没有单位，也没有计量单位列。", "补上单位（人、人次、个、件……）")
            if c.l2 == "经济成本指标" and t.op in (">=", ">") and t.kind != "percent":
                # (a share such as 劳务报酬占中央投资比例 ≥32.68% is a policy floor, not a cost)
                F("COST_LOWER_BOUND", f"成本指标「{r.name}」的目标是下限「{r.target_raw}」：成本应控制在上限以内。",
                  f"改为「≤{r.target_raw.lstrip('≥>=＞ 不低于不少于')}」")
            satisfaction = c.l2 == "服务对象满意度指标" or any(w in r.name for w in rr.satisfaction_words)
            if satisfaction and t.kind == "percent" and t.value is not None and t.value < th["satisfaction_floor"]:
                F("SATISFACTION_LOW", f"满意度目标 {t.value:g}% 低于 {th['satisfaction_floor']:g}% 的下限。",
                  f"满意度目标一般不低于 {th['satisfaction_floor']:g}%")
        for which, v in (("指标值", t), ("完成值", c.actual)):
            if v.kind == "percent" and v.value is not None and v.value > 100 and not any(
                    w in r.name for w in rr.percent_over_100_ok):
                F("PERCENT_OVER_100", f"{which}「{v.raw}」超过 100%，而「{r.name}」是不能超过 100% 的比率。",
                  "核对数值或改用绝对数")
        k = (r.table, key(r.name))
        if r.name and k in seen and r.table:
            first = seen[k]
            F("DUPLICATE_INDICATOR", f"同一张表中「{r.name}」出现两次（另见第 {first.row} 行，指标值「{first.target_raw}」）。",
              "合并为一条或区分两个指标的名称")
        else:
            seen[k] = r
    return flags


def _well_formed_target(t) -> bool:
    """A target an indicator is set with: a percentage, a date, an amount or a count with its unit."""
    return t.kind in ("percent", "date", "money", "duration") or (t.kind == "count" and bool(t.unit_norm))


def _bare_name(r: IndicatorRow) -> bool:
    """Only a name cell was read: no category, target, actual, unit, points or score. Nothing
    says it is an indicator (a header word, a caption, a heading read as one), and no flag
    about what it lacks can be told from a row the reader did not find."""
    return not any((r.level1_filed, r.level2_filed, r.target_raw, r.actual_raw, r.unit_raw, r.weight, r.score))


def _split_label(name: str, label: str) -> bool:
    """``name`` + ``label`` is one category label (服务对象 + 满意度指标 = 服务对象满意度指标):
    the first half of a label split over two lines, read as a name."""
    n = key(name)
    if not n or len(n) > 6:
        return False
    joined = n + key(label)
    whole = lookup(joined)
    # the joined text must be the category's own name (the lookup also forgives extra words:
    # 已完成 + 时效指标 is no label)
    return joined in (whole.l1, whole.l2) and not lookup(n).is_category


def _suggests(p) -> bool:
    """The classifier has a category to suggest for the row (it ran and did not say none)."""
    return p is not None and getattr(p, "level2", "none") != "none"


def _kind_fix(l2: str) -> str:
    return {
        "时效指标": "时效指标应填完成时限（如「2023年12月底前」）或及时率",
        "数量指标": "数量指标应填数量（如「≥500人次」）或完成率",
        "质量指标": "质量指标应填合格率、达标率等",
        "经济成本指标": "成本指标应填金额上限（如「≤21.45万元」）",
        "服务对象满意度指标": "满意度指标应填满意度比率（如「≥90%」）",
    }.get(l2, "")


def by_block(ctxs: list[RowCtx]) -> dict[tuple[int, str], list[RowCtx]]:
    """Rows grouped by (table, first-level block), in order."""
    out: dict[tuple[int, str], list[RowCtx]] = defaultdict(list)
    for c in ctxs:
        out[(c.row.table, c.row.level1_filed)].append(c)
    return out
