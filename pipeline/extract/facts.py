"""Filing-level facts: department, region, year, kind and the budget totals of the header.

Schema of a :class:`FilingInfo` (one row of filings.csv): file, department, region, year, kind
(target_table / self_eval / report / library / template), layout, encoding, n_tables, n_rows, n_rejects, and
``totals`` — a mapping of budget items (资金总额, 财政拨款, 基本支出, 项目支出, 全年预算数,
全年执行数 …) to ``(number, unit)`` as stated, written to the CSV as ``item=number unit``
pairs joined by ``; ``.

The department is read from the form's own fields (``主管部门 | 宣城市公安局``), in the order
of ``configs/review.yaml: filing_info.department_fields``, and kept only when it reads as an
organisation (``219-池州市贵池区棠溪镇人民政府`` → ``池州市贵池区棠溪镇人民政府``; ``****``,
``单位负责人:张三`` or ``首页 > 信息公开`` → nothing); else the title's organisation. Not handled
yet: departments named without an organisation ending (``某某项目组``), two departments in one
field (``财政局、教育局``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from pipeline.core.config import load_yaml, require, str_list
from pipeline.core.document import Document
from pipeline.core.normalize import key
from pipeline.extract.rows import Extraction

BUDGET_ITEMS = ("资金总额", "年度资金总额", "年度预算申请", "预算数", "财政拨款", "本年财政拨款", "一般公共预算拨款",
                "政府性基金拨款", "其他资金", "基本支出", "项目支出", "全年预算数", "全年执行数", "年初预算数",
                "部门预算支出", "当年预算", "其他事业发展性支出", "财政专项资金", "项目金额", "转移支付预算数", "转移支付执行数", "预算执行率", "执行率")
_NUMBER = re.compile(r"^[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^[-+]?\d+(?:\.\d+)?$")
_INLINE = re.compile(r"([\u4e00-\u9fff]{2,10})[:：]\s*([-+]?\d[\d,]*(?:\.\d+)?)\s*(万元|元|%)?")
_UNIT = re.compile(r"(?:单位|金额)[:：]?\s*[（(]?\s*(万元|元)|[（(](万元|元)[)）]")
_LABEL_UNIT = re.compile(r"[（(](万元|元)[)）][:：]?$")
_YEAR = re.compile(r"(20\d{2})\s*年")
# computed once: describe() tries them on every cell of a filing's first rows
_ITEM_PREFIXES = tuple(p for item in BUDGET_ITEMS for p in (item + ":", item + "："))
_FISCAL_YEAR = re.compile(r"[（(]\s*(20\d{2})\s*年?度?\s*[)）]")   # 自评表(2022年度)
_YEAR_DU = re.compile(r"(20\d{2})\s*年度")


@dataclass(frozen=True, slots=True)
class InfoRules:
    """``configs/review.yaml: filing_info`` — where a filing's department is read from."""

    fields: tuple[str, ...]
    endings: tuple[str, ...]
    furniture: tuple[str, ...]


@functools.cache
def _info_rules() -> InfoRules:
    where = "configs/review.yaml: filing_info"
    data = require(load_yaml("review.yaml"), "filing_info", dict, "configs/review.yaml")
    return InfoRules(str_list(data, "department_fields", where), str_list(data, "organisation_endings", where),
                     str_list(data, "furniture", where))


@dataclass(slots=True)
class FilingInfo:
    file: str
    department: str = ""
    region: str = ""
    year: str = ""
    kind: str = ""
    layout: str = ""
    encoding: str = ""
    n_tables: int = 0
    n_rows: int = 0
    n_rejects: int = 0
    totals: dict[str, tuple[float, str]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file, "department": self.department, "region": self.region, "year": self.year,
            "kind": self.kind,
            "layout": self.layout, "encoding": self.encoding, "n_tables": self.n_tables,
            "n_rows": self.n_rows, "n_rejects": self.n_rejects,
            "totals": "; ".join(f"{k}={_fmt(v)} {u}".rstrip() for k, (v, u) in self.totals.items()),
        }


def _fmt(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".") if v != int(v) else str(int(v))


_LABEL_END = re.compile(r"[:：]")
_SEAL = re.compile(r"[（(](?:盖章|公章|签章)[)）]$")


@functools.cache
def _field_ranks() -> dict[str, int]:
    """The comparison key of each department field label -> its rank (the first when two agree)."""
    ranks: dict[str, int] = {}
    for n, d in enumerate(_info_rules().fields):
        ranks.setdefault(key(d), n)
    return ranks


@functools.lru_cache(maxsize=65536)   # cells repeat across the filings of a batch
def _cell_label(cell: str) -> tuple[str, int | None, re.Match | None, bool]:
    """What :func:`describe` reads in one cell: its key, the rank of the department field it
    labels (``单位名称（盖章）：`` → rank of 单位名称), the unit its label carries
    (``资金总额（万元）``) and whether it may hold a budget item."""
    k = key(cell)
    label = _SEAL.sub("", _LABEL_END.split(k, maxsplit=1)[0])
    rank = _field_ranks().get(label)
    # 资金总额（万元） | 100: the label carries its own unit
    mu = _LABEL_UNIT.search(k)
    label = k[: mu.start()] if mu else k
    return k, rank, mu, label.endswith(BUDGET_ITEMS) or k.startswith(_ITEM_PREFIXES)


def describe(doc: Document, ex: Extraction) -> FilingInfo:
    info = FilingInfo(file=doc.path, layout=doc.meta.get("layout", ""), encoding=doc.meta.get("encoding", ""),
                      n_tables=len({r.table for r in ex.rows}), n_rows=len(ex.rows), n_rejects=len(ex.rejects))
    head = doc.text[:6000]
    m = _UNIT.search(head)
    unit = (m.group(1) or m.group(2)) if m else ("元" if "(元)" in head or "（元）" in head else "万元")
    info.kind = _kind(doc, ex)
    info.year = _year(doc, head)
    depts: dict[int, str] = {}
    for t in doc.tables:
        for row in t.rows[:60]:
            cells = row.cells
            for i, c in enumerate(cells):
                k, rank, mu, item_cell = _cell_label(c)
                if rank is not None and rank not in depts:
                    nxt = next((x for x in cells[i + 1:] if x), "")
                    inline = c.split("：", 1)[-1].split(":", 1)[-1] if ("：" in c or ":" in c) else ""
                    dept = _organisation(_clean_dept(inline.strip() or nxt))
                    if dept:
                        depts[rank] = dept
                if not item_cell:
                    continue        # no budget item here (most cells): the loop below finds none
                label = k[: mu.start()] if mu else k
                for item in BUDGET_ITEMS:
                    if label.endswith(item) or k.startswith(item + ":") or k.startswith(item + "："):
                        num = _inline_number(c) or next((x for x in cells[i + 1:i + 3] if _NUMBER.match(key(x))), "")
                        if num and item not in info.totals:
                            u = "%" if "率" in item else (mu.group(1) if mu else unit)
                            info.totals[item] = (float(key(num).replace(",", "")), u)
    if depts:
        info.department = depts[min(depts)]
    if not info.department:
        info.department = _title_department(doc)
    info.region = _region(info.department) or _region(_title_department(doc))
    return info


# 省/自治区, then 市/州/盟/地区, then 区/县/旗/市: the administrative prefix of an organisation
_NAME_CH = r"(?:(?![省市区县旗])[\u4e00-\u9fff])"   # 池州市, 原州区: 州 is also a name character
_REGION = re.compile(rf"^(?:中共)?((?:{_NAME_CH}{{2,7}}?(?:省|自治区))?(?:{_NAME_CH}{{2,7}}?(?:市|州|盟|地区))?"
                     rf"(?:{_NAME_CH}{{1,7}}?(?:区|县|旗|市))?)")


def _region(department: str) -> str:
    """The place an organisation's name starts with: ``池州市贵池区棠溪镇人民政府`` → ``池州市贵池区``,
    ``忠县财政局`` → ``忠县``; "" when the name has none (``湖北工程学院``, ``区疾控中心``).
    Not handled yet: places without a level word (``海淀`` for 海淀区), 镇/乡 as the region."""
    m = _REGION.match(department)
    return m.group(1) if m else ""


def _organisation(text: str) -> str:
    """``text`` when it reads as an organisation's name, else "" (breadcrumbs, sentences,
    signature lines, ``****`` and other page furniture are not departments)."""
    rules = _info_rules()
    endings, furniture = rules.endings, rules.furniture
    t = re.sub(r"\s+", "", text)
    t = re.sub(r"^\d+[-－]", "", t)            # 219001-池州市贵池区棠溪镇人民政府: a unit code
    if not (3 <= len(t) <= 40) or _NUMBER.match(t) or any(w in t for w in furniture):
        return ""
    if re.search(r"[，,。；;！!？?〔〕\[\]]", t) or re.match(r"20\d{2}", t) or t.count("(") + t.count("（") \
            != t.count(")") + t.count("）"):
        return ""   # a sentence or a dated title, not a name
    return t if t.endswith(tuple(endings)) else ""


@functools.cache   # built once from the configured organisation endings, not per filing
def _title_org_pattern() -> re.Pattern[str]:
    ends = "|".join(sorted((re.escape(e) for e in _info_rules().endings), key=len, reverse=True))
    return re.compile(rf"([\u4e00-\u9fff（）()]{{2,30}}?(?:{ends}))(?=$|[\s)）(（,，:：]|\d)")


def _title_department(doc: Document) -> str:
    """The organisation a filing's title names: ``… 青神县发展和改革局`` (the title line of
    the source, else the first paragraph); "" when it names none."""
    furniture = _info_rules().furniture
    m = re.search(r"^TITLE:\s*(.+)$", doc.text[:2000], re.M)
    title = m.group(1) if m else next((p.text for p in doc.paragraphs if len(p.text) >= 6), "")
    if any(w in title for w in furniture):
        return ""   # a breadcrumb or an uploader's line: no title to read
    for cand in _title_org_pattern().findall(title):
        got = _organisation(re.sub(r"^.*?(?:年度?|表|项目|资金)(?=[\u4e00-\u9fff]{3,})", "", cand))
        if got and not re.search(r"(?:绩效|自评|目标|项目|资金|支出|专项|经费)", got):
            return got
    return ""


def _year(doc: Document, head: str) -> str:
    """The fiscal year: the title's year, else ``(2022年度)`` / ``2023年度``, else the first
    year of the text (a 填报日期 of the next year is not the filing's year)."""
    t = re.search(r"^TITLE:\s*(.+)$", doc.text[:2000], re.M)
    if t and (y := _YEAR.search(t.group(1))):
        return y.group(1)
    # (2022年度) beside the form's name anywhere; 2022年度 only where the form's title stands
    m = _FISCAL_YEAR.search(head) or _YEAR_DU.search(head[:600])
    if m:
        return m.group(1)
    years = _YEAR.findall(head)
    return years[0] if years else ""


def _clean_dept(text: str) -> str:
    """``[155]濉溪县民政局`` → ``濉溪县民政局``; ``…联合会(汇总)`` → ``…联合会``."""
    text = re.sub(r"^[\d\[\]【】（）()\-]+", "", text)
    text = re.sub(r"[（(][^（()）]*[)）]?$", "", text)
    return text.strip("（）() 　:：")


def _inline_number(text: str) -> str:
    m = re.search(r"[:：]\s*([-+]?\d[\d,]*(?:\.\d+)?)", text)
    return m.group(1) if m else ""


@dataclass(frozen=True, slots=True)
class KindRules:
    """``configs/review.yaml: document_kinds`` — how a library or a blank form shows itself."""

    head_chars: int
    library_words: tuple[str, ...]
    template_words: tuple[str, ...]
    empty_fields_min: int
    max_target_share: float
    attribute_values: tuple[str, ...]
    glued_line_rows: int
    glued_not_for: frozenset[str]
    glued_placement: frozenset[str]
    glued_cells_not_for: frozenset[str]
    not_for: dict[str, frozenset[str]]


@functools.cache
def kind_rules() -> KindRules:
    where = "configs/review.yaml: document_kinds"
    data = require(load_yaml("review.yaml"), "document_kinds", dict, "configs/review.yaml")
    not_for = require(data, "not_for", dict, where)
    return KindRules(int(require(data, "head_chars", int, where)), str_list(data, "library_words", where),
                     str_list(data, "template_words", where), int(require(data, "empty_fields_min", int, where)),
                     float(require(data, "max_target_share", (int, float), where)),
                     str_list(data, "attribute_values", where), int(require(data, "glued_line_rows", int, where)),
                     frozenset(str_list(data, "glued_not_for", where)),
                     frozenset(str_list(data, "glued_placement", where)),
                     frozenset(str_list(data, "glued_cells_not_for", where)),
                     {k: frozenset(str_list(not_for, k, f"{where}.not_for")) for k in not_for})


# 项目名称:承担单位:(盖章): a field label with nothing after it but the next label
_EMPTY_FIELD = re.compile(r"[\u4e00-\u9fff]{2,8}[:：]\s*(?=[\u4e00-\u9fff]{2,8}[:：]|[（(](?:盖章|公章)[)）])")


def _kind(doc: Document, ex: Extraction) -> str:
    roles = {r.partition("#")[0] for h in ex.headers for _, r in h}
    library = _library_or_template(doc, ex, roles)
    if library:
        return library
    if roles & {"actual", "score"}:
        return "self_eval"
    head = doc.text[:3000]
    if not ex.rows and ("报告" in head[:400] or doc.meta.get("layout") == "plain"):
        return "report"
    if "自评" in head[:600]:
        return "self_eval"
    return "target_table"


def _library_or_template(doc: Document, ex: Extraction, roles: set[str]) -> str:
    """``library``, ``template`` or "" — from what the document says it is and what it holds.

    An example of filling a form in names itself (``项目支出绩效自评表填写样例``); a blank form
    lists field labels with nothing after them (``项目名称:承担单位:(盖章)``) and fills at most
    ``max_target_share`` of its rows' targets. A library names itself (``通用共性指标库示例``,
    ``绩效评价指标体系``, a ``指标属性`` column of 定性/定量), has no target or actual column
    and fills at most that share of targets (an attribute 定性/定量 is none).
    A document without any indicator row is never a template (a report that mentions a 样表,
    or whose page fields are empty: 成文日期:浏览次数:).
    Not handled yet: a library without any of the words (a bare list of indicators), a blank
    form whose fields are table cells left empty rather than labels in running text.
    """
    rules = kind_rules()
    head = re.sub(r"\s+", "", doc.text[: rules.head_chars])
    attrs = rules.attribute_values
    # 定性 | 2: an attribute cell read as a name, the next row's number as its target
    targets = sum(1 for r in ex.rows if r.target_raw and key(r.target_raw) not in attrs and key(r.name) not in attrs)
    few = not ex.rows or targets / len(ex.rows) <= rules.max_target_share
    # a form, blank or filled in as an example, has indicator rows (a blank form its preset
    # names); a report without rows that mentions a 样表 or has empty page fields
    # (成文日期: 浏览次数:) is no template
    if ex.rows and any(w in head for w in rules.template_words):
        return "template"    # an example of filling the form in: its values are examples
    if ex.rows and few and len(_EMPTY_FIELD.findall(head)) >= rules.empty_fields_min:
        return "template"    # a blank form: its target column, if read, is empty
    if roles & {"target", "actual", "period_target"}:
        return ""        # a form with its own target or actual column: whatever it calls itself
    if few and any(w in head for w in rules.library_words):
        return "library"
    return ""
