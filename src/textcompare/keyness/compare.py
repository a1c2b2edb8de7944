"""Scoring one comparison, every comparison of a grouping, and the prior's sensitivity."""
from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import InputError
from ..stats import document_test_matrix, fdr_bh, scope_of
from .counts import (DEFAULT_FLOOR, KEYNESS_COLUMNS, REST, count_doc_terms, count_terms, score_dispersion,
                     stream_keyness_tables)
from .measures import (load_background_prior, score_background_prior, score_fightin_words, score_g2,
                       score_log_ratio, score_lrc)


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
    sorted by g2 descending then term. ``p_adj_bh`` and ``fw_q`` are Benjamini–Hochberg over the
    ``m_tests`` rows of this comparison (its ``family``); :func:`compare_keyness` widens the
    family to every row of its table. ``log_ratio`` keeps the sign of the rate difference when a
    count is zero (:func:`textcompare.stats.log2_rate_ratio`).

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
    wide = wide.assign(fw_delta=delta, fw_z=z, fw_p=2.0 * stats.norm.sf(np.abs(z)), prior=pi.to_numpy())
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
    out["p_adj_bh"] = fdr_bh(out["p_value"]) if m else []
    out["fw_q"] = fdr_bh(out["fw_p"]) if m else []
    out["family"], out["m_tests"] = f"keyness {target} vs {group_b}", m
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


#: Columns compare_keyness adds to KEYNESS_COLUMNS (dispersion, documents, document-level test).
DOCUMENT_COLUMNS = ["dispersion_a", "n_paragraphs_a", "dispersion_b", "n_paragraphs_b", "scope", "n_docs_a",
                    "n_docs_b", "docs_a", "docs_b", "unit", "p_unit", "q_unit"]


def _unit_matrix(counts: pd.DataFrame, terms: pd.Series, keys: pd.Series, units: list[str]) -> Any:
    """Sparse terms x units matrix of counts (``keys``: the unit of every row of ``counts``)."""
    from scipy import sparse

    row = pd.Index(terms).get_indexer(counts["term"])
    col = pd.Index(units).get_indexer(keys)
    keep = (row >= 0) & (col >= 0)
    return sparse.csr_matrix((counts["count"].to_numpy(float)[keep], (row[keep], col[keep])),
                             shape=(len(terms), len(units)))


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
    background: Any = None,
) -> pd.DataFrame:
    """Keyness between the groups of a manifest column, with dispersion and a document-level test.

    Two groups give one comparison (first label alphabetically as ``group_a``); more give each
    group against the rest and then every pair, told apart by the ``comparison`` column. The whole
    table is one Benjamini–Hochberg family (``family = "keyness"``, ``m_tests`` rows):
    ``p_adj_bh`` (G²), ``fw_q`` (Fightin' Words z) and ``q_unit`` are adjusted over all its rows.

    Keyness across documents (Lijffijt et al. 2016): ``docs_a``/``docs_b`` count the documents of
    each side containing the term (beside the token counts), and ``p_unit`` tests the term's rate
    with the rule of :mod:`textcompare.stats` over units (``unit``): documents when both sides have
    at least two (``scope = "groups"``), else the paragraphs of the texts (``scope = "texts"``:
    it describes the texts, not their authors or outlets). Over documents the test is the
    quasi-Poisson score test of :func:`textcompare.stats.quasi_poisson_score_documents`; over
    paragraphs the quasi-Poisson Wald test, or a score test for a term absent from one text
    (:func:`textcompare.stats.document_test_matrix`).
    G² treats tokens as independent; ``p_unit`` does not (calibration: benchmarks/RESULTS.md).

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
    background : Corpus, path or Series, optional
        Background corpus (or term counts) for the Fightin' Words prior instead of wordfreq
        (:func:`load_background_prior`).

    Returns
    -------
    :func:`score_keyness` columns plus ``DOCUMENT_COLUMNS`` (docs/columns.md).
    """
    if doc_groups is None:
        from ..corpus import document_groups

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
    unit_counts, unit_words = count_doc_terms(tokens, doc_groups, corpus=corpus, unit=unit, drop_stop=drop_stop)
    para_key = unit_counts["doc_id"].astype(str) + "\x1f" + unit_counts["paragraph_id"].astype(str)
    para_words = unit_words.assign(key=unit_words["doc_id"].astype(str) + "\x1f"
                                   + unit_words["paragraph_id"].astype(str))
    doc_words = para_words.groupby("doc_id", sort=True)["words"].sum()
    prior = None
    if background is not None:
        prior = load_background_prior(background, sorted(counts["term"].unique()), unit=unit)
    disp = disp.set_index(["group", "term"])
    tables = []
    for k, (target, reference) in enumerate(pairs):
        table = score_keyness(counts, target, reference, min_count=min_count, alpha0=alpha0, floor=floor, prior=prior)
        for side, label in (("a", target), ("b", reference)):
            if label is None:  # the rest: dispersion is per group, so it is left empty
                table[f"dispersion_{side}"], table[f"n_paragraphs_{side}"] = np.nan, pd.NA
                continue
            part = disp.loc[label].reindex(table["term"]) if label in disp.index.get_level_values(0) else None
            table[f"dispersion_{side}"] = np.nan if part is None else part["dispersion"].to_numpy()
            table[f"n_paragraphs_{side}"] = (0 if part is None else part["n_paragraphs"].fillna(0).to_numpy())
        table["n_paragraphs_a"] = table["n_paragraphs_a"].astype("Int64")
        table["n_paragraphs_b"] = table["n_paragraphs_b"].astype("Int64")
        docs = doc_words.index.to_numpy(object)
        label = doc_groups.reindex(docs).to_numpy(object)
        side_a = label == target
        side_b = (label != target) if reference is None else (label == reference)
        docs_a, docs_b = list(docs[side_a]), list(docs[side_b])
        scope = scope_of(len(docs_a), len(docs_b))
        table["n_docs_a"], table["n_docs_b"], table["scope"] = len(docs_a), len(docs_b), scope
        by_doc = _unit_matrix(unit_counts, table["term"], unit_counts["doc_id"].astype(str), docs_a + docs_b)
        table["docs_a"] = np.asarray((by_doc[:, :len(docs_a)] > 0).sum(axis=1)).ravel()
        table["docs_b"] = np.asarray((by_doc[:, len(docs_a):] > 0).sum(axis=1)).ravel()
        if scope == "groups":  # the document is the unit
            matrix, words = by_doc, doc_words.reindex(docs_a + docs_b).to_numpy(float)
            in_a = np.arange(len(docs_a) + len(docs_b)) < len(docs_a)
            table["unit"] = "document"
        else:  # texts: the paragraphs of the texts are the units
            pa = para_words[para_words["doc_id"].isin(docs_a)]
            pb = para_words[para_words["doc_id"].isin(docs_b)]
            keys = list(pa["key"]) + list(pb["key"])
            matrix = _unit_matrix(unit_counts, table["term"], para_key, keys)
            words = np.concatenate([pa["words"].to_numpy(float), pb["words"].to_numpy(float)])
            in_a = np.arange(len(keys)) < len(pa)
            table["unit"] = "paragraph"
        table["p_unit"] = document_test_matrix(matrix, words, in_a, scope=scope)
        tables.append(table)
    out = pd.concat(tables, ignore_index=True)
    # One family for the whole table, whatever subset a command prints.
    out["p_adj_bh"] = fdr_bh(out["p_value"])
    out["fw_q"] = fdr_bh(out["fw_p"])
    out["q_unit"] = fdr_bh(out["p_unit"])
    out["family"], out["m_tests"] = "keyness", len(out)
    out.attrs["bh_family"] = {"name": "keyness", "m_tests": len(out), "method": "fdr_bh",
                              "tests": "every term x comparison of the table (p_adj_bh, fw_q and q_unit each)"}
    return out[KEYNESS_COLUMNS + DOCUMENT_COLUMNS]
