"""Indicator norms (pipeline/norms/lookup.py, pipeline/norms/group.py, `jixiao norms`).

The grouping is measured on tests/golden/norm_pairs.tsv (hand-checked name pairs, see its
header): pairwise precision and recall of the groups built over the names of data/raw plus
the names of the pairs, printed and held above the floors measured when the file was made.
"""

from __future__ import annotations

import csv
import json
import math
import random
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.core import config as config_mod
from pipeline.norms import config as norms_places
from pipeline.core.errors import ConfigError
from pipeline.norms.lookup import from_doc, load_norms, norm_id, shipped_norms_path
from pipeline.norms.build import CSV_COLUMNS, ValueSketch, build_norms, finalize, map_partition, merge_partials, name_infos, write_norms
from pipeline.norms.group import Normaliser, group_names, name_info, norms_config, normalise, same_indicator, unit_family
from pipeline.values.parse import parse_value

ROOT = Path(__file__).resolve().parent.parent
PAIRS = Path(__file__).parent / "golden" / "norm_pairs.tsv"
GOLD = ROOT / "data" / "labelled" / "gold.tsv"

# Measured on norm_pairs.tsv when it was written (225 pairs, 103 same): precision 0.958,
# recall 0.893. The floors leave a small margin for changes of the extraction upstream.
PRECISION_FLOOR = 0.93
RECALL_FLOOR = 0.85


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def corpus():
    """The records of data/raw (the pipeline run once) and the norms built from them."""
    from pipeline.cli.norms import build_from_paths

    doc, inputs = build_from_paths([ROOT / "data" / "raw"])
    assert inputs.records, "the pipeline found no indicator rows in data/raw"
    return doc, inputs


@pytest.fixture(scope="module")
def norms(corpus):
    return from_doc(corpus[0])


def _pairs() -> list[dict[str, str]]:
    with PAIRS.open(encoding="utf-8", newline="") as f:
        lines = [line for line in f if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def _satisfaction(doc) -> dict:
    fams = [i for i in doc["indicators"] if i["family"] == "满意度"]
    assert len(fams) == 1, "满意度-type indicators must form exactly one group"
    return fams[0]


# --------------------------------------------------------------------------- normalisation
@pytest.mark.parametrize("raw, want", [
    ("指标1:★受助对象满意度(≥**%)", "受助对象满意度"),
    ("★★★农村低保发放人数(按月平均)(≥**人)", "农村低保发放人数"),
    ("2023年度预算资金执行率", "预算资金执行率"),
    ("2023年指标1.培训成本", "培训成本"),
    ("（一）项目(工程)验收合格率", "项目验收合格率"),
    ("1.服务对象满意度", "服务对象满意度"),
    ("受益建档立卡贫困人口数≥**人", "受益建档立卡贫困人口数"),
    ("验收合格率100%100%", "验收合格率"),
    ("受益群众满意率 (%)", "受益群众满意率"),
    ("开展防震减灾科普“进基层”宣传活动场数", "开展防震减灾科普宣传活动场数"),
    ("《残疾人保障法》宣传覆盖率", "宣传覆盖率"),
    ("全区重残人员医疗保险应保尽保率", "重残人员医疗保险应保尽保率"),
    ("湖南省岳阳市岳阳楼区价格认证办结率", "价格认证办结率"),
    ("ＡＢＣ培训人次", "abc培训人次"),
    ("康复资助年服务量人(次)", "康复资助年服务量人次"),
])
def test_norms_normalise_strips_decorations(raw, want):
    places = norms_places.region_places("湖南省岳阳市岳阳楼区")
    assert Normaliser(places)(raw) == want


def test_norms_region_places_from_manifest():
    assert norms_places.region_places("湖南省岳阳市岳阳楼区") == ["湖南省", "岳阳市", "岳阳楼区"]
    assert norms_places.region_places("内蒙古兴安盟扎赉特旗") == ["内蒙古", "兴安盟", "扎赉特旗"]
    assert norms_places.region_places("安徽省池州市九华山风景区") == ["安徽省", "池州市"]   # 景区 is no place
    assert norms_places.region_province("广西百色市") == "广西"
    assert norms_places.region_province("unknown") == ""


def test_norms_not_indicator_names_are_dropped():
    n = Normaliser()
    for junk in ("说明", "(50分)", "社会成本指标", "资金管理指标", "好", "指标1:无"):
        assert not n.keep(n(junk)), junk
    assert n.keep(n("服务对象满意度"))      # a category-like name used as an indicator is kept


# --------------------------------------------------------------------------- pair rules
def _same(a: str, b: str, l2a: str = "", l2b: str = "") -> bool:
    return same_indicator(name_info(normalise(a), level2=l2a), name_info(normalise(b), level2=l2b)).same


def test_norms_satisfaction_and_satisfaction_rate_group():
    assert _same("服务对象满意度", "受益群众满意率")
    assert _same("游客满意度(≥**%)", "残疾人用工企业及残疾人服务机构满意度")
    assert not _same("群众幸福感", "群众满意度")


def test_norms_count_and_rate_never_group():
    assert not _same("培训人次", "培训合格率")
    assert not _same("培训参加人数", "培训人次")
    assert not _same("免疫规划知识培训人次", "免疫规划知识培训次数")
    assert unit_family("培训合格率") == "rate" and unit_family("培训人次") == "count"


def test_norms_modifier_and_activity_keep_apart():
    assert not _same("人均培训成本", "培训成本")
    assert not _same("会议计划完成时间", "采购计划完成时间")
    assert not _same("资金支付及时率", "补助发放及时率")
    assert _same("培训合格率", "培训人员合格率")
    assert _same("验收合格率", "辅助器具验收合格率")
    assert _same("户用卫生厕所改造验收通过率", "工程验收合格率")     # 通过率 is a synonym of 合格率


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_norms_rate_and_count_names_never_share_a_group(corpus, data):
    """Property: over the names of data/raw, a name ending in 率 and one ending in 数/人次/人数
    are never put in one group."""
    doc, _ = corpus
    group_of = {k: i for i, ind in enumerate(doc["indicators"]) for k, _ in ind["aliases"]}
    rates = sorted(k for k in group_of if k.endswith("率"))
    counts = sorted(k for k in group_of if k.endswith(("数", "人次", "人数")))
    a, b = data.draw(st.sampled_from(rates)), data.draw(st.sampled_from(counts))
    assert group_of[a] != group_of[b]


# --------------------------------------------------------------------------- quality of the grouping
def test_norms_pairwise_precision_recall(corpus):
    """Groups over the data/raw names plus the pair names; precision and recall of 'same group'."""
    doc, inputs = corpus
    norm = Normaliser(inputs.places)
    part = map_partition(inputs.records, context=inputs.context, normaliser=norm)
    infos = {i.key: i for i in name_infos(part)}
    gold_l2: dict[str, Counter] = {}
    with GOLD.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            gold_l2.setdefault(norm(r["name"]), Counter())[r["gold_l2"] if r["gold_l2"] != "none" else ""] += 1
    pairs = _pairs()
    assert len(pairs) >= 150
    same = sum(p["same"] == "1" for p in pairs)
    assert 0.35 <= same / len(pairs) <= 0.65, "both classes must be well represented"
    extra = {}
    for p in pairs:
        for name in (p["name_a"], p["name_b"]):
            k = norm(name)
            if k not in infos and k not in extra:
                l2 = gold_l2.get(k, Counter()).most_common(1)
                extra[k] = name_info(k, 0, 0, l2[0][0] if l2 else "")
    group = {m.key: gi for gi, g in enumerate(group_names(list(infos.values()) + list(extra.values()))) for m in g}
    tp = fp = fn = 0
    for p in pairs:
        pred = group[norm(p["name_a"])] == group[norm(p["name_b"])]
        gold = p["same"] == "1"
        tp += pred and gold
        fp += pred and not gold
        fn += gold and not pred
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"\nnorm grouping on {len(pairs)} hand-checked pairs ({same} same): precision {precision:.3f}, "
          f"recall {recall:.3f} (tp {tp}, fp {fp}, fn {fn})")
    assert precision >= PRECISION_FLOOR
    assert recall >= RECALL_FLOOR


# --------------------------------------------------------------------------- the norms of data/raw
def test_norms_satisfaction_group_on_data_raw(corpus):
    doc, inputs = corpus
    sat = _satisfaction(doc)
    names = {norm_key for norm_key, _ in sat["aliases"]}
    norm = Normaliser(inputs.places)
    for r in inputs.records:                       # every 满意度/满意率 row of data/raw is in the group
        k = norm(r["name"])
        if k.endswith(("满意度", "满意率")) and norm.keep(k):
            assert k in names, k
    pct = next(u for u in sat["units"] if u["unit_norm"] == "%")
    print(f"\n满意度 group: {sat['n_rows']} rows, {sat['n_filings']} filings, {len(sat['aliases'])} names; "
          f"targets in %: n={pct['n_values']} p10 {pct['p10']:g} median {pct['median']:g} p90 {pct['p90']:g}; "
          f"share of ≥ comparators {pct['ge_share']:.0%}; vague {sat['vague_share']:.0%}")
    assert sat["canonical_name"] == "服务对象满意度"
    assert sat["level2"] == "服务对象满意度指标"
    assert pct["median"] == 90
    # P10 moves as more filings are read (90 on the first corpus; real ≥80% targets since)
    assert 75 <= pct["p10"] <= 90 <= pct["p90"] <= 100
    assert 0.5 <= pct["ge_share"] <= 0.85
    assert sat["n_filings"] >= 15


def test_norms_seed_targets_located(norms):
    """seed 001: 补贴对象满意度 90%; seed 004: 残疾人满意度 >=85% — placed in the 满意度 norm."""
    m1 = norms.match("补贴对象满意度", "%", "服务对象满意度指标")
    m4 = norms.match("残疾人满意度", "%", "服务对象满意度指标")
    assert m1 and m4 and m1.norm_id == m4.norm_id and m1.canonical_name == "服务对象满意度"
    at1 = norms.locate("补贴对象满意度", parse_value("90%"))
    at4 = norms.locate("残疾人满意度", parse_value(">=85%"))
    print(f"\nseed 001 补贴对象满意度 90%: {at1}\nseed 004 残疾人满意度 >=85%: {at4}")
    assert "等于中位数（90%）" in at1
    # where 85% lands depends on the corpus's P10 (90% on the first corpus, 85% once more
    # filings were read): the sentence must say so either way, with the norm's own figures
    p10 = m4.stats.p10
    if p10 > 85:
        assert f"低于 P10（{p10:g}%）" in at4
    else:
        assert f"在 P10–P90（{p10:g}%–" in at4 and "低于中位数 90%" in at4
    for name, text in (("补贴对象满意度", "90%"), ("残疾人满意度", ">=85%")):
        assert not [f for f in norms.review(name, "服务对象满意度指标", parse_value(text)) if f.code == "NORM_OUTLIER"]
    out = norms.review("游客满意度", "服务对象满意度指标", parse_value("60%"))
    f = next(f for f in out if f.code == "NORM_OUTLIER")
    assert f.severity == "warning" and "60%" in f.message and f"P10 {p10:g}%" in f.evidence and "份文件" in f.evidence


def test_norms_suggest_for_vague_targets(norms):
    s = norms.suggest_for_vague("服务对象满意度", "服务对象满意度指标")
    assert re.fullmatch(r"≥90%（\d+ 份文件的中位数）", s), s
    # no suggestion from a norm that rests on one filing (#15); from two on, its median
    n = norms.find("项目完成及时率").primary.n_filings
    s = norms.suggest_for_vague("项目完成及时率", "时效指标")
    assert s == "" if n < 2 else re.fullmatch(rf"\S+（{n} 份文件的中位数）", s), (n, s)
    assert norms.suggest_for_vague("一个从未见过的指标名称", "") == ""
    assert norms.suggest_for_vague("项目总成本", "经济成本指标") == ""     # project-sized money: no norm


def test_norms_nonstandard_name(norms):
    f = norms.review("受益群众满意率", "服务对象满意度指标", parse_value("95%"))
    assert [x.code for x in f] == ["NONSTANDARD_NAME"]
    assert f[0].severity == "info" and f[0].suggestion == "改为“受益群众满意度”"
    assert norms.review("服务对象满意度", "服务对象满意度指标", parse_value("95%")) == []
    m = norms.match("项目(工程)完成及时性", "", "时效指标")
    assert m is not None and m.canonical_name == "项目完成及时率"
    f = norms.review("项目(工程)完成及时性", "时效指标", parse_value("及时"))
    assert [x.code for x in f] == ["NONSTANDARD_NAME"] and "项目完成及时率" in f[0].suggestion


def test_norms_match_respects_unit_family(norms):
    assert norms.match("培训人次") is None or not norms.match("培训人次").canonical_name.endswith("率")
    assert norms.match("完全无关的名称") is None
    m = norms.match("指标3:设备验收合格率(≥**%)", "%", "质量指标")
    assert m is not None and m.canonical_name.endswith("验收合格率") and m.p10 is not None


# --------------------------------------------------------------------------- map / reduce
def test_norms_map_reduce_is_partition_invariant(corpus):
    doc, inputs = corpus
    records = list(inputs.records)
    random.Random(3).shuffle(records)
    norm = Normaliser(inputs.places)
    parts = [map_partition(records[i:i + 97], context=inputs.context, normaliser=norm)
             for i in range(0, len(records), 97)]
    doc2 = finalize(merge_partials(parts[::-1]), sources=doc["sources"])

    def summary(d):
        return sorted((i["canonical_name"], i["n_rows"], i["n_filings"], i["level2"],
                       tuple((u["norm_id"], u["n_values"], u["p10"], u["median"], u["p90"]) for u in i["units"]))
                      for i in d["indicators"])

    assert summary(doc2) == summary(doc)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=-1e6, max_value=1e9, allow_nan=False), min_size=1, max_size=300),
       st.integers(min_value=1, max_value=5), st.sampled_from([4, 2048]))
def test_norms_sketch_merges_and_bounds_quantiles(values, parts, limit):
    """Merged sketches give the nearest-rank quantiles: exactly while exact, within the
    relative error alpha once compressed to buckets."""
    sketches = [ValueSketch(0.01, limit) for _ in range(parts)]
    for i, v in enumerate(values):
        sketches[i % parts].add(v)
    merged = sketches[0]
    for s in sketches[1:]:
        merged.merge(s)
    assert merged.n == len(values)
    srt = sorted(values)
    for q in (0.1, 0.5, 0.9):
        want = srt[max(1, math.ceil(q * len(srt))) - 1]
        got = merged.quantile(q)
        if merged.is_exact:
            assert got == want
        else:
            assert abs(got - want) <= 0.0101 * abs(want) + 1e-9


def test_norms_norm_ids_are_stable(corpus):
    doc, _ = corpus
    ids = [u["norm_id"] for i in doc["indicators"] for u in i["units"]]
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"N[0-9a-f]{10}", x) for x in ids)
    sat = _satisfaction(doc)
    assert sat["units"][0]["norm_id"] == norm_id("服务对象满意度", sat["units"][0]["unit_norm"])


# --------------------------------------------------------------------------- outputs, shipped file, CLI
def test_norms_outputs_written(corpus, tmp_path):
    doc, _ = corpus
    paths = write_norms(doc, tmp_path)
    with paths["csv"].open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == CSV_COLUMNS
    for col in ("norm_id", "canonical_name", "aliases", "n_rows", "n_filings", "level1", "level2", "level2_share",
                "unit_norm", "op", "p10", "median", "p90", "vague_share"):
        assert col in rows[0]
    sat = [r for r in rows if r["canonical_name"] == "服务对象满意度" and r["unit_norm"] == "%"]
    assert len(sat) == 1 and sat[0]["median"] == "90" and sat[0]["op"] == ">="
    from openpyxl import load_workbook

    wb = load_workbook(paths["xlsx"], read_only=True)
    assert wb.sheetnames == ["norms", "aliases", "examples"]
    assert load_norms(paths["json"]).match("游客满意度").canonical_name == "服务对象满意度"


def test_norms_shipped_file_loads():
    path = shipped_norms_path()
    assert path.is_file(), "pipeline/resources/norms.json is missing: run scripts/build_norms.py"
    n = load_norms()
    assert n is load_norms()                       # read once
    assert n.version == norms_config().version, "shipped norms are stale: run scripts/build_norms.py"
    assert n.doc["sources"]["inputs"] == ["data/raw"]
    m = n.match("补贴对象满意度", "%")
    assert m and m.canonical_name == "服务对象满意度" and m.median == 90
    assert n.suggest_for_vague("服务对象满意度").startswith("≥90%")


def test_norms_load_errors(tmp_path):
    with pytest.raises(ConfigError, match="cannot read the norms file"):
        load_norms(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "something else"}), encoding="utf-8")
    with pytest.raises(ConfigError, match="not a jixiao norms file"):
        load_norms(bad)


def test_norms_config_error_names_the_key(tmp_path, monkeypatch):
    conf = tmp_path / "configs"
    shutil.copytree(ROOT / "configs", conf)
    text = (conf / "norms.yaml").read_text(encoding="utf-8").replace("char_threshold: 86", "char_threshold: high")
    (conf / "norms.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("JIXIAO_CONFIG_DIR", str(conf))
    config_mod.load_yaml.cache_clear()
    norms_config.cache_clear()
    try:
        with pytest.raises(ConfigError, match="char_threshold"):
            norms_config()
    finally:
        monkeypatch.delenv("JIXIAO_CONFIG_DIR")
        config_mod.load_yaml.cache_clear()
        norms_config.cache_clear()
    assert norms_config().char_threshold == 86


def test_norms_cli_build_and_lookup(corpus, tmp_path):
    from typer.testing import CliRunner

    from pipeline.cli.main import app

    doc, inputs = corpus
    table = tmp_path / "run" / "indicators.csv"
    table.parent.mkdir()
    cols = sorted({k for r in inputs.records for k in r})
    with table.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.DictWriter(f, fieldnames=cols)
        w.writeheader()
        w.writerows(inputs.records)
    out = tmp_path / "norms"
    runner = CliRunner()
    res = runner.invoke(app, ["norms", "build", str(table), "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    assert {p.name for p in out.iterdir()} == {"norms.csv", "norms.xlsx", "norms.json"}
    res = runner.invoke(app, ["norms", "lookup", "补贴对象满意度", "--value", "60%", "--norms", str(out)],
                        env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    # 60% is under the 满意度 norm's P10 (75–90% as the corpus grows)
    assert "服务对象满意度" in res.output and re.search(r"60% 低于 P10（(7[5-9]|8\d|90)%）", res.output)
    res = runner.invoke(app, ["norms", "lookup", "项目完成及时率", "--value", "及时", "--norms", str(out), "--json"])
    got = json.loads(res.output)
    # a suggestion only from a norm of two or more filings (#15)
    assert got["matches"][0]["canonical_name"] == "项目完成及时率"
    assert got["suggestion"] == "" or re.fullmatch(r"\S+（([2-9]|\d\d+) 份文件的中位数）", got["suggestion"])
    res = runner.invoke(app, ["norms", "build", str(tmp_path / "nothing-here"), "-o", str(out)])
    assert res.exit_code != 0


def test_norms_build_plain_records():
    """The build is a plain function over dicts (what a distributed map receives)."""
    recs = [{"file": f"f{i}", "name": "学生满意度", "level2": "服务对象满意度指标", "target_kind": "percent",
             "target_op": ">=", "target_value": v, "target_unit_norm": "%", "target_vague": "0"}
            for i, v in enumerate((80, 85, 90, 90, 95))]
    recs.append({"file": "f9", "name": "家长满意率", "target_kind": "qualitative", "target_vague": "1"})
    doc = build_norms(recs)
    (sat,) = doc["indicators"]
    assert sat["canonical_name"] == "学生满意度" and sat["n_filings"] == 6 and sat["vague_share"] == round(1 / 6, 4)
    u = sat["units"][0]
    assert (u["p10"], u["median"], u["p90"], u["ge_share"]) == (80, 90, 95, 1.0)
