"""One definition of the comparator words (configs/values.yaml), read through pipeline.core.words."""

from __future__ import annotations

import yaml

from pipeline.core import config
from pipeline.core.cells import cell
from pipeline.core.words import bound_words, comparator_table, opener_words
from pipeline.norms.group import _trail_target


def test_bounds_leave_out_the_verbs_and_keep_the_longest_first():
    b = bound_words()
    assert "不低于" in b and "≥" in b and "等于" in b
    assert not {"达到", "超过", "达"} & set(b)
    assert list(b) == sorted(b, key=lambda w: (-len(w), w))
    assert "以内" in bound_words(after=True) and "内" not in bound_words(after=True)
    assert "等于" not in bound_words(equal=False)


def test_openers_are_every_word_before_a_number():
    assert {"达到", "约", "不低于", "≥"} <= set(opener_words())


def test_every_stage_reads_the_same_list(tmp_path, monkeypatch):
    # a bound added to values.yaml reaches the cell lexicon and the name normaliser
    src = config.config_dir()
    cfg = tmp_path / "configs"
    cfg.mkdir()
    for p in src.iterdir():
        (cfg / p.name).write_bytes(p.read_bytes())
    data = yaml.safe_load((cfg / "values.yaml").read_text(encoding="utf-8"))
    data["comparators_before"][">="].append("起码")
    (cfg / "values.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("JIXIAO_CONFIG_DIR", str(cfg))
    monkeypatch.setenv("JIXIAO_CACHE_DIR", str(tmp_path / "cache"))
    for f in (config.load_yaml, comparator_table, bound_words, opener_words, cell, _trail_target):
        f.cache_clear()
    from pipeline.core import cells as cells_mod
    cells_mod._op_words.cache_clear()
    try:
        assert "起码" in bound_words() and "起码" in opener_words()
        assert cell("起码").op
        assert _trail_target().sub("", "培训人数起码100人") == "培训人数"
    finally:
        monkeypatch.undo()
        for f in (config.load_yaml, comparator_table, bound_words, opener_words, cell, _trail_target,
                  cells_mod._op_words):
            f.cache_clear()


def test_a_unit_cell_is_read_with_the_value_parsers_units():
    for text in ("万元", "人次", "元/人", "百分比", "人数", "个", "平方米"):
        assert cell(text).unit, text
    # a word made of unit characters is no unit (名单, 天天), nor is a figure
    for text in ("名单", "天天", "100人", "项目"):
        assert not cell(text).unit, text


def test_a_unit_that_starts_like_a_multiplier_is_read_whole():
    # 百分比 starts with the multiplier 百: ≥100百分比 is 100 percent, not 100 百分 and a 比
    from pipeline.values import parse_value

    v = parse_value("≥100百分比")
    assert (v.kind, v.value, v.unit_norm, v.unit) == ("percent", 100.0, "%", "百分比")
    assert parse_value("5百人").value == 500.0
