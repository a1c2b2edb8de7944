"""The self-contained ``report.html``: figures inline (base64 PNG), key tables, evidence, provenance."""
from __future__ import annotations

import base64
import html
from pathlib import Path
from typing import Any

import pandas as pd

from ..findings import render_caveats


#: figure -> (its table in tables/, where its evidence is: an anchor of this page or the explorer).
FIGURE_SOURCES: dict[str, tuple[str, str]] = {
    "cleaning_summary": ("cleaning_removed", "#articles"),
    "actor_salience": ("actors", "#table-actors"),
    "keyness": ("keyness", "EXPLORER"),
    "keyness_content": ("keyness_content", "EXPLORER"),
    "fightin_words": ("keyness", "EXPLORER"),
    "frame_profile": ("frames", "#evidence"),
    "frame_functions": ("functions", "#table-functions"),
    "frame_trajectory": ("frame_trajectory", "#evidence"),
    "agency": ("agency", "#table-agency"),
    "stance": ("stance", "#table-stance"),
    "alignment": ("alignment", "#table-alignment"),
}

FIGURE_TEXT: dict[str, str] = {
    "cleaning_summary": "How much of each raw file survived cleaning, and why the rest was removed.",
    "actor_salience": "Actor mentions per 1,000 words in each group (numbers: raw mentions).",
    "keyness": "The most distinctive lemmas of each side by G² (top 10 per side), on the log-ratio scale, with raw "
               "counts and ¶k, the paragraphs of the favoured side with the term; one panel per comparison (each "
               "group against the rest when there are more than two groups; every pair is in the table and the "
               "explorer).",
    "keyness_content": "The same comparison with spaCy stop words dropped before counting (a robustness check).",
    "fightin_words": "Fightin' Words z-scores (informative Dirichlet prior) against frequency; coloured: "
                     "Benjamini–Hochberg q ≤ 0.05 over every row of the keyness table; dashed: unadjusted ±1.96; "
                     "one panel per comparison.",
    "frame_profile": "Frame hits per 1,000 words with 95% intervals (exact Poisson bounds joined with a "
                     "paragraph-block bootstrap for single texts, a document bootstrap for groups).",
    "frame_functions": "Entman's four framing functions per 1,000 words.",
    "frame_trajectory": "Where in each text the frame hits occur (share of the cleaned body's characters).",
    "agency": "Each actor as agent or patient of a clause, per 1,000 words of its group.",
    "stance": "Hedges, boosters, attitude, prediction, deontic and other stance markers per 1,000 words.",
    "alignment": "TF-IDF cosine similarity of every sentence of one text with every sentence of another, one "
                 "panel per pair of documents from different groups.",
}

STYLE = """
body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;
color:#222;line-height:1.45}
table{border-collapse:collapse;font-size:0.82em;margin:0.5em 0 1.5em}
th,td{border-bottom:1px solid #ddd;padding:2px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f4} img{max-width:100%} nav.toc{background:#f7f7f7;padding:0.5em 1em}
nav.toc ul{margin:0.2em 0;padding-left:1.2em} .links{font-size:0.9em} .caveat{background:#fff6e0;padding:0.6em 1em;border-left:4px solid #E69F00}
blockquote{margin:0.3em 0 0.3em 1em;color:#333;font-size:0.9em} code{font-size:0.9em}
"""


def _table(df: pd.DataFrame, columns: list[str] | None = None, n: int = 10) -> str:
    shown = df[columns] if columns else df
    return shown.head(n).to_html(index=False, float_format=lambda v: f"{v:.3g}", border=0, escape=True)


def _figure(name: str, png: Path, explorer: str | None) -> str:
    data = base64.b64encode(png.read_bytes()).decode("ascii")
    table, evidence = FIGURE_SOURCES.get(name, ("", ""))
    links = []
    if table:
        links.append(f'table: <a href="tables/{html.escape(table)}.csv">tables/{html.escape(table)}.csv</a>')
    if evidence == "EXPLORER":
        if explorer:
            links.append(f'evidence: <a href="{html.escape(explorer)}">concordance lines in the explorer</a>')
    elif evidence:
        links.append(f'evidence: <a href="{evidence}">{html.escape(evidence.lstrip("#").replace("-", " "))}</a>')
    return (f'<h3 id="fig-{name}">{html.escape(name.replace("_", " "))}</h3>\n'
            f"<p>{html.escape(FIGURE_TEXT.get(name, ''))} File: <code>figures/{name}.png</code>, "
            f"<code>.svg</code>.</p>\n"
            f'<p class="links">{" · ".join(links)}</p>\n'
            f'<img alt="{html.escape(name)}" src="data:image/png;base64,{data}">\n')


def _top_per_group(df: pd.DataFrame, sort: str, n: int) -> pd.DataFrame:
    ordered = df.sort_values(["group", sort], ascending=[True, False], kind="mergesort")
    return ordered.groupby("group", sort=True).head(n)


def _keyness_top(df: pd.DataFrame, n: int) -> pd.DataFrame:
    df = df[df["comparison"] == df["comparison"].iloc[0]] if len(df) else df
    cols = ["term", "count_a", "count_b", "rate_a", "rate_b", "g2", "log_ratio", "fw_z", "p_adj_bh"]
    sides = [df[df["log_ratio"] > 0], df[df["log_ratio"] < 0]]
    parts = [s.sort_values(["g2", "term"], ascending=[False, True], kind="mergesort").head(n) for s in sides]
    out = pd.concat(parts)[cols]
    if len(df):
        out.insert(0, "key_for", [df["group_a"].iloc[0]] * len(parts[0]) + [df["group_b"].iloc[0]] * len(parts[1]))
    return out


def _evidence(tables: dict[str, pd.DataFrame], groups: pd.Series, per_group: int) -> str:
    hits = tables["frame_evidence"]
    hits = hits[(hits["frame_type"] == "case") & ~hits["negated"].astype(bool)]
    hits = hits.assign(group=[str(groups[d]) for d in hits["doc_id"]])
    parts = []
    for frame in sorted(hits["frame"].unique()):
        parts.append(f"<h4>{html.escape(frame)}</h4>")
        sub = hits[hits["frame"] == frame].drop_duplicates(["doc_id", "sent_id"])
        for group in sorted(sub["group"].unique()):
            rows = sub[sub["group"] == group].sort_values(["doc_id", "sent_id"], kind="mergesort")
            parts.append(f"<p><b>{html.escape(group)}</b> ({len(rows)} sentences)</p>")
            for row in rows.head(per_group).itertuples(index=False):
                parts.append(f"<blockquote>{html.escape(str(row.sentence))} "
                             f"<small>[{html.escape(row.doc_id)}:{row.sent_id}, match "
                             f"“{html.escape(str(row.match))}”]</small></blockquote>")
    return "\n".join(parts)


SECTIONS: tuple[tuple[str, str], ...] = (
    ("caveats", "Caveats"), ("explorer", "Explorer"), ("provenance", "Provenance"), ("articles", "Articles"),
    ("figures", "Figures"), ("tables", "Key tables"), ("evidence", "Evidence sentences"),
)


def _toc(figures: dict[str, list[Path]]) -> str:
    items = []
    for anchor, title in SECTIONS:
        items.append(f'<li><a href="#{anchor}">{html.escape(title)}</a>')
        if anchor == "figures":
            items.append("<ul>" + "".join(f'<li><a href="#fig-{n}">{html.escape(n.replace("_", " "))}</a></li>'
                                          for n in figures) + "</ul>")
        items.append("</li>")
    return '<nav class="toc"><b>Contents</b><ul>' + "".join(items) + "</ul></nav>"


def render_report(tables: dict[str, pd.DataFrame], figures: dict[str, list[Path]], provenance: dict[str, Any],
                  groups: pd.Series, *, explorer: str | None = None, by: str = "outlet") -> str:
    """The HTML text of the report (deterministic: depends only on the tables, figures and provenance).

    ``explorer`` is the explorer page's path relative to the report (linked, not embedded).
    """
    def _shown(value: Any) -> str:
        if isinstance(value, (list, tuple)):
            return f"{len(value)}: " + ", ".join(str(v) for v in value)
        return str(value)

    prov_rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(_shown(provenance[k]))}</td></tr>"
                        for k in sorted(provenance))
    body = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        "<title>textcompare report</title>", f"<style>{STYLE}</style></head><body>",
        "<h1>textcompare report</h1>", _toc(figures),
        "<p>Every table is in <code>tables/</code> as CSV (with a <code>.provenance.json</code>); every figure "
        "in <code>figures/</code> as PNG and SVG. Regenerate with <code>make reproduce</code>.</p>",
        '<h2 id="caveats">Caveats</h2><div class="caveat"><ul>'
        + "".join(f"<li>{html.escape(c)}</li>" for c in render_caveats(tables, by=by)) + "</ul></div>",
        '<h2 id="explorer">Explorer</h2>',
        (f'<p><a href="{html.escape(explorer)}">Open the explorer</a> (one offline page): a term plot for any two '
         "groups or one against the rest, the concordance lines of any term per group, and each frame's rate per "
         "group with its evidence sentences.</p>") if explorer else "<p>Not written.</p>",
        '<h2 id="provenance">Provenance</h2>', f"<table>{prov_rows}</table>",
        '<h2 id="articles">Articles</h2>',
        _table(tables["articles"], ["id", "author", "outlet", "title", "date", "words_raw", "words_clean"], 50),
        '<h2 id="figures">Figures</h2>',
        *[_figure(name, next(p for p in paths if p.suffix == ".png"), explorer) for name, paths in figures.items()],
        '<h2 id="tables">Key tables (top rows; full tables in tables/)</h2>',
        '<h3 id="table-actors">Actors</h3>', _table(_top_per_group(tables["actors"], "per_1k", 8),
                                  ["group", "actor", "label", "mentions", "per_1k", "first_position"], 16),
        '<h3 id="table-keyness">Keyness</h3>', _table(_keyness_top(tables["keyness"], 10), None, 20),
        '<h3 id="table-frames">Frames</h3>', _table(tables["frames"], ["group", "versus", "frame", "frame_type", "scope", "hits", "per_1k",
                                                       "ci_low", "ci_high", "q_value", "caveat"], 100),
        '<h3 id="table-functions">Entman functions</h3>', _table(tables["functions"], ["group", "function", "hits", "per_1k", "ci_low",
                                                                   "ci_high", "q_value"], 20),
        '<h3 id="table-stance">Stance</h3>', _table(tables["stance"], ["group", "marker", "hits", "per_1k", "ci_low", "ci_high",
                                                       "q_value"], 30),
        '<h3 id="table-sentiment">Actor sentiment (VADER)</h3>', _table(_top_per_group(tables["actor_sentiment"], "sentences", 6),
                                                  None, 12),
        '<h3 id="table-agency">Agency (verb class: all)</h3>',
        _table(_top_per_group(tables["agency"][tables["agency"]["verb_class"] == "all"], "total", 6), None, 40),
        '<h3 id="table-alignment">Most similar sentence pairs</h3>',
        _table(tables["alignment"].sort_values("similarity", ascending=False, kind="mergesort"),
               [c for c in ("group", "sent_id", "sentence", "other_group", "other_sent_id", "other_sentence",
                            "similarity") if c in tables["alignment"].columns], 10),
        '<h2 id="evidence">Evidence sentences for each case frame (first 3 per group)</h2>',
        _evidence(tables, groups, 3),
        "</body></html>",
    ]
    return "\n".join(body) + "\n"
