"""Rebuild every table, figure, notebook and the HTML report from the corpus with one command.

    python -m textcompare.reproduce --corpus corpus --out reports      # what `make reproduce` runs

Writes ``OUT/tables/NAME.csv`` (+ ``NAME.provenance.json``), ``OUT/figures/NAME.png|.svg``,
``OUT/build/notebooks/*.ipynb`` (executed copies) and ``OUT/report.html``. Everything but the
executed notebooks is byte-identical between runs on the same corpus, model and versions.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

from .errors import TextcompareError


def _stderr(message: str) -> None:
    print(f"[reproduce] {message}", file=sys.stderr, flush=True)


def build_report(
    corpus: Any,
    out_dir: str | os.PathLike[str],
    *,
    execute_notebooks: bool = True,
    notebook_dir: str | os.PathLike[str] | None = None,
    progress: bool = False,
    by: str = "outlet",
) -> dict[str, Any]:
    """Build the corpus, then write every table, figure, executed notebook and ``report.html``.

    Parameters
    ----------
    corpus : Corpus or path
        The corpus (built first if needed, using the cache).
    out_dir : path
        Output root (``reports``): ``tables/``, ``figures/``, ``build/notebooks/``, ``report.html``.
    execute_notebooks : bool, keyword-only
        Run ``notebook_dir/*.ipynb`` headless (skipped with a message when there are none).
    notebook_dir : path, keyword-only
        Default: ``./notebooks`` if it exists, else ``notebooks/`` next to the corpus directory. The
        notebooks run on ``corpus`` (its absolute path is injected after their parameters cell).
    progress : bool, keyword-only
        Report each step on stderr.
    by : str, keyword-only
        Manifest column whose values are the groups compared (``report --by``, ``make reproduce BY=``).

    Returns
    -------
    dict
        ``tables``, ``figures`` (name -> paths), ``notebooks``, ``report`` (paths),
        ``provenance``, ``build`` (BuildSummary dict) and ``timings`` (seconds per step).
    """
    from .corpus import document_groups, load_corpus
    from .parsing import build_corpus, load_provenance
    from .report.figures import write_figures
    from .report.html import render_report
    from .report.notebooks import execute_notebooks as run_notebooks
    from .report.tables import build_tables, table_provenance, write_tables

    say = _stderr if progress else (lambda _msg: None)
    corpus = load_corpus(corpus)
    out = Path(out_dir)
    timings: dict[str, float] = {}
    start = time.perf_counter()

    say(f"building {corpus.root}")
    summary = build_corpus(corpus, progress=progress)
    timings["build"] = time.perf_counter() - start
    provenance = table_provenance(load_provenance(corpus))

    step = time.perf_counter()
    tables = build_tables(corpus, by=by, progress=lambda m: say(f"table: {m}"))
    table_paths = write_tables(tables, out / "tables", provenance)
    timings["tables"] = time.perf_counter() - step

    step = time.perf_counter()
    say("figures")
    figures = write_figures(tables, out / "figures", provenance)
    timings["figures"] = time.perf_counter() - step

    step = time.perf_counter()
    say("explorer")
    from .report.explorer import save_explorer

    explorer = save_explorer(corpus, out / "explorer.html", by=by, tables=tables)
    timings["explorer"] = time.perf_counter() - step

    step = time.perf_counter()
    notebooks: list[Path] = []
    if execute_notebooks:
        if notebook_dir is not None:
            nb_dir = Path(notebook_dir)
        else:
            nb_dir = Path("notebooks") if Path("notebooks").is_dir() else corpus.root.parent / "notebooks"
        notebooks = run_notebooks(nb_dir, out / "build" / "notebooks", progress=say,
                                  parameters={"CORPUS_DIR": str(corpus.root.resolve()), "GROUP_BY": by,
                                              "INTERACTIVE": False})
    timings["notebooks"] = time.perf_counter() - step

    report = out / "report.html"
    report.write_text(render_report(tables, figures, provenance, document_groups(corpus, by=by),
                                    explorer=explorer.name, by=by), encoding="utf-8")
    timings["total"] = time.perf_counter() - start
    return {"tables": table_paths, "figures": figures, "notebooks": notebooks, "report": report, "explorer": explorer,
            "provenance": provenance, "build": summary.to_dict(), "timings": timings}


def format_summary(result: dict[str, Any]) -> str:
    """Two lines for people: what was written, and how long each step took (cold = something parsed)."""
    t = result["timings"]
    parsed = result["build"].get("parsed")
    kind = f"cold ({parsed} parsed)" if parsed else "warm (every document cached)"
    figures = sum(len(p) for p in result["figures"].values())
    return (f"wrote {len(result['tables'])} tables, {figures} figure files, {len(result['notebooks'])} notebooks, "
            f"{result['report']}\n"
            f"timings ({kind}): build {t['build']:.1f} s, tables {t['tables']:.1f} s, figures {t['figures']:.1f} s, "
            f"notebooks {t['notebooks']:.1f} s, total {t['total']:.1f} s")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point (``python -m textcompare.reproduce``)."""
    parser = argparse.ArgumentParser(
        prog="python -m textcompare.reproduce",
        description="Rebuild reports/ (tables, figures, notebooks, report.html) from the corpus.",
        epilog="example: python -m textcompare.reproduce --corpus corpus --out reports",
    )
    parser.add_argument("--corpus", default="corpus", help="corpus directory (default: corpus)")
    parser.add_argument("--out", default="reports", help="output directory (default: reports)")
    parser.add_argument("--no-notebooks", action="store_true", help="do not execute the notebooks")
    parser.add_argument("--by", default="outlet", help="manifest column to group by (default: outlet)")
    args = parser.parse_args(argv)

    import matplotlib

    matplotlib.use("Agg")
    try:
        result = build_report(args.corpus, args.out, execute_notebooks=not args.no_notebooks, progress=True,
                              by=args.by)
    except TextcompareError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(format_summary(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
