"""The CRF experiment of issue #12 (scripts/crf_roles.py): labels by alignment, features, rows.

Synthetic filings only; the model itself is trained on a made-up sequence (skipped when the
``[crf]`` extra is not installed).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from pipeline.extract.cell_lexicon import CAT, HEAD, NAME, VAL
from pipeline.extract.cell_stream import stream

_PATH = Path(__file__).resolve().parents[1] / "scripts" / "crf_roles.py"
_spec = importlib.util.spec_from_file_location("crf_roles", _PATH)
crf_roles = importlib.util.module_from_spec(_spec)
sys.modules["crf_roles"] = crf_roles     # dataclasses look their module up while the script loads
_spec.loader.exec_module(crf_roles)

# a made-up target table glued into one line under a header, and its hand-read rows
_GLUED = "一级指标二级指标三级指标指标值产出指标数量指标培训人次≥100人次质量指标培训合格率≥95%"
_GOLD = [crf_roles.Gold("培训人次", "≥100人次", ""), crf_roles.Gold("培训合格率", "≥95%", "")]


def test_crf_roles_align_labels_glued_target_table():
    cells = stream([(1, _GLUED)])
    labels = crf_roles.align(cells, _GOLD)
    got = [(c.text, lab) for c, lab in zip(cells, labels)]
    assert ("培训人次", "name") in got and ("≥100人次", "target") in got
    assert ("培训合格率", "name") in got and ("≥95%", "target") in got
    assert ("产出指标", "cat") in got and ("一级指标", "head") in got


def test_crf_roles_align_value_by_scorer_rule_and_window():
    # a value written without its unit (100 for 100%) is the scorer's hit; a matching value far
    # from its name (beyond the window) is not the row's
    cells = stream([(1, "| 产出指标 | 数量指标 | 资金到位率 | 100 |")])
    labels = crf_roles.align(cells, [crf_roles.Gold("资金到位率", "100%", "")])
    assert labels[-2:] == ["name", "target"]
    far = stream([(1, "| 资金到位率 | 甲 | 乙 | 丙 |"), (2, "| 丁 | 戊 | 己 | 100% |")])
    assert crf_roles.align(far, [crf_roles.Gold("资金到位率", "100%", "")], window=3)[-1] == "other"


def test_crf_roles_features_carry_kind_and_neighbours():
    cells = stream([(1, _GLUED)])
    feats = crf_roles.features(cells, self_eval=False)
    i = next(k for k, c in enumerate(cells) if c.text == "≥100人次")
    f = feats[i]
    assert f["kind"] == VAL and f["pct"] == 0.0 and f["op"] == 1.0 and f["unit"] == 1.0
    assert f["-1:kind"] == NAME and f["-2:kind"] == CAT and f["1:kind"] == CAT
    assert feats[0]["-1:kind"] == "EDGE" and feats[0]["kind"] == HEAD


def test_crf_roles_rows_from_roles_fill_down_and_score():
    cells = stream([(1, _GLUED)])
    rows = crf_roles.rows_from_roles(cells, crf_roles.align(cells, _GOLD))
    assert [(r.level1, r.level2, r.name, r.target_raw) for r in rows] == [
        ("产出指标", "数量指标", "培训人次", "≥100人次"), ("产出指标", "质量指标", "培训合格率", "≥95%")]
    assert crf_roles.recovered(_GOLD, rows) == 2
    assert crf_roles.recovered(_GOLD, rows[:1]) == 1


def test_crf_roles_hybrid_takes_model_rows_only_where_rules_read_no_value():
    model = [crf_roles.Row("培训人次", "≥100人次")]
    ruled = [crf_roles.Row("培训人次", "120人次")]
    assert crf_roles.hybrid(ruled, model) == ruled
    # a filing whose rules rows all lack values: the model's rows join them
    bare = [crf_roles.Row("培训人次")]
    assert crf_roles.hybrid(bare, model) == bare + model
    # a value-less rules row among valued ones takes the value of the model's row of its name
    mixed = [crf_roles.Row("资金到位率", "100%"), crf_roles.Row("培训人次")]
    assert [r.target_raw for r in crf_roles.hybrid(mixed, model)] == ["100%", "≥100人次"]


def test_crf_roles_train_and_tag_a_synthetic_sequence(tmp_path):
    pytest.importorskip("pycrfsuite", reason="the [crf] extra is not installed")
    cells = stream([(1, _GLUED)])
    sample = crf_roles.Sample("x", "glued", False, cells, _GOLD)
    sample.labels = crf_roles.align(cells, _GOLD)
    model = tmp_path / "m.crfsuite"
    crf_roles.train([sample] * 5, model)
    assert crf_roles.predict([sample], model)[id(sample)] == sample.labels
