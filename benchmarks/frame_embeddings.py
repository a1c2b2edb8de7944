#!/usr/bin/env python3
"""Nested grouped cross-validation of frame-tagger variants on framing-dev (lexicon, codebook
prototypes, logistic regression on sentence embeddings / n-grams, hybrids).

usage: python benchmarks/frame_embeddings.py [DIR] [--cache CACHE] [--features FILE] [--folds 5]
                                             [--inner-folds 4] [--resamples 1000] [--seed 0]

Outer folds split by excerpt and only score; every choice (C, per-frame decision threshold,
per-frame combination rule with the lexicon) is made by inner grouped CV on the outer training
excerpts. Labels from DIR (default ../shared/benchmarks/framing-dev), texts from the git-ignored
CACHE. ``--features FILE`` caches the computed features (an .npz outside the repository) so that
variants can be rerun without parsing and embedding again. The last line printed is JSON.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

C_GRID = (0.1, 1.0, 10.0)
THRESHOLDS = np.round(np.arange(0.05, 0.96, 0.05), 2)
RULES = ("model", "lexicon", "or", "and")
LEX_WEIGHT = 1.0  # --lex-weight: lexicon counts are scaled so the L2 penalty shrinks them less


def compute_features(data: dict, frames: list[str]) -> dict[str, np.ndarray]:
    from framing import tag

    from textcompare.framing.classifier import featurize_docs
    from textcompare.framing.embeddings import embed_sentences, load_sentence_encoder, score_prototypes
    from textcompare.nlp import load_nlp

    texts = [t or "" for t in data["text"]]
    hits = tag(data["text"], frames)
    lex = np.array([[sum(f == k for k, _ in h) for f in frames] for h in hits], float)
    nlp = load_nlp()
    ngram_texts, _, _ = featurize_docs(list(nlp.pipe(texts)), nlp=nlp)
    started = time.perf_counter()
    encoder = load_sentence_encoder()
    emb = embed_sentences(texts, encoder=encoder)
    seconds = time.perf_counter() - started
    proto = score_prototypes(emb, frames, encoder=encoder)
    return {"lex": lex, "ngram": np.array(ngram_texts, dtype=object), "emb": emb, "proto": proto,
            "embed_seconds": np.array(seconds)}


def _f1(y: np.ndarray, p: np.ndarray) -> float:
    tp = int((y & p).sum()); fp = int((~y & p).sum()); fn = int((y & ~p).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0


def _design(feats: dict, idx: np.ndarray, blocks: tuple[str, ...], vocab=None, *, lex_weight: float = 1.0):
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import CountVectorizer

    parts = []
    if "ngram" in blocks:
        if vocab is None:
            vocab = CountVectorizer(token_pattern=r"\S+", lowercase=False, binary=True, ngram_range=(1, 2), min_df=2)
            vocab.fit(feats["ngram"][idx].tolist())
        parts.append(vocab.transform(feats["ngram"][idx].tolist()))
    if "emb" in blocks:
        parts.append(csr_matrix(feats["emb"][idx]))
    if "proto" in blocks:
        parts.append(csr_matrix(feats["proto"][idx] * 3.0))
    if "lex" in blocks:
        parts.append(csr_matrix(np.minimum(feats["lex"][idx], 3.0) * lex_weight))
    return hstack(parts).tocsr(), vocab


def _fit_predict(feats, train, test, y, blocks, C):
    """Probabilities (len(test), n_frames) from one L2 logistic regression per frame."""
    from sklearn.linear_model import LogisticRegression

    X_train, vocab = _design(feats, train, blocks, lex_weight=LEX_WEIGHT)
    X_test, _ = _design(feats, test, blocks, vocab, lex_weight=LEX_WEIGHT)
    out = np.zeros((len(test), y.shape[1]))
    for k in range(y.shape[1]):
        col = y[train, k]
        if col.min() == col.max():
            out[:, k] = float(col.max())
            continue
        lr = LogisticRegression(C=C, class_weight="balanced", solver="lbfgs", max_iter=5000)
        lr.fit(X_train, col)
        out[:, k] = lr.predict_proba(X_test)[:, 1]
    return out


def _combine(rule: str, model: np.ndarray, lexicon: np.ndarray) -> np.ndarray:
    return {"model": model, "lexicon": lexicon, "or": model | lexicon, "and": model & lexicon}[rule]


def _inner_choices(feats, train, y, groups, blocks, n_inner, seed, rules):
    """Per frame: (C, threshold, rule) maximising pooled out-of-fold F1 on the training excerpts."""
    from textcompare.framing.evaluation import split_groups

    folds = split_groups([groups[i] for i in train], n_inner, seed=seed)
    oof = {C: np.zeros((len(train), y.shape[1])) for C in C_GRID}
    for test_local in folds:
        fit_local = np.setdiff1d(np.arange(len(train)), test_local)
        for C in C_GRID:
            oof[C][test_local] = _fit_predict(feats, train[fit_local], train[test_local], y, blocks, C)
    lexicon = feats["lex"][train] > 0
    choices = []
    for k in range(y.shape[1]):
        yk = y[train, k].astype(bool)
        best = (-1.0, None)
        for C in C_GRID:
            for t in THRESHOLDS:
                pk = oof[C][:, k] >= t
                for rule in rules:
                    score = _f1(yk, _combine(rule, pk, lexicon[:, k]))
                    if score > best[0] + 1e-12:
                        best = (score, (C, float(t), rule))
        choices.append(best[1])
    return choices


def nested_model(feats, y, groups, blocks, *, n_folds, n_inner, seed, rules=("model",)):
    from textcompare.framing.evaluation import split_groups

    pred = np.zeros_like(y, dtype=bool)
    chosen = []
    for test in split_groups(groups, n_folds, seed=seed):
        train = np.setdiff1d(np.arange(len(y)), test)
        choices = _inner_choices(feats, train, y, groups, blocks, n_inner, seed, rules)
        chosen.append(choices)
        for C in sorted({c for c, _, _ in choices}):
            proba = _fit_predict(feats, train, test, y, blocks, C)
            for k, (ck, t, rule) in enumerate(choices):
                if ck == C:
                    pred[test, k] = _combine(rule, proba[:, k] >= t, feats["lex"][test, k] > 0)
    return pred, chosen


def nested_prototype(feats, y, groups, *, n_folds, seed):
    """Zero-shot: per-frame cosine threshold on the codebook prototypes, chosen on the training excerpts."""
    from textcompare.framing.evaluation import split_groups

    pred = np.zeros_like(y, dtype=bool)
    grid = np.round(np.arange(0.10, 0.80, 0.01), 2)
    for test in split_groups(groups, n_folds, seed=seed):
        train = np.setdiff1d(np.arange(len(y)), test)
        for k in range(y.shape[1]):
            yk = y[train, k].astype(bool)
            scores = np.array([_f1(yk, feats["proto"][train, k] >= t) for t in grid])
            tied = grid[np.isclose(scores, scores.max())]
            t = tied[len(tied) // 2]  # the middle of the best plateau, not its edge
            pred[test, k] = feats["proto"][test, k] >= t
    return pred


def paired_difference(gold, pred, base, groups, frames, *, n_resamples: int, seed: int) -> tuple[float, float, float]:
    """Macro-F1 of ``pred`` minus that of ``base`` with a 95% paired bootstrap interval resampling excerpts."""
    from textcompare.framing.evaluation import _summaries, count_agreement

    labels, codes = np.unique(np.asarray(groups, dtype=str), return_inverse=True)
    cells = []
    for p in (pred, base):
        per_group = np.zeros((len(labels), len(frames), 3), dtype=np.int64)
        np.add.at(per_group, codes, count_agreement(gold, p, frames))
        cells.append(per_group)
    draws = np.random.default_rng(seed).integers(0, len(labels), size=(n_resamples, len(labels)))
    diff = _summaries(cells[0][draws].sum(1))[1] - _summaries(cells[1][draws].sum(1))[1]
    point = _summaries(cells[0].sum(0))[1] - _summaries(cells[1].sum(0))[1]
    diff = diff[np.isfinite(diff)]
    return float(point), float(np.quantile(diff, 0.025)), float(np.quantile(diff, 0.975))


def main(argv: list[str] | None = None) -> int:
    global C_GRID, LEX_WEIGHT
    from framing import default_labels_dir, load_benchmark, print_table, summary

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", nargs="?", default=str(default_labels_dir()))
    parser.add_argument("--cache", default=str(ROOT / ".cache" / "framing-dev"))
    parser.add_argument("--features", help="an .npz to read features from / write them to (outside the repo)")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--inner-folds", type=int, default=4)
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--variants", default="all")
    parser.add_argument("--lex-weight", type=float, default=1.0)
    parser.add_argument("--c-grid", default=",".join(map(str, C_GRID)))
    args = parser.parse_args(argv)

    from textcompare.framing import frame_ids
    from textcompare.framing.evaluation import score_coders, score_frames

    C_GRID = tuple(float(c) for c in args.c_grid.split(","))
    LEX_WEIGHT = args.lex_weight
    frames = frame_ids("case")
    data = load_benchmark(Path(args.dir), Path(args.cache), frames)
    if args.features and Path(args.features).is_file():
        with np.load(args.features, allow_pickle=False) as z:
            feats = {k: z[k] for k in z.files}
        feats["ngram"] = feats["ngram"].astype(object)
    else:
        feats = compute_features(data, frames)
        if args.features:
            np.savez(args.features, **{k: (v.astype(str) if v.dtype == object else v) for k, v in feats.items()})
    gold, groups = data["gold"], data["group"]
    y = np.array([[int(f in g) for f in frames] for g in gold])
    opts = {"n_resamples": args.resamples, "seed": args.seed}
    nest = {"n_folds": args.folds, "n_inner": args.inner_folds, "seed": args.seed}
    variants = {
        "lexicon": lambda: feats["lex"] > 0,
        "prototype_zero_shot": lambda: nested_prototype(feats, y, groups, n_folds=args.folds, seed=args.seed),
        "lr_ngram_lex": lambda: nested_model(feats, y, groups, ("ngram", "lex"), **nest)[0],
        "lr_emb": lambda: nested_model(feats, y, groups, ("emb",), **nest)[0],
        "lr_emb_lex_proto": lambda: nested_model(feats, y, groups, ("emb", "lex", "proto"), **nest)[0],
        "hybrid_emb_lex_proto": lambda: nested_model(feats, y, groups, ("emb", "lex", "proto"), rules=RULES, **nest)[0],
        "lr_emb_ngram_lex_proto": lambda: nested_model(feats, y, groups, ("emb", "ngram", "lex", "proto"), **nest)[0],
    }
    wanted = list(variants) if args.variants == "all" else args.variants.split(",")
    ceiling = score_coders(data["coders"], groups, frames, **opts)
    results = {}
    base = [{f for f, v in zip(frames, row) if v} for row in feats["lex"] > 0]
    for name in wanted:
        started = time.perf_counter()
        pred = variants[name]()
        sets = [{f for f, v in zip(frames, row) if v} for row in pred]
        table = score_frames(gold, sets, groups, frames, **opts)
        print_table(f"{name} (nested CV, {args.folds} outer folds by excerpt; {time.perf_counter() - started:.0f}s)",
                    table, ceiling)
        results[name] = summary(table)
        d, lo, hi = paired_difference(gold, sets, base, groups, frames, n_resamples=args.resamples, seed=args.seed)
        results[name]["macro_f1_minus_lexicon"] = [round(d, 4), round(lo, 4), round(hi, 4)]
        print(f"macro-F1 minus the lexicon's: {d:+.3f} [{lo:+.3f}, {hi:+.3f}] (paired excerpt bootstrap)")
    c = ceiling.set_index("frame")
    print(f"\nceiling (coder vs coder): macro F1 {c.loc['macro', 'f1']:.3f}; embedding {len(y)} sentences took "
          f"{float(feats['embed_seconds']):.1f}s")
    print(json.dumps({"variants": results, "ceiling_macro_f1": round(float(c.loc["macro", "f1"]), 4),
                      "embed_seconds": round(float(feats["embed_seconds"]), 1)}, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
