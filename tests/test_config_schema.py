"""Every config file is checked against its pydantic model; a broken one names file, key and expectation."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from pipeline.core import config
from pipeline.core.config_schema import SCHEMAS, problems
from pipeline.core.errors import ConfigError

CONFIGS = Path(__file__).resolve().parents[1] / "configs"


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_shipped_configs_fit_their_models(name):
    data = yaml.safe_load((CONFIGS / name).read_text(encoding="utf-8"))
    assert problems(name, data) == []


def test_every_config_file_has_a_model():
    assert {p.name for p in CONFIGS.glob("*.yaml")} == set(SCHEMAS)


@pytest.fixture
def broken(tmp_path, monkeypatch):
    """A copy of configs/ to break, read through load_yaml with a fresh cache."""
    cfg = tmp_path / "configs"
    shutil.copytree(CONFIGS, cfg)
    monkeypatch.setenv("JIXIAO_CONFIG_DIR", str(cfg))
    monkeypatch.setenv("JIXIAO_CACHE_DIR", str(tmp_path / "cache"))
    config.load_yaml.cache_clear()
    yield cfg
    config.load_yaml.cache_clear()


def _edit(path: Path, fn) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    fn(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def _error(name: str) -> str:
    with pytest.raises(ConfigError) as exc:
        config.load_yaml(name)
    return str(exc.value)


def test_wrong_type_names_file_key_and_expectation(broken):
    _edit(broken / "review.yaml", lambda d: d["thresholds"].update(rate_tolerance="0,5"))
    msg = _error("review.yaml")
    assert "review.yaml" in msg and "thresholds.rate_tolerance" in msg and "number" in msg and "'0,5'" in msg


def test_unknown_key_is_refused(broken):
    _edit(broken / "values.yaml", lambda d: d.update(vauge_words=["好"]))
    msg = _error("values.yaml")
    assert "vauge_words" in msg and "extra" in msg


def test_missing_key_is_named(broken):
    _edit(broken / "taxonomy.yaml", lambda d: d["process"].pop("level2"))
    assert "process.level2: field required" in _error("taxonomy.yaml")


def test_bad_severity_lists_the_choices(broken):
    _edit(broken / "review.yaml", lambda d: d["codes"]["MISSING_VALUE"].update(severity="fatal"))
    msg = _error("review.yaml")
    assert "codes.MISSING_VALUE.severity" in msg and "'error'" in msg and "'fatal'" in msg


def test_empty_word_in_a_list(broken):
    _edit(broken / "extract.yaml", lambda d: d["total_words"].append(""))
    assert "total_words." in _error("extract.yaml")


def test_validated_once_per_content(broken, tmp_path):
    config.load_yaml("prose.yaml")
    markers = list((tmp_path / "cache" / "validated").glob("prose.yaml-*"))
    assert len(markers) == 1
    # the same content again: the marker is reused; a change makes a new one
    config.load_yaml.cache_clear()
    config.load_yaml("prose.yaml")
    assert list((tmp_path / "cache" / "validated").glob("prose.yaml-*")) == markers
    _edit(broken / "prose.yaml", lambda d: d["join_words"].append("及其"))
    config.load_yaml.cache_clear()
    config.load_yaml("prose.yaml")
    assert len(list((tmp_path / "cache" / "validated").glob("prose.yaml-*"))) == 2


def test_a_validated_marker_does_not_hide_a_later_break(broken):
    config.load_yaml("norms.yaml")
    _edit(broken / "norms.yaml", lambda d: d["stats"].update(sketch_alpha=2))
    config.load_yaml.cache_clear()
    assert "stats.sketch_alpha" in _error("norms.yaml")
