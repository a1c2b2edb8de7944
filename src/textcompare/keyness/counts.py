"""Term counts and word totals per group, in memory or streamed one document at a time; dispersion."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ..words import word_mask

UNITS = ("lemma", "lower")
REST = "rest"
KEYNESS_COLUMNS = [
    "comparison", "term", "group_a", "group_b", "count_a", "count_b", "total_a", "total_b",
    "rate_a", "rate_b", "g2", "p_value", "p_adj_bh", "log_ratio", "lrc", "pct_diff",
    "only_in_a", "only_in_b", "fw_delta", "fw_z", "fw_p", "fw_q", "prior", "n_tested", "family", "m_tests",
]
DISPERSION_COLUMNS = ["group", "term", "dispersion", "n_paragraphs"]
DEFAULT_FLOOR = 1e-6


def _terms_of(tokens: pd.DataFrame, unit: str) -> pd.Series:
    if unit not in UNITS:
        raise InputError(f"unknown unit {unit!r}", fix="use one of: " + ", ".join(UNITS))
    column = tokens["lemma"] if unit == "lemma" else tokens["lower"]
    return column.astype(str).str.lower().str.replace("’", "'", regex=False)


def count_terms(
    tokens: pd.DataFrame,
    groups: pd.Series,
    *,
    unit: str = "lemma",
    drop_stop: bool = False,
) -> pd.DataFrame:
    """Term counts per group, with each group's word total.

    Parameters
    ----------
    tokens : DataFrame
        Token table (``load_tokens``): needs doc_id, lemma, lower, is_punct, is_space, is_stop.
    groups : Series
        doc_id -> group label; documents not in it are left out.
    unit : {"lemma", "lower"}
        Lower-cased lemma, or lower-cased word form (typographic apostrophes become ``'``).
    drop_stop : bool
        Leave spaCy stop words out of the terms (they still count in ``total``).

    Returns
    -------
    DataFrame with columns group, term, count, total (words in the group), sorted by group, term.
    """
    if isinstance(groups, (str, bytes)):
        raise TypeError("groups must be a Series mapping doc_id to group label, not a str")
    tokens = tokens[tokens["doc_id"].isin(groups.index)]
    words = tokens[word_mask(tokens)]
    group = words["doc_id"].map(groups.astype(str))
    totals = group.value_counts()
    table = pd.DataFrame({"group": group, "term": _terms_of(words, unit)})
    if drop_stop:
        table = table[~words["is_stop"].astype(bool).to_numpy()]
    counts = table.groupby(["group", "term"]).size().rename("count").reset_index()
    counts["total"] = counts["group"].map(totals).astype("int64")
    return counts.sort_values(["group", "term"], kind="stable").reset_index(drop=True)


def score_dispersion(tokens: pd.DataFrame, groups: pd.Series, *, unit: str = "lemma") -> pd.DataFrame:
    """Gries's DP_norm of every term over the paragraphs of each group.

    DP = ½·Σ_i |v_i − s_i| over the group's paragraphs i (v_i: share of the term's hits in
    paragraph i, s_i: paragraph i's share of the group's words); DP_norm = DP / (1 − min s_i)
    (Lijffijt & Gries 2012). 0 = spread evenly, 1 = concentrated in one paragraph. Written by
    hand: no maintained Python library computes it.

    Returns
    -------
    DataFrame with columns group, term, dispersion (DP_norm), n_paragraphs (paragraphs of the
    group containing the term).
    """
    tokens = tokens[tokens["doc_id"].isin(groups.index)]
    words = tokens[word_mask(tokens)]
    frame = pd.DataFrame({
        "group": words["doc_id"].map(groups.astype(str)).to_numpy(),
        "para": (words["doc_id"].astype(str) + "\x1f" + words["paragraph_id"].astype(str)).to_numpy(),
        "term": _terms_of(words, unit).to_numpy(),
    })
    rows = []
    for group, part in frame.groupby("group", sort=True):
        sizes = part.groupby("para").size()
        share = sizes / sizes.sum()
        hits = part.groupby(["term", "para"]).size().unstack(fill_value=0).reindex(columns=share.index, fill_value=0)
        v = hits.to_numpy(dtype=float)
        v = v / v.sum(axis=1, keepdims=True)
        dp = 0.5 * np.abs(v - share.to_numpy()[None, :]).sum(axis=1)
        denom = 1.0 - share.min()
        rows.append(pd.DataFrame({
            "group": group, "term": hits.index,
            "dispersion": dp / denom if denom > 0 else 0.0,
            "n_paragraphs": (hits.to_numpy() > 0).sum(axis=1),
        }))
    if not rows:
        return pd.DataFrame(columns=DISPERSION_COLUMNS)
    return pd.concat(rows, ignore_index=True)[DISPERSION_COLUMNS]


class _Sums:
    """Running sums of the numeric columns of partial tables, grouped by ``keys``.

    Partial tables are buffered and folded into the running total once the buffer outgrows it,
    so memory stays proportional to the number of distinct keys (the vocabulary), not to the
    number of partial tables added.
    """

    def __init__(self, keys: Sequence[str], *, min_buffer: int = 200_000):
        self.keys, self.min_buffer = list(keys), min_buffer
        self.total: pd.DataFrame | None = None
        self.parts: list[pd.DataFrame] = []
        self.buffered = 0

    def add(self, part: pd.DataFrame) -> None:
        if len(part):
            self.parts.append(part)
            self.buffered += len(part)
        if self.buffered > max(self.min_buffer, 0 if self.total is None else len(self.total)):
            self._fold()

    def _fold(self) -> None:
        frames = ([] if self.total is None else [self.total]) + self.parts
        if frames:
            self.total = pd.concat(frames, ignore_index=True).groupby(self.keys, sort=False, as_index=False).sum()
        self.parts, self.buffered = [], 0

    def result(self) -> pd.DataFrame | None:
        self._fold()
        return self.total


def _doc_words(tokens: pd.DataFrame, unit: str) -> pd.DataFrame:
    words = tokens[word_mask(tokens)]
    return pd.DataFrame({
        "term": _terms_of(words, unit).to_numpy(),
        "is_stop": words["is_stop"].astype(bool).to_numpy(),
        "para": words["paragraph_id"].to_numpy(),
    })


def stream_keyness_tables(
    corpus: Any,
    groups: pd.Series,
    *,
    unit: str = "lemma",
    drop_stop: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`count_terms` and :func:`score_dispersion` of a corpus, one document at a time.

    Reads the stored per-document token tables twice with
    :func:`~textcompare.parsing.iter_tables` (nothing is re-parsed) and keeps only per-group
    sums in memory, so peak memory grows with the vocabulary, not with the number of documents.

    Pass 1 sums, per group, term counts, words, the smallest paragraph and the paragraphs
    containing each term. Pass 2 needs each term's group total H and the group's words P, so it
    sums over the paragraphs i where the term occurs (h_i hits, p_i words)
    ``|h_i/H − p_i/P| − p_i/P``; as paragraphs without the term add ``p_i/P`` to Gries's sum,
    ``DP = ½·(1 + that sum)``. Counts are identical to the in-memory functions; dispersion
    equals them up to floating-point rounding (summation order differs, ~1e-15).

    Parameters
    ----------
    corpus : Corpus, path or None
    groups : Series
        doc_id -> group label; documents not in it (or not in the corpus) are left out.
    unit, drop_stop
        As in :func:`count_terms` (dispersion always covers every term, as in
        :func:`score_dispersion`).

    Returns
    -------
    (counts, dispersion): the tables :func:`count_terms` and :func:`score_dispersion` return.
    """
    from ..corpus import load_corpus
    from ..parsing import iter_tables

    if isinstance(groups, (str, bytes)):
        raise TypeError("groups must be a Series mapping doc_id to group label, not a str")
    if unit not in UNITS:
        raise InputError(f"unknown unit {unit!r}", fix="use one of: " + ", ".join(UNITS))
    corpus = load_corpus(corpus)
    groups = groups.astype(str)
    ids = [doc_id for doc_id in corpus.ids if doc_id in groups.index]
    counts, para_hits = _Sums(["group", "term", "is_stop"]), _Sums(["group", "term"])
    words: dict[str, int] = {}
    smallest: dict[str, int] = {}
    for doc_id, tokens in iter_tables(corpus, "tokens", ids=ids):
        frame = _doc_words(tokens, unit)
        if frame.empty:
            continue
        group = groups[doc_id]
        counts.add(frame.groupby(["term", "is_stop"], sort=False).size().rename("count").reset_index()
                   .assign(group=group))
        para_hits.add(frame.drop_duplicates(["term", "para"]).groupby("term", sort=False).size()
                      .rename("n_paragraphs").reset_index().assign(group=group))
        words[group] = words.get(group, 0) + len(frame)
        smallest[group] = min(smallest.get(group, len(frame)), int(frame.groupby("para").size().min()))
    summed = counts.result()
    if summed is None:
        return (pd.DataFrame(columns=["group", "term", "count", "total"]), pd.DataFrame(columns=DISPERSION_COLUMNS))
    kept = summed[~summed["is_stop"]] if drop_stop else summed
    table = kept.groupby(["group", "term"])["count"].sum().reset_index()
    table["total"] = table["group"].map(words).astype("int64")
    table = table.sort_values(["group", "term"], kind="stable").reset_index(drop=True)

    hits_total = {g: part.droplevel(0) for g, part in summed.groupby(["group", "term"])["count"].sum().groupby(level=0)}
    deviation = _Sums(["group", "term"])
    for doc_id, tokens in iter_tables(corpus, "tokens", ids=ids):
        frame = _doc_words(tokens, unit)
        if frame.empty:
            continue
        group = groups[doc_id]
        size = frame.groupby("para").size()
        hits = frame.groupby(["term", "para"], sort=False).size()
        h = hits.to_numpy(dtype=float)
        total = hits_total[group].reindex(hits.index.get_level_values(0)).to_numpy(dtype=float)
        share = size.reindex(hits.index.get_level_values(1)).to_numpy(dtype=float) / words[group]
        part = pd.DataFrame({"term": hits.index.get_level_values(0), "deviation": np.abs(h / total - share) - share})
        deviation.add(part.groupby("term", sort=False, as_index=False)["deviation"].sum().assign(group=group))
    disp = deviation.result().merge(para_hits.result(), on=["group", "term"], how="left")
    denom = 1.0 - disp["group"].map(smallest).astype(float) / disp["group"].map(words).astype(float)
    dp = 0.5 * (1.0 + disp["deviation"].to_numpy())
    disp["dispersion"] = np.where(denom > 0, dp / denom.where(denom > 0, 1.0), 0.0)
    disp["n_paragraphs"] = disp["n_paragraphs"].astype("int64")
    disp = disp.sort_values(["group", "term"], kind="stable").reset_index(drop=True)
    return table, disp[DISPERSION_COLUMNS]




def count_doc_terms(
    tokens: pd.DataFrame | None,
    groups: pd.Series,
    *,
    corpus: Any = None,
    unit: str = "lemma",
    drop_stop: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Term counts per *paragraph* of every document (for keyness across documents or paragraphs).

    From ``tokens`` in memory, or else streamed from the corpus's stored token tables one
    document at a time (:func:`~textcompare.parsing.iter_tables`). Only non-zero counts are kept,
    so the table grows with the text, not with vocabulary x paragraphs.

    Returns
    -------
    (counts, words): DataFrame doc_id, paragraph_id, term, count; and DataFrame doc_id,
    paragraph_id, words (tokens that are neither punctuation nor space; stop words count even
    with ``drop_stop``).
    """
    if unit not in UNITS:
        raise InputError(f"unknown unit {unit!r}", fix="use one of: " + ", ".join(UNITS))
    groups = groups.astype(str)
    parts, sizes = [], []

    def add(doc_id: str, table: pd.DataFrame) -> None:
        frame = _doc_words(table, unit)
        sizes.append(frame.groupby("para").size().rename("words").reset_index()
                     .rename(columns={"para": "paragraph_id"}).assign(doc_id=doc_id))
        if drop_stop:
            frame = frame[~frame["is_stop"]]
        if len(frame):
            parts.append(frame.groupby(["para", "term"], sort=True).size().rename("count").reset_index()
                         .rename(columns={"para": "paragraph_id"}).assign(doc_id=doc_id))

    if tokens is not None:
        tokens = tokens[tokens["doc_id"].isin(groups.index)]
        for doc_id, table in tokens.groupby("doc_id", sort=True):
            add(str(doc_id), table)
    else:
        from ..corpus import load_corpus
        from ..parsing import iter_tables

        corpus = load_corpus(corpus)
        ids = [doc_id for doc_id in corpus.ids if doc_id in groups.index]
        for doc_id, table in iter_tables(corpus, "tokens", ids=ids):
            add(doc_id, table)
    words = (pd.concat(sizes, ignore_index=True)[["doc_id", "paragraph_id", "words"]] if sizes
             else pd.DataFrame(columns=["doc_id", "paragraph_id", "words"]))
    if not parts:
        return pd.DataFrame(columns=["doc_id", "paragraph_id", "term", "count"]), words
    counts = pd.concat(parts, ignore_index=True)[["doc_id", "paragraph_id", "term", "count"]]
    return counts.sort_values(["doc_id", "paragraph_id", "term"], kind="stable").reset_index(drop=True), words
