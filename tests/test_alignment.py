"""TF-IDF sentence alignment across documents."""
from __future__ import annotations

import pytest

from textcompare.framing import align_sentences


@pytest.mark.model
def test_shared_points_align_and_unrelated_sentences_do_not(nlp):
    docs = {
        "a": nlp("The CIA coup of 1953 toppled Mosaddegh. Oil prices rose sharply last week."),
        "b": nlp("Iranians remember the 1953 coup that toppled Mosaddegh. The football team won the cup."),
    }
    table = align_sentences(docs, groups={"a": "A", "b": "B"}, threshold=0.3)
    coup = table[(table["doc_id"] == "a") & (table["sent_id"] == 0)].iloc[0]
    assert coup["other_doc_id"] == "b" and coup["other_sent_id"] == 0 and coup["aligned"]
    assert "mosaddegh" in coup["shared_terms"].split(";") or "coup" in coup["shared_terms"].split(";")
    oil = table[(table["doc_id"] == "a") & (table["sent_id"] == 1)].iloc[0]
    assert not oil["aligned"]
    assert table["similarity"].is_monotonic_decreasing


@pytest.mark.model
def test_alignment_is_symmetric_and_never_within_a_document(nlp):
    docs = {"a": nlp("Sanctions hurt Iran. Talks failed."), "b": nlp("Sanctions hurt Iran badly.")}
    table = align_sentences(docs, groups={"a": "A", "b": "B"})
    assert (table["doc_id"] != table["other_doc_id"]).all()
    ab = table.query("doc_id == 'a' and sent_id == 0")["similarity"].item()
    ba = table.query("doc_id == 'b' and sent_id == 0")["similarity"].item()
    assert ab == pytest.approx(ba)


def test_a_single_document_gives_an_empty_table(nlp):
    assert align_sentences({"a": nlp("One text only.")}).empty
