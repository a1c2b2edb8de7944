"""Cleaning summary: how much of each raw document was kept, and why the rest was removed."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ._common import empty_message, legend_below, require_columns
from .style import LIGHT_GREY, OKABE_ITO, new_axes, styled

KEPT = "kept"


@styled
def plot_cleaning_summary(table: pd.DataFrame, *, max_reasons: int = 6, ax: Any = None) -> Any:
    """Stacked bars per document: characters kept versus removed, split by removal reason.

    Parameters
    ----------
    table : DataFrame
        Columns ``document``, ``reason`` (``"kept"`` for the article body, otherwise a
        removal reason) and ``chars``; one row per document and reason.
    max_reasons : int, keyword-only
        Reasons beyond the largest ``max_reasons`` (by total characters) are drawn as "other".
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    require_columns(table, ("document", "reason", "chars"), plot="plot_cleaning_summary")
    documents = sorted(table["document"].astype(str).unique())
    ax = new_axes(ax, height=1.4 + 0.45 * max(len(documents), 1))
    if table.empty:
        return empty_message(ax, "no documents")
    wide = table.pivot_table(index="document", columns="reason", values="chars", aggfunc="sum", fill_value=0)
    wide = wide.reindex(documents).fillna(0)
    removed = [c for c in wide.columns if c != KEPT]
    totals = wide[removed].sum().sort_values(ascending=False, kind="mergesort")
    order = sorted(removed, key=lambda r: (-totals[r], r))
    if len(order) > max_reasons:
        keep, rest = order[:max_reasons], order[max_reasons:]
        wide["other"] = wide[rest].sum(axis=1)
        order = keep + ["other"]
    columns = ([KEPT] if KEPT in wide.columns else []) + order
    colors = {KEPT: OKABE_ITO[0]}
    palette = list(OKABE_ITO[1:7]) + [LIGHT_GREY]
    for i, reason in enumerate(order):
        colors[reason] = LIGHT_GREY if reason == "other" else palette[i % (len(palette) - 1)]
    y = np.arange(len(documents))[::-1]
    left = np.zeros(len(documents))
    for reason in columns:
        values = wide[reason].to_numpy(dtype=float)
        label = "kept (article body)" if reason == KEPT else f"removed: {reason}"
        ax.barh(y, values, left=left, color=colors[reason], label=label, height=0.6, edgecolor="white", linewidth=0.5)
        left += values
    kept = wide[KEPT].to_numpy(dtype=float) if KEPT in wide.columns else np.zeros(len(documents))
    for yi, total, k in zip(y, left, kept):
        share = 100 * k / total if total else 0.0
        ax.text(total, yi, f"  {share:.0f}% kept", va="center", ha="left", fontsize=7.5)
    ax.set_yticks(y, documents)
    ax.set_xlim(0, left.max() * 1.18 if len(left) and left.max() > 0 else 1)
    ax.set_xlabel("characters (kept body + removed blocks; whitespace and markup not counted)")
    ax.set_title("Cleaning: article body kept vs boilerplate removed")
    legend_below(ax, ncol=2, fontsize=7)
    return ax
