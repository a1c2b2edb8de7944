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
    """Hardie's log₂ ratio of relative frequencies; ``zero`` replaces a zero count."""
    fa, fb, na, nb = (np.asarray(x, dtype=float) for x in (count_a, count_b, total_a, total_b))
    return np.log2((np.where(fa > 0, fa, zero) / na) / (np.where(fb > 0, fb, zero) / nb))


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


