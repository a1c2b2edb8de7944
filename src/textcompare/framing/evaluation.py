"""Scoring frame codes against a coded benchmark: P/R/F1 with excerpt-bootstrap intervals,
lexicon-row selection, and grouped cross-validation of that selection.

All functions work on plain per-sentence data so they can be tested without a model:

- ``gold``: one set of frames per sentence (the coders' majority);
- ``hits``: one set of ``(frame, row)`` keys per sentence (the tagger's counted hits; ``row``
  names the lexicon row that fired);
- ``groups``: one excerpt id per sentence. Sentences of one excerpt are not independent, so
  intervals resample excerpts and cross-validation splits by excerpt.
"""
from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

SCORE_COLUMNS = ["frame", "support", "predicted", "tp", "fp", "fn", "precision", "recall", "f1",
                 "f1_low", "f1_high"]
Key = tuple[str, str]


def score_prf(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
    """Precision, recall and F1 = 2tp/(2tp + fp + fn) from counts; each NaN where its denominator is 0."""
    precision = tp / (tp + fp) if tp + fp else np.nan
    recall = tp / (tp + fn) if tp + fn else np.nan
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else np.nan
    return precision, recall, f1


def count_agreement(gold: Sequence[set[str]], predicted: Sequence[set[str]], frames: Sequence[str]) -> np.ndarray:
    """Counts per sentence, frame and cell: array of shape (n_sentences, n_frames, 3) for tp, fp, fn."""
    out = np.zeros((len(gold), len(frames), 3), dtype=np.int64)
    for i, (g, p) in enumerate(zip(gold, predicted)):
        for j, f in enumerate(frames):
            out[i, j] = (f in g and f in p, f not in g and f in p, f in g and f not in p)
    return out


def _summaries(cells: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Per-frame F1 (NaN where undefined), macro F1 (mean over defined), micro F1 from summed cells."""
    tp, fp, fn = cells[..., 0], cells[..., 1], cells[..., 2]
    denom = 2 * tp + fp + fn
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = np.where(denom > 0, 2 * tp / np.where(denom > 0, denom, 1), np.nan)
    with warnings.catch_warnings():  # a resample where no frame is defined has no macro-F1 (NaN)
        warnings.simplefilter("ignore", RuntimeWarning)
        macro = np.nanmean(f1, axis=-1) if np.isfinite(f1).any() else np.nan
    t, p, n = tp.sum(-1), fp.sum(-1), fn.sum(-1)
    micro = np.where(2 * t + p + n > 0, 2 * t / np.maximum(2 * t + p + n, 1), np.nan)
    return f1, macro, micro


def score_frames(gold: Sequence[set[str]], predicted: Sequence[set[str]], groups: Sequence[str],
                 frames: Sequence[str], *, n_resamples: int = 1000, seed: int = 0, level: float = 0.95) -> pd.DataFrame:
    """Per-frame precision, recall and F1, then ``macro`` and ``micro`` rows, with bootstrap intervals of F1.

    The interval is a percentile bootstrap that resamples *groups* (excerpts) with replacement,
    written with numpy because the statistic needs whole excerpts resampled together.

    Returns
    -------
    DataFrame with columns ``SCORE_COLUMNS``.
    """
    cells = count_agreement(gold, predicted, frames)
    labels, codes = np.unique(np.asarray(groups, dtype=str), return_inverse=True)
    per_group = np.zeros((len(labels), len(frames), 3), dtype=np.int64)
    np.add.at(per_group, codes, cells)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(labels), size=(n_resamples, len(labels)))
    boot = per_group[draws].sum(axis=1)  # (n_resamples, n_frames, 3)
    f1_b, macro_b, micro_b = _summaries(boot)
    alpha = (1 - level) / 2

    def interval(values: np.ndarray) -> tuple[float, float]:
        values = values[np.isfinite(values)]
        if not len(values):
            return np.nan, np.nan
        return float(np.quantile(values, alpha)), float(np.quantile(values, 1 - alpha))

    total = cells.sum(axis=0)
    rows = []
    for j, frame in enumerate(frames):
        tp, fp, fn = (int(x) for x in total[j])
        p, r, f = score_prf(tp, fp, fn)
        lo, hi = interval(f1_b[:, j])
        rows.append([frame, tp + fn, tp + fp, tp, fp, fn, p, r, f, lo, hi])
    table = pd.DataFrame(rows, columns=SCORE_COLUMNS)
    tp, fp, fn = (int(x) for x in total.sum(axis=0))
    p, r, f = score_prf(tp, fp, fn)
    macro = [float(table["precision"].mean()), float(table["recall"].mean()), float(table["f1"].mean())]
    sums = [tp + fn, tp + fp, tp, fp, fn]
    extra = pd.DataFrame([["macro", *sums, *macro, *interval(np.asarray(macro_b, dtype=float))],
                          ["micro", *sums, p, r, f, *interval(np.asarray(micro_b, dtype=float))]], columns=SCORE_COLUMNS)
    return pd.concat([table, extra], ignore_index=True)


def select_rows(hits: Sequence[set[Key]], gold: Sequence[set[str]], *, min_hits: int = 3,
                min_precision: float = 0.4) -> set[Key]:
    """Lexicon rows to drop: rows that fired in at least ``min_hits`` sentences with precision below ``min_precision``.

    Precision of a row = share of the sentences it fired in whose gold codes include its frame.
    This is the only tuning the benchmark does; run it on training excerpts only.
    """
    fired: dict[Key, int] = {}
    right: dict[Key, int] = {}
    for keys, g in zip(hits, gold):
        for key in keys:
            fired[key] = fired.get(key, 0) + 1
            right[key] = right.get(key, 0) + (key[0] in g)
    return {k for k, n in fired.items() if n >= min_hits and right[k] / n < min_precision}


def predict_frames(hits: Sequence[set[Key]], dropped: set[Key] = frozenset()) -> list[set[str]]:
    """Frames per sentence from its hits, ignoring the dropped rows."""
    return [{frame for frame, row in keys if (frame, row) not in dropped} for keys in hits]


def split_groups(groups: Sequence[str], n_folds: int, *, seed: int = 0) -> list[np.ndarray]:
    """Assign whole groups to ``n_folds`` folds (seeded shuffle, then round-robin); returns a fold id per sentence."""
    labels = np.unique(np.asarray(groups, dtype=str))
    order = np.random.default_rng(seed).permutation(len(labels))
    fold_of = {labels[k]: i % n_folds for i, k in enumerate(order)}
    folds = np.array([fold_of[g] for g in np.asarray(groups, dtype=str)])
    return [np.flatnonzero(folds == f) for f in range(n_folds)]


def cross_validate_rows(hits: Sequence[set[Key]], gold: Sequence[set[str]], groups: Sequence[str], *,
                        n_folds: int = 5, seed: int = 0, min_hits: int = 3,
                        min_precision: float = 0.4) -> tuple[list[set[str]], list[set[Key]]]:
    """Out-of-fold predictions: for each fold, rows are selected on the other folds' excerpts only.

    Returns the predicted frames per sentence and the rows dropped in each fold.
    """
    predicted: list[set[str]] = [set() for _ in hits]
    dropped_per_fold = []
    for test in split_groups(groups, n_folds, seed=seed):
        test_set = set(test.tolist())
        train = [i for i in range(len(hits)) if i not in test_set]
        dropped = select_rows([hits[i] for i in train], [gold[i] for i in train],
                              min_hits=min_hits, min_precision=min_precision)
        dropped_per_fold.append(dropped)
        for i, frames in zip(test, predict_frames([hits[i] for i in test], dropped)):
            predicted[i] = frames
    return predicted, dropped_per_fold


def score_coders(coders: Sequence[Sequence[set[str]]], groups: Sequence[str], frames: Sequence[str], *,
                 n_resamples: int = 1000, seed: int = 0) -> pd.DataFrame:
    """The ceiling: mean over coder pairs of one coder's F1 against another's (the table's columns as
    :func:`score_frames`; tp/fp/fn are summed over pairs)."""
    tables = [score_frames(a, b, groups, frames, n_resamples=n_resamples, seed=seed)
              for i, a in enumerate(coders) for b in coders[i + 1:]]
    numeric = ["precision", "recall", "f1", "f1_low", "f1_high"]
    mean = sum(t[numeric] for t in tables) / len(tables)
    counts = sum(t[["support", "predicted", "tp", "fp", "fn"]] for t in tables)
    return pd.concat([tables[0][["frame"]], counts, mean], axis=1)[SCORE_COLUMNS]


__all__ = ["count_agreement", "cross_validate_rows", "predict_frames", "score_coders", "score_frames",
           "select_rows", "split_groups"]
