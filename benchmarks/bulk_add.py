"""How fast ``textcompare add`` takes a folder of files: 1,000 files in one command.

Usage::

    python benchmarks/bulk_add.py [--files 1000] [--existing 1000]

Articles are made of real text without copying whole articles: sentences of the development
split's English ground-truth bodies (``../shared/benchmarks/cleaning-dev/ground-truth.json``, read at run
time, never stored) are pooled, and each article is a seeded random sample of 24 of them in four
paragraphs, under a title line, a byline and a date. Two such articles share almost no word
5-gram, so none is refused as a near-duplicate. Every third file is written as HTML.

For each ``--processes`` value, three timings with the model never loaded (adding does not parse):

- **new corpus**: ``add FOLDER`` of ``--files`` files into a missing corpus;
- **into existing**: the same number of new files into that corpus (near-duplicate check
  against every stored article, signature cache warm);
- **one file**: adding one more file to the result (one process).

Wall seconds and CPU seconds (this process plus its workers) are both reported: on a shared
machine the wall time depends on the other jobs.

The manifest writes are counted (one per command). Prints a Markdown table; the last line is
JSON.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from throughput import DEV_GROUND_TRUTH  # noqa: E402

FIRST = ("Anna", "Brian", "Clara", "David", "Elena", "Frank", "Grace")
LAST = ("Adams", "Baker", "Carter", "Dixon", "Evans", "Foster", "Green", "Hughes", "Irving", "Jones", "Keller")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def sentence_pool() -> list[str]:
    from textcompare.language import detect_language

    truth = json.loads(DEV_GROUND_TRUTH.read_text(encoding="utf-8"))
    pool = []
    for key in sorted(truth):
        if detect_language(truth[key]["articleBody"])[0] != "en":
            continue  # the dev split has a few non-English pages
        for paragraph in truth[key]["articleBody"].split("\n"):
            pool.extend(s.strip() for s in _SENTENCE.split(paragraph) if len(s.split()) >= 8)
    return sorted(set(pool))


def write_folder(folder: Path, n: int, pool: list[str], *, offset: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(offset, offset + n):
        rng = random.Random(k)
        sentences = rng.sample(pool, 24)
        paragraphs = [" ".join(sentences[i:i + 6]) for i in range(0, 24, 6)]
        title, author = f"Commentary number {k} on the crisis", f"{FIRST[k % 7]} {LAST[k % 11]}"
        if k % 3 == 0:
            body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
            page = (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>"
                    f"<meta name=\"author\" content=\"{author}\"><meta name=\"date\" content=\"2020-01-09\">"
                    f"</head><body><nav><a href=\"/\">Home</a></nav><article><h1>{title}</h1>\n{body}\n"
                    f"</article><footer>All rights reserved.</footer></body></html>\n")
            (folder / f"article{k:05d}.html").write_text(page, encoding="utf-8")
        else:
            page = "\n\n".join([title, f"By {author}", "January 9, 2020", *paragraphs]) + "\n"
            (folder / f"article{k:05d}.txt").write_text(page, encoding="utf-8")
    return folder


def _cpu_seconds() -> float:
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_add(sources: list[Path], corpus: Path, processes: int) -> dict:
    from textcompare import ingest
    from textcompare.ingest_batch import add_articles

    writes = []
    real = ingest._replace_manifest
    ingest._replace_manifest = lambda data, path, staging: (writes.append(path), real(data, path, staging))[1]
    try:
        cpu, start = _cpu_seconds(), time.perf_counter()
        result = add_articles(sources, outlet="benchmark", corpus=corpus, progress=False, processes=processes)
        seconds, cpu = time.perf_counter() - start, _cpu_seconds() - cpu
    finally:
        ingest._replace_manifest = real
    added = len(result.added)
    return {"files": added, "seconds": round(seconds, 2), "cpu_s": round(cpu, 2),
            "files_per_s": round(added / seconds, 1), "manifest_writes": len(writes)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=1000, help="files per folder (default: 1000)")
    parser.add_argument("--processes", default="1,2", help="comma-separated worker counts (default: 1,2)")
    args = parser.parse_args(argv)
    from textcompare.near_duplicates import build_signature

    build_signature({"warm up"})  # imports datasketch (and scipy) before timing
    pool = sentence_pool()
    rows = []
    with tempfile.TemporaryDirectory(prefix="tc-bulk-") as tmp:
        tmp = Path(tmp)
        first = write_folder(tmp / "first", args.files, pool)
        second = write_folder(tmp / "second", args.files, pool, offset=args.files)
        one = write_folder(tmp / "one", 1, pool, offset=2 * args.files)
        for processes in [int(p) for p in args.processes.split(",") if p.strip()]:
            corpus = tmp / f"corpus-{processes}"
            for label, folder, before in (("new corpus", first, 0), ("into existing", second, args.files),
                                          ("one file", one, 2 * args.files)):
                row = {"case": label, "processes": processes, "corpus_before": before,
                       **timed_add([folder], corpus, processes if label != "one file" else 1)}
                rows.append(row)
                print(json.dumps(row), file=sys.stderr, flush=True)
            shutil.rmtree(corpus)
    print("| case | processes | articles before | files added | seconds | CPU s | files/s | manifest writes |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['case']} | {r['processes']} | {r['corpus_before']} | {r['files']} | {r['seconds']} | {r['cpu_s']} "
              f"| {r['files_per_s']} | {r['manifest_writes']} |")
    print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
