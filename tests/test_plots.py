"""Plot functions: drawn from small hand-made tables; assertions on the returned Axes."""
from __future__ import annotations

import hashlib

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

import textcompare as tc  # noqa: E402
from textcompare.errors import InputError  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _bars(ax) -> list[Rectangle]:
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def _points(ax) -> int:
    return sum(len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection))


def _texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def _ytick_labels(ax) -> list[str]:
    return [t.get_text() for t in ax.get_yticklabels()]


def test_actor_salience_one_dot_per_group_and_actor_with_counts():
    table = pd.DataFrame({
        "group": ["A", "A", "B", "B"], "actor": ["Iran", "China", "Iran", "Russia"],
        "mentions": [10, 2, 30, 3], "per_1k": [5.0, 1.0, 15.0, 1.5],
    })
    ax = tc.plot_actor_salience(table, n=2)
    assert ax.get_title(loc="left") == "Actor salience by group"
    assert "per 1,000 words" in ax.get_xlabel()
    assert _points(ax) == 2 * 2  # top 2 actors (Iran 15, Russia 1.5) x 2 groups
    assert set(_ytick_labels(ax)) == {"Iran", "Russia"}
    assert _ytick_labels(ax)[-1] == "Iran"  # largest gap on top
    labels = [a.get_text() for a in ax.texts] + [c.get_text() for c in ax.get_children()
                                                 if isinstance(c, matplotlib.text.Annotation)]
    assert {"10", "30", "3"} <= set(labels)


def _keyness_table() -> pd.DataFrame:
    terms = ["alpha", "beta", "gamma", "delta", "eps"]
    return pd.DataFrame({
        "comparison": "A vs B", "term": terms, "group_a": "A", "group_b": "B",
        "count_a": [9, 6, 1, 0, 3], "count_b": [1, 0, 8, 5, 3], "g2": [7.0, 6.0, 5.5, 4.0, 0.0],
        "log_ratio": [3.1, 3.5, -3.0, -2.9, 0.0], "fw_z": [2.5, 2.1, -2.4, -2.0, 0.1],
    })


def test_keyness_draws_n_bars_per_side_with_counts_on_bars():
    ax = tc.plot_keyness(_keyness_table(), n=2)
    assert ax.get_title(loc="left") == "Key terms: A vs B"
    assert "log₂" in ax.get_xlabel()
    assert len(_bars(ax)) == 4  # zero log ratio ("eps") is on neither side
    assert _ytick_labels(ax) == ["gamma", "delta", "beta", "alpha"]  # strongest G2 at both ends
    assert "9 : 1  G² 7.0" in _texts(ax)
    widths = sorted(b.get_width() for b in _bars(ax))
    assert widths == pytest.approx([-3.0, -2.9, 3.1, 3.5])


def test_keyness_labels_paragraph_spread_of_the_favoured_side():
    table = _keyness_table().assign(n_paragraphs_a=[4, 1, 1, 0, 2], n_paragraphs_b=[1, 0, 3, 2, 2])
    ax = tc.plot_keyness(table, n=2)
    assert "9 : 1  G² 7.0  ¶4" in _texts(ax)
    assert "1 : 8  G² 5.5  ¶3" in _texts(ax)
    assert "¶k: paragraphs of the favoured side" in ax.get_xlabel()
    assert tc.plot_keyness(table, title="Other").get_title(loc="left") == "Other"


def test_keyness_draws_only_the_chosen_comparison():
    other = _keyness_table().assign(comparison="A vs rest", group_b="rest", term=lambda d: d["term"] + "_x")
    table = pd.concat([_keyness_table(), other], ignore_index=True)
    ax = tc.plot_keyness(table, n=5, comparison="A vs rest")
    assert ax.get_title(loc="left") == "Key terms: A vs rest"
    assert all(label.endswith("_x") for label in _ytick_labels(ax))


def test_fightin_words_guides_points_and_labels():
    ax = tc.plot_fightin_words(_keyness_table(), label_n=1)
    assert ax.get_title(loc="left") == "Fightin' Words: A vs B"
    assert ax.get_xlabel().startswith("log₁₀")
    guides = sorted(line.get_ydata()[0] for line in ax.get_lines() if line.get_linestyle() == "--")
    assert guides == pytest.approx([-1.96, 1.96])
    assert _points(ax) == 5
    labelled = sorted(t.get_text() for t in ax.texts)
    assert labelled == ["alpha", "gamma"]  # the most extreme term of each side


def test_fightin_words_colours_only_terms_passing_bh_and_says_so():
    table = _keyness_table().assign(fw_q=[0.01, 0.2, 0.3, 0.4, 0.9], m_tests=5)
    ax = tc.plot_fightin_words(table, label_n=1)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("BH q ≤ 0.05 over 5 tests" in t for t in legend)
    sizes = {len(c.get_offsets()) for c in ax.collections}
    # one distinctive term (alpha, for A), none for B, four grey
    counts = sorted(len(c.get_offsets()) for c in ax.collections)
    assert counts == [0, 1, 4] and sizes
    plain = _keyness_table()
    assert any("unadjusted" in t.get_text() for t in tc.plot_fightin_words(plain).get_legend().get_texts())


def _compare_table(feature: str, values: list[str]) -> pd.DataFrame:
    rows = []
    for group, versus, scale in (("A", "B", 1.0), ("B", "A", 2.0)):
        for k, value in enumerate(values):
            rows.append({"group": group, "versus": versus, feature: value, "per_1k": scale * (k + 1),
                         "ci_low": scale * k, "ci_high": scale * (k + 2)})
    return pd.DataFrame(rows)


def test_frame_profile_orders_case_before_policy_and_draws_intervals():
    table = _compare_table("frame", ["zeta", "alpha", "pfc_x"])
    table["frame_type"] = table["frame"].map({"zeta": "case", "alpha": "case", "pfc_x": "policy"})
    ax = tc.plot_frame_profile(table)
    assert ax.get_title(loc="left") == "Frame profile by group"
    assert "per 1,000 words" in ax.get_xlabel() and "95%" in ax.get_xlabel()
    assert _points(ax) == 6
    assert _ytick_labels(ax) == ["pfc_x (policy)", "zeta (case)", "alpha (case)"]  # bottom to top
    xs = sorted(np.concatenate([c.get_offsets()[:, 0] for c in ax.collections if isinstance(c, PathCollection)]))
    assert xs == pytest.approx([1, 2, 2, 3, 4, 6])


def test_frame_profile_draws_group_rates_once_when_repeated_per_versus():
    table = _compare_table("frame", ["a", "b"])
    rest = table.assign(versus="rest")
    ax = tc.plot_frame_profile(pd.concat([table, rest], ignore_index=True))
    assert _points(ax) == 4


def test_frame_functions_one_bar_per_group_and_function():
    table = _compare_table("function", ["problem_definition", "causal_attribution", "moral_evaluation",
                                        "treatment_recommendation"])
    ax = tc.plot_frame_functions(table)
    assert ax.get_title(loc="left") == "Entman's framing functions by group"
    assert ax.get_ylabel() == "hits per 1,000 words"
    assert len(_bars(ax)) == 8
    assert [t.get_text() for t in ax.get_xticklabels()][0] == "problem\ndefinition"
    assert sorted(b.get_height() for b in _bars(ax))[-1] == pytest.approx(8.0)


def test_frame_trajectory_one_tick_per_hit():
    table = pd.DataFrame({"document": ["A", "A", "B"], "frame": ["x", "y", "x"], "position": [0.1, 0.5, 0.9]})
    ax = tc.plot_frame_trajectory(table)
    assert ax.get_title(loc="left") == "Frames through each text"
    assert ax.get_xlabel().startswith("position in the text")
    assert _points(ax) == 3
    assert ax.get_xlim() == pytest.approx((-0.02, 1.02))


def test_agency_cells_are_agent_and_patient_counts():
    table = pd.DataFrame({
        "group": ["A", "A", "B", "B"], "actor": ["Iran", "Iran", "Iran", "Trump"],
        "verb_class": ["all", "coerce_attack", "all", "all"],
        "agent": [5, 2, 1, 7], "patient": [3, 1, 4, 0],
    })
    ax = tc.plot_agency(table, value="count")
    assert ax.get_title(loc="left") == "Agency: actor × role (all verbs)"
    image = ax.get_images()[0].get_array()
    assert image.tolist() == [[5, 3, 1, 4], [0, 0, 7, 0]]  # rows Iran (total 13), Trump (7)
    assert _ytick_labels(ax) == ["Iran", "Trump"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["agent", "patient", "agent", "patient"]
    ax2 = tc.plot_agency(table, verb_class="coerce_attack", value="count")
    assert ax2.get_images()[0].get_array().tolist() == [[2, 1, 0, 0]]


def test_agency_default_is_each_groups_share_of_its_clauses():
    table = pd.DataFrame({"group": ["A", "B", "B"], "actor": ["Iran", "Iran", "Trump"], "verb_class": "all",
                          "agent": [5, 1, 7], "patient": [3, 4, 0]})
    shares = np.asarray(tc.plot_agency(table).get_images()[0].get_array())
    assert np.allclose(shares, [[62.5, 37.5, 100 / 12, 400 / 12], [0, 0, 700 / 12, 0]])
    assert np.allclose(shares[:, :2].sum(), 100) and np.allclose(shares[:, 2:].sum(), 100)
    with pytest.raises(InputError):
        tc.plot_agency(table, value="rate")


def test_actor_salience_leaves_out_actors_under_the_minimum_and_says_so():
    table = pd.DataFrame({"group": ["A", "B", "A", "B", "A"], "actor": ["Iran", "Iran", "Dylan", "Karbala", "Iraq"],
                          "mentions": [4, 5, 1, 1, 2], "per_1k": [4.0, 5.0, 50.0, 50.0, 2.0]})
    ax = tc.plot_actor_salience(table)
    assert set(_ytick_labels(ax)) == {"Iran", "Iraq"} and "at least 2 mentions" in ax.get_xlabel()
    assert set(_ytick_labels(tc.plot_actor_salience(table, min_mentions=1))) == {"Iran", "Iraq", "Dylan", "Karbala"}


def _four_group_keyness() -> pd.DataFrame:
    groups = ["North", "South", "East", "West"]
    parts = []
    for g in groups:
        parts.append(_keyness_table().assign(comparison=f"{g} vs rest", group_a=g, group_b="rest"))
    for i, a in enumerate(groups):
        for b in groups[i + 1:]:
            parts.append(_keyness_table().assign(comparison=f"{a} vs {b}", group_a=a, group_b=b))
    return pd.concat(parts, ignore_index=True)


def test_keyness_panels_draw_every_group_against_the_rest():
    ax = tc.plot_keyness_panels(_four_group_keyness(), n=2)
    titles = [a.get_title(loc="left") for a in ax.figure.axes if a.get_visible()]
    assert titles == [f"Key terms: {g} vs rest" for g in ["North", "South", "East", "West"]]
    assert "4 comparisons" in ax.figure._suptitle.get_text()
    assert all(len(_bars(a)) == 4 for a in ax.figure.axes if a.get_visible())


def test_keyness_panels_chosen_pair_and_single_pair():
    ax = tc.plot_keyness_panels(_four_group_keyness(), n=2, comparisons=["East vs West"])
    assert [a.get_title(loc="left") for a in ax.figure.axes] == ["Key terms: East vs West"]
    one = tc.plot_fightin_words_panels(_keyness_table())
    assert len(one.figure.axes) == 1 and "A vs B" in one.get_title(loc="left")
    with pytest.raises(InputError, match="unknown comparison"):
        tc.plot_keyness_panels(_four_group_keyness(), comparisons=["North vs Nowhere"])


def test_alignment_pairs_one_panel_per_pair_of_documents_from_different_groups():
    rows = []
    docs = {"d1": "A", "d2": "A", "d3": "B", "d4": "C"}
    for a, ga in docs.items():
        for b, gb in docs.items():
            if a != b:
                rows.append({"group": ga, "doc_id": a, "sent_id": 0, "other_group": gb, "other_doc_id": b,
                             "other_sent_id": 0, "similarity": 0.5})
    ax = tc.plot_alignment_pairs(pd.DataFrame(rows))
    panels = [a for a in ax.figure.axes if a.get_visible() and a.get_images()]
    assert len(panels) == 5  # d1-d3, d1-d4, d2-d3, d2-d4, d3-d4 (not d1-d2: same group)
    assert "all 5 pairs" in ax.figure._suptitle.get_text()


def test_stance_uses_marker_column_in_table_order():
    table = _compare_table("marker", ["hedge", "epistemic_distance"])
    ax = tc.plot_stance(table)
    assert ax.get_title(loc="left") == "Stance markers by group"
    assert _points(ax) == 4
    assert _ytick_labels(ax) == ["epistemic distance", "hedge"]  # bottom to top


def test_alignment_matrix_from_align_sentences_pairs():
    table = pd.DataFrame({
        "group": "A", "doc_id": "d1", "sent_id": [0, 1, 2], "other_group": "B", "other_doc_id": "d2",
        "other_sent_id": [1, 0, 1], "similarity": [0.5, 0.25, 0.75],
    })
    mirrored = table.rename(columns={"doc_id": "other_doc_id", "other_doc_id": "doc_id", "sent_id": "other_sent_id",
                                     "other_sent_id": "sent_id", "group": "other_group", "other_group": "group"})
    ax = tc.plot_alignment(pd.concat([table, mirrored], ignore_index=True))
    assert ax.get_title(loc="left") == "Sentence alignment: A × B"
    assert ax.get_xlabel().startswith("sentence number in B")
    assert np.asarray(ax.get_images()[0].get_array()).tolist() == [[0, 0.5], [0.25, 0], [0, 0.75]]


def test_cleaning_summary_stacks_kept_and_reasons_per_document():
    table = pd.DataFrame({"document": ["d1", "d1", "d1", "d2"], "reason": ["kept", "boilerplate", "title", "kept"],
                          "chars": [600, 300, 100, 50]})
    ax = tc.plot_cleaning_summary(table)
    assert ax.get_title(loc="left").startswith("Cleaning")
    assert ax.get_xlabel().startswith("characters (kept body + removed blocks")
    assert len(_bars(ax)) == 2 * 3  # every document gets a (possibly empty) segment per reason
    assert "  60% kept" in _texts(ax) and "  100% kept" in _texts(ax)


def test_missing_column_is_a_clear_input_error():
    with pytest.raises(InputError, match="lacks column"):
        tc.plot_stance(pd.DataFrame({"group": ["A"], "per_1k": [1.0]}))


def test_save_figure_twice_is_byte_identical(tmp_path):
    prov = {"manifest_sha256": "ab" * 32, "documents": ["x", "y"], "model": "m", "model_version": "1",
            "textcompare_version": "0"}
    ax = tc.plot_keyness(_keyness_table(), n=2)
    first = tc.save_figure(ax.figure, "k", out_dir=tmp_path / "one", provenance=prov)
    second = tc.save_figure(ax.figure, "k", out_dir=tmp_path / "two", provenance=prov)
    assert [p.suffix for p in first] == [".png", ".svg"]
    for a, b in zip(first, second):
        assert hashlib.sha256(a.read_bytes()).hexdigest() == hashlib.sha256(b.read_bytes()).hexdigest()
    captions = [t for t in ax.figure.texts if t.get_gid() == "textcompare-provenance"]
    assert len(captions) == 1 and "2 documents" in captions[0].get_text()
    svg = first[1].read_text()
    assert "<dc:date>" not in svg and "Matplotlib" not in svg


def test_figure_provenance_of_an_unbuilt_corpus_path_hashes_its_manifest(corpus_copy):
    prov = tc.figure_provenance(corpus_copy)
    assert prov["manifest_sha256"] == hashlib.sha256((corpus_copy / "manifest.csv").read_bytes()).hexdigest()
    assert prov["documents"] == 2
    assert tc.figure_provenance(tc.load_corpus(corpus_copy)) == prov
    assert not (corpus_copy / "derived").exists()  # drawing never triggers a build
