"""Tests of the typed value parser (pipeline/values/parse.py) against tests/golden/values.tsv."""

from __future__ import annotations

import csv
import json
import math
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.values import parse as values
from pipeline.core.errors import ConfigError
from pipeline.values.parse import Quantity, Value, parse_value, parse_value_uncached
from pipeline.values.lexicon import lexicon

GOLDEN_PATH = Path(__file__).parent / "golden" / "values.tsv"


def _load_golden() -> list[dict[str, str]]:
    with GOLDEN_PATH.open(encoding="utf-8", newline="") as f:
        lines = [line for line in f if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


GOLDEN = _load_golden()
SUPPORTED = [r for r in GOLDEN if r["supported"] == "yes"]
FIELDS = ("kind", "op", "value", "value_high", "unit_norm", "money_yuan", "date", "secondary", "direction", "vague")


def _num(text: str) -> float | None:
    return float(text) if text != "" else None


def _same_num(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _parse_row(row: dict[str, str]) -> Value:
    return parse_value(row["text"], unit_hint=row["unit_hint"] or None, year=int(row["year"]) if row["year"] else None)


def _mismatches(row: dict[str, str], v: Value) -> list[str]:
    """Fields where the parse differs from the golden row (strict: every field must agree)."""
    want_sec = [(float(a), b) for a, b in (s.split(":", 1) for s in row["secondary"].split("|") if s)]
    got_sec = [(q.value, q.unit_norm) for q in v.secondary]
    checks = {
        "kind": v.kind == row["kind"],
        "op": v.op == row["op"],
        "value": _same_num(v.value, _num(row["value"])),
        "value_high": _same_num(v.value_high, _num(row["value_high"])),
        "unit_norm": v.unit_norm == row["unit_norm"],
        "money_yuan": _same_num(v.money_yuan, _num(row["money_yuan"])),
        "date": v.date == row["date"],
        "secondary": len(want_sec) == len(got_sec)
        and all(_same_num(a[0], b[0]) and a[1] == b[1] for a, b in zip(want_sec, got_sec)),
        "direction": v.direction == row["direction"],
        "vague": v.vague == (row["vague"] == "yes"),
    }
    return [f"{k}: got {getattr(v, k)!r}, want {row[k]!r}" for k in FIELDS if not checks[k]]


@pytest.mark.parametrize("row", SUPPORTED, ids=[f"{i}-{r['group']}" for i, r in enumerate(SUPPORTED)])
def test_values_golden_supported_row(row):
    v = _parse_row(row)
    assert not _mismatches(row, v), f"{row['text']!r} (hint {row['unit_hint']!r}): {_mismatches(row, v)}"


def test_values_golden_accuracy_summary(capsys):
    right_sup = sum(not _mismatches(r, _parse_row(r)) for r in SUPPORTED)
    unsupported = [r for r in GOLDEN if r["supported"] != "yes"]
    right_all = right_sup + sum(not _mismatches(r, _parse_row(r)) for r in unsupported)
    acc_sup, acc_all = right_sup / len(SUPPORTED), right_all / len(GOLDEN)
    with capsys.disabled():
        print(f"\nvalues golden: {len(GOLDEN)} rows, strict accuracy {acc_sup:.4f} on {len(SUPPORTED)} supported, "
              f"{acc_all:.4f} overall; {len(unsupported)} rows marked supported=no:")
        for r in unsupported:
            print(f"  [{r['group']}] {r['text']}")
    assert acc_sup >= 0.99


def test_values_golden_file_is_real_deduplicated_and_covers_every_group():
    keys = Counter((r["text"], r["unit_hint"]) for r in GOLDEN)
    assert not [k for k, n in keys.items() if n > 1]
    assert sum(r["source"] != "brief" for r in GOLDEN) >= 450
    groups = {r["group"] for r in GOLDEN}
    for g in ("percent", "percent_with_secondary", "comparator_words", "count_units", "money_wan", "money_yuan",
              "chinese_numerals", "dates", "deadlines", "durations", "recurring", "qualitative_vague",
              "qualitative_concrete", "placeholders", "category_in_value", "sentences", "unit_hint", "rate_units",
              "actual_values"):
        assert g in groups
    for r in GOLDEN:
        assert r["kind"] in ("count", "percent", "money", "date", "duration", "qualitative", "boolean", "empty",
                             "placeholder", "text"), r
        assert r["supported"] in ("yes", "no") and r["vague"] in ("yes", "no"), r


# ------------------------------------------------------------------ the docstring's worked examples

def _check(v: Value, **want):
    for k, w in want.items():
        got = getattr(v, k)
        if isinstance(w, float):
            assert _same_num(got, w), (v.raw, k, got, w)
        else:
            assert got == w, (v.raw, k, got, w)


def test_values_example_percent_comparator():
    _check(parse_value("≥95%"), kind="percent", op=">=", value=95.0, unit_norm="%", status="ok")
    _check(parse_value("出勤率达90%"), kind="percent", op=">=", value=90.0, direction="")
    _check(parse_value("≥98百分比"), kind="percent", op=">=", value=98.0, unit="百分比", unit_norm="%")
    _check(parse_value("0.0738‰"), kind="percent", value=0.00738, unit="‰")


def test_values_example_percent_with_secondary():
    v = parse_value("100%(3133人)")
    _check(v, kind="percent", value=100.0, secondary=(Quantity(3133.0, "人", "人"),))
    v = parse_value("100%(115人,20家企业)")
    assert v.secondary == (Quantity(115.0, "人", "人"), Quantity(20.0, "家企业", "家"))


def test_values_example_money():
    _check(parse_value("超过 34.13 万元"), kind="money", op=">", value=341300.0, money_yuan=341300.0, unit="万元", unit_norm="元")
    _check(parse_value("483.09", unit_hint="万元"), kind="money", value=4830900.0, money_yuan=4830900.0)
    _check(parse_value("583元/人*月"), kind="money", value=583.0, unit_norm="元/人·月")
    _check(parse_value("儿童康复25万"), kind="money", value=250000.0, unit="万", unit_norm="元")
    _check(parse_value("25万"), kind="count", value=250000.0, unit="万", unit_norm="")


def test_values_example_counts_and_chinese_numerals():
    _check(parse_value("1.7 万名"), kind="count", value=17000.0, unit_norm="人")
    _check(parse_value("近百名"), kind="count", op="~", value=100.0, unit_norm="人")
    _check(parse_value("一千二百人"), kind="count", value=1200.0, unit_norm="人")
    _check(parse_value("两万元"), kind="money", value=20000.0)
    _check(parse_value("4000余名"), kind="count", op=">", value=4000.0)
    _check(parse_value("57,157,686.73"), kind="count", value=57157686.73, unit="", status="ok")
    _check(parse_value("预计资助1920例。"), kind="count", value=1920.0, unit_norm="例", date="")


def test_values_example_range():
    _check(parse_value("85%-98%"), kind="percent", op="range", value=85.0, value_high=98.0)
    _check(parse_value("10至20人"), kind="count", op="range", value=10.0, value_high=20.0, unit_norm="人")


def test_values_example_dates_and_deadlines():
    _check(parse_value("12月之前"), kind="date", op="<", date="--12")
    _check(parse_value("12月之前", year=2023), kind="date", op="<", date="2023-12")
    _check(parse_value("2023年底"), kind="date", op="", date="2023-12-31")
    _check(parse_value("年底", year=2023), date="2023-12-31")
    _check(parse_value("2023年12月"), kind="date", op="", date="2023-12")
    _check(parse_value("及时（10月）"), kind="date", op="<=", date="--10", direction="complete")
    _check(parse_value("及时（11月之前）"), kind="date", op="<", date="--11")
    _check(parse_value("2023年度"), kind="date", date="2023")


def test_values_example_durations_and_recurring():
    _check(parse_value("自申请之日起15个工作日内"), kind="duration", op="<=", value=15.0, unit_norm="工作日")
    _check(parse_value("12个月"), kind="duration", value=12.0, unit_norm="月", date="")
    v = parse_value("及时（每月25日，周末顺延）")
    _check(v, kind="date", date="", status="partial", reason="recurring schedule")


def test_values_example_qualitative_boolean_placeholder_empty():
    _check(parse_value("稳步提升"), kind="qualitative", direction="increase", vague=True)
    _check(parse_value("应保尽保"), kind="qualitative", direction="complete", vague=False)
    _check(parse_value("有获奖"), kind="qualitative", vague=False)
    _check(parse_value("是"), kind="boolean", value=1.0)
    _check(parse_value("否"), kind="boolean", value=0.0)
    _check(parse_value("时效指标"), kind="placeholder", reason="category name in value cell")
    _check(parse_value("……"), kind="placeholder")
    _check(parse_value("无"), kind="placeholder")
    _check(parse_value("0"), kind="count", value=0.0)
    _check(parse_value("   "), kind="empty", span=None)


def test_values_example_sentence_is_text_or_partial():
    v = parse_value("通过预警信息的发布,让人们了解有害生物信息,减少因恐慌情绪蔓延而导致可能产生的不稳定因素。")
    _check(v, kind="text", status="unparsed")
    assert v.reason
    v = parse_value("3037人,按照实际符合条件的残疾人参保")
    _check(v, kind="count", value=3037.0, status="partial")


def test_values_to_dict_is_json_ready():
    d = parse_value("100%(115人,20家企业)").to_dict()
    assert json.loads(json.dumps(d, ensure_ascii=False)) == d
    assert d["secondary"][1] == {"value": 20.0, "unit": "家企业", "unit_norm": "家"}
    assert d["span"] == [0, 16]


def test_values_span_points_at_what_was_read():
    raw = "超过 34.13 万元"
    a, b = parse_value(raw).span
    assert raw[a:b] == raw
    raw = "出勤率达90%"
    a, b = parse_value(raw).span
    assert raw[a:b] == "达90%"


# ------------------------------------------------------------------ properties

_TOKENS = ["1", "0", "25", "3.5", "1,348", "１００", "％", "%", "万", "亿", "元", "人", "名", "次", "个", "年", "月", "日", "底", "前",
           "≥", ">=", "≤", "<", "=", "＝", "~", "～", "-", "—", "至", "(", ")", "（", "）", "、", ",", "，", "。", "*", "/", "·",
           "达", "近", "约", "以上", "以内", "余", "及时", "每月", "提升", "稳步", "无", "是", "百分比", "‰", "一", "两", "十", "百",
           "千", "第", "同比", "2023", "《", "》", "GB", "(dá)", " ", "\u3000", "指标", "率"]
_cjk_text = st.text(alphabet=st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E),
    st.characters(min_codepoint=0x2000, max_codepoint=0x22FF),
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.sampled_from("\u3000\t\n（）【】《》、，。：；“”‰≧≦"),
), max_size=40)
_value_like = st.lists(st.sampled_from(_TOKENS), max_size=14).map("".join)


def _sane(raw: str) -> None:
    v = parse_value_uncached(raw)
    assert isinstance(v, Value) and v.raw == raw
    assert not v.reason.startswith("internal error"), v.reason
    assert v.status in ("ok", "partial", "unparsed")
    if v.span is not None:
        a, b = v.span
        assert 0 <= a <= b <= len(raw)
    assert parse_value_uncached(raw) == v            # deterministic
    json.dumps(v.to_dict(), ensure_ascii=False)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=30), _cjk_text))
def test_values_never_raises_on_arbitrary_text(raw):
    _sane(raw)


@settings(max_examples=400, deadline=None)
@given(_value_like)
def test_values_never_raises_on_value_like_text(raw):
    _sane(raw)


@settings(max_examples=100, deadline=None)
@given(_value_like, st.one_of(st.none(), st.sampled_from(["万元", "%", "人数", "预算金额（万元）", "资金单位：万元", "xx", ""])),
       st.one_of(st.none(), st.integers(min_value=1990, max_value=2030)))
def test_values_is_deterministic_with_hint_and_year(raw, hint, year):
    a = parse_value_uncached(raw, unit_hint=hint, year=year)
    assert a == parse_value_uncached(raw, unit_hint=hint, year=year) == parse_value(raw, unit_hint=hint, year=year)


def test_values_odd_arguments_do_not_raise():
    assert parse_value(None).kind == "empty"             # type: ignore[arg-type]
    assert parse_value(100).kind == "count"              # type: ignore[arg-type]
    assert parse_value("100", unit_hint=["%"]).kind == "count"  # type: ignore[arg-type]


# ------------------------------------------------------------------ config

@pytest.fixture
def bad_config_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("JIXIAO_CONFIG_DIR", str(tmp_path))
    values.clear_caches()
    yield tmp_path
    monkeypatch.delenv("JIXIAO_CONFIG_DIR")
    values.clear_caches()


@pytest.mark.parametrize("content", ["version: v1\nunits: 5\n", "version: v1\nunits: [unclosed\n", "- just a list\n",
                                     "version: v9\n"])
def test_values_broken_config_raises_config_error_naming_the_file(bad_config_dir, content):
    (bad_config_dir / "values.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        lexicon()
    assert "values.yaml" in str(err.value)
    with pytest.raises(ConfigError):
        parse_value("≥95%")


def test_values_missing_config_raises_config_error(bad_config_dir):
    with pytest.raises(ConfigError) as err:
        parse_value_uncached("≥95%")
    assert "values.yaml" in str(err.value)


def test_values_lexicon_loads_once_and_is_versioned():
    assert lexicon() is lexicon()
    assert lexicon().version == "v1"
