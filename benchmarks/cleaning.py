#!/usr/bin/env python3
"""Score the cleaner on a benchmark folder.

usage: python benchmarks/cleaning.py DIR [--html] [--single-newline] [--worst N] [--save PRED.json] [--cv K]

DIR holds ``text/ID.txt`` (plain-text scrapes) or ``html/ID.html.gz`` (with
``--html``) and ``ground-truth.json`` (``{ID: {"articleBody": ...}}``).

Metric (re-implemented from the benchmark's score_bodies.py): per page, word
4-gram shingles of truth and prediction are matched as multisets; precision
and recall are averaged over pages; F1 is their harmonic mean.  The last line
printed is JSON: ``{"f1", "precision", "recall", "pages"}`` (plus ``"cv"`` with ``--cv``).

``--cv K`` adds grouped K-fold cross-validation over page *sites* (the URL's
host without ``www.``, so pages of one site never sit on both sides): in each
fold the cleaner's tuned thresholds (``GRID``) are chosen on the training
pages and the chosen setting scores the held-out pages.  The out-of-fold
predictions of all pages are then scored together (``cv`` F1, P, R), and the
per-fold F1s are listed.  The HTML path has no tuned threshold: its CV figure
shows the spread over sites.  ``--single-newline`` scores the same pages
saved with single newlines between blocks (the block separator detection).
"""
from __future__ import annotations

import argparse
import collections
import gzip
import itertools
import json
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from textcompare.cleaning import blocks, clean_html, clean_text, segment  # noqa: E402

WORD = re.compile(r"\w+")

#: the plain-text cleaner's tuned thresholds and the values cross-validation chooses among
GRID: dict[tuple[object, str], tuple] = {
    (blocks, "PARAGRAPH_MIN_WORDS"): (6, 8),
    (segment, "SHORT_PENALTY"): (3.0, 4.0),
    (segment, "LABEL_PENALTY"): (6.0, 8.0, 10.0),
    (segment, "SOFT_BARRIER_SCORE"): (-20.0, -30.0, -40.0),
}


def shingles(text: str, n: int = 4) -> collections.Counter:
    words = WORD.findall(text or "")
    return collections.Counter(tuple(words[i:i + n]) for i in range(max(1, len(words) - n + 1)) if words[i:i + n])


def page_scores(truth: str, pred: str) -> tuple[float | None, float | None]:
    """(precision, recall) of one page; None where undefined (as in score_bodies.py)."""
    t, p = shingles(truth), shingles(pred)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    tp, fp, fn = (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)
    prec = (1.0 if fp == fn == 0 else tp / (tp + fp)) if tp + fp > 0 else None
    rec = (1.0 if fp == fn == 0 else tp / (tp + fn)) if tp + fn > 0 else None
    return prec, rec


def score(truth: dict, pred: dict) -> tuple[dict, dict]:
    precisions, recalls, per_page = [], [], {}
    for key, item in truth.items():
        p, r = page_scores(item.get("articleBody", ""), pred.get(key, {}).get("articleBody", ""))
        if p is not None:
            precisions.append(p)
        if r is not None:
            recalls.append(r)
        pp, rr = p if p is not None else 0.0, r if r is not None else 0.0
        per_page[key] = {"precision": pp, "recall": rr, "f1": 2 * pp * rr / (pp + rr) if pp + rr else 0.0}
    p = statistics.mean(precisions) if precisions else 0.0
    r = statistics.mean(recalls) if recalls else 0.0
    return {"f1": 2 * p * r / (p + r) if p + r else 0.0, "precision": p, "recall": r, "pages": len(truth)}, per_page


def predict(folder: Path, ids: list[str], html: bool, single_newline: bool = False) -> dict:
    pred = {}
    for key in ids:
        if html:
            raw = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
            result = clean_html(raw)
        else:
            text = (folder / "text" / f"{key}.txt").read_text(encoding="utf-8")
            if single_newline:
                text = re.sub(r"\n\s*\n", "\n", text)
            result = clean_text(text)
        pred[key] = {"articleBody": result.body}
    return pred


def site(item: dict, key: str) -> str:
    """The group of a page for cross-validation: its URL's host without ``www.`` (else its id)."""
    host = urlsplit(item.get("url") or "").hostname or ""
    return host.removeprefix("www.") or key


def grid_settings(grid: dict) -> list[dict]:
    """Every combination of the grid's values, as ``{(module, name): value}``."""
    keys = list(grid)
    return [dict(zip(keys, values)) for values in itertools.product(*(grid[k] for k in keys))]


def predict_with(setting: dict, folder: Path, ids: list[str], html: bool, single_newline: bool) -> dict:
    """Predictions with the module constants of *setting* in place (restored afterwards)."""
    saved = {k: getattr(*k) for k in setting}
    try:
        for (module, name), value in setting.items():
            setattr(module, name, value)
        return predict(folder, ids, html, single_newline)
    finally:
        for (module, name), value in saved.items():
            setattr(module, name, value)


def group_folds(groups: list[str], k: int) -> list[tuple[list[int], list[int]]]:
    """``(train, test)`` index lists of K folds, no group on both sides.

    scikit-learn's ``GroupKFold`` rule (largest group first, into the fold with
    the fewest items; ties by name), written out because importing
    ``sklearn.model_selection`` costs seconds in this script and its test.
    """
    sizes = collections.Counter(groups)
    fold_of, totals = {}, [0] * k
    for group in sorted(sizes, key=lambda g: (-sizes[g], g)):
        fold = min(range(k), key=lambda f: (totals[f], f))
        fold_of[group] = fold
        totals[fold] += sizes[group]
    return [([i for i, g in enumerate(groups) if fold_of[g] != f], [i for i, g in enumerate(groups) if fold_of[g] == f])
            for f in range(k)]


def grouped_cv(truth: dict, folder: Path, html: bool, single_newline: bool, k: int) -> dict:
    """Grouped K-fold CV over sites; thresholds chosen on each fold's training pages."""
    ids = sorted(truth)
    groups = [site(truth[key], key) for key in ids]
    settings = grid_settings(GRID) if not html else [{}]
    preds = [predict_with(s, folder, ids, html, single_newline) for s in settings]
    out_of_fold, folds, chosen = {}, [], []
    for train, test in group_folds(groups, k):
        train_truth = {ids[i]: truth[ids[i]] for i in train}
        test_truth = {ids[i]: truth[ids[i]] for i in test}
        best = max(range(len(settings)), key=lambda j: (round(score(train_truth, preds[j])[0]["f1"], 6), -j))
        chosen.append({name: v for (_, name), v in settings[best].items()})
        out_of_fold.update({key: preds[best][key] for key in test_truth})
        folds.append(round(score(test_truth, preds[best])[0]["f1"], 4))
    metrics, _ = score(truth, out_of_fold)
    whole = max(range(len(settings)), key=lambda j: (round(score(truth, preds[j])[0]["f1"], 6), -j))
    return {"f1": round(metrics["f1"], 4), "precision": round(metrics["precision"], 4),
            "recall": round(metrics["recall"], 4), "folds": k, "sites": len(set(groups)),
            "fold_f1": folds, "chosen": chosen,
            "whole_set_choice": {name: v for (_, name), v in settings[whole].items()}}


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--html", action="store_true", help="score the HTML path (DIR/html/*.html.gz)")
    ap.add_argument("--worst", type=int, default=10)
    ap.add_argument("--save", type=Path, help="write predictions JSON here")
    ap.add_argument("--single-newline", action="store_true",
                    help="plain text only: collapse blank lines first (pages saved with single newlines)")
    ap.add_argument("--cv", type=int, metavar="K", help="also run grouped K-fold cross-validation over sites")
    args = ap.parse_args(argv)
    truth = json.loads((args.folder / "ground-truth.json").read_text(encoding="utf-8"))
    started = time.perf_counter()
    pred = predict(args.folder, sorted(truth), args.html, args.single_newline)
    elapsed = time.perf_counter() - started
    if args.save:
        args.save.write_text(json.dumps(pred, ensure_ascii=False, indent=1), encoding="utf-8")
    metrics, per_page = score(truth, pred)
    path = "html" if args.html else "plain text, single newlines" if args.single_newline else "plain text"
    print(f"path: {path}  pages: {metrics['pages']}  time: {elapsed:.1f}s")
    print(f"F1 {metrics['f1']:.3f}  precision {metrics['precision']:.3f}  recall {metrics['recall']:.3f}")
    print(f"worst {args.worst} pages:")
    for key, m in sorted(per_page.items(), key=lambda kv: kv[1]["f1"])[:args.worst]:
        url = truth[key].get("url", "")
        print(f"  {m['f1']:.3f}  P {m['precision']:.3f}  R {m['recall']:.3f}  {key[:16]}  {url[:70]}")
    if args.cv:
        cv = grouped_cv(truth, args.folder, args.html, args.single_newline, args.cv)
        print(f"grouped {cv['folds']}-fold CV over {cv['sites']} sites: F1 {cv['f1']:.3f}  "
              f"precision {cv['precision']:.3f}  recall {cv['recall']:.3f}  folds {cv['fold_f1']}")
        if cv["chosen"] and cv["chosen"][0]:
            print(f"  chosen per fold: {cv['chosen']}")
            print(f"  chosen on the whole set: {cv['whole_set_choice']}")
        metrics["cv"] = cv
    print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in metrics.items()}))
    return metrics


if __name__ == "__main__":
    main()
