"""Stance markers (hedges, boosters, attitude, deontic, ...) per 1,000 words, per group."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from ._common import (dot_interval_rows, empty_message, group_order, in_order, legend_below, one_row_per,
                      require_columns)
from .style import new_axes, styled


@styled
def plot_stance(table: pd.DataFrame, *, groups: Sequence[str] | None = None, ax: Any = None) -> Any:
    """Dot-and-interval chart of stance-marker rates per group.

    Parameters
    ----------
    table : DataFrame
        From ``compare_stance``: ``group``, ``marker`` (stance category) and ``per_1k``;
        ``ci_low``/``ci_high`` add whiskers. Rows repeated per ``versus`` are drawn once.
    groups : sequence of str, optional
    ax : matplotlib Axes, optional
    """
    require_columns(table, ("group", "marker", "per_1k"), plot="plot_stance")
    groups = group_order(table, groups=groups)
    table = one_row_per(table, ("group", "marker"))
    markers = in_order(table["marker"])
    ax = new_axes(ax, height=1.3 + 0.42 * max(len(markers), 1))
    if table.empty:
        return empty_message(ax, "no stance markers")
    has_ci = {"ci_low", "ci_high"} <= set(table.columns)
    dot_interval_rows(ax, table, row="marker", value="per_1k", groups=groups,
                      low="ci_low" if has_ci else None, high="ci_high" if has_ci else None,
                      rows=markers)
    ax.set_yticks(ax.get_yticks(), [t.get_text().replace("_", " ") for t in ax.get_yticklabels()])
    ax.set_xlim(left=0)
    ax.set_xlabel("marker hits per 1,000 words" + (" (whiskers: 95% bootstrap interval)" if has_ci else ""))
    ax.set_title("Stance markers by group")
    legend_below(ax, ncol=len(groups) if len(groups) <= 3 else 2)
    return ax
