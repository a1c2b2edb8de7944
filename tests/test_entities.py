"""Actor mentions: alias rules on hand-built docs, counting by hand, and the seed hand count."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from textcompare.entities import (
    MENTION_COLUMNS, count_actors, count_demonyms, extract_doc_mentions, extract_mentions, load_alias_table,
)
from textcompare.errors import InputError

DATA = Path(__file__).parent / "data"


def _doc(words, ents=None, sent_starts=None):
    glued = {"’s", "'s", ".", ",", "-"}
    spaces = [not (words[i] == "-" or (i + 1 < len(words) and words[i + 1] in glued)) for i in range(len(words))]
    return Doc(Vocab(), words=words, spaces=spaces, ents=ents, sent_starts=sent_starts)


@pytest.fixture(scope="module")
def aliases():
    return load_alias_table()


def test_alias_table_has_required_actors(aliases):
    expected = {
        "Qassem Soleimani": "Qassem Soleimani", "Qasem Soleimani": "Qassem Soleimani", "Soleimani": "Qassem Soleimani",
        "Trump": "Donald Trump", "President Trump": "Donald Trump", "Donald Trump": "Donald Trump",
        "U.S.": "United States", "US": "United States", "United States": "United States",
        "America": "United States", "Washington": "United States", "Tehran": "Iran", "Iran": "Iran",
        "China": "China", "Russia": "Russia", "Israel": "Israel", "Iraq": "Iraq", "Mike Pompeo": "Mike Pompeo",
        "Saddam Hussein": "Saddam Hussein", "Barack Obama": "Barack Obama",
    }
    table = aliases.set_index("alias")
    for alias, actor in expected.items():
        assert table.loc[alias, "actor"] == actor and table.loc[alias, "kind"] == "actor"
    assert (table["rationale"] != "").all()
    assert table.loc["anti-U.S.", "kind"] == "demonym" and table.loc["Iranians", "label"] == "NORP"


def test_possessives_and_longest_alias_win(aliases):
    doc = _doc(["President", "Donald", "Trump", "praised", "Soleimani", "’s", "rival", "."])
    m = extract_doc_mentions(doc, aliases=aliases, doc_id="d")
    assert list(m.columns) == MENTION_COLUMNS
    assert list(zip(m["text"], m["actor"], m["label"])) == [
        ("President Donald Trump", "Donald Trump", "PERSON"), ("Soleimani", "Qassem Soleimani", "PERSON")]
    assert (m["start"].tolist(), m["end"].tolist()) == ([0, 4], [3, 5])


def test_compounds_inside_one_token_count_and_anti_does_not(aliases):
    doc = _doc(["U.S.-Iranian", "ties", "and", "Iran", "-", "U.S.", "talks", "fed", "anti", "-", "U.S.", "anger",
                "near", "U.S.—Russia", "borders", "post", "-", "Soleimani", "."])
    m = extract_doc_mentions(doc, aliases=aliases)
    actors = m[m["kind"] == "actor"]
    assert actors["actor"].value_counts().to_dict() == {"United States": 3, "Iran": 1, "Russia": 1, "Qassem Soleimani": 1}
    demonyms = m[m["kind"] == "demonym"]
    assert sorted(demonyms["actor"]) == ["Iranian", "anti-American"]
    assert m.loc[m["text"] == "U.S.", "start"].tolist() == [0, 5, 13]  # not token 10: "anti-U.S." is a demonym
    assert m.iloc[0][["start", "end"]].tolist() == [0, 1]  # "U.S." inside the token "U.S.-Iranian"


def test_alias_overrides_ner_label_and_never_double_counts(aliases):
    words = ["Trump", "met", "the", "Supreme", "Council", "of", "Iran", "and", "Soleimani", "."]
    ents = ["B-ORG", "O", "O", "B-ORG", "I-ORG", "I-ORG", "I-ORG", "O", "B-GPE", "O"]
    m = extract_doc_mentions(_doc(words, ents=ents), aliases=aliases)
    assert list(zip(m["actor"], m["label"], m["source"])) == [
        ("Donald Trump", "PERSON", "alias"), ("Iran", "GPE", "alias"), ("Qassem Soleimani", "PERSON", "alias")]


def test_unknown_ner_entities_become_their_own_actors(aliases):
    words = ["The", "CIA", "and", "Kurdish", "fighters", "saw", "soleimani", "'s", "men", "."]
    ents = ["O", "B-ORG", "O", "B-NORP", "O", "O", "B-PERSON", "O", "O", "O"]
    m = extract_doc_mentions(_doc(words, ents=ents), aliases=aliases)
    assert list(zip(m["actor"], m["kind"], m["source"])) == [
        ("CIA", "actor", "ner"), ("Kurdish", "demonym", "ner"), ("Qassem Soleimani", "actor", "ner")]


def test_ignore_rows_consume_their_text(aliases):
    doc = _doc(["Protest", "in", "Washington", ",", "D.C.", "against", "Washington", "and", "the", "JCPOA", "."],
               ents=["O", "O", "B-GPE", "O", "B-GPE", "O", "B-GPE", "O", "O", "B-ORG", "O"])
    m = extract_doc_mentions(doc, aliases=aliases)
    assert list(zip(m["text"], m["actor"])) == [("Washington", "United States")]
    assert m["start"].tolist() == [6]


def test_sentence_ids_and_text(aliases):
    doc = _doc(["Iran", "waits", ".", "China", "talks", "."], sent_starts=[True, False, False, True, False, False])
    m = extract_doc_mentions(doc, aliases=aliases, doc_id="x")
    assert m["sent_id"].tolist() == [0, 1] and m["sentence"].tolist() == ["Iran waits.", "China talks."]


def test_corpus_alias_file_overrides_and_extends(tmp_path):
    pd.DataFrame([
        {"alias": "Tehran", "actor": "Tehran", "label": "GPE", "kind": "actor", "rationale": "the city here"},
        {"alias": "Quds Force", "actor": "Quds Force", "label": "ORG", "kind": "actor", "rationale": "IRGC unit"},
    ]).to_csv(tmp_path / "actors.csv", index=False)
    table = load_alias_table(tmp_path).set_index("alias")
    assert table.loc["Tehran", "actor"] == "Tehran" and table.loc["Tehran", "source"] == "corpus"
    assert table.loc["Quds Force", "actor"] == "Quds Force" and table.loc["Iran", "source"] == "package"


def test_bad_corpus_alias_file_is_a_clear_error(tmp_path):
    (tmp_path / "actors.csv").write_text("alias,actor\nX,Y\n", encoding="utf-8")
    with pytest.raises(InputError, match="lacks column"):
        load_alias_table(tmp_path)
    (tmp_path / "actors.csv").write_text("alias,actor,label,kind\nX,Y,ORG,person\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown kind"):
        load_alias_table(tmp_path)


def test_count_actors_by_hand():
    mentions = pd.DataFrame({
        "doc_id": ["d1", "d1", "d2", "d3", "d3"], "start_char": [50, 10, 30, 0, 5],
        "actor": ["Iran", "Iran", "Iran", "Iran", "Iranian"], "label": ["GPE"] * 4 + ["NORP"],
        "kind": ["actor"] * 4 + ["demonym"],
    })
    groups = pd.Series({"d1": "A", "d2": "A", "d3": "B"})
    lengths = pd.DataFrame({"n_words": [100, 300, 50], "n_chars": [100, 60, 10]}, index=["d1", "d2", "d3"])
    table = count_actors(mentions, groups=groups, lengths=lengths).set_index("group")
    assert table.loc["A", "mentions"] == 3 and table.loc["A", "per_1k"] == pytest.approx(3 / 400 * 1000)
    assert table.loc["A", "first_position"] == pytest.approx((10 / 100 + 30 / 60) / 2)
    assert table.loc["A", "n_docs"] == 2 and table.loc["B", "first_position"] == 0.0
    demonyms = count_demonyms(mentions, groups=groups, lengths=lengths)
    assert demonyms[["group", "actor", "mentions"]].values.tolist() == [["B", "Iranian", 1]]
    with pytest.raises(InputError):
        count_actors(mentions, groups=groups, lengths=lengths, kind="place")


@pytest.mark.model
def test_seed_counts_within_15_percent_of_hand_count(built_corpus):
    mentions = extract_mentions(built_corpus)
    spans = pd.read_csv(DATA / "actor_hand_count_spans.csv")
    hand = pd.read_csv(DATA / "actor_hand_counts.csv")
    bodies = {}
    from textcompare.parsing import load_docs

    for doc_id, doc in load_docs(built_corpus):
        bodies[doc_id] = doc.text
    failures = []
    for span in spans.itertuples():
        body = bodies[span.doc_id]
        start = body.index(span.start_marker)
        end = body.index(span.end_marker) + len(span.end_marker)
        inside = mentions[(mentions["doc_id"] == span.doc_id) & (mentions["start_char"] >= start)
                          & (mentions["end_char"] <= end) & (mentions["kind"] == "actor")]
        auto = inside.groupby("actor").size()
        for row in hand[hand["doc_id"] == span.doc_id].itertuples():
            got = int(auto.get(row.actor, 0))
            if abs(got - row.hand_count) > 0.15 * row.hand_count:
                failures.append((span.doc_id, row.actor, row.hand_count, got))
        labels = inside.drop_duplicates("actor").set_index("actor")["label"]
        for row in hand[(hand["doc_id"] == span.doc_id) & (hand["hand_count"] > 0)].itertuples():
            assert labels[row.actor] == row.label
    assert not failures, failures


@pytest.mark.model
def test_seed_mentions_table_shape(built_corpus):
    mentions = extract_mentions(built_corpus)
    assert list(mentions.columns) == MENTION_COLUMNS
    table = count_actors(mentions, built_corpus, by="outlet")
    top = table.sort_values("mentions", ascending=False).groupby("group").head(2)
    assert set(top["actor"]) == {"Iran", "United States"}
    assert table["per_1k"].gt(0).all() and table["first_position"].between(0, 1).all()
