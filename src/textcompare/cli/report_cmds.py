"""`textcompare report`: rebuild reports/ (tables, figures, notebooks, report.html) from the corpus."""
from __future__ import annotations

import argparse

from .options import add_command, add_corpus_option


def run(args: argparse.Namespace) -> int:
    import matplotlib

    matplotlib.use("Agg")
    from ..reproduce import build_report, format_summary

    result = build_report(args.corpus, args.out, execute_notebooks=not args.no_notebooks, progress=True)
    print(format_summary(result))
    return 0


def register(subparsers) -> None:
    """Add ``report`` to ``subparsers``."""
    parser = add_command(subparsers, "report", help="write every table, figure and report.html (like make reproduce)",
                         example="textcompare report --corpus corpus --out reports --no-notebooks")
    add_corpus_option(parser)
    parser.add_argument("--out", metavar="DIR", default="reports", help="output directory (default: reports/)")
    parser.add_argument("--no-notebooks", action="store_true", help="do not execute notebooks/*.ipynb")
    parser.set_defaults(func=run)
