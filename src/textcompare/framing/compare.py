"""Compare groups of documents on per-sentence features (frames, Entman functions, stance markers).

For every group and feature: hits, sentences with the feature, rate per 1,000 words (hits / words)
with an interval, and against the other groups (one-vs-rest; ``pairwise=True`` for every pair) a
rate difference and log2 rate ratio with intervals, a two-sided p-value and a Benjamini–Hochberg
q-value over every test of the table. The statistics follow one rule
(:func:`textcompare.stats.compare_sides`): the document is the unit when both sides have two or
more documents (``scope = "groups"``); otherwise the row describes two texts (``scope = "texts"``).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from itertools import combinations
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ..stats import DEFAULT_RESAMPLES, compare_sides, fdr_bh
from ._docs import is_corpus_like, iter_docs, resolve_groups, sentence_table

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: The other side of a one-vs-rest comparison (a sentinel, so that a group named "rest" is still a group;
#: the ``versus`` column shows it as "rest").
REST = object()
MIN_SENTENCES = 5
MIN_HITS = 5
STAT_COLUMNS = [
    "scope", "n_docs", "n_docs_versus", "hits", "sentences", "n_sentences", "words", "per_1k", "share",
    "ci_low", "ci_high", "rate_diff", "rate_diff_ci_low", "rate_diff_ci_high", "log2_ratio", "log2_ratio_ci_low",
    "log2_ratio_ci_high", "unbounded", "test", "p_value", "q_value", "family", "m_tests", "caveat",
]


def load_sentence_units(corpus: Any) -> pd.DataFrame:
    """Sentences with word counts (doc_id, sent_id, n_words, [paragraph_id,] sentence) from a corpus or docs
    in memory (docs in memory have no paragraph_id)."""
    if is_corpus_like(corpus):
        from ..parsing import load_sentences

        table = load_sentences(corpus).rename(columns={"text": "sentence"})
        return table[[c for c in ("doc_id", "sent_id", "n_words", "paragraph_id", "sentence") if c in table.columns]]
    return sentence_table(iter_docs(corpus))


def stream_rate_units(corpus: Any) -> pd.DataFrame:
    """doc_id, sent_id, n_words (and paragraph_id) of every sentence: what :func:`compare_rates` needs.

    For a corpus the stored sentence tables are read one document at a time and only these
    integer/id columns are kept (paragraph_id is the bootstrap block of a single text). Docs in
    memory have no paragraphs, so each sentence is its own block.
    """
    if not is_corpus_like(corpus):
        return sentence_table(iter_docs(corpus))[["doc_id", "sent_id", "n_words"]]
    from ..parsing import iter_tables

    parts = [table[[c for c in ("doc_id", "sent_id", "n_words", "paragraph_id") if c in table.columns]]
             for _, table in iter_tables(corpus, "sentences")]
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


def _blocks(units: pd.DataFrame) -> pd.Series:
    """Paragraph block of every sentence (the sentence itself when there is no paragraph_id)."""
    column = units["paragraph_id"] if "paragraph_id" in units.columns else units["sent_id"]
    return units["doc_id"].astype(str) + "\x1f" + column.astype(str)


def compare_rates(hits: pd.DataFrame, sentences: pd.DataFrame, groups: Mapping[str, str] | pd.Series, *,
                  feature: str, features: list[str] | None = None, pairwise: bool = False,
                  n_resamples: int = DEFAULT_RESAMPLES, seed: int = 0, family: str | None = None) -> pd.DataFrame:
    """Per group and feature: rates, intervals, effect sizes and tests under one rule.

    The rule is :func:`textcompare.stats.compare_sides`: when both sides of a comparison have at
    least two documents (``scope = "groups"``) the document is the unit (a quasi-Poisson score test
    over documents, for every row); otherwise (``scope = "texts"``) the row describes the texts
    (quasi-Poisson over their paragraphs, paragraph-block bootstrap) and says nothing about
    authors or outlets.

    Parameters
    ----------
    hits : DataFrame
        One row per hit with doc_id, sent_id and the ``feature`` column (already filtered, e.g.
        negated hits removed).
    sentences : DataFrame
        Every sentence: doc_id, sent_id, n_words and, when known, paragraph_id (the bootstrap
        block of a single text; without it each sentence is its own block).
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
    family : str, optional
        Name of the Benjamini–Hochberg family (default: ``feature``); the family is every test of
        the table, whatever subset is later printed.

    Returns
    -------
    DataFrame with columns group, versus (``rest``, or the other group when there are two groups or
    ``pairwise``), the feature column, then ``STAT_COLUMNS`` (docs/columns.md). The table's
    ``attrs["bh_family"]`` records the family name and m.
    """
    groups = pd.Series(groups, dtype=object).astype(str)
    keep = [c for c in ("doc_id", "sent_id", "n_words", "paragraph_id") if c in sentences.columns]
    units = sentences[keep].copy()
    units["group"] = units["doc_id"].map(groups)
    if units["group"].isna().any():
        missing = sorted(units.loc[units["group"].isna(), "doc_id"].unique())
        raise InputError(f"no group for document(s) {', '.join(missing)}", fix="give every doc_id a group label")
    units = units.sort_values(["group", "doc_id", "sent_id"], kind="stable").reset_index(drop=True)
    units["block"] = _blocks(units)
    features = sorted(hits[feature].unique()) if features is None else list(features)
    counts = (hits.groupby(["doc_id", "sent_id", feature]).size().unstack(feature, fill_value=0)
              if len(hits) else pd.DataFrame(index=pd.MultiIndex.from_arrays([[], []], names=["doc_id", "sent_id"])))
    counts = counts.reindex(columns=features, fill_value=0)
    matrix = counts.reindex(pd.MultiIndex.from_frame(units[["doc_id", "sent_id"]]), fill_value=0).to_numpy(float)
    # Sum sentences into paragraph blocks (kept in the units' order).
    block_codes, block_names = pd.factorize(units["block"], sort=False)
    n_blocks = len(block_names)
    block_matrix = np.zeros((n_blocks, len(features)))
    np.add.at(block_matrix, block_codes, matrix)
    block_words = np.bincount(block_codes, weights=units["n_words"].to_numpy(float), minlength=n_blocks)
    first = units.drop_duplicates("block")
    block_doc = first["doc_id"].astype(str).to_numpy(object)
    block_group = first["group"].to_numpy(object)
    sent_group = units["group"].to_numpy(object)
    labels = sorted(units["group"].unique())
    if len(labels) == 2:
        comparisons = [(labels[0], labels[1]), (labels[1], labels[0])]
    elif pairwise:
        comparisons = [(a, b) for a, b in combinations(labels, 2)]
    else:
        comparisons = [(g, REST) for g in labels]

    def side(name: Any, other_than: str, of: np.ndarray) -> np.ndarray:
        return of != other_than if name is REST else of == name

    rows = []
    tests: dict[tuple[frozenset[str], str], float] = {}
    for k, feat in enumerate(features):
        c_blocks = block_matrix[:, k] if len(features) else np.zeros(n_blocks)
        c_sent = matrix[:, k] if len(features) else np.zeros(len(units))
        for group, versus in comparisons:
            a, b = side(group, "", block_group), side(versus, group, block_group)
            key = (frozenset({group, versus}) if versus is not REST else frozenset({group, "\0rest"}), feat)
            result = compare_sides(block_doc[a], c_blocks[a], block_words[a], block_doc[b], c_blocks[b],
                                   block_words[b], n_resamples=n_resamples, seed=seed + k, test=key not in tests)
            if key not in tests:
                tests[key] = float(result["p_value"])
            sa = side(group, "", sent_group)
            sb = side(versus, group, sent_group)
            caveats = []
            if result["scope"] == "texts":
                caveats.append("a group has one document: describes the texts, not authors or outlets")
            if sa.sum() < MIN_SENTENCES or sb.sum() < MIN_SENTENCES:
                caveats.append(f"fewer than {MIN_SENTENCES} sentences in a group")
            if c_sent[sa].sum() + c_sent[sb].sum() < MIN_HITS:
                caveats.append(f"fewer than {MIN_HITS} hits in the comparison: rates unstable")
            if result["unbounded"]:
                caveats.append(f"log2 ratio interval unbounded ({result['unbounded']}): no hit in some resamples")
            result.update({
                "group": group, "versus": "rest" if versus is REST else versus, feature: feat,
                "sentences": int((c_sent[sa] > 0).sum()), "n_sentences": int(sa.sum()),
                "share": float((c_sent[sa] > 0).mean()) if sa.any() else np.nan,
                "p_value": tests[key], "_key": key, "caveat": "; ".join(caveats),
            })
            rows.append(result)
    table = pd.DataFrame(rows)
    if table.empty:
        return pd.DataFrame(columns=["group", "versus", feature, *STAT_COLUMNS])
    keys = list(tests)
    qvalues = dict(zip(keys, fdr_bh([tests[k] for k in keys])))
    m = int(sum(not np.isnan(tests[k]) for k in keys))
    name = family or feature
    table["q_value"] = table["_key"].map(qvalues)
    table["family"] = name
    table["m_tests"] = m
    order = {f: i for i, f in enumerate(features)}
    table = table.assign(_order=table[feature].map(order))
    table = table.sort_values(["group", "versus", "_order"], kind="stable")
    out = table[["group", "versus", feature, *STAT_COLUMNS]].reset_index(drop=True)
    out.attrs["bh_family"] = {"name": name, "m_tests": m, "method": "fdr_bh",
                              "tests": "every feature x comparison of the table, whatever subset is printed"}
    return out


def compare_frames(corpus: Any = None, *, by: str = "outlet", frame_type: str | None = None,
                   groups: Mapping[str, str] | pd.Series | None = None, include_negated: bool = False,
                   pairwise: bool = False, n_resamples: int = DEFAULT_RESAMPLES, seed: int = 0,
                   model: Any = None, validation: Any = None, tagger: str = "model") -> pd.DataFrame:
    """Frames per group: hits, rates with intervals, effect sizes, tests (:func:`compare_rates`).

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
    tagger : {"model", "lexicon"}
        Who decides each sentence's case frames (:func:`~textcompare.framing.frames.tag_doc_frames`):
        the packaged case-frame model (default) or the lexicon alone. Ignored with ``model``.
    validation : path, list of paths or DataFrame, optional
        Coded sheet(s): adds n_coded, raw_share, corrected_share, corrected_ci_low/high and ci_width
        (prediction-powered share of sentences, :func:`textcompare.validation.compare_corrected_frames`).

    Returns
    -------
    DataFrame with columns group, versus, frame, frame_type, then ``STAT_COLUMNS``; one row per
    group and frame (every frame, including those with no hit); with ``validation``, the columns above.
    The BH family is always every frame the tagger codes (``family = "frames"``), so q does not
    change with ``frame_type``.

    Examples
    --------
    >>> compare_frames("corpus", by="outlet", frame_type="case")   # doctest: +SKIP
    """
    from .frames import check_frame_type, check_tagger, docs_for_tagger, frame_ids, tag_doc_frames
    from .lexicons import load_frame_definitions

    check_frame_type(frame_type)
    check_tagger(tagger)
    docs = corpus if is_corpus_like(corpus) else list(iter_docs(corpus))

    def counted(doc_id: str, doc: "Doc") -> pd.DataFrame:
        table = tag_doc_frames(doc, doc_id=doc_id, tagger=tagger)
        return table if include_negated else table[table["counted"].astype(bool)]

    # Every frame is tested, so the BH family (and each q) does not depend on ``frame_type``,
    # which only selects the rows returned.
    features = frame_ids(None)
    if model is not None:
        from .classifier import extract_model_frames, load_frame_classifier

        model = model if hasattr(model, "frames") else load_frame_classifier(model)
        features = list(model.frames)
        hits = extract_model_frames(docs, model)[["doc_id", "sent_id", "frame"]]
    else:
        hits = stream_hits(docs_for_tagger(docs, tagger), counted, feature="frame")
    sentences = stream_rate_units(docs)
    labels = resolve_groups(docs, sentences["doc_id"], by=by, groups=groups)
    table = compare_rates(hits, sentences, labels, feature="frame", features=features,
                          pairwise=pairwise, n_resamples=n_resamples, seed=seed, family="frames")
    family = table.attrs.get("bh_family")
    types = dict(load_frame_definitions()[["frame", "frame_type"]].itertuples(index=False))
    table.insert(3, "frame_type", table["frame"].map(types))
    if frame_type is not None:
        table = table[table["frame_type"] == frame_type].reset_index(drop=True)
    if validation is not None:
        from ..validation import add_corrected_columns, compare_corrected_frames

        corrected = compare_corrected_frames(docs, validation, groups=labels, model=model,
                                             frames=model.frames if model is not None else None, seed=seed)
        table = add_corrected_columns(table, corrected)
    table.attrs["bh_family"] = family
    return table
