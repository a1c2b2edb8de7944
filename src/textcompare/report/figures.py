"""Every figure of the report, drawn by the ``plot_*`` functions from the report tables."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from .. import plots


def _alignment(tables: dict[str, pd.DataFrame]) -> Any:
    return plots.plot_alignment_pairs(tables["alignment_matrix"])


#: figure file stem -> how it is drawn from the report tables (see docs/figures.md).
FIGURES: dict[str, Callable[[dict[str, pd.DataFrame]], Any]] = {
    "cleaning_summary": lambda t: plots.plot_cleaning_summary(t["cleaning_removed"]),
    "actor_salience": lambda t: plots.plot_actor_salience(t["actors"]),
    "keyness": lambda t: plots.plot_keyness_panels(t["keyness"], n=10),
    "keyness_content": lambda t: plots.plot_keyness_panels(t["keyness_content"], n=10,
                                                           title="Key terms, stop words dropped"),
    "fightin_words": lambda t: plots.plot_fightin_words_panels(t["keyness"]),
    "frame_profile": lambda t: plots.plot_frame_profile(t["frames"]),
    "frame_functions": lambda t: plots.plot_frame_functions(t["functions"]),
    "frame_trajectory": lambda t: plots.plot_frame_trajectory(t["frame_trajectory"]),
    "agency": lambda t: plots.plot_agency(t["agency"]),
    "stance": lambda t: plots.plot_stance(t["stance"]),
    "alignment": _alignment,
}


def write_figures(tables: dict[str, pd.DataFrame], out_dir: Path, provenance: dict[str, Any]) -> dict[str, list[Path]]:
    """Draw every figure in :data:`FIGURES` and save it as PNG and SVG; return name -> paths."""
    import matplotlib.pyplot as plt

    written: dict[str, list[Path]] = {}
    for name, draw in FIGURES.items():
        ax = draw(tables)
        written[name] = plots.save_figure(ax.figure, name, out_dir=out_dir, provenance=provenance)
        plt.close(ax.figure)
    return written
