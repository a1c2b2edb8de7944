"""Per-document long tables from a parsed doc: tokens, sentences, noun chunks, entities.

Every character offset indexes into the cleaned body the doc was parsed from
(``body[start_char:end_char] == text``); token indices (``i``, ``start``, ``end``) index into
the doc. ``sent_id`` and ``paragraph_id`` count from 0 within each document; paragraphs are the
cleaned body's blank-line-separated blocks (:func:`paragraph_spans`).
"""
from __future__ import annotations

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
    from spacy.attrs import IDX

    starts = [start for start, _ in paragraph_spans(doc.text if body is None else body)][1:]
    if not starts or len(doc) == 0:
        return doc
    positions = np.searchsorted(doc.to_array(IDX).astype(np.int64), np.array(starts, dtype=np.int64), side="left")
    for i in positions.tolist():
        if 0 < i < len(doc):
            doc[i].is_sent_start = True
    return doc


def _paragraph_ids(char_starts: np.ndarray, body: str) -> np.ndarray:
    """Paragraph index of each character offset (whitespace between paragraphs goes to the one before)."""
    starts = np.array([start for start, _ in paragraph_spans(body)] or [0], dtype=np.int64)
    return np.maximum(np.searchsorted(starts, char_starts, side="right") - 1, 0)


# hash -> string: spaCy's string hashes are a fixed function of the string, so this is valid for any vocab.
_STRINGS: dict[int, str] = {0: ""}


def _lookup_strings(doc: "Doc", hashes: np.ndarray) -> np.ndarray:
    """Object array of the strings behind an array of spaCy string hashes (looked up once per distinct hash)."""
    unique, inverse = np.unique(hashes, return_inverse=True)
    if len(_STRINGS) > 1_000_000:
        _STRINGS.clear()
        _STRINGS[0] = ""
    store = doc.vocab.strings
    names = np.empty(len(unique), dtype=object)
    for k, h in enumerate(unique.tolist()):
        value = _STRINGS.get(h)
        if value is None:
            value = _STRINGS[h] = store[h]
        names[k] = value
    return names[inverse.reshape(hashes.shape)]


_TOKEN_ATTRS = ("ORTH", "LOWER", "LEMMA", "TAG", "DEP", "ENT_TYPE", "POS", "ENT_IOB", "HEAD", "IDX",
                "IS_STOP", "IS_PUNCT", "IS_SPACE", "IS_ALPHA", "LIKE_NUM")


def _sentence_bounds(doc: "Doc") -> list[tuple[int, int]]:
    """``[(sent.start, sent.end) for sent in doc.sents]`` from one array: a sentence starts at token
    0 and wherever SENT_START is 1 (the rule of ``Doc.sents``), without making a Span per sentence."""
    if "sents" in doc.user_hooks or not doc.has_annotation("SENT_START") or not len(doc):
        return [(sent.start, sent.end) for sent in doc.sents]
    starts = np.flatnonzero(doc.to_array("SENT_START") == 1)
    starts = np.concatenate([[0], starts[starts > 0]]).astype(np.int64)
    ends = np.concatenate([starts[1:], [len(doc)]])
    return list(zip(starts.tolist(), ends.tolist()))


def _token_arrays(doc: "Doc", doc_id: str, body: str) -> dict:
    from spacy.parts_of_speech import NAMES as POS_NAMES

    n = len(doc)
    arr = doc.to_array(list(_TOKEN_ATTRS)).reshape(n, len(_TOKEN_ATTRS))
    strings = _lookup_strings(doc, arr[:, 0:6])
    text = strings[:, 0]
    idx = arr[:, 9].astype(np.int64)
    lengths = np.fromiter(map(len, text), dtype=np.int64, count=n)
    sent_id = np.zeros(n, dtype=np.int64)
    sent_bounds = _sentence_bounds(doc)
    for k, (start, end) in enumerate(sent_bounds):
        sent_id[start:end] = k
    positions = np.arange(n, dtype=np.int64)
    pos_names = np.array([POS_NAMES.get(p, "") for p in range(max(POS_NAMES) + 1)], dtype=object)
    return {
        "doc_id": pa.array([doc_id] * n, pa.string()),
        "sent_id": sent_id,
        "paragraph_id": _paragraph_ids(idx, body),
        "i": positions,
        "text": text,
        "lower": strings[:, 1],
        "lemma": strings[:, 2],
        "pos": pos_names[arr[:, 6].astype(np.int64)],
        "tag": strings[:, 3],
        "dep": strings[:, 4],
        "head": positions + arr[:, 8].astype(np.int64),
        "ent_type": strings[:, 5],
        "ent_iob": np.array(_IOB, dtype=object)[arr[:, 7].astype(np.int64)],
        "is_stop": arr[:, 10].astype(bool),
        "is_punct": arr[:, 11].astype(bool),
        "is_space": arr[:, 12].astype(bool),
        "is_alpha": arr[:, 13].astype(bool),
        "like_num": arr[:, 14].astype(bool),
        "start_char": idx,
        "end_char": idx + lengths,
        "_sent_bounds": sent_bounds,
    }


def _trimmed(body: str, start_char: int, end_char: int) -> tuple[str, int, int]:
    """The text of ``body[start_char:end_char]`` without surrounding whitespace, and its offsets."""
    text = body[start_char:end_char]
    core = text.strip()
    if not core:
        return "", start_char, start_char
    lead = len(text) - len(text.lstrip())
    return core, start_char + lead, start_char + lead + len(core)


def extract_arrow_tables(doc: "Doc", doc_id: str, body: str | None = None) -> dict[str, pa.Table]:
    """Like :func:`extract_tables`, as pyarrow Tables (what the cache writes)."""
    body = doc.text if body is None else body
    if body != doc.text:
        raise ValueError(f"{doc_id}: the doc's text differs from the cleaned body it should index into")
    tok = _token_arrays(doc, doc_id, body)
    sent_bounds = tok.pop("_sent_bounds")
    n = len(doc)
    starts, ends = tok["start_char"], tok["end_char"]
    sent_id, lemma, tag = tok["sent_id"], tok["lemma"], tok["tag"]
    word = ~(tok["is_punct"] | tok["is_space"])
    words_before = np.concatenate([[0], np.cumsum(word)])
    not_space = ~tok["is_space"]

    sents: dict[str, list] = {name: [] for name in SCHEMAS["sentences"].names}
    for k, (start, end) in enumerate(sent_bounds):
        text, start_char, end_char = _trimmed(body, int(starts[start]), int(ends[end - 1]))
        first = start + int(np.argmax(not_space[start:end])) if not_space[start:end].any() else start
        sents["doc_id"].append(doc_id)
        sents["sent_id"].append(k)
        sents["paragraph_id"].append(int(tok["paragraph_id"][first]))
        sents["start"].append(start)
        sents["end"].append(end)
        sents["start_char"].append(start_char)
        sents["end_char"].append(end_char)
        sents["n_words"].append(int(words_before[end] - words_before[start]))
        sents["text"].append(text)

    def add_span(columns: dict[str, list], start: int, end: int) -> None:
        """The columns noun chunks and entities share: where the span is, and its text."""
        columns["doc_id"].append(doc_id)
        columns["sent_id"].append(int(sent_id[start]))
        columns["start"].append(start)
        columns["end"].append(end)
        columns["start_char"].append(int(starts[start]))
        columns["end_char"].append(int(ends[end - 1]))
        columns["text"].append(body[starts[start]:ends[end - 1]])

    chunks: dict[str, list] = {name: [] for name in SCHEMAS["noun_chunks"].names}
    for chunk in (doc.noun_chunks if n and doc.has_annotation("DEP") else ()):
        start, end = chunk.start, chunk.end
        first = start
        while first < end - 1 and tag[first] in _DROPPED_LEADING_TAGS:
            first += 1
        add_span(chunks, start, end)
        chunks["lemma"].append(" ".join(lemma[i].lower() for i in range(first, end) if word[i]))
        chunks["root_lemma"].append(lemma[chunk.root.i].lower())

    ents: dict[str, list] = {name: [] for name in SCHEMAS["entities"].names}
    for ent in doc.ents:
        start, end = ent.start, ent.end
        add_span(ents, start, end)
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
