"""Sentence alignment across documents: where two texts make the same point and where they part.

Sentences are compared with TF-IDF cosine similarity (scikit-learn ``TfidfVectorizer`` over
lower-cased lemmas of content words, IDF fitted on all sentences of the corpus, English stop
words removed). A pair of sentences from *different* documents with cosine >= ``threshold`` is a
shared point (e.g. both invoke the 1953 coup or the 1988 airliner); a sentence whose best match
in every other document is below the threshold is where its text parts ways. Lexical overlap is
not paraphrase: agreement in wording, not necessarily in claim.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ._docs import is_corpus_like, iter_docs, resolve_groups, sentences_of

ALIGN_COLUMNS = [
    "group", "doc_id", "sent_id", "sentence", "other_group", "other_doc_id", "other_sent_id",
    "other_sentence", "similarity", "shared_terms", "aligned",
]


def align_sentences(corpus: Any = None, *, by: str = "outlet", groups: Mapping[str, str] | pd.Series | None = None,
                    threshold: float = 0.2, top: int = 1) -> pd.DataFrame:
    """For every sentence, its most similar sentence(s) in each other document.

    Parameters
    ----------
    threshold : float
        Cosine at or above which a pair counts as ``aligned`` (a shared point).
    top : int
        How many best matches per sentence and other document.

    Returns
    -------
    DataFrame with columns group, doc_id, sent_id, sentence, other_group, other_doc_id,
    other_sent_id, other_sentence, similarity (TF-IDF cosine), shared_terms (lemmas present in
    both, by weight), aligned (similarity >= threshold); sorted by similarity descending, then
    doc_id, sent_id.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    docs = corpus if is_corpus_like(corpus) else list(iter_docs(corpus))  # a generator is read once
    units = []
    for doc_id, doc in iter_docs(docs):  # one Doc at a time: only the sentence units are kept
        for k, sent in enumerate(sentences_of(doc)):
            lemmas = [t.lemma_.lower() for t in sent if t.is_alpha and not t.is_stop]
            units.append({"doc_id": doc_id, "sent_id": k, "sentence": sent.text.strip(), "lemmas": " ".join(lemmas)})
    table = pd.DataFrame(units)
    if table.empty or table["doc_id"].nunique() < 2:
        return pd.DataFrame(columns=ALIGN_COLUMNS)
    labels = resolve_groups(docs, table["doc_id"], by=by, groups=groups)
    vectorizer = TfidfVectorizer(token_pattern=r"\S+", stop_words="english", lowercase=False)
    matrix = vectorizer.fit_transform(table["lemmas"])
    vocab = np.array(vectorizer.get_feature_names_out())
    sims = cosine_similarity(matrix)
    doc_ids = table["doc_id"].to_numpy()
    rows = []
    for i in range(len(table)):
        for other in sorted(set(doc_ids) - {doc_ids[i]}):
            candidates = np.flatnonzero(doc_ids == other)
            order = candidates[np.lexsort((candidates, -sims[i, candidates]))][:top]
            for j in order:
                both = matrix[i].multiply(matrix[j]).toarray().ravel()
                terms = vocab[np.argsort(-both, kind="stable")][: int((both > 0).sum())][:5]
                rows.append({
                    "group": labels[doc_ids[i]], "doc_id": doc_ids[i], "sent_id": int(table.at[i, "sent_id"]),
                    "sentence": table.at[i, "sentence"], "other_group": labels[other], "other_doc_id": other,
                    "other_sent_id": int(table.at[j, "sent_id"]), "other_sentence": table.at[j, "sentence"],
                    "similarity": float(sims[i, j]), "shared_terms": ";".join(terms),
                    "aligned": bool(sims[i, j] >= threshold),
                })
    out = pd.DataFrame(rows, columns=ALIGN_COLUMNS)
    return out.sort_values(["similarity", "doc_id", "sent_id"], ascending=[False, True, True], kind="stable").reset_index(drop=True)
