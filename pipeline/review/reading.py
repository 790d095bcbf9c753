"""Filing-level flags about the reading itself: a form that yields no indicator row.

A target table (绩效目标表) or a self-evaluation (绩效自评表) from which no row could be read
used to show "0 条指标" and no flag, so it looked clean. It gets ``NO_ROWS_READ`` with the
reason the extractor gave for most of its lines, so the reviewer knows to read it by hand.

Example: a self-evaluation whose table is an image (only the title and the sign-off are
text) → ``NO_ROWS_READ``: 未能从该绩效自评表读出任何指标行（读取 4 行，主要原因：outside
indicator table ×4）。
"""

from __future__ import annotations

from collections import Counter

from pipeline.core.document import Document
from pipeline.core.flags import Flag, review_rules
from pipeline.core.normalize import key
from pipeline.extract.facts import FilingInfo
from pipeline.extract.rows import Extraction

# titles that say the filing is a form with an indicator table, whatever kind was guessed
_FORM_TITLES = ("绩效目标表", "自评表", "目标申报表", "目标批复表", "绩效目标申报", "绩效指标表")
_HEADER_WORDS = ("一级指标", "二级指标", "三级指标")
_KIND_NAMES = {"target_table": "绩效目标表", "self_eval": "绩效自评表"}


def no_rows_read(doc: Document, ex: Extraction, info: FilingInfo) -> list[Flag]:
    """``NO_ROWS_READ`` for a target table or self-evaluation without any indicator row."""
    if ex.rows:
        return []
    text = doc.text or ""
    head = text[:600]
    # a filing guessed to be a report because nothing was read is still a form when its
    # title says so, or when it has an indicator header and no 报告 in its first lines
    form = (info.kind in _KIND_NAMES or any(t in head for t in _FORM_TITLES)
            or "报告" not in head[:200] and any(w in key(text) for w in _HEADER_WORDS))
    if not form:
        return []
    reasons = Counter(r.reason.split(";")[0] for r in ex.rejects)
    why = "、".join(f"{r} ×{n}" for r, n in reasons.most_common(2)) or "文本中没有表格"
    kind = _KIND_NAMES.get(info.kind, "绩效表")
    return [review_rules().flag(
        "NO_ROWS_READ", doc.path, 0, 0,
        f"未能从该{kind}读出任何指标行（读取 {ex.rows_read} 行，主要原因：{why}）；它并非没有问题，而是没有被读懂。",
        f"读取行数={ex.rows_read}；拒绝原因={why}",
        "请人工核对原件，或提供可读的版本（表格不要转成图片或无分隔的文字）")]
