"""Shared plumbing: where the docs come from, sentence units and groups.

Every corpus-level function of :mod:`textcompare.framing` accepts either a corpus (a
:class:`~textcompare.corpus.Corpus`, a directory or None: the parsed docs come from
:func:`~textcompare.parsing.load_docs`) or docs already in memory (a mapping or an iterable of
``(doc_id, Doc)`` pairs), so the pure per-doc functions can be tested on hand-made docs.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import InputError
from ..words import is_word

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

SENTENCE_COLUMNS = ["doc_id", "sent_id", "n_words", "sentence"]


def is_corpus_like(corpus: Any) -> bool:
    """A Corpus, a directory path or None (as opposed to docs in memory)."""
    return corpus is None or isinstance(corpus, (str, os.PathLike)) or hasattr(corpus, "manifest")


def iter_docs(corpus: Any) -> Iterator[tuple[str, "Doc"]]:
    """``(doc_id, Doc)`` pairs from a corpus (parsed on demand) or from docs in memory."""
    if is_corpus_like(corpus):
        from ..parsing import load_docs

        yield from load_docs(corpus)
        return
    items: Iterable[Any] = corpus.items() if isinstance(corpus, Mapping) else corpus
    for item in items:
        if not (isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str)):
            raise InputError("expected a corpus directory or (doc_id, Doc) pairs",
                             fix="pass tc.load_corpus(...) or a dict {doc_id: Doc}")
        yield item


def sentences_of(doc: "Doc") -> list["Span"]:
    """The doc's sentences; a doc without sentence boundaries is one sentence."""
    if not len(doc):
        return []
    return list(doc.sents) if doc.has_annotation("SENT_START") or doc.has_annotation("DEP") else [doc[:]]


def sentence_index(doc: "Doc") -> list[int]:
    """Sentence number of every token."""
    index = [0] * len(doc)
    for k, sent in enumerate(sentences_of(doc)):
        for i in range(sent.start, sent.end):
            index[i] = k
    return index


def count_words(span: "Span") -> int:
    """Tokens that are neither punctuation nor space (the project's definition of words)."""
    return sum(1 for t in span if is_word(t))


def sentence_table(docs: Iterable[tuple[str, "Doc"]]) -> pd.DataFrame:
    """One row per sentence: doc_id, sent_id, n_words, sentence (text, stripped)."""
    rows = [
        {"doc_id": doc_id, "sent_id": k, "n_words": count_words(sent), "sentence": sent.text.strip()}
        for doc_id, doc in docs for k, sent in enumerate(sentences_of(doc))
    ]
    return pd.DataFrame(rows, columns=SENTENCE_COLUMNS).astype({"sent_id": "int64", "n_words": "int64"})


def resolve_groups(corpus: Any, doc_ids: Iterable[str], *, by: str = "outlet",
                   groups: Mapping[str, str] | pd.Series | None = None) -> pd.Series:
    """Group label per doc_id: ``groups`` if given, else the manifest column ``by`` of the corpus,
    else (docs in memory) each doc is its own group."""
    doc_ids = list(dict.fromkeys(doc_ids))
    if groups is not None:
        series = pd.Series(groups, dtype=object)
    elif is_corpus_like(corpus):
        from ..corpus import document_groups

        series = document_groups(corpus, by=by)
    else:
        series = pd.Series({d: d for d in doc_ids}, dtype=object)
    missing = [d for d in doc_ids if d not in series.index]
    if missing:
        raise InputError(f"no group for document(s) {', '.join(missing)}", fix="give every doc_id a group label")
    out = series.loc[doc_ids].astype(str)
    out.index.name = "doc_id"
    out.name = "group"
    return out
