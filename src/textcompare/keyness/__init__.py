"""Keyness: which terms one group of documents uses more than another, and how much more.

For each term w with counts f_a, f_b in groups of N_a, N_b words (tokens that are neither
punctuation nor space), :func:`score_keyness` returns, in one vectorised pass:

- ``g2``: Dunning's log-likelihood over the full 2×2 table (w / other words × a / b),
  ``2·Σ O·ln(O/E)`` with ``0·ln 0 = 0``; equal to ``scipy.stats.chi2_contingency([[fa, fb],
  [Na-fa, Nb-fb]], correction=False, lambda_="log-likelihood")``. ``p_value`` from χ²(1);
  ``p_adj_bh`` Benjamini–Hochberg over the table's family (every row of the table
  :func:`compare_keyness` returns: ``family``, ``m_tests``).
- ``log_ratio``: Hardie's log₂((f_a/N_a)/(f_b/N_b)); a zero count becomes half a hit in the
  larger text, so the sign follows the rates.
- ``pct_diff``: 100·(rate_a − rate_b)/rate_b, NaN when f_b = 0 (see ``only_in_a``).
- ``lrc``: Evert's conservative log ratio: the Clopper–Pearson interval of f_a/(f_a+f_b) at
  confidence 1 − 0.05/n_tested (Bonferroni), mapped to log₂ ratios; the bound nearer 0, or 0
  when the interval contains it.
- ``fw_delta``, ``fw_z``: Monroe, Colaresi & Quinn (2008) log-odds with an informative Dirichlet
  prior, exactly as in their eqs. 16–22: α_w = α₀·π_w, δ_w = ln[(f_a+α_w)/(N_a+α₀−f_a−α_w)] −
  ln[(f_b+α_w)/(N_b+α₀−f_b−α_w)], Var ≈ 1/(f_a+α_w) + 1/(f_b+α_w), z = δ/√Var. π_w is the
  wordfreq English frequency (floored, see :func:`score_background_prior`) renormalised over the
  vocabulary of the two groups; α₀ defaults to N_a + N_b (the prior weighs as much as the data).
  Not scattertext's variant (per-text α₀ and four-term variance). ``fw_p`` is the two-sided
  normal p of z and ``fw_q`` its BH adjustment over the same family; ``background=`` replaces
  wordfreq by a background corpus or reference counts (:func:`load_background_prior`).
- Across documents: ``docs_a``/``docs_b`` (documents containing the term) beside the token
  counts, and ``p_unit``/``q_unit``, the term's rate tested over documents (``scope = "groups"``)
  or over the paragraphs of the texts (``scope = "texts"``) by a quasi-Poisson model (Lijffijt
  et al. 2016: token-level tests overstate keyness when words cluster).

G², χ² and z treat tokens as independent draws, which words are not: with one document per side
(``scope = "texts"``) they describe the two texts and are a ranking aid.
"""

from __future__ import annotations

from .compare import DOCUMENT_COLUMNS, comparisons_of, compare_keyness, score_keyness, score_prior_sensitivity
from .counts import (
    DEFAULT_FLOOR, DISPERSION_COLUMNS, KEYNESS_COLUMNS, REST, UNITS, count_doc_terms, count_terms, score_dispersion,
    stream_keyness_tables,
)
from .measures import (load_background_prior, score_background_prior, score_fightin_words, score_g2, score_log_ratio,
                       score_lrc)

__all__ = [
    "DEFAULT_FLOOR", "DISPERSION_COLUMNS", "DOCUMENT_COLUMNS", "KEYNESS_COLUMNS", "REST", "UNITS", "comparisons_of",
    "compare_keyness", "count_doc_terms", "count_terms", "load_background_prior", "score_background_prior",
    "score_dispersion", "score_fightin_words", "score_g2", "score_keyness",
    "score_log_ratio", "score_lrc", "score_prior_sensitivity", "stream_keyness_tables",
]
