"""Entman's four functions by rule: who is told to do what, who causes what, evaluation, problems."""
from __future__ import annotations

import pytest

from textcompare.entities import extract_doc_mentions, load_alias_table
from textcompare.framing import compare_functions, extract_doc_functions, extract_functions


def _functions(nlp, text):
    doc = nlp(text)
    return extract_doc_functions(doc, doc_id="d", mentions=extract_doc_mentions(doc, aliases=load_alias_table()))


@pytest.mark.model
def test_treatment_recommendation_names_who_is_told_and_what_to_do(nlp):
    rows = _functions(nlp, "The United States should lift the sanctions.").query("function == 'treatment_recommendation'")
    assert rows[["agent", "target"]].values.tolist() == [["United States", "lift"]]


@pytest.mark.model
def test_epistemic_must_is_not_a_recommendation(nlp):
    rows = _functions(nlp, "They must have known about the plan.")
    assert "treatment_recommendation" not in set(rows["function"])


@pytest.mark.model
def test_causal_verb_records_its_agent(nlp):
    rows = _functions(nlp, "Iran provoked a crisis.").query("function == 'causal_attribution'")
    assert rows["agent"].tolist() == ["Iran"] and rows["target"].tolist() == ["a crisis"]


@pytest.mark.model
def test_causal_connective_problem_and_moral_cues(nlp):
    rows = _functions(nlp, "Because of the reckless strike, the crisis with Iran deepened.")
    assert {"causal_attribution", "moral_evaluation", "problem_definition"} <= set(rows["function"])
    problem = rows.query("function == 'problem_definition'").iloc[0]
    assert problem["agent"] == "Iran"


@pytest.mark.model
def test_compare_functions_counts_per_group(nlp):
    docs = {"a": nlp("Iran should talk. Washington must stop. Nothing."), "b": nlp("A crisis. A threat. Calm.")}
    table = compare_functions(docs, groups={"a": "A", "b": "B"}, n_resamples=99)
    assert len(table) == 8
    assert table.query("group == 'A' and function == 'treatment_recommendation'")["hits"].item() == 2
    assert table.query("group == 'B' and function == 'problem_definition'")["sentences"].item() == 2


@pytest.mark.model
def test_extract_functions_on_docs_in_memory_has_offsets(nlp):
    doc = nlp("Iran should talk.")
    table = extract_functions({"d": doc})
    for row in table.itertuples():
        assert doc.text[row.start_char:row.end_char] == row.match


@pytest.mark.model
@pytest.mark.parametrize("text, expected", [
    ("Iran will have to keep a low profile.", []),
    ("The US should leave Iraq.", [("treatment_recommendation", "United States", "leave")]),
    ("Those steps should end the fighting.", [("treatment_recommendation", "", "end")]),
    ("The pilot had to be released.", []),
    ("His rival would still have to win a primary.", []),
    ("Should the talks fail, Iran will retaliate.", []),
    ("The Iranian government must release the prisoners.", [("treatment_recommendation", "Iran", "release")]),
])
def test_treatment_agents_are_actors_and_will_have_to_is_no_recommendation(nlp, text, expected):
    from textcompare.framing import extract_doc_functions

    table = extract_doc_functions(nlp(text), doc_id="d")
    table = table[table["function"] == "treatment_recommendation"]
    assert list(zip(table["function"], table["agent"], table["target"])) == expected
