"""Sentence alignment: similarity of every sentence of one text to every sentence of another."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ._common import empty_message, require_columns
from .style import SEQUENTIAL_CMAP, new_axes, styled


@styled
def plot_alignment(
    table: pd.DataFrame,
    *,
    doc_a: str | None = None,
    doc_b: str | None = None,
    label_a: str | None = None,
    label_b: str | None = None,
    ax: Any = None,
) -> Any:
    """Heatmap of sentence-to-sentence similarity between two documents, in reading order.

    Parameters
    ----------
    table : DataFrame
        From ``align_sentences``: ``doc_id``, ``sent_id``, ``other_doc_id``, ``other_sent_id``,
        ``similarity`` (``group``/``other_group`` name the axes when present). With the default
        ``top=1`` only each sentence's best match is drawn; ``align_sentences(..., top=10_000)``
        gives the full matrix. Pairs missing from the table are drawn as 0.
    doc_a, doc_b : str, keyword-only
        The two documents (default: the first ``doc_id``/``other_doc_id`` pair, sorted).
    label_a, label_b : str, keyword-only
        Axis names (default: the group label, else the document id).
    ax : matplotlib Axes, optional
    """
    require_columns(table, ("doc_id", "sent_id", "other_doc_id", "other_sent_id", "similarity"),
                    plot="plot_alignment")
    ax = new_axes(ax, height=4.8)
    if table.empty:
        return empty_message(ax, "no sentence pairs")
    if doc_a is None or doc_b is None:
        pairs = table[["doc_id", "other_doc_id"]].astype(str).drop_duplicates().sort_values(["doc_id", "other_doc_id"])
        if doc_a is not None:
            pairs = pairs[pairs["doc_id"] == str(doc_a)]
        first = pairs.iloc[0]
        doc_a, doc_b = str(first["doc_id"]), str(doc_b if doc_b is not None else first["other_doc_id"])
    sub = table[(table["doc_id"].astype(str) == doc_a) & (table["other_doc_id"].astype(str) == doc_b)]
    if sub.empty:
        return empty_message(ax, f"no sentence pairs for {doc_a} × {doc_b}")

    def _label(given: str | None, column: str, doc: str) -> str:
        if given is not None:
            return given
        return str(sub[column].iloc[0]) if column in sub.columns else doc

    label_a = _label(label_a, "group", doc_a)
    label_b = _label(label_b, "other_group", doc_b)
    n_a = int(sub["sent_id"].max()) + 1
    n_b = int(sub["other_sent_id"].max()) + 1
    matrix = np.zeros((n_a, n_b))
    sims = sub["similarity"].to_numpy(dtype=float)
    np.maximum.at(matrix, (sub["sent_id"].to_numpy(dtype=int), sub["other_sent_id"].to_numpy(dtype=int)), sims)
    image = ax.imshow(matrix, cmap=SEQUENTIAL_CMAP, aspect="auto", vmin=0, vmax=max(1e-9, float(matrix.max())),
                      interpolation="nearest")
    ax.set_xlabel(f"sentence number in {label_b} (reading order, from 0)")
    ax.set_ylabel(f"sentence number in {label_a}")
    ax.set_title(f"Sentence alignment: {label_a} × {label_b}")
    cbar = ax.figure.colorbar(image, ax=ax, shrink=0.85, pad=0.02)
    cbar.set_label("TF-IDF cosine similarity")
    return ax


@styled
def plot_alignment_pairs(table: pd.DataFrame, *, pairs: list[tuple[str, str]] | None = None, ncols: int = 3,
                         max_panels: int = 12) -> Any:
    """Small multiples of :func:`plot_alignment`: every pair of documents from different groups (or the
    ``pairs`` given), one heatmap each on one colour scale. Returns the first Axes.

    More than ``max_panels`` pairs: the pairs with the highest similarity are drawn and the title
    says how many of how many.
    """
    import matplotlib.pyplot as plt

    from .style import FIG_WIDTH, RC

    require_columns(table, ("doc_id", "sent_id", "other_doc_id", "other_sent_id", "similarity"),
                    plot="plot_alignment_pairs")
    if table.empty:
        return plot_alignment(table)
    t = table.assign(doc_id=table["doc_id"].astype(str), other_doc_id=table["other_doc_id"].astype(str))
    if pairs is None:
        between = t[t["doc_id"] < t["other_doc_id"]]
        if "group" in t.columns and "other_group" in t.columns:
            between = between[between["group"].astype(str) != between["other_group"].astype(str)]
        strength = between.groupby(["doc_id", "other_doc_id"])["similarity"].max()
        every = list(strength.index)
        if len(every) > max_panels:
            every = sorted(strength.sort_values(ascending=False, kind="mergesort").head(max_panels).index)
        total = len(strength)
        pairs = every
    else:
        total = len(pairs)
    if not pairs:
        return plot_alignment(t)
    ncols = max(1, min(ncols, len(pairs)))
    nrows = -(-len(pairs) // ncols)
    vmax = max(1e-9, float(t["similarity"].max()))
    with plt.rc_context(RC):
        fig, axes = plt.subplots(nrows, ncols, figsize=(FIG_WIDTH * (1 if ncols == 1 else 1.5), 2.3 * nrows + 0.8),
                                 squeeze=False, layout="constrained")
    flat = list(axes.ravel())

    def _name(doc: str, column: str, sub: pd.DataFrame) -> str:
        group = str(sub[column].iloc[0]) if column in sub.columns else ""
        return f"{group} ({doc[:3]})" if group else doc

    image = None
    for ax, (doc_a, doc_b) in zip(flat, pairs):
        sub = t[(t["doc_id"] == doc_a) & (t["other_doc_id"] == doc_b)]
        if sub.empty:
            empty_message(ax, f"no pairs {doc_a[:3]} × {doc_b[:3]}")
            continue
        matrix = np.zeros((int(sub["sent_id"].max()) + 1, int(sub["other_sent_id"].max()) + 1))
        np.maximum.at(matrix, (sub["sent_id"].to_numpy(dtype=int), sub["other_sent_id"].to_numpy(dtype=int)),
                      sub["similarity"].to_numpy(dtype=float))
        image = ax.imshow(matrix, cmap=SEQUENTIAL_CMAP, aspect="auto", vmin=0, vmax=vmax, interpolation="nearest")
        ax.set_ylabel(_name(doc_a, "group", sub), fontsize=7)
        ax.set_xlabel(_name(doc_b, "other_group", sub), fontsize=7)
        ax.tick_params(labelsize=6.5)
    for ax in flat[len(pairs):]:
        ax.set_visible(False)
    shown = f"{len(pairs)} of {total} pairs (highest similarity)" if len(pairs) < total else f"all {total} pairs"
    fig.suptitle(f"Sentence alignment between documents of different groups: {shown}\n"
                 "axes: sentence number in each document (reading order, from 0)", x=0.01, ha="left",
                 fontsize=9, fontweight="bold")
    if image is not None:
        fig.colorbar(image, ax=flat[:len(pairs)], shrink=0.8, label="TF-IDF cosine similarity")
    return flat[0]
