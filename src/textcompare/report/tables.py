"""Every table of the report, computed once from a built corpus and written as deterministic CSV.

Each ``NAME.csv`` gets a sibling ``NAME.provenance.json`` (manifest_sha256, documents, model,
model_version, spacy_version, textcompare_version, frame_model, and ``bh_family`` for tables with q-values;
sorted keys, no timestamps).
"""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from ..corpus import Corpus, document_groups, extract_removed_blocks, list_articles, load_cleaned_texts
from ..fileio import atomic_write_bytes
from ..sanitize import neutralise_formulas

PROVENANCE_KEYS: tuple[str, ...] = ("manifest_sha256", "documents", "model", "model_version", "spacy_version",
                                    "textcompare_version", "frame_model")
FLOAT_FORMAT = "%.6g"
#: Full similarity matrix for the alignment figure (every pair of sentences of two documents).
ALL_PAIRS = 1_000_000
#: Columns kept for the alignment matrix; pairs with similarity 0 are dropped (drawn as 0 anyway).
MATRIX_COLUMNS = ["group", "doc_id", "sent_id", "other_group", "other_doc_id", "other_sent_id", "similarity"]


def build_cleaning_table(corpus: Corpus, *, by: str = "outlet") -> pd.DataFrame:
    """Characters kept and removed (by reason) per document: ``doc_id, document, reason, blocks, chars``.

    ``reason`` is ``kept`` for the cleaned body, else the cleaner's removal reason; ``chars``
    sums the lengths of the removed blocks (the body's length for ``kept``).
    """
    groups = document_groups(corpus, by=by)
    kept = load_cleaned_texts(corpus).set_index("doc_id")["body"].str.len()
    removed = extract_removed_blocks(corpus).groupby(["doc_id", "reason"])["chars"].agg(["size", "sum"])
    rows = []
    for doc_id in corpus.ids:
        label = f"{groups[doc_id]} ({doc_id[:3]})"
        rows.append({"doc_id": doc_id, "document": label, "reason": "kept", "blocks": 1, "chars": int(kept[doc_id])})
        if doc_id in removed.index.get_level_values(0):
            for reason, (blocks, chars) in removed.loc[doc_id].sort_index().iterrows():
                rows.append({"doc_id": doc_id, "document": label, "reason": reason, "blocks": int(blocks),
                             "chars": int(chars)})
    return pd.DataFrame(rows, columns=["doc_id", "document", "reason", "blocks", "chars"])


def build_trajectory_table(corpus: Corpus, frames: pd.DataFrame, *, by: str = "outlet") -> pd.DataFrame:
    """Position 0..1 of every frame hit in its text: the hit's ``start_char`` / cleaned body length."""
    groups = document_groups(corpus, by=by)
    lengths = load_cleaned_texts(corpus).set_index("doc_id")["body"].str.len().clip(lower=1).to_dict()
    hits = frames[~frames["negated"].astype(bool)] if "negated" in frames.columns else frames
    out = pd.DataFrame({
        "doc_id": hits["doc_id"].astype(str),
        "document": [str(groups[d]) for d in hits["doc_id"]],
        "sent_id": hits["sent_id"],
        "frame": hits["frame"],
        "frame_type": hits["frame_type"],
        "position": [s / lengths[d] for d, s in zip(hits["doc_id"], hits["start_char"])],
    })
    return out.sort_values(["doc_id", "position", "frame"], kind="mergesort").reset_index(drop=True)


def build_tables(corpus: Corpus, *, by: str = "outlet",
                 progress: Callable[[str], None] | None = None) -> dict[str, pd.DataFrame]:
    """Compute every report table, groups = values of the manifest column ``by`` (analysis functions
    only; nothing is recomputed by the figures)."""
    import textcompare as tc

    say = progress or (lambda _msg: None)
    tables: dict[str, pd.DataFrame] = {}
    say("articles")
    articles = list_articles(corpus)
    articles["path"] = corpus.manifest.set_index("id").loc[articles["id"], "path"].to_numpy()  # not cwd-relative
    tables["articles"] = articles
    tables["cleaning_removed"] = build_cleaning_table(corpus, by=by)
    say("actors")
    mentions = tc.extract_mentions(corpus)
    tables["actors"] = tc.count_actors(mentions, corpus, by=by)
    tables["demonyms"] = tc.count_demonyms(mentions, corpus, by=by)
    say("keyness")
    tables["keyness"] = tc.compare_keyness(corpus, by=by)
    tables["keyness_content"] = tc.compare_keyness(corpus, by=by, drop_stop=True)  # robustness: no stop words
    say("frames")
    tables["frames"] = tc.compare_frames(corpus, by=by)
    frame_hits = tc.extract_frames(corpus)
    tables["frame_evidence"] = frame_hits
    tables["frame_trajectory"] = build_trajectory_table(corpus, frame_hits, by=by)
    tables["functions"] = tc.compare_functions(corpus, by=by)
    say("agency")
    tables["agency"] = tc.count_agency(tc.extract_agency(corpus), corpus, by=by)
    say("stance")
    tables["stance"] = tc.compare_stance(corpus, by=by)
    tables["actor_sentiment"] = tc.score_actor_sentiment(corpus, by=by)
    say("alignment")
    tables["alignment"] = tc.align_sentences(corpus, by=by)
    pairs = tc.align_sentences(corpus, by=by, top=ALL_PAIRS)
    tables["alignment_matrix"] = pairs.loc[pairs["similarity"] > 0, MATRIX_COLUMNS].reset_index(drop=True)
    say("key terms")
    for doc_id in corpus.ids:
        tables[f"key_terms_{doc_id}"] = tc.extract_key_terms(corpus, doc_id, method="tfidf")
    return tables


def table_provenance(provenance: dict[str, Any]) -> dict[str, Any]:
    """The provenance fields a table carries (no timestamps, so reruns are byte-identical)."""
    return {key: provenance.get(key) for key in PROVENANCE_KEYS}


def csv_bytes(table: pd.DataFrame, *, raw: bool = False) -> bytes:
    """Deterministic CSV: fixed float format, ``\\n`` line ends, no index.

    These tables are opened in spreadsheets, so text cells that would run as formulas are
    neutralised (:func:`textcompare.sanitize.neutralise_formulas`) unless ``raw=True``; the
    exact text is in the library's DataFrames (``tc.extract_frames(corpus)`` etc.).
    """
    if not raw:
        table = neutralise_formulas(table)
    return table.to_csv(index=False, float_format=FLOAT_FORMAT, lineterminator="\n").encode("utf-8")


def write_tables(tables: dict[str, pd.DataFrame], out_dir: Path, provenance: dict[str, Any]) -> list[Path]:
    """Write ``NAME.csv`` and ``NAME.provenance.json`` for every table; return the CSV paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in sorted(tables):
        path = out_dir / f"{name}.csv"
        fields = table_provenance(provenance)
        if "bh_family" in tables[name].attrs:  # the declared Benjamini–Hochberg family of the table
            fields["bh_family"] = tables[name].attrs["bh_family"]
        meta = (json.dumps(fields, indent=2, sort_keys=True) + "\n").encode("utf-8")
        atomic_write_bytes(path, csv_bytes(tables[name]))
        atomic_write_bytes(out_dir / f"{name}.provenance.json", meta)
        paths.append(path)
    return paths
