#!/usr/bin/env python3
"""Peak memory of parsing with ``nlp.pipe`` batches of N documents against batches bounded by characters.

usage: python benchmarks/parse_memory.py [--copies 3] [--chars 0,100000,50000,20000]

The development split's 61 ground-truth bodies (``../shared/benchmarks/cleaning-dev``, read at run
time, never stored), ``--copies`` times over, are parsed by the project's model. Each setting runs
in a fresh subprocess and reports the peak resident memory (``ru_maxrss``) above the loaded model
and tokens per second. ``--chars 0`` is the old rule (32 documents per ``nlp.pipe`` batch); other
values group documents up to that many characters, as ``textcompare build`` does
(``parsing.build.PIPE_CHARS``). The last line is JSON.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from throughput import DEV_GROUND_TRUTH  # noqa: E402


def run_one(chars: int, copies: int) -> dict:
    from textcompare.nlp import load_nlp
    from textcompare.parsing.build import _pipe_bounded
    from textcompare.parsing.serialize import prepare_doc

    truth = json.loads(DEV_GROUND_TRUTH.read_text(encoding="utf-8"))
    bodies = [truth[key]["articleBody"] for key in sorted(truth)] * copies
    nlp = load_nlp()
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    if chars == 0:
        tokens = sum(len(d) for d in nlp.pipe((prepare_doc(nlp, b) for b in bodies), batch_size=32))
    else:
        items = [(b, k) for k, b in enumerate(bodies)]
        tokens = sum(len(d) for d, _ in _pipe_bounded(nlp, items, max_docs=32, max_chars=chars))
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"chars": chars, "documents": len(bodies), "tokens": tokens, "seconds": round(seconds, 2),
            "tokens_per_s": round(tokens / seconds), "model_mb": round(base), "peak_mb": round(peak),
            "above_model_mb": round(peak - base)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=3, help="times the 61 bodies are repeated (default 3)")
    parser.add_argument("--chars", default="0,100000,50000,20000",
                        help="comma-separated character budgets; 0 = 32 documents a batch (default: 0,100000,50000,20000)")
    parser.add_argument("--one", nargs=2, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(*args.one)))
        return 0
    rows = []
    for chars in [int(c) for c in args.chars.split(",") if c.strip()]:
        done = subprocess.run([sys.executable, __file__, "--one", str(chars), str(args.copies)],
                              check=True, capture_output=True, text=True)
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    print("| pipe batch | documents | tokens | seconds | tokens/s | model MB | peak MB | above model MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        label = "32 documents" if r["chars"] == 0 else f"≤ {r['chars']:,} characters"
        print(f"| {label} | {r['documents']} | {r['tokens']} | {r['seconds']} | {r['tokens_per_s']} | "
              f"{r['model_mb']} | {r['peak_mb']} | {r['above_model_mb']} |")
    print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
