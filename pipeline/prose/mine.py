"""Facts stated in the running text of self-evaluation reports (and any paragraph of a filing).

Self-evaluation reports often give their figures in prose instead of (or besides) a table::

    1.康园工疗机构经费，市区两级预算 570.45 万元，共支出 570.45 万元，执行率为 100%。
    1.整体效能：分值 50 分，自评分 49.69 分，扣分原因：部门预算资金支出率 96.93%，扣 0.31 分。
    完成残疾人康复资助 1581 人次 573.49 万元。
    养老金领取人数全年平均数年初任务数101974人,全年完成值103119人。

:func:`mine_facts` turns them into :class:`Fact` records and :func:`facts_to_rows` into rows of
indicators.csv. The quantities are found by the spaCy component of
:mod:`pipeline.values.spacy_component` (typed :class:`~pipeline.values.parse.Value` per figure); the words
around them are read with the lists of ``configs/prose.yaml``.

Fact kinds
----------
``project_line``  a project with its budget, spending and execution rate (figures budget, spent, rate)
``total``         the filing's totals: 全年预算数/全年执行数 (budget, spent, rate) or 整体自评得分 (score)
``score``         a line of the score table in prose: 分值 (points), 自评分 (score), 扣 (deduction) and 扣分原因
``indicator``     an indicator with its figures: target and/or achieved (count, amount, rate, date)

How a sentence is read
----------------------
1. Paragraphs that stop mid-sentence (a page or line break inside ``79.88 万\\n\\n元``) are
   joined with the next one; pinyin glosses of mirror sites (``预(yù)算``) are removed.
2. Sentences end at 。！？ (and at a '.' between Chinese characters, converted PDFs write 。
   so) and are cut again at ；; unless the sentence is a score line (its 扣分原因 lists
   deductions separated by ；). Clauses end at ，,：:.
3. A sentence with a budget and a spent figure is a project line (or a total when its subject
   is 本部门/全年 …); a sentence with 分值 and 自评分 is a score line; otherwise each group of
   figures of a clause is an indicator: its name is the text before the figures (numbering,
   levels, years, cue words, places and light verbs taken off: 全区新增就业人数 311 人 →
   新增就业人数), completed by the words after the figures when the text before is only a verb
   (组织实施 83 户残疾人家庭无障碍改造 → 残疾人家庭无障碍改造). Cue words say whether a figure
   is a target (年初任务数, 指标为, a comparator ≥) or an achieved value (实际完成, 完成值); a
   target followed by its achieved value (``…指标为100%实际完成值为100%``) is one fact.
4. ``A及B均为100%`` gives one fact per name; levels written in headings or sentence heads
   (``1.数量指标。``, ``经济效益:``) become the facts' level1 / level2.
5. A sentence that is a table flattened into text (three table header words such as
   一级指标/二级指标/三级指标, or five figures with hardly any punctuation) gives no facts,
   and points of a scoring rule outside a score line (``扣 0.5 分``, ``(5 分)``) are no figures.

Not handled yet: figures whose subject is in another sentence (``其中…``) keep the words of
their own clause only; a comparison with a control figure (``低于控制指标82起``) is a
``reference`` figure of the fact before it, not its target; qualitative achievements
(``质量鉴定为合格``) and figures written without a unit are not facts; names keep place names
(``鸡飞镇农村危房改造…``) and sometimes a light verb (``慰问困难残疾人``); a table written one
row per line in a plain-text filing reads as prose and gives facts that duplicate its rows.

Longer than 400 lines because the prose miner's drafts, pairing and row building act on the
same sentence records; the next split is facts_to_rows.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace

from pipeline.core.document import Document
from pipeline.extract.rows import IndicatorRow
from pipeline.prose.text import (
    _COPULA_END,
    _MAJOR,
    _NUMBERING,
    _PCT_NOTE,
    _QUOTE_PAIRS,
    _YEARS,
    Fact,
    Figure,
    ProseLexicon,
    _clean_name,
    _compact,
    _find_cue,
    _has_word,
    _is_name,
    _is_target_figure,
    _join_paragraphs,
    _role,
    _same_family,
    _split,
    _strip_glosses,
    _strip_trail,
    _title,
    lexicon,
)
from pipeline.values.spans import value_spans

_log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- figures

@dataclass(slots=True)
class _Fig:
    start: int
    end: int
    value: object

    @property
    def kind(self) -> str:
        return self.value.kind

    @property
    def raw(self) -> str:
        return self.value.raw


def _figures(sentence: str, found) -> list[_Fig]:
    """The spaCy component's values of one sentence, as exact offsets."""
    out = []
    for a, b, v in found:
        raw = v.raw
        if not any(c.isdigit() for c in raw) and (v.value is None or v.value < 10):
            continue              # 两项, 三级: counting words, not figures
        out.append(_Fig(a, b, v))
    return out


def _quoted(sentence: str) -> list[tuple[int, int]]:
    out = []
    for o, c in _QUOTE_PAIRS:
        i = sentence.find(o)
        while i >= 0:
            j = sentence.find(c, i + 1)
            if j < 0:
                break
            out.append((i, j + 1))
            i = sentence.find(o, j + 1)
    return out


# --------------------------------------------------------------------------- drafts

@dataclass(slots=True)
class _Draft:
    name: str
    figs: list[_Fig]
    side: str
    target_figs: list[_Fig] = field(default_factory=list)
    actual_figs: list[_Fig] = field(default_factory=list)
    extra_figs: list[_Fig] = field(default_factory=list)
    split_names: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Ctx:
    level1: str = ""
    level2: str = ""

    def see(self, L: ProseLexicon, text: str) -> None:
        """Update the levels from a heading or a sentence head."""
        head = _NUMBERING.sub("", text.strip())[:14]
        m = L.level_re.search(head)
        if not m or m.start() > 2:
            return
        w = m.group()
        if w in L.level1:
            self.level1, self.level2 = L.level1[w], ""
        else:
            self.level2 = w


def _text_of(sentence: str, figs: list[_Fig]) -> str:
    if not figs:
        return ""
    return sentence[figs[0].start:figs[-1].end].strip()


def _mk_figs(figs: list[_Fig], role: str | None = None, side: str = "") -> tuple[Figure, ...]:
    return tuple(Figure(role or _role(f.value), f.value, f.raw, f.start, f.end, side) for f in figs)


def _pre_cue(s: str, cues: tuple[str, ...], window: int = 10) -> bool:
    """A cue word ends the text before a figure (only 为/了/共/blank after it)."""
    tail = _compact(s)[-window:]
    tail = re.sub(r"[为了共计约达是:：]+$", "", tail)
    return any(tail.endswith(c) for c in cues)


def _mine_project(L, sentence: str, ua: int, ub: int, figs: list[_Fig]) -> tuple[Fact, list[_Fig]] | None:
    """A budget / spent / rate piece sentence[ua:ub] → (project_line or total fact, figures left)."""
    budget = spent = rate = None
    clauses = _split(sentence, L.clause_ends, ua, ub)
    for f in figs:
        c0 = max((a for a, b in clauses if a <= f.start), default=ua)
        before = sentence[c0:f.start]
        if f.kind == "money":
            if spent is None and budget is not None and _pre_cue(before, L.spent_cues):
                spent = f
            elif budget is None and _pre_cue(before, L.budget_cues):
                budget = f
            elif spent is None and _pre_cue(before, L.spent_cues):
                spent = f
        elif f.kind == "percent" and rate is None and spent is not None and _pre_cue(before, L.rate_cues):
            rate = f
    if spent is None:
        return None
    if budget is None:
        earlier = [f for f in figs if f.kind == "money" and f.start < spent.start]
        if not earlier or rate is None:
            return None
        budget = earlier[-1]
    if budget.start > spent.start:
        return None
    head_c = _compact(sentence[ua:budget.start])
    cue = _find_cue(head_c, L.budget_cues)
    cue_text = head_c[cue[0]:cue[1]] if cue else ""
    if cue is not None:
        head_c = head_c[:cue[0]] + head_c[cue[1]:]
    name = ""
    for part in reversed([p for p in re.split(f"[{re.escape(L.clause_ends)}]", head_c) if p.strip()]):
        name = _title(part) if _is_name(L, _clean_name(L, part)) else ""
        if name:
            break
    is_total = not name or name in L.total_names or not _is_name(L, name)
    if is_total:
        name = _strip_trail(L, cue_text) or "预算"
    roles = {"budget": budget, "spent": spent, "rate": rate}
    fs = tuple(Figure(role, f.value, f.raw, f.start, f.end) for role, f in roles.items() if f is not None)
    fact = Fact("total" if is_total else "project_line", name, target=budget.raw, actual=spent.raw,
                figures=fs, rate=rate.raw if rate else "")
    used = {id(f) for f in roles.values() if f is not None}
    if is_total and rate is not None:
        used.discard(id(rate))          # 预算执行率为 96.95% is also an indicator of its own
    return fact, [f for f in figs if id(f) not in used]


def _mine_score(L, sentence: str, figs: list[_Fig]) -> dict | None:
    pts = [f for f in figs if f.kind == "count" and f.value.unit_norm == "分"]
    if len(pts) < 2:
        return None
    weight = score = None
    deductions = []
    for f in pts:
        before = _compact(sentence[max(0, f.start - 8):f.start])
        if weight is None and any(before.endswith(c) or before.endswith(c + "为") for c in L.weight_cues):
            weight = f
        elif score is None and any(before.endswith(c) or before.endswith(c + "为") for c in L.score_cues):
            score = f
        elif any(before.endswith(c) for c in L.deduction_cues):
            deductions.append(f)
    if weight is None or score is None:
        return None
    head = sentence[:weight.start]
    name = re.split(r"[:：，,]", _compact(head))[0]
    for c in L.weight_cues:
        if name.endswith(c):
            name = name[:-len(c)]
    name = _title(name)
    reason = ""
    for c in L.reason_cues:
        i = sentence.find(c)
        if i >= 0:
            reason = sentence[i + len(c):].lstrip(" :：").rstrip(" 。.;；")
            break
    return {"name": name, "weight": weight, "score": score, "deductions": deductions, "reason": reason}


def _groups(L, sentence: str, a: int, b: int, figs: list[_Fig]):
    """Figure groups of the clause sentence[a:b]: (figs, pre, mid, post) per group."""
    groups: list[list] = []
    cur = [figs[0]]
    pre = sentence[a:figs[0].start]
    mid = ""
    for prev, f in zip(figs, figs[1:]):
        between = sentence[prev.end:f.start]
        bt = _compact(between)
        if not bt:
            cur.append(f)
            continue
        if any(bt == w for w in L.join_words):
            cur.append(f)
            continue
        pre_like = (bt.endswith(_COPULA_END) or f.kind == "percent" or bt[0] in "、(（"
                    or _pre_cue(bt, L.target_cues + L.actual_cues, 12))
        if not pre_like and prev.kind == "count" and f.kind == "money" and len(cur) == 1 and not mid:
            cur.append(f)
            mid = between
            continue
        if bt[-1] in "、，,":          # 23 个康园工疗站、15 家康复服务机构: the words belong to the figure before
            groups.append([cur, pre, mid, between])
            cur, pre, mid = [f], "", ""
            continue
        groups.append([cur, pre, mid, ""])
        cur, pre, mid = [f], between, ""
    groups.append([cur, pre, mid, sentence[figs[-1].end:b]])   # post: what follows the last figure
    return groups


def _name_of(L, pre: str, mid: str, post: str, figs: list[_Fig], ctx: _Ctx) -> tuple[str, str, bool]:
    """(name, side from cues, 均 seen) of a figure group."""
    p = _PCT_NOTE.sub("", _YEARS.sub("", _compact(pre)))
    p = _NUMBERING.sub("", p)
    m = L.level_re.match(p)
    if m:
        ctx.see(L, m.group())
        p = p[m.end():]
    side = ""
    t = _find_cue(p, L.target_cues)
    u = _find_cue(p, L.actual_cues)
    cue = None
    if t and (not u or (t[1], t[1] - t[0]) >= (u[1], u[1] - u[0])):   # the cue nearest the figure wins
        side, cue = "target", t
    elif u:
        side, cue = "actual", u
    if cue is not None:
        p = p[:cue[0]] + p[cue[1]:]
    both = "均" in p[-4:]
    pre_c = _clean_name(L, p)
    words_after = _clean_name(L, mid) if mid.strip() else ""
    if not words_after and post.strip():
        post_c = _compact(re.split(f"[{re.escape(L.clause_ends)}]", post)[0])
        if not any(post_c.startswith(w) for w in L.join_words):
            words_after = _clean_name(L, post_c[:40])
    name = pre_c
    if words_after:
        kind = figs[0].kind
        if not pre_c:
            name = words_after
        elif mid.strip() or (kind in ("count", "money") and not pre_c.endswith(L.metric_suffixes)):
            name = pre_c + words_after
    return name, side, both


def _split_both(L, name: str) -> list[str]:
    """覆盖率及资金到位率 → [覆盖率, 资金到位率] (names joined before 均为)."""
    parts = [p for p in re.split(r"、|及|和|与", name) if p]
    if len(parts) < 2:
        return [name]
    out, cur = [], ""
    for p in parts:
        cur = cur + ("、" if cur else "") + p
        if re.search(r"(率|度|比例|比)$", cur):
            out.append(cur)
            cur = ""
    if cur:
        if out:
            out[-1] += "、" + cur
        else:
            return [name]
    return out if len(out) >= 2 else [name]


def _mine_unit(L, sentence: str, a: int, b: int, figs: list[_Fig], dates: list[_Fig], ctx: _Ctx,
               sentence_target: bool) -> list[_Draft]:
    """Indicator drafts of sentence[a:b] (one ；-piece)."""
    drafts: list[_Draft] = []
    label = ""
    side_default = "target" if sentence_target else ""
    for ca, cb in _split(sentence, L.clause_ends, a, b):
        cfigs = [f for f in figs if ca <= f.start < cb]
        if not cfigs:
            ctext = _compact(sentence[ca:cb])
            ctx.see(L, ctext)
            cdates = [d for d in dates if ca <= d.start < cb]
            if cdates and label and re.search(r"(工期|期限|时限|建设期|实施期|完成时间|实施时间)$", label):
                drafts.append(_Draft(label, cdates, side_default or "target"))
            label = _clean_name(L, ctext) if len(ctext) <= 16 else ""   # a short clause labels the next one
            if label and _has_word(ctext, L.target_context):
                side_default = "target"
            continue
        for gi, (gfigs, pre, mid, post) in enumerate(_groups(L, sentence, ca, cb, cfigs)):
            if drafts and _compact(pre).startswith(L.comparison_words):
                drafts[-1].extra_figs.extend(gfigs)   # 低于控制指标82起: a reference, not a fact
                continue
            name, side, both = _name_of(L, pre, mid, post, gfigs, ctx)
            if not name and label and gi == 0:
                name = label                          # 建设工期:… / 经济效益:… the label names the figure
            if any(_is_target_figure(f.raw) for f in gfigs):
                side = "target"
            d = _Draft(name, list(gfigs), side or side_default or "actual")
            if both:
                d.split_names = _split_both(L, name)
            drafts.append(d)
        label = ""
    return drafts


def _pair(drafts: list[_Draft]) -> list[_Draft]:
    """A target followed by its achieved value (same unit family, same or no name) → one draft."""
    out: list[_Draft] = []
    for d in drafts:
        if d.side == "target":
            d.target_figs = d.figs
        else:
            d.actual_figs = d.figs
        prev = out[-1] if out else None
        if (prev is not None and d.side == "actual" and prev.side == "target" and not prev.actual_figs
                and _same_family(prev.figs[0].value, d.figs[0].value)
                and (not d.name or d.name == prev.name or d.name in prev.name or prev.name in d.name)):
            prev.actual_figs = d.figs
            continue
        out.append(d)
    return out


# --------------------------------------------------------------------------- main

def mine_facts(doc: Document, *, nlp=None, strict: bool = False) -> list[Fact]:
    """Facts of the paragraphs of ``doc``, in reading order (see the module docstring).

    The values of each sentence come from :func:`pipeline.values.spans.value_spans` (the
    spaCy values component's result without building a ``Doc``); given an ``nlp`` (a spaCy
    pipeline with that component), its entities are used instead. A filing whose paragraphs
    hold no figure (only titles and years) never imports spaCy or jieba. A
    sentence that trips an internal error is logged (warning, with its line) and skipped,
    so one odd sentence never loses a filing's facts; ``strict=True`` raises instead (tests).
    A broken ``configs/prose.yaml`` always raises :class:`~pipeline.core.errors.ConfigError`.
    """
    L = lexicon()
    facts: list[Fact] = []
    ctx = _Ctx()
    for para in _join_paragraphs(doc):
        clean, cmap = _strip_glosses(para.text)
        if _MAJOR.match(clean) and len(clean) <= 40:
            ctx.level1 = ctx.level2 = ""
        ctx.see(L, clean)
        spans = []
        for s, e in _split(clean, L.sentence_ends, dot=True):
            lead = len(clean[s:e]) - len(clean[s:e].lstrip())
            spans.append((s + lead, len(clean[s:e].strip())))
        worth = [_worth_reading(clean[s:s + n]) for s, n in spans]
        docs = iter(nlp.pipe([clean[s:s + n] for (s, n), w in zip(spans, worth) if w])
                    if nlp is not None and any(worth) else ())
        for (s, n), w in zip(spans, worth):
            sentence = clean[s:s + n]
            if not w:
                ctx.see(L, sentence)
                continue
            if nlp is None:
                found = value_spans(sentence)   # spaCy and jieba load only when there is prose to read
            else:
                found = _entity_values(sentence, next(docs))
            pos_a, pos_b = cmap[s], cmap[min(s + n, len(cmap) - 1)]
            line = para.line_at(pos_a)
            span = para.abs_span(pos_a, pos_b)
            try:
                facts.extend(_mine_sentence(L, sentence, found, ctx, line, span))
            except Exception as exc:  # noqa: BLE001 - one sentence must not lose the filing
                if strict:
                    raise
                _log.warning("%s line %d: sentence skipped (%s: %s)", doc.path, line, type(exc).__name__, exc)
    return facts


def _entity_values(sentence: str, sdoc) -> list[tuple[int, int, object]]:
    """``(start, end, Value)`` of the value entities of a spaCy doc of ``sentence``."""
    found = []
    # the tokenizer keeps the text intact (doc.text == sentence): spaCy rebuilds Doc.text
    # from its tokens on every access, so the sentence itself is searched
    for ent in sdoc.ents:
        v = ent._.value
        if v is None:
            continue
        i = sentence.find(v.raw, ent.start_char)
        i = ent.start_char if i < 0 or i >= ent.end_char else i
        found.append((i, i + len(v.raw), v))
    return found


_YEAR_ONLY = re.compile(r"(?:19|20)\d{2}\s*年度?|(?:19|20)\d{2}[-./]\d{1,2}(?:[-./]\d{1,2})?")
_FIGURE_HINT = re.compile(r"\d|[两三四五六七八九十百千][万]?[人名户个家项次场所座条件台辆亩处间]")
_DATE_LABEL = re.compile(r"工期|期限|时限|建设期|实施期|完成时间|实施时间")


def _worth_reading(sentence: str) -> bool:
    """A sentence that may hold a figure: a digit that is not part of a year, a Chinese numeral
    with a measure word (近百名, 两项), or a deadline label. Others only update the
    heading context, and a filing without any never loads spaCy."""
    if not sentence:
        return False
    if _DATE_LABEL.search(sentence):
        return True
    return _FIGURE_HINT.search(_YEAR_ONLY.sub("", sentence)) is not None


def _rubric(sentence: str, f: _Fig) -> bool:
    """A point of a scoring rule outside a score line: 扣 0.5 分, 得 2 分, (5 分)."""
    if f.kind != "count" or f.value.unit_norm != "分":
        return False
    before = _compact(sentence[max(0, f.start - 3):f.start])
    after = sentence[f.end:f.end + 1]
    return before.endswith(("扣", "得", "加", "减", "(", "（")) or after in (")", "）")


def _tabular(L, sentence: str, figs: list[_Fig]) -> bool:
    """A table flattened into running text (left to the extractor, pipeline.extract): several table header
    words, or many figures with hardly any punctuation between them."""
    compact = _compact(sentence)
    words = [w for w in L.table_words if w in compact]
    words = [w for w in words if not any(w != o and w in o for o in words)]
    if len(words) >= 3:
        return True
    punct = sum(sentence.count(c) for c in "，,、；;：:")
    return len(figs) >= 5 and punct < len(figs) / 2


def _mine_sentence(L, sentence: str, found, ctx: _Ctx, line: int, span) -> list[Fact]:
    quoted = _quoted(sentence)
    allf = [f for f in _figures(sentence, found) if not any(q0 < f.start and f.end <= q1 for q0, q1 in quoted)]
    figs = [f for f in allf if f.kind != "date"]
    dates = [f for f in allf if f.kind == "date"]
    base = {"sentence": sentence, "line": line, "span": span}
    if not any(c in sentence for c in L.weight_cues):
        figs = [f for f in figs if not _rubric(sentence, f)]
    ctx.see(L, sentence)
    if not figs and not dates:
        return []
    if _tabular(L, sentence, figs):
        return []
    levels = {"level1": ctx.level1, "level2": ctx.level2}
    # a score line keeps its ；-separated deductions together
    score = _mine_score(L, sentence, figs) if any(c in sentence for c in L.weight_cues) else None
    if score is not None:
        fs = [Figure("points", score["weight"].value, score["weight"].raw, score["weight"].start, score["weight"].end),
              Figure("score", score["score"].value, score["score"].raw, score["score"].start, score["score"].end)]
        fs += [Figure("deduction", f.value, f.raw, f.start, f.end) for f in score["deductions"]]
        if not score["name"]:
            return []
        return [Fact("score", score["name"], target=score["weight"].raw, actual=score["score"].raw,
                     figures=tuple(fs), weight=score["weight"].raw, score=score["score"].raw,
                     reason=score["reason"], **levels, **base)]
    out: list[Fact] = []
    head = sentence[:figs[0].start] if figs else sentence
    sentence_target = _has_word(_compact(head), L.target_context)
    drafts: list[_Draft] = []
    for ua, ub in _split(sentence, L.piece_ends) or [(0, len(sentence))]:
        ufigs = [f for f in figs if ua <= f.start < ub]
        udates = [d for d in dates if ua <= d.start < ub]
        if not ufigs and not udates:
            continue
        if len([f for f in ufigs if f.kind == "money"]) >= 2:
            project = _mine_project(L, sentence, ua, ub, ufigs)
            if project is not None:
                fact, ufigs = project
                out.append(replace(fact, **levels, **base))
                if not ufigs:
                    continue
        drafts.extend(_mine_unit(L, sentence, ua, ub, ufigs, udates, ctx, sentence_target))
    for d in _pair(drafts):
        first = d.figs[0]
        pre = _compact(sentence[max(0, first.start - 12):first.start])
        cue = next((c for c in L.total_score_cues if pre.endswith(c) or pre.endswith(c + "为")), None)
        if cue and first.value.unit_norm == "分":
            out.append(Fact("total", cue, actual=first.raw, figures=_mk_figs(d.figs, "score"),
                            score=first.raw, **levels, **base))
            continue
        figures = (_mk_figs(d.target_figs, side="target") + _mk_figs(d.actual_figs, side="actual")
                   + _mk_figs(d.extra_figs, role="reference"))
        figures = tuple(sorted(figures, key=lambda f: f.start))
        for name in d.split_names or [d.name]:
            if not _is_name(L, name):
                continue
            out.append(Fact("indicator", name, target=_text_of(sentence, d.target_figs),
                            actual=_text_of(sentence, d.actual_figs), figures=figures, **levels, **base))
    out.sort(key=lambda f: f.figures[0].start if f.figures else 0)
    return out


def facts_to_rows(facts: list[Fact], file: str) -> list[IndicatorRow]:
    """Rows of indicators.csv for mined facts: table 0, row = the sentence's line, the
    sentence in ``detail`` (provenance) and ``fact: <kind>`` in ``extra``."""
    rows = []
    for f in facts:
        extra = [f"fact: {f.kind}"]
        if f.rate:
            extra.append(f"执行率: {f.rate}")
        rows.append(IndicatorRow(
            file=file, table=0, row=f.line, level1_filed=f.level1, level2_filed=f.level2, name=f.name,
            detail=f.sentence, target_raw=f.target, actual_raw=f.actual, weight=f.weight, score=f.score,
            deviation_note=f.reason, extra="; ".join(extra)))
    return rows

