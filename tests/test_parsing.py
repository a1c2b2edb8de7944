"""Parsing and the derived-data cache: tables, offsets, cache hits, invalidation, parallel builds."""
from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

import textcompare as tc
from textcompare.parsing import CacheWarning, paragraph_spans
from textcompare.parsing.settings import parse_settings, settings_of

TOKEN_COLUMNS = ["doc_id", "sent_id", "paragraph_id", "i", "text", "lower", "lemma", "pos", "tag", "dep", "head",
                 "ent_type", "ent_iob", "is_stop", "is_punct", "is_space", "is_alpha", "like_num", "start_char",
                 "end_char"]
SENTENCE_COLUMNS = ["doc_id", "sent_id", "paragraph_id", "start", "end", "start_char", "end_char", "n_words", "text"]
CHUNK_COLUMNS = ["doc_id", "sent_id", "start", "end", "start_char", "end_char", "text", "lemma", "root_lemma"]
ENTITY_COLUMNS = ["doc_id", "sent_id", "start", "end", "start_char", "end_char", "text", "label"]
LOADERS = {"tokens": tc.load_tokens, "sentences": tc.load_sentences, "noun_chunks": tc.load_noun_chunks,
           "entities": tc.load_entities}
INT_COLUMNS = {"sent_id", "paragraph_id", "i", "head", "start", "end", "start_char", "end_char", "n_words"}
BOOL_COLUMNS = {"is_stop", "is_punct", "is_space", "is_alpha", "like_num"}


def _bodies(corpus: Path) -> dict[str, str]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8"))["body"] for p in (corpus / "derived" / "clean").glob("*.json")}


def _copy(built: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "corpus"
    shutil.copytree(built, dest)
    return dest


def _build(corpus: Path, **kwargs) -> tuple[tc.BuildSummary, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        summary = tc.build_corpus(corpus, progress=False, **kwargs)
    return summary, [str(w.message) for w in caught if issubclass(w.category, CacheWarning)]


class _ModelCalls:
    """Counts every load of the pipeline and every document it processes."""

    def __init__(self, monkeypatch):
        import spacy.language

        import textcompare.nlp

        self.loads = 0
        self.docs = 0
        self.depth = 0
        real_load, real_pipe = textcompare.nlp.load_nlp, spacy.language.Language.pipe
        real_call = spacy.language.Language.__call__

        def load(*args, **kwargs):
            self.loads += 1
            return real_load(*args, **kwargs)

        def pipe(nlp, texts, *args, **kwargs):
            outer = self.depth == 0  # pipe(as_tuples=True) calls pipe again: count the outer call only
            self.depth += 1
            try:
                for out in real_pipe(nlp, texts, *args, **kwargs):
                    self.docs += outer
                    yield out
            finally:
                self.depth -= 1

        def call(nlp, *args, **kwargs):
            self.docs += 1
            return real_call(nlp, *args, **kwargs)

        monkeypatch.setattr(textcompare.nlp, "load_nlp", load)
        monkeypatch.setattr(spacy.language.Language, "pipe", pipe)
        monkeypatch.setattr(spacy.language.Language, "__call__", call)


# --- pure logic -------------------------------------------------------------------------------

@pytest.mark.parametrize("body, expected", [
    ("One.", [(0, 4)]),
    ("One.\n\nTwo.", [(0, 4), (6, 10)]),
    ("One.\n  \n\nTwo two.\n\nThree", [(0, 4), (9, 17), (19, 24)]),
    ("Line one\nline two\n\nNext", [(0, 17), (19, 23)]),
    ("", []),
])
def test_paragraph_spans_split_on_blank_lines(body, expected):
    assert paragraph_spans(body) == expected
    assert all(body[s:e].strip() == body[s:e] for s, e in expected)


def test_noun_chunk_lemma_drops_leading_determiners_and_possessives():
    import spacy
    from spacy.tokens import Doc

    words = ["Their", "big", "dogs", "chased", "the", "cats", "."]
    doc = Doc(spacy.blank("en").vocab, words=words,
              spaces=[True, True, True, True, True, False, False],
              tags=["PRP$", "JJ", "NNS", "VBD", "DT", "NNS", "."],
              pos=["PRON", "ADJ", "NOUN", "VERB", "DET", "NOUN", "PUNCT"],
              deps=["poss", "amod", "nsubj", "ROOT", "det", "dobj", "punct"],
              heads=[2, 2, 3, 3, 5, 3, 3],
              lemmas=["their", "big", "dog", "chase", "the", "cat", "."])
    tables = tc.extract_tables(doc, "toy")
    chunks = tables["noun_chunks"]
    assert chunks["text"].tolist() == ["Their big dogs", "the cats"]
    assert chunks["lemma"].tolist() == ["big dog", "cat"]
    assert chunks["root_lemma"].tolist() == ["dog", "cat"]
    tokens = tables["tokens"]
    assert tokens["head"].tolist() == [2, 2, 3, 3, 5, 3, 3]
    assert tables["sentences"]["n_words"].tolist() == [6]


def test_extract_tables_rejects_a_body_that_is_not_the_doc_text():
    import spacy

    doc = spacy.blank("en")("Some text.")
    with pytest.raises(ValueError, match="differs"):
        tc.extract_tables(doc, "x", "Other text.")


def test_build_rejects_bad_processes(corpus_copy):
    with pytest.raises(tc.InputError, match="processes"):
        tc.build_corpus(corpus_copy, processes=0, progress=False)


# --- tables from the real model ---------------------------------------------------------------

@pytest.mark.model
@pytest.mark.parametrize("name, columns", [("tokens", TOKEN_COLUMNS), ("sentences", SENTENCE_COLUMNS),
                                           ("noun_chunks", CHUNK_COLUMNS), ("entities", ENTITY_COLUMNS)])
def test_table_columns_and_types(built_corpus, name, columns):
    table = LOADERS[name](built_corpus)
    assert list(table.columns) == columns
    assert len(table) > 0
    assert set(table["doc_id"]) == set(tc.load_corpus(built_corpus).ids)
    for column in columns:
        if column in INT_COLUMNS:
            assert table[column].dtype == "int64", column
        elif column in BOOL_COLUMNS:
            assert table[column].dtype == bool, column
        else:
            assert pd.api.types.is_string_dtype(table[column]), column


@pytest.mark.model
@pytest.mark.parametrize("name", ["tokens", "sentences", "noun_chunks", "entities"])
def test_char_offsets_index_into_cleaned_body(built_corpus, name):
    bodies = _bodies(built_corpus)
    table = LOADERS[name](built_corpus)
    for row in table.itertuples(index=False):
        assert bodies[row.doc_id][row.start_char:row.end_char] == row.text


@pytest.mark.model
def test_cleaned_body_is_what_clean_article_returns(built_corpus):
    bodies = _bodies(built_corpus)
    for doc_id in tc.load_corpus(built_corpus).ids:
        from textcompare.corpus import clean_article

        assert bodies[doc_id] == clean_article(built_corpus, doc_id).body


@pytest.mark.model
def test_tokens_agree_with_sentences_and_paragraphs(built_corpus):
    tokens, sentences = tc.load_tokens(built_corpus), tc.load_sentences(built_corpus)
    bodies = _bodies(built_corpus)
    for doc_id, toks in tokens.groupby("doc_id"):
        assert toks["i"].tolist() == list(range(len(toks)))
        assert toks["head"].between(0, len(toks) - 1).all()
        sents = sentences[sentences["doc_id"] == doc_id]
        # sentences partition the tokens, in order
        assert sents["start"].iloc[0] == 0 and sents["end"].iloc[-1] == len(toks)
        assert (sents["start"].iloc[1:].to_numpy() == sents["end"].iloc[:-1].to_numpy()).all()
        spans = paragraph_spans(bodies[doc_id])
        for sent in sents.itertuples(index=False):
            inside = toks.iloc[sent.start:sent.end]
            assert (inside["sent_id"] == sent.sent_id).all()
            words = inside[~(inside["is_punct"] | inside["is_space"])]
            assert sent.n_words == len(words)
            # a sentence never crosses a paragraph break
            assert set(words["paragraph_id"]) <= {sent.paragraph_id}
        # paragraph_id of every word token = the paragraph span holding its first character
        words = toks[~toks["is_space"]]
        expected = [next(k for k, (s, e) in enumerate(spans) if s <= c < e) for c in words["start_char"]]
        assert words["paragraph_id"].tolist() == expected
    assert tokens["paragraph_id"].max() > 5


@pytest.mark.model
def test_entity_and_chunk_rows_match_token_annotations(built_corpus):
    tokens = tc.load_tokens(built_corpus).set_index(["doc_id", "i"])
    for ent in tc.load_entities(built_corpus).itertuples(index=False):
        first = tokens.loc[(ent.doc_id, ent.start)]
        assert first["ent_iob"] == "B" and first["ent_type"] == ent.label
        assert first["sent_id"] == ent.sent_id
    chunks = tc.load_noun_chunks(built_corpus)
    assert not chunks["lemma"].str.match(r"^(the|a|an|his|their|its) ").any()


@pytest.mark.model
def test_load_docs_match_the_tables(built_corpus):
    tokens = tc.load_tokens(built_corpus)
    for doc_id, doc in tc.load_docs(built_corpus):
        fresh = tc.extract_tables(doc, doc_id)["tokens"]
        pd.testing.assert_frame_equal(fresh, tokens[tokens["doc_id"] == doc_id].reset_index(drop=True))


@pytest.mark.model
def test_iter_tables_streams_one_document_at_a_time(built_corpus):
    parts = list(tc.iter_tables(built_corpus, "sentences"))
    assert [doc_id for doc_id, _ in parts] == tc.load_corpus(built_corpus).ids
    assert all(set(part["doc_id"]) == {doc_id} for doc_id, part in parts)
    pd.testing.assert_frame_equal(pd.concat([p for _, p in parts], ignore_index=True), tc.load_sentences(built_corpus))


@pytest.mark.model
def test_meta_settings_equal_loaded_pipeline_settings(nlp):
    assert parse_settings(None) == settings_of(nlp)


@pytest.mark.model
def test_provenance_records_model_and_manifest_hash(built_corpus):
    import hashlib

    provenance = tc.load_provenance(built_corpus)
    assert provenance["documents"] == tc.load_corpus(built_corpus).ids
    assert provenance["manifest_sha256"] == hashlib.sha256((built_corpus / "manifest.csv").read_bytes()).hexdigest()
    assert set(provenance) == {"manifest_sha256", "documents", "model", "model_version", "spacy_version",
                               "textcompare_version", "frame_model"}
    assert provenance["frame_model"].endswith("(all-mpnet-base-v2)")
    assert provenance["model"].startswith("en_core_web_sm")


# --- the cache --------------------------------------------------------------------------------

@pytest.mark.model
def test_cache_hit_never_calls_the_model(built_corpus, tmp_path, monkeypatch):
    corpus = _copy(built_corpus, tmp_path)
    provenance = (corpus / "derived" / "provenance.json").read_bytes()
    calls = _ModelCalls(monkeypatch)
    summary, warned = _build(corpus)
    assert summary.to_dict() | {"seconds": 0} == {"documents": 2, "parsed": 0, "cached": 2, "seconds": 0}
    assert (calls.loads, calls.docs) == (0, 0)
    assert warned == []
    assert (corpus / "derived" / "provenance.json").read_bytes() == provenance


@pytest.mark.model
def test_adding_a_document_parses_exactly_that_one(built_corpus, tmp_path, monkeypatch):
    corpus = _copy(built_corpus, tmp_path)
    article = tmp_path / "new.txt"
    article.write_text("Diplomats met in Geneva on Monday.\n\nThey agreed to talk again next week.\n", encoding="utf-8")
    tc.add_article(article, author="Jane Doe", outlet="Example Review", title="Talks", date="2020-01-09",
                   corpus=str(corpus))  # str: ingest reads a Path's .root as a Corpus root
    calls = _ModelCalls(monkeypatch)
    summary, warned = _build(corpus)
    assert (summary.documents, summary.parsed, summary.cached) == (3, 1, 2)
    assert calls.docs == 1 and warned == []
    assert tc.load_tokens(corpus)["doc_id"].nunique() == 3


@pytest.mark.model
def test_editing_a_raw_file_invalidates_only_that_document(built_corpus, tmp_path):
    import hashlib

    corpus = _copy(built_corpus, tmp_path)
    loaded = tc.load_corpus(corpus)
    edited, other = loaded.ids
    other_key = (corpus / "derived" / "keys" / f"{other}.json").read_bytes()
    raw = loaded.raw_path(edited)
    paragraph = max(_bodies(corpus)[edited].split("\n\n"), key=len)
    text = raw.read_text(encoding="utf-8")
    assert paragraph in text
    raw.write_text(text.replace(paragraph, paragraph + " An added sentence for this test."), encoding="utf-8")
    manifest = pd.read_csv(corpus / "manifest.csv", dtype=str, keep_default_na=False)
    manifest.loc[manifest["id"] == edited, "sha256"] = hashlib.sha256(raw.read_bytes()).hexdigest()
    manifest.to_csv(corpus / "manifest.csv", index=False, lineterminator="\n")

    summary, warned = _build(corpus)
    assert (summary.parsed, summary.cached) == (1, 1)
    assert summary.rebuilt == (edited,)
    assert len(warned) == 1 and edited in warned[0] and "changed" in warned[0]
    assert (corpus / "derived" / "keys" / f"{other}.json").read_bytes() == other_key
    sentences = tc.load_sentences(corpus)
    assert "An added sentence for this test." in sentences[sentences["doc_id"] == edited]["text"].tolist()
    assert "An added sentence for this test." not in tc.load_sentences(built_corpus)["text"].tolist()


@pytest.mark.model
@pytest.mark.parametrize("damage", ["truncate_docbin", "garbage_parquet", "delete_table", "garbage_key"])
def test_corrupt_cache_entry_warns_and_rebuilds(built_corpus, tmp_path, damage):
    corpus = _copy(built_corpus, tmp_path)
    doc_id = tc.load_corpus(corpus).ids[0]
    derived = corpus / "derived"
    before = tc.load_tokens(corpus)
    if damage == "truncate_docbin":
        path = derived / "docs" / f"{doc_id}.spacy"
        path.write_bytes(path.read_bytes()[:100])
    elif damage == "garbage_parquet":
        (derived / "tables" / "tokens" / f"{doc_id}.parquet").write_bytes(b"not parquet")
    elif damage == "delete_table":
        (derived / "tables" / "entities" / f"{doc_id}.parquet").unlink()
    else:
        (derived / "keys" / f"{doc_id}.json").write_text("{ truncated", encoding="utf-8")

    summary, warned = _build(corpus)
    assert (summary.parsed, summary.cached) == (1, 1)
    assert len(warned) == 1 and doc_id in warned[0]
    pd.testing.assert_frame_equal(tc.load_tokens(corpus), before)
    assert len(list(tc.load_docs(corpus))) == 2
    assert _build(corpus)[0].parsed == 0


@pytest.mark.model
def test_stale_model_version_is_reported_and_rebuilt(built_corpus, tmp_path):
    corpus = _copy(built_corpus, tmp_path)
    for key_file in (corpus / "derived" / "keys").glob("*.json"):
        key = json.loads(key_file.read_text(encoding="utf-8"))
        key["parse"]["model_version"] = "0.0.1"
        key_file.write_text(json.dumps(key), encoding="utf-8")
    summary, warned = _build(corpus)
    assert (summary.parsed, summary.cached) == (2, 0)
    assert len(warned) == 2 and all("model version changed" in w for w in warned)


@pytest.mark.model
def test_documents_removed_from_the_manifest_lose_their_derived_files(built_corpus, tmp_path):
    corpus = _copy(built_corpus, tmp_path)
    manifest = pd.read_csv(corpus / "manifest.csv", dtype=str, keep_default_na=False)
    gone = manifest["id"].iloc[0]
    manifest.iloc[1:].to_csv(corpus / "manifest.csv", index=False, lineterminator="\n")
    summary, _ = _build(corpus)
    assert (summary.documents, summary.parsed, summary.cached, summary.removed) == (1, 0, 1, 1)
    assert not [p for p in (corpus / "derived").rglob(f"{gone}.*")]
    assert tc.load_provenance(corpus)["documents"] == [manifest["id"].iloc[1]]


@pytest.mark.model
def test_force_reparses_everything_to_identical_tables(built_corpus, tmp_path):
    corpus = _copy(built_corpus, tmp_path)
    summary, warned = _build(corpus, force=True)
    assert (summary.parsed, summary.cached) == (2, 0) and warned == []
    for name, load in LOADERS.items():
        pd.testing.assert_frame_equal(load(corpus), load(built_corpus), obj=name)


@pytest.mark.model
def test_load_functions_build_an_unbuilt_corpus_quietly(corpus_copy, built_corpus, recwarn):
    sentences = tc.load_sentences(corpus_copy)
    assert (corpus_copy / "derived" / "provenance.json").is_file()
    pd.testing.assert_frame_equal(sentences, tc.load_sentences(built_corpus))
    assert not [w for w in recwarn if issubclass(w.category, CacheWarning)]


# --- parallel builds --------------------------------------------------------------------------

@pytest.mark.model
def test_two_processes_give_tables_identical_to_one(corpus_copy, built_corpus):
    summary, _ = _build(corpus_copy, processes=2)
    assert summary.parsed == 2
    for name, load in LOADERS.items():
        pd.testing.assert_frame_equal(load(corpus_copy), load(built_corpus), obj=name)


@pytest.mark.model
def test_dask_local_cluster_gives_tables_identical_to_single_process(corpus_copy, built_corpus):
    pytest.importorskip("distributed")
    summary, _ = _build(corpus_copy, dask="local")
    assert (summary.parsed, summary.cached) == (2, 0)
    for name in LOADERS:
        for doc_id in tc.load_corpus(corpus_copy).ids:
            rel = Path("derived") / "tables" / name / f"{doc_id}.parquet"
            assert (corpus_copy / rel).read_bytes() == (built_corpus / rel).read_bytes(), rel
    for name, load in LOADERS.items():
        pd.testing.assert_frame_equal(load(corpus_copy), load(built_corpus), obj=name)


@pytest.mark.model
def test_fast_docbin_bytes_equal_spacys_docbin(built_corpus):
    from textcompare.parsing.serialize import docbin_bytes, docbin_bytes_reference

    for _, doc in tc.load_docs(built_corpus):
        assert docbin_bytes(doc) == docbin_bytes_reference(doc)


@pytest.mark.parametrize("body, n_tokens, n_sentences", [("", 0, 0), ("   ", 1, 1)])
def test_empty_or_blank_body_gives_valid_tables(body, n_tokens, n_sentences):
    import spacy

    from textcompare.parsing.serialize import serialize_parse

    doc = spacy.blank("en")(body)
    tables = tc.extract_tables(doc, "blank")
    assert (len(tables["tokens"]), len(tables["sentences"])) == (n_tokens, n_sentences)
    assert list(tables["entities"].columns) == ENTITY_COLUMNS
    assert len(serialize_parse(doc, "blank")) == 5


@pytest.mark.model
def test_changed_cleaning_code_recleans_but_keeps_an_unchanged_parse(built_corpus, tmp_path, monkeypatch):
    corpus = _copy(built_corpus, tmp_path)
    keys = sorted((corpus / "derived" / "keys").glob("*.json"))
    for key_file in keys:
        key = json.loads(key_file.read_text(encoding="utf-8"))
        key["cleaner"] = "an older cleaner"
        key_file.write_text(json.dumps(key), encoding="utf-8")
    calls = _ModelCalls(monkeypatch)
    summary, warned = _build(corpus)
    assert (summary.parsed, summary.cached, calls.docs) == (0, 2, 0) and warned == []
    assert all(json.loads(k.read_text(encoding="utf-8"))["cleaner"] != "an older cleaner" for k in keys)


def test_pipe_batches_are_bounded_by_characters_and_keep_order(nlp):
    from textcompare.parsing.build import _pipe_bounded

    calls: list[int] = []
    real_pipe = nlp.pipe

    class Recorder:  # the real pipeline, with the size of every pipe call recorded
        max_length = nlp.max_length

        def make_doc(self, text):
            return nlp.make_doc(text)

        def pipe(self, docs, **kwargs):
            docs = list(docs)
            calls.append(sum(len(doc.text) for doc, _ in docs))
            return real_pipe(docs, **kwargs)

    texts = [("Iran and the United States traded threats. " * n).strip() for n in (3, 40, 1, 25, 60, 2)]
    out = list(_pipe_bounded(Recorder(), [(t, k) for k, t in enumerate(texts)], max_docs=4, max_chars=1500))
    assert [k for _, k in out] == list(range(len(texts)))
    assert [doc.text for doc, _ in out] == texts and all(doc.has_annotation("DEP") for doc, _ in out)
    # every call stays within the budget unless it holds one text that is longer by itself
    assert all(size <= 1500 or size in {len(t) for t in texts} for size in calls)
    assert sum(calls) == sum(len(t) for t in texts) and len(calls) >= 3


def test_sentence_bounds_equal_doc_sents(nlp):
    from textcompare.parsing.tables import _sentence_bounds

    for text in ["", "One sentence", "Iran struck back. The US did not respond! Why?\n\nA new paragraph here.",
                 "\n\nLeading blank lines. Then text."]:
        doc = nlp(text)
        assert _sentence_bounds(doc) == [(s.start, s.end) for s in doc.sents]
