"""Facts mined from prose: rows of indicators.csv, and CONFLICTING_FACTS.

Reports state the same fact more than once — in the narrative and again in the summary —
and sometimes with two figures (e.g. 新增就业 318 人 and 全区新增就业人数 311 人;
94 户 and 83 户 残疾人家庭无障碍改造). Two facts are the same when their names match
after scope words are stripped (one contains the other, or they are near-identical) and
their figures have the same unit; exact figures that differ are flagged. Approximate
figures (近、约、超过、余) never conflict.
"""

from __future__ import annotations

import re

from pipeline.core.flags import Flag, review_rules
from pipeline.core.normalize import key

_SCOPE = re.compile(r"^(?:全区|全市|全县|全省|我区|我市|我县|本部门|全年|累计|共计|共)")
_TAIL = re.compile(r"(?:人数|户数|人次数|数量|数|工作|任务)$")


def _name_key(name: str) -> str:
    k = key(name)
    k = _SCOPE.sub("", k)
    return _TAIL.sub("", k)


def _same(a: str, b: str) -> bool:
    if not a or not b:
        return False
    short, long_ = sorted((a, b), key=len)
    if len(short) < 4:
        return False
    if a == b or (long_.startswith(short) and len(short) >= 0.6 * len(long_)):
        return True
    from rapidfuzz.fuzz import ratio

    return ratio(a, b) >= 95


def conflicting_facts(doc, facts) -> list[Flag]:
    rr = review_rules()
    items = []
    for f in facts:
        if f.kind != "indicator":
            continue
        for g in f.figures:
            v = g.value
            # money comes in tranches (下达…资金 twice is two allocations): only counts of
            # people, households, times … are facts that cannot have two values
            if g.role != "count" or v.value is None or v.op in ("~", ">", ">=", "<", "<=", "range"):
                continue
            items.append((f, _name_key(f.name), v.unit_norm, v.value, g.text, getattr(g, "side", "")))
    out: list[Flag] = []
    done: set[tuple[int, int]] = set()
    for i, (fa, ka, ua, va, ta, sa) in enumerate(items):
        for j in range(i + 1, len(items)):
            fb, kb, ub, vb, tb, sb = items[j]
            if ua != ub or va == vb or fa.line == fb.line or not _same(ka, kb):
                continue
            if "target" in (sa, sb) and sa != sb:
                continue   # 任务数 115 户 and 实际完成 264 户 are target and actual, not a conflict
            pair = (id(fa), id(fb))
            if pair in done:
                continue
            done.add(pair)
            out.append(rr.flag("CONFLICTING_FACTS", doc.path, 0, fb.line,
                               f"同一事项给出两个不同的数字：「{fa.name}」{ta}（第 {fa.line} 行）与「{fb.name}」{tb}（第 {fb.line} 行）。",
                               f"第 {fa.line} 行：{fa.sentence.strip()[:120]}\n第 {fb.line} 行：{fb.sentence.strip()[:120]}",
                               "核实并统一口径，或说明两个数字的差别", fb.name))
    return out
