"""Adapters between validation and the taggers: per-sentence 0/1 predictions and version stamps.

Kept small on purpose: the frame tagger (:mod:`textcompare.framing.frames`) and the statistics
change under other issues; validation only needs "which frames does the tagger give each
sentence" and "which version of the codebook and tagger is this".
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pandas as pd

from .. import __version__


def case_frames() -> list[str]:
    """The case frame ids (the frames a sheet is coded for by default)."""
    from ..framing import frame_ids

    return frame_ids("case")


def frame_definitions(frames: list[str]) -> dict[str, str]:
    """frame id -> definition (what the widget shows on hover); missing ids map to ''."""
    from ..framing import load_frame_definitions

    table = load_frame_definitions()
    known = dict(zip(table["frame"], table["definition"]))
    return {f: known.get(f, "") for f in frames}


def load_sentence_frames_units(corpus: Any) -> pd.DataFrame:
    """doc_id, sent_id, n_words, sentence of every sentence (the parsing sentence table)."""
    from ..framing import load_sentence_units

    return load_sentence_units(corpus).reset_index(drop=True)


def predict_sentence_frames(corpus: Any, *, frames: list[str] | None = None, model: Any = None,
                            sentences: pd.DataFrame | None = None) -> pd.DataFrame:
    """The tagger's (or a trained model's) frames of every sentence, one 0/1 column per frame.

    Parameters
    ----------
    corpus : Corpus, path or ``(doc_id, Doc)`` pairs
    frames : list of str, optional
        Frame ids (default: the case frames).
    model : FrameClassifier or path, optional
        A trained classifier (:mod:`textcompare.framing.classifier`) instead of the default tagger.
    sentences : DataFrame, optional
        The sentence table, if already loaded.

    Returns
    -------
    DataFrame with doc_id, sent_id, n_words, sentence, then one int column per frame. Under the
    default tagger a sentence has a frame when it has a counted row of it (``extract_frames``).
    """
    frames = case_frames() if frames is None else list(frames)
    units = load_sentence_frames_units(corpus) if sentences is None else sentences.reset_index(drop=True)
    if model is not None:
        from ..framing.classifier import extract_model_frames, load_frame_classifier

        model = load_frame_classifier(model) if isinstance(model, (str, Path)) else model
        hits = extract_model_frames(corpus, model)
    else:
        from ..framing import extract_frames

        hits = extract_frames(corpus, include_negated=False)
    hits = hits[hits["frame"].isin(frames)]
    wide = pd.crosstab([hits["doc_id"], hits["sent_id"]], hits["frame"]).clip(upper=1) if len(hits) else None
    out = units[["doc_id", "sent_id", "n_words", "sentence"]].copy()
    for frame in frames:
        out[frame] = 0
    if wide is not None:
        wide = wide.reindex(columns=frames, fill_value=0)
        index = pd.MultiIndex.from_frame(out[["doc_id", "sent_id"]])
        out[frames] = wide.reindex(index, fill_value=0).to_numpy()
    return out.astype({f: "int64" for f in frames})


def codebook_version() -> str:
    """Version of the frame definitions: a hash of the packaged definition table."""
    from ..framing import load_frame_definitions
    from .sheet import table_version

    return "definitions-" + table_version(load_frame_definitions())


def tagger_version(model: Any = None) -> str:
    """Version of the tagger: textcompare's version plus a hash of the lexicon, or of the model file."""
    from .sheet import table_version

    if model is not None:
        from ..framing.classifier import load_frame_classifier

        model = load_frame_classifier(model) if isinstance(model, (str, Path)) else model
        return f"classifier-{model.version}"
    from ..framing import load_frame_lexicon
    from ..framing.encoder_model import frame_model_label

    # the default tagger: the lexicon's hits, with case frames decided by the packaged model
    return (f"lexicon-{__version__}-{table_version(load_frame_lexicon())}"
            f"+case-frame-model-{frame_model_label().split()[0]}")


def corpus_version(corpus: Any) -> str:
    """SHA-256 (first 12 hex digits) of the corpus manifest, or '' for docs in memory."""
    from ..framing._docs import is_corpus_like

    if not is_corpus_like(corpus):
        return ""
    from ..corpus import load_corpus

    path = load_corpus(corpus).manifest_path
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.is_file() else ""
