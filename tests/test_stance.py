"""Stance markers, modal disambiguation, epistemic distance and VADER actor sentiment."""
from __future__ import annotations

import pytest

from textcompare.framing import compare_stance, extract_stance, score_actor_sentiment


def _stance(nlp, text):
    return extract_stance({"d": nlp(text)})


@pytest.mark.model
def test_deontic_modal_records_who_is_told_to_do_what(nlp):
    row = _stance(nlp, "Washington should end the sanctions.").query("category == 'deontic'").iloc[0]
    assert (row["reading"], row["subject"], row["verb"]) == ("deontic", "Washington", "end")


@pytest.mark.model
def test_have_to_is_deontic_with_its_complement_verb(nlp):
    row = _stance(nlp, "The U.S. will have to unlock it.").query("category == 'deontic'").iloc[0]
    assert row["verb"] == "unlock" and row["subject"] == "The U.S."


@pytest.mark.model
@pytest.mark.parametrize("text, category", [
    ("They must have known about it.", "booster"),
    ("There must be a reason.", "booster"),
    ("It should be clear by now.", "hedge"),
])
def test_epistemic_modals_are_not_counted_as_deontic(nlp, text, category):
    table = _stance(nlp, text)
    modal = table[table["match"].str.lower().isin(["must", "should"])]
    assert modal["category"].tolist() == [category] and modal["reading"].tolist() == ["epistemic"]


@pytest.mark.model
@pytest.mark.parametrize("text", ["It is at least possible that Iran will talk.", "It is expected that tensions ease.",
                                  "Chances are high that relations cool."])
def test_epistemic_distance_phrases(nlp, text):
    assert "epistemic_distance" in set(_stance(nlp, text)["category"])


@pytest.mark.model
def test_hedges_boosters_and_prediction(nlp):
    cats = set(_stance(nlp, "Perhaps Iran will respond; clearly it knows the risks.")["category"])
    assert {"hedge", "booster", "prediction"} <= cats


@pytest.mark.model
def test_actor_sentiment_averages_vader_over_sentences_mentioning_the_actor(nlp):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    sentences = ["Iran is a wonderful partner.", "Iran suffered a terrible, horrible attack.", "China stays calm."]
    docs = {"d": nlp(" ".join(sentences))}
    table = score_actor_sentiment(docs, groups={"d": "G"}, n_resamples=199)
    vader = SentimentIntensityAnalyzer()
    expected = (vader.polarity_scores(sentences[0])["compound"] + vader.polarity_scores(sentences[1])["compound"]) / 2
    iran = table[table["actor"] == "Iran"].iloc[0]
    assert iran["sentences"] == 2 and iran["compound_mean"] == pytest.approx(expected)


@pytest.mark.model
def test_compare_stance_has_every_category_per_group(nlp):
    docs = {"a": nlp("Perhaps it may rain. It will."), "b": nlp("Clearly they must act now. Fine.")}
    table = compare_stance(docs, groups={"a": "A", "b": "B"}, n_resamples=99)
    assert len(table) == 2 * 7
    assert table.query("group == 'B' and marker == 'deontic'")["hits"].item() == 1


def _cats(nlp, text):
    from textcompare.framing.stance import extract_doc_stance

    table = extract_doc_stance(nlp(text), doc_id="d")
    return sorted(zip(table["category"], table["match"].str.lower()))


@pytest.mark.model
@pytest.mark.parametrize("text, expected", [
    ("This could escalate into war.", [("hedge", "could")]),
    ("Iran could not respond in time.", []),                       # ability, and negated
    ("From the roof we could see the base.", []),                   # ability (perception)
    ("Both sides must go to the table.", [("deontic", "must")]),    # "go to" is motion
    ("Iran is going to retaliate.", [("prediction", "going to")]),
    ("Iran will have to keep a low profile.", [("deontic", "have to")]),  # counted once
    ("He expressed it very clearly.", []),                          # manner, not a booster
    ("Iran clearly wants peace.", [("booster", "clearly")]),
    ("They knew that talks would fail.", [("booster", "knew")]),        # future in the past
    ("This would pose a threat.", [("hedge", "would")]),
    ("A picture appeared in the media.", []),                           # physical "appear"
    ("They will never agree.", [("booster", "never")]),  # the negated prediction is left out
    ("The world has never seen this.", []),                             # temporal "never"
    ("The posts established by Turkey remain.", []),                    # participial booster verb
    ("Should the talks fail, we will see.", [("prediction", "will")]),  # conditional inversion
])
def test_stance_reading_rules(nlp, text, expected):
    assert _cats(nlp, text) == expected
