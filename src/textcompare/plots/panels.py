"""Small multiples: one panel per comparison, so a table with several groups is never silently
reduced to its first pair."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from ._common import require_columns
from .style import FIG_WIDTH, RC, styled


def choose_comparisons(table: pd.DataFrame, comparisons: Sequence[str] | None = None) -> list[str]:
    """The comparisons to draw: ``comparisons`` if given (checked); else every "X vs rest" comparison
    when the table has them (one per group), else every comparison in the table (one pair: one panel)."""
    from ..errors import InputError

    present = list(dict.fromkeys(table["comparison"].astype(str))) if "comparison" in table.columns else []
    if comparisons is not None:
        unknown = [c for c in comparisons if c not in present]
        if unknown:
            raise InputError(f"unknown comparison(s) {unknown}", fix="choose from: " + ", ".join(present))
        return list(comparisons)
    rest = [c for c in present if c.endswith(" vs rest")]
    return rest or present


@styled
def plot_panels(table: pd.DataFrame, draw: Callable[..., Any], *, comparisons: Sequence[str] | None = None,
                ncols: int = 2, panel_height: float = 3.6, title: str | None = None, **kwargs: Any) -> Any:
    """Draw ``draw(table, comparison=c, ax=ax, **kwargs)`` once per comparison on one figure.

    Returns the first Axes (``ax.figure.axes`` holds every panel), so ``save_figure(ax.figure, …)``
    works as for a single plot. One comparison gives one full-width panel.
    """
    import matplotlib.pyplot as plt

    require_columns(table, ("comparison",), plot="plot_panels")
    chosen = choose_comparisons(table, comparisons) or [None]
    ncols = 1 if len(chosen) == 1 else max(1, min(ncols, len(chosen)))
    nrows = -(-len(chosen) // ncols)
    width = FIG_WIDTH if ncols == 1 else FIG_WIDTH * ncols * 0.85
    with plt.rc_context(RC):
        fig, axes = plt.subplots(nrows, ncols, figsize=(width, panel_height * nrows + (0.4 if title else 0)),
                                 squeeze=False, layout="constrained")
    flat = list(axes.ravel())
    for ax, comparison in zip(flat, chosen):
        draw(table, comparison=comparison, ax=ax, **kwargs)
    for ax in flat[len(chosen):]:
        ax.set_visible(False)
    if title:
        fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    return flat[0]


def plot_keyness_panels(table: pd.DataFrame, *, n: int = 8, comparisons: Sequence[str] | None = None,
                        title: str | None = None) -> Any:
    """:func:`plot_keyness` for every comparison (default: each group vs the rest; see
    :func:`choose_comparisons`), one panel each, ``n`` terms per side."""
    from .keyness import plot_keyness

    chosen = choose_comparisons(table, comparisons)
    first = plot_panels(table, plot_keyness, comparisons=chosen, n=n, panel_height=1.9 + 0.26 * 2 * n,
                        title=title if title is not None or len(chosen) < 2 else
                        f"Key terms, {len(chosen)} comparisons (each group vs the rest)")
    if len(chosen) > 1:  # side by side, the single plot's three-line axis label would run into the next panel
        for ax, comparison in zip(first.figure.axes, chosen):
            a, b = comparison.split(" vs ", 1)
            ax.set_xlabel(f"log₂(rate in {a} / rate in {b})\nlabels: count {a} : count {b}, G², ¶k")
    return first


def plot_fightin_words_panels(table: pd.DataFrame, *, label_n: int = 6,
                              comparisons: Sequence[str] | None = None) -> Any:
    """:func:`plot_fightin_words` for every comparison (default: each group vs the rest), one panel each."""
    from .keyness import plot_fightin_words

    chosen = choose_comparisons(table, comparisons)
    return plot_panels(table, plot_fightin_words, comparisons=chosen, label_n=label_n, panel_height=4.2,
                       title=None if len(chosen) < 2 else
                       f"Fightin' Words, {len(chosen)} comparisons (each group vs the rest)")
