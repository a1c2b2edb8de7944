#!/usr/bin/env python3
"""Score the cleaner on a benchmark folder.

usage: python benchmarks/cleaning.py DIR [--html] [--worst N] [--save PRED.json]

DIR holds ``text/ID.txt`` (plain-text scrapes) or ``html/ID.html.gz`` (with
``--html``) and ``ground-truth.json`` (``{ID: {"articleBody": ...}}``).

Metric (re-implemented from the benchmark's score_bodies.py): per page, word
4-gram shingles of truth and prediction are matched as multisets; precision
and recall are averaged over pages; F1 is their harmonic mean.  The last line
printed is JSON: ``{"f1", "precision", "recall", "pages"}``.
"""
from __future__ import annotations

import argparse
import collections
import gzip
import json
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from textcompare.cleaning import clean_html, clean_text  # noqa: E402

WORD = re.compile(r"\w+")


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


def predict(folder: Path, ids: list[str], html: bool) -> dict:
    pred = {}
    for key in ids:
        if html:
            raw = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
            result = clean_html(raw)
        else:
            result = clean_text((folder / "text" / f"{key}.txt").read_text(encoding="utf-8"))
        pred[key] = {"articleBody": result.body}
    return pred


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--html", action="store_true", help="score the HTML path (DIR/html/*.html.gz)")
    ap.add_argument("--worst", type=int, default=10)
    ap.add_argument("--save", type=Path, help="write predictions JSON here")
    args = ap.parse_args(argv)
    truth = json.loads((args.folder / "ground-truth.json").read_text(encoding="utf-8"))
    started = time.perf_counter()
    pred = predict(args.folder, sorted(truth), args.html)
    elapsed = time.perf_counter() - started
    if args.save:
        args.save.write_text(json.dumps(pred, ensure_ascii=False, indent=1), encoding="utf-8")
    metrics, per_page = score(truth, pred)
    print(f"path: {'html' if args.html else 'plain text'}  pages: {metrics['pages']}  time: {elapsed:.1f}s")
    print(f"F1 {metrics['f1']:.3f}  precision {metrics['precision']:.3f}  recall {metrics['recall']:.3f}")
    print(f"worst {args.worst} pages:")
    for key, m in sorted(per_page.items(), key=lambda kv: kv[1]["f1"])[:args.worst]:
        url = truth[key].get("url", "")
        print(f"  {m['f1']:.3f}  P {m['precision']:.3f}  R {m['recall']:.3f}  {key[:16]}  {url[:70]}")
    print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in metrics.items()}))
    return metrics


if __name__ == "__main__":
    main()
