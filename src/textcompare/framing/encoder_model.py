"""The packaged case-frame model: a sentence encoder plus the lexicon, trained on codebook sentences.

Features of a sentence: its L2-normalised all-mpnet-base-v2 sentence embedding
(:mod:`.embeddings`; a model may name several encoders, whose embeddings are then put side by
side) and the lexicon's counted hits per case frame (capped at 3). One L2 logistic regression per frame
(``class_weight="balanced"``, C = 1) turns them into a probability; a sentence has the frame when
the probability reaches the frame's threshold.

Training data: ``training/case_frames/sentences.jsonl``, sentences written for this project from
the codebook (``docs/codebook.md``) and general knowledge of international affairs, each coded by
its writer under the codebook; no benchmark or seed text was read to write them (see
``training/case_frames/README.md``). Thresholds are chosen by grouped cross-validation over those
training excerpts, so no coded benchmark sentence plays any part in the model; the framing-dev
benchmark is a held-out test of it (``benchmarks/framing.py``).

The model is stored as sorted JSON (coefficients rounded to 7 significant digits): small,
diffable, byte-reproducible from the same inputs and loaded without pickle.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ..fileio import atomic_write_bytes
from .embeddings import DIMENSIONS

if TYPE_CHECKING:
    from spacy.tokens import Doc

FORMAT = "textcompare-encoder-frame-model/1"
PACKAGED_MODEL = Path(__file__).resolve().parents[1] / "data" / "frames" / "case_frame_model.json"
MAX_MODEL_BYTES = 5_000_000
LEXICON_CAP = 3.0
DEFAULT_C = 1.0
THRESHOLDS = tuple(float(t) for t in np.round(np.arange(0.10, 0.951, 0.05), 2))


def sentence_hit_counts(hits: pd.DataFrame, frames: list[str], n_sentences: int) -> np.ndarray:
    """Counted hits per sentence and frame of one doc's ``extract_doc_frames`` table: (n_sentences, len(frames)).

    The model's lexicon features, the same in training (:func:`lexicon_counts`) and in tagging
    (:func:`~textcompare.framing.frames.tag_doc_frames`); capped at ``LEXICON_CAP`` when used.
    """
    out = np.zeros((n_sentences, len(frames)))
    index = {f: k for k, f in enumerate(frames)}
    live = hits[hits["counted"] & hits["frame"].isin(index)]
    for sent_id, frame in zip(live["sent_id"], live["frame"]):
        out[sent_id, index[frame]] += 1
    return out


def lexicon_counts(docs: list["Doc"], frames: list[str]) -> np.ndarray:
    """Counted lexicon hits per doc (each one sentence) and frame, capped at ``LEXICON_CAP``."""
    from ._docs import sentences_of
    from .frames import extract_doc_frames

    if not docs:
        return np.zeros((0, len(frames)))
    # the parser may split a "sentence" in two: its hits are summed over its parts
    rows = [sentence_hit_counts(extract_doc_frames(doc), frames, len(sentences_of(doc))).sum(axis=0) for doc in docs]
    return np.minimum(np.vstack(rows), LEXICON_CAP)


@dataclass
class EncoderFrameModel:
    """Per-frame logistic regressions over [sentence embedding, lexicon counts] with per-frame thresholds."""

    frames: list[str]
    encoders: list[str]
    coef: np.ndarray  # (n_frames, sum of the encoders' dimensions + n_frames)
    intercept: np.ndarray
    thresholds: np.ndarray
    cv: pd.DataFrame = field(default_factory=pd.DataFrame)
    meta: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        payload = {"format": FORMAT, "frames": self.frames, "encoders": self.encoders,
                   "coef": {f: _round(self.coef[k]) for k, f in enumerate(self.frames)},
                   "intercept": {f: _round(np.array([self.intercept[k]]))[0] for k, f in enumerate(self.frames)},
                   "thresholds": {f: float(self.thresholds[k]) for k, f in enumerate(self.frames)},
                   "cv": json.loads(self.cv.to_json(orient="records", double_precision=6)), "meta": self.meta}
        return json.dumps(payload, sort_keys=True, indent=1, ensure_ascii=False) + "\n"

    @property
    def version(self) -> str:
        """The first 12 hex digits of the model file's SHA-256 (recorded with every output)."""
        return hashlib.sha256(self.to_json().encode("utf-8")).hexdigest()[:12]

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        atomic_write_bytes(path, self.to_json().encode("utf-8"))
        return path

    def proba_from_features(self, embeddings: np.ndarray, counts: np.ndarray) -> np.ndarray:
        X = np.hstack([np.asarray(embeddings, float), np.asarray(counts, float)])
        if X.shape[1] != self.coef.shape[1]:
            raise InputError(f"the model expects {self.coef.shape[1]} features, got {X.shape[1]}",
                             fix="use the encoders the model was trained with")
        return 1.0 / (1.0 + np.exp(-(X @ self.coef.T + self.intercept)))

    def predict_proba_sentences(self, texts: list[str], counts: np.ndarray) -> np.ndarray:
        """Probabilities (len(texts), n_frames) from sentence texts and their counted lexicon hits per frame."""
        if not len(texts):
            return np.zeros((0, len(self.frames)))
        emb = np.hstack([cached_embeddings(list(texts), name) for name in self.encoders])
        return self.proba_from_features(emb, np.minimum(np.asarray(counts, float), LEXICON_CAP))


_EMBEDDINGS: dict[tuple[str, str], np.ndarray] = {}
MAX_CACHED = 100_000  # sentences kept in memory per process (about 300 MB at 768 float32 dimensions)


def cached_embeddings(texts: list[str], encoder: str) -> np.ndarray:
    """Sentence embeddings, each sentence encoded once per process (a bounded in-memory cache).

    Encoding is the slow step of the model (all-mpnet-base-v2: tens of sentences per second on
    a CPU core), and one analysis asks for the same sentences several times.
    """
    from .embeddings import embed_sentences

    todo = sorted({t for t in texts if (encoder, t) not in _EMBEDDINGS})
    if todo:
        if len(_EMBEDDINGS) + len(todo) > MAX_CACHED:
            _EMBEDDINGS.clear()
        for text, vector in zip(todo, embed_sentences(todo, name=encoder)):
            _EMBEDDINGS[(encoder, text)] = vector
    return np.stack([_EMBEDDINGS[(encoder, t)] for t in texts])


CHUNK_SENTENCES = 2_000  # sentences encoded together (longer batches run faster than one doc at a time)
PROGRESS_DOCS = 50  # a progress bar on stderr from this many documents on


def prefetch_embeddings(corpus: Any, *, model: "EncoderFrameModel | None" = None,
                        chunk_sentences: int = CHUNK_SENTENCES) -> Iterator[tuple[str, "Doc"]]:
    """The ``(doc_id, Doc)`` pairs of ``corpus``, unchanged, with their sentences already encoded.

    Documents are read a chunk at a time (about ``chunk_sentences`` sentences), and each chunk's
    sentences are encoded in one call into the in-process cache (:func:`cached_embeddings`), so
    :func:`~textcompare.framing.frames.tag_doc_frames` finds them there. A tqdm bar on stderr
    counts documents when there are at least ``PROGRESS_DOCS``.
    """
    import sys

    from tqdm import tqdm

    from ._docs import iter_docs, sentences_of

    model = model or load_encoder_frame_model()
    ids = getattr(corpus, "ids", None)
    total = len(ids) if ids is not None else (len(corpus) if hasattr(corpus, "__len__") else None)
    buffer: list[tuple[str, "Doc"]] = []
    texts: list[str] = []
    with tqdm(total=total, unit="doc", desc="case frames", file=sys.stderr,
              disable=total is None or total < PROGRESS_DOCS) as bar:
        for doc_id, doc in iter_docs(corpus):
            buffer.append((doc_id, doc))
            texts.extend(s.text.strip() for s in sentences_of(doc))
            if len(texts) >= chunk_sentences:
                for name in model.encoders:
                    cached_embeddings(texts, name)
                yield from buffer
                bar.update(len(buffer))
                buffer, texts = [], []
        if texts:
            for name in model.encoders:
                cached_embeddings(texts, name)
        yield from buffer
        bar.update(len(buffer))


def _round(values: np.ndarray) -> list[float]:
    return [float(f"{v:.7g}") for v in np.asarray(values, float)]


def load_encoder_frame_model(path: str | Path | None = None) -> EncoderFrameModel:
    """Read an encoder frame model (default: the packaged case-frame model).

    Raises
    ------
    InputError
        Missing, too large, not JSON, or not a model of this format.
    """
    path = Path(path) if path is not None else PACKAGED_MODEL
    return _load(str(path.resolve()))


@lru_cache(maxsize=4)
def _load(path_text: str) -> EncoderFrameModel:
    from .classifier import read_model_payload

    path = Path(path_text)
    payload = read_model_payload(path, FORMAT, max_bytes=MAX_MODEL_BYTES,
                                 fix="train it with training/case_frames/train.py")
    try:
        frames = [str(f) for f in payload["frames"]]
        coef = np.asarray([payload["coef"][f] for f in frames], float)
        intercept = np.asarray([payload["intercept"][f] for f in frames], float)
        thresholds = np.asarray([payload["thresholds"][f] for f in frames], float)
        if coef.ndim != 2 or coef.shape[1] <= len(frames) or not np.all(np.isfinite(coef)):
            raise ValueError("coefficients malformed")
        if not np.all((thresholds > 0) & (thresholds < 1)):
            raise ValueError("thresholds must lie in (0, 1)")
        cv = pd.DataFrame(payload.get("cv", []))
        encoders = [str(e) for e in payload["encoders"]]
        unknown = [e for e in encoders if e not in DIMENSIONS]
        if not encoders or unknown:
            raise ValueError(f"unknown or no encoders {unknown}")
        if coef.shape[1] != sum(DIMENSIONS[e] for e in encoders) + len(frames):
            raise ValueError("coefficient length does not match the encoders and frames")
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"malformed model ({exc})", path=path) from exc
    return EncoderFrameModel(frames=frames, encoders=encoders, coef=coef, intercept=intercept,
                             thresholds=thresholds, cv=cv, meta=dict(payload.get("meta", {})))


def frame_model_label() -> str:
    """``"<version> (<encoder>)"`` of the packaged case-frame model, for provenance (``"unavailable"``
    if the file cannot be read)."""
    try:
        model = load_encoder_frame_model()
    except InputError:
        return "unavailable"
    return f"{model.version} ({'+'.join(model.encoders)})"


def _f1(y: np.ndarray, p: np.ndarray) -> float:
    tp = int((y & p).sum()); fp = int((~y & p).sum()); fn = int((y & ~p).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0


def _fit(X: np.ndarray, y: np.ndarray, C: float) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.linear_model import LogisticRegression

    coef = np.zeros((y.shape[1], X.shape[1])); intercept = np.zeros(y.shape[1])
    for k in range(y.shape[1]):
        if y[:, k].min() == y[:, k].max():
            intercept[k] = 30.0 if y[0, k] else -30.0
            continue
        lr = LogisticRegression(C=C, class_weight="balanced", solver="lbfgs", max_iter=5000).fit(X, y[:, k])
        coef[k], intercept[k] = lr.coef_[0], lr.intercept_[0]
    return coef, intercept


def train_encoder_frame_model(embeddings: np.ndarray, counts: np.ndarray, y: np.ndarray, groups: list[str],
                              frames: list[str], *, encoders: list[str], C: float = DEFAULT_C, n_folds: int = 5,
                              seed: int = 0, meta: dict[str, Any] | None = None) -> EncoderFrameModel:
    """Fit the model; each frame's threshold maximises pooled out-of-fold F1 over grouped folds.

    ``groups`` (one per sentence, e.g. the excerpt) keep a group's sentences in one fold.
    """
    from .evaluation import split_groups

    X = np.hstack([np.asarray(embeddings, float), np.asarray(counts, float)])
    y = np.asarray(y, int)
    if len(set(groups)) < n_folds:
        raise InputError(f"need at least {n_folds} groups for {n_folds}-fold cross-validation, got {len(set(groups))}")
    oof = np.zeros(y.shape)
    for test in split_groups(groups, n_folds, seed=seed):
        train = np.setdiff1d(np.arange(len(y)), test)
        coef, intercept = _fit(X[train], y[train], C)
        oof[test] = 1.0 / (1.0 + np.exp(-(X[test] @ coef.T + intercept)))
    thresholds, rows = np.zeros(len(frames)), []
    for k, frame in enumerate(frames):
        yk = y[:, k].astype(bool)
        scores = [_f1(yk, oof[:, k] >= t) for t in THRESHOLDS]
        thresholds[k] = THRESHOLDS[int(np.argmax(scores))]
        pk = oof[:, k] >= thresholds[k]
        tp, fp, fn = int((yk & pk).sum()), int((~yk & pk).sum()), int((yk & ~pk).sum())
        rows.append({"frame": frame, "support": int(yk.sum()), "threshold": float(thresholds[k]), "tp": tp, "fp": fp,
                     "fn": fn, "f1": round(_f1(yk, pk), 4)})
    coef, intercept = _fit(X, y, C)
    return EncoderFrameModel(frames=list(frames), encoders=list(encoders), coef=coef, intercept=intercept,
                             thresholds=thresholds, cv=pd.DataFrame(rows),
                             meta={"C": C, "n_folds": n_folds, "seed": seed, "n_sentences": int(len(y)),
                                   "n_groups": len(set(groups)), "lexicon_cap": LEXICON_CAP} | (meta or {}))


__all__ = ["EncoderFrameModel", "PACKAGED_MODEL", "frame_model_label", "prefetch_embeddings", "lexicon_counts", "load_encoder_frame_model",
           "train_encoder_frame_model"]
