"""The shape of the package: stage folders import only downward, no cycles, no shims.

The folders of ``pipeline`` are the stages. Each may import the folders below it in
:data:`LAYERS` and never one above, so that a stage can be read, tested and replaced on
its own (``jixiao clean`` never loads the training stack, the readers know nothing of the
review). The graph is read from the source with :mod:`ast`, function-level imports
included, so a cycle cannot hide inside a function.
"""

from __future__ import annotations

import ast
import re
import sys
from collections import defaultdict
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "pipeline"

# lowest first; a folder may import itself and any folder before it
LAYERS = ("core", "ingest", "extract", "values", "classify", "prose", "review", "norms", "run",
          "output", "engine", "workspace", "train", "cli")

# libraries a function may import lazily on purpose: heavy to load, or needed by one path only
LAZY_OK = {"jieba", "spacy", "pandas", "yaml", "docx", "openpyxl", "xlrd", "pdfplumber", "lxml",
           "mlflow", "sklearn", "skops", "matplotlib", "cn2an", "opencc", "rapidfuzz", "fastapi",
           "uvicorn", "starlette", "jinja2", "dask", "distributed", "pyarrow", "ddsketch",
           "playwright", "scipy", "sklearn_crfsuite", "pycrfsuite", "ahocorasick", "pydantic", "numpy",
           "httpx", "mlflow.data", "ddsketch", "pdfminer", "charset_normalizer", "multiprocessing",
           "concurrent"}

# pipeline modules a function may import lazily, and why (the only exceptions to imports at the top)
LAZY_INTERNAL = {
    ("pipeline", "pipeline.ingest.dispatch"): "`import pipeline` stays cheap: the public API loads on first use",
    ("pipeline", "pipeline.run.api"): "`import pipeline` stays cheap: the public API loads on first use",
    ("pipeline.core.config", "pipeline.core.config_schema"): "pydantic loads only when a config file changed",
    ("pipeline.cli.review", "pipeline.workspace.app"): "FastAPI loads only for `jixiao review`",
}

MAX_LINES = 400
LONG_REASON = "Longer than 400 lines because"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PKG.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _sources() -> dict[str, tuple[Path, ast.Module]]:
    return {_module_name(p): (p, ast.parse(p.read_text(encoding="utf-8"), str(p)))
            for p in sorted(PKG.rglob("*.py"))}


SOURCES = _sources()


def _resolve(name: str) -> str:
    """The module a dotted import names (``pipeline.values.parse.Value`` → ``pipeline.values.parse``)."""
    while name not in SOURCES and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def _internal_imports(tree: ast.Module) -> list[tuple[str, int, bool]]:
    """(module, line, inside a function) for every import of a ``pipeline`` module."""
    out = []
    top = set(map(id, tree.body))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "pipeline":
            for a in node.names:
                out.append((_resolve(f"{node.module}.{a.name}"), node.lineno, id(node) not in top))
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] == "pipeline":
                    out.append((_resolve(a.name), node.lineno, id(node) not in top))
    return out


def _folder(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else ""


def test_every_folder_has_a_layer():
    folders = {p.name for p in PKG.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    data_folders = {"configs", "models", "resources"}
    assert folders - data_folders <= set(LAYERS), f"folders with no place in LAYERS: {folders - set(LAYERS)}"


def test_imports_run_downward():
    wrong = []
    for mod, (path, tree) in SOURCES.items():
        src = _folder(mod)
        if not src:
            continue
        for target, line, _ in _internal_imports(tree):
            dst = _folder(target)
            if dst and LAYERS.index(dst) > LAYERS.index(src):
                wrong.append(f"{path.relative_to(PKG.parent)}:{line} ({src}) imports {target} ({dst})")
    assert not wrong, "lower stages import higher ones:\n" + "\n".join(wrong)


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in list(edges):
        if v not in index:
            visit(v)
    return out


def _module_edges() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    for mod, (_, tree) in SOURCES.items():
        for target, _, _ in _internal_imports(tree):
            # a package's __init__ is entered by every import of its modules: not an edge back
            if target != mod and not mod.startswith(target + ".") and not target.startswith(mod + "."):
                edges[mod].add(target)
    return edges


def test_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles():
    cycles = _cycles(_module_edges())
    assert not cycles, "import cycles between modules:\n" + "\n".join(" ↔ ".join(c) for c in cycles)


def test_internal_imports_at_the_top():
    inner = [f"{path.relative_to(PKG.parent)}:{line} imports {target} inside a function"
             for mod, (path, tree) in SOURCES.items() for target, line, nested in _internal_imports(tree)
             if nested and (mod, target) not in LAZY_INTERNAL]
    assert not inner, "\n".join(inner)


def test_lazy_imports_are_heavy_libraries():
    """A function-level import is for a heavy library loaded lazily on purpose, nothing else."""
    wrong = []
    for mod, (path, tree) in SOURCES.items():
        top = set(map(id, tree.body))
        for node in ast.walk(tree):
            if id(node) in top or not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for n in names:
                if n.split(".")[0] not in LAZY_OK and n.split(".")[0] != "pipeline":
                    wrong.append(f"{path.relative_to(PKG.parent)}:{node.lineno} imports {n} inside a function")
    assert not wrong, "move these imports to the top of the module:\n" + "\n".join(wrong)


def test_no_reexport_shims():
    shims = [f"{p.relative_to(PKG.parent)}:{i}" for p in PKG.rglob("*.py")
             for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if "noqa" in line and "F401" in line]
    assert not shims, "re-export shims (import from the defining module instead):\n" + "\n".join(shims)


@pytest.mark.parametrize("mod", sorted(SOURCES))
def test_module_size(mod):
    path, tree = SOURCES[mod]
    n = len(path.read_text(encoding="utf-8").splitlines())
    if n > MAX_LINES:
        doc = ast.get_docstring(tree) or ""
        assert LONG_REASON in doc, (f"{path.relative_to(PKG.parent)} has {n} lines: split it, or say in its "
                                    f"docstring why not ('{LONG_REASON} …')")


# A rule is written for a family of layouts or wordings, never for one filing: code and configs
# name no filing (a seed's number, a shared filing's id, a file name). Tests may: they pin files.
_FILING_REF = re.compile(
    r"(?i:seeds?)\s*00[0-4]\b|\b\d{3}'s\b|\b\d{3}\.txt\b|(?:filings?|文件)\s+\d{3}\b|\b\d{3}_[0-9a-f]{8}")
# a bare id cited in a comment: (080), (201: …), "015, 020", "# 213: …", "041)"; counted only when
# the number is the id of a filing of data/raw, so that (100) or 200 分 never count
_BARE_ID = re.compile(r"(?<!\d[,，])(?:(?<=[(（,，;；])|(?<=[(（,，;；] )|(?<=# )|(?<=^ {4})|(?<=^ {8})|(?<=^ {12}))"
                      r"(\d{3})(?=[)）:：,，;；]| only\b)")


def _filing_ids() -> frozenset[str]:
    return frozenset(p.name[:3] for p in (PKG.parent / "data" / "raw").rglob("*") if p.name[:3].isdigit())


def _filing_refs(text: str, ids: frozenset[str] = frozenset()) -> list[str]:
    refs = [m.group() for m in _FILING_REF.finditer(text)]
    return refs + [m.group(1) for m in _BARE_ID.finditer(text) if m.group(1) in ids]


def test_filing_reference_finder_finds_one():
    ids = frozenset({"015", "020", "041", "080", "201", "213"})
    assert _filing_refs("# fixes seed 004's block and 015's cut cell (filing 041)", ids) == [
        "seed 004", "015's", "filing 041"]
    assert _filing_refs("Seed 001: 指标值 over 近两年指标值") == ["Seed 001"]
    assert _filing_refs("pipes in front (080)::", ids) == ["080"]
    assert _filing_refs("running text (201: 资金使用合规性 合规 2.8)", ids) == ["201"]
    assert _filing_refs("# 213: 实施效果指标 | 产出指标", ids) == ["213"]
    assert _filing_refs("(015, 020) and empty cells, 041) here", ids) == ["015", "020", "041"]
    assert _filing_refs("≥300万元, 2023年, 100人次 (100) 分值(100), 1,041,576 rows", ids) == []


def test_code_and_configs_name_no_filing():
    root = PKG.parent
    ids = _filing_ids()
    assert len(ids) >= 50     # the finder needs the data/raw copy to know the ids
    found = []
    for path in sorted([*PKG.rglob("*.py"), *(root / "configs").glob("*.yaml")]):
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            found += [f"{path.relative_to(root)}:{i}: {ref}" for ref in _filing_refs(line, ids)]
    assert not found, "code or configs name a filing; describe the layout or wording instead:\n" + "\n".join(found)
