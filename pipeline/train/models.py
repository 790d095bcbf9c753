"""The models ``jixiao train`` compares, each following the scikit-learn estimator contract
(``__init__`` stores its parameters, ``fit`` returns ``self``, learned state ends in ``_``;
``predict_proba`` columns follow ``classes_``):

- :class:`RulesModel` — the keyword rules of ``configs/classify_rules.yaml`` (baseline);
- :func:`build_pipeline` — scikit-learn ``Pipeline``: ``FunctionTransformer(row_frame)`` →
  ``ColumnTransformer`` (TF-IDF of jieba words and of character n-grams of the name, binary
  tokens of the typed value, the filed category and the rule hits) → ``LogisticRegression``
  (or ``LinearSVC`` + ``CalibratedClassifierCV``);
- :class:`LinearModel` — the pipeline plus the content model (the same features without the
  filed category) that decides misfiled rows;
- :class:`TextcatModel` — spaCy ``textcat`` (exclusive classes) on ``spacy.blank("zh")``
  with our jieba segmenter as tokenizer.

scikit-learn and spaCy are imported inside the functions that fit (the ``train`` extra).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from pipeline.classify.features import (
    FeatureSettings,
    filed_category,
    records,
    row_fields,
    row_frame,
    row_texts,
    rules,
)
from pipeline.classify.types import LABELS
from pipeline.core.segment import SpacyTokenizer, tokenize_name

# Everything a persisted pipeline of ours may contain besides scikit-learn's own types that
# skops trusts by default: pass this list (never "trust all") to skops.io.load.
TRUSTED_TYPES = [
    "pipeline.classify.features.row_frame",
    "pipeline.core.segment.tokenize_name",
]


def build_pipeline(settings: FeatureSettings | None = None, *, C: float = 10.0,
                   class_weight: str | dict | None = "balanced", model: str = "lr",
                   max_iter: int = 5000):
    """The scikit-learn pipeline (see the module docstring). ``model``: ``"lr"`` or ``"svc"``."""
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer


    s = settings or FeatureSettings()
    blocks: list[tuple[str, Any, str]] = []
    if s.weights.get("words", 0):
        blocks.append(("words", TfidfVectorizer(tokenizer=tokenize_name, token_pattern=None, lowercase=False,
                                                ngram_range=(1, s.word_ngram_max), sublinear_tf=s.sublinear_tf,
                                                min_df=s.min_df), "name"))
    if s.weights.get("chars", 0):
        blocks.append(("chars", TfidfVectorizer(analyzer="char", lowercase=False,
                                                ngram_range=(s.char_ngram_min, s.char_ngram_max),
                                                sublinear_tf=s.sublinear_tf, min_df=s.min_df), "name"))
    switch = {"value": s.value, "vwords": s.value_words, "filed": s.filed, "rules": s.rules, "hard": s.rules,
              "shape": s.shape}
    for f in ("value", "vwords", "filed", "rules", "hard", "shape"):
        if switch[f] and s.weights.get(f, 0):
            # the hard-rule block has a fixed vocabulary so that every label's token exists even
            # when a training fold never saw the rule fire (see inject_hard_rules)
            vocab = [f"HARD={lab}" for lab in LABELS] if f == "hard" else None
            blocks.append((f, CountVectorizer(token_pattern=r"\S+", lowercase=False, binary=True,
                                              vocabulary=vocab), f))
    weights = {name: float(s.weights.get(name, 1.0)) for name, _, _ in blocks}
    vec = ColumnTransformer(blocks, transformer_weights=weights, sparse_threshold=1.0)
    if model == "lr":
        from sklearn.linear_model import LogisticRegression

        clf = LogisticRegression(C=C, class_weight=class_weight, max_iter=max_iter)
    elif model == "svc":
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.svm import LinearSVC

        clf = CalibratedClassifierCV(LinearSVC(C=C, class_weight=class_weight), cv=3, method="sigmoid")
    else:
        raise ValueError(f"The 'model' parameter of build_pipeline must be 'lr' or 'svc'. Got {model!r} instead.")
    return Pipeline([("rows", FunctionTransformer(row_frame)), ("vec", vec), ("clf", clf)])


HARD_STRENGTH = 20.0   # logit added to a label when one of its hard rules fires


def inject_hard_rules(pipeline, strength: float = HARD_STRENGTH):
    """Compile the hard rules into a fitted LogisticRegression pipeline, in place.

    For each label L, the weight of the token ``HARD=L`` towards L is raised by
    ``strength`` (in logit units, after the block weight), so a row on which a hard rule
    fires goes to that rule's label whatever else it says. A label absent from the training
    data (社会成本指标 has one labelled row) is added as a class whose only evidence is its
    hard rule. The result is still a plain scikit-learn pipeline (and a plain linear model
    for the numpy scorer). Returns the pipeline.
    """

    vec = pipeline.named_steps["vec"]
    clf = pipeline.named_steps["clf"]
    if "hard" not in vec.output_indices_ or not hasattr(clf, "coef_"):
        return pipeline
    hard = vec.named_transformers_["hard"]
    start = vec.output_indices_["hard"].start
    weight = (vec.transformer_weights or {}).get("hard", 1.0)
    classes = list(clf.classes_)
    coef, intercept = clf.coef_.copy(), clf.intercept_.copy()
    for lab in LABELS:
        if lab not in classes:
            pos = int(np.searchsorted(np.array(classes, dtype=object), lab))
            classes.insert(pos, lab)
            coef = np.insert(coef, pos, 0.0, axis=0)
            intercept = np.insert(intercept, pos, intercept.min() - strength / 4)
        j = start + hard.vocabulary_[f"HARD={lab}"]
        coef[classes.index(lab), j] += strength / weight
    clf.classes_ = np.array(classes, dtype=clf.classes_.dtype if clf.classes_.dtype != object else object)
    clf.coef_, clf.intercept_ = coef, intercept
    return pipeline


def apply_hard_rules(proba, classes: Sequence[str], X: Any):
    """Post-hoc form of the hard rules for models that cannot carry them in their weights
    (spaCy textcat, calibrated SVC): the row's probability mass goes to the rule's label."""


    index = {c: i for i, c in enumerate(classes)}
    out = np.array(proba, dtype=float, copy=True)
    for i, r in enumerate(records(X)):
        hard = row_fields(r).hard
        if hard:
            lab = hard.split()[0][len("HARD="):]
            if lab in index:
                out[i] = 0.0
                out[i, index[lab]] = 1.0
    return out


class LinearModel:
    """TF-IDF + linear classifier (:func:`build_pipeline`) with the hard rules compiled in.

    ``pipeline_`` is the fitted scikit-learn pipeline (what is persisted and exported to
    the numpy scorer). With ``model="svc"`` the hard rules are applied post hoc and classes
    with fewer than 3 training rows are left to them (CalibratedClassifierCV needs 3 per class).

    ``content=True`` (logistic regression only) also fits ``content_pipeline_``: the same
    features without the filed category, at ``content_C`` and ``content_class_weight`` (None:
    unweighted, which keeps its probabilities calibrated to how often each class occurs — a
    balanced head inflates the rare classes, and "another class is likely" is what flags a
    filing), with the alternative-label rows at ``content_alt_weight``. It is the model that judges the
    filing (:mod:`pipeline.classify.misfile`): it never sees the filed label, so the filed label
    cannot vote on whether it is itself wrong. Both pipelines are fitted on the same rows,
    so their vocabularies are identical and the numpy scorer computes the features once.
    """

    def __init__(self, settings: FeatureSettings | None = None, C: float = 3.0,
                 class_weight: str | dict | None = "balanced", model: str = "lr",
                 hard_strength: float = HARD_STRENGTH, content: bool = False, content_C: float | None = None,
                 content_alt_weight: float | None = None, content_class_weight: str | dict | None = "balanced"):
        self.settings = settings
        self.C = C
        self.class_weight = class_weight
        self.model = model
        self.hard_strength = hard_strength
        self.content = content
        self.content_C = content_C
        self.content_alt_weight = content_alt_weight
        self.content_class_weight = content_class_weight

    def fit(self, X: Any, y: Sequence[str], sample_weight=None) -> "LinearModel":
        y = np.asarray(y, dtype=object)
        keep = np.ones(len(y), bool)
        if self.model == "svc":
            labels, counts = np.unique(y, return_counts=True)
            rare = set(labels[counts < 3])
            keep = np.array([lab not in rare for lab in y])
        X = X.iloc[np.where(keep)[0]] if hasattr(X, "iloc") else [r for r, k in zip(X, keep) if k]
        pipe = build_pipeline(self.settings, C=self.C, class_weight=self.class_weight, model=self.model)
        kw = {} if sample_weight is None else {"clf__sample_weight": np.asarray(sample_weight)[keep]}
        pipe.fit(X, y[keep], **kw)
        if self.model == "lr":
            inject_hard_rules(pipe, self.hard_strength)
        self.pipeline_ = pipe
        self.content_pipeline_ = None
        if self.content and self.model == "lr":
            cpipe = build_pipeline(replace(self.settings or FeatureSettings(), filed=False),
                                   C=self.content_C or self.C, class_weight=self.content_class_weight, model="lr")
            ckw = kw
            if kw and self.content_alt_weight is not None:
                # the alternative-label rows (weight < 1) count fully for the content model, so an
                # honestly two-sided row keeps both labels likely and its filer is not flagged
                sw = kw["clf__sample_weight"]
                ckw = {"clf__sample_weight": np.where(sw < 1, self.content_alt_weight, sw)}
            cpipe.fit(X, y[keep], **ckw)
            self.content_pipeline_ = inject_hard_rules(cpipe, self.hard_strength)
        self.classes_ = np.array(sorted(set(pipe.classes_) | (set(LABELS) if self.model != "lr" else set())),
                                 dtype=object)
        return self

    def predict_proba(self, X: Any):
        p = self.pipeline_.predict_proba(X)
        if self.model == "lr":
            return p
        full = np.zeros((p.shape[0], len(self.classes_)))
        full[:, [list(self.classes_).index(c) for c in self.pipeline_.classes_]] = p
        return apply_hard_rules(full, self.classes_, X)

    def predict_content_proba(self, X: Any):
        """Probabilities of the content model (columns follow ``classes_``); None without one."""
        if self.content_pipeline_ is None:
            return None

        p = self.content_pipeline_.predict_proba(X)
        full = np.zeros((p.shape[0], len(self.classes_)))
        full[:, [list(self.classes_).index(c) for c in self.content_pipeline_.classes_]] = p
        return full

    def predict(self, X: Any) -> list[str]:
        p = self.predict_proba(X)
        return [str(self.classes_[i]) for i in p.argmax(1)]


def _texts(X: Any) -> list:
    return [row_fields(r) for r in records(X)]


class RulesModel:
    """The rules baseline: the first keyword rule that fires decides (``configs/classify_rules.yaml``).

    ``use_filed``: when no rule fires, fall back to the filed second level (if any) instead
    of the rules' fallback label.
    """

    def __init__(self, use_filed: bool = False):
        self.use_filed = use_filed

    def fit(self, X: Any, y: Sequence[str], sample_weight=None) -> "RulesModel":


        self.classes_ = np.array(sorted(set(y) | set(LABELS)))
        self.rules_version_ = rules().version
        return self

    def predict(self, X: Any) -> list[str]:
        rs = rules()
        out = []
        for f in _texts(X):
            hit = next((r.label for r in rs.hits(f.name, f.value)), "")
            if not hit and self.use_filed:
                filed = f.filed.split()[0].split("=", 1)[1]
                hit = filed if filed != "-" else ""
            out.append(hit or rs.fallback)
        return out

    def predict_proba(self, X: Any):
        index = {c: i for i, c in enumerate(self.classes_)}
        pred = self.predict(X)
        p = np.zeros((len(pred), len(self.classes_)))
        for i, lab in enumerate(pred):
            p[i, index[lab]] = 1.0
        return p


class TextcatModel:
    """spaCy ``textcat`` (exclusive classes) over ``spacy.blank("zh")`` with the jieba tokenizer.

    The text is the name, the raw target and (``use_filed``) the canonical filed second
    level; ``hard_rules`` applies the hard keyword rules post hoc (as for every candidate).
    ``architecture``: ``"bow"`` (spacy.TextCatBOW.v3, fast) or ``"ensemble"`` (BOW + a small
    tok2vec). Trains ``epochs`` passes of minibatches on CPU.
    """

    def __init__(self, epochs: int = 12, architecture: str = "bow", use_filed: bool = True,
                 dropout: float = 0.2, seed: int = 0, hard_rules: bool = True):
        self.epochs = epochs
        self.hard_rules = hard_rules
        self.architecture = architecture
        self.use_filed = use_filed
        self.dropout = dropout
        self.seed = seed

    def _text(self, row: Mapping[str, Any]) -> str:
        name, target, actual, l1, l2, _ = row_texts(row)
        parts = [name or "空", target or actual]
        if self.use_filed:
            f = filed_category(l1, l2)
            parts.append(f.l2 or f.l1 or "")
        return " ".join(p for p in parts if p)

    def _nlp(self, labels: Iterable[str]):
        import spacy


        nlp = spacy.blank("zh")
        nlp.tokenizer = SpacyTokenizer(nlp.vocab)
        if self.architecture == "bow":
            model = {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True,
                     "ngram_size": 2, "no_output_layer": False, "length": 262144}
        elif self.architecture == "ensemble":
            model = {"@architectures": "spacy.TextCatEnsemble.v2",
                     "tok2vec": {"@architectures": "spacy.Tok2Vec.v2",
                                 "embed": {"@architectures": "spacy.MultiHashEmbed.v2", "width": 64,
                                           "rows": [2000, 2000, 1000, 1000], "include_static_vectors": False,
                                           "attrs": ["NORM", "LOWER", "PREFIX", "SUFFIX"]},
                                 "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": 64,
                                            "window_size": 1, "maxout_pieces": 3, "depth": 2}},
                     "linear_model": {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True,
                                      "ngram_size": 2, "no_output_layer": False, "length": 262144}}
        else:
            raise ValueError("The 'architecture' parameter of TextcatModel must be 'bow' or 'ensemble'. "
                             f"Got {self.architecture!r} instead.")
        tc = nlp.add_pipe("textcat", config={"model": model})
        for lab in labels:
            tc.add_label(lab)
        return nlp

    def fit(self, X: Any, y: Sequence[str], sample_weight=None) -> "TextcatModel":
        from spacy.training import Example
        from spacy.util import fix_random_seed, minibatch


        fix_random_seed(self.seed)
        rows = records(X)
        self.classes_ = np.array(sorted(set(y) | set(LABELS)))
        nlp = self._nlp(self.classes_)
        examples = []
        for r, lab in zip(rows, y):
            doc = nlp.make_doc(self._text(r))
            examples.append(Example.from_dict(doc, {"cats": {c: float(c == lab) for c in self.classes_}}))
        optimizer = nlp.initialize(lambda: examples)
        rng = random.Random(self.seed)
        for _ in range(self.epochs):
            rng.shuffle(examples)
            for batch in minibatch(examples, size=16):
                nlp.update(batch, sgd=optimizer, drop=self.dropout)
        self.nlp_ = nlp
        return self

    def predict_proba(self, X: Any):


        rows = records(X)
        docs = self.nlp_.pipe([self._text(r) for r in rows], batch_size=256)
        p = np.array([[d.cats[c] for c in self.classes_] for d in docs]).reshape(len(rows), len(self.classes_))
        return apply_hard_rules(p, self.classes_, rows) if self.hard_rules else p

    def predict(self, X: Any) -> list[str]:
        p = self.predict_proba(X)
        return [str(self.classes_[i]) for i in p.argmax(1)]
