"""Keyness: which terms one group of documents uses more than another, and how much more.

For each term w with counts f_a, f_b in groups of N_a, N_b words (tokens that are neither
punctuation nor space), :func:`score_keyness` returns, in one vectorised pass:

- ``g2``: Dunning's log-likelihood over the full 2×2 table (w / other words × a / b),
  ``2·Σ O·ln(O/E)`` with ``0·ln 0 = 0``; equal to ``scipy.stats.chi2_contingency([[fa, fb],
  [Na-fa, Nb-fb]], correction=False, lambda_="log-likelihood")``. ``p_value`` from χ²(1);
  ``p_adj_bh`` Benjamini–Hochberg over the ``n_tested`` terms.
- ``log_ratio``: Hardie's log₂((f_a/N_a)/(f_b/N_b)), 0.5 standing in for a zero count.
- ``pct_diff``: 100·(rate_a − rate_b)/rate_b, NaN when f_b = 0 (see ``only_in_a``).
- ``lrc``: Evert's conservative log ratio: the Clopper–Pearson interval of f_a/(f_a+f_b) at
  confidence 1 − 0.05/n_tested (Bonferroni), mapped to log₂ ratios; the bound nearer 0, or 0
  when the interval contains it.
- ``fw_delta``, ``fw_z``: Monroe, Colaresi & Quinn (2008) log-odds with an informative Dirichlet
  prior, exactly as in their eqs. 16–22: α_w = α₀·π_w, δ_w = ln[(f_a+α_w)/(N_a+α₀−f_a−α_w)] −
  ln[(f_b+α_w)/(N_b+α₀−f_b−α_w)], Var ≈ 1/(f_a+α_w) + 1/(f_b+α_w), z = δ/√Var. π_w is the
  wordfreq English frequency (floored, see :func:`score_background_prior`) renormalised over the
  vocabulary of the two groups; α₀ defaults to N_a + N_b (the prior weighs as much as the data).
  Not scattertext's variant (per-text α₀ and four-term variance).

Tokens are treated as independent draws, which words are not: read p-values as a ranking aid.
"""
from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .errors import InputError

UNITS = ("lemma", "lower")
REST = "rest"
KEYNESS_COLUMNS = [
    "comparison", "term", "group_a", "group_b", "count_a", "count_b", "total_a", "total_b",
    "rate_a", "rate_b", "g2", "p_value", "p_adj_bh", "log_ratio", "lrc", "pct_diff",
    "only_in_a", "only_in_b", "fw_delta", "fw_z", "prior", "n_tested",
]
DISPERSION_COLUMNS = ["group", "term", "dispersion", "n_paragraphs"]
DEFAULT_FLOOR = 1e-6


def _terms_of(tokens: pd.DataFrame, unit: str) -> pd.Series:
    if unit not in UNITS:
        raise InputError(f"unknown unit {unit!r}", fix="use one of: " + ", ".join(UNITS))
    column = tokens["lemma"] if unit == "lemma" else tokens["lower"]
    return column.astype(str).str.lower().str.replace("’", "'", regex=False)


def count_terms(
    tokens: pd.DataFrame,
    groups: pd.Series,
    *,
    unit: str = "lemma",
    drop_stop: bool = False,
) -> pd.DataFrame:
    """Term counts per group, with each group's word total.

    Parameters
    ----------
    tokens : DataFrame
        Token table (``load_tokens``): needs doc_id, lemma, lower, is_punct, is_space, is_stop.
    groups : Series
        doc_id -> group label; documents not in it are left out.
    unit : {"lemma", "lower"}
        Lower-cased lemma, or lower-cased word form (typographic apostrophes become ``'``).
    drop_stop : bool
        Leave spaCy stop words out of the terms (they still count in ``total``).

    Returns
    -------
    DataFrame with columns group, term, count, total (words in the group), sorted by group, term.
    """
    if isinstance(groups, (str, bytes)):
        raise TypeError("groups must be a Series mapping doc_id to group label, not a str")
    tokens = tokens[tokens["doc_id"].isin(groups.index)]
    words = tokens[~(tokens["is_punct"].astype(bool) | tokens["is_space"].astype(bool))]
    group = words["doc_id"].map(groups.astype(str))
    totals = group.value_counts()
    table = pd.DataFrame({"group": group, "term": _terms_of(words, unit)})
    if drop_stop:
        table = table[~words["is_stop"].astype(bool).to_numpy()]
    counts = table.groupby(["group", "term"]).size().rename("count").reset_index()
    counts["total"] = counts["group"].map(totals).astype("int64")
    return counts.sort_values(["group", "term"], kind="stable").reset_index(drop=True)


def score_dispersion(tokens: pd.DataFrame, groups: pd.Series, *, unit: str = "lemma") -> pd.DataFrame:
    """Gries's DP_norm of every term over the paragraphs of each group.

    DP = ½·Σ_i |v_i − s_i| over the group's paragraphs i (v_i: share of the term's hits in
    paragraph i, s_i: paragraph i's share of the group's words); DP_norm = DP / (1 − min s_i)
    (Lijffijt & Gries 2012). 0 = spread evenly, 1 = concentrated in one paragraph. Written by
    hand: no maintained Python library computes it.

    Returns
    -------
    DataFrame with columns group, term, dispersion (DP_norm), n_paragraphs (paragraphs of the
    group containing the term).
    """
    tokens = tokens[tokens["doc_id"].isin(groups.index)]
    words = tokens[~(tokens["is_punct"].astype(bool) | tokens["is_space"].astype(bool))]
    frame = pd.DataFrame({
        "group": words["doc_id"].map(groups.astype(str)).to_numpy(),
        "para": (words["doc_id"].astype(str) + "\x1f" + words["paragraph_id"].astype(str)).to_numpy(),
        "term": _terms_of(words, unit).to_numpy(),
    })
    rows = []
    for group, part in frame.groupby("group", sort=True):
        sizes = part.groupby("para").size()
        share = sizes / sizes.sum()
        hits = part.groupby(["term", "para"]).size().unstack(fill_value=0).reindex(columns=share.index, fill_value=0)
        v = hits.to_numpy(dtype=float)
        v = v / v.sum(axis=1, keepdims=True)
        dp = 0.5 * np.abs(v - share.to_numpy()[None, :]).sum(axis=1)
        denom = 1.0 - share.min()
        rows.append(pd.DataFrame({
            "group": group, "term": hits.index,
            "dispersion": dp / denom if denom > 0 else 0.0,
            "n_paragraphs": (hits.to_numpy() > 0).sum(axis=1),
        }))
    if not rows:
        return pd.DataFrame(columns=DISPERSION_COLUMNS)
    return pd.concat(rows, ignore_index=True)[DISPERSION_COLUMNS]


class _Sums:
    """Running sums of the numeric columns of partial tables, grouped by ``keys``.

    Partial tables are buffered and folded into the running total once the buffer outgrows it,
    so memory stays proportional to the number of distinct keys (the vocabulary), not to the
    number of partial tables added.
    """

    def __init__(self, keys: Sequence[str], *, min_buffer: int = 200_000):
        self.keys, self.min_buffer = list(keys), min_buffer
        self.total: pd.DataFrame | None = None
        self.parts: list[pd.DataFrame] = []
        self.buffered = 0

    def add(self, part: pd.DataFrame) -> None:
        if len(part):
            self.parts.append(part)
            self.buffered += len(part)
        if self.buffered > max(self.min_buffer, 0 if self.total is None else len(self.total)):
            self._fold()

    def _fold(self) -> None:
        frames = ([] if self.total is None else [self.total]) + self.parts
        if frames:
            self.total = pd.concat(frames, ignore_index=True).groupby(self.keys, sort=False, as_index=False).sum()
        self.parts, self.buffered = [], 0

    def result(self) -> pd.DataFrame | None:
        self._fold()
        return self.total


def _doc_words(tokens: pd.DataFrame, unit: str) -> pd.DataFrame:
    words = tokens[~(tokens["is_punct"].astype(bool) | tokens["is_space"].astype(bool))]
    return pd.DataFrame({
        "term": _terms_of(words, unit).to_numpy(),
        "is_stop": words["is_stop"].astype(bool).to_numpy(),
        "para": words["paragraph_id"].to_numpy(),
    })


def stream_keyness_tables(
    corpus: Any,
    groups: pd.Series,
    *,
    unit: str = "lemma",
    drop_stop: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`count_terms` and :func:`score_dispersion` of a corpus, one document at a time.

    Reads the stored per-document token tables twice with
    :func:`~textcompare.parsing.iter_tables` (nothing is re-parsed) and keeps only per-group
    sums in memory, so peak memory grows with the vocabulary, not with the number of documents.

    Pass 1 sums, per group, term counts, words, the smallest paragraph and the paragraphs
    containing each term. Pass 2 needs each term's group total H and the group's words P, so it
    sums over the paragraphs i where the term occurs (h_i hits, p_i words)
    ``|h_i/H − p_i/P| − p_i/P``; as paragraphs without the term add ``p_i/P`` to Gries's sum,
    ``DP = ½·(1 + that sum)``. Counts are identical to the in-memory functions; dispersion
    equals them up to floating-point rounding (summation order differs, ~1e-15).

    Parameters
    ----------
    corpus : Corpus, path or None
    groups : Series
        doc_id -> group label; documents not in it (or not in the corpus) are left out.
    unit, drop_stop
        As in :func:`count_terms` (dispersion always covers every term, as in
        :func:`score_dispersion`).

    Returns
    -------
    (counts, dispersion): the tables :func:`count_terms` and :func:`score_dispersion` return.
    """
    from .corpus import load_corpus
    from .parsing import iter_tables

    if isinstance(groups, (str, bytes)):
        raise TypeError("groups must be a Series mapping doc_id to group label, not a str")
    if unit not in UNITS:
        raise InputError(f"unknown unit {unit!r}", fix="use one of: " + ", ".join(UNITS))
    corpus = load_corpus(corpus)
    groups = groups.astype(str)
    ids = [doc_id for doc_id in corpus.ids if doc_id in groups.index]
    counts, para_hits = _Sums(["group", "term", "is_stop"]), _Sums(["group", "term"])
    words: dict[str, int] = {}
    smallest: dict[str, int] = {}
    for doc_id, tokens in iter_tables(corpus, "tokens", ids=ids):
        frame = _doc_words(tokens, unit)
        if frame.empty:
            continue
        group = groups[doc_id]
        counts.add(frame.groupby(["term", "is_stop"], sort=False).size().rename("count").reset_index()
                   .assign(group=group))
        para_hits.add(frame.drop_duplicates(["term", "para"]).groupby("term", sort=False).size()
                      .rename("n_paragraphs").reset_index().assign(group=group))
        words[group] = words.get(group, 0) + len(frame)
        smallest[group] = min(smallest.get(group, len(frame)), int(frame.groupby("para").size().min()))
    summed = counts.result()
    if summed is None:
        return (pd.DataFrame(columns=["group", "term", "count", "total"]), pd.DataFrame(columns=DISPERSION_COLUMNS))
    kept = summed[~summed["is_stop"]] if drop_stop else summed
    table = kept.groupby(["group", "term"])["count"].sum().reset_index()
    table["total"] = table["group"].map(words).astype("int64")
    table = table.sort_values(["group", "term"], kind="stable").reset_index(drop=True)

    hits_total = {g: part.droplevel(0) for g, part in summed.groupby(["group", "term"])["count"].sum().groupby(level=0)}
    deviation = _Sums(["group", "term"])
    for doc_id, tokens in iter_tables(corpus, "tokens", ids=ids):
        frame = _doc_words(tokens, unit)
        if frame.empty:
            continue
        group = groups[doc_id]
        size = frame.groupby("para").size()
        hits = frame.groupby(["term", "para"], sort=False).size()
        h = hits.to_numpy(dtype=float)
        total = hits_total[group].reindex(hits.index.get_level_values(0)).to_numpy(dtype=float)
        share = size.reindex(hits.index.get_level_values(1)).to_numpy(dtype=float) / words[group]
        part = pd.DataFrame({"term": hits.index.get_level_values(0), "deviation": np.abs(h / total - share) - share})
        deviation.add(part.groupby("term", sort=False, as_index=False)["deviation"].sum().assign(group=group))
    disp = deviation.result().merge(para_hits.result(), on=["group", "term"], how="left")
    denom = 1.0 - disp["group"].map(smallest).astype(float) / disp["group"].map(words).astype(float)
    dp = 0.5 * (1.0 + disp["deviation"].to_numpy())
    disp["dispersion"] = np.where(denom > 0, dp / denom.where(denom > 0, 1.0), 0.0)
    disp["n_paragraphs"] = disp["n_paragraphs"].astype("int64")
    disp = disp.sort_values(["group", "term"], kind="stable").reset_index(drop=True)
    return table, disp[DISPERSION_COLUMNS]


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


def _pivot(counts: pd.DataFrame, target: str, reference: str | None) -> tuple[pd.DataFrame, str, int, int]:
    labels = sorted(counts["group"].astype(str).unique())
    for name in [target] + ([reference] if reference is not None else []):
        if name not in labels:
            raise InputError(f"unknown group {name!r}", fix="valid groups: " + ", ".join(labels))
    if reference == target:
        raise InputError(f"target and reference are the same group {target!r}", fix="choose two different groups")
    side_b = counts["group"] != target if reference is None else counts["group"] == reference
    side_a = counts["group"] == target
    totals = counts.drop_duplicates("group").set_index("group")["total"]
    total_a = int(totals[target])
    total_b = int(totals.drop(target).sum() if reference is None else totals[reference])
    wide = pd.DataFrame({
        "count_a": counts[side_a].groupby("term")["count"].sum(),
        "count_b": counts[side_b].groupby("term")["count"].sum(),
    }).fillna(0).astype("int64")
    return wide, (REST if reference is None else reference), total_a, total_b


def score_keyness(
    counts: pd.DataFrame,
    target: str,
    reference: str | None = None,
    *,
    min_count: int = 2,
    alpha0: float | None = None,
    prior: pd.Series | None = None,
    floor: float = DEFAULT_FLOOR,
) -> pd.DataFrame:
    """Keyness of every term of group ``target`` against ``reference`` (or all other groups).

    Parameters
    ----------
    counts : DataFrame
        From :func:`count_terms` (group, term, count, total).
    target, reference : str
        Group labels; ``reference=None`` pools every other group (``group_b`` is ``"rest"``).
    min_count : int
        Terms with count_a + count_b below this are not tested (``n_tested`` counts the rest;
        Bonferroni in ``lrc`` and BH in ``p_adj_bh`` use it).
    alpha0 : float, optional
        Monroe et al.'s α₀ (prior sample size); default N_a + N_b.
    prior : Series, optional
        Background shares indexed by term (a custom reference frequency list); default
        :func:`score_background_prior` over the vocabulary of both groups. Renormalised here.
    floor : float
        wordfreq floor for the default prior.

    Returns
    -------
    DataFrame with columns ``KEYNESS_COLUMNS`` (see docs/columns.md), one row per tested term,
    sorted by g2 descending then term.

    Examples
    --------
    >>> counts = count_terms(tokens, groups)                       # doctest: +SKIP
    >>> score_keyness(counts, "China-US Focus", "Responsible Statecraft").head()  # doctest: +SKIP
    """
    wide, group_b, total_a, total_b = _pivot(counts, str(target), None if reference is None else str(reference))
    # The prior spans the whole vocabulary of the two sides (Monroe et al.), not only tested terms.
    if prior is None:
        pi = score_background_prior(list(wide.index), floor=floor)
    else:
        pi = prior.reindex(wide.index).fillna(floor).astype(float)
        pi = pi / pi.sum()
    # The Dirichlet is over the full multinomial, so N_a and N_b are the groups' word totals.
    fa_all, fb_all = wide["count_a"].to_numpy(float), wide["count_b"].to_numpy(float)
    a0 = float(total_a + total_b) if alpha0 is None else float(alpha0)
    delta, z = score_fightin_words(fa_all, fb_all, total_a, total_b, pi.to_numpy(), alpha0=a0)
    wide = wide.assign(fw_delta=delta, fw_z=z, prior=pi.to_numpy())
    tested = wide[(wide["count_a"] + wide["count_b"]) >= min_count].copy()
    m = len(tested)
    fa, fb = tested["count_a"].to_numpy(float), tested["count_b"].to_numpy(float)
    out = tested.reset_index().rename(columns={"index": "term"})
    out["group_a"], out["group_b"] = str(target), group_b
    out["comparison"] = f"{target} vs {group_b}"
    out["total_a"], out["total_b"] = total_a, total_b
    out["rate_a"], out["rate_b"] = 1000.0 * fa / total_a, 1000.0 * fb / total_b
    out["g2"] = score_g2(fa, fb, total_a, total_b)
    out["p_value"] = stats.chi2.sf(out["g2"], 1)
    out["p_adj_bh"] = stats.false_discovery_control(out["p_value"], method="bh") if m else []
    out["log_ratio"] = score_log_ratio(fa, fb, total_a, total_b)
    out["lrc"] = score_lrc(fa, fb, total_a, total_b, n_tests=m)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["pct_diff"] = np.where(fb > 0, 100.0 * (out["rate_a"] - out["rate_b"]) / out["rate_b"], np.nan)
    out["only_in_a"], out["only_in_b"] = (fb == 0) & (fa > 0), (fa == 0) & (fb > 0)
    out["n_tested"] = m
    out = out.sort_values(["g2", "term"], ascending=[False, True], kind="stable").reset_index(drop=True)
    return out[KEYNESS_COLUMNS]


def score_prior_sensitivity(
    counts: pd.DataFrame,
    target: str,
    reference: str | None = None,
    *,
    factors: Sequence[float] = (0.1, 1.0, 10.0),
    baseline: float = 1.0,
    top: int = 30,
    min_count: int = 2,
    floor: float = DEFAULT_FLOOR,
) -> pd.DataFrame:
    """How stable the Fightin' Words ranking is when α₀ = factor·(N_a + N_b) changes.

    For each factor, Kendall's τ (``scipy.stats.kendalltau``) between the baseline's and this
    factor's z-scores over the baseline's ``top`` terms by |z|, and the share of those terms
    still in this factor's top.

    Returns
    -------
    DataFrame with columns factor, alpha0, kendall_tau, tau_p_value, top_overlap, top.
    """
    wide, _, total_a, total_b = _pivot(counts, str(target), None if reference is None else str(reference))
    prior = score_background_prior(list(wide.index), floor=floor)
    n = total_a + total_b
    runs = {f: score_keyness(counts, target, reference, min_count=min_count, alpha0=f * n, prior=prior)
            .set_index("term")["fw_z"] for f in sorted(set(factors) | {baseline})}
    ranked = runs[baseline].abs().sort_values(ascending=False, kind="stable")
    base_top = list(ranked.index[:top])
    rows = []
    for f in sorted(set(factors)):
        other = runs[f]
        tau = stats.kendalltau(runs[baseline][base_top], other[base_top])
        other_top = set(other.abs().sort_values(ascending=False, kind="stable").index[:top])
        rows.append({"factor": f, "alpha0": f * n, "kendall_tau": float(tau.statistic),
                     "tau_p_value": float(tau.pvalue), "top_overlap": len(other_top & set(base_top)) / max(len(base_top), 1),
                     "top": len(base_top)})
    return pd.DataFrame(rows)


def comparisons_of(labels: Sequence[str]) -> list[tuple[str, str | None]]:
    """(target, reference) pairs: one pair for two groups; one-vs-rest then all pairs for more."""
    labels = sorted(labels)
    if len(labels) < 2:
        raise InputError(f"keyness needs at least two groups, found {len(labels)}: {', '.join(labels) or '-'}",
                         fix="add documents or choose another --by column")
    if len(labels) == 2:
        return [(labels[0], labels[1])]
    return [(g, None) for g in labels] + list(itertools.combinations(labels, 2))


def compare_keyness(
    corpus: Any = None,
    *,
    by: str = "outlet",
    groups: Sequence[str] | None = None,
    unit: str = "lemma",
    drop_stop: bool = False,
    min_count: int = 2,
    alpha0: float | None = None,
    floor: float = DEFAULT_FLOOR,
    tokens: pd.DataFrame | None = None,
    doc_groups: pd.Series | None = None,
) -> pd.DataFrame:
    """Keyness between the groups of a manifest column, with dispersion over paragraphs.

    Two groups give one comparison (first label alphabetically as ``group_a``); more give each
    group against the rest and then every pair, told apart by the ``comparison`` column.

    Parameters
    ----------
    corpus : Corpus, path or None
        Supplies ``tokens`` and ``doc_groups`` when not given.
    by : str
        Manifest column to group by (``document_groups``).
    groups : sequence of str, optional
        Restrict to these group labels (in this order when exactly two: first is ``group_a``).
    tokens, doc_groups : optional
        Token table and doc_id -> group Series, to bypass the corpus. Without ``tokens`` the
        corpus's token tables are streamed one document at a time
        (:func:`stream_keyness_tables`), so memory grows with the vocabulary, not the corpus.

    Returns
    -------
    :func:`score_keyness` columns plus dispersion_a, n_paragraphs_a, dispersion_b, n_paragraphs_b.
    """
    if doc_groups is None:
        from .corpus import document_groups

        doc_groups = document_groups(corpus, by=by)
    doc_groups = doc_groups.astype(str)
    valid = sorted(doc_groups.unique())
    if groups is not None:
        groups = [str(g) for g in groups]
        unknown = [g for g in groups if g not in valid]
        if unknown:
            raise InputError(f"unknown group(s) {', '.join(map(repr, unknown))} for --by {by}",
                             fix="valid groups: " + ", ".join(valid))
        doc_groups = doc_groups[doc_groups.isin(groups)]
        pairs = [(groups[0], groups[1])] if len(groups) == 2 else comparisons_of(groups)
    else:
        pairs = comparisons_of(valid)
    if tokens is None:
        counts, disp = stream_keyness_tables(corpus, doc_groups, unit=unit, drop_stop=drop_stop)
    else:
        counts = count_terms(tokens, doc_groups, unit=unit, drop_stop=drop_stop)
        disp = score_dispersion(tokens, doc_groups, unit=unit)
    disp = disp.set_index(["group", "term"])
    tables = []
    for target, reference in pairs:
        table = score_keyness(counts, target, reference, min_count=min_count, alpha0=alpha0, floor=floor)
        for side, label in (("a", target), ("b", reference)):
            if label is None:  # the rest: dispersion is per group, so it is left empty
                table[f"dispersion_{side}"], table[f"n_paragraphs_{side}"] = np.nan, pd.NA
                continue
            part = disp.loc[label].reindex(table["term"]) if label in disp.index.get_level_values(0) else None
            table[f"dispersion_{side}"] = np.nan if part is None else part["dispersion"].to_numpy()
            table[f"n_paragraphs_{side}"] = (0 if part is None else part["n_paragraphs"].fillna(0).to_numpy())
        table["n_paragraphs_a"] = table["n_paragraphs_a"].astype("Int64")
        table["n_paragraphs_b"] = table["n_paragraphs_b"].astype("Int64")
        tables.append(table)
    return pd.concat(tables, ignore_index=True)
