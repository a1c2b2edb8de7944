"""`textcompare report` (rebuild reports/ from the corpus) and `textcompare explore` (the explorer page)."""
from __future__ import annotations

import argparse

from .options import add_by_option, add_command, add_corpus_option


def run(args: argparse.Namespace) -> int:
    import matplotlib

    matplotlib.use("Agg")
    from ..reproduce import build_report, format_summary

    result = build_report(args.corpus, args.out, execute_notebooks=not args.no_notebooks, progress=True, by=args.by)
    print(format_summary(result))
    return 0


def register(subparsers) -> None:
    """Add ``report`` to ``subparsers``."""
    parser = add_command(subparsers, "report", help="write every table, figure and report.html (like make reproduce)",
                         example="textcompare report --corpus corpus --out reports --no-notebooks")
    add_corpus_option(parser)
    add_by_option(parser)
    parser.add_argument("--out", metavar="DIR", default="reports", help="output directory (default: reports/)")
    parser.add_argument("--no-notebooks", action="store_true", help="do not execute notebooks/*.ipynb")
    parser.set_defaults(func=run)

    parser = add_command(subparsers, "explore",
                         help="write the explorer: one offline HTML page (term plot, concordance, frames)",
                         example="textcompare explore --by outlet --out explorer.html && xdg-open explorer.html")
    add_corpus_option(parser)
    add_by_option(parser)
    parser.add_argument("--groups", nargs="+", metavar="GROUP", help="only these groups (at least two)")
    parser.add_argument("--out", metavar="FILE", default="reports/explorer.html",
                        help="the page to write (default: reports/explorer.html)")
    parser.add_argument("--resamples", type=int, default=999, metavar="N",
                        help="bootstrap resamples for the frame intervals (default: 999)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.set_defaults(func=run_explore)


def run_explore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..errors import InputError
    from ..report.explorer import save_explorer

    out = Path(args.out)
    if out.suffix.lower() not in (".html", ".htm"):
        raise InputError(f"--out {out}: the explorer is an HTML page", fix="give a path ending in .html")
    path = save_explorer(args.corpus, out, by=args.by, groups=args.groups, n_resamples=args.resamples, seed=args.seed)
    print(f"wrote {path} (open it in a browser; it works offline)")
    return 0
