"""Options and output shared by every command: --corpus, --format, table printing."""
from __future__ import annotations

import argparse
import sys
from typing import TextIO

import pandas as pd

FORMATS = ("table", "csv")


def add_command(subparsers, name: str, *, help: str, example: str, description: str | None = None) -> argparse.ArgumentParser:
    """A subcommand whose --help ends with an example."""
    return subparsers.add_parser(
        name,
        help=help,
        description=description or help,
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def add_corpus_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", metavar="DIR", default="corpus", help="corpus directory (default: corpus/)")


def add_format_option(parser: argparse.ArgumentParser, default: str = "table") -> None:
    parser.add_argument(
        "--format", choices=FORMATS, default=default,
        help="table: aligned text for people; csv: for scripts (default: %(default)s)",
    )


def print_table(table: pd.DataFrame, fmt: str = "table", *, out: TextIO | None = None, float_digits: int = 4) -> None:
    """Write a DataFrame as CSV or as an aligned text table."""
    out = out or sys.stdout
    if fmt == "csv":
        table.to_csv(out, index=False, lineterminator="\n")
        return
    if table.empty:
        print("(no rows)", file=out)
        return
    with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200,
                           "display.max_colwidth", 80, "display.float_format", lambda v: f"{v:.{float_digits}g}"):
        print(table.to_string(index=False), file=out)
