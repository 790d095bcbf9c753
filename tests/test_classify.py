"""Category classifier: features, rules, numpy scorer, misfile decisions (pipeline.classify.predict & co)."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from pipeline.train import models as train_models
from pipeline.classify.types import LABELS, Prediction
from pipeline.classify.predict import classify_rows
from pipeline.core.errors import ConfigError
from pipeline.classify.features import FeatureSettings, filed_category, parse_rules, row_fields, rules
from pipeline.classify.misfile import decide_one, placement

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "data" / "labelled" / "gold.tsv"
SEED = {"000": "000_0bc3dd4ae087ad7a", "001": "001_d4a61a06f04ad918", "002": "002_2ce996c71ca4daff",
        "004": "004_bf38c9880e42d804"}


@pytest.fixture(scope="module")
def gold():
    from pipeline.train.labelled import load_labelled

    return load_labelled(GOLD)


def _seed_rows(gold, seed):
    rows = gold[gold["doc_id"] == SEED[seed]].to_dict("records")
    return [{"name": r["name"], "target_raw": r["target"], "actual_raw": r["actual"],
             "level1_filed": r["level1_filed"], "level2_filed": r["level2_filed"]} for r in rows]


def _pred(rows, preds, name, l2_filed=None):
    hits = [p for r, p in zip(rows, preds) if r["name"] == name and (l2_filed is None or r["level2_filed"] == l2_filed)]
    assert hits, f"no seed row named {name!r}"
    return hits


# --------------------------------------------------------------------------- features and rules

def test_features_row_fields_docstring_example():
    f = row_fields({"name": "观影人次数量", "target": ">=520人次", "level1_filed": "产出指标", "level2_filed": "质量指标"})
    assert f.name == "观影人次数量"
    assert f.value == "kind=count op=>= unit=人次"
    assert f.filed == "FILED_L2=质量指标 FILED_L1=产出指标"
    assert "RULE=数量指标" in f.rules.split()


@pytest.mark.parametrize("l1, l2, expected", [
    ("产出指标(50分)", "数量指标 (必填硬性指标)", ("产出指标", "数量指标")),
    ("绩效指标", "产出指标", ("产出指标", "")),                    # seed 000: first level in the l2 column
    ("效益指标", "社会公众及服务对象满意度指标", ("效益指标", "服务对象满意度指标")),
    ("投入管理指标", "预算执行管理", ("过程指标", "过程指标")),
    ("实施效果指标", "资金管理指标", ("效益指标", "过程指标")),        # 资金管理指标 → 资金管理 block
    ("", "", ("", "")),
])
def test_features_filed_category(l1, l2, expected):
    f = filed_category(l1, l2)
    assert (f.l1, f.l2) == expected


def test_rules_config_is_versioned_and_hard_rules_exist():
    rs = rules()
    assert rs.version == "v2"
    assert {r.label for r in rs.rules if r.hard} >= {"none", "服务对象满意度指标", "社会成本指标", "生态环境成本指标"}
    assert set(r.label for r in rs.rules) <= set(LABELS)


@pytest.mark.parametrize("data, match", [
    ({"fallback": "数量指标", "classes": []}, "missing key 'rules'"),
    ({"rules": "v1", "fallback": "数量指标", "classes": [{"id": "x", "label": "质量指标"}]}, "no condition"),
    ({"rules": "v1", "fallback": "数量指标", "classes": [{"id": "x", "label": "质量指标", "name_re": "a"}]},
     "unknown keys"),
    ({"rules": "v1", "fallback": "数量指标", "classes": [{"id": "x", "label": "质量指标", "name_regex": "("}]},
     "not a valid regex"),
])
def test_rules_malformed_config_names_the_problem(data, match):
    with pytest.raises(ConfigError, match=match):
        parse_rules(data)


@pytest.mark.parametrize("row, label", [
    ({"name": "补贴对象满意度", "target": "90%"}, "服务对象满意度指标"),
    ({"name": "各项工作完成时限", "target": "2023年12月"}, "时效指标"),
    ({"name": "年初预算数", "target": "21.45万元"}, "经济成本指标"),
    ({"name": "", "target": ""}, "none"),
    ({"name": "实施项目对社会产生的不利影响", "target": "减少"}, "社会成本指标"),
    ({"name": "实施项目对生态产生的不利影响", "target": "减少"}, "生态环境成本指标"),
])
def test_rules_baseline_predicts(row, label):
    assert train_models.RulesModel().fit([row], [label]).predict([row]) == [label]


# --------------------------------------------------------------------------- placements and decisions

@pytest.mark.parametrize("l1, l2, expected", [
    ("产出指标", "数量指标", "ok"),
    ("产出指标", "经济成本指标", "ok"),          # legacy2015 keeps 成本 under 产出
    ("成本指标", "经济成本指标", "ok"),
    ("效益指标", "服务对象满意度指标", "legacy"),
    ("满意度指标", "质量指标", "wrong"),
    ("满意度指标", "时效指标", "wrong"),
    ("效益指标", "数量指标", "wrong"),
    ("产出指标", "可持续影响指标", "wrong"),
])
def test_misfile_placement(l1, l2, expected):
    assert placement(l1, l2) == expected


def test_misfile_decide_one_rules():
    classes = list(LABELS)
    p = np.full(len(classes), 0.01)
    p[classes.index("数量指标")] = 0.88
    # confident disagreement with the filed l2
    d = decide_one({"name": "x", "level1_filed": "产出指标", "level2_filed": "质量指标"}, p, classes, {"l2": 0.6})
    assert (d.misfiled, d.level1, d.level2) == ("l2", "产出指标", "数量指标")
    assert d.suggestion == "应归入 产出指标/数量指标（置信度 0.88）"
    # not confident enough: no flag, the model's label still reported
    d = decide_one({"name": "x", "level1_filed": "产出指标", "level2_filed": "质量指标"}, p, classes, {"l2": 0.9})
    assert d.misfiled == "" and d.level2 == "数量指标"
    # legacy placement is information only
    q = np.full(len(classes), 0.01)
    q[classes.index("服务对象满意度指标")] = 0.9
    d = decide_one({"name": "满意度", "level1_filed": "效益指标", "level2_filed": "服务对象满意度指标"}, q, classes)
    assert d.misfiled == "" and d.legacy
    # the profile decides the first level
    c = np.full(len(classes), 0.01)
    c[classes.index("经济成本指标")] = 0.9
    assert decide_one({"name": "成本"}, c, classes, profile="legacy2015").level1 == "产出指标"
    assert decide_one({"name": "成本"}, c, classes).level1 == "成本指标"


def test_classify_prediction_is_frozen():
    p = Prediction(level1="产出指标", level2="数量指标", confidence=0.9)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.level2 = "质量指标"


# --------------------------------------------------------------------------- the shipped model on the seeds

def test_classify_rows_empty_and_placeholder_rows_are_none():
    preds = classify_rows([{"name": "", "target_raw": "", "level1_filed": "效益指标", "level2_filed": "经济效益指标"},
                           {"name": "无", "target_raw": "无", "level1_filed": "产出指标", "level2_filed": "质量指标"}])
    assert [(p.level2, p.level1, p.misfiled) for p in preds] == [("none", "", ""), ("none", "", "")]
    assert classify_rows([]) == []


def test_classify_seed001_l2_under_impossible_l1(gold):
    rows = _seed_rows(gold, "001")
    preds = classify_rows(rows)
    (p,) = _pred(rows, preds, "补贴到位率")
    assert p.misfiled == "l1" and p.suggestion.startswith("应归入 产出指标/质量指标")
    (p,) = _pred(rows, preds, "项目完成及时率")
    assert p.misfiled == "l1" and p.suggestion.startswith("应归入 产出指标/时效指标")


@pytest.mark.parametrize("name", ["残疾人农村实用技术培训人数", "残疾人乘车持卡人数", "开展残疾人志愿服务活动"])
def test_classify_seed001_counts_under_benefit_are_outputs(gold, name):
    rows = _seed_rows(gold, "001")
    (p,) = _pred(rows, classify_rows(rows), name)
    assert (p.misfiled, p.level1, p.level2) == ("l1", "产出指标", "数量指标")
    assert p.suggestion.startswith("应归入 产出指标/数量指标（置信度 ")


def test_classify_seed004_count_filed_as_quality(gold):
    rows = _seed_rows(gold, "004")
    (p,) = _pred(rows, classify_rows(rows), "观影人次数量")
    assert (p.misfiled, p.level2) == ("l2", "数量指标")
    assert p.suggestion.startswith("应归入 产出指标/数量指标（置信度 ")


def test_classify_seed002_happiness_under_economic_benefit(gold):
    rows = _seed_rows(gold, "002")
    preds = _pred(rows, classify_rows(rows), "残疾人家庭的幸福感", "经济效益指标")
    assert all(p.misfiled == "l2" and p.level2 == "社会效益指标" for p in preds)
    assert all(p.suggestion.startswith("应归入 效益指标/社会效益指标") for p in preds)


def test_classify_seed002_legacy_satisfaction_is_no_error(gold):
    rows = _seed_rows(gold, "002")
    preds = classify_rows(rows)
    legacy = [p for r, p in zip(rows, preds)
              if r["level1_filed"] == "效益指标" and r["level2_filed"] == "社会公众及服务对象满意度指标"]
    assert legacy
    assert all(p.misfiled == "" and p.legacy and p.level2 == "服务对象满意度指标" for p in legacy)


def test_classify_seed000_satisfaction_under_benefit_is_legacy(gold):
    rows = _seed_rows(gold, "000")
    (p,) = _pred(rows, classify_rows(rows), "受益群众满意率 (%)")
    assert p.level2 == "服务对象满意度指标" and p.misfiled == "" and p.legacy


# --------------------------------------------------------------------------- numpy scorer

def test_scorer_predictions_equal_sklearn_on_corpus(gold, tmp_path):
    from pipeline.classify.scorer import Scorer, export
    from pipeline.train.run import CANDIDATES, fit_final

    cand = CANDIDATES["lr"]
    model = fit_final(cand, gold)
    export(model.pipeline_, tmp_path, settings=cand.settings)
    scorer = Scorer.load(tmp_path)
    expected = model.pipeline_.predict_proba(gold)
    got = scorer.predict_proba(gold.to_dict("records"))
    assert scorer.classes == [str(c) for c in model.pipeline_.classes_]
    assert scorer.predict(gold) == list(model.pipeline_.predict(gold))
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9)


def test_scorer_shipped_model_loads_without_pickle():
    from pipeline.classify.scorer import Scorer

    s = Scorer.load(ROOT / "models")
    assert s.classes == sorted(LABELS)
    # the shipped model was trained with the configs it is used with
    from pipeline.core.taxonomy import taxonomy

    assert s.meta["taxonomy_version"] == taxonomy().version and s.meta["rules_version"] == rules().version
    assert {"l1", "l2", "content_filed", "content_other"} <= set(s.thresholds)
    assert s.has_content     # the misfile decision comes from a model that never sees the filed label
    with np.load(ROOT / "models" / "weights.npz", allow_pickle=False) as w:
        assert {"coef", "intercept", "coef_content", "intercept_content"} <= set(w.files)


def test_scorer_imports_neither_sklearn_nor_mlflow():
    code = textwrap.dedent("""
        import sys
        from pipeline.classify.predict import classify_rows
        preds = classify_rows([{"name": "观影人次数量", "target_raw": ">=520人次",
                                "level1_filed": "产出指标", "level2_filed": "质量指标"}])
        assert preds[0].level2 == "数量指标", preds
        bad = [m for m in sys.modules if m.split(".")[0] in ("sklearn", "mlflow", "spacy", "skops")]
        assert not bad, bad
        print("ok")
    """)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_scorer_missing_files_say_how_to_fix(tmp_path):
    from pipeline.classify.scorer import ModelFormatError, Scorer

    with pytest.raises(ModelFormatError, match="jixiao train --export"):
        Scorer.load(tmp_path)


def test_classify_linear_model_follows_estimator_contract(gold):
    m = train_models.LinearModel(FeatureSettings(), C=2.0)
    assert m.C == 2.0 and not hasattr(m, "pipeline_")
    sub = gold.head(200)
    assert m.fit(sub, sub["gold_l2"]) is m
    assert hasattr(m, "pipeline_") and hasattr(m, "classes_")
    # hard rules are compiled in: every label is a class, also those absent from the data
    assert set(m.classes_) == set(LABELS)
    row = {"name": "实施项目对社会产生的不利影响", "target": "减少"}
    assert m.predict([row]) == ["社会成本指标"]
