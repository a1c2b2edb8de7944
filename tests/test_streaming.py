"""Corpus-level aggregates streamed per document equal the in-memory functions on full tables."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from textcompare.parsing import load_tokens

pytestmark = pytest.mark.model

REPO = Path(__file__).resolve().parents[1]
SMALL_DOCS = {
    "900_small_one": (
        "Small Press",
        "Iran and the United States traded threats again.\n\n"
        "Trump said the strike was necessary. Critics said the strike was reckless and the region was tense.\n\n"
        "Short paragraph.",
    ),
    "901_small_two": (
        "Small Press",
        "The strike on Soleimani changed the region.\n\n"
        "Iran promised revenge; Iran's leaders spoke of tension, tension and more tension.",
    ),
}


@pytest.fixture(scope="module")
def mixed_corpus(tmp_path_factory) -> Path:
    """The seed corpus plus two small documents of a third outlet, built once."""
    from textcompare import build_corpus
    from textcompare.manifest import read_manifest, write_manifest

    dest = tmp_path_factory.mktemp("streaming") / "corpus"
    dest.mkdir()
    shutil.copytree(REPO / "corpus" / "raw", dest / "raw")
    rows = read_manifest(REPO / "corpus" / "manifest.csv")
    extra = []
    for doc_id, (outlet, text) in SMALL_DOCS.items():
        data = text.encode("utf-8")
        (dest / "raw" / f"{doc_id}.txt").write_bytes(data)
        extra.append({"id": doc_id, "author": "unknown", "outlet": outlet, "title": doc_id, "date": "2020-01-20",
                      "url": "", "path": f"raw/{doc_id}.txt", "sha256": hashlib.sha256(data).hexdigest(),
                      "language": "en"})
    write_manifest(pd.concat([rows, pd.DataFrame(extra, columns=rows.columns)], ignore_index=True),
                   dest / "manifest.csv")
    build_corpus(dest, progress=False)
    return dest


def _groups(corpus: Path, by: str = "outlet") -> pd.Series:
    from textcompare.corpus import document_groups

    return document_groups(corpus, by=by)


@pytest.mark.parametrize("unit,drop_stop", [("lemma", False), ("lower", True)])
def test_streamed_counts_equal_count_terms(mixed_corpus, unit, drop_stop):
    from textcompare.keyness import count_terms, stream_keyness_tables

    groups = _groups(mixed_corpus)
    counts, _ = stream_keyness_tables(mixed_corpus, groups, unit=unit, drop_stop=drop_stop)
    expected = count_terms(load_tokens(mixed_corpus), groups, unit=unit, drop_stop=drop_stop)
    pd.testing.assert_frame_equal(counts, expected)
    assert counts["group"].nunique() == 3


def test_streamed_dispersion_equals_score_dispersion(mixed_corpus):
    from textcompare.keyness import score_dispersion, stream_keyness_tables

    groups = _groups(mixed_corpus)
    _, disp = stream_keyness_tables(mixed_corpus, groups)
    expected = score_dispersion(load_tokens(mixed_corpus), groups)
    expected = expected.sort_values(["group", "term"], kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(disp, expected, check_exact=False, rtol=1e-9, atol=1e-12)
    # the small outlet has 5 paragraphs; "tension" sits 3 times in one of them: concentrated
    small = disp[disp["group"] == "Small Press"].set_index("term")
    assert small.at["tension", "n_paragraphs"] == 1
    assert small.at["tension", "dispersion"] > 0.5


def test_streamed_dispersion_by_hand_on_small_outlet(mixed_corpus):
    """DP_norm of "strike" over the Small Press paragraphs, recomputed from the paragraph table."""
    from textcompare.keyness import stream_keyness_tables

    groups = _groups(mixed_corpus)
    _, disp = stream_keyness_tables(mixed_corpus, groups)
    tokens = load_tokens(mixed_corpus)
    words = tokens[tokens["doc_id"].isin(list(SMALL_DOCS)) & ~(tokens["is_punct"] | tokens["is_space"])]
    paras = words.groupby(["doc_id", "paragraph_id"])
    sizes = paras.size().to_numpy(float)
    hits = paras["lemma"].agg(lambda s: (s.str.lower() == "strike").sum()).to_numpy(float)
    share, v = sizes / sizes.sum(), hits / hits.sum()
    expected = 0.5 * np.abs(v - share).sum() / (1 - share.min())
    got = disp[(disp["group"] == "Small Press") & (disp["term"] == "strike")]["dispersion"].item()
    assert got == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("kwargs", [{}, {"unit": "lower", "drop_stop": True}, {"groups": ["Small Press", "China-US Focus"]}])
def test_compare_keyness_streaming_equals_in_memory(mixed_corpus, kwargs):
    from textcompare.keyness import compare_keyness

    streamed = compare_keyness(mixed_corpus, by="outlet", **kwargs)
    in_memory = compare_keyness(mixed_corpus, by="outlet", tokens=load_tokens(mixed_corpus),
                                doc_groups=_groups(mixed_corpus), **kwargs)
    pd.testing.assert_frame_equal(streamed, in_memory, check_exact=False, rtol=1e-9, atol=1e-12)
    exact = [c for c in streamed.columns if not c.startswith("dispersion")]
    pd.testing.assert_frame_equal(streamed[exact], in_memory[exact])


def test_compare_keyness_streaming_on_seeds(built_corpus):
    from textcompare.keyness import compare_keyness

    streamed = compare_keyness(built_corpus, by="outlet")
    in_memory = compare_keyness(built_corpus, by="outlet", tokens=load_tokens(built_corpus),
                                doc_groups=_groups(built_corpus))
    pd.testing.assert_frame_equal(streamed, in_memory, check_exact=False, rtol=1e-9, atol=1e-12)
    assert len(streamed) > 100


def test_stream_doc_lengths_equals_doc_lengths(mixed_corpus):
    from textcompare.entities import doc_lengths, stream_doc_lengths

    streamed = stream_doc_lengths(mixed_corpus)
    pd.testing.assert_frame_equal(streamed, doc_lengths(load_tokens(mixed_corpus)))
    assert len(streamed) == 4 and (streamed["n_words"] > 0).all()


def test_count_actors_streaming_equals_in_memory(mixed_corpus):
    from textcompare.entities import count_actors, doc_lengths, extract_mentions

    mentions = extract_mentions(mixed_corpus)
    streamed = count_actors(mentions, mixed_corpus, by="outlet")
    in_memory = count_actors(mentions, mixed_corpus, by="outlet", lengths=doc_lengths(load_tokens(mixed_corpus)))
    pd.testing.assert_frame_equal(streamed, in_memory)
    assert "Small Press" in set(streamed["group"])


@pytest.mark.parametrize("doc_id", ["004_e6e3561ab3eac563", "901_small_two"])
def test_streamed_tfidf_equals_in_memory(mixed_corpus, doc_id):
    from textcompare.parsing import load_noun_chunks
    from textcompare.terms import extract_key_terms, score_tfidf_terms

    streamed = extract_key_terms(mixed_corpus, doc_id, method="tfidf", top=50)
    in_memory = score_tfidf_terms(load_tokens(mixed_corpus), load_noun_chunks(mixed_corpus), doc_id, top=50)
    pd.testing.assert_frame_equal(streamed, in_memory)
    assert len(streamed) > 5


def test_noun_phrases_read_only_their_document(mixed_corpus):
    from textcompare.parsing import load_noun_chunks
    from textcompare.terms import extract_key_terms, score_noun_phrase_terms

    got = extract_key_terms(mixed_corpus, "900_small_one", method="noun_phrases")
    expected = score_noun_phrase_terms(load_tokens(mixed_corpus), load_noun_chunks(mixed_corpus), "900_small_one")
    pd.testing.assert_frame_equal(got, expected)
    assert "strike" in set(got["term"])


def test_rate_units_equal_sentence_units_without_text(mixed_corpus):
    from textcompare.framing.compare import load_sentence_units, stream_rate_units

    expected = load_sentence_units(mixed_corpus)[["doc_id", "sent_id", "n_words", "paragraph_id"]]
    pd.testing.assert_frame_equal(stream_rate_units(mixed_corpus), expected)


def _in_memory_rates(corpus, hits, feature, features, family=None):
    from textcompare.framing._docs import resolve_groups
    from textcompare.framing.compare import compare_rates, load_sentence_units

    sentences = load_sentence_units(corpus)
    labels = resolve_groups(corpus, sentences["doc_id"], by="outlet")
    return compare_rates(hits, sentences, labels, feature=feature, features=features, n_resamples=199, family=family)


def test_compare_frames_streaming_equals_full_hit_table(mixed_corpus):
    from textcompare.framing import compare_frames, extract_frames, frame_ids

    hits = extract_frames(mixed_corpus, include_negated=False)
    expected = _in_memory_rates(mixed_corpus, hits, "frame", frame_ids(), family="frames")
    expected = expected[expected["frame"].isin(frame_ids("case"))].reset_index(drop=True)
    got = compare_frames(mixed_corpus, frame_type="case", n_resamples=199).drop(columns="frame_type")
    pd.testing.assert_frame_equal(got, expected)
    assert got["hits"].sum() > 0


def test_compare_functions_and_stance_streaming_equal_full_hit_tables(mixed_corpus):
    from textcompare.framing import compare_functions, compare_stance, extract_functions, extract_stance
    from textcompare.framing.functions import FUNCTIONS
    from textcompare.framing.stance import STANCE_CATEGORIES

    functions = extract_functions(mixed_corpus)
    expected = _in_memory_rates(mixed_corpus, functions[~functions["negated"]], "function", list(FUNCTIONS))
    pd.testing.assert_frame_equal(compare_functions(mixed_corpus, n_resamples=199), expected)
    stance = extract_stance(mixed_corpus)
    stance = stance[~stance["negated"]].assign(marker=lambda t: t["category"])
    expected = _in_memory_rates(mixed_corpus, stance, "marker", list(STANCE_CATEGORIES))
    pd.testing.assert_frame_equal(compare_stance(mixed_corpus, n_resamples=199), expected)
