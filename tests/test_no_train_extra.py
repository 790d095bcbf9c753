"""``jixiao clean`` runs where the ``train`` extra (scikit-learn, MLflow, skops, matplotlib) is absent.

The test runs the command in a fresh interpreter whose import system refuses those
packages, as an environment without the extra would, and checks that the run succeeds and
writes the same rows as the full environment.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRAIN_EXTRA = ("sklearn", "mlflow", "skops", "matplotlib")

_BLOCK = f"""
import sys
from importlib.abc import MetaPathFinder

class NoTrainExtra(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {TRAIN_EXTRA!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}} (the train extra is not installed)", name=name)
        return None

sys.meta_path.insert(0, NoTrainExtra())
for mod in list(sys.modules):
    if mod.split(".")[0] in {TRAIN_EXTRA!r}:
        del sys.modules[mod]
from pipeline.cli.main import app
sys.argv = ["jixiao"] + sys.argv[1:]
app()
"""


def _clean(out: Path, *, block: bool) -> subprocess.CompletedProcess:
    code = _BLOCK if block else "import sys\nfrom pipeline.cli.main import app\nsys.argv = ['jixiao'] + sys.argv[1:]\napp()"
    return subprocess.run([sys.executable, "-c", code, "clean", str(ROOT / "data" / "raw" / "seeds"), "-o", str(out),
                           "-q"], capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_the_blocker_blocks():
    code = _BLOCK.split("from pipeline.cli.main")[0] + "import sklearn\n"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert res.returncode != 0 and "train extra is not installed" in res.stderr


def test_clean_runs_without_the_train_extra(tmp_path):
    res = _clean(tmp_path / "bare", block=True)
    assert res.returncode == 0, res.stderr[-2000:]
    full = _clean(tmp_path / "full", block=False)
    assert full.returncode == 0, full.stderr[-2000:]
    for name in ("indicators.csv", "flags.csv", "rejects.csv"):
        assert (tmp_path / "bare" / name).read_bytes() == (tmp_path / "full" / name).read_bytes(), name
