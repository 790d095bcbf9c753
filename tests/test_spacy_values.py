"""The spaCy value component (pipeline/values/spacy_component.py): jieba tokenizer, VALUE entities, laziness."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.tokens import Span

from pipeline.values import spacy_component as spacy_values
from pipeline.values.candidates import candidates
from pipeline.core.segment import SpacyTokenizer
from pipeline.values.candidates import text_tokens
from pipeline.values.spacy_component import COMPONENT, get_nlp, make_nlp, values

ROOT = Path(__file__).resolve().parent.parent


def _ents(text: str):
    return [(e.text, e.label_, e._.value) for e in get_nlp()(text).ents]


def test_spacy_values_example_sentence_two_typed_quantities():
    ents = _ents("完成残疾人康复资助 1581 人次 573.49 万元。")
    assert [(t, lab) for t, lab, _ in ents] == [("1581 人次", "COUNT"), ("573.49 万元", "MONEY")]
    count, money = ents[0][2], ents[1][2]
    assert (count.kind, count.value, count.unit_norm) == ("count", 1581.0, "人次")
    assert (money.kind, money.value, money.money_yuan) == ("money", 5734900.0, 5734900.0)


def test_spacy_values_make_nlp_is_blank_zh_with_jieba_tokenizer_and_component():
    nlp = make_nlp()
    assert nlp.lang == "zh"
    assert isinstance(nlp.tokenizer, SpacyTokenizer) and nlp.tokenizer.words_of is text_tokens
    assert nlp.pipe_names == [COMPONENT]
    assigns = nlp.get_pipe_meta(COMPONENT).assigns
    assert "doc.ents" in assigns and "span._.value" in assigns
    assert Span.has_extension("value")


def test_spacy_values_add_pipe_by_name_on_a_fresh_pipeline():
    nlp = spacy.blank("zh")
    nlp.tokenizer = SpacyTokenizer(nlp.vocab, words_of=text_tokens)
    nlp.add_pipe("jixiao_values")
    doc = nlp("执行率为 100%，支出 79.88 万元")
    assert [(e.label_, e._.value.value) for e in doc.ents] == [("PERCENT", 100.0), ("MONEY", 798800.0)]


def test_spacy_values_tokenizer_keeps_text_and_offsets():
    text = "  支出 79.88 万\n\n元，执行率为99.8%。\t"
    doc = get_nlp()(text)
    assert doc.text == text
    words = [t.text for t in doc if not t.is_space]
    assert "99.8%" in words and "为" in words          # 为99.8% is cut where the number starts
    (money, pct) = doc.ents
    assert money._.value.money_yuan == 798800.0        # 万 … 元 across a line break
    assert pct._.value.value == 99.8


def test_spacy_values_labels_by_kind_and_dates():
    ents = _ents("2023年9月—2024年6月完成，服务 2-12个月，覆盖 85%-98%，截至 11 月底")
    labels = [(lab, v.kind) for _, lab, v in ents]
    assert labels == [("DATE", "date"), ("VALUE", "duration"), ("PERCENT", "percent"), ("DATE", "date")]
    assert ents[0][2].date == "2023-09/2024-06"
    assert (ents[1][2].op, ents[1][2].value, ents[1][2].value_high) == ("range", 2.0, 12.0)


@pytest.mark.parametrize("text", [
    "坚持“一人一策”，发现一户改造一户",             # 一 with a unit: idioms
    "森林草原防火工作任务十分繁重",                   # 十分 = very
    "低于控制指标0.8262个千分点以内",                # 千分 is no number (0.8262个 is)
    "严格落实“第一议题”制度",                          # ordinal
    "根据《云编〔2021〕70号》文件",                     # document number
    "1. 部门职能 (2) 采用A2/O工艺 C25砼",             # list numbers, codes
])
def test_spacy_values_no_false_values(text):
    found = [v.raw for _, _, v in _ents(text)]
    assert all("0.8262" in r for r in found), found


def test_spacy_values_comparators_and_money_context():
    (a,), (b,) = _ents("自治区下达98.6万元"), _ents("分2批次将141.8万补助资金发放")[1:]
    assert a[2].op == "" and a[2].value == 986000.0    # 达 of 下达 is no comparator
    assert b[2].kind == "money" and b[2].value == 1418000.0
    (c,) = _ents("全区超过 3000 名残疾人稳定就业")
    assert (c[0], c[2].op, c[2].value) == ("超过 3000 名", ">", 3000.0)


def test_spacy_values_keeps_other_entities_and_values_helper():
    nlp = make_nlp()
    text = "白云区残联慰问 3013 人次"
    doc = nlp.make_doc(text)
    doc.ents = [Span(doc, 0, 1, label="ORG")]
    doc = nlp.get_pipe(COMPONENT)(doc)
    assert [e.label_ for e in doc.ents] == ["ORG", "COUNT"]
    [(a, b, v)] = values(text)
    assert text[a:b] == v.raw == "3013 人次"


def test_spacy_values_candidates_need_no_spacy():
    text = "预算 570.45 万元，共支出 570.45 万元，执行率为 100%"
    assert [text[a:b] for a, b, _ in candidates(text)] == ["570.45 万元", "570.45 万元", "100%"]
    assert candidates("") == [] and candidates("  \n") == []


def test_spacy_values_lazy_loading():
    code = textwrap.dedent("""
        import sys
        import pipeline.values.spacy_component as sv
        from pipeline.values.lexicon import lexicon
        assert "jieba" not in sys.modules, "jieba imported at import time"
        assert sv._NLP is None and not sv.is_built()
        assert lexicon.cache_info().currsize == 0, "value lexicon loaded at import time"
        import pipeline.prose.mine
        assert "jieba" not in sys.modules
        sv.get_nlp()("预算 5 万元")
        from pipeline.core import segment
        assert sv.is_built() and segment.is_loaded()
        print("ok")
    """)
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0 and res.stdout.strip() == "ok", res.stderr


def test_spacy_values_prose_import_does_not_import_spacy():
    code = "import sys, pipeline.prose.mine; assert 'spacy' not in sys.modules; print('ok')"
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert res.returncode == 0 and res.stdout.strip() == "ok", res.stderr


_ALPHABET = st.sampled_from(list("0123456789.%万元亿人次户名个分，。；:：、 \n()（）≥≤达超过近约年月日一两百千“”《》〔〕-—~/"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=60), st.text(alphabet=_ALPHABET, max_size=80)))
def test_spacy_values_component_never_raises(text):
    doc = get_nlp()(text)
    assert doc.text == text
    for e in doc.ents:
        assert e._.value is not None and e._.value.kind in spacy_values.VALUE_KINDS
