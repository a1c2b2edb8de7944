"""Peak memory and time of corpus-level aggregates as the number of documents grows.

Usage::

    python benchmarks/aggregate_memory.py [--sizes 50,200,800] [--groups 3]

For each size a synthetic corpus is written with ``benchmarks/scale.py``'s helpers (copies of
the development split's ground-truth bodies, each made distinct by a numbered sentence), its
``outlet`` column set round-robin to ``--groups`` labels, and built with ``processes=2``.
Then every task runs in a FRESH subprocess, which reports its resident memory after the imports
(``base``, from /proc/self/statm) and its peak (``resource.getrusage(...).ru_maxrss``):

- ``keyness``: ``compare_keyness(corpus, by="outlet")`` (streams the stored token tables);
- ``keyness (in memory)``: ``compare_keyness(corpus, by="outlet", tokens=load_tokens(corpus))``,
  the full-table path, for comparison;
- ``actors``: ``count_actors(extract_mentions(corpus), corpus, by="outlet")``.

Because the copies cycle through the same 61 bodies, the vocabulary stops growing after ~61
documents: if an aggregate's memory is bounded by the vocabulary, its peak stays flat.
Prints a Markdown table; the last line is a JSON list of the rows.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scale import synthetic_articles, write_corpus  # noqa: E402

TASKS = {"keyness": "keyness", "keyness_in_memory": "keyness (in memory)", "actors": "actors"}


def current_rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def make_corpus(dest: Path, size: int, groups: int) -> Path:
    """A built synthetic corpus of ``size`` documents, outlets ``outlet 0`` .. round-robin."""
    import textcompare as tc
    from textcompare.manifest import read_manifest, write_manifest

    write_corpus(dest, synthetic_articles(size))
    manifest = read_manifest(dest / "manifest.csv")
    manifest["outlet"] = [f"outlet {k % groups}" for k in range(len(manifest))]
    write_manifest(manifest, dest / "manifest.csv")
    tc.build_corpus(dest, processes=2, progress=False)
    return dest


def run_task(corpus_dir: Path, task: str) -> dict:
    """One measurement, in its own process."""
    import textcompare as tc
    from textcompare.entities import count_actors, extract_mentions
    from textcompare.keyness import compare_keyness
    from textcompare.parsing import load_tokens

    corpus = tc.load_corpus(corpus_dir)
    base = current_rss_mb()
    start = time.perf_counter()
    if task == "keyness":
        table = compare_keyness(corpus, by="outlet")
        detail = {"rows": len(table), "terms": int(table["term"].nunique())}
    elif task == "keyness_in_memory":
        table = compare_keyness(corpus, by="outlet", tokens=load_tokens(corpus))
        detail = {"rows": len(table), "terms": int(table["term"].nunique())}
    else:
        mentions = extract_mentions(corpus)
        table = count_actors(mentions, corpus, by="outlet")
        detail = {"rows": len(table), "mentions": len(mentions)}
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"task": TASKS[task], "seconds": round(seconds, 2), "base_rss_mb": round(base, 1),
            "peak_rss_mb": round(peak, 1), "growth_mb": round(peak - base, 1), **detail}


def markdown(rows: list[dict]) -> str:
    lines = ["| documents | tokens | task | seconds | RSS after imports MB | peak RSS MB | peak − base MB | result rows |",
             "|---:|---:|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['documents']} | {r['tokens']} | {r['task']} | {r['seconds']} | {r['base_rss_mb']} "
                     f"| {r['peak_rss_mb']} | {r['growth_mb']} | {r['rows']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="50,200,800", help="comma-separated corpus sizes (default: 50,200,800)")
    parser.add_argument("--groups", type=int, default=3, help="outlets assigned round-robin (default: 3)")
    parser.add_argument("--tasks", default=",".join(TASKS), help="comma-separated: " + ", ".join(TASKS))
    parser.add_argument("--one", nargs=2, metavar=("CORPUS", "TASK"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_task(Path(args.one[0]), args.one[1])))
        return 0
    import textcompare as tc

    rows = []
    tasks = [t.strip() for t in args.tasks.split(",") if t.strip()]
    with tempfile.TemporaryDirectory(prefix="tc-aggmem-") as tmp:
        for size in (int(s) for s in args.sizes.split(",") if s.strip()):
            started = time.perf_counter()
            corpus_dir = make_corpus(Path(tmp) / f"corpus-{size}", size, args.groups)
            build_s = time.perf_counter() - started
            tokens = sum(len(table) for _, table in tc.iter_tables(corpus_dir, "tokens"))
            for task in tasks:
                done = subprocess.run([sys.executable, __file__, "--one", str(corpus_dir), task],
                                      check=True, capture_output=True, text=True)
                row = {"documents": size, "tokens": tokens, "build_s": round(build_s, 1),
                       **json.loads(done.stdout.strip().splitlines()[-1])}
                rows.append(row)
                print(json.dumps(row), file=sys.stderr, flush=True)
            shutil.rmtree(corpus_dir)
    print(markdown(rows))
    print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
