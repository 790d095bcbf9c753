"""The role of each cell in a row, from its content (:mod:`pipeline.core.cells`) and its order.

Filings slide cells left and right, so a cell's role (category, indicator name, target,
actual, weight, score …) is decided by its content and its order in the row, with the
header's column position only as a tie-breaker. :func:`align` finds the best
order-preserving assignment of a row's filled cells to the header's roles (a small
dynamic programme, like aligning two sequences).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from pipeline.core.cells import BLOCK_WEIGHT, SECTION, Cell, cell
from pipeline.core.normalize import key
from pipeline.core.taxonomy import strip_decorations
from pipeline.extract.cell_lexicon import StreamCell

NEG = float("-inf")


def compat(c: Cell, role: str) -> float:
    """How well a cell's content fits a role (``-inf``: never)."""
    cat = c.cat
    if role == "level1":
        return 5.0 if (cat.l1 or (cat.process and not cat.l2)) else NEG
    if role == "level2":
        if cat.l2 or cat.process:
            return 5.0
        # a first level typed in the 二级 column under a first level above it
        # (实施效果指标 | 产出指标 | 建设项目个数): kept as filed, the review maps it
        # (only a first level's own name, not an alias such as 项目成本 that may be a name)
        return 1.0 if cat.is_first_level_name else NEG
    if role == SECTION:
        return 1.0 if cat.section else NEG
    if role == "name":
        if c.number or c.actual or c.vtype or c.op or c.placeholder or cat.section or c.total or c.not_name:
            return NEG
        if c.value and len(c.text) <= 12:
            return NEG
        if cat.is_category:
            return 1.0
        return 6.0 + (1.0 if c.name_like else 0.0)
    if role in ("weight", "score", BLOCK_WEIGHT):
        if c.number:
            try:
                v = float(key(c.text).replace(",", ""))
            except ValueError:
                return NEG
            return 3.0 if 0 <= v <= 100 else NEG
        return NEG
    if role == "unit":
        return 4.0 if c.unit and not cat.is_category else NEG
    if role == "value_type":
        return 5.0 if c.vtype else NEG
    if role == "op":
        return 5.0 if c.op else NEG
    if role == "target":
        if c.vtype or c.op:
            return NEG
        if c.number:
            return 3.5   # a bare number is as often a 分值 or 得分: position decides
        if c.value:
            return 4.0
        if c.actual or cat.is_category:
            return 0.5
        return 2.0
    if role == "actual":
        if c.actual:
            return 5.0
        return 3.0 if c.value else 1.0
    if role == "history":
        return 2.0 if c.value else 0.5
    if role == "deviation":
        return 0.5 if c.number else 1.5
    # period_target, detail, other
    if cat.is_category:
        return 0.2
    return 0.5 if c.number else 1.0


SKIP_PENALTY = -3.0


def align(cells: list[tuple[int, str]], roles: list[tuple[int, str]], need_name: bool = True
          ) -> tuple[float, dict[str, tuple[int, str]], list[tuple[int, str]]] | None:
    """Best order-preserving assignment of filled cells to roles.

    ``cells`` are ``(column, text)`` in row order, ``roles`` ``(column, role)`` in header
    order. Returns ``(score, {role: (column, text)}, skipped cells)``, or None when no
    assignment has a name (with ``need_name``). A cell in its header column earns a small
    bonus, so position breaks ties between equally plausible readings. Results are cached:
    real batches repeat the same rows (standard indicators, boilerplate) over and over.
    """
    return _align(tuple(cells), tuple(roles), need_name)


@functools.lru_cache(maxsize=65536)
def _align(cells: tuple[tuple[int, str], ...], roles: tuple[tuple[int, str], ...], need_name: bool):
    n, m = len(cells), len(roles)
    feats = [cell(t) for _, t in cells]
    base_roles = [r.partition("#")[0] for _, r in roles]
    # score of cell i in role j, position bonus included (NEG: never)
    fit = []
    for i, f in enumerate(feats):
        ccol = cells[i][0]
        row = []
        for j, br in enumerate(base_roles):
            s = compat(f, br)
            if s != NEG:
                col = roles[j][0]
                s += 1.0 if ccol == col else (0.4 if abs(ccol - col) == 1 else 0.0)
            row.append(s)
        fit.append(row)
    is_name = [br == "name" for br in base_roles]
    skip = [0.0 if f.cat.section else SKIP_PENALTY for f in feats]
    W = m + 1
    size = (n + 1) * W * 2
    best = [NEG] * size
    back: list = [None] * size
    best[0] = 0.0
    for i in range(n + 1):
        for j in range(W):
            for h in (0, 1):
                k0 = (i * W + j) * 2 + h
                cur = best[k0]
                if cur == NEG:
                    continue
                if j < m:
                    k = k0 + 2
                    if cur > best[k]:
                        best[k] = cur
                        back[k] = (i, j, h, -1)
                if i < n:
                    k = k0 + W * 2
                    v = cur + skip[i]
                    if v > best[k]:
                        best[k] = v
                        back[k] = (i, j, h, -2)
                    if j < m:
                        s = fit[i][j]
                        if s != NEG:
                            h2 = 1 if (h or is_name[j]) else 0
                            k = ((i + 1) * W + j + 1) * 2 + h2
                            v = cur + s
                            if v > best[k]:
                                best[k] = v
                                back[k] = (i, j, h, j)
    end = (n * W + m) * 2
    h_end = 1 if need_name else (0 if best[end] >= best[end + 1] else 1)
    total = best[end + h_end]
    if total == NEG:
        return None
    out: dict[str, tuple[int, str]] = {}
    skipped: list[tuple[int, str]] = []
    i, j, h = n, m, h_end
    while (i, j, h) != (0, 0, 0):
        pi, pj, ph, what = back[(i * W + j) * 2 + h]
        if what == -2:
            skipped.append(cells[pi])
        elif what >= 0:
            out[roles[what][1]] = cells[pi]
        i, j, h = pi, pj, ph
    skipped.reverse()
    return total, out, skipped


def align_shifted(filled: list[tuple[int, str]], header: list[tuple[int, str]]
                  ) -> tuple[float, dict[str, tuple[int, str]], list[tuple[int, str]]] | None:
    """Align, then align again with the header moved by the row's typical shift.

    Cells that slid keep their relative order and mostly slide together (e.g. a whole
    row three columns right), so once the anchors (categories, name, values) have shown the
    shift, position can break the remaining ties (is 1.00 the 分值 or the 得分?).
    """
    res = align(filled, header)
    if res is None:
        return None
    cols = {r: c for c, r in header}
    shifts = sorted(c - cols[r] for r, (c, _) in res[1].items() if r in cols)
    if not shifts:
        return res
    shift = shifts[len(shifts) // 2]
    if shift == 0:
        return res
    return align(filled, [(c + shift, r) for c, r in header]) or res


def row_roles(cells: Sequence[StreamCell], i: int, cols: dict[int, str], has_l2: bool = False
              ) -> tuple[int, dict[int, str]]:
    """The roles of the positioned cells of one grid row in a cell stream — the cells from ``i``
    on that share its line and carry a column — by content and order, the header's column only
    breaking ties (:func:`align_shifted`): a row whose merged
    cells were dropped slides left (``| 清扫保洁道路条数 | 485条 |`` under 一级 | 二级 | 三级 |
    指标值) and is still a name and a target. Returns the index after the row and the role of
    each aligned cell by its index in ``cells`` ('' for a cell left over); no roles when the
    row aligns to no name."""
    j = i
    while j < len(cells) and cells[j].row == cells[i].row and cells[j].col >= 0:
        j += 1
    header = sorted(cols.items())
    filled = [(c.col, c.text) for c in cells[i:j]]
    res = align_shifted(filled, header)
    if res is not None and category_only(res[1]):
        res = None
    named = category_word_as_name(filled, header, has_l2) if res is None else None
    if named is not None:
        res = (0.0, named, [])      # | | | 财务管理 |: a management word names the row
    elif res is None:
        # | 效益指标 | | 经济效益指标 | 未达指标值酌情扣分 |: a category row, no indicator
        res = align(filled, header, need_name=False)
        res = (res[0], {r: v for r, v in res[1].items() if r != "name"}, res[2]) if res else None
    if res is None:
        return j, {}
    got = dict(res[1])
    unknown_categories(got, res[2], header)
    at = {(c.col, c.text): k for k, c in zip(range(i, j), cells[i:j])}
    out = {k: "" for k in range(i, j)}
    for role, pair in got.items():
        out[at[pair]] = role
    return j, out


_VALUE_ROLES = ("target", "actual", "period_target", "detail#p", "unit", "op", "weight", "score", "history")


def category_only(roles: dict[str, tuple[int, str]]) -> bool:
    """A category name taken as the indicator name with nothing else in the row."""
    return cell(roles["name"][1]).cat.is_category and not any(
        r in roles and not cell(roles[r][1]).not_name for r in _VALUE_ROLES)


def unknown_categories(roles, skipped, header):
    """A cell left over in the 一级/二级 column before the name is the filed category, even
    when the taxonomy does not know it (工作落实 under 二级指标): it is kept as filed, so the
    review reports it (UNKNOWN_CATEGORY) instead of calling the row uncategorised. Adds those
    to ``roles``; returns the cells still left over."""
    if not skipped or "name" not in roles:
        return skipped
    name_col = roles["name"][0]
    left = []
    for col, text in skipped:
        c = cell(text)
        role = next((r for hc, r in header if hc == col and r in ("level1", "level2")), None)
        if (role and role not in roles and col < name_col and 2 <= len(key(text)) <= 16
                and not (c.number or c.value or c.placeholder or c.total or c.cat.section)):
            roles[role] = (col, text)
        else:
            left.append((col, text))
    return left


def category_word_as_name(filled: list[tuple[int, str]], header: list[tuple[int, str]], has_l2: bool
                          ) -> dict[str, tuple[int, str]] | None:
    """Score tables name their 三级 items with management words (资金分配, 财务管理, 完成数量):
    such a word standing in the name column, as the row's last cell, under a block that has
    its second level already (``has_l2``: from a row above), is the row's name (``| | | 财务管理 |``), not a category row."""
    name_col = next((c for c, r in header if r == "name"), -1)
    col, text = filled[-1]
    if col != name_col or not cell(text).cat.is_category or strip_decorations(text).endswith("指标"):
        return None     # 社会效益指标 in the name column is a category that slid right
    before = filled[:-1]
    res = align(before, header, need_name=False) if before else None
    roles = dict(res[1]) if res else {}
    if "level2" not in roles and not has_l2:
        return None
    if any(r not in ("level1", "level2") for r in roles):
        return None
    roles["name"] = (col, text)
    return roles
