"""Calibration of the statistics by simulation: paragraphs of real texts dealt at random.

Under the null built here two sides of N documents each are made by dealing paragraphs, drawn
without replacement from a pool of real paragraphs, into 2N documents of ``paragraphs_per_doc``
paragraphs. No feature differs between the sides except by chance, yet hits keep their real
clustering within paragraphs, so a test that ignores it rejects too often. For every feature
(frame, term) and replicate, :func:`textcompare.stats.compare_sides` gives the p-value and
intervals the tables would print; :func:`summarise_calibration` turns them into false-positive
rates at α and interval coverage (the interval of the rate difference and of the log ratio
should contain 0, the rate interval of side a the pool's rate).

Keyness is checked twice: G² (the token-level test ``compare_keyness`` prints, ``p_value``)
and the unit-level ``p_unit`` (paragraphs within texts for N = 1, documents for N >= 2).

``benchmarks/calibration.py`` runs this on the seeds plus the framing-dev excerpts; a small
version runs in the test suite on the seeds.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats as sps

from .keyness.measures import score_g2
from .stats import compare_sides, document_test_matrix, scope_of

CALIBRATION_COLUMNS = ["measure", "n_docs", "scope", "test", "trials", "false_positive_rate", "mc_se",
                       "rate_diff_coverage", "log2_ratio_coverage", "rate_coverage"]
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def split_paragraphs(text: str, *, min_words: int = 20) -> list[str]:
    """Blank-line-separated paragraphs of ``text`` with at least ``min_words`` words (drops menus, bylines)."""
    parts = [p.strip() for p in re.split(r"\n\s*\n", text)]
    return [p for p in parts if len(_WORD.findall(p)) >= min_words]


def count_words(text: str) -> int:
    """Words of a paragraph for a quick null (letters and apostrophes; no model needed)."""
    return len(_WORD.findall(text))


def _deal(n_paragraphs: int, n_docs: int, per_doc: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    need = 2 * n_docs * per_doc
    if need > n_paragraphs:
        raise ValueError(f"{n_paragraphs} paragraphs cannot fill {2 * n_docs} documents of {per_doc}")
    chosen = rng.permutation(n_paragraphs)[:need]
    doc = np.repeat(np.arange(2 * n_docs), per_doc)
    return chosen, doc


def simulate_null(counts: np.ndarray, words: Sequence[float], *, features: Sequence[str], n_docs: int,
                  paragraphs_per_doc: int, n_reps: int, seed: int = 0, n_resamples: int = 999,
                  alpha: float = 0.05, keyness: bool = False) -> pd.DataFrame:
    """One row per replicate and feature: p-value, rejection and interval coverage under the null.

    Parameters
    ----------
    counts : array (paragraphs x features)
        Hits of every feature in every paragraph of the pool.
    words : sequence
        Words of every paragraph.
    features : sequence of str
        Feature names (columns of ``counts``).
    n_docs : int
        Documents per side (1: ``scope = "texts"``).
    paragraphs_per_doc : int
        Paragraphs dealt into each document.
    n_reps : int
        Replicates.
    keyness : bool
        Also record G² (token-level) and the unit-level ``p_unit`` of the keyness table for each feature.

    Returns
    -------
    DataFrame with n_docs, rep, feature, scope, test, p_value, rate_diff_covers, log2_ratio_covers,
    rate_covers and, with ``keyness``, p_g2 and p_unit (the keyness table's unit-level test).
    """
    c = np.asarray(counts, dtype=float)
    w = np.asarray(words, dtype=float)
    pool_rate = 1000.0 * c.sum(axis=0) / w.sum()
    rng = np.random.default_rng(seed)
    rows = []
    for rep in range(n_reps):
        chosen, doc = _deal(len(w), n_docs, paragraphs_per_doc, rng)
        side_a = doc < n_docs
        doc_ids = np.array([f"d{d}" for d in doc], dtype=object)
        pc, pw = c[chosen], w[chosen]
        if keyness:
            if scope_of(n_docs, n_docs) == "groups":  # documents are the units (the keyness rule)
                unit_c = np.zeros((2 * n_docs, c.shape[1]))
                np.add.at(unit_c, doc, pc)
                unit_w = np.bincount(doc, weights=pw, minlength=2 * n_docs)
                in_a = np.arange(2 * n_docs) < n_docs
            else:  # the paragraphs of the two texts are the units
                unit_c, unit_w, in_a = pc, pw, side_a
            p_unit = document_test_matrix(unit_c.T, unit_w, in_a, scope=scope_of(n_docs, n_docs))
            fa, fb = pc[side_a].sum(axis=0), pc[~side_a].sum(axis=0)
            p_g2 = sps.chi2.sf(score_g2(fa, fb, pw[side_a].sum(), pw[~side_a].sum()), 1)
        for k, name in enumerate(features):
            if pc[:, k].sum() == 0:
                continue  # no hit on either side: nothing to test
            out = compare_sides(doc_ids[side_a], pc[side_a, k], pw[side_a], doc_ids[~side_a], pc[~side_a, k],
                                pw[~side_a], n_resamples=n_resamples, seed=seed + rep)
            row = {
                "n_docs": n_docs, "rep": rep, "feature": name, "scope": out["scope"], "test": out["test"],
                "p_value": out["p_value"],
                "rate_diff_covers": bool(out["rate_diff_ci_low"] <= 0 <= out["rate_diff_ci_high"]),
                "log2_ratio_covers": bool(out["log2_ratio_ci_low"] <= 0 <= out["log2_ratio_ci_high"]),
                "rate_covers": bool(out["ci_low"] <= pool_rate[k] <= out["ci_high"]),
            }
            if keyness:
                row["p_g2"], row["p_unit"] = float(p_g2[k]), float(p_unit[k])
            rows.append(row)
    return pd.DataFrame(rows)


def summarise_calibration(sims: pd.DataFrame, *, measure: str, alpha: float = 0.05) -> pd.DataFrame:
    """False-positive rate at ``alpha`` (with its Monte Carlo standard error) and coverage per N and test.

    Returns
    -------
    DataFrame with ``CALIBRATION_COLUMNS``: one row per N for the rule as a whole and one per test it
    used (main test and fallbacks); for keyness simulations one row for G² (``g2_tokens``) and one
    for the keyness table's ``p_unit``.
    """
    rows = []
    for n_docs, part in sims.groupby("n_docs", sort=True):
        if "p_g2" in part.columns:
            unit = "score_documents" if n_docs >= 2 else "paragraphs"
            tests = [(part, "p_g2", "g2_tokens"), (part, "p_unit", f"quasi_poisson_{unit} (p_unit)")]
        else:
            tests = [(part, "p_value", part["test"].iloc[0] if part["test"].nunique() == 1 else "all (rule)")]
            if part["test"].nunique() > 1:
                tests += [(sub, "p_value", name) for name, sub in part.groupby("test", sort=True)]
        for sub, column, test in tests:
            p = sub[column].dropna()
            fpr = float((p < alpha).mean()) if len(p) else float("nan")
            rows.append({
                "measure": measure, "n_docs": int(n_docs), "scope": sub["scope"].iloc[0], "test": test,
                "trials": int(len(p)), "false_positive_rate": fpr,
                "mc_se": float(np.sqrt(fpr * (1 - fpr) / len(p))) if len(p) else float("nan"),
                "rate_diff_coverage": float(sub["rate_diff_covers"].mean()),
                "log2_ratio_coverage": float(sub["log2_ratio_covers"].mean()),
                "rate_coverage": float(sub["rate_covers"].mean()),
            })
    return pd.DataFrame(rows, columns=CALIBRATION_COLUMNS)
