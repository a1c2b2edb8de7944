#!/usr/bin/env python3
"""Calibration of the statistics under a null made of real paragraphs dealt at random.

usage: python benchmarks/calibration.py [--reps 200] [--key-reps 60] [--terms 40] [--resamples 499] [--dev DIR]

Pool: the paragraphs (at least 20 words) of the seed texts (corpus/raw) and, when present, of the
framing-dev excerpts in ``.cache/framing-dev/raw/*.txt`` (git-ignored third-party text, read in
place, never copied; without it the benchmark runs on the seeds alone and says so). Every
paragraph is parsed with the project's model; frame hits (negated ones dropped) and lemma counts
are taken per paragraph.

For N = 1, 3 and 10 documents per side, paragraphs are dealt at random into 2N documents; the
statistics of the tables (:func:`textcompare.stats.compare_sides`; for keyness also G² and the
unit-level ``p_unit``: paragraphs for N = 1, documents for N >= 2) are computed for every frame and for the ``--terms`` most frequent lemmas.
Printed: false-positive rate at α = 0.05 (target 0.03–0.07 for N ≥ 3; for N = 1 the within-text
test near its nominal 0.05) and coverage of the 95% intervals. The last line is JSON.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from textcompare.calibration import simulate_null, split_paragraphs, summarise_calibration  # noqa: E402

DEFAULT_DEV = Path("/work/main/.cache/framing-dev/raw")
PARAGRAPHS_PER_DOC = {1: 12, 3: 8, 10: 8}


def load_pool(dev: Path) -> tuple[list[str], str]:
    paragraphs = []
    for path in sorted((ROOT / "corpus" / "raw").glob("*.txt")):
        paragraphs += split_paragraphs(path.read_text(encoding="utf-8", errors="replace"))
    source = f"{len(paragraphs)} seed paragraphs"
    files = sorted(dev.glob("*.txt")) if dev.is_dir() else []
    if files:
        before = len(paragraphs)
        for path in files:
            paragraphs += split_paragraphs(path.read_text(encoding="utf-8", errors="replace")[:200_000])
        source += f" + {len(paragraphs) - before} paragraphs of {len(files)} framing-dev excerpts"
    else:
        source += " only (framing-dev cache absent: N = 10 uses fewer paragraphs per document)"
    return paragraphs, source


def measure(paragraphs: list[str], n_terms: int) -> tuple[np.ndarray, list[str], np.ndarray, list[str], np.ndarray]:
    import textcompare as tc
    from textcompare.framing.frames import extract_doc_frames

    nlp = tc.load_nlp()
    frames = tc.frame_ids()
    frame_counts, lemma_rows, words = [], [], []
    for doc in nlp.pipe(paragraphs, batch_size=32):
        hits = extract_doc_frames(doc)
        hits = hits[~hits["negated"].astype(bool)]
        frame_counts.append([int((hits["frame"] == f).sum()) for f in frames])
        lemmas = [t.lemma_.lower() for t in doc if not (t.is_punct or t.is_space)]
        lemma_rows.append(pd.Series(lemmas).value_counts())
        words.append(len(lemmas))
    lemma_table = pd.DataFrame(lemma_rows).fillna(0)
    top = lemma_table.sum().sort_values(ascending=False, kind="stable").index[:n_terms].tolist()
    return np.array(frame_counts), frames, lemma_table[top].to_numpy(), top, np.array(words, dtype=float)


def markdown(table: pd.DataFrame) -> str:
    """A Markdown table (3 decimals) without the optional tabulate dependency."""
    cells = [[f"{v:.3f}" if isinstance(v, float) else str(v) for v in row] for row in table.itertuples(index=False)]
    lines = ["| " + " | ".join(table.columns) + " |", "|" + "---|" * len(table.columns)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in cells])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=200, help="replicates for frames (default 200)")
    parser.add_argument("--key-reps", type=int, default=60, help="replicates for keyness (default 60)")
    parser.add_argument("--terms", type=int, default=40, help="most frequent lemmas tested for keyness (default 40)")
    parser.add_argument("--resamples", type=int, default=499, help="bootstrap/permutation resamples (default 499)")
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV, help="framing-dev raw text folder")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    paragraphs, source = load_pool(args.dev)
    frame_c, frames, lemma_c, lemmas, words = measure(paragraphs, args.terms)
    print(f"pool: {source}; {int(words.sum())} words; {int(frame_c.sum())} frame hits", flush=True)
    tables = []
    for n_docs in (1, 3, 10):
        per_doc = min(PARAGRAPHS_PER_DOC[n_docs], len(words) // (2 * n_docs))
        sims = simulate_null(frame_c, words, features=frames, n_docs=n_docs, paragraphs_per_doc=per_doc,
                             n_reps=args.reps, seed=args.seed, n_resamples=args.resamples)
        tables.append(summarise_calibration(sims, measure=f"frames ({per_doc} paragraphs/doc)"))
        print(markdown(tables[-1]), flush=True)
        sims = simulate_null(lemma_c, words, features=lemmas, n_docs=n_docs, paragraphs_per_doc=per_doc,
                             n_reps=args.key_reps, seed=args.seed + 1, n_resamples=args.resamples, keyness=True)
        tables.append(summarise_calibration(sims, measure=f"keyness, top {len(lemmas)} lemmas ({per_doc} paragraphs/doc)"))
        print(markdown(tables[-1]), flush=True)
    table = pd.concat(tables, ignore_index=True)
    print(markdown(table))
    print(f"{time.perf_counter() - start:.0f} s")
    print(json.dumps({"pool": source, "rows": table.to_dict(orient="records")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
