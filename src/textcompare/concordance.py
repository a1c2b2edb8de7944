"""Concordance (KWIC) and collocations, computed from the token table.

Both work on the cached token table rather than on Docs (no parsing needed, and a multiword
pattern is a comparison of shifted arrays), so they accept a corpus, a token table, or
``(doc_id, Doc)`` pairs. "Words" are tokens that are neither punctuation nor space.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from .errors import InputError
from .keyness import score_g2
from .words import word_mask

UNITS = ("lemma", "lower", "text")
KWIC_SORTS = ("position", "left", "right")
KWIC_COLUMNS = ["doc_id", "paragraph_id", "sent_id", "left", "match", "right", "start_char", "end_char"]
COLLOCATION_COLUMNS = ["node", "collocate", "count", "expected", "frequency", "pmi", "t_score", "g2"]


def _tokens_from_docs(docs: Iterable[tuple[str, Any]]) -> pd.DataFrame:
    rows = []
    for doc_id, doc in docs:
        sent_of = {}
        if doc.has_annotation("SENT_START"):
            for k, sent in enumerate(doc.sents):
                sent_of.update({i: k for i in range(sent.start, sent.end)})
        for t in doc:
            rows.append({"doc_id": doc_id, "sent_id": sent_of.get(t.i, 0), "i": t.i, "text": t.text,
                         "lower": t.lower_, "lemma": t.lemma_, "is_punct": t.is_punct, "is_space": t.is_space,
                         "is_stop": t.is_stop, "start_char": t.idx, "end_char": t.idx + len(t.text)})
    return pd.DataFrame(rows)


def _token_table(source: Any) -> pd.DataFrame:
    if isinstance(source, pd.DataFrame):
        return source
    if isinstance(source, (list, tuple)) and source and isinstance(source[0], tuple):
        return _tokens_from_docs(source)
    from .parsing import load_tokens

    return load_tokens(source)


def _doc_tokens(source: Any, unit: str):
    """Each document's non-space tokens in order, with their keys in ``unit``: (doc_id, tokens, keys)."""
    tokens = _token_table(source)
    tokens = tokens[~tokens["is_space"].astype(bool)]
    for doc_id, part in tokens.groupby("doc_id", sort=True):
        part = part.sort_values("i").reset_index(drop=True)
        yield doc_id, part, _keys(part, unit)


def _keys(tokens: pd.DataFrame, unit: str) -> np.ndarray:
    if unit not in UNITS:
        raise InputError(f"unknown --unit {unit!r}", fix="use one of: " + ", ".join(UNITS))
    column = tokens[unit].astype(str)
    if unit != "text":
        column = column.str.lower()
    return column.str.replace("’", "'", regex=False).to_numpy()


def _join(part: pd.DataFrame) -> str:
    out, last_end = [], None
    for text, start, end in zip(part["text"], part["start_char"], part["end_char"]):
        if last_end is not None and start > last_end:
            out.append(" ")
        out.append(str(text))
        last_end = end
    return "".join(out)


def kwic(
    source: Any,
    pattern: str,
    *,
    unit: str = "lemma",
    window: int = 7,
    sentence_bounded: bool = False,
    by: str | None = None,
    groups: Iterable[str] | None = None,
    sort: str = "position",
    doc_groups: pd.Series | None = None,
) -> pd.DataFrame:
    """Keyword in context for a word, lemma or multiword pattern.

    Parameters
    ----------
    source : Corpus, path, token table or list of (doc_id, Doc)
    pattern : str
        One or more space-separated items, matched token by token ("maximum pressure").
    unit : {"lemma", "lower", "text"}
        Compare with the lower-cased lemma ("institutionalize" finds "institutionalizes"), the
        lower-cased form, or the exact text.
    window : int
        Words (punctuation included in the text, not in the count) shown on each side.
    sentence_bounded : bool
        Keep the context inside the match's sentence.
    by : str, optional
        Manifest column to group by: adds a ``group`` column first (needs a corpus, or ``doc_groups``).
    groups : iterable of str, optional
        Keep only lines from these groups (with ``by``).
    sort : {"position", "left", "right"}
        Corpus order, or alphabetical by the words nearest the match on the left (read right to
        left, as in AntConc) or on the right.
    doc_groups : Series, optional
        doc_id -> group, instead of reading ``by`` from the corpus.

    Returns
    -------
    DataFrame with columns [group,] doc_id, paragraph_id, sent_id, left, match, right, start_char,
    end_char (offsets of the match in the cleaned body).
    """
    if sort not in KWIC_SORTS:
        raise InputError(f"unknown sort {sort!r}", fix="use one of: " + ", ".join(KWIC_SORTS))
    table = _kwic_lines(source, pattern, unit=unit, window=window, sentence_bounded=sentence_bounded)
    if by is not None or doc_groups is not None:
        if doc_groups is None:
            from .corpus import document_groups

            doc_groups = document_groups(source, by=by)
        table.insert(0, "group", table["doc_id"].map(doc_groups.astype(str)))
        if groups is not None:
            wanted = [str(g) for g in groups]
            unknown = sorted(set(wanted) - set(doc_groups.astype(str)))
            if unknown:
                raise InputError(f"unknown group(s) {', '.join(unknown)} for --by {by}",
                                 fix="valid groups: " + ", ".join(sorted(set(doc_groups.astype(str)))))
            table = table[table["group"].isin(wanted)]
    if sort == "left":
        key = table["left"].map(lambda t: " ".join(reversed(t.lower().split())))
        table = table.assign(_k=key).sort_values(["_k", "doc_id", "start_char"], kind="stable").drop(columns="_k")
    elif sort == "right":
        table = table.assign(_k=table["right"].str.lower()).sort_values(["_k", "doc_id", "start_char"],
                                                                       kind="stable").drop(columns="_k")
    return table.reset_index(drop=True)


def _kwic_lines(source: Any, pattern: str, *, unit: str, window: int, sentence_bounded: bool) -> pd.DataFrame:
    """The KWIC lines of ``pattern`` in corpus order (see :func:`kwic`)."""
    items = [p.replace("’", "'") for p in str(pattern).split()]
    if not items:
        raise InputError("empty pattern", fix="give a word, a lemma or a phrase")
    if unit != "text":
        items = [p.lower() for p in items]
    rows = []
    for doc_id, part, keys in _doc_tokens(source, unit):
        n, k = len(part), len(items)
        if n < k:
            continue
        hit = np.ones(n - k + 1, dtype=bool)
        for j, item in enumerate(items):
            hit &= keys[j:n - k + 1 + j] == item
        is_word = ~part["is_punct"].astype(bool).to_numpy()
        sents = part["sent_id"].to_numpy()
        paras = part["paragraph_id"].to_numpy() if "paragraph_id" in part.columns else np.zeros(n, dtype=int)
        for s in np.flatnonzero(hit):
            e = s + k
            lo, words = s, 0
            while lo > 0 and words < window and not (sentence_bounded and sents[lo - 1] != sents[s]):
                lo -= 1
                words += is_word[lo]
            hi, words = e, 0
            while hi < n and words < window and not (sentence_bounded and sents[hi] != sents[e - 1]):
                words += is_word[hi]
                hi += 1
            rows.append({"doc_id": doc_id, "paragraph_id": int(paras[s]), "sent_id": int(sents[s]), "left": _join(part.iloc[lo:s]),
                         "match": _join(part.iloc[s:e]), "right": _join(part.iloc[e:hi]),
                         "start_char": int(part.at[s, "start_char"]), "end_char": int(part.at[e - 1, "end_char"])})
    return pd.DataFrame(rows, columns=KWIC_COLUMNS)


def score_collocations(
    source: Any,
    word: str,
    *,
    unit: str = "lemma",
    window: int = 5,
    min_count: int = 2,
    drop_stop: bool = True,
) -> pd.DataFrame:
    """Collocates of ``word`` within ``window`` words on either side (same document).

    With N words in the corpus, W the number of word positions inside the node's windows (each
    position counted once, the node itself excluded), f_c the corpus frequency of collocate c
    and O its count inside the windows:

    - expected E = f_c·W/N (the span-adjusted expectation; Manning & Schütze 1999, ch. 5);
    - pmi = log₂(O/E) (Church & Hanks 1990): inflated for rare pairs;
    - t_score = (O − E)/√O;
    - g2 = Dunning's G² of the 2×2 table (c / other words × inside / outside the windows).

    Punctuation is skipped when counting the window. Stop words still count in N and W but are
    not reported as collocates when ``drop_stop``. Rows with O < ``min_count`` are dropped.

    Returns
    -------
    DataFrame with columns node, collocate, count (O), expected (E), frequency (f_c), pmi,
    t_score, g2, sorted by g2 descending then collocate.
    """
    node = word.replace("’", "'")
    node = node if unit == "text" else node.lower()
    tokens = _token_table(source)
    words = tokens[word_mask(tokens)]
    inside_counts: dict[str, int] = {}
    window_total = 0
    for _, part in words.groupby("doc_id", sort=True):
        part = part.sort_values("i")
        keys = _keys(part, unit)
        is_node = keys == node
        inside = np.zeros(len(part), dtype=bool)
        for p in np.flatnonzero(is_node):
            inside[max(p - window, 0):p + window + 1] = True
        inside &= ~is_node
        window_total += int(inside.sum())
        for key, stop in zip(keys[inside], part["is_stop"].astype(bool).to_numpy()[inside]):
            if not (drop_stop and stop):
                inside_counts[key] = inside_counts.get(key, 0) + 1
    all_keys = _keys(words, unit)
    n_words = len(all_keys)
    freq = pd.Series(all_keys).value_counts()
    table = pd.DataFrame({"collocate": list(inside_counts), "count": list(inside_counts.values())})
    table = table[table["count"] >= min_count]
    if table.empty or n_words == 0:
        return pd.DataFrame(columns=COLLOCATION_COLUMNS)
    table["frequency"] = table["collocate"].map(freq).astype("int64")
    o, f = table["count"].to_numpy(float), table["frequency"].to_numpy(float)
    table["expected"] = f * window_total / n_words
    table["pmi"] = np.log2(o / table["expected"])
    table["t_score"] = (o - table["expected"]) / np.sqrt(o)
    table["g2"] = score_g2(o, f - o, window_total, n_words - window_total)
    table["node"] = node
    table = table.sort_values(["g2", "collocate"], ascending=[False, True], kind="stable")
    return table[COLLOCATION_COLUMNS].reset_index(drop=True)


def kwic_terms(source: Any, terms: Iterable[str], *, unit: str = "lemma", window: int = 7,
               per_doc: int | None = None) -> pd.DataFrame:
    """KWIC lines of many one-word ``terms`` in one pass over the token table.

    Parameters
    ----------
    source : Corpus, path, token table or list of (doc_id, Doc)
    terms : iterable of str
        Keys in ``unit`` (lower-cased unless ``unit="text"``).
    window : int
        Words of context on each side (punctuation shown, not counted).
    per_doc : int, optional
        At most this many lines per term and document (the first ones), to bound the output.

    Returns
    -------
    DataFrame with columns term, doc_id, paragraph_id, sent_id, left, match, right, start_char.
    """
    wanted = set(terms)
    rows = []
    for doc_id, part, keys in _doc_tokens(source, unit):
        texts = part["text"].astype(str).tolist()
        starts, ends = part["start_char"].tolist(), part["end_char"].tolist()
        is_word = (~part["is_punct"].astype(bool)).tolist()
        paras = part["paragraph_id"].tolist() if "paragraph_id" in part.columns else [0] * len(part)
        sents = part["sent_id"].tolist()
        seen: dict[str, int] = {}

        def join(lo: int, hi: int) -> str:
            out = []
            for j in range(lo, hi):
                if out and starts[j] > ends[j - 1]:
                    out.append(" ")
                out.append(texts[j])
            return "".join(out)

        for s, key in enumerate(keys):
            if key not in wanted or (per_doc is not None and seen.get(key, 0) >= per_doc):
                continue
            seen[key] = seen.get(key, 0) + 1
            lo, words = s, 0
            while lo > 0 and words < window:
                lo -= 1
                words += is_word[lo]
            hi, words = s + 1, 0
            while hi < len(keys) and words < window:
                words += is_word[hi]
                hi += 1
            rows.append({"term": key, "doc_id": doc_id, "paragraph_id": int(paras[s]), "sent_id": int(sents[s]),
                         "left": join(lo, s), "match": texts[s], "right": join(s + 1, hi), "start_char": int(starts[s])})
    return pd.DataFrame(rows, columns=["term", "doc_id", "paragraph_id", "sent_id", "left", "match", "right",
                                       "start_char"])
