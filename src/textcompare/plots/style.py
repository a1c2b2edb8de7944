"""The house look of every figure: a colour-blind-safe palette, font sizes, one figure width.

Colours are the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"), which stays
distinguishable under the common colour-vision deficiencies; sequential scales use ``cividis``
(Nuñez, Anderton & Renslow 2018), which is perceptually uniform for the same readers.
Figures are 6 inches wide and saved at 150 dpi: 900 px, the width a README shows.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import matplotlib as mpl

#: Okabe–Ito, reordered so that the first two groups get the highest-contrast pair (blue, vermillion).
OKABE_ITO: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)
GREY = "#7F7F7F"
LIGHT_GREY = "#D9D9D9"
SEQUENTIAL_CMAP = "cividis"

FIG_WIDTH = 6.0  # inches; x DPI = 900 px
DPI = 150

#: rcParams applied while a figure is drawn (not globally: importing textcompare changes nothing).
RC: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 8.5,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 8.5,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#444444",
    "axes.prop_cycle": mpl.cycler(color=list(OKABE_ITO)),
    "figure.dpi": 100,
    "savefig.dpi": DPI,
    "svg.fonttype": "none",
    "svg.hashsalt": "textcompare",
    "image.cmap": SEQUENTIAL_CMAP,
    # Labels are data (outlet names, terms): "$5 and $10" or "$\\frac…$" must be drawn as typed,
    # never through mathtext (which draws the first as maths and fails on the second).
    "text.parse_math": False,
}

F = TypeVar("F", bound=Callable[..., Any])


def styled(func: F) -> F:
    """Draw inside ``rc_context(RC)`` so every ``plot_*`` function shares the house look."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with mpl.rc_context(RC):
            result = func(*args, **kwargs)
            _settle_text(result)
        return result

    return wrapper  # type: ignore[return-value]


def _settle_text(result: Any) -> None:
    """Lay out the figure(s) of ``result`` while RC holds, so tick labels (made lazily at draw time)
    take ``text.parse_math=False`` too; ticks made later copy these."""
    items = result if isinstance(result, (tuple, list)) else (result,)
    figures = {id(f): f for f in (getattr(item, "figure", item) for item in items)
               if hasattr(f, "draw_without_rendering")}
    for figure in figures.values():
        figure.draw_without_rendering()


def group_colors(groups: Iterable[str]) -> dict[str, str]:
    """A stable colour per group: groups in the order given get OKABE_ITO in order (cycling past 8)."""
    out: dict[str, str] = {}
    for group in groups:
        if group not in out:
            out[group] = OKABE_ITO[len(out) % len(OKABE_ITO)]
    return out


def new_axes(ax: Any = None, *, height: float = 3.6, width: float = FIG_WIDTH) -> Any:
    """``ax`` if given, else a fresh ``Axes`` on a new pyplot figure of the house width."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    with mpl.rc_context(RC):
        _, ax = plt.subplots(figsize=(width, height), layout="constrained")
        interactive = mpl.is_interactive()  # the first figure may switch a notebook backend on
    plt.interactive(interactive)  # rc_context would otherwise undo it and hide later figures
    return ax


__all__ = ["OKABE_ITO", "GREY", "LIGHT_GREY", "SEQUENTIAL_CMAP", "FIG_WIDTH", "DPI", "RC", "styled",
           "group_colors", "new_axes"]
