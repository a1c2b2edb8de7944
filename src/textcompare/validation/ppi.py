"""Corrected frame prevalence: prediction-powered inference (Angelopoulos et al. 2023).

Inference layer. The tagger's 0/1 prediction ``f`` is known for every sentence; the hand code
``y`` for a coded sample. The PPI estimate of the share of sentences with a frame is

    theta = mean_N(f) + mean_n(y - f)

(the tagger's share, plus its average error measured on the coded sample) with the CLT interval
``theta ± z * sqrt(var_N(f)/N + var_n(y - f)/n)``. PPI++ power tuning (Angelopoulos, Duchi &
Zrnic 2023) replaces ``f`` by ``lambda * f``; :func:`ppi_mean` offers it (``lam="tune"``), the
corpus tables use plain PPI (lambda = 1).

The coded sample of ``textcompare sample`` is stratified by predicted frame, so the error term is
a stratified mean: sum over strata h of ``(N_h/N) * mean_h(y - f)``, with variance
``sum (N_h/N)^2 var_h(y - f)/n_h`` (strata with no coded sentence are merged into the group's
largest coded stratum; a stratum's error variance is floored at that of one error in n_h + 2, so
a small stratum where the sample happens to show no error does not give a zero-width term). With five or more documents in a group the interval comes from a
bootstrap over documents (the document is the unit of inference); with fewer, sentences are the
units and the interval describes these texts, not their authors.

Hand-written: the ``ppi_py`` package covers the unstratified estimator only and pulls in
heavy dependencies; the formulas are a few lines and are checked against a simulation
(``benchmarks/ppi_coverage.py``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm

from ..errors import InputError
from .sheet import NO_FRAME, sample_strata, split_sent_key

PREVALENCE_COLUMNS = [
    "group", "frame", "n_documents", "n_sentences", "n_coded", "raw_share", "corrected_share",
    "corrected_ci_low", "corrected_ci_high", "ci_width", "interval", "caveat",
]
MIN_DOCUMENTS_FOR_BOOTSTRAP = 5


def ppi_mean(pred_all: np.ndarray, pred_coded: np.ndarray, y_coded: np.ndarray, *, alpha: float = 0.05,
             lam: float | str = 1.0) -> dict[str, float]:
    """PPI estimate of a mean with its CLT interval, from a simple random coded sample.

    Parameters
    ----------
    pred_all : array
        Predictions on every unit (N).
    pred_coded, y_coded : array
        Predictions and true codes of the coded units (n).
    alpha : float
        1 - coverage of the interval.
    lam : float or "tune"
        Weight of the predictions (1: PPI; 0: the coded sample alone; "tune": PPI++'s
        variance-minimising lambda, clipped to [0, 1]).

    Returns
    -------
    dict with estimate, ci_low, ci_high, se, lam.

    Examples
    --------
    >>> r = ppi_mean(np.array([1, 0, 0, 1]), np.array([1, 0]), np.array([1, 1]))
    >>> round(r["estimate"], 3)
    1.0
    """
    f_all = np.asarray(pred_all, float)
    f_lab = np.asarray(pred_coded, float)
    y = np.asarray(y_coded, float)
    N, n = len(f_all), len(y)
    if n == 0 or N == 0:
        raise InputError("PPI needs at least one coded and one predicted unit")
    if lam == "tune":
        var_f = np.var(f_all, ddof=1) if N > 1 else 0.0
        cov = np.cov(y, f_lab, ddof=1)[0, 1] if n > 1 else 0.0
        lam = float(np.clip(cov / ((1 + n / N) * var_f), 0, 1)) if var_f > 0 else 0.0
    lam = float(lam)
    estimate = lam * f_all.mean() + (y - lam * f_lab).mean()
    var_a = lam ** 2 * (np.var(f_all, ddof=1) if N > 1 else 0.0) / N
    var_b = (np.var(y - lam * f_lab, ddof=1) if n > 1 else 0.0) / n
    se = float(np.sqrt(var_a + var_b))
    z = norm.ppf(1 - alpha / 2)
    return {"estimate": float(estimate), "ci_low": float(estimate - z * se), "ci_high": float(estimate + z * se),
            "se": se, "lam": lam}


def _error_variance(d: np.ndarray) -> float:
    """Sample variance of the tagger's errors in a stratum, floored at that of one error in n + 2.

    A small stratum often shows no error at all (variance 0) although the tagger does err: the
    floor (an Agresti-Coull-style pseudo-count) keeps the interval from collapsing; it matters only
    for small strata (in benchmarks/ppi_coverage.py it lifts coverage at n = 50 from 0.885 to 0.98-0.99).
    """
    n = len(d)
    floor = (1 / (n + 2)) * (1 - 1 / (n + 2))
    return max(float(np.var(d, ddof=1)) if n > 1 else 0.0, floor)


def ppi_stratified(pred_all: np.ndarray, strata_all: np.ndarray, pred_coded: np.ndarray, y_coded: np.ndarray,
                   strata_coded: np.ndarray, *, alpha: float = 0.05) -> dict[str, float]:
    """PPI estimate (lambda = 1) when the coded sample is stratified; see the module docstring."""
    f_all = np.asarray(pred_all, float)
    strata_all = np.asarray(strata_all, object)
    strata_coded = np.asarray(strata_coded, object)
    diff = np.asarray(y_coded, float) - np.asarray(pred_coded, float)
    N = len(f_all)
    if N == 0 or len(diff) == 0:
        raise InputError("PPI needs at least one coded and one predicted sentence")
    coded_strata, coded_counts = np.unique(strata_coded, return_counts=True)
    largest = coded_strata[np.argmax(coded_counts)]
    merged = np.where(np.isin(strata_all, coded_strata), strata_all, largest)
    correction, variance = 0.0, 0.0
    for h in coded_strata:
        share = float((merged == h).sum()) / N
        d = diff[strata_coded == h]
        correction += share * d.mean()
        variance += share ** 2 * _error_variance(d) / len(d)
    variance += (np.var(f_all, ddof=1) if N > 1 else 0.0) / N
    estimate = f_all.mean() + correction
    se = float(np.sqrt(variance))
    z = norm.ppf(1 - alpha / 2)
    return {"estimate": float(estimate), "ci_low": float(estimate - z * se), "ci_high": float(estimate + z * se),
            "se": se, "lam": 1.0}


def estimate_frame_prevalence(predicted: pd.DataFrame, gold: pd.DataFrame, groups: pd.Series, *,
                              frames: list[str], alpha: float = 0.05, n_resamples: int = 2_000,
                              seed: int = 0) -> pd.DataFrame:
    """Each group's share of sentences with each frame: raw (tagger) and corrected (PPI).

    Parameters
    ----------
    predicted : DataFrame
        Every sentence: doc_id, sent_id and one 0/1 column per frame (the tagger).
    gold : DataFrame
        Coded sentences: sent_key and one 0/1 column per frame (:func:`~.scores.gold_codes`).
    groups : Series
        doc_id -> group label.
    frames : list of str
    alpha : float
        1 - coverage of the intervals.
    n_resamples, seed : int
        Document bootstrap (groups with at least five documents).

    Returns
    -------
    DataFrame with ``PREVALENCE_COLUMNS``: raw_share is the tagger's share; corrected_share
    its PPI correction with the interval; ci_width shows what more coding buys (it shrinks
    roughly with 1/sqrt(n_coded)); interval is ``clt`` or ``document_bootstrap``; interval bounds
    are clipped to [0, 1] (the point estimate is not).
    """
    keys = [split_sent_key(k) for k in gold["sent_key"]]
    coded = gold.assign(doc_id=[d for d, _ in keys], sent_id=[s for _, s in keys])
    table = predicted[["doc_id", "sent_id", *frames]].copy()
    table["group"] = table["doc_id"].map(groups).astype(str)
    table["stratum"] = sample_strata(table, frames).to_numpy()
    lookup = coded.set_index(["doc_id", "sent_id"])[frames]
    index = pd.MultiIndex.from_frame(table[["doc_id", "sent_id"]])
    is_coded = index.isin(lookup.index)
    if not is_coded.any():
        raise InputError("none of the coded sentences is in this corpus",
                         fix="validate against the corpus the sheet was sampled from (--corpus DIR)")
    y_all = lookup.reindex(index).to_numpy(float)
    rng = np.random.default_rng(seed)
    rows = []
    for group in sorted(table["group"].unique()):
        mask = (table["group"] == group).to_numpy()
        docs = table.loc[mask, "doc_id"].to_numpy()
        doc_list = np.unique(docs)
        lab = mask & is_coded
        caveat = ""
        if lab.sum() == 0:
            caveat = "no coded sentence in this group"
        elif len(doc_list) < MIN_DOCUMENTS_FOR_BOOTSTRAP:
            caveat = (f"fewer than {MIN_DOCUMENTS_FOR_BOOTSTRAP} documents: sentences as units, "
                      "the interval describes these texts")
        draws = []
        if lab.sum() and len(doc_list) >= MIN_DOCUMENTS_FOR_BOOTSTRAP:
            members = {d: np.flatnonzero(mask & (table["doc_id"].to_numpy() == d)) for d in doc_list}
            for _ in range(n_resamples):
                pick = rng.integers(0, len(doc_list), len(doc_list))
                draws.append(np.concatenate([members[doc_list[i]] for i in pick]))
        strata = table["stratum"].to_numpy()
        for k, frame in enumerate(frames):
            f = table[frame].to_numpy(float)
            row = {"group": group, "frame": frame, "n_documents": len(doc_list), "n_sentences": int(mask.sum()),
                   "n_coded": int(lab.sum()), "raw_share": float(f[mask].mean()), "caveat": caveat}
            if not lab.sum():
                rows.append(row | {"corrected_share": np.nan, "corrected_ci_low": np.nan,
                                   "corrected_ci_high": np.nan, "ci_width": np.nan, "interval": ""})
                continue
            y = y_all[:, k]
            point = ppi_stratified(f[mask], strata[mask], f[lab], y[lab], strata[lab], alpha=alpha)
            if draws:
                values = []
                for idx in draws:
                    idx_lab = idx[is_coded[idx]]
                    if len(idx_lab):
                        values.append(ppi_stratified(f[idx], strata[idx], f[idx_lab], y[idx_lab],
                                                     strata[idx_lab])["estimate"])
                low, high = np.percentile(values, [100 * alpha / 2, 100 * (1 - alpha / 2)])
                interval = "document_bootstrap"
            else:
                low, high, interval = point["ci_low"], point["ci_high"], "clt"
            low, high = max(0.0, float(low)), min(1.0, float(high))  # a share: clipping keeps coverage
            rows.append(row | {"corrected_share": point["estimate"], "corrected_ci_low": low,
                               "corrected_ci_high": high, "ci_width": high - low,
                               "interval": interval})
    return pd.DataFrame(rows, columns=PREVALENCE_COLUMNS)


__all__ = ["NO_FRAME", "PREVALENCE_COLUMNS", "estimate_frame_prevalence", "ppi_mean", "ppi_stratified"]
