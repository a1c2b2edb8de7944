"""Actors (issue 11): state versus public, demonyms on non-actor heads, the administration rule,
NER mistypes, new aliases. Hand-built sentences parsed by the real model."""
from __future__ import annotations

import pytest

from textcompare.entities import extract_doc_mentions, load_alias_table


def _actors(nlp, text):
    m = extract_doc_mentions(nlp(text), aliases=load_alias_table(), doc_id="d")
    return [(r.text, r.actor) for r in m.itertuples() if r.kind == "actor"]


@pytest.mark.model
@pytest.mark.parametrize("text, expected", [
    ("The Iranian government and the Iranian regime spoke.", [("Iranian government", "Iran"), ("Iranian regime", "Iran")]),
    ("The Iranian public and the Iranian people mourned.", [("Iranian public", "Iranian public"), ("Iranian people", "Iranian public")]),
    ("Iranians mourned.", [("Iranians", "Iranian public")]),
    # the same rule for other nations, and for demonyms with no alias row (NER alone)
    ("The Chinese people trust the Chinese government.", [("Chinese people", "Chinese public"), ("Chinese government", "China")]),
    ("Venezuelans protested against the Venezuelan government.", [("Venezuelans", "Venezuelan public"), ("Venezuelan government", "Venezuelan government")]),
    # a demonym on a non-actor head is not an actor
    ("An Iranian airliner crashed amid anti-American sentiment.", []),
    ("Anti-American sentiment grew.", []),
    # one rule: "<president> administration" is the US executive
    ("The Trump administration acted; Trump spoke.", [("Trump administration", "United States"), ("Trump", "Donald Trump")]),
    ("U.S. forces left.", [("U.S. forces", "United States")]),
])
def test_state_public_and_demonyms(nlp, text, expected):
    assert _actors(nlp, text) == expected


@pytest.mark.model
@pytest.mark.parametrize("text, actor", [
    ("The IRGC and the Islamic Revolutionary Guard Corps met.", "IRGC"),
    ("The Quds Force moved.", "Quds Force"),
    ("Kata'ib Hezbollah attacked.", "Kata'ib Hezbollah"),
    ("Hezbollah warned.", "Hezbollah"),
    ("The Popular Mobilization Forces marched.", "Popular Mobilization Forces"),
    ("The Supreme Leader spoke.", "Ali Khamenei"),
    ("Abu Mahdi al-Muhandis died.", "Abu Mahdi al-Muhandis"),
    ("Adel Abdul-Mahdi resigned.", "Adel Abdul-Mahdi"),
    ("Mark Esper said so.", "Mark Esper"),
    ("The EU and NATO agreed.", "European Union"),
    ("The IAEA reported.", "IAEA"),
    ("The E3 objected.", "E3"),
    ("The UAE and Saudi Arabia watched.", "United Arab Emirates"),
    ("Scholars at SII wrote it.", "Shanghai Institutes for International Studies"),
])
def test_regional_aliases(nlp, text, actor):
    assert actor in {a for _, a in _actors(nlp, text)}


@pytest.mark.model
def test_ner_mistypes_are_dropped_or_fixed(nlp):
    found = _actors(nlp, "After Operation Ajax the Shah ruled, and the film won several Oscars.")
    assert found == [("Shah", "Mohammad Reza Pahlavi")]


def test_alias_table_documents_the_administration_rule():
    table = load_alias_table().set_index("alias")
    assert table.loc["Trump administration", "actor"] == "United States"
    assert "RULE" in table.loc["Trump administration", "rationale"]
    demonyms = table[table["kind"] == "demonym"]
    assert demonyms.loc["Iranian", "state"] == "Iran"
    assert (table.loc[table["kind"] != "demonym", "state"] == "").all()


def _cli_csv(capsys, argv):
    import io

    import pandas as pd

    from textcompare.cli import main

    assert main(argv) == 0
    return pd.read_csv(io.StringIO(capsys.readouterr().out), keep_default_na=False)


@pytest.mark.model
def test_actors_command_shows_which_alias_or_rule_matched(built_corpus, capsys):
    table = _cli_csv(capsys, ["actors", "--corpus", str(built_corpus), "--format", "csv"])
    assert list(table.columns) == ["actor", "kind", "label", "text", "rule", "table", "matches", "n_docs"]
    assert set(table["rule"]) <= {"alias", "state", "public", "ner", "ignore"}
    assert (table.loc[table["rule"] == "alias", "table"] == "package").all()
    states = table[table["rule"] == "state"]
    assert len(states) and all(t.split()[-1].lower() in __import__("textcompare").entities.STATE_HEADS for t in states["text"])
    publics = table[table["rule"] == "public"]
    assert len(publics) and publics["actor"].str.endswith(" public").all()
    one = _cli_csv(capsys, ["actors", "--corpus", str(built_corpus), "--actor", "United States", "--unmatched",
                            "--format", "csv"])
    assert set(one["actor"]) == {"United States"} and (one["matches"] == 0).any() and (one["matches"] > 0).any()


@pytest.mark.model
def test_corpus_alias_file_wins_and_shows_as_corpus(built_corpus, tmp_path, capsys):
    import shutil

    corpus = tmp_path / "c"
    shutil.copytree(built_corpus, corpus)
    (corpus / "actors.csv").write_text("alias,actor,label,kind,rationale\nTehran,Tehran (city),GPE,actor,the city\n",
                                       encoding="utf-8")
    table = _cli_csv(capsys, ["actors", "--corpus", str(corpus), "--format", "csv"])
    row = table[table["text"] == "Tehran"].iloc[0]
    assert (row["actor"], row["rule"], row["table"]) == ("Tehran (city)", "alias", "corpus")


@pytest.mark.model
def test_negated_events_are_left_out_of_the_cli_unless_asked(built_corpus, capsys):
    base = ["agency", "--rows", "--corpus", str(built_corpus), "--format", "csv"]
    default = _cli_csv(capsys, base)
    everything = _cli_csv(capsys, base + ["--include-negated"])
    assert not default["negated"].astype(str).eq("True").any()
    assert everything["negated"].astype(str).eq("True").any() and len(everything) > len(default)
    non_actor = {"retaliation", "door", "film", "policy", "demands", "Middle East"}
    assert not non_actor & (set(everything["agent"]) | set(everything["patient"]))
