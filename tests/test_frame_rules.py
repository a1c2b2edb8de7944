"""The codebook's rules on hand-built sentences parsed by the real model: sense traps, negation in
dependency scope, and force described as avoided or limited counted as de-escalation."""
from __future__ import annotations

import pytest

from textcompare.framing import extract_frames
from textcompare.framing.scope import force_restraint, governing_chain, is_negated_in_scope

pytestmark = pytest.mark.model


def counted(nlp, text: str) -> set[str]:
    hits = extract_frames({"d": nlp(text)}, include_negated=False, tagger="lexicon")
    return set(hits["frame"])


@pytest.mark.parametrize("text, frame", [
    ("Tankers were attacked in the Gulf of Oman last summer.", "mediation"),
    ("The estimate is based on polling data.", "pfc_security_defense"),
    ("China imports oil and sells telephones.", "great_power"),
    ("Beijing hosted a trade fair on Monday.", "great_power"),
    ("Saddam Hussein ruled Iraq for decades.", "grievance"),
    ("History offers some lessons for the present.", "grievance"),
    ("A drone filmed the parade from above.", "escalation"),
    ("Neither side wants a confrontation.", "enmity"),
    ("Neither side wants a confrontation.", "escalation"),
])
def test_sense_traps_carry_no_frame(nlp, text, frame):
    assert frame not in counted(nlp, text)


@pytest.mark.parametrize("text, frame", [
    ("Oman offered to mediate between Washington and Tehran.", "mediation"),
    ("The Swiss embassy passed messages between the two governments.", "mediation"),
    ("China will benefit from America's distraction in the Middle East.", "great_power"),
    ("The US still has a military base in the region.", "pfc_security_defense"),
    ("A drone strike killed the commander.", "escalation"),
    ("The 1953 coup still shapes how Iranians see Washington.", "grievance"),
    ("Parliament voted to expel the foreign troops.", "sovereignty"),
    ("The strike violated Iraq's hard-won sovereignty.", "sovereignty"),
    ("Neither side wants a confrontation.", "deescalation"),
])
def test_the_same_senses_used_properly_carry_the_frame(nlp, text, frame):
    assert frame in counted(nlp, text)


@pytest.mark.parametrize("text, word", [
    ("Iran does not want war.", "war"),
    ("Iran does not want to go to war.", "war"),
    ("Nobody wants a war with Iran.", "war"),
    ("Washington has no plans to attack Iran.", "attack"),
    ("Iran has no intention of attacking American forces.", "attacking"),
])
def test_negated_force_is_deescalation_not_escalation(nlp, text, word):
    doc = nlp(text)
    hits = extract_frames({"d": doc}, tagger="lexicon")
    esc = hits[(hits["frame"] == "escalation") & hits["match"].str.contains(word)]
    assert not esc.empty and esc["negated"].all() and not esc["counted"].any()
    assert set(esc["rule"]) == {"negated"}
    assert "deescalation" in counted(nlp, text) and "escalation" not in counted(nlp, text)


@pytest.mark.parametrize("text, rule", [
    ("Both sides want to avoid a wider war.", "avoided"),
    ("The generals were reluctant to retaliate.", "avoided"),
    ("Tehran's retaliation was limited and symbolic.", "limited"),
])
def test_avoided_or_limited_force_is_deescalation(nlp, text, rule):
    hits = extract_frames({"d": nlp(text)}, tagger="lexicon")
    esc = hits[hits["frame"] == "escalation"]
    assert rule in set(esc["rule"])
    assert "deescalation" in counted(nlp, text)


@pytest.mark.parametrize("text", [
    "Iran vowed revenge for the killing.",
    "No one doubts that Iran will strike back.",
    "The missiles hit two bases without warning.",
])
def test_force_that_is_not_restrained_stays_escalation(nlp, text):
    assert "escalation" in counted(nlp, text)
    hits = extract_frames({"d": nlp(text)}, tagger="lexicon")
    assert not hits.loc[hits["frame"] == "escalation", "rule"].astype(bool).all()


def test_a_denied_frame_other_than_escalation_is_still_coded(nlp):
    """The codebook codes a frame the sentence denies ("there were no talks" engages diplomacy)."""
    hits = extract_frames({"d": nlp("There were no talks at all.")}, include_negated=False, tagger="lexicon")
    row = hits[hits["frame"] == "diplomacy"]
    assert not row.empty and row["negated"].all() and row["counted"].all()


def test_not_only_focuses_and_does_not_negate_a_frame_hit(nlp):
    # the same negator rule as agency's events: "not only ... but also" asserts both
    doc = nlp("The killing not only escalated the crisis but also hardened Iranian hostility.")
    i = [t.text for t in doc].index("escalated")
    assert not is_negated_in_scope(doc, i, i + 1)
    doc = nlp("The killing did not escalate the crisis.")
    i = [t.text for t in doc].index("escalate")
    assert is_negated_in_scope(doc, i, i + 1)


def test_negation_scope_follows_the_parse_not_a_window(nlp):
    doc = nlp("No one doubts that Iran will strike back.")
    i = [t.text for t in doc].index("strike")
    assert not is_negated_in_scope(doc, i, i + 1)
    assert force_restraint(doc, i, i + 1) == ""
    doc = nlp("Iran does not want to go to war.")
    i = [t.text for t in doc].index("war")
    assert [t.lemma_ for t in governing_chain(doc, i, i + 1)][-1] == "want"
    assert is_negated_in_scope(doc, i, i + 1)
