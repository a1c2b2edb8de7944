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
def test_without_mentions_the_head_noun_is_the_fallback(nlp):
    table = extract_doc_agency(nlp("The strike hurt the economy."), doc_id="d")
    row = table.iloc[0]
    assert (row["agent"], row["agent_source"], row["patient"], row["patient_source"]) == ("strike", "noun", "economy", "noun")


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
    counts = count_agency(agency, groups={"a": "A", "b": "B"})
    alls = counts[counts["verb_class"] == "all"].set_index(["group", "actor"])
    assert alls.loc[("A", "Iran"), ["agent", "patient", "total"]].tolist() == [2, 1, 3]
    assert alls.loc[("A", "United States"), "agent_share"] == 1.0
    assert alls.loc[("B", "United States"), ["agent", "patient"]].tolist() == [0, 1]
    no_neg = count_agency(agency, groups={"a": "A", "b": "B"}, include_negated=False)
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
