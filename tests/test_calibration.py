"""A small calibration run in the suite: paragraphs of the seed texts dealt at random (no model)."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from textcompare.calibration import simulate_null, split_paragraphs, summarise_calibration

RAW = Path(__file__).resolve().parents[1] / "corpus" / "raw"


@pytest.fixture(scope="module")
def pool():
    paragraphs = [p for path in sorted(RAW.glob("*.txt")) for p in split_paragraphs(path.read_text(encoding="utf-8"))]
    tokens = [[t.lower() for t in re.findall(r"[A-Za-z][A-Za-z'’-]*", p)] for p in paragraphs]
    common = [w for w, n in Counter(t for ts in tokens for t in ts).most_common(30) if n >= 10][:16]
    counts = np.array([[ts.count(w) for w in common] for ts in tokens])
    return counts, np.array([len(ts) for ts in tokens], dtype=float), common


def test_split_paragraphs_drops_short_blocks():
    assert split_paragraphs("Menu\n\n" + "word " * 25 + "\n\nShare this") == [("word " * 25).strip()]


def test_null_false_positive_rates_and_coverage_on_the_seeds(pool):
    counts, words, features = pool
    assert len(words) >= 36
    texts = summarise_calibration(simulate_null(counts, words, features=features, n_docs=1, paragraphs_per_doc=12,
                                                n_reps=10, seed=3, n_resamples=299), measure="words")
    groups = summarise_calibration(simulate_null(counts, words, features=features, n_docs=3, paragraphs_per_doc=6,
                                                 n_reps=10, seed=4, n_resamples=299), measure="words")
    row_t, row_g = texts.iloc[0], groups.iloc[0]
    assert row_t["scope"] == "texts" and row_t["test"] == "quasi_poisson_paragraphs"
    assert row_g["scope"] == "groups" and row_g["test"] == "quasi_poisson_score_documents"
    assert row_t["trials"] >= 140 and row_g["trials"] >= 140
    # ~160 trials each: 0.05 + 3 standard errors (0.052) plus slack for correlated features
    assert row_t["false_positive_rate"] <= 0.12 and row_g["false_positive_rate"] <= 0.12
    assert row_t["rate_coverage"] >= 0.9 and row_g["rate_coverage"] >= 0.9
    assert row_g["log2_ratio_coverage"] >= 0.88
