"""Value cells read with their row (name, 计量单位, table unit) and the families of issue 13.

Every example is made up in the shape of real cells; none is copied from a filing.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pipeline.values.parse import Quantity, parse_value, parse_value_uncached
from pipeline.values.context import name_kind, table_unit_of


def _is(v, **want):
    for k, w in want.items():
        got = getattr(v, k)
        if isinstance(w, float) and got is not None:
            assert abs(got - w) < 1e-9, (v.raw, k, got, w)
        else:
            assert got == w, (v.raw, k, got, w)


# ------------------------------------------------------------------ measure words (量词)

@pytest.mark.parametrize("text,value,norm", [
    ("3500公斤", 3500.0, "千克"), ("120万粒", 1200000.0, "粒"), ("≥30组", 30.0, "组"), ("≥85村", 85.0, "村"),
    ("发放 1800 袋大米", 1800.0, "袋"), ("≥40M", 40.0, "米"), ("12盏", 12.0, "盏"), ("6艘", 6.0, "艘"),
    ("≥9个社区", 9.0, "个"), ("16镇街", 16.0, "镇街"), ("48课时", 48.0, "课时"),
])
def test_measure_word_after_a_number_is_a_count_unit(text, value, norm):
    _is(parse_value(text), kind="count", value=value, unit_norm=norm)


def test_measure_words_after_a_lone_yi_are_idioms_not_counts():
    # 一站式 / 一票否决 read as "1 站" would give a sentence a number it does not have
    assert parse_value("实行一站式服务").kind == "qualitative"
    assert parse_value("落实安全生产一票否决制度").kind == "qualitative"
    _is(parse_value("三条"), kind="count", value=3.0)


def test_a_measure_word_starting_a_word_is_no_unit():
    # 组 of 组织, 支 of 支出: the number stays without a unit
    _is(parse_value("2019年5月18组织验收"), unit_norm="")
    _is(parse_value("预计300支出"), kind="count", value=300.0, unit_norm="")
    _is(parse_value("安装45盏"), kind="count", value=45.0, unit_norm="盏")


def test_page_counts_are_no_measure():
    assert parse_value("共12页").unit_norm == ""


def test_a_year_under_a_rate_name_is_no_percent():
    _is(parse_value("2021", name="群众满意度"), kind="count", value=2021.0, basis="cell")


def test_non_count_units_keep_their_kind():
    _is(parse_value("≤7天"), kind="duration", unit_norm="天")
    _is(parse_value("35元"), kind="money", value=35.0)
    _is(parse_value("≥92%"), kind="percent", value=92.0)


# ------------------------------------------------------------------ long statements and vague wording

def test_long_number_free_statements_are_wordings_checked_for_vagueness():
    v = parse_value("切实增强了社区群众的消防安全意识,有力推动了基层治理能力建设。")
    _is(v, kind="qualitative", vague=True, direction="increase", status="ok")
    # a purpose or activity without a standard is vague, whatever its length
    _is(parse_value("向群众公开项目进展及资金拨付信息"), kind="qualitative", vague=True)
    _is(parse_value("整理有关地方志的资料,如:档案、图片等。"), kind="qualitative", vague=True)
    # a statement naming a standard or completeness is checkable
    _is(parse_value("严格按照相关管理办法执行"), kind="qualitative", vague=False)
    _is(parse_value("按期完成全部维修任务"), kind="qualitative", vague=False)


def test_whole_cell_vague_words_but_not_a_scale():
    _is(parse_value("高"), kind="qualitative", vague=True)
    _is(parse_value("较好"), kind="qualitative", vague=True)
    _is(parse_value("高中低"), kind="qualitative", vague=False)
    _is(parse_value("农民增收"), kind="qualitative", vague=True, direction="increase")


def test_digits_that_are_no_quantity_leave_a_wording():
    # 周年 is an anniversary, not a duration
    v = parse_value("宣传建县70周年以来的建设成就")
    assert v.kind == "qualitative" and v.value is None
    assert parse_value("70周年").kind != "duration"


# ------------------------------------------------------------------ 为 and dates

def test_wei_before_the_number():
    _is(parse_value("资金拨付率为 98.5%"), kind="percent", op="=", value=98.5)
    _is(parse_value("为 36 名残疾人提供康复服务"), kind="count", op="", value=36.0, unit_norm="人")


@pytest.mark.parametrize("text,year,op,date", [
    ("截至 9 月底", 2024, "<=", "2024-09"),
    ("截止11月", None, "<=", "--11"),
    ("2025年年底前", None, "<", "2025-12-31"),
    ("2023.04-2023.10", None, "range", "2023-04/2023-10"),
    ("全年", 2022, "", "2022"),
    ("当年度", 2023, "", "2023"),
    ("年度内", None, "", ""),
])
def test_dates(text, year, op, date):
    _is(parse_value(text, year=year), kind="date", op=op, date=date)


def test_a_year_dot_month_with_an_amount_is_no_date():
    _is(parse_value("2023.12万元"), kind="money", value=20231200.0)


# ------------------------------------------------------------------ several quantities

def test_every_quantity_of_a_cell_is_kept():
    v = parse_value("开展义诊 12 场服务 640 人次")
    _is(v, kind="count", value=12.0, unit_norm="场")
    assert v.secondary == (Quantity(640.0, "人次", "人次"),)
    v = parse_value("受理两类补贴申请 860 户")
    _is(v, kind="count", value=860.0, unit_norm="户")
    assert [q.unit_norm for q in v.secondary] == ["类"] or [q.value for q in v.secondary] in ([], [2.0])
    v = parse_value("满分 10 分，实际得分 9.5 分")
    _is(v, kind="count", value=9.5, unit_norm="分")
    assert v.secondary == (Quantity(10.0, "分", "分"),)


def test_chinese_numeral_modifier_gives_way_to_the_arabic_quantity():
    v = parse_value("审核四项补贴 730 人次")
    _is(v, value=730.0, unit_norm="人次")
    assert Quantity(4.0, "项", "项") in v.secondary


# ------------------------------------------------------------------ the row's context

def test_unit_column_with_wan_is_not_multiplied_twice():
    _is(parse_value("≤45万", unit_hint="万元"), kind="money", op="<=", value=450000.0, basis="unit column")


@pytest.mark.parametrize("text,name,table_unit,kind,value,norm,basis", [
    ("1", "适龄儿童入学覆盖率", None, "percent", 100.0, "%", "name"),
    ("0", "安全事故发生比例", None, "percent", 0.0, "%", "name"),
    ("0.92", "补助资金到位率", None, "percent", 92.0, "%", "name"),
    ("96", "群众满意度", None, "percent", 96.0, "%", "name"),
    ("≤35万", "设备维护成本", None, "money", 350000.0, "元", "name"),
    ("150万", "项目资金", None, "money", 1500000.0, "元", "name"),
    ("150万", "项目资金", "万元", "money", 1500000.0, "元", "name"),
    ("42.5", "培训经费", "万元", "money", 425000.0, "元", "table unit"),
    ("2400", "补贴发放人数", None, "count", 2400.0, "人", "name"),
    ("14", "巡查次数", None, "count", 14.0, "次", "name"),
    ("1200", "受益对象", None, "count", 1200.0, "", "cell"),           # no cue: the cell alone
    ("≥5", "食品抽检批次", None, "count", 5.0, "批次", "name"),        # the name ends with a unit
    ("≥40", "教师人均培训学时", None, "count", 40.0, "学时", "name"),
    ("15", "修缮乡村道路8.5公里", None, "count", 15.0, "", "cell"),     # a quantity inside the name
    ("30", "保障社区网格员人数", None, "count", 30.0, "人", "name"),     # an action still counts 人
    ("≥95%", "经费", None, "percent", 95.0, "%", "cell"),              # a unit in the cell wins
    ("12", "完成设备采购并支付资金", None, "count", 12.0, "", "cell"),  # an action: its noun is the object
])
def test_context_types_an_open_unit(text, name, table_unit, kind, value, norm, basis):
    _is(parse_value(text, name=name, table_unit=table_unit), kind=kind, value=value, unit_norm=norm, basis=basis)


def test_unit_column_wins_over_the_name():
    _is(parse_value("0.5", unit_hint="%", name="事故发生率"), kind="percent", value=0.5, basis="unit column")


def test_bare_amount_under_a_money_name_without_any_unit_stays_a_number():
    # 元 or 万元 cannot be told: no amount is made up, and the review asks for the unit
    _is(parse_value("28", name="项目资金"), kind="count", value=28.0, unit_norm="", money_yuan=None, basis="cell")


def test_name_kind_takes_the_cue_nearest_the_end():
    assert name_kind("补助资金到位率") == ("percent", "")
    assert name_kind("补助发放人数") == ("count", "人")
    assert name_kind("补助发放") == ("money", "")
    assert name_kind("受益对象") is None


def test_table_unit_line():
    assert table_unit_of("某某项目\n金额单位：万元\n一级指标") == "万元"
    assert table_unit_of("单位(元)") == "元"
    assert table_unit_of("没有单位行") is None


# ------------------------------------------------------------------ properties with context

_names = st.one_of(st.none(), st.sampled_from(["资金到位率", "项目资金", "受益人数", "成本", "完成采购", ""]),
                   st.text(max_size=12))
_units = st.one_of(st.none(), st.sampled_from(["万元", "元", "亿元", "%", "", "xx"]), st.text(max_size=4))
_cells = st.one_of(st.text(max_size=24), st.lists(st.sampled_from(
    ["1", "0", "0.95", "250", "万", "≥", "≤", "%", "元", "人", "为", "率", "截至", "月底", "满分", "分", "三项", "袋", " "]),
    max_size=10).map("".join))


@settings(max_examples=300, deadline=None)
@given(_cells, _units, _names, _units, st.one_of(st.none(), st.integers(1990, 2030)))
def test_never_raises_and_is_deterministic_with_context(text, hint, name, table_unit, year):
    a = parse_value_uncached(text, unit_hint=hint, name=name, table_unit=table_unit, year=year)
    assert not a.reason.startswith("internal error"), a.reason
    assert a == parse_value_uncached(text, unit_hint=hint, name=name, table_unit=table_unit, year=year)
    assert a == parse_value(text, unit_hint=hint, name=name, table_unit=table_unit, year=year)
    assert a.basis in ("cell", "unit column", "name", "table unit")
    json.dumps(a.to_dict(), ensure_ascii=False)


# ------------------------------------------------------------------ the values command

def _run(args):
    from pipeline.cli.main import app

    return CliRunner().invoke(app, ["values", *args])


def test_values_command_refuses_to_overwrite_an_input_column(tmp_path):
    src = tmp_path / "in.tsv"
    src.write_text("name\ttarget\tstatus\n资金到位率\t1\t已审\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    r = _run(["-i", str(src), "--column", "target", "-o", str(out)])
    assert r.exit_code == 2 and "--prefix" in r.output and "status" in r.output
    assert not out.exists()
    r = _run(["-i", str(src), "--column", "target", "--name-column", "name", "--prefix", "target_", "-o", str(out)])
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0]["status"] == "已审"                       # the input column is kept as it was
    assert rows[0]["target_kind"] == "percent" and rows[0]["target_value"] == "100"
    assert rows[0]["target_basis"] == "name"


def test_values_command_names_a_missing_column(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("target\n≥90%\n", encoding="utf-8")
    r = _run(["-i", str(src), "--column", "target", "--name-column", "指标名称", "-o", str(tmp_path / "o.csv")])
    assert r.exit_code == 2 and "指标名称" in r.output


# ------------------------------------------------------------------ the rows of jixiao clean

def test_clean_reads_each_value_with_its_row():
    from pipeline.extract.rows import IndicatorRow
    from pipeline.values.typed import typed_values

    rate = IndicatorRow("f.txt", 1, 3, "产出指标", "质量指标", "设备验收合格率", target_raw="1", actual_raw="0.98")
    t, a = typed_values(rate, 2024)
    _is(t, kind="percent", value=100.0, basis="name")
    _is(a, kind="percent", value=98.0, basis="name")
    # a row filed under 成本 is a money row, whatever its name says; the unit line scales it
    cost = IndicatorRow("f.txt", 1, 4, "成本指标", "经济成本指标", "设备购置", target_raw="≤60万")
    _is(typed_values(cost, 2024)[0], kind="money", op="<=", value=600000.0, basis="name")
    cost2 = IndicatorRow("f.txt", 1, 5, "成本指标", "经济成本指标", "设备购置", target_raw="≤12.5")
    _is(typed_values(cost2, 2024, "万元")[0], kind="money", value=125000.0, basis="table unit")
    # the row's points read into the value column are not typed by the name
    pts = IndicatorRow("f.txt", 1, 7, "满意度指标", "服务对象满意度指标", "受益群众满意度", target_raw="10", weight="10",
                       score="10")
    _is(typed_values(pts, 2024)[0], kind="count", value=10.0, basis="cell")
    # the 计量单位 column wins over the name
    unit = IndicatorRow("f.txt", 1, 6, "产出指标", "数量指标", "培训经费", target_raw="300", unit_raw="人次")
    _is(typed_values(unit, 2024)[0], kind="count", unit_norm="人次", basis="unit column")


# ------------------------------------------------------------------ count names (…数, …数量)

@pytest.mark.parametrize("name,text,kind,value,norm", [
    ("补助养殖渔船数", "30", "count", 30.0, ""),                   # a money word inside a count name
    ("专项经费补助对象数量", "≤1.2万", "count", 12000.0, ""),        # never money
    ("专项经费补助乡镇(街道)数量", "≤6", "count", 6.0, "乡镇"),      # the brackets are skipped
    ("改造农户户数", "120", "count", 120.0, "户"),                  # the unit just before 数
    ("帮扶行政村数量", "12", "count", 12.0, "村"),
    ("举办培训期数", "4", "count", 4.0, "期"),
    ("新增养老床位数", "80", "count", 80.0, "张"),                  # 床位 is counted in 张
    ("受益人口数", "1.5万", "count", 15000.0, "人"),                # 万 multiplied out, 人口 → 人
    ("补贴发放人次数", "900", "count", 900.0, "人次"),              # the longest unit: 人次, not 次
    ("补贴达标率数量", "95", "count", 95.0, ""),                    # the ending wins over 率
])
def test_a_name_ending_with_a_count_word_types_a_bare_number_as_a_count(name, text, kind, value, norm):
    _is(parse_value(text, name=name), kind=kind, value=value, unit_norm=norm, money_yuan=None)


def test_count_endings_that_count_nothing_or_sum_money():
    assert name_kind("绩效调节系数") is None                      # a coefficient, no count
    assert name_kind("空气质量指数") is None
    assert name_kind("全年预算数") == ("money", "")                 # the 数 of a budget table is money
    _is(parse_value("12.5", name="年初预算执行数", table_unit="万元"), kind="money", value=125000.0)


def test_a_count_name_in_a_cost_row_stays_a_count():
    from pipeline.values.typed import row_context

    hint, name = row_context("补助渔船数", "", "成本指标经济成本指标")
    _is(parse_value("≤60万", unit_hint=hint, name=name), kind="count", money_yuan=None)


# ------------------------------------------------------------------ figures per a measure word

@pytest.mark.parametrize("text,kind,value,unit_norm", [
    ("380元/人天", "money", 380.0, "元/人·天"),        # a period after 人 without a joint
    ("25元/人·次", "money", 25.0, "元/人·次"),
    ("2万元/公里", "money", 20000.0, "元/公里"),
    ("≤45元/户年", "money", 45.0, "元/户·年"),
    ("260元/延米", "money", 260.0, "元/米"),           # any measure word is a denominator
    ("≤16.50/株", "count", 16.5, "/株"),               # no money word: a rate per 株, not a plain count
    ("苗木补助12/株", "money", 12.0, "元/株"),          # a money word before it: money per 株
    ("≥3/月", "count", 3.0, "/月"),                    # a figure per period: a frequency
])
def test_a_figure_per_a_measure_word_keeps_its_per_part(text, kind, value, unit_norm):
    _is(parse_value(text), kind=kind, value=value, unit_norm=unit_norm)


def test_a_figure_per_a_measure_word_read_with_its_row():
    _is(parse_value("≤16.50/株", name="苗木采购单价"), kind="money", unit_norm="元/株", money_yuan=16.5, basis="name")
    _is(parse_value("0.3/户", unit_hint="万元"), kind="money", value=3000.0, unit_norm="元/户", basis="unit column")
    _is(parse_value("2/户", name="每户发放米面袋数"), kind="count", unit_norm="袋/户", basis="name")


# ------------------------------------------------------------------ labelled figures in one cell

@pytest.mark.parametrize("text,value,unit_norm,secondary", [
    ("计划 30 完成 28", 30.0, "", [(28.0, "")]),
    ("目标值 90 实际 93", 90.0, "", [(93.0, "")]),
    ("目标值85%实际88", 85.0, "%", [(88.0, "%")]),          # the bare figure takes the value's unit
    ("计划12场，实际11场", 12.0, "场", [(11.0, "场")]),
    ("计划: 6 ; 完成: 6", 6.0, "", [(6.0, "")]),
])
def test_labelled_figures_first_is_the_value_the_others_secondary(text, value, unit_norm, secondary):
    v = parse_value(text)
    _is(v, value=value, unit_norm=unit_norm, direction="", status="ok")
    assert [(q.value, q.unit_norm) for q in v.secondary] == secondary


def test_labelled_figures_are_typed_together_by_the_row():
    v = parse_value("目标值 0.9 实际 0.95", name="补助资金到位率")
    _is(v, kind="percent", value=90.0, basis="name")
    assert [(q.value, q.unit_norm) for q in v.secondary] == [(95.0, "%")]
    v = parse_value("计划 20 完成 18", unit_hint="万元")
    _is(v, kind="money", value=200000.0)
    assert [(q.value, q.unit_norm) for q in v.secondary] == [(180000.0, "元")]


# ------------------------------------------------------------------ properties of the values command

_field = st.one_of(_cells, st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=16))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_field, _field, _field), min_size=1, max_size=4),
       st.sampled_from([".csv", ".tsv"]), st.booleans(), st.one_of(st.none(), st.sampled_from(["万元", "元"])))
def test_values_command_batch_never_fails_and_is_deterministic(tmp_path_factory, rows, ext, context, table_unit):
    # any cell text, name or unit (commas, tabs, quotes, line breaks, U+2028 …): the command
    # writes one typed row per input row, the input columns as they were, twice the same bytes
    d = tmp_path_factory.mktemp("values")
    src = d / f"in{ext}"
    with src.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter="\t" if ext == ".tsv" else ",").writerows(
            [("指标名称", "指标值", "计量单位"), *rows])
    args = ["-i", str(src), "--column", "指标值", "--prefix", "t_"]
    if context:
        args += ["--name-column", "指标名称", "--unit-column", "计量单位"]
    if table_unit:
        args += ["--table-unit", table_unit]
    outs = []
    for k in (1, 2):
        r = _run([*args, "-o", str(d / f"out{k}.csv")])
        assert r.exit_code == 0, (r.output, r.exception)
        outs.append((d / f"out{k}.csv").read_bytes())
    assert outs[0] == outs[1]
    got = list(csv.DictReader(io.StringIO(outs[0].decode("utf-8-sig"), newline="")))
    assert [(g["指标名称"], g["指标值"], g["计量单位"]) for g in got] == [tuple(x) for x in rows]
    assert all(g["t_kind"] and g["t_basis"] in ("cell", "unit column", "name", "table unit") for g in got)
    assert not any(g["t_status"] not in ("ok", "partial", "unparsed") for g in got)


@settings(max_examples=60, deadline=None)
@given(st.lists(_cells, min_size=1, max_size=3), st.one_of(st.none(), _names),
       st.one_of(st.none(), st.sampled_from(["万元", "人", "%"])), st.one_of(st.none(), st.integers(1990, 2030)))
def test_values_command_texts_never_fail_and_are_deterministic(texts, name, unit, year):
    args = [*(["--name", name] if name else []), *(["--unit", unit] if unit else []),
            *(["--year", str(year)] if year else []), "--", *texts]
    a, b = _run(args), _run(args)
    assert a.exit_code == 0, (a.output, a.exception)
    assert a.output == b.output
    lines = [json.loads(x) for x in a.output.split("\n") if x]
    assert [x["raw"] for x in lines] == texts
    assert not any(x["reason"].startswith("internal error") for x in lines)


def test_values_command_texts_read_with_a_name():
    r = _run(["--name", "补助资金到位率", "0.98"])
    assert r.exit_code == 0, r.output
    got = json.loads(r.output.split("\n")[0])
    assert (got["kind"], got["value"], got["basis"]) == ("percent", 98.0, "name")


# ------------------------------------------------------------------ vague wording families

@pytest.mark.parametrize("text,direction", [
    ("加快推进", "increase"), ("力争按期完成", "complete"), ("初步建成", ""), ("社会影响深远", ""),
    ("风险逐步化解", "decrease"), ("服务水平稳固", "maintain"), ("中等", ""), ("很强", ""),
    ("尽可能扩大受益面", "increase"),
])
def test_vague_families_hedges_sizes_without_number_and_changes(text, direction):
    _is(parse_value(text), kind="qualitative", vague=True, direction=direction)


@pytest.mark.parametrize("text", ["部分达成", "有获奖", "有", "保障到位", "符合相关规定", "高中低", "按期完工"])
def test_graded_concrete_and_standard_wordings_are_not_vague(text):
    assert parse_value(text).vague is False


# ------------------------------------------------------------------ sessions named by a span, negated wording

@pytest.mark.parametrize("text,direction", [
    ("1-4期讲座结束后按时评估", "complete"),
    ("1-3批次检测结束后出具报告", ""),
    ("1-2轮督查未能按时完成", ""),            # the completion is negated
])
def test_a_span_from_the_first_session_followed_by_words_is_no_quantity(text, direction):
    _is(parse_value(text), kind="qualitative", value=None, direction=direction)


def test_a_span_of_sessions_alone_or_not_from_the_first_is_still_a_quantity():
    _is(parse_value("1-6期"), kind="count", op="range", value=1.0, value_high=6.0)
    _is(parse_value("3-5期培训"), kind="count", op="range", value=3.0)


@pytest.mark.parametrize("text,direction", [
    ("资金未到位", ""), ("检测不达标", ""), ("尚未完成验收", ""), ("按时完成", "complete"),
    ("不断提高", "increase"),                 # 不断 is no negation of a direction word
])
def test_a_negated_direction_word_gives_no_direction(text, direction):
    assert parse_value(text).direction == direction


# ------------------------------------------------------------------ quarters, halves, percents in words

@pytest.mark.parametrize("text,year,op,date", [
    ("2025年第二季度", None, "range", "2025-04/2025-06"),
    ("四季度", 2024, "range", "2024-10/2024-12"),
    ("第1季度前完成", 2023, "<=", "2023-03"),        # by the quarter's end
    ("三季度末", None, "", "--09"),
    ("下半年", 2022, "range", "2022-07/2022-12"),
    ("2026年度上半年前", None, "<=", "2026-06"),
])
def test_a_quarter_or_half_year_is_a_span_of_months(text, year, op, date):
    _is(parse_value(text, year=year), kind="date", op=op, date=date)


def test_quarters_that_are_no_date():
    _is(parse_value("3个季度"), kind="duration", value=3.0)       # a length of time
    _is(parse_value("每季度"), kind="date", date="", status="partial")   # a schedule


@pytest.mark.parametrize("text,op,value", [
    ("百分之八十", "", 80.0), ("不低于百分之九十", ">=", 90.0), ("百分之百", "", 100.0),
    ("百分之92.5", "", 92.5), ("覆盖率达百分之七十以上", ">=", 70.0),
])
def test_a_percent_in_words(text, op, value):
    v = parse_value(text)
    _is(v, kind="percent", op=op, value=value, unit_norm="%", raw=text)
    assert "百分之" in text[v.span[0]:v.span[1]]


# ------------------------------------------------------------------ time and score names

@pytest.mark.parametrize("text,name,kind,date,norm", [
    ("2025", "设备安装完成时间", "date", "2025", ""),           # a bare year under a time name
    ("≤2024", "项目验收期限", "date", "2024", ""),
    ("10", "项目验收期限", "count", "", ""),                    # not a year: left as read
    ("88", "绩效考核得分", "count", "", "分"),
    ("0.9", "绩效考核得分率", "percent", "", "%"),               # the rate ends the name
])
def test_time_and_score_names(text, name, kind, date, norm):
    _is(parse_value(text, name=name), kind=kind, date=date, unit_norm=norm)


def test_a_vague_word_inside_a_noun_makes_nothing_vague():
    _is(parse_value("完成健康体检"), vague=False, direction="complete")
    _is(parse_value("建立健康档案"), vague=False)
    _is(parse_value("身体健康"), vague=True)                  # the word itself still is
    _is(parse_value("效果显著"), vague=True)


# ------------------------------------------------------------------ 千 / 百 multipliers, a bound restated

@pytest.mark.parametrize("text,kind,value,norm", [
    ("6千人", "count", 6000.0, "人"), ("≥2千株", "count", 2000.0, "株"), ("3百万元", "money", 3000000.0, "元"),
    ("1.5千万元", "money", 15000000.0, "元"), ("4百余户", "count", 400.0, "户"),
    ("近千人", "count", 1000.0, "人"),
    ("5千米", "count", 5.0, "公里"),           # 千米 is a unit: the multiplier is blocked before it
    ("8千元", "money", 8000.0, "元"), ("96百分比", "percent", 96.0, "%"),
])
def test_qian_and_bai_multiply_unless_they_start_a_unit(text, kind, value, norm):
    _is(parse_value(text), kind=kind, value=value, unit_norm=norm)


def test_a_unit_alone_is_no_value():
    assert parse_value("千元").kind == "placeholder"
    assert parse_value("百分比").kind == "placeholder"


def test_a_bound_restated_in_brackets_is_no_secondary():
    _is(parse_value("≥97%（含97%）"), op=">=", value=97.0, secondary=())
    assert parse_value("100%（含1200人）").secondary == (Quantity(1200.0, "人", "人"),)


# ------------------------------------------------------------------ 每 + a denominator before the quantity

@pytest.mark.parametrize("text,op,value,norm", [
    ("每月开展1次", "", 1.0, "次/月"), ("每季度至少召开2次", ">=", 2.0, "次/季度"), ("每年3次", "", 3.0, "次/年"),
    ("每人每月补助260元", "", 260.0, "元/人·月"), ("每亩150元", "", 150.0, "元/亩"),
    ("每个社区3名", "", 3.0, "人"),              # 每个 is a determiner: no rate
])
def test_mei_and_a_denominator_before_the_quantity_make_a_rate(text, op, value, norm):
    _is(parse_value(text), op=op, value=value, unit_norm=norm)
    assert parse_value(text).status == "ok" or text.startswith("每个")


def test_mei_schedules_and_deadlines_are_unchanged():
    _is(parse_value("每年12月底前"), kind="date", op="<")
    _is(parse_value("每月25日"), kind="date", status="partial")


@pytest.mark.parametrize("text,name,kind,value,norm", [
    ("12", "专项资金(万元)", "money", 120000.0, "元"),
    ("3.2", "受益人口（万人）", "count", 32000.0, "人"),
    ("240", "补助标准(元/人)", "money", 240.0, "元/人"),
    ("4.5", "新建道路(公里)", "count", 4.5, "公里"),
    ("5", "覆盖县(市、区)", "count", 5.0, ""),              # places in brackets, no unit
])
def test_a_unit_in_the_names_closing_brackets_is_the_unit_hint(text, name, kind, value, norm):
    _is(parse_value(text, name=name), kind=kind, value=value, unit_norm=norm)
    assert parse_value(text, name=name).basis == ("name" if norm else "cell")


@pytest.mark.parametrize("text", ["建成区域物流配送中心并投入使用", "获得市级文明单位荣誉称号", "保障机关单位日常正常运转",
                                  "建立农村公路养护管理机制"])
def test_a_long_statement_naming_a_deliverable_or_event_is_checkable(text):
    _is(parse_value(text), kind="qualitative", vague=False)


# ------------------------------------------------------------------ currency signs, 大写 amounts

@pytest.mark.parametrize("text,op,value", [
    ("¥380", "", 380.0), ("￥1,500.00", "", 1500.0), ("RMB20万", "", 200000.0), ("人民币30万元", "", 300000.0),
    ("≥¥600", ">=", 600.0), ("不超过￥2000", "<=", 2000.0),
    ("叁拾万元", "", 300000.0), ("壹仟伍佰圆整", "", 1500.0),
])
def test_currency_signs_and_capital_numerals_are_money(text, op, value):
    _is(parse_value(text), kind="money", op=op, value=value, unit_norm="元", raw=text, status="ok")


def test_capital_numeral_characters_in_words_are_no_amount():
    assert parse_value("加强队伍建设").value is None
    _is(parse_value("陆续开展3场"), kind="count", value=3.0)
