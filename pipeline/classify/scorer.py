"""The shipped classifier as plain data, scored with numpy only.

A fitted pipeline of :func:`pipeline.train.models.build_pipeline` is exported by :func:`export`
into a folder (``models/``):

- ``model.json`` — format version, feature settings, the blocks in column order (kind,
  n-gram range, TF-IDF switches, weight, width), the classes, the misfile thresholds and the
  versions (taxonomy, rules, features, jieba dictionary);
- ``vocab.json`` — the fitted vocabulary of every block (token → column);
- ``weights.npz`` — the IDF vector of each TF-IDF block, ``coef`` and ``intercept``
  (loaded with ``allow_pickle=False``: nothing is unpickled), and, when the model has one,
  ``coef_content``/``intercept_content``: the content model (same features without the filed
  category, :class:`pipeline.train.models.LinearModel`) laid out on the same columns, so one pass
  over a row's features scores both (:meth:`Scorer.predict_proba_both`).

:class:`Scorer` rebuilds exactly the features scikit-learn computes (the same
:func:`pipeline.classify.features.row_fields`, then the vectorizers' analyzers, sublinear TF,
IDF, L2 norm per block, block weights) and the softmax of the linear model. It imports
neither scikit-learn nor mlflow. ``Scorer.load("models").predict([{"name": "补贴对象满意度",
"target": "≥90%"}])`` → ``['服务对象满意度指标']``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.classify.features import FeatureSettings, records, row_fields
from pipeline.core.segment import tokenize_name

FORMAT = "jixiao-linear-v1"
_WS2 = re.compile(r"\s\s+")     # scikit-learn's char analyzer collapses runs of blanks
_TOKEN = re.compile(r"\S+")     # token_pattern of the binary blocks
MODEL_FILES = ("model.json", "vocab.json", "weights.npz")


class ModelFormatError(Exception):
    """The model folder is missing a file or was written by another format version."""


@dataclass(frozen=True)
class Block:
    name: str            # words | chars | value | vwords | filed | rules | hard
    field: str           # the row field it reads (name, value, ...)
    kind: str            # words | chars | binary
    ngram: tuple[int, int]
    sublinear: bool
    weight: float
    start: int
    width: int
    vocab: dict[str, int]
    idf: np.ndarray | None


# rows scored together in one gather of their weights (see Scorer._scores)
_ROWS_PER_BLOCK = 256

# 1 + log(c) for the term counts a name has (sublinear tf), computed once
_TF_TABLE = 64
_SUBLINEAR_TF = [0.0] + [1.0 + math.log(c) for c in range(1, _TF_TABLE)]


# --------------------------------------------------------------------------- analyzers (as scikit-learn)

def word_ngrams(tokens: Sequence[str], lo: int, hi: int) -> list[str]:
    """scikit-learn's ``_VectorizerMixin._word_ngrams`` (no stop words)."""
    if hi == 1:
        return list(tokens)
    original = list(tokens)
    out = list(original) if lo == 1 else []
    lo = max(lo, 2)
    n_orig = len(original)
    for n in range(lo, min(hi + 1, n_orig + 1)):
        for i in range(n_orig - n + 1):
            out.append(" ".join(original[i:i + n]))
    return out


def char_ngrams(text: str, lo: int, hi: int) -> list[str]:
    """scikit-learn's ``_VectorizerMixin._char_ngrams``."""
    text = _WS2.sub(" ", text)
    n_text = len(text)
    out = list(text) if lo == 1 else []
    lo = max(lo, 2)
    for n in range(lo, min(hi + 1, n_text + 1)):
        for i in range(n_text - n + 1):
            out.append(text[i:i + n])
    return out


# --------------------------------------------------------------------------- export

def _content_head(vec, clf, content_pipeline) -> tuple[np.ndarray, np.ndarray]:
    """The content pipeline's coefficients on the full pipeline's columns.

    Both were fitted on the same rows, so every block they share has the same vocabulary and
    IDF; the filed block, which the content model lacks, gets zero weights.
    """
    cvec = content_pipeline.named_steps["vec"]
    cclf = content_pipeline.named_steps["clf"]
    if [str(c) for c in cclf.classes_] != [str(c) for c in clf.classes_]:
        raise ValueError("the content model's classes differ from the model's")
    coef = np.zeros_like(np.asarray(clf.coef_, dtype=np.float64))
    full = dict((n, t) for n, t, _ in vec.transformers_)
    weights, cweights = vec.transformer_weights or {}, cvec.transformer_weights or {}
    for name, trans, _ in cvec.transformers_:
        if trans == "drop" or name not in cvec.output_indices_:
            continue
        if name not in full or trans.vocabulary_ != full[name].vocabulary_:
            raise ValueError(f"block {name!r}: the content model's vocabulary differs from the model's")
        if hasattr(trans, "idf_") and not np.allclose(trans.idf_, full[name].idf_):
            raise ValueError(f"block {name!r}: the content model's IDF differs from the model's")
        if weights.get(name, 1.0) != cweights.get(name, 1.0):
            raise ValueError(f"block {name!r}: the content model's block weight differs from the model's")
        coef[:, vec.output_indices_[name]] = cclf.coef_[:, cvec.output_indices_[name]]
    return coef, np.asarray(cclf.intercept_, dtype=np.float64)


def export(pipeline, out_dir: str | Path, *, settings: FeatureSettings, meta: Mapping[str, Any] | None = None,
           thresholds: Mapping[str, float] | None = None, content_pipeline=None) -> Path:
    """Write a fitted LogisticRegression pipeline as plain data into ``out_dir`` (see module doc).

    Only the fitted attributes are read (no scikit-learn import here). Raises ValueError if the
    pipeline is not one this scorer can reproduce (another classifier, a lowercasing vectorizer…).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    vec = pipeline.named_steps["vec"]
    clf = pipeline.named_steps["clf"]
    if not hasattr(clf, "coef_"):
        raise ValueError(f"only linear classifiers with coef_ can be exported, got {type(clf).__name__}")
    weights = vec.transformer_weights or {}
    blocks, vocabs, arrays = [], {}, {}
    for name, trans, column in vec.transformers_:
        if trans == "drop" or name not in vec.output_indices_:
            continue
        sl = vec.output_indices_[name]
        if getattr(trans, "lowercase", False):
            raise ValueError(f"block {name!r}: lowercase=True is not reproduced by the scorer")
        analyzer = trans.analyzer
        tfidf = hasattr(trans, "idf_")
        if analyzer == "char":
            kind = "chars"
        elif tfidf:
            kind = "words"
        else:
            if not trans.binary:
                raise ValueError(f"block {name!r}: only binary count blocks are supported")
            kind = "binary"
        if tfidf and (trans.norm != "l2" or not trans.use_idf):
            raise ValueError(f"block {name!r}: only norm='l2' with use_idf=True is supported")
        vocab = {t: int(i) for t, i in trans.vocabulary_.items()}
        if len(vocab) != sl.stop - sl.start:
            raise ValueError(f"block {name!r}: vocabulary size {len(vocab)} != output width {sl.stop - sl.start}")
        blocks.append({"name": name, "field": column, "kind": kind, "ngram": list(trans.ngram_range),
                       "sublinear": bool(getattr(trans, "sublinear_tf", False)),
                       "weight": float(weights.get(name, 1.0)), "start": sl.start, "width": sl.stop - sl.start})
        vocabs[name] = vocab
        if tfidf:
            arrays[f"idf_{name}"] = np.asarray(trans.idf_, dtype=np.float64)
    arrays["coef"] = np.asarray(clf.coef_, dtype=np.float64)
    arrays["intercept"] = np.asarray(clf.intercept_, dtype=np.float64)
    if content_pipeline is not None:
        arrays["coef_content"], arrays["intercept_content"] = _content_head(vec, clf, content_pipeline)
    np.savez(out / "weights.npz", **arrays)
    (out / "vocab.json").write_text(json.dumps(vocabs, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    model = {
        "format": FORMAT,
        "classes": [str(c) for c in clf.classes_],
        "settings": settings.to_dict(),
        "blocks": blocks,
        "n_features": int(arrays["coef"].shape[1]),
        "content_model": content_pipeline is not None,
        "thresholds": dict(thresholds or {}),
        **dict(meta or {}),
    }
    (out / "model.json").write_text(json.dumps(model, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                                    encoding="utf-8")
    return out


def digest(model_dir: str | Path) -> str:
    """sha256 of the three model files (identifies a shipped model)."""
    h = hashlib.sha256()
    for f in MODEL_FILES:
        h.update((Path(model_dir) / f).read_bytes())
    return h.hexdigest()


# --------------------------------------------------------------------------- scoring

class Scorer:
    """A loaded model folder: :meth:`predict_proba` / :meth:`predict` over rows (mappings)."""
    def __init__(self, meta: dict[str, Any], blocks: list[Block], coef: np.ndarray, intercept: np.ndarray,
                 coef_content: np.ndarray | None = None, intercept_content: np.ndarray | None = None):
        self.meta = meta
        self.blocks = blocks
        self.classes = list(meta["classes"])
        self.thresholds = dict(meta.get("thresholds", {}))
        self.settings = FeatureSettings.from_dict(meta.get("settings", {}))
        self.has_content = coef_content is not None
        if coef_content is not None:
            # one product scores both heads: columns [model classes | content classes]
            coef = np.vstack([coef, coef_content])
            intercept = np.concatenate([intercept, intercept_content])
        self.coef_t = np.ascontiguousarray(coef.T)      # (n_features, n_classes or 2 × n_classes)
        self.intercept = intercept
        self._name_cache = functools.lru_cache(maxsize=65536)(self._name_features)
        # a row's features depend on its Fields only (row_fields caches those per row text)
        self._row_cache = functools.lru_cache(maxsize=65536)(self._row_features)
        self._binary = [b for b in blocks if b.field != "name"]
        self._name_blocks = [b for b in blocks if b.field == "name"]
        self._idf = {b.name: b.idf.tolist() for b in blocks if b.idf is not None}   # list indexing is faster

    @classmethod
    def load(cls, model_dir: str | Path) -> "Scorer":
        d = Path(model_dir)
        missing = [f for f in MODEL_FILES if not (d / f).is_file()]
        if missing:
            raise ModelFormatError(f"model folder {d} lacks {', '.join(missing)}; "
                                   "train one with `jixiao train --export DIR` or reinstall jixiao")
        meta = json.loads((d / "model.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ModelFormatError(f"{d}/model.json has format {meta.get('format')!r}, expected {FORMAT!r}")
        vocabs = json.loads((d / "vocab.json").read_text(encoding="utf-8"))
        with np.load(d / "weights.npz", allow_pickle=False) as w:
            arrays = {k: w[k] for k in w.files}
        blocks = [Block(name=b["name"], field=b["field"], kind=b["kind"], ngram=tuple(b["ngram"]),
                        sublinear=b["sublinear"], weight=b["weight"], start=b["start"], width=b["width"],
                        vocab=vocabs[b["name"]], idf=arrays.get(f"idf_{b['name']}"))
                  for b in meta["blocks"]]
        coef = arrays["coef"]
        if coef.shape != (len(meta["classes"]), meta["n_features"]):
            raise ModelFormatError(f"{d}/weights.npz: coef has shape {coef.shape}, expected "
                                   f"({len(meta['classes'])}, {meta['n_features']})")
        content = arrays.get("coef_content")
        if content is not None and content.shape != coef.shape:
            raise ModelFormatError(f"{d}/weights.npz: coef_content has shape {content.shape}, expected {coef.shape}")
        return cls(meta, blocks, coef, arrays["intercept"], content, arrays.get("intercept_content"))

    # -- features
    def _tfidf(self, b: Block, terms: list[str], cols_out: list[int], vals_out: list[float]) -> None:
        """Append the block's tf-idf columns and values of ``terms`` (l2-normed, as scikit-learn).

        Terms are counted in the order they first occur (``Counter``), unknown ones dropped; a
        term's sublinear tf is looked up in a table of ``1 + log(c)``."""
        get = b.vocab.get
        known = [(j, c) for t, c in Counter(terms).items() if (j := get(t)) is not None]
        if not known:
            return
        idf = self._idf[b.name]
        if b.sublinear:
            tf = _SUBLINEAR_TF
            vals = [(tf[c] if c < _TF_TABLE else 1.0 + math.log(c)) * idf[j] for j, c in known]
        else:
            vals = [float(c) * idf[j] for j, c in known]
        norm = math.sqrt(math.fsum([v * v for v in vals]))
        scale = b.weight / norm if norm > 0 else 0.0
        start = b.start
        cols_out.extend([start + j for j, _ in known])
        vals_out.extend([v * scale for v in vals])

    def _name_features(self, name: str) -> tuple[tuple[int, ...], tuple[float, ...]]:
        cols: list[int] = []
        vals: list[float] = []
        for b in self._name_blocks:
            if b.kind == "words":
                terms = word_ngrams(tokenize_name(name), *b.ngram) if name else []
            else:
                terms = char_ngrams(name, *b.ngram)
            self._tfidf(b, terms, cols, vals)
        return tuple(cols), tuple(vals)

    def _binary_features(self, f, cols: list[int], vals: list[float]) -> None:
        for b in self._binary:
            seen = set()
            for t in _TOKEN.findall(getattr(f, b.field)):
                j = b.vocab.get(t)
                if j is not None and j not in seen:
                    seen.add(j)
                    cols.append(b.start + j)
                    vals.append(b.weight)

    def features(self, row: Mapping[str, Any]) -> list[tuple[int, float]]:
        """The non-zero features of one row as (column, value) pairs."""
        f = row_fields(row)
        nc, nv = self._name_cache(f.name)
        cols, vals = list(nc), list(nv)
        self._binary_features(f, cols, vals)
        return list(zip(cols, vals))

    def decision_function(self, rows: Any) -> np.ndarray:
        """Linear scores (n_rows, n_classes), as ``LogisticRegression.decision_function``."""
        return self._scores(rows)[:, :len(self.classes)]

    def _row_features(self, f) -> tuple[tuple[int, ...], tuple[float, ...]]:
        nc, nv = self._name_cache(f.name)
        cols, vals = list(nc), list(nv)
        self._binary_features(f, cols, vals)
        return tuple(cols), tuple(vals)

    def _scores(self, rows: Any) -> np.ndarray:
        """Linear scores of both heads (n_rows, n_classes or 2 × n_classes)."""
        rows = records(rows)
        n = len(rows)
        starts = [0] * n
        cols: list[int] = []
        vals: list[float] = []
        row_cache = self._row_cache
        for i, r in enumerate(rows):
            starts[i] = len(cols)
            rc, rv = row_cache(row_fields(r))
            cols.extend(rc)
            vals.extend(rv)
        scores = np.tile(self.intercept, (n, 1))
        if not cols:
            return scores
        cols_a = np.asarray(cols, dtype=np.intp)
        vals_a = np.asarray(vals)
        st = np.asarray(starts, dtype=np.intp)
        ends = np.append(st[1:], len(cols))
        # in blocks of rows, so the gathered weights (non-zeros × classes) stay in cache instead of
        # one array of hundreds of MB for a big batch; each row's sum is the same either way
        for lo in range(0, n, _ROWS_PER_BLOCK):
            hi = min(n, lo + _ROWS_PER_BLOCK)
            a, b = st[lo], ends[hi - 1]
            if a == b:
                continue
            contrib = self.coef_t[cols_a[a:b]]
            contrib *= vals_a[a:b, None]
            bst, bend = st[lo:hi] - a, ends[lo:hi] - a
            nonempty = bend > bst
            scores[lo:hi][nonempty] += np.add.reduceat(contrib, bst[nonempty], axis=0)
        return scores

    def predict_proba(self, rows: Any) -> np.ndarray:
        return _softmax(self.decision_function(rows))

    def predict_proba_both(self, rows: Any) -> tuple[np.ndarray, np.ndarray | None]:
        """(the model's probabilities, the content model's or None when the model has none)."""
        z = self._scores(rows)
        k = len(self.classes)
        if not self.has_content:
            return _softmax(z), None
        return _softmax(z[:, :k]), _softmax(z[:, k:])

    def predict(self, rows: Any) -> list[str]:
        p = self.predict_proba(rows)
        return [self.classes[i] for i in p.argmax(axis=1)]


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z
