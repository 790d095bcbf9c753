"""Number-free value cells: how a wording is read (direction, vague) whatever its length.

A target without a number is checkable only when it names a standard, a rule or
completeness; otherwise it is vague, however long it is. Three readings make a wording
vague, all of them data in ``configs/values.yaml``:

- an unmeasurable word (``vague_words``: 显著, 有效, 稳步 …; not inside a noun of
  ``vague_stop_words``: 健康体检, 有效期) or a direction of change
  (提升, 减少, 保持 …: a change with no size);
- the whole cell one of ``vague_whole_cells`` (``高``, ``较好``): a bare ``高`` is vague, the
  scale ``高中低`` (a rating, matched on the whole cell only) is not;
- a statement of ``purpose_min_chars`` characters or more naming no standard and no
  deliverable or event (``standard_words``: 规定, 标准, 合格, 按照 …; 建成, 出台, 获得 …) and no completeness (``完成``, ``及时``,
  ``全覆盖``: direction *complete*) — a purpose or an activity, e.g.
  ``向社会公布项目招标及资金使用信息`` or ``收集有关抗战时期的史料,如:书信、照片等等。``.

Worked example: ``显著增强了辖区居民的防灾减灾意识,有力推动了基层应急管理体系建设。`` →
direction increase (增强 is the first change word), vague (显著, and a change of no size).
``严格执行相关制度规定`` → no direction, not vague (制度, 规定 are standards).

A direction word after a negation (``negation_words``: 未能及时, 不达标, 未完成) gives no
direction: the wording says the change or completion did not happen.

Not handled yet: a negated wording (``不降低``) is not read as the opposite change; a standard
word used loosely (``按照计划推进``) makes a statement checkable.
"""

from __future__ import annotations

from pipeline.values.lexicon import ValueLexicon

_CJK_LO, _CJK_HI = "\u4e00", "\u9fff"


def direction_of(L: ValueLexicon, text: str) -> str:
    """The direction of a wording: the first increase / decrease word wins, then complete,
    then maintain; '' when none (下达 and the other stop words are not 达)."""
    text = L.direction_stop_re.sub(" ", text)
    if L.negation_guard_re.search(text):
        text = L.negated_re.sub(" ", text)        # 未能及时 is no completion
    found = {L.direction_of[w.group()] for w in L.direction_re.finditer(text)}
    if not found:
        return ""
    for w in L.direction_re.finditer(text):
        if L.direction_of[w.group()] in ("increase", "decrease"):
            return L.direction_of[w.group()]
    return "complete" if "complete" in found else "maintain"


def read_wording(L: ValueLexicon, compact: str) -> tuple[str, bool]:
    """``(direction, vague)`` of a number-free cell written without spaces."""
    direction = direction_of(L, compact)
    key = compact.rstrip("。.;；,，!！")
    if key in L.vague_whole:
        return direction, True
    if L.vague_re.search(L.vague_stop_re.sub(" ", compact)) or direction in ("increase", "decrease", "maintain"):
        return direction, True
    cjk = sum(_CJK_LO <= c <= _CJK_HI for c in key)
    purpose = (cjk >= L.purpose_min_chars and direction != "complete"
               and L.standard_re.search(compact) is None)
    return direction, purpose
