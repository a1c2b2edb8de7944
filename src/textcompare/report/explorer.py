"""The explorer: one self-contained, offline HTML page (Bokeh standalone, resources inlined).

- a term plot (Fightin' Words z or log ratio against frequency) for any comparison of
  ``compare_keyness`` — one group against the rest, or any pair — chosen in the page;
- a term table and a search box: choosing a term (click a point or a row, or type it) shows its
  concordance lines from every group (document and paragraph named, the term in its own column,
  sortable by the nearest word on the left, ``L1``, or on the right, ``R1``);
- a frame panel: choosing a frame shows its rate per 1,000 words per group with the interval, and
  its evidence sentences with every match marked.

Everything is computed here in Python by the library's measurement functions; the page only
filters precomputed tables (Bokeh ``CDSView`` filters and a few lines of ``CustomJS`` glue).
No chart code is written by hand and the page loads nothing from the network.
"""
from __future__ import annotations

import html
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

#: Terms shown in the plot and the concordance, by total frequency (bounds the page's size).
MAX_TERMS = 400
#: Concordance lines kept per term and document.
LINES_PER_DOC = 20
#: Evidence sentences shown per frame and group.
EVIDENCE_PER_GROUP = 12
Y_MEASURES = ("fw_z", "log_ratio")
#: Characters of left context kept in the concordance (table cells cut their end, not their start).
CONTEXT_CHARS = 40


def _one_row_per_group(frames: pd.DataFrame) -> pd.DataFrame:
    """Rate and interval of each (group, frame): the first comparison a group appears in (the rate and
    its interval do not depend on the comparison)."""
    return frames.drop_duplicates(["group", "frame"]).reset_index(drop=True)


def _evidence_html(hits: pd.DataFrame, groups: pd.Series, frames: Sequence[str]) -> dict[str, str]:
    """frame -> HTML block of its evidence sentences per group, matches in ``<mark>`` (escaped text)."""
    from ..evidence import mark_matches

    blocks: dict[str, str] = {}
    for frame in frames:
        chosen = hits[hits["frame"] == frame]
        parts = [f"<h4>Evidence: {html.escape(frame)}</h4>"]
        if chosen.empty:
            parts.append("<p>No sentences.</p>")
        for group in sorted({str(groups[d]) for d in chosen["doc_id"]}):
            mine = chosen[[str(groups[d]) == group for d in chosen["doc_id"]]]
            sentences = mine.groupby(["doc_id", "sent_id"], sort=True)
            parts.append(f"<p><b>{html.escape(group)}</b> ({len(sentences)} sentences)</p><ul>")
            for (doc_id, sent_id), part in list(sentences)[:EVIDENCE_PER_GROUP]:
                marked = mark_matches(str(part["sentence"].iloc[0]), [str(m) for m in part["match"]],
                                      ("<mark>", "</mark>"), escape=True)
                parts.append(f'<li class="evidence">{marked} <small>[{html.escape(str(doc_id))}, sentence '
                             f"{int(sent_id)}]</small></li>")
            parts.append("</ul>")
        blocks[frame] = "\n".join(parts)
    return blocks


def _deterministic(page: str) -> str:
    """Renumber Bokeh's random document/element UUIDs and its process-wide model counter in order of
    appearance, so the same inputs give a byte-identical page."""
    uuids: dict[str, str] = {}

    def _uuid(m: re.Match) -> str:
        return uuids.setdefault(m.group(0), f"00000000-0000-4000-8000-{len(uuids) + 1:012d}")

    page = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", _uuid, page)
    ids: dict[str, str] = {}

    def _id(m: re.Match) -> str:
        return f'"{ids.setdefault(m.group(1), f"p{len(ids) + 1001}")}"'

    return re.sub(r'"(p\d{4,})"', _id, page)


def build_explorer(corpus: Any, *, by: str = "outlet", groups: Sequence[str] | None = None,
                   n_resamples: int = 999, seed: int = 0, tables: dict[str, pd.DataFrame] | None = None) -> str:
    """The explorer page's HTML for ``corpus`` grouped by the manifest column ``by``.

    Parameters
    ----------
    corpus : Corpus or path
        A built corpus.
    by : str
        Manifest column whose values are the groups.
    groups : sequence of str, optional
        Only these groups (at least two).
    n_resamples, seed : int
        For the frame intervals (``compare_frames``).
    tables : dict, optional
        Already computed ``keyness``, ``frames`` and ``frame_evidence`` tables for the same corpus,
        ``by`` and groups (the report passes its own, so nothing is computed twice).

    Returns
    -------
    str
        A complete HTML document; no ``http(s)://`` resource, nothing fetched when opened.
    """
    from bokeh.embed import file_html
    from bokeh.layouts import column, row
    from bokeh.models import (AutocompleteInput, CDSView, ColumnDataSource, CustomJS, DataTable, Div, GroupFilter,
                              HoverTool, NumberFormatter, Select, StringFormatter, TableColumn, TapTool, Whisker)
    from bokeh.plotting import figure
    from bokeh.resources import INLINE

    from ..concordance import kwic_terms
    from ..corpus import document_groups, load_corpus
    from ..errors import InputError
    from ..framing import compare_frames, extract_frames
    from ..keyness import compare_keyness

    corpus = load_corpus(corpus)
    doc_groups = document_groups(corpus, by=by).astype(str)
    if groups is not None:
        unknown = sorted(set(groups) - set(doc_groups))
        if unknown or len(set(groups)) < 2:
            raise InputError(f"--groups: {', '.join(unknown) or 'fewer than two groups'}",
                             fix="choose at least two of: " + ", ".join(sorted(set(doc_groups))))
        doc_groups = doc_groups[doc_groups.isin(list(groups))]
    if doc_groups.nunique() < 2:
        raise InputError(f"--by {by}: the corpus has fewer than two groups", fix="add documents or choose another column")

    tables = tables or {}
    keyness = tables.get("keyness")
    if keyness is None:
        keyness = compare_keyness(corpus, by=by, groups=list(groups) if groups else None, doc_groups=doc_groups)
    totals = keyness.groupby("term")["count_a"].max() + keyness.groupby("term")["count_b"].max()
    kept = set(totals.sort_values(ascending=False, kind="mergesort").head(MAX_TERMS).index)
    terms = keyness[keyness["term"].isin(kept)].copy()
    terms["frequency"] = terms["count_a"] + terms["count_b"]
    terms["log10_frequency"] = np.log10(terms["frequency"].clip(lower=1))
    terms["y"] = terms["fw_z"]
    terms = terms[["comparison", "group_a", "group_b", "term", "count_a", "count_b", "frequency",
                   "log10_frequency", "fw_z", "log_ratio", "y"]].reset_index(drop=True)
    comparisons = list(dict.fromkeys(terms["comparison"]))

    lines = kwic_terms(corpus, sorted(kept), per_doc=LINES_PER_DOC)
    lines = lines[lines["doc_id"].isin(doc_groups.index)]
    lines.insert(1, "group", lines["doc_id"].map(doc_groups))
    lines["L1"] = lines["left"].str.split().str[-1].fillna("").str.lower()
    lines["R1"] = lines["right"].str.split().str[0].fillna("").str.lower()
    # the cell shows the start of a long text: keep the words next to the term
    lines["left"] = [t if len(t) <= CONTEXT_CHARS else "…" + t[-CONTEXT_CHARS + 1:] for t in lines["left"]]
    lines["place"] = [f"{d} ¶{p}" for d, p in zip(lines["doc_id"], lines["paragraph_id"])]
    lines = lines.sort_values(["term", "group", "doc_id", "start_char"], kind="mergesort").reset_index(drop=True)

    frames = tables.get("frames")
    if frames is None:
        frames = compare_frames(corpus, groups=doc_groups, n_resamples=n_resamples, seed=seed)
    frames = _one_row_per_group(frames)
    frame_ids = list(dict.fromkeys(frames["frame"]))
    hits = tables.get("frame_evidence")
    hits = extract_frames(corpus) if hits is None else hits
    hits = hits[~hits["negated"].astype(bool) & hits["doc_id"].isin(doc_groups.index)]
    evidence = _evidence_html(hits, doc_groups, frame_ids)

    # --- term plot -----------------------------------------------------------------------------------
    term_source = ColumnDataSource(terms, name="terms")
    comparison_filter = GroupFilter(column_name="comparison", group=comparisons[0])
    term_view = CDSView(filter=comparison_filter)
    plot = figure(height=420, sizing_mode="stretch_width", tools="pan,wheel_zoom,box_zoom,reset,tap",
                  title=f"Terms: {comparisons[0]}", x_axis_label="log10 frequency (both sides)",
                  y_axis_label="Fightin' Words z (positive: first group)", name="term_plot")
    points = plot.scatter("log10_frequency", "y", source=term_source, view=term_view, size=7, alpha=0.6,
                          color="#0072B2", nonselection_alpha=0.25, selection_color="#D55E00")
    plot.add_tools(HoverTool(renderers=[points], tooltips=[("term", "@term"), ("counts", "@count_a : @count_b"),
                                                           ("z", "@fw_z{0.00}"), ("log ratio", "@log_ratio{0.00}")]))
    plot.select_one(TapTool).renderers = [points]
    choose_comparison = Select(title="Comparison (group vs rest, or a pair)", value=comparisons[0],
                               options=comparisons, name="comparison")
    choose_y = Select(title="Vertical axis", value="fw_z", options=list(Y_MEASURES), name="measure")
    term_table = DataTable(source=term_source, view=term_view, name="term_table", height=300, width=520,
                           index_position=None, reorderable=False,
                           columns=[TableColumn(field="term", title="term"),
                                    TableColumn(field="count_a", title="count a"),
                                    TableColumn(field="count_b", title="count b"),
                                    TableColumn(field="fw_z", title="FW z", formatter=NumberFormatter(format="0.00")),
                                    TableColumn(field="log_ratio", title="log ratio",
                                                formatter=NumberFormatter(format="0.00"))])
    search = AutocompleteInput(title="Search a term", completions=sorted(kept), name="search",
                               placeholder="type a term and press Enter", case_sensitive=False)

    # --- concordance ---------------------------------------------------------------------------------
    line_source = ColumnDataSource(lines[["term", "group", "place", "L1", "left", "match", "right", "R1"]],
                                   name="lines")
    term_filter = GroupFilter(column_name="term", group="", name="term_filter")
    line_table = DataTable(
        source=line_source, view=CDSView(filter=term_filter), name="concordance", height=320,
        sizing_mode="stretch_width", sortable=True, index_position=None, reorderable=False,
        columns=[TableColumn(field="group", title="group", width=110),
                 TableColumn(field="place", title="document ¶", width=150),
                 TableColumn(field="L1", title="L1", width=60),
                 TableColumn(field="left", title="left", width=260, formatter=StringFormatter(text_align="right")),
                 TableColumn(field="match", title="term", width=90,
                             formatter=StringFormatter(font_style="bold", text_color="#D55E00")),
                 TableColumn(field="right", title="right", width=260),
                 TableColumn(field="R1", title="R1", width=60)])
    line_title = Div(text="<b>Concordance</b>: choose a term (click a point or a row, or search)", name="line_title")

    show_term = CustomJS(args=dict(source=term_source, filter=term_filter, lines=line_source, title=line_title),
                         code="""
const i = source.selected.indices[0];
if (i === undefined) { return; }
const term = source.data.term[i];
filter.group = term;
lines.change.emit();
const n = lines.data.term.filter((t) => t === term).length;
title.text = `<b>Concordance of “${term}”</b>: ${n} lines; click L1 or R1 to sort by the nearest word`;
""")
    term_source.selected.js_on_change("indices", show_term)
    search.js_on_change("value", CustomJS(args=dict(source=term_source, comparison=comparison_filter), code="""
const term = cb_obj.value.trim().toLowerCase();
const d = source.data;
for (let i = 0; i < d.term.length; i++) {
  if (d.term[i] === term && d.comparison[i] === comparison.group) { source.selected.indices = [i]; return; }
}
"""))
    choose_comparison.js_on_change("value", CustomJS(
        args=dict(filter=comparison_filter, source=term_source, plot=plot), code="""
filter.group = cb_obj.value;
source.selected.indices = [];
plot.title.text = 'Terms: ' + cb_obj.value;
source.change.emit();
"""))
    choose_y.js_on_change("value", CustomJS(args=dict(source=term_source, axis=plot.yaxis[0]), code="""
source.data.y = source.data[cb_obj.value].slice();
axis.axis_label = cb_obj.value === 'fw_z' ? "Fightin' Words z (positive: first group)"
                                          : 'log ratio = log2(rate in first / rate in second)';
source.change.emit();
"""))

    # --- frames --------------------------------------------------------------------------------------
    group_names = sorted(doc_groups.unique())
    frame_source = ColumnDataSource(frames[["group", "frame", "per_1k", "ci_low", "ci_high", "sentences", "words"]],
                                    name="frames")
    frame_filter = GroupFilter(column_name="frame", group=frame_ids[0])
    frame_view = CDSView(filter=frame_filter)
    frame_plot = figure(y_range=group_names[::-1], height=70 + 40 * len(group_names), sizing_mode="stretch_width",
                        title=f"Frame: {frame_ids[0]} (per 1,000 words, 95% sentence-bootstrap interval)",
                        x_axis_label="frame hits per 1,000 words", tools="", name="frame_plot")
    frame_plot.scatter("per_1k", "group", source=frame_source, view=frame_view, size=10, color="#0072B2")
    # Whisker has no view: its source is refiltered through a second, frame-filtered copy.
    whisker_source = ColumnDataSource(frames[frames["frame"] == frame_ids[0]][["group", "ci_low", "ci_high"]])
    frame_plot.add_layout(Whisker(source=whisker_source, base="group", lower="ci_low", upper="ci_high",
                                  dimension="width", line_color="#0072B2"))
    choose_frame = Select(title="Frame", value=frame_ids[0], options=frame_ids, name="frame")
    evidence_div = Div(text=evidence[frame_ids[0]], name="evidence", sizing_mode="stretch_width")
    choose_frame.js_on_change("value", CustomJS(
        args=dict(filter=frame_filter, source=frame_source, whiskers=whisker_source, plot=frame_plot,
                  div=evidence_div, blocks=evidence), code="""
const f = cb_obj.value;
filter.group = f;
const d = source.data, w = {group: [], ci_low: [], ci_high: []};
for (let i = 0; i < d.frame.length; i++) {
  if (d.frame[i] === f) { w.group.push(d.group[i]); w.ci_low.push(d.ci_low[i]); w.ci_high.push(d.ci_high[i]); }
}
whiskers.data = w;
plot.title.text = 'Frame: ' + f + ' (per 1,000 words, 95% sentence-bootstrap interval)';
div.text = blocks.get ? blocks.get(f) : blocks[f];
source.change.emit();
"""))

    sizes = doc_groups.value_counts()
    lone = sorted(str(g) for g, n in sizes.items() if n == 1)
    single = (f"{len(lone)} of {len(sizes)} groups have one document ({html.escape(', '.join(lone))}): their "
              "differences describe texts, not authors or outlets. ") if lone else ""
    intro = Div(sizing_mode="stretch_width", text=(
        f"<h1>textcompare explorer</h1><p>{len(doc_groups)} documents in {len(group_names)} groups by "
        f"<code>{html.escape(by)}</code>: {html.escape(', '.join(group_names))}. {single}The plot shows the "
        f"{len(kept)} most frequent terms; concordances keep the first {LINES_PER_DOC} lines per document.</p>"))
    layout = column(
        intro,
        row(choose_comparison, choose_y, search),
        plot,
        row(term_table, column(line_title, line_table, sizing_mode="stretch_width"), sizing_mode="stretch_width"),
        Div(text="<h2>Frames</h2>"),
        choose_frame, frame_plot, evidence_div,
        sizing_mode="stretch_width",
    )
    page = file_html(layout, resources=INLINE, title="textcompare explorer")
    return _deterministic(page)


def save_explorer(corpus: Any, path: str | os.PathLike[str], *, by: str = "outlet",
                  groups: Sequence[str] | None = None, n_resamples: int = 999, seed: int = 0,
                  tables: dict[str, pd.DataFrame] | None = None) -> Path:
    """Write :func:`build_explorer`'s page to ``path`` (atomically) and return the path."""
    from ..fileio import atomic_write_bytes

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(target, build_explorer(corpus, by=by, groups=groups, n_resamples=n_resamples, seed=seed,
                                                       tables=tables).encode("utf-8"))
    return target
