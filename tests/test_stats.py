"""Statistics checked against independent computations on tables small enough to verify by hand."""
from __future__ import annotations

from itertools import combinations
from math import comb

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from textcompare.stats import (block_bootstrap, compare_sides, exact_rate_test, fdr_bh, log2_rate_ratio,
                               permutation_test_documents, poisson_rate_ci, quasi_poisson_matrix,
                               quasi_poisson_score_documents, quasi_poisson_test,
                               rate_per_1k, scope_of)

COUNTS_A = [1, 0, 2, 0, 1, 0, 3, 0]
WORDS_A = [10, 12, 9, 11, 10, 8, 20, 15]
COUNTS_B = [0, 0, 1, 0, 0, 1]
WORDS_B = [10, 10, 10, 10, 12, 14]


def test_rate_per_1k_is_hits_over_words():
    assert rate_per_1k(COUNTS_A, WORDS_A) == pytest.approx(1000 * 7 / 95)


@pytest.mark.parametrize("count, words", [(0, 1112), (1, 1112), (7, 95), (40, 2000)])
def test_poisson_rate_ci_is_the_garwood_interval(count, words):
    low, high = poisson_rate_ci(count, words)
    # Garwood (1936) from the chi-square quantiles, computed independently
    expected_low = sps.chi2.ppf(0.025, 2 * count) / 2 if count else 0.0
    expected_high = sps.chi2.ppf(0.975, 2 * count + 2) / 2
    assert low == pytest.approx(1000 * expected_low / words)
    assert high == pytest.approx(1000 * expected_high / words)


def test_zero_hits_get_an_exact_upper_bound_not_zero():
    low, high = poisson_rate_ci(0, 1112)
    assert low == 0.0 and high == pytest.approx(3.317, abs=1e-3)
    out = compare_sides(["a"] * 4, [0, 0, 0, 0], [278] * 4, ["b"] * 4, [1, 0, 2, 0], [300] * 4,
                        n_resamples=499, seed=0)
    assert out["ci_low"] == 0.0 and out["ci_high"] == pytest.approx(3.317, abs=1e-3)


def test_exact_rate_test_is_the_conditional_binomial():
    expected = sps.binomtest(10, 12, 1112 / (1112 + 1540)).pvalue
    assert exact_rate_test(10, 1112, 2, 1540) == pytest.approx(expected)
    # independent: two-sided sum of binomial probabilities no larger than the observed one
    p = 1112 / 2652
    probs = sps.binom.pmf(np.arange(13), 12, p)
    assert exact_rate_test(10, 1112, 2, 1540) == pytest.approx(probs[probs <= probs[10] * (1 + 1e-7)].sum())
    assert exact_rate_test(0, 100, 0, 200) == 1.0


@pytest.mark.parametrize("a, wa, b, wb", [(0, 1112, 1, 1540), (0, 100, 1, 5000), (0, 5000, 3, 100), (1, 100, 0, 5000)])
def test_sign_of_log_ratio_follows_the_counts(a, wa, b, wb):
    value = log2_rate_ratio(a, wa, b, wb)
    assert np.sign(value) == np.sign(a / wa - b / wb)


def test_log2_ratio_without_zeros_and_with_both_zero():
    assert log2_rate_ratio(4, 100, 2, 100) == pytest.approx(1.0)
    assert log2_rate_ratio(0, 100, 0, 300) == 0.0


def test_zero_against_hits_is_negative_and_unbounded_below():
    out = compare_sides(["a"] * 5, [0] * 5, [200] * 5, ["b"] * 5, [1, 2, 0, 1, 1], [300] * 5, n_resamples=999, seed=2)
    assert out["log2_ratio"] < 0 and out["rate_diff"] < 0
    assert out["unbounded"] == "low" and out["log2_ratio_ci_low"] == -np.inf
    assert np.isfinite(out["log2_ratio_ci_high"])


def test_block_bootstrap_matches_a_hand_written_cluster_bootstrap():
    rng = np.random.default_rng(123)
    c, n = np.array(COUNTS_A, float), np.array(WORDS_A, float)
    idx = rng.integers(0, len(c), size=(40_000, len(c)))
    expected = np.percentile(1000 * c[idx].sum(1) / n[idx].sum(1), [2.5, 97.5])
    out = block_bootstrap(COUNTS_A, WORDS_A, COUNTS_B, WORDS_B, n_resamples=40_000, seed=7)
    assert out["ci_low"] == pytest.approx(expected[0], abs=2.5)
    assert out["ci_high"] == pytest.approx(expected[1], abs=2.5)
    again = block_bootstrap(COUNTS_A, WORDS_A, COUNTS_B, WORDS_B, n_resamples=40_000, seed=7)
    assert out == again
    assert out != block_bootstrap(COUNTS_A, WORDS_A, COUNTS_B, WORDS_B, n_resamples=40_000, seed=8)


def test_document_permutation_matches_full_enumeration():
    ca, na, cb, nb = [2, 1, 3], [100, 100, 100], [0, 1, 0], [100, 120, 90]
    c, n = np.array(ca + cb, float), np.array(na + nb, float)

    def stat(ix):
        rest = [i for i in range(6) if i not in ix]
        return abs(c[list(ix)].sum() / n[list(ix)].sum() - c[rest].sum() / n[rest].sum())

    observed = stat((0, 1, 2))
    splits = list(combinations(range(6), 3))
    expected = sum(stat(s) >= observed - 1e-12 for s in splits) / len(splits)
    assert permutation_test_documents(ca, na, cb, nb, seed=0) == pytest.approx(expected)
    # 3 against 3 documents: 20 labellings, each split and its mirror tie, so p >= 2/20
    assert permutation_test_documents(ca, na, cb, nb) >= 2 / comb(6, 3)
    assert np.isnan(permutation_test_documents([1], [10], [0, 1], [10, 10]))


def test_scope_rule_and_which_test_is_used():
    assert scope_of(1, 5) == "texts" and scope_of(2, 2) == "groups"
    texts = compare_sides(["a", "a", "a"], [3, 2, 5], [100, 80, 120], ["b", "b", "b"], [1, 0, 1], [150, 150, 90],
                          n_resamples=199)
    # within texts the paragraphs are the observations of the quasi-Poisson model
    assert texts["scope"] == "texts" and texts["test"] == "quasi_poisson_paragraphs"
    assert texts["p_value"] == pytest.approx(quasi_poisson_test([3, 2, 5], [100, 80, 120], [1, 0, 1],
                                                                [150, 150, 90])["p_value"])
    # a text without any hit: paragraph permutation; a text of one paragraph: exact conditional binomial
    none = compare_sides(["a", "a", "a"], [0, 0, 0], [100, 80, 120], ["b", "b"], [1, 2], [150, 150], n_resamples=199)
    assert none["test"] == "paragraph_permutation"
    single = compare_sides(["a"], [10], [300], ["b"], [1], [300], n_resamples=199)
    assert single["test"] == "exact_conditional_binomial"
    assert single["p_value"] == pytest.approx(exact_rate_test(10, 300, 1, 300))
    groups = compare_sides(["a1", "a1", "a2", "a3"], [3, 1, 2, 5], [100, 50, 80, 120], ["b1", "b2", "b3"],
                           [1, 0, 1], [150, 150, 100], n_resamples=199)
    assert groups["scope"] == "groups" and groups["n_docs"] == 3 and groups["n_docs_versus"] == 3
    assert groups["test"] == "quasi_poisson_score_documents"
    # document totals, not paragraph blocks, are the observations
    by_hand = _score_by_hand([4, 2, 5], [150, 80, 120], [1, 0, 1], [150, 150, 100])
    assert groups["p_value"] == pytest.approx(by_hand)
    # a side without any hit: the same test (no fallback), an infinite lower bound
    empty = compare_sides(["a1", "a2", "a3"], [0, 0, 0], [100, 80, 120], ["b1", "b2", "b3"], [2, 1, 3],
                          [150, 150, 100], n_resamples=199)
    assert empty["test"] == "quasi_poisson_score_documents" and empty["unbounded"] == "low"
    assert empty["log2_ratio_ci_low"] == float("-inf") and np.isfinite(empty["log2_ratio_ci_high"])
    assert empty["p_value"] == pytest.approx(_score_by_hand([0, 0, 0], [100, 80, 120], [2, 1, 3], [150, 150, 100]))


def _score_by_hand(ca, na, cb, nb):
    """The groups test written out: dispersion from the sides with hits, df = their documents - 1 each."""
    ca, na, cb, nb = (np.asarray(x, float) for x in (ca, na, cb, nb))
    pearson, df = 0.0, 0
    for c, n in ((ca, na), (cb, nb)):
        if c.sum() > 0:
            mu = c.sum() / n.sum() * n
            pearson += ((c - mu) ** 2 / mu).sum()
            df += len(c) - 1
    phi = pearson / df
    h, pi0 = ca.sum() + cb.sum(), na.sum() / (na.sum() + nb.sum())
    u = (ca.sum() - h * pi0) / np.sqrt(phi * h * pi0 * (1 - pi0))
    return 2 * sps.t(df).sf(abs(u))


def test_score_test_interval_inverts_the_test():
    rng = np.random.default_rng(11)
    for _ in range(200):
        ca, cb = rng.poisson(rng.uniform(0.5, 6), 3), rng.poisson(rng.uniform(0.5, 6), 4)
        na, nb = rng.integers(200, 900, 3), rng.integers(200, 900, 4)
        if ca.sum() + cb.sum() == 0:
            continue
        out = quasi_poisson_score_documents(np.r_[ca, cb][None, :], np.r_[na, nb], np.arange(7) < 3)
        p, low, high = out["p_value"][0], out["log2_ratio_ci_low"][0], out["log2_ratio_ci_high"][0]
        assert p == pytest.approx(_score_by_hand(ca, na, cb, nb))
        # the interval excludes 0 exactly when the test rejects at 0.05
        if abs(p - 0.05) > 1e-9:
            assert (p < 0.05) == (low > 0 or high < 0)
        assert low <= np.log2(max(ca.sum(), 1e-9) / na.sum() / max(cb.sum(), 1e-9) * nb.sum()) + 1e-9 or ca.sum() == 0
        assert (low == -np.inf) == (ca.sum() == 0) and (high == np.inf) == (cb.sum() == 0)


def test_quasi_poisson_matches_statsmodels_glm_with_pearson_scale():
    import statsmodels.api as sm

    ca, na, cb, nb = [4, 9, 2, 7], [300, 500, 200, 400], [1, 3, 0, 2, 1], [250, 400, 150, 300, 200]
    y = np.array(ca + cb, float)
    x = sm.add_constant(np.r_[np.ones(4), np.zeros(5)])
    fit = sm.GLM(y, x, family=sm.families.Poisson(), offset=np.log(na + nb)).fit(scale="X2")
    t = fit.params[1] / fit.bse[1]
    expected = 2 * sps.t(7).sf(abs(t))
    got = quasi_poisson_test(ca, na, cb, nb)
    assert got["p_value"] == pytest.approx(expected, rel=1e-4)
    half = sps.t(7).ppf(0.975) * fit.bse[1] / np.log(2)
    assert got["log2_ratio_ci_low"] == pytest.approx(fit.params[1] / np.log(2) - half, rel=1e-4)
    # the closed form used for keyness gives the same p
    matrix = quasi_poisson_matrix(np.array([ca + cb, cb + ca]), na + nb, [True] * 4 + [False] * 5)
    assert matrix[0] == pytest.approx(expected, rel=1e-4)


def test_fdr_bh_matches_a_hand_computation():
    # sorted p: .01 .03 .04 .20 (m=4) -> .04, .06, .0533, .20 -> step-up minimum: .04, .0533, .0533, .20
    q = fdr_bh([0.01, 0.04, 0.03, 0.20, np.nan])
    assert q[:4] == pytest.approx([0.04, 0.16 / 3, 0.16 / 3, 0.20])
    assert np.isnan(q[4])


def test_compare_rates_family_is_every_row_whatever_is_printed():
    from textcompare.framing.compare import compare_rates

    sentences = pd.DataFrame({"doc_id": ["a"] * 6 + ["b"] * 6, "sent_id": list(range(6)) * 2,
                              "n_words": [20] * 12, "paragraph_id": [0, 0, 1, 1, 2, 2] * 2})
    hits = pd.DataFrame({"doc_id": ["a", "a", "a", "b", "a", "b", "b"], "sent_id": [0, 2, 4, 1, 3, 3, 5],
                         "f": ["x", "x", "x", "x", "y", "y", "z"]})
    table = compare_rates(hits, sentences, {"a": "A", "b": "B"}, feature="f", n_resamples=199)
    assert set(table["scope"]) == {"texts"} and (table["m_tests"] == 3).all() and (table["family"] == "f").all()
    assert set(table["test"]) <= {"quasi_poisson_paragraphs", "paragraph_permutation"}
    assert table.attrs["bh_family"]["m_tests"] == 3
    p = table.drop_duplicates("f")["p_value"].to_numpy()
    assert table.drop_duplicates("f")["q_value"].to_numpy() == pytest.approx(fdr_bh(p))
    assert all("describes the texts" in c for c in table["caveat"])


def test_a_group_named_rest_is_compared_with_the_other_groups():
    from textcompare.framing.compare import compare_rates

    docs = ["a", "b", "c"]
    sentences = pd.DataFrame({"doc_id": [d for d in docs for _ in range(4)], "sent_id": list(range(4)) * 3,
                              "n_words": [20] * 12, "paragraph_id": [0, 0, 1, 1] * 3})
    hits = pd.DataFrame({"doc_id": ["a", "a", "a", "b"], "sent_id": [0, 1, 2, 0], "f": ["x"] * 4})
    table = compare_rates(hits, sentences, {"a": "rest", "b": "B", "c": "C"}, feature="f", n_resamples=99)
    row = table[table["group"] == "rest"].iloc[0]
    assert row["versus"] == "rest" and row["hits"] == 3 and row["words"] == 80  # its own 4 sentences only
    others = table[table["group"] == "B"].iloc[0]
    assert others["hits"] == 1 and others["words"] == 80
