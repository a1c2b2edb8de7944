"""Rebuild every table, figure, notebook and the HTML report from the corpus with one command.

    python -m textcompare.reproduce --corpus corpus --out reports      # what `make reproduce` runs

Writes ``OUT/tables/NAME.csv`` (+ ``NAME.provenance.json``), ``OUT/figures/NAME.png|.svg``,
``OUT/build/notebooks/*.ipynb`` (executed copies) and ``OUT/report.html``. Everything but the
executed notebooks is byte-identical between runs on the same corpus, model and versions.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import InputError, TextcompareError


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
    readme: str | os.PathLike[str] | None = None,
) -> dict[str, Any]:
    """Build the corpus, then write every table, figure, executed notebook and ``report.html``.

    Everything is written to a staging folder that replaces ``out_dir`` whole at the end
    (:func:`staged_folder`): a failed run leaves the previous report intact, and a successful one
    leaves no file of a removed document. ``out_dir`` must be new, empty, or a report folder.

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
    readme : path, keyword-only
        A README whose findings block (:mod:`textcompare.findings`) is rewritten from the tables
        (``make reproduce`` passes README.md); default: none is touched.

    Returns
    -------
    dict
        ``tables``, ``figures`` (name -> paths), ``notebooks``, ``report`` (paths in ``out_dir``),
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
    check_report_folder(out)
    timings: dict[str, float] = {}
    start = time.perf_counter()

    say(f"building {corpus.root}")
    summary = build_corpus(corpus, progress=progress)
    timings["build"] = time.perf_counter() - start
    provenance = table_provenance(load_provenance(corpus))

    with staged_folder(out) as stage:
        step = time.perf_counter()
        tables = build_tables(corpus, by=by, progress=lambda m: say(f"table: {m}"))
        table_paths = write_tables(tables, stage / "tables", provenance)
        timings["tables"] = time.perf_counter() - step

        step = time.perf_counter()
        say("figures")
        figures = write_figures(tables, stage / "figures", provenance)
        timings["figures"] = time.perf_counter() - step

        step = time.perf_counter()
        say("explorer")
        from .report.explorer import save_explorer

        groups = document_groups(corpus, by=by)
        explorer = None
        if groups.nunique() >= 2:  # the explorer compares groups; with one there is nothing to pick
            explorer = save_explorer(corpus, stage / "explorer.html", by=by, tables=tables)
        else:
            say(f"explorer: skipped (one group by {by})")
        timings["explorer"] = time.perf_counter() - step

        step = time.perf_counter()
        notebooks: list[Path] = []
        if execute_notebooks:
            if notebook_dir is not None:
                nb_dir = Path(notebook_dir)
            else:
                nb_dir = Path("notebooks") if Path("notebooks").is_dir() else corpus.root.parent / "notebooks"
            notebooks = run_notebooks(nb_dir, stage / "build" / "notebooks", progress=say,
                                      parameters={"CORPUS_DIR": str(corpus.root.resolve()), "GROUP_BY": by,
                                                  "INTERACTIVE": False})
        timings["notebooks"] = time.perf_counter() - step

        report = stage / "report.html"
        report.write_text(render_report(tables, figures, provenance, groups,
                                        explorer=explorer.name if explorer else None, by=by), encoding="utf-8")

    def moved(path: Path) -> Path:
        return out / path.relative_to(stage)

    if readme is not None:  # only after the new report is in place
        from .findings import render, write_readme_findings

        say(f"findings -> {readme}")
        write_readme_findings(readme, render(tables))
    timings["total"] = time.perf_counter() - start
    return {"tables": [moved(p) for p in table_paths],
            "figures": {name: [moved(p) for p in paths] for name, paths in figures.items()},
            "notebooks": [moved(p) for p in notebooks], "report": moved(report),
            "explorer": moved(explorer) if explorer else None,
            "provenance": provenance, "build": summary.to_dict(), "timings": timings}


#: What a report folder holds; any other entry means the folder is not one ``report`` wrote.
REPORT_ENTRIES = frozenset({"tables", "figures", "build", "report.html", "explorer.html"})


def check_report_folder(out: Path) -> None:
    """Refuse an output folder that holds anything a report does not write (it is replaced whole).

    Raises
    ------
    InputError
        ``out`` is not a directory, or holds other entries (named in the message).
    """
    if not out.exists():
        return
    if not out.is_dir() or out.is_symlink():
        raise InputError("is not a directory", path=out, fix="pass --out with a report folder, or a new one")
    foreign = sorted(p.name for p in out.iterdir() if p.name not in REPORT_ENTRIES)
    if foreign:
        shown = ", ".join(foreign[:5]) + (", ..." if len(foreign) > 5 else "")
        raise InputError(f"holds files a report did not write ({shown}); a report replaces its folder whole",
                         path=out, fix="pass --out with a new or empty folder")


@contextlib.contextmanager
def staged_folder(out: Path) -> Iterator[Path]:
    """Write into a staging folder next to ``out``; on success it replaces ``out`` whole.

    On any failure the staging folder is removed and ``out`` is left exactly as it was; on
    success nothing of the previous report survives (no tables of removed documents). The swap
    is two renames on one file system (``out`` away, staging in); between them, for a moment,
    ``out`` does not exist.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
    try:
        yield stage
        os.chmod(stage, 0o755)
        old = None
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            os.rmdir(old)
            os.rename(out, old)
        try:
            os.rename(stage, out)
        except BaseException:
            if old is not None:
                os.rename(old, out)
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if stage.exists():
            shutil.rmtree(stage, ignore_errors=True)


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
    parser.add_argument("--readme", metavar="PATH", help="rewrite this README's generated findings block")
    args = parser.parse_args(argv)

    import matplotlib

    matplotlib.use("Agg")
    try:
        result = build_report(args.corpus, args.out, execute_notebooks=not args.no_notebooks, progress=True,
                              by=args.by, readme=args.readme)
    except TextcompareError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(format_summary(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
