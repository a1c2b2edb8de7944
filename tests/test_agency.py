"""Agency triples: passives mapped with nsubjpass/agent, intransitives, canonical actors, counts."""
from __future__ import annotations

import pandas as pd
import pytest

from textcompare.entities import extract_doc_mentions, load_alias_table
from textcompare.framing import count_agency, extract_agency, extract_doc_agency, load_verb_classes


def _agency(nlp, text):
    doc = nlp(text)
    mentions = extract_doc_mentions(doc, aliases=load_alias_table(), doc_id="d")
    return extract_doc_agency(doc, doc_id="d", mentions=mentions)


@pytest.mark.model
def test_passive_maps_the_by_phrase_to_agent_and_the_subject_to_patient(nlp):
    row = _agency(nlp, "Soleimani was killed by a US strike.").query("verb_lemma == 'kill'").iloc[0]
    assert row["voice"] == "passive"
    assert row["agent"] == "United States"
    assert row["patient"] == "Qassem Soleimani"
    assert row["verb_class"] == "coerce_attack"


@pytest.mark.model
def test_active_clause_keeps_subject_as_agent(nlp):
    row = _agency(nlp, "The United States killed Soleimani.").query("verb_lemma == 'kill'").iloc[0]
    assert (row["voice"], row["agent"], row["patient"]) == ("active", "United States", "Qassem Soleimani")


@pytest.mark.model
def test_intransitive_keeps_the_agent_without_patient(nlp):
    row = _agency(nlp, "Iran retaliated.").iloc[0]
    assert row["agent"] == "Iran" and row["patient"] == "" and row["verb_class"] == "coerce_attack"


@pytest.mark.model
def test_controlled_verb_inherits_the_subject_and_attack_prepositions_give_a_patient(nlp):
    table = _agency(nlp, "Trump decided to eliminate him. Iran launched missiles at Israel.")
    elim = table.query("verb_lemma == 'eliminate'").iloc[0]
    assert elim["agent"] == "Donald Trump" and elim["patient_source"] == "pronoun"
    launch = table.query("verb_lemma == 'launch'").iloc[0]
    assert launch["agent"] == "Iran" and launch["patient_text"] == "missiles"


@pytest.mark.model
def test_without_mentions_a_non_actor_clause_gives_no_row(nlp):
    assert extract_doc_agency(nlp("The strike hurt the economy."), doc_id="d").empty


def _triples(nlp, text, **kwargs):
    doc = nlp(text)
    mentions = extract_doc_mentions(doc, aliases=load_alias_table(), doc_id="d")
    table = extract_doc_agency(doc, doc_id="d", mentions=mentions, **kwargs)
    return [(r.agent, r.verb_lemma, r.patient) for r in table.itertuples()]


# Hand-built sentences for each rule of issue 11, parsed by the real model; exact triples.
@pytest.mark.model
@pytest.mark.parametrize("text, expected", [
    # a possessor inside a noun phrase is not promoted to an argument
    ("Decisions on Iran's regional policy angered Washington.", []),
    ("The Trump administration's strategic miscalculation has institutionalized anti-American sentiment.", []),
    ("Iran's government rejected the offer.", [("Iran", "reject", "")]),
    # raising under a passive, subject and object control
    ("China has long been expected to bridge the gap.", [("", "expect", "China"), ("China", "bridge", "")]),
    ("Iran wants to avoid war with the United States.", [("Iran", "want", ""), ("Iran", "avoid", "")]),
    ("The US urged Iran to negotiate.", [("United States", "urge", "Iran"), ("Iran", "negotiate", "")]),
    # relative clauses: the antecedent, not a modifier of it
    ("The US blamed an Iranian-backed Iraqi group, which had killed an American contractor.",
     [("United States", "blame", "")]),
    ("The general whom the US killed was popular.", [("United States", "kill", "")]),
    # non-actors are never agents or patients
    ("The Middle East will drain American resources.", []),
    ("Retaliation opened the door to a film about the policy.", []),
    # "will have to" is one verb
    ("Iran will have to keep a low profile.", [("Iran", "keep", "")]),
    # state versus public; demonyms on non-actor heads
    ("The Iranian government arrested protesters.", [("Iran", "arrest", "")]),
    ("Iranians mourned the general.", [("Iranian public", "mourn", "")]),
    ("The Iranian people blamed the Iranian regime.", [("Iranian public", "blame", "Iran")]),
    ("The Russian public distrusts the Russian government.", [("Russian public", "distrust", "Russia")]),
    ("Iran shot down an Iranian airliner.", [("Iran", "shoot", "")]),
    # "the Trump administration" is the US executive
    ("The Trump administration killed Soleimani.", [("United States", "kill", "Qassem Soleimani")]),
    ("Soleimani was killed by a US strike.", [("United States", "kill", "Qassem Soleimani")]),
])
def test_exact_triples(nlp, text, expected):
    assert _triples(nlp, text) == expected


@pytest.mark.model
@pytest.mark.parametrize("text, negated", [
    ("Iran did not retaliate.", {"retaliate": True}),
    ("Iran cannot afford not to respond.", {"afford": True, "respond": False}),
    ("The US not only killed Soleimani but also threatened Iran.", {"kill": False, "threaten": False}),
    ("Trump didn't expect Iran to retaliate.", {"expect": True, "retaliate": False}),
    ("Iran did not retaliate or escalate.", {"retaliate": True, "escalate": True}),
    ("Neither side attacked Iran.", {"attack": True}),  # a negative subject, as in frame scope
])
def test_negation_scope(nlp, text, negated):
    doc = nlp(text)
    table = extract_doc_agency(doc, doc_id="d", include_negated=True)
    assert dict(zip(table["verb_lemma"], table["negated"])) == negated
    kept = extract_doc_agency(doc, doc_id="d")
    assert set(kept["verb_lemma"]) == {v for v, neg in negated.items() if not neg}


def test_verb_classes_are_documented():
    table = load_verb_classes()
    assert set(table["verb_class"]) == {"coerce_attack", "cooperate_restrain", "speak_claim"}
    assert (table["rationale"] != "").all()
    assert not table["pattern"].duplicated().any()


def test_count_agency_matches_a_hand_count():
    agency = pd.DataFrame({
        "doc_id": ["a", "a", "a", "b"], "negated": [False, False, True, False],
        "verb_class": ["coerce_attack", "coerce_attack", "speak_claim", "coerce_attack"],
        "agent": ["United States", "Iran", "Iran", ""], "patient": ["Iran", "", "", "United States"],
        "agent_source": ["mention", "mention", "mention", ""], "patient_source": ["mention", "", "", "mention"],
    })
    counts = count_agency(agency, groups={"a": "A", "b": "B"}, include_negated=True)
    alls = counts[counts["verb_class"] == "all"].set_index(["group", "actor"])
    assert alls.loc[("A", "Iran"), ["agent", "patient", "total"]].tolist() == [2, 1, 3]
    assert alls.loc[("A", "United States"), "agent_share"] == 1.0
    assert alls.loc[("B", "United States"), ["agent", "patient"]].tolist() == [0, 1]
    no_neg = count_agency(agency, groups={"a": "A", "b": "B"})  # negated events left out by default
    assert no_neg.query("group == 'A' and actor == 'Iran' and verb_class == 'all'")["agent"].item() == 1


def test_count_agency_leaves_pronouns_out_unless_asked():
    agency = pd.DataFrame({
        "doc_id": ["a", "a"], "negated": [False, False], "verb_class": ["other", "other"],
        "agent": ["it", "Iran"], "patient": ["United States", "them"],
        "agent_source": ["pronoun", "mention"], "patient_source": ["mention", "pronoun"],
    })
    actors = set(count_agency(agency, groups={"a": "A"})["actor"])
    assert actors == {"Iran", "United States"}
    assert {"it", "them"} <= set(count_agency(agency, groups={"a": "A"}, include_pronouns=True)["actor"])


@pytest.mark.model
def test_extract_agency_on_the_built_seeds(built_corpus):
    table = extract_agency(built_corpus)
    assert set(table["voice"]) == {"active", "passive"}
    assert {"Iran", "United States"} <= set(table["agent"])
    counts = count_agency(table, built_corpus, by="outlet")
    assert set(counts["group"]) == {"Responsible Statecraft", "China-US Focus"}
