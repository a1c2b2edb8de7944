"""Statistics checked against independent computations on tables small enough to verify by hand."""
from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest

from textcompare.stats import (bootstrap_rate_ci, bootstrap_rate_difference, fdr_bh, log2_rate_ratio,
                               permutation_test_rates, rate_per_1k)

COUNTS_A = [1, 0, 2, 0, 1, 0, 3, 0]
WORDS_A = [10, 12, 9, 11, 10, 8, 20, 15]
COUNTS_B = [0, 0, 1, 0, 0, 1]
WORDS_B = [10, 10, 10, 10, 12, 14]


def test_rate_per_1k_is_hits_over_words():
    assert rate_per_1k(COUNTS_A, WORDS_A) == pytest.approx(1000 * 7 / 95)


def test_bootstrap_rate_ci_is_reproducible_with_a_seed_and_changes_with_another():
    first = bootstrap_rate_ci(COUNTS_A, WORDS_A, n_resamples=999, seed=3)
    assert first == bootstrap_rate_ci(COUNTS_A, WORDS_A, n_resamples=999, seed=3)
    assert first != bootstrap_rate_ci(COUNTS_A, WORDS_A, n_resamples=999, seed=4)
    assert first[0] < rate_per_1k(COUNTS_A, WORDS_A) < first[1]


def test_bootstrap_rate_ci_matches_a_hand_written_percentile_bootstrap():
    rng = np.random.default_rng(123)
    c, n = np.array(COUNTS_A, float), np.array(WORDS_A, float)
    idx = rng.integers(0, len(c), size=(40_000, len(c)))
    rates = 1000 * c[idx].sum(1) / n[idx].sum(1)
    expected = np.percentile(rates, [2.5, 97.5])
    low, high = bootstrap_rate_ci(COUNTS_A, WORDS_A, n_resamples=40_000, seed=7)
    assert low == pytest.approx(expected[0], abs=2.5)
    assert high == pytest.approx(expected[1], abs=2.5)


def test_bootstrap_rate_ci_without_hits_is_zero_and_nan_for_one_sentence():
    assert bootstrap_rate_ci([0, 0, 0], [5, 6, 7], n_resamples=99) == (0.0, 0.0)
    assert all(np.isnan(bootstrap_rate_ci([1], [5], n_resamples=99)))


def test_log2_ratio_uses_half_for_zero_counts():
    assert log2_rate_ratio(4, 100, 2, 100) == pytest.approx(1.0)
    assert log2_rate_ratio(2, 100, 0, 100) == pytest.approx(2.0)  # 2 vs 0.5


def test_bootstrap_rate_difference_point_estimates_and_reproducibility():
    out = bootstrap_rate_difference(COUNTS_A, WORDS_A, COUNTS_B, WORDS_B, n_resamples=999, seed=1)
    assert out["rate_diff"] == pytest.approx(1000 * 7 / 95 - 1000 * 2 / 66)
    assert out["log2_ratio"] == pytest.approx(np.log2((7 / 95) / (2 / 66)))
    assert out["rate_diff_ci_low"] < out["rate_diff"] < out["rate_diff_ci_high"]
    assert out == bootstrap_rate_difference(COUNTS_A, WORDS_A, COUNTS_B, WORDS_B, n_resamples=999, seed=1)


def test_permutation_test_matches_full_enumeration_on_a_tiny_table():
    ca, na, cb, nb = [2, 1, 3], [10, 10, 10], [0, 1, 0], [10, 12, 9]
    c, n = np.array(ca + cb, float), np.array(na + nb, float)

    def stat(ix):
        rest = [i for i in range(6) if i not in ix]
        return abs(1000 * (c[list(ix)].sum() / n[list(ix)].sum() - c[rest].sum() / n[rest].sum()))

    observed = stat((0, 1, 2))
    splits = list(combinations(range(6), 3))
    expected = sum(stat(s) >= observed - 1e-9 for s in splits) / len(splits)
    assert permutation_test_rates(ca, na, cb, nb, n_resamples=9_999, seed=0, statistic="rate") == pytest.approx(expected)


def test_permutation_test_is_reproducible_with_a_seed():
    p1 = permutation_test_rates(COUNTS_A, WORDS_A, COUNTS_B, WORDS_B, n_resamples=499, seed=5)
    assert p1 == permutation_test_rates(COUNTS_A, WORDS_A, COUNTS_B, WORDS_B, n_resamples=499, seed=5)
    assert 0 < p1 <= 1


def test_fdr_bh_matches_a_hand_computation():
    # sorted p: .01 .03 .04 .20 (m=4) -> .04, .06, .0533, .20 -> step-up minimum: .04, .0533, .0533, .20
    q = fdr_bh([0.01, 0.04, 0.03, 0.20, np.nan])
    assert q[:4] == pytest.approx([0.04, 0.16 / 3, 0.16 / 3, 0.20])
    assert np.isnan(q[4])


def test_fdr_bh_caps_at_one_and_keeps_order():
    assert fdr_bh([0.9, 0.8]).tolist() == pytest.approx([0.9, 0.9])
    assert fdr_bh([1.0, 1.0, 0.5]).max() <= 1.0


def test_permutation_per_sentence_statistic_matches_enumeration_and_ignores_sentence_length():
    ca, na, cb, nb = [1, 1, 0], [5, 5, 5], [0, 0, 0], [40, 40, 40]
    # per sentence: |T| >= 2/3 only when both hit sentences fall in the same group: 2 * C(4,1) / C(6,3) = 8/20
    assert permutation_test_rates(ca, na, cb, nb, n_resamples=9_999) == pytest.approx(8 / 20)
    # the words-based statistic is driven by the short sentences of group a
    assert permutation_test_rates(ca, na, cb, nb, n_resamples=9_999, statistic="rate") < 8 / 20
    with pytest.raises(ValueError):
        permutation_test_rates(ca, na, cb, nb, statistic="nope")
