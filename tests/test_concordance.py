"""KWIC and collocations on hand-built token tables, checked by hand; one seed check."""
from __future__ import annotations

import math

import pandas as pd
import pytest
from scipy.stats import chi2_contingency

from textcompare.concordance import COLLOCATION_COLUMNS, KWIC_COLUMNS, kwic, score_collocations
from textcompare.errors import InputError

STOP = {"the", "a", "of", "to", "on"}


def _tokens(doc_id, text, lemmas=None, sent_breaks=()):
    rows, pos, sent = [], 0, 0
    for i, word in enumerate(text.split()):
        if i in sent_breaks:
            sent += 1
        glued = word in {".", ","}
        if glued and rows:
            pos -= 1
        rows.append({"doc_id": doc_id, "sent_id": sent, "i": i, "text": word, "lower": word.lower(),
                     "lemma": (lemmas or {}).get(word, word.lower()), "is_punct": glued, "is_space": False,
                     "is_stop": word.lower() in STOP, "start_char": pos, "end_char": pos + len(word)})
        pos += len(word) + 1
    return pd.DataFrame(rows)


def test_kwic_multiword_pattern_and_window():
    tokens = _tokens("d", "They kept maximum pressure on Iran . Maximum pressure failed badly")
    table = kwic(tokens, "maximum pressure", unit="lower", window=2)
    assert list(table.columns) == KWIC_COLUMNS
    assert table[["left", "match", "right"]].values.tolist() == [
        ["They kept", "maximum pressure", "on Iran"], ["on Iran.", "Maximum pressure", "failed badly"]]
    assert table["start_char"].tolist() == [10, 36]


def test_kwic_by_lemma_text_and_sentence_bounds():
    tokens = _tokens("d", "War ended . It institutionalizes anger in Iran", lemmas={"institutionalizes": "institutionalize"},
                     sent_breaks=(3,))
    hit = kwic(tokens, "institutionalize", window=5)
    assert hit["match"].tolist() == ["institutionalizes"] and hit["left"].item() == "War ended. It"
    bounded = kwic(tokens, "institutionalize", window=5, sentence_bounded=True)
    assert bounded["left"].item() == "It" and bounded["sent_id"].item() == 1
    assert kwic(tokens, "iran", unit="text").empty and len(kwic(tokens, "Iran", unit="text")) == 1
    with pytest.raises(InputError):
        kwic(tokens, "iran", unit="stem")


def test_collocations_by_hand():
    # 10 words; node "iran" at positions 1 and 8, window 1 -> window positions {0, 2, 7, 9}: W = 4.
    tokens = _tokens("d", "sanctions iran war peace trade war trade sanctions iran war")
    table = score_collocations(tokens, "iran", window=1, min_count=1, drop_stop=False).set_index("collocate")
    assert sorted(table.reset_index().columns) == sorted(COLLOCATION_COLUMNS)
    n, w = 10, 4
    o, f = 2, 3  # "war" at 2 and 9 inside windows; 3 times overall
    e = f * w / n
    assert table.loc["war", "count"] == o and table.loc["war", "expected"] == pytest.approx(e)
    assert table.loc["war", "pmi"] == pytest.approx(math.log2(o / e))
    assert table.loc["war", "t_score"] == pytest.approx((o - e) / math.sqrt(o))
    g2 = chi2_contingency([[o, f - o], [w - o, n - w - (f - o)]], correction=False, lambda_="log-likelihood").statistic
    assert table.loc["war", "g2"] == pytest.approx(g2)
    assert table.loc["sanctions", "count"] == 2 and "trade" not in table.index


def test_collocations_skip_stop_words_and_min_count():
    tokens = _tokens("d", "the iran the iran war")
    table = score_collocations(tokens, "iran", window=1, min_count=1)
    assert table["collocate"].tolist() == ["war"]
    assert score_collocations(tokens, "iran", window=1, min_count=2).empty


@pytest.mark.model
def test_seed_kwic_and_collocations(built_corpus):
    table = kwic(built_corpus, "maximum pressure")
    assert len(table) >= 3 and set(table["match"].str.lower()) == {"maximum pressure"}
    assert len(kwic(built_corpus, "institutionalize")) >= 2
    coll = score_collocations(built_corpus, "pressure")
    assert coll.iloc[0]["collocate"] == "maximum"
