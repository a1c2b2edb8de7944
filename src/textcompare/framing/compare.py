"""Compare groups of documents on per-sentence features (frames, Entman functions, stance markers).

For every group and feature: hits, sentences with the feature, rate per 1,000 words (hits / words),
share of sentences, a sentence-bootstrap percentile interval of the rate, and against the other
groups (one-vs-rest; ``pairwise=True`` for every pair) a rate difference and log2 rate ratio with
bootstrap intervals, a two-sided permutation p-value (hits per sentence) and a Benjamini–Hochberg q-value
(:mod:`textcompare.stats`). With two documents this is description of two texts, not inference
about authors (METHODS §6).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from itertools import combinations
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ..stats import (DEFAULT_RESAMPLES, bootstrap_rate_ci, bootstrap_rate_difference, fdr_bh,
                     permutation_test_rates, rate_per_1k)
from ._docs import is_corpus_like, iter_docs, resolve_groups, sentence_table

if TYPE_CHECKING:
    from spacy.tokens import Doc

MIN_SENTENCES = 5
MIN_HITS = 5
STAT_COLUMNS = [
    "hits", "sentences", "n_sentences", "words", "per_1k", "share", "ci_low", "ci_high",
    "rate_diff", "rate_diff_ci_low", "rate_diff_ci_high", "log2_ratio", "log2_ratio_ci_low",
    "log2_ratio_ci_high", "p_value", "q_value", "m_tests", "caveat",
]


def load_sentence_units(corpus: Any) -> pd.DataFrame:
    """Sentences with word counts (doc_id, sent_id, n_words, sentence) from a corpus or docs in memory."""
    if is_corpus_like(corpus):
        from ..parsing import load_sentences

        table = load_sentences(corpus)
        return table.rename(columns={"text": "sentence"})[["doc_id", "sent_id", "n_words", "sentence"]]
    return sentence_table(iter_docs(corpus))


def stream_rate_units(corpus: Any) -> pd.DataFrame:
    """doc_id, sent_id, n_words of every sentence: what :func:`compare_rates` needs, without the text.

    For a corpus the stored sentence tables are read one document at a time and only these three
    integer/id columns are kept.
    """
    if not is_corpus_like(corpus):
        return sentence_table(iter_docs(corpus))[["doc_id", "sent_id", "n_words"]]
    from ..parsing import iter_tables

    parts = [table[["doc_id", "sent_id", "n_words"]] for _, table in iter_tables(corpus, "sentences")]
    if not parts:
        return load_sentence_units(corpus)[["doc_id", "sent_id", "n_words"]]
    return pd.concat(parts, ignore_index=True)


def stream_hits(corpus: Any, extract: Callable[[str, "Doc"], pd.DataFrame], *, feature: str) -> pd.DataFrame:
    """doc_id, sent_id and ``feature`` of the hits ``extract(doc_id, doc)`` returns, document by document.

    Docs are streamed (:func:`~textcompare.framing._docs.iter_docs`) and each doc's hit table is
    cut to these three columns at once, so neither the docs nor the evidence sentences pile up.
    ``extract`` should already drop the hits that are not to be counted.
    """
    columns = ["doc_id", "sent_id", feature]
    parts = [extract(doc_id, doc)[columns] for doc_id, doc in iter_docs(corpus)]
    parts = [part for part in parts if len(part)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)


def compare_rates(hits: pd.DataFrame, sentences: pd.DataFrame, groups: Mapping[str, str] | pd.Series, *,
                  feature: str, features: list[str] | None = None, pairwise: bool = False,
                  n_resamples: int = DEFAULT_RESAMPLES, seed: int = 0,
                  test_statistic: str = "per_sentence") -> pd.DataFrame:
    """Per group and feature: rates, intervals, effect sizes and tests (see the module docstring).

    Parameters
    ----------
    hits : DataFrame
        One row per hit with doc_id, sent_id and the ``feature`` column (already filtered, e.g.
        negated hits removed).
    sentences : DataFrame
        Every sentence: doc_id, sent_id, n_words (sentences without hits count as zeros).
    groups : mapping or Series
        doc_id -> group label.
    feature : str
        Name of the feature column in ``hits`` (``frame``, ``function``, ``marker`` ...); it is
        also the feature column of the result.
    features : list of str, optional
        Features to report (default: those in ``hits``, sorted); absent ones get zero rows.
    pairwise : bool
        Compare every pair of groups instead of each group against the rest.
    n_resamples : int
        Bootstrap and permutation resamples (default 9,999).
    seed : int
        Base seed; feature k uses ``seed + k`` so results do not depend on which features are asked.
    test_statistic : {"per_sentence", "rate"}
        Statistic of the permutation test (see :func:`~textcompare.stats.permutation_test_rates`:
        the words-based rate is anti-conservative when sentence lengths differ between groups).

    Returns
    -------
    DataFrame with columns group, versus (``rest``, or the other group when there are two groups or
    ``pairwise``), the feature column, then ``STAT_COLUMNS``. ``per_1k = 1000 * hits / words``;
    ``share = sentences / n_sentences``; ``rate_diff`` and ``log2_ratio`` are group minus/over versus
    (0.5 stands in for a zero count); ``q_value`` is BH over the ``m_tests`` distinct tests;
    ``caveat`` flags fewer than 5 sentences in a group or fewer than 5 hits in the comparison.
    """
    groups = pd.Series(groups, dtype=object).astype(str)
    units = sentences[["doc_id", "sent_id", "n_words"]].copy()
    units["group"] = units["doc_id"].map(groups)
    if units["group"].isna().any():
        missing = sorted(units.loc[units["group"].isna(), "doc_id"].unique())
        raise InputError(f"no group for document(s) {', '.join(missing)}", fix="give every doc_id a group label")
    units = units.sort_values(["group", "doc_id", "sent_id"], kind="stable").reset_index(drop=True)
    features = sorted(hits[feature].unique()) if features is None else list(features)
    counts = (hits.groupby(["doc_id", "sent_id", feature]).size().unstack(feature, fill_value=0)
              if len(hits) else pd.DataFrame(index=pd.MultiIndex.from_arrays([[], []], names=["doc_id", "sent_id"])))
    counts = counts.reindex(columns=features, fill_value=0)
    matrix = counts.reindex(pd.MultiIndex.from_frame(units[["doc_id", "sent_id"]]), fill_value=0).to_numpy(float)
    words = units["n_words"].to_numpy(float)
    labels = sorted(units["group"].unique())
    masks = {g: (units["group"] == g).to_numpy() for g in labels}
    if len(labels) == 2:
        comparisons = [(labels[0], labels[1]), (labels[1], labels[0])]
    elif pairwise:
        comparisons = [(a, b) for a, b in combinations(labels, 2)]
    else:
        comparisons = [(g, "rest") for g in labels]

    def mask_of(name: str, other_than: str) -> np.ndarray:
        return ~masks[other_than] if name == "rest" else masks[name]

    rows = []
    tests: dict[tuple[frozenset[str], str], float] = {}
    for k, feat in enumerate(features):
        c_all = matrix[:, k] if len(features) else np.zeros(len(units))
        for group, versus in comparisons:
            a, b = masks[group], mask_of(versus, group)
            ca, na, cb, nb = c_all[a], words[a], c_all[b], words[b]
            low, high = bootstrap_rate_ci(ca, na, n_resamples=n_resamples, seed=seed + k)
            effect = bootstrap_rate_difference(ca, na, cb, nb, n_resamples=n_resamples, seed=seed + k)
            key = (frozenset({group, versus}) if versus != "rest" else frozenset({group, "\0rest"}), feat)
            if key not in tests:
                first, second = sorted([group, versus]) if versus != "rest" else (group, versus)
                fa, fb = masks[first], mask_of(second, first)
                tests[key] = permutation_test_rates(c_all[fa], words[fa], c_all[fb], words[fb],
                                                    n_resamples=n_resamples, seed=seed + k,
                                                    statistic=test_statistic)
            caveats = []
            if a.sum() < MIN_SENTENCES or b.sum() < MIN_SENTENCES:
                caveats.append(f"fewer than {MIN_SENTENCES} sentences in a group")
            if ca.sum() + cb.sum() < MIN_HITS:
                caveats.append(f"fewer than {MIN_HITS} hits in the comparison: rates unstable")
            rows.append({
                "group": group, "versus": versus, feature: feat, "hits": int(ca.sum()),
                "sentences": int((ca > 0).sum()), "n_sentences": int(a.sum()), "words": int(na.sum()),
                "per_1k": rate_per_1k(ca, na), "share": float((ca > 0).mean()) if a.any() else np.nan,
                "ci_low": low, "ci_high": high, **effect, "p_value": tests[key], "_key": key,
                "caveat": "; ".join(caveats),
            })
    table = pd.DataFrame(rows)
    if table.empty:
        return pd.DataFrame(columns=["group", "versus", feature, *STAT_COLUMNS])
    keys = list(tests)
    qvalues = dict(zip(keys, fdr_bh([tests[k] for k in keys])))
    table["q_value"] = table["_key"].map(qvalues)
    table["m_tests"] = len(keys)
    order = {f: i for i, f in enumerate(features)}
    table = table.assign(_order=table[feature].map(order))
    table = table.sort_values(["group", "versus", "_order"], kind="stable")
    return table[["group", "versus", feature, *STAT_COLUMNS]].reset_index(drop=True)


def compare_frames(corpus: Any = None, *, by: str = "outlet", frame_type: str | None = None,
                   groups: Mapping[str, str] | pd.Series | None = None, include_negated: bool = False,
                   pairwise: bool = False, n_resamples: int = DEFAULT_RESAMPLES, seed: int = 0,
                   model: Any = None, validation: Any = None) -> pd.DataFrame:
    """Frames per group: hits, sentences, per_1k with bootstrap CI, effect sizes, permutation p.

    Parameters
    ----------
    corpus : Corpus, path, None, or ``(doc_id, Doc)`` pairs
        The documents.
    by : str
        Manifest column to group by (ignored when ``groups`` is given).
    frame_type : {"case", "policy"} or None
        Restrict to case frames or Policy Frames Codebook dimensions (default both).
    include_negated : bool
        Also count the hits the codebook does not count (``counted=False``: escalation whose
        force is negated, avoided or limited; default: excluded).
    model : FrameClassifier or path, optional
        Count a trained classifier's frames (one hit per predicted sentence) instead of lexicon hits
        (:mod:`textcompare.framing.classifier`).
    validation : path, list of paths or DataFrame, optional
        Coded sheet(s): adds n_coded, raw_share, corrected_share, corrected_ci_low/high and ci_width
        (prediction-powered share of sentences, :func:`textcompare.validation.compare_corrected_frames`).

    Returns
    -------
    DataFrame with columns group, versus, frame, frame_type, then ``STAT_COLUMNS``; one row per
    group and frame (every frame, including those with no hit); with ``validation``, the columns above.

    Examples
    --------
    >>> compare_frames("corpus", by="outlet", frame_type="case")   # doctest: +SKIP
    """
    from .frames import check_frame_type, extract_doc_frames, frame_ids
    from .lexicons import load_frame_definitions

    check_frame_type(frame_type)
    docs = corpus if is_corpus_like(corpus) else list(iter_docs(corpus))

    def counted(doc_id: str, doc: "Doc") -> pd.DataFrame:
        table = extract_doc_frames(doc, doc_id=doc_id)
        if frame_type is not None:
            table = table[table["frame_type"] == frame_type]
        return table if include_negated else table[table["counted"].astype(bool)]

    features = frame_ids(frame_type)
    if model is not None:
        from .classifier import extract_model_frames, load_frame_classifier

        model = model if hasattr(model, "frames") else load_frame_classifier(model)
        features = [f for f in model.frames if f in features] if frame_type is not None else model.frames
        hits = extract_model_frames(docs, model)[["doc_id", "sent_id", "frame"]]
    else:
        hits = stream_hits(docs, counted, feature="frame")
    sentences = stream_rate_units(docs)
    labels = resolve_groups(docs, sentences["doc_id"], by=by, groups=groups)
    table = compare_rates(hits, sentences, labels, feature="frame", features=features,
                          pairwise=pairwise, n_resamples=n_resamples, seed=seed)
    types = dict(load_frame_definitions()[["frame", "frame_type"]].itertuples(index=False))
    table.insert(3, "frame_type", table["frame"].map(types))
    if validation is not None:
        from ..validation import add_corrected_columns, compare_corrected_frames

        corrected = compare_corrected_frames(docs, validation, groups=labels, model=model,
                                             frames=model.frames if model is not None else None, seed=seed)
        table = add_corrected_columns(table, corrected)
    return table
