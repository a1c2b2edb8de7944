"""Frame lexicons, matching (lemmas, phrases, negation), the tagger's validation and compare_frames."""
from __future__ import annotations

import pandas as pd
import pytest

from textcompare.framing import (compare_frames, extract_frames, frame_ids, load_frame_annotations,
                                 load_frame_definitions, load_frame_lexicon, score_frame_tagger)
from textcompare.framing.lexicons import read_lexicon

SEED_IDS = ("000_5bbd669c0e0ac039", "004_e6e3561ab3eac563")
CASE_FRAMES = ["enmity", "institutionalization", "escalation", "deescalation", "diplomacy", "pressure", "grievance",
               "sovereignty", "great_power", "mediation"]


def test_case_and_policy_frames_are_defined():
    defs = load_frame_definitions()
    assert frame_ids("case") == CASE_FRAMES
    policy = set(frame_ids("policy"))
    assert {"pfc_security_defense", "pfc_economic", "pfc_legality", "pfc_morality", "pfc_political",
            "pfc_public_opinion", "pfc_external_regulation", "pfc_policy_prescription"} <= policy
    assert (defs["definition"] != "").all()


def test_every_lexicon_row_has_a_known_kind_and_a_rationale():
    lexicon = load_frame_lexicon()
    assert set(lexicon["kind"]) <= {"lemma", "phrase", "pattern", "dep"}
    assert (lexicon["rationale"].str.len() > 10).all()
    assert set(lexicon["frame"]) == set(load_frame_definitions()["frame"])


def test_read_lexicon_rejects_a_missing_rationale(tmp_path):
    path = tmp_path / "lex.csv"
    path.write_text("pattern,frame,kind,rationale\nhate,enmity,lemma,\n")
    with pytest.raises(Exception, match="rationale"):
        read_lexicon(path, category="frame")


def _hits(nlp, text):
    return extract_frames({"d": nlp(text)}, tagger="lexicon")


@pytest.mark.model
@pytest.mark.parametrize("text, frame, match", [
    ("The killing institutionalized hostility.", "institutionalization", "institutionalized"),
    ("This is the institutionalization of anger.", "institutionalization", "institutionalization"),
    ("The crisis cooled down quickly.", "deescalation", "cooled down"),
    ("Washington kept its Maximum Pressure campaign.", "pressure", "Maximum Pressure"),
    ("Anti-American sentiment grew.", "enmity", "Anti-American sentiment"),
    ("The 1953 coup still matters.", "grievance", "coup"),
    ("China could mediate between them.", "mediation", "mediate"),
])
def test_inflections_and_multiword_patterns_hit(nlp, text, frame, match):
    hits = _hits(nlp, text)
    assert match in hits.loc[hits["frame"] == frame, "match"].tolist()


@pytest.mark.model
def test_negated_hits_are_flagged_and_excluded_on_request(nlp):
    hits = _hits(nlp, "Iran does not want war.")
    war = hits[hits["match"] == "war"]
    assert war["negated"].all() and not war.empty
    kept = extract_frames({"d": nlp("Iran does not want war.")}, frame_type="case", include_negated=False,
                          tagger="lexicon").query("match == 'war'")
    assert kept["frame"].tolist() == ["deescalation"]


@pytest.mark.model
def test_a_negator_inside_the_pattern_does_not_negate_it(nlp):
    hits = _hits(nlp, "No casualties were reported.")
    row = hits[(hits["frame"] == "deescalation") & (hits["match"] == "No casualties")]
    assert not row.empty and not row["negated"].any()


@pytest.mark.model
def test_extract_frames_offsets_point_at_the_match(nlp):
    doc = nlp("Sanctions hurt. Then both sides agreed to talks.")
    hits = extract_frames({"d": doc}, tagger="lexicon")
    for row in hits.itertuples():
        assert doc.text[row.start_char:row.end_char] == row.match
    assert set(hits["frame_type"]) <= {"case", "policy"}
    assert hits.loc[hits["match"] == "talks", "sent_id"].tolist()[0] == 1


def test_seed_annotation_covers_both_seeds_with_valid_frames():
    table = load_frame_annotations()
    assert set(table["doc_id"]) == set(SEED_IDS)
    assert len(table) >= 100
    codes = {f for cell in table["frames"] for f in cell.split(";") if f}
    assert codes <= set(CASE_FRAMES)
    assert (table["annotator"] != "").all()


@pytest.mark.model
def test_frame_tagger_quality_floor_on_the_seed_annotation(nlp):
    """Regression floor on the seed annotation (single coder, coded under the withdrawn definitions,
    so not a quality estimate: benchmarks/framing.py is). With the codebook lexicons: micro-F1 0.650,
    precision 0.597, lowest frame F1 0.364 (mediation) when written."""
    scores = score_frame_tagger(nlp=nlp).set_index("frame")
    assert scores.loc["micro", "f1"] >= 0.60
    assert scores.loc["micro", "precision"] >= 0.55
    assert scores.loc[CASE_FRAMES, "f1"].min() >= 0.30


@pytest.mark.model
def test_score_frame_tagger_counts_match_a_hand_table(nlp):
    table = pd.DataFrame({"sentence": ["Iran wants revenge.", "They signed a deal.", "The weather was nice."],
                          "frames": ["escalation", "diplomacy;pressure", ""]})
    scores = score_frame_tagger(table, nlp=nlp).set_index("frame")
    assert scores.loc["escalation", ["tp", "fp", "fn"]].tolist() == [1, 0, 0]
    assert scores.loc["pressure", ["tp", "fp", "fn"]].tolist() == [0, 0, 1]
    assert scores.loc["micro", "tp"] == 2 and scores.loc["micro", "fn"] == 1
    assert scores.loc["micro", "recall"] == pytest.approx(2 / 3)


@pytest.mark.model
def test_compare_frames_rates_match_an_independent_count(nlp):
    docs = {"a": nlp("Iran wants revenge. Iran wants revenge and war. Calm."),
            "b": nlp("They agreed on talks. A deal was signed. Peace.")}
    table = compare_frames(docs, groups={"a": "A", "b": "B"}, frame_type="case", n_resamples=199, seed=1,
                           tagger="lexicon")
    assert len(table) == 2 * len(CASE_FRAMES)
    esc = table[(table["group"] == "A") & (table["frame"] == "escalation")].iloc[0]
    words_a = sum(1 for t in docs["a"] if not (t.is_punct or t.is_space))
    assert esc["hits"] == 3 and esc["sentences"] == 2 and esc["n_sentences"] == 3
    assert esc["per_1k"] == pytest.approx(1000 * 3 / words_a)
    assert esc["share"] == pytest.approx(2 / 3)
    assert "fewer than 5 sentences" in esc["caveat"]
    again = compare_frames(docs, groups={"a": "A", "b": "B"}, frame_type="case", n_resamples=199, seed=1,
                           tagger="lexicon")
    pd.testing.assert_frame_equal(table, again)


@pytest.mark.model
def test_compare_frames_one_vs_rest_and_pairwise_with_three_groups(nlp):
    docs = {k: nlp(t) for k, t in {"a": "War. War again. Threats.", "b": "Talks. A deal.", "c": "Sanctions. Pressure."}.items()}
    groups = {"a": "A", "b": "B", "c": "C"}
    rest = compare_frames(docs, groups=groups, frame_type="case", n_resamples=99)
    assert set(rest["versus"]) == {"rest"}
    pairs = compare_frames(docs, groups=groups, frame_type="case", n_resamples=99, pairwise=True)
    assert set(zip(pairs["group"], pairs["versus"])) == {("A", "B"), ("A", "C"), ("B", "C")}
