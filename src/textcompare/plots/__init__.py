"""Figures: every ``plot_*`` takes a tidy table and an optional ``ax=`` and returns the Axes.

Plot functions never compute analysis and never save; :func:`save_figure` writes PNG and SVG
reproducibly with a provenance caption built by :func:`figure_provenance`.

    ax = tc.plot_keyness(table, n=10)
    tc.save_figure(ax.figure, "keyness", provenance=tc.figure_provenance(corpus))
"""
from __future__ import annotations

from .actors import plot_actor_salience
from .agency import plot_agency
from .alignment import plot_alignment, plot_alignment_pairs
from .cleaning import plot_cleaning_summary
from .framing import plot_frame_functions, plot_frame_profile, plot_frame_trajectory
from .keyness import plot_fightin_words, plot_keyness
from .panels import choose_comparisons, plot_fightin_words_panels, plot_keyness_panels, plot_panels
from .save import add_caption, figure_provenance, provenance_caption, save_figure
from .stance import plot_stance
from .style import OKABE_ITO, group_colors

__all__ = [
    "OKABE_ITO",
    "add_caption",
    "choose_comparisons",
    "figure_provenance",
    "group_colors",
    "plot_actor_salience",
    "plot_agency",
    "plot_alignment",
    "plot_alignment_pairs",
    "plot_cleaning_summary",
    "plot_fightin_words",
    "plot_fightin_words_panels",
    "plot_frame_functions",
    "plot_frame_profile",
    "plot_frame_trajectory",
    "plot_keyness",
    "plot_keyness_panels",
    "plot_panels",
    "plot_stance",
    "provenance_caption",
    "save_figure",
]
