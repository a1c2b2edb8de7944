"""Throughput of ``textcompare build`` against bare ``nlp.pipe`` on the same texts.

Usage::

    python benchmarks/throughput.py [DIR] [--processes N] [--repeat R]

DIR is a folder of ``.txt`` articles; by default the development split's ground-truth bodies
(``../shared/benchmarks/cleaning-dev/ground-truth.json``) plus the two seed articles. They are
added to a throw-away corpus; then, in one run and with the same ``n_process``:

- bare: ``nlp.pipe(cleaned bodies)``, counting tokens (the model is loaded beforehand);
- cold: ``build_corpus(force)`` on an empty ``derived/`` (clean + parse + tables + cache files);
- warm: ``build_corpus`` again (everything cached).

Rounds alternate bare and textcompare; each timing is the best of ``--repeat`` rounds (the
machine may be shared). CPU seconds (this process plus reaped workers) are reported too, and the
time spent cleaning alone, since cleaning is part of the build but not of bare ``nlp.pipe``. With
``--processes N > 1`` a one-process build is timed as well, for the speed-up. The last line is
one JSON object with at least ``{"tokens", "bare_tokens_per_s", "textcompare_tokens_per_s",
"ratio", "cold_s", "warm_s", "peak_rss_mb"}``.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# ``../shared`` next to the repository (a git worktree may sit one level deeper: /work/wt/NAME)
DEV_GROUND_TRUTH = next(
    (p / "shared" / "benchmarks" / "cleaning-dev" / "ground-truth.json" for p in REPO.parents
     if (p / "shared" / "benchmarks" / "cleaning-dev" / "ground-truth.json").is_file()),
    REPO.parent / "shared" / "benchmarks" / "cleaning-dev" / "ground-truth.json")


def default_articles() -> list[tuple[str, str]]:
    """``[(name, text)]``: the dev split's ground-truth bodies, then the seed articles (raw)."""
    truth = json.loads(DEV_GROUND_TRUTH.read_text(encoding="utf-8"))
    articles = [(key[:16], value["articleBody"]) for key, value in sorted(truth.items())]
    for path in sorted((REPO / "corpus" / "raw").glob("*.txt")):
        articles.append((path.stem, path.read_text(encoding="utf-8")))
    return articles


def folder_articles(folder: Path) -> list[tuple[str, str]]:
    return [(p.stem, p.read_text(encoding="utf-8", errors="replace")) for p in sorted(folder.glob("*.txt"))]


def write_corpus(dest: Path, articles: list[tuple[str, str]]) -> Path:
    """A corpus at ``dest`` holding ``articles`` (raw files + manifest rows written directly)."""
    import pandas as pd

    from textcompare.manifest import MANIFEST_COLUMNS, write_manifest

    (dest / "raw").mkdir(parents=True, exist_ok=True)
    rows = []
    for k, (name, text) in enumerate(articles):
        data = text.encode("utf-8")
        sha = hashlib.sha256(data).hexdigest()
        doc_id = f"{k:05d}_{sha[:16]}"
        (dest / "raw" / f"{doc_id}.txt").write_bytes(data)
        rows.append({"id": doc_id, "author": "unknown", "outlet": "benchmark", "title": name,
                     "date": "2020-01-01", "url": "", "path": f"raw/{doc_id}.txt", "sha256": sha, "language": "en"})
    write_manifest(pd.DataFrame(rows, columns=list(MANIFEST_COLUMNS)), dest / "manifest.csv")
    return dest


def add_corpus(dest: Path, articles: list[tuple[str, str]]) -> Path:
    """A corpus at ``dest`` built with ``textcompare.add_article`` (falls back to :func:`write_corpus`)."""
    try:
        from textcompare import add_article
    except (ImportError, AttributeError):
        return write_corpus(dest, articles)
    for name, text in articles:
        add_article(text.encode("utf-8"), author="unknown", outlet="benchmark", title=name, date="2020-01-01",
                    corpus=str(dest), allow_language=True)
    return dest


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class Timer:
    def __enter__(self) -> "Timer":
        self.wall, self.cpu = time.perf_counter(), cpu_seconds()
        return self

    def __exit__(self, *exc) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, cpu_seconds() - self.cpu


def bare_pipe(nlp, texts: list[str], processes: int, batch_size: int) -> int:
    return sum(len(doc) for doc in nlp.pipe(texts, n_process=processes, batch_size=batch_size))


def cold_build(corpus, processes: int) -> Timer:
    import textcompare as tc

    shutil.rmtree(corpus.derived, ignore_errors=True)
    with Timer() as timer:
        summary = tc.build_corpus(corpus, processes=processes, progress=False)
    assert summary.parsed == len(corpus.ids), summary
    return timer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, help="folder of .txt articles (default: dev split + seeds)")
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=2, help="rounds; each timing is the best round (default 2)")
    args = parser.parse_args(argv)

    import textcompare as tc
    from textcompare.corpus import clean_article, load_corpus
    from textcompare.nlp import load_nlp
    from textcompare.parsing.build import _batch_size

    articles = folder_articles(args.folder) if args.folder else default_articles()
    with tempfile.TemporaryDirectory(prefix="tc-throughput-") as tmp:
        corpus = load_corpus(add_corpus(Path(tmp) / "corpus", articles))
        texts = [clean_article(corpus, doc_id).body for doc_id in corpus.ids]
        nlp = load_nlp()
        batch = _batch_size(len(texts), args.processes)
        bare, cold, warm, clean, single = [], [], [], [], []
        tokens = 0
        for _ in range(args.repeat):
            with Timer() as timer:
                tokens = bare_pipe(nlp, texts, args.processes, batch)
            bare.append(timer)
            with Timer() as timer:
                for doc_id in corpus.ids:
                    clean_article(corpus, doc_id)
            clean.append(timer)
            if args.processes > 1:
                single.append(cold_build(corpus, 1))
            cold.append(cold_build(corpus, args.processes))
            with Timer() as timer:
                summary = tc.build_corpus(corpus, processes=args.processes, progress=False)
            assert summary.parsed == 0, summary
            warm.append(timer)
        built_tokens = sum(len(t) for _, t in tc.iter_tables(corpus, "tokens"))
        assert built_tokens == tokens, (built_tokens, tokens)

    def best(timers: list[Timer]) -> Timer:
        return min(timers, key=lambda t: t.wall)

    b, c, w, cl = best(bare), best(cold), best(warm), best(clean)
    result = {
        "documents": len(texts),
        "processes": args.processes,
        "tokens": tokens,
        "bare_tokens_per_s": round(tokens / b.wall, 1),
        "textcompare_tokens_per_s": round(tokens / c.wall, 1),
        "ratio": round(b.wall / c.wall, 3),
        "cold_s": round(c.wall, 3),
        "warm_s": round(w.wall, 3),
        "peak_rss_mb": peak_rss_mb(),
        "bare_s": round(b.wall, 3),
        "warm_share_of_cold": round(w.wall / c.wall, 4),
        "clean_only_s": round(cl.wall, 3),
        "bare_cpu_s": round(min(t.cpu for t in bare), 3),
        "cold_cpu_s": round(min(t.cpu for t in cold), 3),
        "cpu_ratio": round(min(t.cpu for t in bare) / min(t.cpu for t in cold), 3),
    }
    if args.processes == 1:  # cleaning runs in the same process: how much of the gap it explains
        result["ratio_without_cleaning"] = round(b.wall / (c.wall - cl.wall), 3)
    if single:
        result["one_process_cold_s"] = round(best(single).wall, 3)
        result["speedup_vs_one_process"] = round(best(single).wall / c.wall, 3)
    bare_s, cold_s, warm_s = b.wall, c.wall, w.wall
    print(f"{len(texts)} documents, {tokens} tokens, {args.processes} process(es): bare {bare_s:.2f} s, "
          f"textcompare cold {cold_s:.2f} s (ratio {bare_s / cold_s:.3f}), warm {warm_s:.3f} s", file=sys.stderr)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
