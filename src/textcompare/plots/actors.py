"""Actor salience: how often each actor is mentioned per 1,000 words, group against group."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ._common import empty_message, group_order, legend_below, require_columns
from .style import GREY, group_colors, new_axes, styled


@styled
def plot_actor_salience(
    table: pd.DataFrame,
    *,
    n: int = 12,
    groups: Sequence[str] | None = None,
    min_mentions: int = 2,
    ax: Any = None,
) -> Any:
    """Dumbbell chart: one row per actor, one dot per group at its mentions per 1,000 words.

    Rows are the ``n`` actors with the highest rate in any group, sorted by the gap between
    the groups (largest gap on top). Whiskers are drawn when the table has ``ci_low`` and
    ``ci_high``; mention counts are printed above (first group) or below (second) the dots.

    Parameters
    ----------
    table : DataFrame
        From ``count_actors``: columns ``group``, ``actor``, ``mentions``, ``per_1k``.
    n : int, keyword-only
        Number of actors shown.
    groups : sequence of str, optional
        Groups to draw, in this order (default: all, sorted).
    min_mentions : int, keyword-only
        Leave out actors with fewer mentions than this over all groups drawn (stated in the x label),
        so one-off mentions do not take rows.
    ax : matplotlib Axes, optional
    """
    require_columns(table, ("group", "actor", "mentions", "per_1k"), plot="plot_actor_salience")
    groups = group_order(table, groups=groups)
    data = table[table["group"].astype(str).isin(groups)]
    mentioned = data.groupby("actor")["mentions"].sum()
    data = data[data["actor"].isin(mentioned[mentioned >= min_mentions].index)]
    wide = data.pivot_table(index="actor", columns="group", values="per_1k", aggfunc="sum", fill_value=0.0)
    wide = wide.reindex(columns=groups, fill_value=0.0)
    ax = new_axes(ax, height=1.2 + 0.3 * min(n, max(len(wide), 1)))
    if wide.empty:
        return empty_message(ax, "no actor mentions")
    ranked = pd.DataFrame({"top": wide.max(axis=1), "gap": wide.max(axis=1) - wide.min(axis=1)})
    ranked = ranked.reset_index().sort_values(["top", "actor"], ascending=[False, True], kind="mergesort").head(n)
    ranked = ranked.sort_values(["gap", "actor"], ascending=[True, False], kind="mergesort")
    actors = ranked["actor"].tolist()  # bottom to top
    colors = group_colors(groups)
    has_ci = {"ci_low", "ci_high"} <= set(data.columns)
    counts = data.set_index(["actor", "group"])["mentions"]
    for y, actor in enumerate(actors):
        values = wide.loc[actor].to_numpy(dtype=float)
        ax.plot([values.min(), values.max()], [y, y], color=GREY, linewidth=2, alpha=0.5, zorder=1)
    for k, group in enumerate(groups):
        xs = wide.loc[actors, group].to_numpy(dtype=float)
        ys = np.arange(len(actors), dtype=float)
        if has_ci:
            ci = data[data["group"].astype(str) == group].set_index("actor").reindex(actors)
            lo = np.clip(xs - ci["ci_low"].fillna(0).to_numpy(dtype=float), 0, None)
            hi = np.clip(ci["ci_high"].fillna(0).to_numpy(dtype=float) - xs, 0, None)
            ax.errorbar(xs, ys, xerr=np.vstack([lo, hi]), fmt="none", ecolor=colors[group], alpha=0.6, capsize=2)
        ax.scatter(xs, ys, s=42, color=colors[group], label=group, zorder=3, edgecolor="white", linewidth=0.6)
        for x, y, actor in zip(xs, ys, actors):
            count = counts.get((actor, group), 0)
            if count:
                above = k % 2 == 0  # alternate sides so counts of close dots never overprint
                ax.annotate(f"{int(count)}", (x, y), xytext=(0, 5 if above else -5), textcoords="offset points",
                            ha="center", va="bottom" if above else "top", fontsize=7, color=colors[group])
    ax.set_yticks(range(len(actors)), actors)
    ax.set_ylim(-0.8, len(actors) - 0.2)
    ax.set_xlim(left=0)
    ax.margins(x=0.08)
    ax.set_xlabel("mentions per 1,000 words (numbers: raw mentions)\n"
                  f"actors with at least {min_mentions} mentions in all; top {n} by their highest rate")
    ax.set_title("Actor salience by group")
    legend_below(ax, ncol=min(len(groups), 4), xlabel_lines=2)
    ax.grid(axis="x", color="#EEEEEE", linewidth=0.6)
    ax.set_axisbelow(True)
    return ax
