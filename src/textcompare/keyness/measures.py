"""Vectorised keyness measures: G², log ratio, LRC, background prior, Fightin' Words."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .counts import DEFAULT_FLOOR


def score_g2(count_a: Any, count_b: Any, total_a: Any, total_b: Any) -> np.ndarray:
    """Dunning's G² over the full 2×2 table, vectorised (``0·ln 0 = 0``)."""
    fa, fb, na, nb = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in (count_a, count_b, total_a, total_b)))
    observed = np.stack([fa, fb, na - fa, nb - fb])
    n = na + nb
    rows = np.stack([fa + fb, fa + fb, n - fa - fb, n - fa - fb])
    cols = np.stack([na, nb, na, nb])
    expected = rows * cols / n
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(observed > 0, observed * np.log(observed / expected), 0.0)
    return np.maximum(2.0 * terms.sum(axis=0), 0.0)


def score_log_ratio(count_a: Any, count_b: Any, total_a: Any, total_b: Any, *, zero: float = 0.5) -> np.ndarray:
    """Log₂ ratio of relative frequencies (Hardie 2014); 0 when both counts are 0.

    A zero count becomes ``zero`` hits in the larger of the two totals (Hardie puts 0.5 in the
    text itself, which can give a positive ratio to a term absent from a short text), so the sign
    always follows the rates; same rule as :func:`textcompare.stats.log2_rate_ratio`.
    """
    fa, fb, na, nb = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in (count_a, count_b, total_a, total_b)))
    big = np.maximum(na, nb)
    ra = np.where(fa > 0, fa / na, zero / big)
    rb = np.where(fb > 0, fb / nb, zero / big)
    return np.where((fa <= 0) & (fb <= 0), 0.0, np.log2(ra / rb))


def score_lrc(count_a: Any, count_b: Any, total_a: Any, total_b: Any, *, alpha: float = 0.05, n_tests: int = 1) -> np.ndarray:
    """Evert's conservative log ratio (Bonferroni over ``n_tests``, Clopper–Pearson interval)."""
    fa, fb, na, nb = (np.asarray(x, dtype=float) for x in (count_a, count_b, total_a, total_b))
    level = alpha / max(int(n_tests), 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        lo = np.where(fa > 0, stats.beta.ppf(level / 2, fa, fb + 1), 0.0)
        hi = np.where(fb > 0, stats.beta.ppf(1 - level / 2, fa + 1, fb), 1.0)
        lr_lo = np.log2((nb / na) * lo / (1 - lo))
        lr_hi = np.log2((nb / na) * hi / (1 - hi))
    return np.where(lr_lo > 0, lr_lo, np.where(lr_hi < 0, lr_hi, 0.0))


def score_background_prior(terms: Sequence[str], *, floor: float = DEFAULT_FLOOR, lang: str = "en") -> pd.Series:
    """Background shares π_w for Monroe et al.'s informative prior, from wordfreq.

    Each term is looked up with ``wordfreq.word_frequency(term, lang, minimum=floor)`` after
    lower-casing and turning typographic apostrophes into ``'`` (wordfreq's own tokenisation then
    splits multiword terms and combines their frequencies). ``floor`` keeps names wordfreq barely
    knows ("Soleimani") from getting a near-zero prior, which would make their z meaningless. The
    shares are renormalised to sum to 1 over ``terms``.
    """
    from wordfreq import word_frequency

    keys = [str(t).lower().replace("’", "'") for t in terms]
    freq = np.array([word_frequency(k, lang, minimum=floor) for k in keys], dtype=float)
    total = freq.sum()
    return pd.Series(freq / total if total > 0 else freq, index=list(terms), name="prior")


def load_background_prior(background: Any, terms: Sequence[str], *, unit: str = "lemma",
                          smoothing: float = 0.5) -> pd.Series:
    """Background shares π_w for the Fightin' Words prior from a background corpus or counts.

    Parameters
    ----------
    background : Corpus, path, or Series
        A built corpus of background texts (its stored token tables are counted, every document),
        or a Series of term -> count (or share) from any reference list.
    terms : sequence of str
        The vocabulary of the comparison; the result is indexed by it.
    unit : {"lemma", "lower"}
        Term unit of a background corpus (the comparison's unit).
    smoothing : float
        Added to every count (terms the background lacks get a small positive prior).

    Returns
    -------
    Series indexed by ``terms``: (count_w + smoothing) renormalised to sum to 1 over ``terms``.
    """
    if isinstance(background, pd.Series):
        counts = background.astype(float)
    else:
        from ..corpus import load_corpus
        from .counts import count_doc_terms

        corpus = load_corpus(background)
        every = pd.Series("background", index=list(corpus.ids))
        table, _ = count_doc_terms(None, every, corpus=corpus, unit=unit)
        counts = table.groupby("term")["count"].sum().astype(float)
    if (counts < 0).any():
        raise ValueError("background counts must not be negative")
    if counts.sum() > 0 and counts.max() <= 1.0:  # shares: put them on a count-like scale
        counts = counts / counts[counts > 0].min()
    values = counts.reindex(list(terms)).fillna(0.0).to_numpy(float) + smoothing
    return pd.Series(values / values.sum(), index=list(terms), name="prior")


def score_fightin_words(
    count_a: Any, count_b: Any, total_a: float, total_b: float, prior: Any, *, alpha0: float
) -> tuple[np.ndarray, np.ndarray]:
    """Monroe et al. (2008) δ_w and z_w with α_w = α₀·π_w.

    ``prior`` (π_w) should sum to 1 over the whole vocabulary, so that α₀ = Σ_w α_w.
    """
    fa, fb, pi = (np.asarray(x, dtype=float) for x in (count_a, count_b, prior))
    na, nb = float(total_a), float(total_b)
    aw = alpha0 * pi
    delta = np.log((fa + aw) / (na + alpha0 - fa - aw)) - np.log((fb + aw) / (nb + alpha0 - fb - aw))
    var = 1.0 / (fa + aw) + 1.0 / (fb + aw)
    return delta, delta / np.sqrt(var)


