"""Segmentation of indicator names (pipeline.core.segment)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pipeline.core import segment
from pipeline.core.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("text, word", [
    ("残疾人乘车持卡人数", "持卡人数"),
    ("全区重残人员医疗保险应保尽保率", "应保尽保率"),
    ("城镇重残无业人员养老补助应补尽补率", "应补尽补率"),
    ("做好提退休人员的管理工作", "提退休人员"),
    ("开展原经开区各残疾人服务项目", "原经开区"),
    ("残疾人证换证专项经费执行率", "残疾人证"),
    ("康园工疗站服务人数", "康园工疗站"),
    ("残保金征收", "残保金"),
    ("全国助残日活动及上海助残周举办场次", "助残日"),
    ("辅助器具适配率", "辅助器具"),
])
def test_segment_domain_words_stay_whole(text, word):
    assert word in segment.tokens(text)


@pytest.mark.parametrize("text, rate", [
    ("预算资金执行率", "执行率"),
    ("工疗人员出勤率", "出勤率"),
    ("康园工疗机构经费执行率", "执行率"),
    ("经费发放率", "发放率"),
    ("精准康复服务率", "服务率"),
    ("资金拨付率", "拨付率"),
    ("审批及时率", "及时率"),
    ("辅助器具验收合格率", "合格率"),
])
def test_segment_rate_suffix_is_one_token(text, rate):
    toks = segment.tokens(text)
    assert rate in toks
    assert "率" not in toks


@pytest.mark.parametrize("text, expected", [
    ("残疾人乘车持卡人数", ["残疾人", "乘车", "持卡人数"]),
    ("预算资金执行率", ["预算", "资金", "执行率"]),
    ("受益群众满意率 (%)", ["受益", "群众", "满意率"]),
    ("", []),
    ("   ", []),
])
def test_segment_tokenize_name(text, expected):
    assert segment.tokenize_name(text) == expected


def test_segment_tokens_drop_blanks_keep_punctuation():
    toks = segment.tokens("补贴 对象、满意度")
    assert " " not in toks and "、" in toks


def test_segment_import_does_not_load_dictionary():
    code = textwrap.dedent("""
        import sys
        import pipeline.core.segment as s
        assert "jieba" not in sys.modules, "jieba imported at import time"
        assert not s.is_loaded()
        s.tokens("持卡人数")
        assert s.is_loaded()
        import jieba
        assert not jieba.dt.initialized, "the global jieba tokenizer was used"
        print("ok")
    """)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_segment_dictionary_is_valid_and_grows_the_seed_list():
    entries = segment.read_dictionary()
    words = {w for w, _, _ in entries}
    seed = {line.split()[0] for line in (ROOT / "configs" / "jieba_domain.txt").read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")}
    assert words == seed
    assert len(words) > 57
    assert {"持卡人数", "应保尽保率", "应补尽补率", "提退休人员", "原经开区", "残疾人证", "康园工疗站", "残保金",
            "执行率"} <= words


def test_segment_malformed_dictionary_line_names_the_line(tmp_path):
    bad = tmp_path / "d.txt"
    bad.write_text("# comment\n持卡人数 2000 n\n持卡 人数 x y\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="line 3"):
        segment.read_dictionary(bad)


def test_segment_suggest_words_finds_split_rates():
    # 产值率 is not in the dictionary: jieba cuts 产值/率
    assert ("产值率", 1) in segment.suggest_words(["成本产值率提高"])


def test_segment_spacy_tokenizer_uses_our_words():
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("zh")
    nlp.tokenizer = segment.SpacyTokenizer(nlp.vocab)
    doc = nlp("残疾人乘车持卡人数")
    assert [t.text for t in doc] == ["残疾人", "乘车", "持卡人数"]
    assert len(nlp("")) == 0
