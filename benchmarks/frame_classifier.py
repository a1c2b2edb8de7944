"""Trained frame classifier vs the lexicon tagger on the framing-dev set (grouped CV by excerpt).

    python benchmarks/frame_classifier.py [--cache DIR] [--labels FILE] [--folds 5] [--format table|csv]

Labels: the majority codes of three coders (``labels.csv``: nn, sent_id, frames ``|``-separated).
Texts: ``sentences.csv`` (nn, sent_id, sentence) in the git-ignored cache (third-party text, never
committed; see the framing-dev README for how to rebuild it). Each sentence is parsed on its own.
The classifier is trained and tested with GroupKFold by excerpt, so no excerpt is in both; the
lexicon tagger is scored on the same sentences (it has no training). Per frame: P/R/F1 pooled over
folds, then macro-F1. Deterministic (no random state involved).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_LABELS = Path("/work/shared/benchmarks/framing-dev/labels.csv")


def load_dev(cache: Path, labels: Path) -> pd.DataFrame:
    texts = pd.read_csv(cache / "sentences.csv", dtype=str, keep_default_na=False)
    codes = pd.read_csv(labels, dtype=str, keep_default_na=False)
    table = codes[["nn", "sent_id", "frames"]].merge(texts, on=["nn", "sent_id"], how="inner")
    if len(table) != len(codes):
        sys.exit(f"{cache / 'sentences.csv'}: {len(codes) - len(table)} labelled sentences have no text (rebuild the cache)")
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache" / "framing-dev")
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--format", choices=("table", "csv"), default="table")
    args = parser.parse_args(argv)

    from textcompare.framing import frame_ids, tag_sentences
    from textcompare.framing.classifier import _score_rows, cross_validate_features, featurize_docs
    from textcompare.nlp import load_nlp

    frames = frame_ids("case")
    dev = load_dev(args.cache, args.labels)
    y = np.array([[int(f in set(codes.split("|"))) for f in frames] for codes in dev["frames"]])
    nlp = load_nlp()
    docs = list(nlp.pipe(dev["sentence"].tolist()))
    texts, counts, _ = featurize_docs(docs, nlp=nlp)
    cv, _ = cross_validate_features(texts, counts, y, dev["nn"].tolist(), frames, n_splits=args.folds)
    tagged = tag_sentences(dev["sentence"].tolist(), nlp=nlp)
    lex = _score_rows(frames, y, np.array([[int(f in t) for f in frames] for t in tagged]), 0)
    table = pd.concat([cv.assign(tagger="classifier"), lex.assign(tagger="lexicon")], ignore_index=True)
    macro = table.groupby("tagger", sort=False)[["precision", "recall", "f1"]].mean().reset_index()
    macro["frame"] = "macro"
    table = pd.concat([table, macro], ignore_index=True)
    wide = table.pivot_table(index="frame", columns="tagger", values=["precision", "recall", "f1"], sort=False)
    wide.columns = [f"{t}_{m}" for m, t in wide.columns]
    wide = wide.reindex([*frames, "macro"])
    support = table[table["tagger"] == "lexicon"].set_index("frame")["support"]
    wide.insert(0, "support", support.reindex(wide.index))
    wide = wide.reset_index()[["frame", "support", "classifier_precision", "classifier_recall", "classifier_f1",
                               "lexicon_precision", "lexicon_recall", "lexicon_f1"]]
    print(f"framing-dev: {len(dev)} sentences, {dev['nn'].nunique()} excerpts, GroupKFold by excerpt "
          f"({args.folds} folds)", file=sys.stderr)
    if args.format == "csv":
        wide.to_csv(sys.stdout, index=False, float_format="%.3f", lineterminator="\n")
    else:
        print(wide.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
