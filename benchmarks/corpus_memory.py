"""Memory and time of the corpus operations that read every stored article, by corpus size.

Usage::

    python benchmarks/corpus_memory.py [--sizes 200,800]

For each size, in a fresh subprocess (the model is never loaded: none of these parse):
a corpus of distinct articles (``bulk_add.py``'s sentence samples of the dev split) is written
directly, then timed in turn:

- index: the near-duplicate signatures of every article (cleaned, MinHashed, cached);
- add 1: ``add_articles`` of one new file (near-duplicate check against all);
- check: ``find_near_duplicates`` (LSH over all signatures, exact Jaccard on candidates);
- remove 1: ``remove_articles`` of that file;
- list: ``list_articles`` (raw and cleaned word counts of every article).

Peak RSS is ``ru_maxrss`` of the subprocess after each step, and "RSS after imports" is read before
the first, so the growth with the number of documents is visible. Prints a Markdown table; the
last line is JSON.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() / 2**20


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_one(size: int) -> dict:
    from bulk_add import sentence_pool, write_folder
    from throughput import write_corpus

    import textcompare as tc
    from textcompare.near_duplicates import build_signature, load_signatures

    build_signature({"warm up"})
    tmp = Path(tempfile.mkdtemp(prefix="tc-mem-"))
    pool = sentence_pool()
    folder = write_folder(tmp / "src", size + 1, pool)
    files = sorted(folder.iterdir())
    corpus = write_corpus(tmp / "corpus", [(p.stem, p.read_text(encoding="utf-8")) for p in files[:-1]
                                           if p.suffix == ".txt"])
    n = len(tc.load_corpus(corpus))
    row = {"documents": n, "rss_after_imports_mb": round(_rss_mb(), 1)}
    steps = [
        ("index", lambda: load_signatures(corpus, save=True)),
        ("add_1", lambda: row.setdefault("_added", tc.add_articles([files[-1]], outlet="x", author="unknown",
                                                                  corpus=corpus, progress=False, allow_language=True))),
        ("check", lambda: tc.find_near_duplicates(corpus)),
        ("remove_1", lambda: tc.remove_articles(row["_added"].added, corpus=corpus)),
        ("list", lambda: tc.list_articles(corpus)),
    ]
    for name, step in steps:
        start = time.perf_counter()
        step()
        row[f"{name}_s"] = round(time.perf_counter() - start, 3)
        row[f"{name}_peak_mb"] = round(_peak_mb(), 1)
    row.pop("_added")
    import shutil

    shutil.rmtree(tmp)
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="200,800", help="comma-separated corpus sizes (default: 200,800)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one)))
        return 0
    rows = []
    for size in [int(s) for s in args.sizes.split(",") if s.strip()]:
        done = subprocess.run([sys.executable, __file__, "--one", str(size)], check=True, capture_output=True, text=True)
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    steps = ["index", "add_1", "check", "remove_1", "list"]
    print("| documents | RSS after imports MB | " + " | ".join(f"{s} s | peak after {s} MB" for s in steps) + " |")
    print("|---:|---:|" + "---:|---:|" * len(steps))
    for r in rows:
        print(f"| {r['documents']} | {r['rss_after_imports_mb']} | "
              + " | ".join(f"{r[f'{s}_s']} | {r[f'{s}_peak_mb']}" for s in steps) + " |")
    print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
