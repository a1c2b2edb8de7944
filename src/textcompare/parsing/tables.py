"""Per-document long tables from a parsed doc: tokens, sentences, noun chunks, entities.

Every character offset indexes into the cleaned body the doc was parsed from
(``body[start_char:end_char] == text``); token indices (``i``, ``start``, ``end``) index into
the doc. ``sent_id`` and ``paragraph_id`` count from 0 within each document; paragraphs are the
cleaned body's blank-line-separated blocks (:func:`paragraph_spans`).
"""
from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

if TYPE_CHECKING:
    import pandas as pd
    from spacy.tokens import Doc

TABLE_NAMES: tuple[str, ...] = ("tokens", "sentences", "noun_chunks", "entities")

# Bumped whenever a table's columns or their meaning change: cached tables are then rebuilt.
TABLES_VERSION = 1

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
# Leading tokens dropped from a noun chunk's lemma: determiners and possessive determiners.
_DROPPED_LEADING_TAGS = frozenset({"DT", "PDT", "PRP$", "WP$", "WDT"})
_IOB = ("", "I", "O", "B")  # spaCy's ENT_IOB codes 0..3

SCHEMAS: dict[str, pa.Schema] = {
    "tokens": pa.schema([
        ("doc_id", pa.string()), ("sent_id", pa.int64()), ("paragraph_id", pa.int64()), ("i", pa.int64()),
        ("text", pa.string()), ("lower", pa.string()), ("lemma", pa.string()), ("pos", pa.string()),
        ("tag", pa.string()), ("dep", pa.string()), ("head", pa.int64()), ("ent_type", pa.string()),
        ("ent_iob", pa.string()), ("is_stop", pa.bool_()), ("is_punct", pa.bool_()), ("is_space", pa.bool_()),
        ("is_alpha", pa.bool_()), ("like_num", pa.bool_()), ("start_char", pa.int64()), ("end_char", pa.int64()),
    ]),
    "sentences": pa.schema([
        ("doc_id", pa.string()), ("sent_id", pa.int64()), ("paragraph_id", pa.int64()), ("start", pa.int64()),
        ("end", pa.int64()), ("start_char", pa.int64()), ("end_char", pa.int64()), ("n_words", pa.int64()),
        ("text", pa.string()),
    ]),
    "noun_chunks": pa.schema([
        ("doc_id", pa.string()), ("sent_id", pa.int64()), ("start", pa.int64()), ("end", pa.int64()),
        ("start_char", pa.int64()), ("end_char", pa.int64()), ("text", pa.string()), ("lemma", pa.string()),
        ("root_lemma", pa.string()),
    ]),
    "entities": pa.schema([
        ("doc_id", pa.string()), ("sent_id", pa.int64()), ("start", pa.int64()), ("end", pa.int64()),
        ("start_char", pa.int64()), ("end_char", pa.int64()), ("text", pa.string()), ("label", pa.string()),
    ]),
}


def paragraph_spans(body: str) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the blank-line-separated paragraphs of ``body``.

    Each span excludes the separating whitespace; ``body[start:end]`` is the paragraph text.

    Examples
    --------
    >>> paragraph_spans("One.\\n\\nTwo.")
    [(0, 4), (6, 10)]
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for match in _PARAGRAPH_BREAK.finditer(body):
        if body[pos:match.start()].strip():
            spans.append((pos, match.start()))
        pos = match.end()
    if body[pos:].strip():
        spans.append((pos, len(body.rstrip())))
    return spans


def mark_paragraph_breaks(doc: "Doc", body: str | None = None) -> "Doc":
    """Make every paragraph start a sentence start (before parsing), so no sentence spans two paragraphs.

    The parser respects sentence starts set before it runs; the other tokens are left unset.
    """
    starts = [start for start, _ in paragraph_spans(doc.text if body is None else body)][1:]
    if not starts:
        return doc
    idx = [token.idx for token in doc]
    for start in starts:
        i = bisect.bisect_left(idx, start)
        if 0 < i < len(doc):
            doc[i].is_sent_start = True
    return doc


def _paragraph_ids(char_starts: np.ndarray, body: str) -> np.ndarray:
    """Paragraph index of each character offset (whitespace between paragraphs goes to the one before)."""
    starts = np.array([start for start, _ in paragraph_spans(body)] or [0], dtype=np.int64)
    return np.maximum(np.searchsorted(starts, char_starts, side="right") - 1, 0)


def _token_arrays(doc: "Doc", doc_id: str, body: str) -> tuple[dict, np.ndarray]:
    from spacy.attrs import (DEP, ENT_IOB, ENT_TYPE, HEAD, IDX, IS_ALPHA, IS_PUNCT, IS_SPACE, IS_STOP,
                             LEMMA, LIKE_NUM, LOWER, ORTH, POS, TAG)
    from spacy.parts_of_speech import NAMES as POS_NAMES

    n = len(doc)
    arr = doc.to_array([ORTH, LOWER, LEMMA, TAG, DEP, ENT_TYPE, POS, ENT_IOB, HEAD, IDX,
                        IS_STOP, IS_PUNCT, IS_SPACE, IS_ALPHA, LIKE_NUM]).reshape(n, 15)
    strings = doc.vocab.strings
    lookup: dict[int, str] = {0: ""}

    def names(column: np.ndarray) -> list[str]:
        out = []
        for h in column.tolist():
            s = lookup.get(h)
            if s is None:
                s = lookup[h] = strings[h]
            out.append(s)
        return out

    text = names(arr[:, 0])
    idx = arr[:, 9].astype(np.int64)
    ends = idx + np.fromiter((len(t) for t in text), dtype=np.int64, count=n)
    sent_id = np.zeros(n, dtype=np.int64)
    for k, sent in enumerate(doc.sents):
        sent_id[sent.start:sent.end] = k
    positions = np.arange(n, dtype=np.int64)
    columns = {
        "doc_id": pa.array([doc_id] * n, pa.string()),
        "sent_id": sent_id,
        "paragraph_id": _paragraph_ids(idx, body),
        "i": positions,
        "text": text,
        "lower": names(arr[:, 1]),
        "lemma": names(arr[:, 2]),
        "pos": [POS_NAMES.get(p, "") for p in arr[:, 6].tolist()],
        "tag": names(arr[:, 3]),
        "dep": names(arr[:, 4]),
        "head": positions + arr[:, 8].astype(np.int64),
        "ent_type": names(arr[:, 5]),
        "ent_iob": [_IOB[v] for v in arr[:, 7].tolist()],
        "is_stop": arr[:, 10].astype(bool),
        "is_punct": arr[:, 11].astype(bool),
        "is_space": arr[:, 12].astype(bool),
        "is_alpha": arr[:, 13].astype(bool),
        "like_num": arr[:, 14].astype(bool),
        "start_char": idx,
        "end_char": ends,
    }
    return columns, sent_id


def _stripped(text: str, start_char: int) -> tuple[str, int, int]:
    lead = len(text) - len(text.lstrip())
    core = text.strip()
    return core, start_char + lead, start_char + lead + len(core)


def extract_arrow_tables(doc: "Doc", doc_id: str, body: str | None = None) -> dict[str, pa.Table]:
    """Like :func:`extract_tables`, as pyarrow Tables (what the cache writes)."""
    body = doc.text if body is None else body
    if body != doc.text:
        raise ValueError(f"{doc_id}: the doc's text differs from the cleaned body it should index into")
    tok, sent_id = _token_arrays(doc, doc_id, body)
    word = ~(tok["is_punct"] | tok["is_space"])
    para_of_token = tok["paragraph_id"]

    sents: dict[str, list] = {name: [] for name in SCHEMAS["sentences"].names}
    for k, sent in enumerate(doc.sents):
        text, start_char, end_char = _stripped(sent.text, sent.start_char)
        first_word = next((t.i for t in sent if not t.is_space), sent.start)
        sents["doc_id"].append(doc_id)
        sents["sent_id"].append(k)
        sents["paragraph_id"].append(int(para_of_token[first_word]) if len(doc) else 0)
        sents["start"].append(sent.start)
        sents["end"].append(sent.end)
        sents["start_char"].append(start_char)
        sents["end_char"].append(end_char)
        sents["n_words"].append(int(word[sent.start:sent.end].sum()))
        sents["text"].append(text)

    chunks: dict[str, list] = {name: [] for name in SCHEMAS["noun_chunks"].names}
    for chunk in doc.noun_chunks:
        kept = list(chunk)
        while len(kept) > 1 and kept[0].tag_ in _DROPPED_LEADING_TAGS:
            kept.pop(0)
        chunks["doc_id"].append(doc_id)
        chunks["sent_id"].append(int(sent_id[chunk.start]))
        chunks["start"].append(chunk.start)
        chunks["end"].append(chunk.end)
        chunks["start_char"].append(chunk.start_char)
        chunks["end_char"].append(chunk.end_char)
        chunks["text"].append(chunk.text)
        chunks["lemma"].append(" ".join(t.lemma_.lower() for t in kept if not (t.is_punct or t.is_space)))
        chunks["root_lemma"].append(chunk.root.lemma_.lower())

    ents: dict[str, list] = {name: [] for name in SCHEMAS["entities"].names}
    for ent in doc.ents:
        ents["doc_id"].append(doc_id)
        ents["sent_id"].append(int(sent_id[ent.start]))
        ents["start"].append(ent.start)
        ents["end"].append(ent.end)
        ents["start_char"].append(ent.start_char)
        ents["end_char"].append(ent.end_char)
        ents["text"].append(ent.text)
        ents["label"].append(ent.label_)

    data = {"tokens": tok, "sentences": sents, "noun_chunks": chunks, "entities": ents}
    return {name: pa.table(data[name], schema=SCHEMAS[name]) for name in TABLE_NAMES}


def extract_tables(doc: "Doc", doc_id: str, body: str | None = None) -> dict[str, "pd.DataFrame"]:
    """The four long tables of one parsed doc: ``{"tokens", "sentences", "noun_chunks", "entities"}``.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        A doc parsed by the full pipeline (tagger, parser, NER).
    doc_id : str
        The manifest id, written to every row's ``doc_id``.
    body : str, optional
        The cleaned body the doc was parsed from (defaults to ``doc.text``; must equal it).

    Returns
    -------
    dict of str to pandas.DataFrame
        Columns as documented in the project contract; offsets index into ``body``.
    """
    return {name: table.to_pandas() for name, table in extract_arrow_tables(doc, doc_id, body).items()}
