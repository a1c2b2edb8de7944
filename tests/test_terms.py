"""Key terms: noun-phrase normalisation on hand-built tables, TF-IDF against a hand idf, seeds."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from textcompare.corpus import load_corpus
from textcompare.errors import InputError
from textcompare.terms import TERM_COLUMNS, extract_key_terms, extract_noun_phrases, score_tfidf_terms

SEED_A, SEED_B = "000_5bbd669c0e0ac039", "004_e6e3561ab3eac563"


def _tokens(doc_id, words, paragraph_ids=None):
    """words: list of (text, lemma, pos, is_stop); text separated by single spaces except glued hyphens."""
    rows, pos = [], 0
    for i, (text, lemma, tag, stop) in enumerate(words):
        if i and text not in {"-", "’s"} and words[i - 1][0] != "-":
            pos += 1
        rows.append({"doc_id": doc_id, "sent_id": 0, "paragraph_id": (paragraph_ids or [0] * len(words))[i], "i": i,
                     "text": text, "lemma": lemma, "pos": tag, "is_stop": stop, "is_punct": tag == "PUNCT",
                     "is_space": False, "like_num": False, "start_char": pos, "end_char": pos + len(text)})
        pos += len(text)
    return pd.DataFrame(rows)


def _chunks(doc_id, spans):
    return pd.DataFrame([{"doc_id": doc_id, "sent_id": 0, "start": s, "end": e} for s, e in spans])


def test_noun_phrases_keep_multiword_units_split_on_punctuation_and_glue_hyphens():
    words = [("his", "his", "PRON", True), ("so", "so", "ADV", True), ("-", "-", "PUNCT", False),
             ("called", "call", "VERB", False), ("“", "“", "PUNCT", False), ("maximum", "maximum", "ADJ", False),
             ("pressure", "pressure", "NOUN", False), ("”", "”", "PUNCT", False), ("policy", "policy", "NOUN", False),
             ("and", "and", "CCONJ", True), ("anti", "anti", "ADJ", False), ("-", "-", "PUNCT", False),
             ("American", "american", "ADJ", False), ("sentiment", "sentiment", "NOUN", False),
             ("of", "of", "ADP", True), ("U.S.", "U.S.", "PROPN", False), ("regional", "regional", "ADJ", False),
             ("policies", "policy", "NOUN", False), ("in", "in", "ADP", True), ("Middle", "Middle", "PROPN", False),
             ("East", "East", "PROPN", False)]
    tokens = _tokens("d", words)
    phrases = extract_noun_phrases(tokens, _chunks("d", [(0, 9), (10, 14), (15, 18), (19, 21)]))
    assert phrases["term"].tolist() == ["maximum pressure", "policy", "anti-american sentiment", "regional policy",
                                        "middle east"]
    assert phrases.iloc[0][["start", "end"]].tolist() == [5, 7]
    multi = extract_noun_phrases(tokens, _chunks("d", [(0, 9)]), min_words=2)
    assert multi["term"].tolist() == ["maximum pressure"]


def test_tfidf_uses_paragraphs_as_idf_documents():
    words = [("maximum", "maximum", "ADJ", False), ("pressure", "pressure", "NOUN", False), ("fails", "fail", "VERB", False),
             ("war", "war", "NOUN", False), ("war", "war", "NOUN", False), ("pressure", "pressure", "NOUN", False)]
    tokens = _tokens("d", words, paragraph_ids=[0, 0, 0, 1, 1, 2])
    chunks = _chunks("d", [(0, 2), (3, 4), (4, 5), (5, 6)])
    raw = score_tfidf_terms(tokens, chunks, "d", top=10)
    assert list(raw.columns) == TERM_COLUMNS
    table = raw.set_index("term")
    idf = lambda df, n=3: math.log((1 + n) / (1 + df)) + 1
    assert table.loc["war", "score"] == pytest.approx(2 * idf(1))
    assert table.loc["pressure", "score"] == pytest.approx(2 * idf(2))
    assert table.loc["maximum pressure", "score"] == pytest.approx(idf(1))
    assert table.loc["war", "count"] == 2 and "3 paragraphs" in table["basis"].iloc[0]
    assert table["rank"].tolist() == list(range(1, len(table) + 1))


def test_background_changes_idf_only():
    tokens = _tokens("d", [("war", "war", "NOUN", False), ("peace", "peace", "NOUN", False)])
    chunks = _chunks("d", [(0, 1), (1, 2)])
    plain = score_tfidf_terms(tokens, chunks, "d").set_index("term")["score"]
    with_bg = score_tfidf_terms(tokens, chunks, "d", background=[["war"], ["war"], ["trade"]]).set_index("term")["score"]
    assert plain["war"] == plain["peace"]
    assert with_bg["war"] < with_bg["peace"]


@pytest.mark.model
@pytest.mark.parametrize("method", ["tfidf", "textrank", "noun_phrases"])
def test_seed_key_terms(built_corpus, method):
    table = extract_key_terms(built_corpus, SEED_A, method=method, top=40)
    assert list(table.columns) == TERM_COLUMNS and len(table) == 40
    assert table["score"].is_monotonic_decreasing and set(table["method"]) == {method}
    assert "regional policy" in set(table["term"])


@pytest.mark.model
def test_seed_multiword_terms_survive(built_corpus):
    from textcompare.parsing import load_noun_chunks, load_tokens

    phrases = extract_noun_phrases(load_tokens(built_corpus), load_noun_chunks(built_corpus), min_words=2)
    terms = set(phrases.loc[phrases["doc_id"] == SEED_A, "term"])
    assert {"maximum pressure", "anti-american sentiment", "regional policy"} <= terms


@pytest.mark.model
def test_unknown_doc_id_or_method_lists_valid_values(built_corpus):
    with pytest.raises(InputError, match=SEED_A):
        extract_key_terms(built_corpus, "nope")
    with pytest.raises(InputError, match="tfidf"):
        extract_key_terms(built_corpus, SEED_A, method="yake")


@pytest.mark.model
def test_all_documents_when_doc_id_is_none(built_corpus):
    every = extract_key_terms(built_corpus, method="noun_phrases", top=5)
    one = extract_key_terms(built_corpus, SEED_A, method="noun_phrases", top=5)
    assert sorted(every["doc_id"].unique()) == sorted(load_corpus(built_corpus).ids)
    pd.testing.assert_frame_equal(every[every["doc_id"] == SEED_A].reset_index(drop=True), one)
