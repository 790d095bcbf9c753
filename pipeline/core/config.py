"""Loading of the rule and lexicon files in ``configs/``.

Rules and lexicons are data, not code: every stage reads its word lists, unit tables and
thresholds from a YAML file under ``configs/``, loaded once (``functools.cache``) and turned
into frozen dataclasses by the stage that owns it. This module only finds, reads and
validates the files, so an error always names the file and the key that is wrong.

The directory is found in this order: the ``JIXIAO_CONFIG_DIR`` environment variable, the
``configs/`` folder of a source checkout (next to ``pipeline/``), then the copy shipped in
the installed package (``pipeline/configs``).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.core.errors import ConfigError

_PACKAGE_DIR = Path(__file__).resolve().parents[1]   # pipeline/


def config_dir() -> Path:
    """Return the folder holding the YAML configs (see the module docstring)."""
    env = os.environ.get("JIXIAO_CONFIG_DIR")
    if env:
        return Path(env)
    checkout = _PACKAGE_DIR.parent / "configs"
    if checkout.is_dir():
        return checkout
    return _PACKAGE_DIR / "configs"


@functools.cache
def load_yaml(name: str) -> dict[str, Any]:
    """Read ``configs/<name>`` once and return its top-level mapping.

    Raises :class:`ConfigError` naming the path when the file is missing, is not valid
    YAML or does not hold a mapping.
    """
    import yaml  # local: keeps `import pipeline` light

    path = config_dir() / name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(str(path), f"cannot read the config file ({exc.strerror}); "
                          "reinstall jixiao or set JIXIAO_CONFIG_DIR to a folder that has it") from exc
    try:
        # the C loader (libyaml, in PyYAML's wheels) reads the configs ~8x faster than the
        # pure-Python one; both are safe loaders
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise ConfigError(str(path), f"is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(str(path), f"must hold a mapping at the top level, got {type(data).__name__}")
    _validate(name, path, text, data)
    return data


_SCHEMA_FILE = Path(__file__).resolve().with_name("config_schema.py")


def cache_dir() -> Path:
    """Where jixiao keeps what it may recompute: ``$JIXIAO_CACHE_DIR``, else the XDG cache."""
    env = os.environ.get("JIXIAO_CACHE_DIR")
    if env:
        return Path(env)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "jixiao"


def _validate(name: str, path: Path, text: str, data: dict[str, Any]) -> None:
    """Check ``data`` against its pydantic model (:mod:`pipeline.core.config_schema`).

    A file whose bytes (and the models' source) were validated before is not validated
    again: a marker named by their digest is kept in :func:`cache_dir`. That keeps pydantic
    (about 60 ms to import) off the cold start of every run with unchanged configs.
    """
    digest = hashlib.sha256(text.encode("utf-8") + _SCHEMA_FILE.read_bytes()).hexdigest()[:32]
    marker = cache_dir() / "validated" / f"{name}-{digest}"
    if marker.exists():
        return
    # lazy on purpose: pydantic is needed only when a config changed (see above)
    from pipeline.core import config_schema

    found = config_schema.problems(name, data)
    if found:
        raise ConfigError(str(path), "; ".join(found[:5]) + (f" (and {len(found) - 5} more)" if len(found) > 5 else ""))
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:     # a read-only home: validate every time instead
        pass


def require(data: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    """Return ``data[key]`` checked against ``kind``; the error names ``where`` and the key."""
    if key not in data:
        raise ConfigError(where, f"missing key '{key}'")
    value = data[key]
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise ConfigError(where, f"key '{key}' must be {names}, got {type(value).__name__} ({value!r:.60})")
    return value


def str_list(data: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    """Return ``data[key]`` as a tuple of non-empty strings, or raise naming the bad item."""
    items = require(data, key, list, where)
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, str) or not item:
            raise ConfigError(where, f"item {i} of '{key}' must be a non-empty string, got {item!r}")
        out.append(item)
    return tuple(out)


@contextlib.contextmanager
def environ_set(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the duration of a ``with`` block, then restore them.

    ``jixiao clean --norms/--model`` passes its choices to worker processes this way (the
    workers, forked or started by Dask, read ``JIXIAO_NORMS``/``JIXIAO_MODEL_DIR``), and the
    caller's environment is as before once the run ends.
    """
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
