"""Helpers shared by the plot modules: column checks, group order, dot-and-interval rows."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from .style import GREY, group_colors


def require_columns(table: Any, columns: Iterable[str], *, plot: str) -> pd.DataFrame:
    """Raise a clear :class:`InputError` when ``table`` is not a DataFrame with ``columns``."""
    if not isinstance(table, pd.DataFrame):
        raise InputError(f"{plot} expects a pandas DataFrame, got {type(table).__name__}",
                         fix="pass the table returned by the matching extract_/count_/compare_ function")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise InputError(f"{plot}: table lacks column(s) {missing}; it has {list(table.columns)}",
                         fix="pass the table returned by the matching extract_/count_/compare_ function")
    return table


def group_order(table: pd.DataFrame, column: str = "group", groups: Sequence[str] | None = None) -> list[str]:
    """Groups to draw: ``groups`` if given, else the table's values sorted (stable across figures)."""
    if groups is not None:
        return [str(g) for g in groups]
    return sorted(table[column].astype(str).unique())


def one_row_per(table: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """One row per ``keys`` from a ``compare_*`` table.

    Group rates (``per_1k``, ``ci_low``, ``ci_high``) repeat on every ``versus`` row; keep the
    ``versus == "rest"`` rows when the table has them, else the first row per key (table order).
    """
    if "versus" in table.columns and (table["versus"].astype(str) == "rest").any():
        table = table[table["versus"].astype(str) == "rest"]
    return table.drop_duplicates(subset=list(keys), keep="first")


def in_order(values: Iterable[Any]) -> list[str]:
    """Distinct values as strings, in first-seen order (the analysis table's own order)."""
    return list(dict.fromkeys(str(v) for v in values))


def empty_message(ax: Any, text: str) -> Any:
    """Say on the axes that there is nothing to draw (better than an empty frame)."""
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color=GREY)
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


def dot_interval_rows(
    ax: Any,
    table: pd.DataFrame,
    *,
    row: str,
    value: str,
    groups: list[str],
    low: str | None = None,
    high: str | None = None,
    rows: list[str] | None = None,
) -> list[str]:
    """One row per ``row`` value, one dot per group (dodged), with whiskers from ``low``..``high``.

    Returns the row labels top to bottom.
    """
    colors = group_colors(groups)
    rows = rows if rows is not None else sorted(table[row].astype(str).unique())
    n_groups = max(len(groups), 1)
    step = 0.7 / n_groups
    ypos = {r: len(rows) - 1 - i for i, r in enumerate(rows)}
    for k, group in enumerate(groups):
        sub = table[table["group"].astype(str) == group]
        sub = sub[sub[row].astype(str).isin(ypos)]
        y = np.array([ypos[str(r)] for r in sub[row]], dtype=float) + (n_groups - 1) * step / 2 - k * step
        x = sub[value].to_numpy(dtype=float)
        if low is not None and high is not None:
            lo = x - sub[low].to_numpy(dtype=float)
            hi = sub[high].to_numpy(dtype=float) - x
            err = np.vstack([np.clip(lo, 0, None), np.clip(hi, 0, None)])
            ax.errorbar(x, y, xerr=err, fmt="none", ecolor=colors[group], elinewidth=1.2, capsize=2, alpha=0.8)
        ax.scatter(x, y, s=30, color=colors[group], label=group, zorder=3, edgecolor="white", linewidth=0.5)
    ax.set_yticks(range(len(rows)), list(reversed(rows)))
    ax.set_ylim(-0.6, len(rows) - 0.4)
    for y in range(len(rows)):
        ax.axhline(y, color="#EEEEEE", linewidth=0.6, zorder=0)
    return rows


def legend_below(ax: Any, *, ncol: int = 3, xlabel_lines: int = 1, **kwargs: Any) -> Any:
    """A legend under the x-axis label, at a fixed physical distance (never over the data)."""
    from matplotlib.transforms import ScaledTranslation

    offset = ScaledTranslation(0, -(0.3 + 0.14 * xlabel_lines), ax.figure.dpi_scale_trans)
    return ax.legend(loc="upper left", bbox_to_anchor=(0.0, 0.0), bbox_transform=ax.transAxes + offset,
                     ncol=ncol, borderaxespad=0.0, **kwargs)
