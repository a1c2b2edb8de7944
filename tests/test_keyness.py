"""Keyness statistics checked against scipy and hand computations on tiny tables."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest, chi2_contingency

from textcompare.errors import InputError
from textcompare.keyness import (
    KEYNESS_COLUMNS, comparisons_of, compare_keyness, count_terms, load_background_prior, score_background_prior,
    score_dispersion,
    score_g2, score_keyness, score_log_ratio, score_lrc, score_prior_sensitivity,
)
from scipy import stats

from textcompare.stats import fdr_bh, quasi_poisson_score_documents

TABLES = [(12, 2, 1300, 1200), (0, 5, 1300, 1200), (7, 0, 900, 1500), (1, 1, 50, 60), (40, 3, 1000, 1000), (3, 0, 10, 12)]


def _counts(rows):
    return pd.DataFrame(rows, columns=["group", "term", "count", "total"])


def _tokens(spec):
    """spec: list of (doc_id, paragraph_id, word)."""
    return pd.DataFrame([{
        "doc_id": d, "paragraph_id": p, "lemma": w, "lower": w.lower(), "is_punct": w in {".", ","},
        "is_space": False, "is_stop": w.lower() in {"the", "a"},
    } for d, p, w in spec])


@pytest.mark.parametrize("fa,fb,na,nb", TABLES)
def test_g2_and_p_match_scipy(fa, fb, na, nb):
    expected = chi2_contingency([[fa, fb], [na - fa, nb - fb]], correction=False, lambda_="log-likelihood")
    table = score_keyness(_counts([("a", "w", fa, na), ("b", "w", fb, nb), ("a", "x", na - fa, na),
                                   ("b", "x", nb - fb, nb)]), "a", "b", min_count=1)
    row = table.set_index("term").loc["w"]
    assert abs(row["g2"] - expected.statistic) < 1e-9
    assert abs(row["p_value"] - expected.pvalue) < 1e-9
    assert abs(score_g2(fa, fb, na, nb) - expected.statistic) < 1e-9


def test_g2_methods_example_is_the_four_cell_value():
    assert round(float(score_g2(12, 2, 1300, 1200)), 2) == 7.18


def test_log_ratio_and_pct_diff_by_hand():
    table = score_keyness(_counts([("a", "w", 8, 1000), ("b", "w", 2, 500), ("a", "v", 3, 1000),
                                   ("b", "v", 0, 500), ("a", "u", 0, 1000), ("b", "u", 4, 500)]), "a", "b", min_count=1)
    t = table.set_index("term")
    assert t.loc["w", "log_ratio"] == pytest.approx(math.log2((8 / 1000) / (2 / 500)))  # = 1
    assert t.loc["w", "pct_diff"] == pytest.approx(100 * (8 / 1000 - 2 / 500) / (2 / 500))  # = 100
    # the zero becomes half a hit in the larger text (1,000 words), so the sign follows the rates
    assert t.loc["v", "log_ratio"] == pytest.approx(math.log2((3 / 1000) / (0.5 / 1000)))
    assert math.isnan(t.loc["v", "pct_diff"]) and t.loc["v", "only_in_a"] and not t.loc["v", "only_in_b"]
    assert t.loc["u", "only_in_b"] and t.loc["u", "pct_diff"] == pytest.approx(-100)
    assert t.loc["w", "rate_a"] == pytest.approx(8.0) and t.loc["w", "rate_b"] == pytest.approx(4.0)
    assert list(table.columns) == KEYNESS_COLUMNS
    assert set(table["n_tested"]) == {3}


def test_log_ratio_zero_substitution():
    assert score_log_ratio(0, 0, 100, 100) == pytest.approx(0.0)
    assert score_log_ratio(4, 0, 100, 200) == pytest.approx(math.log2((4 / 100) / (0.5 / 200)))
    # 0 hits in a short text against 1 in a text 10 times longer: negative, not log2((0.5/100)/(1/1000)) > 0
    assert score_log_ratio(0, 1, 100, 1000) < 0 and score_log_ratio(1, 0, 1000, 100) > 0


@pytest.mark.parametrize("fa,fb,na,nb,m", [(30, 2, 1000, 1000, 10), (2, 25, 800, 1200, 5), (5, 4, 1000, 1000, 3),
                                            (20, 0, 1000, 1000, 100), (0, 15, 500, 500, 2)])
def test_lrc_matches_clopper_pearson_from_binomtest(fa, fb, na, nb, m):
    ci = binomtest(fa, fa + fb).proportion_ci(confidence_level=1 - 0.05 / m, method="exact")
    to_lr = lambda p: math.log2((nb / na) * p / (1 - p)) if 0 < p < 1 else (math.inf if p >= 1 else -math.inf)
    lo, hi = to_lr(ci.low), to_lr(ci.high)
    expected = lo if lo > 0 else (hi if hi < 0 else 0.0)
    assert float(score_lrc(fa, fb, na, nb, n_tests=m)) == pytest.approx(expected, abs=1e-9)


def test_lrc_is_zero_when_interval_crosses_zero_and_shrinks_with_more_tests():
    assert float(score_lrc(3, 2, 1000, 1000)) == 0.0
    assert 0 < float(score_lrc(40, 3, 1000, 1000, n_tests=1000)) < float(score_lrc(40, 3, 1000, 1000, n_tests=1))


def test_fightin_words_matches_hand_computation():
    # vocabulary {x, y}; a: x=3, y=1; b: x=1, y=3; uniform prior and alpha0=2 so alpha_w=1.
    counts = _counts([("a", "x", 3, 4), ("a", "y", 1, 4), ("b", "x", 1, 4), ("b", "y", 3, 4)])
    prior = pd.Series({"x": 0.5, "y": 0.5})
    t = score_keyness(counts, "a", "b", min_count=1, alpha0=2.0, prior=prior).set_index("term")
    delta = math.log(4 / 2) - math.log(2 / 4)
    z = delta / math.sqrt(1 / 4 + 1 / 2)
    assert t.loc["x", "fw_delta"] == pytest.approx(delta)
    assert t.loc["x", "fw_z"] == pytest.approx(z)  # 1.6008
    assert t.loc["y", "fw_z"] == pytest.approx(-z)
    assert t.loc["x", "prior"] == pytest.approx(0.5)


def test_prior_handles_case_and_typographic_apostrophes():
    prior = score_background_prior(["Iran’s", "iran's", "THE", "the", "soleimani"])
    assert prior["Iran’s"] == prior["iran's"] > 0
    assert prior["THE"] == prior["the"]
    assert prior.sum() == pytest.approx(1.0)
    assert prior["soleimani"] > 0  # floored, never zero


def test_prior_floor_applies_to_unknown_words():
    low = score_background_prior(["the", "zqxjv"], floor=1e-8)
    high = score_background_prior(["the", "zqxjv"], floor=1e-4)
    assert high["zqxjv"] > low["zqxjv"] > 0


def test_min_count_sets_n_tested_and_bh():
    counts = _counts([("a", "w", 5, 100), ("b", "w", 1, 100), ("a", "v", 1, 100), ("a", "u", 3, 100), ("b", "u", 2, 100)])
    table = score_keyness(counts, "a", "b", min_count=2)
    assert sorted(table["term"]) == ["u", "w"] and set(table["n_tested"]) == {2}
    p = np.sort(table["p_value"].to_numpy())
    bh = np.minimum.accumulate((p * 2 / np.arange(1, 3))[::-1])[::-1]
    assert np.allclose(np.sort(table["p_adj_bh"].to_numpy()), np.minimum(bh, 1))


def test_unknown_group_lists_valid_groups():
    counts = _counts([("a", "w", 5, 100), ("b", "w", 1, 100)])
    with pytest.raises(InputError, match="valid groups: a, b"):
        score_keyness(counts, "c", "b")


def test_count_terms_units_and_totals():
    tokens = _tokens([("d1", 0, "The"), ("d1", 0, "Iran’s"), ("d1", 0, "."), ("d2", 0, "the"), ("d2", 0, "war")])
    groups = pd.Series({"d1": "A", "d2": "B"})
    counts = count_terms(tokens, groups, unit="lower")
    assert counts.set_index(["group", "term"])["count"].to_dict() == {("A", "iran's"): 1, ("A", "the"): 1,
                                                                       ("B", "the"): 1, ("B", "war"): 1}
    assert counts.drop_duplicates("group").set_index("group")["total"].to_dict() == {"A": 2, "B": 2}
    no_stop = count_terms(tokens, groups, unit="lower", drop_stop=True)
    assert "the" not in set(no_stop["term"]) and set(no_stop["total"]) == {2}
    with pytest.raises(TypeError):
        count_terms(tokens, "A")
    with pytest.raises(InputError):
        count_terms(tokens, groups, unit="stem")


def test_dispersion_by_hand():
    # group A: paragraph 0 has 4 words, paragraph 1 has 2 words; "x" occurs twice in 0 and never in 1.
    tokens = _tokens([("d1", 0, "x"), ("d1", 0, "x"), ("d1", 0, "y"), ("d1", 0, "z"), ("d1", 1, "y"), ("d1", 1, "z")])
    disp = score_dispersion(tokens, pd.Series({"d1": "A"})).set_index("term")
    s = np.array([4 / 6, 2 / 6])
    dp_x = 0.5 * (abs(1 - s[0]) + abs(0 - s[1])) / (1 - s.min())
    dp_y = 0.5 * (abs(0.5 - s[0]) + abs(0.5 - s[1])) / (1 - s.min())
    assert disp.loc["x", "dispersion"] == pytest.approx(dp_x)  # = 1
    assert disp.loc["y", "dispersion"] == pytest.approx(dp_y)
    assert disp.loc["x", "n_paragraphs"] == 1 and disp.loc["y", "n_paragraphs"] == 2


def test_comparisons_two_groups_and_more():
    assert comparisons_of(["b", "a"]) == [("a", "b")]
    three = comparisons_of(["c", "a", "b"])
    assert three[:3] == [("a", None), ("b", None), ("c", None)]
    assert three[3:] == [("a", "b"), ("a", "c"), ("b", "c")]
    with pytest.raises(InputError):
        comparisons_of(["a"])


def test_compare_keyness_three_groups_one_vs_rest_and_pairwise():
    words = {"d1": "war war peace iran", "d2": "peace peace trade iran", "d3": "trade trade war iran"}
    tokens = _tokens([(d, 0, w) for d, text in words.items() for w in text.split()])
    groups = pd.Series({"d1": "A", "d2": "B", "d3": "C"})
    table = compare_keyness(tokens=tokens, doc_groups=groups, min_count=1)
    assert list(dict.fromkeys(table["comparison"])) == ["A vs rest", "B vs rest", "C vs rest", "A vs B", "A vs C", "B vs C"]
    rest = table[(table["comparison"] == "A vs rest") & (table["term"] == "war")].iloc[0]
    assert (rest["count_a"], rest["count_b"], rest["total_a"], rest["total_b"]) == (2, 1, 4, 8)
    assert rest["n_paragraphs_a"] == 1 and pd.isna(rest["n_paragraphs_b"])
    pair = table[(table["comparison"] == "A vs B") & (table["term"] == "peace")].iloc[0]
    assert (pair["count_a"], pair["count_b"]) == (1, 2)
    chosen = compare_keyness(tokens=tokens, doc_groups=groups, groups=["C", "A"], min_count=1)
    assert set(chosen["comparison"]) == {"C vs A"}
    with pytest.raises(InputError, match="valid groups: A, B, C"):
        compare_keyness(tokens=tokens, doc_groups=groups, groups=["A", "Z"])


def test_prior_sensitivity_reports_each_factor():
    counts = _counts([("a", w, c, 60) for w, c in zip("abcdefghij", [10, 8, 7, 6, 5, 5, 4, 4, 6, 5])]
                     + [("b", w, c, 60) for w, c in zip("abcdefghij", [2, 3, 9, 6, 8, 7, 5, 6, 9, 5])])
    sens = score_prior_sensitivity(counts, "a", "b", top=5, min_count=1)
    assert list(sens["factor"]) == [0.1, 1.0, 10.0]
    assert sens.loc[sens["factor"] == 1.0, "kendall_tau"].item() == pytest.approx(1.0)
    assert (sens["top_overlap"].between(0, 1)).all() and set(sens["top"]) == {5}
    assert sens.loc[sens["factor"] == 10.0, "alpha0"].item() == pytest.approx(1200.0)


@pytest.mark.model
def test_seed_keyness_has_required_columns(built_corpus):
    table = compare_keyness(built_corpus, by="outlet")
    for column in ["term", "group_a", "group_b", "count_a", "count_b", "total_a", "total_b", "g2", "p_value",
                   "log_ratio", "pct_diff", "fw_z"]:
        assert column in table.columns
    assert table["term"].is_unique and table["n_tested"].nunique() == 1
    assert (table["count_a"] + table["count_b"] >= 2).all()


def test_compare_keyness_is_one_bh_family_and_tests_documents_when_groups_have_several():
    rng = np.random.default_rng(4)
    vocab = ["war", "peace", "trade", "iran", "oil", "talks"]
    spec = []
    for k in range(6):  # three documents per group; "war" only in group A
        doc = f"d{k}"
        words = list(rng.choice(vocab[1:], size=40)) + (["war"] * 5 if k < 3 else [])
        spec += [(doc, j // 10, w) for j, w in enumerate(words)]
    tokens = _tokens(spec)
    groups = pd.Series({f"d{k}": ("A" if k < 3 else "B") for k in range(6)})
    table = compare_keyness(tokens=tokens, doc_groups=groups, min_count=1)
    assert set(table["scope"]) == {"groups"} and set(table["n_docs_a"]) == {3}
    t = table.set_index("term")
    assert (t.loc["war", "docs_a"], t.loc["war", "docs_b"]) == (3, 0) and set(table["unit"]) == {"document"}
    # war is absent from B: the quasi-Poisson score test over the 6 documents, computed by hand
    # (the dispersion comes from side A, the side with hits: df = 3 - 1)
    c = np.array([5.0, 5, 5, 0, 0, 0])
    w = tokens.groupby("doc_id").size().reindex([f"d{k}" for k in range(6)]).to_numpy(float)
    mu_a = c[:3].sum() / w[:3].sum() * w[:3]
    phi = ((c[:3] - mu_a) ** 2 / mu_a).sum() / 2
    phi = phi if phi > 1e-12 else 1.0  # X² = 0 here (5 hits in 45 tokens each): Poisson variance
    pi0 = w[:3].sum() / w.sum()
    u = (c[:3].sum() - c.sum() * pi0) / np.sqrt(phi * c.sum() * pi0 * (1 - pi0))
    assert t.loc["war", "p_unit"] == pytest.approx(2 * stats.t(2).sf(abs(u)))
    # a term on both sides: the same test, its dispersion from both sides (df = 4)
    counts = tokens[tokens["lemma"] == "oil"].groupby("doc_id").size().reindex(w_index := [f"d{k}" for k in range(6)],
                                                                                fill_value=0).to_numpy(float)
    got = quasi_poisson_score_documents(counts[None, :], w, np.arange(6) < 3)
    assert t.loc["oil", "p_unit"] == pytest.approx(got["p_value"][0]) and len(w_index) == 6 and got["df"][0] == 4
    assert (table["m_tests"] == len(table)).all() and set(table["family"]) == {"keyness"}
    assert np.allclose(table["q_unit"], fdr_bh(table["p_unit"]))
    assert np.allclose(table["fw_q"], fdr_bh(table["fw_p"]))
    one = compare_keyness(tokens=tokens, doc_groups=pd.Series({"d0": "A", "d3": "B"}), min_count=1)
    assert set(one["scope"]) == {"texts"} and set(one["unit"]) == {"paragraph"} and one["p_unit"].notna().all()


def test_background_corpus_counts_set_the_fightin_words_prior():
    prior = load_background_prior(pd.Series({"war": 90.0, "peace": 10.0}), ["war", "peace", "oil"], smoothing=0.5)
    assert prior.to_numpy() == pytest.approx(np.array([90.5, 10.5, 0.5]) / 101.5)
    tokens = _tokens([("d1", 0, w) for w in "war war war peace oil".split()]
                     + [("d2", 0, w) for w in "peace peace oil oil war".split()])
    groups = pd.Series({"d1": "A", "d2": "B"})
    default = compare_keyness(tokens=tokens, doc_groups=groups, min_count=1).set_index("term")
    custom = compare_keyness(tokens=tokens, doc_groups=groups, min_count=1,
                             background=pd.Series({"war": 1000.0, "peace": 1.0, "oil": 1.0})).set_index("term")
    assert custom.loc["war", "prior"] > 0.9 and not np.allclose(custom["fw_z"], default.loc[custom.index, "fw_z"])
