"""Framing figures: frame profile with intervals, Entman's functions, frames through each text."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ._common import (dot_interval_rows, empty_message, group_order, in_order, legend_below, one_row_per,
                      require_columns)
from .style import group_colors, new_axes, styled


def _frame_order(table: pd.DataFrame) -> list[str]:
    """Frames by ``frame_type`` (case before policy) when the table has it, then by name."""
    if "frame_type" not in table.columns:
        return sorted(table["frame"].astype(str).unique())
    kinds = table.drop_duplicates("frame").set_index("frame")["frame_type"].astype(str)
    return sorted(kinds.index.astype(str), key=lambda f: (kinds[f], f))


@styled
def plot_frame_profile(table: pd.DataFrame, *, groups: Sequence[str] | None = None, ax: Any = None) -> Any:
    """Dot-and-interval chart: frame hits per 1,000 words, per group, with bootstrap whiskers.

    Parameters
    ----------
    table : DataFrame
        From ``compare_frames``: ``group, frame, per_1k, ci_low, ci_high``; frames are ordered
        by ``frame_type`` (case before policy) when present, then by name. Rows repeated per
        ``versus`` are drawn once.
    groups : sequence of str, optional
    ax : matplotlib Axes, optional
    """
    require_columns(table, ("group", "frame", "per_1k", "ci_low", "ci_high"), plot="plot_frame_profile")
    groups = group_order(table, groups=groups)
    table = one_row_per(table, ("group", "frame"))
    frames = _frame_order(table)
    ax = new_axes(ax, height=1.3 + 0.3 * max(len(frames), 1))
    if table.empty:
        return empty_message(ax, "no frames")
    dot_interval_rows(ax, table, row="frame", value="per_1k", groups=groups, low="ci_low", high="ci_high",
                      rows=frames)
    ax.set_xlim(left=0)
    if "frame_type" in table.columns:
        kinds = table.drop_duplicates("frame").set_index("frame")["frame_type"].astype(str)
        ax.set_yticks(ax.get_yticks(), [f"{f} ({kinds[f]})" for f in reversed(frames)])
    ax.set_xlabel("frame hits per 1,000 words (whiskers: 95% bootstrap interval)")
    ax.set_title("Frame profile by group")
    legend_below(ax, ncol=len(groups) if len(groups) <= 3 else 2)  # long names: two columns fit the width
    return ax


@styled
def plot_frame_functions(
    table: pd.DataFrame,
    *,
    value: str = "per_1k",
    groups: Sequence[str] | None = None,
    ax: Any = None,
) -> Any:
    """Grouped bars: Entman's four framing functions (or any ``function`` column), per group.

    Parameters
    ----------
    table : DataFrame
        From ``compare_functions``: ``group``, ``function`` and ``value`` (default ``per_1k``);
        ``ci_low`` / ``ci_high`` add whiskers when present. Functions keep the table's order.
    value : str, keyword-only
        Which numeric column the bars show (the table's column names are not changed).
    groups : sequence of str, optional
    ax : matplotlib Axes, optional
    """
    require_columns(table, ("group", "function", value), plot="plot_frame_functions")
    groups = group_order(table, groups=groups)
    table = one_row_per(table, ("group", "function"))
    functions = in_order(table["function"])
    ax = new_axes(ax, height=3.4)
    if table.empty:
        return empty_message(ax, "no framing functions")
    colors = group_colors(groups)
    width = 0.8 / max(len(groups), 1)
    x = np.arange(len(functions))
    has_ci = {"ci_low", "ci_high"} <= set(table.columns)
    for k, group in enumerate(groups):
        sub = table[table["group"].astype(str) == group].set_index("function")
        sub = sub.groupby(level=0).first().reindex(functions)
        vals = sub[value].fillna(0).to_numpy(dtype=float)
        pos = x - 0.4 + width * (k + 0.5)
        yerr = None
        if has_ci:
            yerr = np.vstack([np.clip(vals - sub["ci_low"].fillna(0).to_numpy(dtype=float), 0, None),
                              np.clip(sub["ci_high"].fillna(0).to_numpy(dtype=float) - vals, 0, None)])
        ax.bar(pos, vals, width=width * 0.95, color=colors[group], label=group, yerr=yerr,
               error_kw={"elinewidth": 0.9, "capsize": 2, "ecolor": "#333333"})
    ax.set_xticks(x, [f.replace("_", "\n", 1) for f in functions])
    ax.set_ylabel("hits per 1,000 words" if value == "per_1k" else value.replace("_", " "))
    if has_ci and value == "per_1k":
        ax.set_xlabel("Entman function (whiskers: 95% bootstrap interval)")
    else:
        ax.set_xlabel("Entman function")
    ax.set_title("Entman's framing functions by group")
    legend_below(ax, ncol=len(groups) if len(groups) <= 3 else 2, xlabel_lines=3)  # never over the whiskers
    ax.grid(axis="y", color="#EEEEEE", linewidth=0.6)
    ax.set_axisbelow(True)
    return ax


@styled
def plot_frame_trajectory(
    table: pd.DataFrame,
    *,
    documents: Sequence[str] | None = None,
    ax: Any = None,
) -> Any:
    """Where each frame occurs through each text: one lane per frame, ticks at relative position 0..1.

    Parameters
    ----------
    table : DataFrame
        Columns ``document`` (a label per text), ``frame`` and ``position`` (0 = start of the
        text, 1 = end; e.g. the hit's sentence ``start_char`` / body length), one row per hit.
    documents : sequence of str, optional
        Texts to draw, in this order (default: all, sorted).
    ax : matplotlib Axes, optional
    """
    require_columns(table, ("document", "frame", "position"), plot="plot_frame_trajectory")
    docs = [str(d) for d in documents] if documents is not None else sorted(table["document"].astype(str).unique())
    frames = _frame_order(table)
    ax = new_axes(ax, height=1.3 + 0.3 * max(len(frames), 1))
    if table.empty:
        return empty_message(ax, "no framed sentences")
    colors = group_colors(docs)
    step = 0.7 / max(len(docs), 1)
    for k, doc in enumerate(docs):
        sub = table[table["document"].astype(str) == doc]
        for i, frame in enumerate(frames):
            xs = sub.loc[sub["frame"].astype(str) == frame, "position"].to_numpy(dtype=float)
            y = len(frames) - 1 - i + (len(docs) - 1) * step / 2 - k * step
            ax.scatter(xs, np.full(len(xs), y), marker="|", s=90, linewidths=1.8, color=colors[doc],
                       label=doc if i == 0 else None)
    for y in range(len(frames)):
        ax.axhline(y, color="#EEEEEE", linewidth=0.6, zorder=0)
    ax.set_yticks(range(len(frames)), list(reversed(frames)))
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.6, len(frames) - 0.4)
    ax.set_xlabel("position in the text (0 = start, 1 = end; share of characters)")
    ax.set_title("Frames through each text")
    legend_below(ax, ncol=len(docs) if len(docs) <= 3 else 2)
    return ax
