"""Key terms of one document: TF-IDF, TextRank and noun-phrase frequency.

All three methods share one notion of a **term**: a lower-cased lemma (one word), or a
**noun phrase**: a run of adjectives, nouns and proper nouns inside a spaCy noun chunk, with
words joined by a hyphen kept together ("anti-american sentiment"), punctuation splitting runs
(so "his so-called “maximum pressure” policy" gives "maximum pressure" and "policy"), stop words
trimmed from the edges, and leading proper names dropped from a phrase that also has common
words ("U.S. regional policy" → "regional policy"; names are the actors module's business).

- ``tfidf``: score = count in the document × idf, with scikit-learn's smoothed
  idf = ln((1+n)/(1+df)) + 1 where the n "documents" are the **paragraphs of the corpus**
  (plus those of an optional background corpus): with a handful of articles, article-level idf
  would take only two or three values. Features are non-stop lemmas plus multiword noun phrases.
- ``textrank``: pytextrank's TextRank (Mihalcea & Tarau 2004: PageRank over a lemma
  co-occurrence graph of ADJ/NOUN/PROPN/VERB within 3 tokens, d = 0.85), run on the cached doc;
  its noun-chunk and entity phrases are normalised as above and merged (best rank kept).
- ``noun_phrases``: how often each normalised noun phrase occurs (score = count).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .errors import InputError
from .words import word_mask

if TYPE_CHECKING:
    from spacy.tokens import Doc

METHODS = ("tfidf", "textrank", "noun_phrases")
TERM_COLUMNS = ["doc_id", "term", "method", "score", "count", "rank", "basis"]
PHRASE_COLUMNS = ["doc_id", "paragraph_id", "sent_id", "start", "end", "term"]
_CONTENT_POS = frozenset({"ADJ", "NOUN", "PROPN"})
_HYPHENS = frozenset({"-", "‐", "‑"})


def _normalise_run(words: list[tuple[str, str, bool]]) -> str:
    """Join (lemma, pos, is_stop) words of one run into a term, trimming stop words and names."""
    while words and words[0][2]:
        words = words[1:]
    while words and words[-1][2]:
        words = words[:-1]
    if any(pos == "PROPN" for _, pos, _ in words) and any(pos != "PROPN" for _, pos, _ in words):
        while words and words[0][1] == "PROPN":
            words = words[1:]
    return " ".join(lemma for lemma, _, _ in words)


def _runs(rows: Sequence[dict[str, Any]]) -> list[tuple[int, int, str]]:
    """Content-word runs (start, end, term) in the tokens of one noun chunk.

    ``rows`` carry i, text, lemma, pos, is_stop, is_punct, start_char, end_char. A hyphen with no
    space on either side glues its neighbours into one word whose POS is that of its last part.
    """
    words: list[dict[str, Any]] = []  # merged words: lemma, pos, is_stop, start, end
    k = 0
    while k < len(rows):
        row = rows[k]
        if row["text"] in _HYPHENS and words and k + 1 < len(rows) and words[-1]["end_char"] == row["start_char"] \
                and rows[k + 1]["start_char"] == row["end_char"] and words[-1]["end"] == row["i"]:
            nxt = rows[k + 1]
            words[-1].update(lemma=words[-1]["lemma"] + "-" + nxt["lemma"], pos=nxt["pos"], is_stop=False,
                             end=nxt["i"] + 1, end_char=nxt["end_char"],
                             content=nxt["pos"] in _CONTENT_POS and not nxt["is_punct"])
            k += 2
            continue
        words.append({"lemma": row["lemma"], "pos": row["pos"], "is_stop": bool(row["is_stop"]),
                      "start": row["i"], "end": row["i"] + 1, "end_char": row["end_char"],
                      "content": row["pos"] in _CONTENT_POS and not row["is_punct"]})
        k += 1
    runs, current = [], []
    for word in words + [{"content": False}]:
        if word["content"]:
            current.append(word)
            continue
        if current:
            term = _normalise_run([(w["lemma"], w["pos"], w["is_stop"]) for w in current])
            if term:
                runs.append((current[0]["start"], current[-1]["end"], term))
        current = []
    return runs


def _lemma_table(tokens: pd.DataFrame) -> pd.DataFrame:
    t = tokens.copy()
    t["lemma"] = t["lemma"].astype(str).str.lower().str.replace("’", "'", regex=False)
    t["text"] = t["text"].astype(str)
    return t


def extract_noun_phrases(tokens: pd.DataFrame, noun_chunks: pd.DataFrame, *, min_words: int = 1) -> pd.DataFrame:
    """Normalised noun phrases (see the module docstring), one row per occurrence.

    Parameters
    ----------
    tokens, noun_chunks : DataFrame
        ``load_tokens`` and ``load_noun_chunks`` tables (any subset of documents).
    min_words : int
        Keep phrases of at least this many words (2 = multiword terms only).

    Returns
    -------
    DataFrame with columns doc_id, paragraph_id, sent_id, start, end (token indices), term.
    """
    t = _lemma_table(tokens)
    rows_by_doc = {doc_id: part.set_index("i", drop=False) for doc_id, part in t.groupby("doc_id", sort=False)}
    out = []
    for chunk in noun_chunks.itertuples(index=False):
        doc_tokens = rows_by_doc.get(chunk.doc_id)
        if doc_tokens is None:
            continue
        rows = doc_tokens.loc[chunk.start:chunk.end - 1].to_dict("records")
        for start, end, term in _runs(rows):
            if len(term.split()) >= min_words:
                out.append({"doc_id": chunk.doc_id, "paragraph_id": int(doc_tokens.at[start, "paragraph_id"]),
                            "sent_id": int(chunk.sent_id), "start": start, "end": end, "term": term})
    table = pd.DataFrame(out, columns=PHRASE_COLUMNS)
    return table.sort_values(["doc_id", "start"], kind="stable").reset_index(drop=True)


def _identity(terms: list[str]) -> list[str]:
    return terms


def _paragraph_features(tokens: pd.DataFrame, phrases: pd.DataFrame) -> pd.Series:
    """(doc_id, paragraph_id) -> list of features: non-stop content lemmas + multiword phrases."""
    t = _lemma_table(tokens)
    keep = (word_mask(t) & ~(t["is_stop"].astype(bool) | t["like_num"].astype(bool))
            & t["lemma"].str.contains(r"[^\W\d_]", regex=True))
    words = t[keep].groupby(["doc_id", "paragraph_id"])["lemma"].agg(list)
    multi = phrases[phrases["term"].str.contains(" ")].groupby(["doc_id", "paragraph_id"])["term"].agg(list)
    return words.combine(multi, lambda a, b: (a if isinstance(a, list) else []) + (b if isinstance(b, list) else []),
                         fill_value=[]).sort_index()


def score_tfidf_terms(
    tokens: pd.DataFrame,
    noun_chunks: pd.DataFrame,
    doc_id: str,
    *,
    top: int = 20,
    background: Iterable[list[str]] | None = None,
) -> pd.DataFrame:
    """TF-IDF key terms of ``doc_id`` with idf over the paragraphs of ``tokens`` (see module docstring).

    ``background``: extra IDF "documents", each a list of terms (e.g. paragraphs of a reference
    corpus passed through the same normalisation); they only change df and n.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    phrases = extract_noun_phrases(tokens, noun_chunks)
    features = _paragraph_features(tokens, phrases)
    idf_docs = list(features.values) + [list(b) for b in (background or [])]
    vectorizer = TfidfVectorizer(analyzer=_identity, lowercase=False, norm=None, smooth_idf=True)
    vectorizer.fit(idf_docs)
    mine = [term for (d, _), terms in features.items() if d == doc_id for term in terms]
    counts = pd.Series(mine, dtype=str).value_counts()
    vocab = vectorizer.vocabulary_
    idf = np.array([vectorizer.idf_[vocab[term]] for term in counts.index])
    basis = f"count x idf over {len(idf_docs)} paragraphs" + (" (with background)" if background else " of the corpus")
    table = pd.DataFrame({"term": counts.index, "count": counts.to_numpy(), "score": counts.to_numpy() * idf})
    return _finish(table, doc_id, "tfidf", basis, top)


def stream_tfidf_terms(corpus: Any, doc_id: str, *, top: int = 20) -> pd.DataFrame:
    """:func:`score_tfidf_terms` of ``doc_id`` over the whole corpus, one stored document at a time.

    Only the paragraph document frequencies (one count per distinct term) and the target
    document's features are kept, so memory grows with the vocabulary, not the corpus. The idf
    is scikit-learn's smoothed formula (``TfidfTransformer.fit``: ln((1+n)/(1+df)) + 1, same
    floating-point operations), computed here because scikit-learn needs every paragraph at once.
    """
    from collections import Counter

    from .parsing import iter_tables

    df: Counter[str] = Counter()
    n = 0
    mine: list[str] = []
    chunk_tables = iter_tables(corpus, "noun_chunks")
    for current, tokens in iter_tables(corpus, "tokens"):
        chunk_id, chunks = next(chunk_tables)
        if chunk_id != current:
            raise RuntimeError(f"token and noun-chunk tables out of step: {current} vs {chunk_id}")
        features = _paragraph_features(tokens, extract_noun_phrases(tokens, chunks))
        for terms in features.values:
            df.update(set(terms))
        n += len(features)
        if current == doc_id:
            mine = [term for terms in features.values for term in terms]
    counts = pd.Series(mine, dtype=str).value_counts()
    frequency = np.array([df[term] for term in counts.index], dtype=np.float64) + 1.0
    idf = np.full_like(frequency, fill_value=n + 1, dtype=np.float64)
    idf /= frequency
    np.log(idf, out=idf)
    idf += 1.0
    basis = f"count x idf over {n} paragraphs of the corpus"
    table = pd.DataFrame({"term": counts.index, "count": counts.to_numpy(), "score": counts.to_numpy() * idf})
    return _finish(table, doc_id, "tfidf", basis, top)


def _finish(table: pd.DataFrame, doc_id: str, method: str, basis: str, top: int) -> pd.DataFrame:
    table = table.sort_values(["score", "count", "term"], ascending=[False, False, True], kind="stable").head(top)
    table = table.assign(doc_id=doc_id, method=method, basis=basis, rank=np.arange(1, len(table) + 1))
    return table[TERM_COLUMNS].reset_index(drop=True).astype({"count": "int64", "score": float})


def _span_runs(span) -> list[tuple[int, int, str]]:
    rows = [{"i": t.i, "text": t.text, "lemma": t.lemma_.lower().replace("’", "'"), "pos": t.pos_, "is_stop": t.is_stop,
             "is_punct": t.is_punct, "start_char": t.idx, "end_char": t.idx + len(t.text)} for t in span]
    return _runs(rows)


def score_textrank_terms(doc: "Doc", doc_id: str = "", *, top: int = 20) -> pd.DataFrame:
    """TextRank key phrases of one parsed doc with pytextrank (no pipeline change, no global state
    beyond what pytextrank itself keeps). Phrases normalising to the same term are merged:
    score = highest rank of a phrase containing the term, count = distinct occurrences."""
    import contextlib
    import io
    from collections import defaultdict

    with contextlib.redirect_stdout(io.StringIO()):  # pytextrank prints its install path on import
        from pytextrank.base import BaseTextRank, BaseTextRankFactory
        from pytextrank.util import default_scrubber

    ranker = BaseTextRank(doc, edge_weight=BaseTextRankFactory._EDGE_WEIGHT, pos_kept=list(BaseTextRankFactory._POS_KEPT),
                          token_lookback=BaseTextRankFactory._TOKEN_LOOKBACK, scrubber=default_scrubber,
                          stopwords=defaultdict(list))
    best: dict[str, float] = {}
    seen: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for phrase in ranker.calc_textrank():
        for chunk in phrase.chunks:
            for start, end, term in _span_runs(chunk):
                best[term] = max(best.get(term, 0.0), float(phrase.rank))
                seen[term].add((start, end))  # a noun chunk and an entity over the same words count once
    table = pd.DataFrame([(t, s, len(seen[t])) for t, s in best.items()], columns=["term", "score", "count"])
    return _finish(table, doc_id, "textrank", "pytextrank rank (PageRank over lemma co-occurrence)", top)


def score_noun_phrase_terms(tokens: pd.DataFrame, noun_chunks: pd.DataFrame, doc_id: str, *, top: int = 20) -> pd.DataFrame:
    """Most frequent normalised noun phrases of ``doc_id`` (score = count)."""
    phrases = extract_noun_phrases(tokens[tokens["doc_id"] == doc_id], noun_chunks[noun_chunks["doc_id"] == doc_id])
    counts = phrases["term"].value_counts()
    table = pd.DataFrame({"term": counts.index, "count": counts.to_numpy(), "score": counts.to_numpy().astype(float)})
    return _finish(table, doc_id, "noun_phrases", "occurrences of the normalised noun phrase", top)


def extract_key_terms(corpus: Any = None, doc_id: str | None = None, *, method: str = "tfidf", top: int = 20) -> pd.DataFrame:
    """Key terms of one document of the corpus, or of every document when ``doc_id`` is None.

    Parameters
    ----------
    corpus : Corpus, path or None
    doc_id : str or None
        A manifest id; None gives every document's terms, one block per document in id order.
    method : {"tfidf", "textrank", "noun_phrases"}
    top : int
        Number of terms returned.

    Returns
    -------
    DataFrame with columns doc_id, term, method, score, count, rank (1 = best), basis (what the
    score is: e.g. the number of paragraphs the idf was computed over).

    Examples
    --------
    >>> extract_key_terms("corpus", "004_e6e3561ab3eac563", method="noun_phrases", top=10)  # doctest: +SKIP
    """
    from .corpus import load_corpus

    if method not in METHODS:
        raise InputError(f"unknown method {method!r}", fix="use one of: " + ", ".join(METHODS))
    corpus = load_corpus(corpus)
    if doc_id is None:
        parts = [extract_key_terms(corpus, one, method=method, top=top) for one in corpus.ids]
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=TERM_COLUMNS)
    if doc_id not in corpus.ids:
        raise InputError(f"unknown document id {doc_id!r}", fix="valid ids: " + ", ".join(corpus.ids))
    from .parsing import load_docs, load_noun_chunks, load_tokens

    if method == "textrank":
        (_, doc), = list(load_docs(corpus, ids=[doc_id]))
        return score_textrank_terms(doc, doc_id, top=top)
    if method == "tfidf":
        return stream_tfidf_terms(corpus, doc_id, top=top)
    tokens, chunks = load_tokens(corpus, ids=[doc_id]), load_noun_chunks(corpus, ids=[doc_id])
    return score_noun_phrase_terms(tokens, chunks, doc_id, top=top)
