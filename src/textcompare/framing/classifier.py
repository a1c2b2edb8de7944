"""A trained frame tagger: one logistic regression per frame, trained on a user's coded sentences.

Features of a sentence (parsed alone, or a sentence of a parsed document):

- lemma unigrams and bigrams (lower-cased, punctuation dropped; scikit-learn ``CountVectorizer``,
  binary, terms in at least two training sentences);
- a few dependency features, as tokens in the same vocabulary: ``dep:root_<lemma>``,
  ``dep:nsubj_<lemma>``, ``dep:dobj_<lemma>``, ``dep:neg``, ``dep:passive``, ``dep:modal``;
- the packaged lexicon's non-negated hit count per frame (times ``LEXICON_WEIGHT``), so the
  classifier can lean on the lexicon where it is right and learn around it where it is not.

Each frame gets a ``LogisticRegression`` (lbfgs, L2, ``class_weight="balanced"``, deterministic).
Quality is estimated with grouped cross-validation by document (no document is both trained and
tested on). The model is saved as sorted JSON (vocabulary, coefficients rounded to 8 significant
digits, intercepts, cross-validation table): small, diffable, byte-reproducible and loaded
without pickle (a pickle from an untrusted source can run code).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ..fileio import atomic_write_bytes
from ..words import is_word

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

FORMAT = "textcompare-frame-classifier/1"
MAX_MODEL_BYTES = 20_000_000
THRESHOLD = 0.5
# Lexicon counts are multiplied by this before the L2-penalised fit, so the penalty shrinks them less
# than the thousands of n-grams. C and this weight were chosen on the framing-dev grouped CV
# (8 settings tried; see benchmarks/frame_classifier.py and docs/validation.md).
LEXICON_WEIGHT = 3.0
DEFAULT_C = 0.1
CV_COLUMNS = ["frame", "support", "predicted", "tp", "fp", "fn", "precision", "recall", "f1", "n_folds"]
MODEL_HIT_COLUMNS = ["doc_id", "sent_id", "frame", "probability", "sentence"]


def sentence_features(doc: "Doc", matcher: Any, lexicon_frames: list[str]) -> tuple[str, list[float]]:
    """One sentence's text features (space-separated lemma and ``dep:`` tokens) and lexicon counts."""
    words = [t.lemma_.lower() or t.lower_ for t in doc if is_word(t)]
    deps = []
    for t in doc:
        if t.dep_ == "ROOT":
            deps.append(f"dep:root_{t.lemma_.lower()}")
        elif t.dep_ in ("nsubj", "nsubjpass", "dobj"):
            deps.append(f"dep:{t.dep_.replace('pass', '')}_{t.lemma_.lower()}")
        if t.dep_ == "neg":
            deps.append("dep:neg")
        if t.dep_ in ("auxpass", "nsubjpass"):
            deps.append("dep:passive")
        if t.tag_ == "MD":
            deps.append("dep:modal")
    from .lexicons import is_negated

    counts = dict.fromkeys(lexicon_frames, 0.0)
    for hit in matcher(doc):
        if hit.category in counts and not is_negated(doc, hit.start, hit.end):
            counts[hit.category] += 1
    tokens = [w.replace(" ", "_") for w in words] + deps
    return " ".join(tokens), [counts[f] for f in lexicon_frames]


def featurize_docs(docs: list["Doc"], *, nlp: "Language" | None = None) -> tuple[list[str], np.ndarray, list[str]]:
    """Text features, lexicon-count matrix and lexicon frame names for one-sentence docs."""
    from ..nlp import load_nlp
    from .lexicons import frame_matcher, load_frame_definitions

    nlp = nlp or load_nlp()
    matcher = frame_matcher(nlp)
    lexicon_frames = load_frame_definitions()["frame"].tolist()
    texts, counts = [], []
    for doc in docs:
        text, row = sentence_features(doc, matcher, lexicon_frames)
        texts.append(text)
        counts.append(row)
    return texts, np.asarray(counts, float).reshape(len(docs), len(lexicon_frames)), lexicon_frames


def _vectorizer(vocabulary: list[str] | None = None, *, min_df: int = 2):
    from sklearn.feature_extraction.text import CountVectorizer

    if vocabulary is not None:
        return CountVectorizer(token_pattern=r"\S+", lowercase=False, binary=True, ngram_range=(1, 2),
                               vocabulary={t: i for i, t in enumerate(vocabulary)})
    return CountVectorizer(token_pattern=r"\S+", lowercase=False, binary=True, ngram_range=(1, 2), min_df=min_df)


def _fit(texts: list[str], counts: np.ndarray, y: np.ndarray, *, C: float, min_df: int) -> dict[str, Any]:
    """Fit one vocabulary and one logistic regression per column of ``y``."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.linear_model import LogisticRegression

    vec = _vectorizer(min_df=min_df if len(texts) >= 2 * min_df else 1)
    X_text = vec.fit_transform(texts)
    vocabulary = vec.get_feature_names_out().tolist()
    X = hstack([X_text, csr_matrix(counts * LEXICON_WEIGHT)]).tocsr()
    coef, intercept = [], []
    for k in range(y.shape[1]):
        col = y[:, k]
        if col.min() == col.max():  # one class only: a constant model
            coef.append(np.zeros(X.shape[1]))
            intercept.append(10.0 if col.max() == 1 else -10.0)
            continue
        lr = LogisticRegression(C=C, class_weight="balanced", solver="lbfgs", max_iter=5_000)
        lr.fit(X, col)
        coef.append(lr.coef_[0])
        intercept.append(float(lr.intercept_[0]))
    return {"vocabulary": vocabulary, "coef": np.asarray(coef), "intercept": np.asarray(intercept)}


def _round(values: np.ndarray) -> list[float]:
    return [float(f"{v:.8g}") for v in np.asarray(values, float)]


@dataclass
class FrameClassifier:
    """A trained per-frame classifier (see the module docstring); build it with :func:`train_frame_classifier`."""

    frames: list[str]
    vocabulary: list[str]
    lexicon_frames: list[str]
    coef: np.ndarray
    intercept: np.ndarray
    cv: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CV_COLUMNS))
    meta: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        """The model as sorted JSON text (what :meth:`save` writes)."""
        payload = {
            "format": FORMAT, "frames": self.frames, "vocabulary": self.vocabulary,
            "lexicon_frames": self.lexicon_frames, "threshold": THRESHOLD,
            "coef": {f: _round(self.coef[k]) for k, f in enumerate(self.frames)},
            "intercept": {f: _round([self.intercept[k]])[0] for k, f in enumerate(self.frames)},
            "cv": json.loads(self.cv.to_json(orient="records", double_precision=10)), "meta": self.meta,
            "lexicon_weight": LEXICON_WEIGHT,
        }
        return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"

    @property
    def version(self) -> str:
        """First 12 hex digits of the SHA-256 of the model's JSON."""
        return hashlib.sha256(self.to_json().encode()).hexdigest()[:12]

    def save(self, path: str | Path) -> Path:
        """Write the model JSON atomically (a directory gets ``model.json`` inside)."""
        path = Path(path)
        if path.is_dir() or not path.suffix:
            path.mkdir(parents=True, exist_ok=True)
            path = path / "model.json"
        atomic_write_bytes(path, self.to_json().encode("utf-8"), durable=True)
        return path

    def predict_proba_features(self, texts: list[str], counts: np.ndarray) -> np.ndarray:
        """Probabilities (sentences x frames) from precomputed features."""
        from scipy.sparse import csr_matrix, hstack

        X_text = _vectorizer(self.vocabulary).transform(texts)
        X = hstack([X_text, csr_matrix(counts * LEXICON_WEIGHT)]).tocsr()
        return 1.0 / (1.0 + np.exp(-(X @ self.coef.T + self.intercept)))

    def predict_proba_docs(self, docs: list["Doc"], *, nlp: "Language" | None = None) -> np.ndarray:
        """Probabilities (one-sentence docs x frames), featurized as in training."""
        texts, counts, names = featurize_docs(docs, nlp=nlp)
        counts = pd.DataFrame(counts, columns=names).reindex(columns=self.lexicon_frames, fill_value=0).to_numpy()
        return self.predict_proba_features(texts, counts)

    def predict_docs(self, docs: list["Doc"], *, nlp: "Language" | None = None) -> pd.DataFrame:
        """0/1 prediction per one-sentence doc and frame (columns: the frames)."""
        if not docs:
            return pd.DataFrame(columns=self.frames, dtype=int)
        proba = self.predict_proba_docs(docs, nlp=nlp)
        return pd.DataFrame((proba >= THRESHOLD).astype(int), columns=self.frames)


def read_model_payload(path: Path, fmt: str, *, max_bytes: int, fix: str) -> dict[str, Any]:
    """A model file's JSON object, checked: it exists, is at most ``max_bytes``, and declares ``fmt``."""
    if not path.is_file():
        raise InputError("model not found", path=path, fix=fix)
    if path.stat().st_size > max_bytes:
        raise InputError(f"model file larger than {max_bytes // 1_000_000} MB", path=path)
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"not a JSON model ({exc})", path=path, fix="train it again") from exc
    if not isinstance(payload, dict) or payload.get("format") != fmt:
        raise InputError(f"not a {fmt} model", path=path, fix="train it again with this version of textcompare")
    return payload


def load_frame_classifier(path: str | Path) -> FrameClassifier:
    """Read a model written by :meth:`FrameClassifier.save` (a file, or a directory with ``model.json``).

    Raises
    ------
    InputError
        Missing, too large, not JSON, or not a frame classifier of this format.
    """
    path = Path(path)
    if path.is_dir():
        path = path / "model.json"
    payload = read_model_payload(path, FORMAT, max_bytes=MAX_MODEL_BYTES,
                                 fix="train one with `textcompare train SHEET --out DIR`")
    if payload.get("lexicon_weight") != LEXICON_WEIGHT:
        raise InputError("model trained with another lexicon weight", path=path, fix="train it again")
    try:
        frames = [str(f) for f in payload["frames"]]
        vocabulary = [str(t) for t in payload["vocabulary"]]
        lexicon_frames = [str(f) for f in payload["lexicon_frames"]]
        coef = np.asarray([payload["coef"][f] for f in frames], float).reshape(len(frames), -1)
        intercept = np.asarray([payload["intercept"][f] for f in frames], float)
        if coef.shape[1] != len(vocabulary) + len(lexicon_frames):
            raise ValueError("coefficient length does not match the features")
        cv = pd.DataFrame(payload.get("cv", []), columns=CV_COLUMNS)
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"malformed model ({exc})", path=path, fix="train it again") from exc
    return FrameClassifier(frames=frames, vocabulary=vocabulary, lexicon_frames=lexicon_frames, coef=coef,
                           intercept=intercept, cv=cv, meta=dict(payload.get("meta", {})))


def _score_rows(frames: list[str], y: np.ndarray, p: np.ndarray, n_folds: int) -> pd.DataFrame:
    from .evaluation import score_prf

    rows = []
    for k, frame in enumerate(frames):
        yk, pk = y[:, k].astype(bool), p[:, k].astype(bool)
        tp, fp, fn = int((yk & pk).sum()), int((~yk & pk).sum()), int((yk & ~pk).sum())
        precision, recall, f1 = score_prf(tp, fp, fn)
        rows.append({"frame": frame, "support": tp + fn, "predicted": tp + fp, "tp": tp, "fp": fp, "fn": fn,
                     "precision": precision, "recall": recall, "f1": f1, "n_folds": n_folds})
    return pd.DataFrame(rows, columns=CV_COLUMNS)


def cross_validate_features(texts: list[str], counts: np.ndarray, y: np.ndarray, groups: list[str],
                            frames: list[str], *, n_splits: int = 5, C: float = DEFAULT_C,
                            min_df: int = 2) -> tuple[pd.DataFrame, np.ndarray]:
    """Grouped K-fold (no group in both train and test): per-frame pooled P/R/F1 and the out-of-fold predictions."""
    from sklearn.model_selection import GroupKFold

    groups = np.asarray(groups)
    k = min(n_splits, len(np.unique(groups)))
    if k < 2:
        return _score_rows(frames, y, np.zeros_like(y), 0).assign(precision=np.nan, recall=np.nan, f1=np.nan), \
            np.zeros_like(y)
    out = np.zeros_like(y)
    texts_arr = np.asarray(texts, dtype=object)
    for train, test in GroupKFold(n_splits=k).split(texts_arr, y, groups):
        fitted = _fit(texts_arr[train].tolist(), counts[train], y[train], C=C, min_df=min_df)
        model = FrameClassifier(frames=frames, vocabulary=fitted["vocabulary"], lexicon_frames=[], coef=fitted["coef"],
                                intercept=fitted["intercept"])
        proba = model.predict_proba_features(texts_arr[test].tolist(), counts[test])
        out[test] = (proba >= THRESHOLD).astype(int)
    return _score_rows(frames, y, out, k), out


def train_frame_classifier(sentences: list[str], codes: pd.DataFrame, groups: list[str], *,
                           frames: list[str] | None = None, C: float = DEFAULT_C, n_splits: int = 5, min_df: int = 2,
                           nlp: "Language" | None = None, meta: dict[str, Any] | None = None) -> FrameClassifier:
    """Train one logistic regression per frame on coded sentences, with grouped cross-validation.

    Parameters
    ----------
    sentences : list of str
        Sentence texts (each parsed on its own).
    codes : DataFrame
        One 0/1 column per frame, aligned with ``sentences``.
    groups : list of str
        Document of each sentence: the cross-validation never splits a document.
    frames : list of str, optional
        Frames to train (default: the columns of ``codes``); user-defined frames work the same.
    C : float
        Inverse L2 strength (default ``DEFAULT_C``).
    n_splits : int
        Folds (at most the number of documents).

    Returns
    -------
    :class:`FrameClassifier` with its ``cv`` table (pooled out-of-fold P/R/F1 per frame).

    Examples
    --------
    >>> model = train_frame_classifier(texts, codes, doc_ids)  # doctest: +SKIP
    >>> model.save("model")  # doctest: +SKIP
    """
    from ..nlp import load_nlp

    if isinstance(sentences, str):
        raise TypeError("sentences must be a list of texts, not one str")
    frames = list(codes.columns) if frames is None else list(frames)
    if not len(sentences) or len(sentences) != len(codes) or len(groups) != len(codes):
        raise InputError("sentences, codes and groups must be non-empty and of the same length")
    nlp = nlp or load_nlp()
    docs = list(nlp.pipe([str(s) for s in sentences]))
    texts, counts, lexicon_frames = featurize_docs(docs, nlp=nlp)
    y = codes[frames].to_numpy(int)
    cv, _ = cross_validate_features(texts, counts, y, list(groups), frames, n_splits=n_splits, C=C, min_df=min_df)
    fitted = _fit(texts, counts, y, C=C, min_df=min_df)
    return FrameClassifier(frames=frames, vocabulary=fitted["vocabulary"], lexicon_frames=lexicon_frames,
                           coef=fitted["coef"], intercept=fitted["intercept"], cv=cv,
                           meta={"n_sentences": len(sentences), "n_documents": len(set(groups)), "C": C,
                                 "min_df": min_df} | (meta or {}))


def extract_model_frames(corpus: Any, model: FrameClassifier | str | Path, *,
                         nlp: "Language" | None = None) -> pd.DataFrame:
    """The model's frames of every sentence of a corpus, one row per (sentence, predicted frame).

    Returns
    -------
    DataFrame with doc_id, sent_id, frame, probability, sentence (the shape ``compare_rates``
    counts as hits: one hit per predicted sentence and frame).
    """
    from ._docs import iter_docs, sentences_of

    model = load_frame_classifier(model) if isinstance(model, (str, Path)) else model
    rows = []
    for doc_id, doc in iter_docs(corpus):
        sents = sentences_of(doc)
        if not sents:
            continue
        proba = model.predict_proba_docs([s.as_doc() for s in sents], nlp=nlp)
        for i, j in zip(*np.nonzero(proba >= THRESHOLD)):
            rows.append({"doc_id": doc_id, "sent_id": int(i), "frame": model.frames[j],
                         "probability": float(proba[i, j]), "sentence": sents[i].text.strip()})
    table = pd.DataFrame(rows, columns=MODEL_HIT_COLUMNS)
    return table.astype({"sent_id": "int64"}).sort_values(["doc_id", "sent_id", "frame"]).reset_index(drop=True)


__all__ = ["FrameClassifier", "cross_validate_features", "extract_model_frames", "featurize_docs",
           "load_frame_classifier", "train_frame_classifier"]
