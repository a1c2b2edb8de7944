"""Notebook controls (ipywidgets) that redraw a concordance or the evidence behind a frame.

Each ``browse_*`` function returns, with ``interactive=True``, a widget box (grouping column,
groups, term or frame) whose table is redrawn by the library functions on every change; with
``interactive=False`` it returns the table for the initial choices, so a headless run
(``make reproduce`` injects ``INTERACTIVE = False``) shows a static, byte-identical table.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

#: Manifest columns offered as grouping columns.
GROUPING_COLUMNS: tuple[str, ...] = ("outlet", "author", "date", "language")


def _grouping_columns(corpus: Any) -> list[str]:
    return [c for c in GROUPING_COLUMNS if c in corpus.manifest.columns]


def concordance_table(corpus: Any, term: str, *, by: str = "outlet", groups: Sequence[str] | None = None,
                      sort: str = "left", window: int = 8) -> pd.DataFrame:
    """The KWIC lines of ``term`` with their group (``kwic(..., by=, groups=, sort=)``), columns for reading."""
    from .concordance import kwic

    table = kwic(corpus, term, by=by, groups=list(groups) if groups else None, sort=sort, window=window)
    return table[["group", "doc_id", "paragraph_id", "sent_id", "left", "match", "right"]]


def evidence_table(corpus: Any, frame: str, *, by: str = "outlet", groups: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per sentence with a hit of ``frame``, every match marked « » (:func:`collect_evidence`)."""
    from .corpus import document_groups
    from .evidence import collect_evidence
    from .framing import extract_frames

    doc_groups = document_groups(corpus, by=by).astype(str)
    hits = extract_frames(corpus)
    hits = hits[~hits["negated"].astype(bool)]
    chosen = hits[hits["frame"] == frame][["doc_id", "sent_id"]].drop_duplicates()
    table = collect_evidence(hits.merge(chosen, on=["doc_id", "sent_id"]), doc_groups)
    if groups:
        table = table[table["group"].isin([str(g) for g in groups])]
    return table[["group", "doc_id", "sent_id", "frames", "marked"]].reset_index(drop=True)


def _browser(corpus: Any, draw, first: str, options: Sequence[str] | None, label: str, *, by: str,
             groups: Sequence[str] | None) -> Any:
    import ipywidgets as w
    from IPython.display import display

    from .corpus import document_groups

    column = w.Dropdown(options=_grouping_columns(corpus), value=by, description="group by")
    chooser = (w.Dropdown(options=list(options), value=first, description=label) if options
               else w.Text(value=first, description=label, continuous_update=False))
    labels = sorted(document_groups(corpus, by=by).astype(str).unique())
    pick = w.SelectMultiple(options=labels, value=tuple(g for g in (groups or labels) if g in labels),
                            description="groups", rows=min(len(labels), 6))
    out = w.Output()

    def redraw(_change: Any = None) -> None:
        with out:
            out.clear_output(wait=True)
            try:
                display(draw(chooser.value, by=column.value, groups=list(pick.value) or None))
            except Exception as exc:  # noqa: BLE001 - shown to the reader, the controls stay usable
                print(f"{type(exc).__name__}: {exc}")

    def regroup(_change: Any = None) -> None:
        values = sorted(document_groups(corpus, by=column.value).astype(str).unique())
        pick.options, pick.value = values, tuple(values)
        redraw()

    column.observe(regroup, names="value")
    chooser.observe(redraw, names="value")
    pick.observe(redraw, names="value")
    redraw()
    return w.VBox([w.HBox([column, chooser]), pick, out])


def browse_concordance(corpus: Any, term: str, *, by: str = "outlet", groups: Sequence[str] | None = None,
                       interactive: bool = True) -> Any:
    """Concordance of ``term`` by group, with controls for the grouping column, the groups and the term.

    Parameters
    ----------
    corpus : Corpus or path
    term : str
        The first term shown (a lemma).
    by : str
        The first grouping column.
    groups : sequence of str, optional
        The groups first selected (default: all).
    interactive : bool
        False: return the static table (:func:`concordance_table`) instead of widgets.
    """
    from .corpus import load_corpus

    corpus = load_corpus(corpus)
    if not interactive:
        return concordance_table(corpus, term, by=by, groups=groups)
    return _browser(corpus, lambda t, **kw: concordance_table(corpus, t, **kw), term, None, "term", by=by,
                    groups=groups)


def browse_evidence(corpus: Any, frame: str, *, by: str = "outlet", groups: Sequence[str] | None = None,
                    interactive: bool = True) -> Any:
    """Evidence sentences of ``frame`` by group, with controls for the grouping column, groups and frame.

    ``interactive=False`` returns the static table (:func:`evidence_table`).
    """
    from .corpus import load_corpus
    from .framing import frame_ids

    corpus = load_corpus(corpus)
    if not interactive:
        return evidence_table(corpus, frame, by=by, groups=groups)
    return _browser(corpus, lambda f, **kw: evidence_table(corpus, f, **kw), frame, frame_ids(), "frame", by=by,
                    groups=groups)
