"""How the build scales with corpus size: 1 process, 2 processes, a 2-worker Dask LocalCluster.

Usage::

    python benchmarks/scale.py [--docs 100,1000] [--include-10000] [--modes 1,2,dask]

The 10,000-document record (one process and two; hours on a shared 2-core machine)::

    python benchmarks/scale.py --docs 10000 --modes 1,2

Corpora are synthetic but made of real text: copies of the development split's ground-truth
bodies (``../shared/benchmarks/cleaning-dev/ground-truth.json``), each made distinct by a
numbered sentence added to its first long paragraph, so no two documents share a cleaned
body. For every size and mode, in a fresh subprocess:

- cold: build an empty ``derived/`` (clean + parse + tables), tokens per second;
- warm: build again (everything cached);
- add 1 doc: ``add_articles`` of one new file (near-duplicate check against every stored
  article; the signature index is built first, timed separately as "index s", as a corpus grown
  with ``add`` has it already), then a build (must parse exactly 1); then ``remove_articles``
  takes it out again;
- peak RSS: the highest sum of resident memory over the process and all its children
  (spaCy workers, Dask workers), sampled every 0.1 s.

Prints a Markdown table; the last line is a JSON list of the rows.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from throughput import DEV_GROUND_TRUTH, write_corpus  # noqa: E402

MODES = {"1": {"processes": 1}, "2": {"processes": 2}, "dask": {"dask": "local"}}
LABELS = {"1": "1 process", "2": "2 processes", "dask": "Dask LocalCluster (2 workers)"}


def distinct_copy(body: str, k: int) -> str:
    """``body`` with a numbered sentence appended to its first paragraph of 200+ characters."""
    paragraphs = body.split("\n\n")
    target = next((j for j, p in enumerate(paragraphs) if len(p) >= 200), 0)
    paragraphs[target] = paragraphs[target].rstrip() + f" This is copy number {k} of the article."
    return "\n\n".join(paragraphs)


def synthetic_articles(n: int, *, offset: int = 0) -> list[tuple[str, str]]:
    truth = json.loads(DEV_GROUND_TRUTH.read_text(encoding="utf-8"))
    bodies = [truth[key]["articleBody"] for key in sorted(truth)]
    return [(f"copy {k}", distinct_copy(bodies[k % len(bodies)], k)) for k in range(offset, offset + n)]


def new_article() -> str:
    """A distinct extra article: the dev bodies' first sentences, none a near-duplicate of a copy."""
    truth = json.loads(DEV_GROUND_TRUTH.read_text(encoding="utf-8"))
    firsts = [truth[key]["articleBody"].split(". ")[0].strip() + "." for key in sorted(truth)]
    return "\n\n".join(" ".join(firsts[i:i + 5]) for i in range(0, len(firsts), 5)) + "\n"


class PeakRss:
    """Samples the resident memory of this process plus all its descendants."""

    def __init__(self, interval: float = 0.1):
        import psutil

        self.process = psutil.Process()
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> int:
        total = 0
        for proc in [self.process, *self.process.children(recursive=True)]:
            try:
                total += proc.memory_info().rss
            except Exception:  # noqa: BLE001 - a child may exit between listing and reading
                pass
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            self._stop.wait(self.interval)

    def __enter__(self) -> "PeakRss":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._sample())


def run_one(corpus_dir: Path, mode: str) -> dict:
    """One size x mode measurement (run in its own process)."""
    import textcompare as tc
    from textcompare.corpus_edit import remove_articles
    from textcompare.ingest_batch import add_articles
    from textcompare.near_duplicates import load_signatures
    from textcompare.nlp import load_nlp

    options = MODES[mode]
    load_nlp()  # loaded before timing, as in the throughput benchmark
    shutil.rmtree(corpus_dir / "derived", ignore_errors=True)
    with PeakRss() as rss:
        cold = tc.build_corpus(corpus_dir, progress=False, **options)
        warm = tc.build_corpus(corpus_dir, progress=False, **options)
        # add one new document (a distinct one: not a near-duplicate of any copy), then build
        n = cold.documents
        from textcompare.language import detect_language
        from textcompare.near_duplicates import build_signature

        detect_language("The language identifier is loaded once, before timing.")
        build_signature({"imports datasketch before timing"})
        start = time.perf_counter()
        load_signatures(corpus_dir, save=True)
        index_s = time.perf_counter() - start
        extra = corpus_dir.parent / f"extra-{mode}.txt"
        extra.write_text(new_article(), encoding="utf-8")
        start = time.perf_counter()
        added = add_articles([extra], author="unknown", outlet="benchmark", title="extra", date="2020-01-01",
                             corpus=corpus_dir, allow_language=True, progress=False)
        add_s = time.perf_counter() - start
        incremental = tc.build_corpus(corpus_dir, progress=False, **options)
        start = time.perf_counter()
        remove_articles(added.added, corpus=corpus_dir)
        remove_s = time.perf_counter() - start
        extra.unlink()
    tokens = sum(len(table) for _, table in tc.iter_tables(corpus_dir, "tokens"))
    assert cold.parsed == n and warm.parsed == 0 and incremental.parsed == 1, (cold, warm, incremental)
    return {
        "documents": n, "mode": LABELS[mode], "tokens": tokens,
        "cold_s": round(cold.seconds, 2), "cold_tokens_per_s": round(tokens / cold.seconds, 1),
        "warm_s": round(warm.seconds, 3), "index_s": round(index_s, 2), "add_s": round(add_s, 3),
        "incremental_s": round(incremental.seconds, 2), "remove_s": round(remove_s, 3),
        "incremental_parsed": incremental.parsed, "peak_rss_mb": round(rss.peak / 2**20, 1),
    }


def markdown(rows: list[dict]) -> str:
    lines = ["| documents | mode | tokens | cold s | cold tokens/s | warm s | index s | add 1 doc: add s "
             "| + build s | remove s | peak RSS MB |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['documents']} | {r['mode']} | {r['tokens']} | {r['cold_s']} | {r['cold_tokens_per_s']:.0f} "
                     f"| {r['warm_s']} | {r['index_s']} | {r['add_s']} | {r['incremental_s']} | {r['remove_s']} "
                     f"| {r['peak_rss_mb']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", "--sizes", dest="sizes", default="100,1000",
                        help="comma-separated corpus sizes (default: 100,1000)")
    parser.add_argument("--include-10000", action="store_true", help="also run 10,000 documents (slow)")
    parser.add_argument("--modes", default="1,2,dask", help="comma-separated: 1, 2, dask (default: all)")
    parser.add_argument("--one", nargs=2, metavar=("CORPUS", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(Path(args.one[0]), args.one[1])))
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.include_10000 and 10_000 not in sizes:
        sizes.append(10_000)
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    rows = []
    with tempfile.TemporaryDirectory(prefix="tc-scale-") as tmp:
        for size in sizes:
            corpus_dir = write_corpus(Path(tmp) / f"corpus-{size}", synthetic_articles(size))
            for mode in modes:
                done = subprocess.run([sys.executable, __file__, "--one", str(corpus_dir), mode],
                                      check=True, capture_output=True, text=True)
                row = json.loads(done.stdout.strip().splitlines()[-1])
                rows.append(row)
                print(json.dumps(row), file=sys.stderr, flush=True)
            shutil.rmtree(corpus_dir)
    print(markdown(rows))
    print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
