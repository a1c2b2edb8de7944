"""Agency: who acts and who is acted upon, as an actor × role heatmap per group."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ._common import empty_message, group_order, require_columns
from .style import SEQUENTIAL_CMAP, new_axes, styled

ROLES: tuple[str, ...] = ("agent", "patient")


@styled
def plot_agency(
    table: pd.DataFrame,
    *,
    verb_class: str = "all",
    n: int = 10,
    groups: Sequence[str] | None = None,
    value: str = "share",
    ax: Any = None,
) -> Any:
    """Heatmap: rows are actors, columns are group × role (agent, patient), cells are each group's
    shares of its clauses (default), so a long text does not dominate, or raw clause counts.

    Parameters
    ----------
    table : DataFrame
        From ``count_agency``: ``group``, ``actor``, ``verb_class``, ``agent``, ``patient``.
    verb_class : str, keyword-only
        Which ``verb_class`` rows to draw (``all`` = every verb; or ``coerce_attack``, ...).
    n : int, keyword-only
        Actors shown (highest agent + patient totals over the groups first).
    groups : sequence of str, optional
    value : {"share", "count"}, keyword-only
        ``share``: percent of all actor–role clauses of the group (every actor in the table, not only
        those shown); ``count``: clauses.
    ax : matplotlib Axes, optional
    """
    import textwrap

    require_columns(table, ("group", "actor", "verb_class", *ROLES), plot="plot_agency")
    if value not in ("share", "count"):
        from ..errors import InputError

        raise InputError(f"plot_agency: unknown value {value!r}", fix="use 'share' or 'count'")
    groups = group_order(table, groups=groups)
    data = table[table["group"].astype(str).isin(groups) & (table["verb_class"].astype(str) == verb_class)]
    long = data.melt(id_vars=["group", "actor"], value_vars=list(ROLES), var_name="role", value_name="clauses")
    wide = long.pivot_table(index="actor", columns=["group", "role"], values="clauses", aggfunc="sum",
                            fill_value=0)
    cols = pd.MultiIndex.from_product([groups, list(ROLES)], names=["group", "role"])
    wide = wide.reindex(columns=cols, fill_value=0)
    totals = wide.sum(axis=1)
    actors = sorted(wide.index.astype(str), key=lambda a: (-totals[a], a))[:n]
    ax = new_axes(ax, height=1.5 + 0.3 * max(len(actors), 1))
    if not actors:
        return empty_message(ax, f"no agency clauses (verb_class {verb_class!r})")
    matrix = wide.loc[actors].to_numpy(dtype=float)
    if value == "share":
        group_totals = wide.T.groupby(level="group", sort=False).sum().T.sum(axis=0).reindex(groups)
        per_column = np.repeat(group_totals.to_numpy(dtype=float), len(ROLES))
        matrix = 100 * matrix / np.where(per_column > 0, per_column, 1)
    vmax = max(float(matrix.max()), 1.0)
    image = ax.imshow(matrix, cmap=SEQUENTIAL_CMAP, aspect="auto", vmin=0, vmax=vmax)
    for (i, j), v in np.ndenumerate(matrix):
        ax.text(j, i, f"{v:.0f}{'%' if value == 'share' else ''}", ha="center", va="center", fontsize=7,
                color="white" if v < 0.55 * vmax else "black")
    ax.set_yticks(range(len(actors)), actors)
    ax.set_xticks(range(len(cols)), [role for _, role in cols])
    for k, group in enumerate(groups):
        mid = k * len(ROLES) + (len(ROLES) - 1) / 2
        ax.text(mid, -0.6, textwrap.fill(str(group), 14), ha="center", va="bottom", fontsize=7.5,
                fontweight="bold")
        if k:
            ax.axvline(k * len(ROLES) - 0.5, color="white", linewidth=3)
    ax.set_ylim(len(actors) - 0.5, -1.6)
    ax.spines[:].set_visible(False)
    ax.tick_params(length=0)
    ax.set_xlabel("role of the actor in the clause (agent: acts; patient: is acted upon)")
    what = "all verbs" if verb_class == "all" else verb_class.replace("_", " ") + " verbs"
    ax.set_title(f"Agency: actor × role ({what})", pad=4)
    cbar = ax.figure.colorbar(image, ax=ax, shrink=0.8, pad=0.02)
    cbar.set_label("% of the group's actor–role clauses" if value == "share" else "clauses")
    return ax
