"""Coverage of the corrected (PPI) frame share: does the 95% interval cover the true prevalence?

    python benchmarks/ppi_coverage.py [--reps 1000] [--seed 0]

Two simulations, both with a tagger that misses 30% of the frame's sentences and flags 8% of the
others (so its raw share is biased), and a coded sample stratified by the tagger's prediction
(equal halves, as ``textcompare sample`` stratifies on predicted frames):

A. one document per group (sentences as units, CLT interval): N = 500 sentences, true
   prevalence 0.15, n coded in {50, 100, 200};
B. 20 documents of 30 sentences per group, document prevalence ~ Beta(mean 0.15) and the
   tagger's error rates varying by document (document bootstrap interval, 500 resamples).

Printed: coverage of the corrected interval, of the naive interval around the raw share (Wald),
and of coding alone (a simple random sample of the same n, Agresti-Coull interval, no tagger),
with mean widths.
Deterministic for a given seed.
"""
from __future__ import annotations

import argparse
import sys

import numpy as np
import pandas as pd
from scipy.stats import norm

from textcompare.validation.ppi import estimate_frame_prevalence, ppi_stratified

Z = norm.ppf(0.975)


def tagger(y: np.ndarray, rng: np.random.Generator, sens: float = 0.7, fpr: float = 0.08) -> np.ndarray:
    return np.where(y == 1, rng.random(len(y)) < sens, rng.random(len(y)) < fpr).astype(int)


def stratified_sample(f: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    idx = []
    for value in (0, 1):
        members = np.flatnonzero(f == value)
        idx.extend(rng.choice(members, size=min(len(members), n // 2), replace=False).tolist())
    return np.asarray(idx)


def coded_only(y: np.ndarray, n: int, rng: np.random.Generator) -> tuple[float, float]:
    """No tagger: a simple random sample of n sentences coded, Agresti-Coull interval."""
    x = y[rng.choice(len(y), size=n, replace=False)].sum()
    p = (x + Z ** 2 / 2) / (n + Z ** 2)
    half = Z * np.sqrt(p * (1 - p) / (n + Z ** 2))
    return p - half, p + half


def simulate_one_document(reps: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for n in (50, 100, 200):
        hits = {"corrected": [], "raw": [], "coded_only": []}
        widths = {"corrected": [], "raw": [], "coded_only": []}
        for _ in range(reps):
            y = (rng.random(500) < 0.15).astype(int)
            f = tagger(y, rng)
            lab = stratified_sample(f, n, rng)
            r = ppi_stratified(f, f, f[lab], y[lab], f[lab])
            raw = f.mean()
            raw_se = np.sqrt(raw * (1 - raw) / len(f))
            c_low, c_high = coded_only(y, n, rng)
            for name, low, high in (("corrected", r["ci_low"], r["ci_high"]),
                                    ("raw", raw - Z * raw_se, raw + Z * raw_se),
                                    ("coded_only", c_low, c_high)):
                hits[name].append(low <= 0.15 <= high)
                widths[name].append(high - low)
        for name in hits:
            rows.append({"scenario": "A: 1 document, 500 sentences", "n_coded": n, "estimator": name,
                         "coverage": np.mean(hits[name]), "mean_width": np.mean(widths[name]), "reps": reps})
    return pd.DataFrame(rows)


def simulate_documents(reps: int, seed: int, n_docs: int = 20, n_sent: int = 30, n_coded: int = 120) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    hits, widths, raw_hits = [], [], []
    a, b = 0.15 * 8, 0.85 * 8  # Beta(1.2, 6.8): mean 0.15, documents differ a lot
    for rep in range(reps):
        p_doc = rng.beta(a, b, n_docs)
        sens = rng.uniform(0.55, 0.85, n_docs)
        fpr = rng.uniform(0.03, 0.13, n_docs)
        doc_ids = np.repeat([f"d{k:02d}" for k in range(n_docs)], n_sent)
        y = (rng.random(n_docs * n_sent) < np.repeat(p_doc, n_sent)).astype(int)
        u = rng.random(len(y))
        f = np.where(y == 1, u < np.repeat(sens, n_sent), u < np.repeat(fpr, n_sent)).astype(int)
        lab = stratified_sample(f, n_coded, rng)
        predicted = pd.DataFrame({"doc_id": doc_ids, "sent_id": np.tile(np.arange(n_sent), n_docs), "frame": f})
        gold = pd.DataFrame({"sent_key": [f"{doc_ids[i]}:{i % n_sent}" for i in lab], "frame": y[lab]})
        groups = pd.Series("g", index=np.unique(doc_ids))
        table = estimate_frame_prevalence(predicted, gold, groups, frames=["frame"], n_resamples=500, seed=seed + rep)
        low, high = table.loc[0, "corrected_ci_low"], table.loc[0, "corrected_ci_high"]
        hits.append(low <= 0.15 <= high)
        widths.append(high - low)
        raw = f.mean()
        raw_se = np.sqrt(raw * (1 - raw) / len(f))
        raw_hits.append(raw - Z * raw_se <= 0.15 <= raw + Z * raw_se)
    label = f"B: {n_docs} documents x {n_sent} sentences"
    return pd.DataFrame([
        {"scenario": label, "n_coded": n_coded, "estimator": "corrected (document bootstrap)",
         "coverage": np.mean(hits), "mean_width": np.mean(widths), "reps": reps},
        {"scenario": label, "n_coded": n_coded, "estimator": "raw", "coverage": np.mean(raw_hits),
         "mean_width": np.nan, "reps": reps},
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=1000, help="replications of scenario A (B runs reps // 5)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-documents", action="store_true", help="scenario A only (B takes minutes)")
    args = parser.parse_args(argv)
    table = pd.concat([simulate_one_document(args.reps, args.seed),
                       *([simulate_documents(max(20, args.reps // 5), args.seed)] if not args.skip_documents else [])], ignore_index=True)
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
