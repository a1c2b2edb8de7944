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


def add_corpus_option(parser: argparse.ArgumentParser, *, skip_bad: bool = True) -> None:
    """``--corpus DIR``, ``--max-bytes N`` and (unless ``skip_bad=False``) ``--skip-bad``."""
    parser.add_argument("--corpus", metavar="DIR", default="corpus", help="corpus directory (default: corpus/)")
    add_max_bytes_option(parser)
    if skip_bad:
        parser.add_argument("--skip-bad", action="store_true",
                            help="go on without documents whose manifest row or raw file cannot be used "
                                 "(each is named on stderr)")


def add_max_bytes_option(parser: argparse.ArgumentParser) -> None:
    """``--max-bytes N``: the largest input file read (sets ``$TEXTCOMPARE_MAX_BYTES`` for the run)."""
    parser.add_argument("--max-bytes", type=_positive_int, metavar="N",
                        help="largest article file read, in bytes (default: 5000000)")


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, not {value!r}")
    return number


#: Set to ``1`` (by ``--raw-csv``) to print CSV cells exactly, without formula neutralisation.
RAW_CSV_ENV = "TEXTCOMPARE_RAW_CSV"


def add_format_option(parser: argparse.ArgumentParser, default: str = "table") -> None:
    parser.add_argument(
        "--format", choices=FORMATS, default=default,
        help="table: aligned text for people; csv: for scripts and spreadsheets (default: %(default)s)",
    )
    parser.add_argument(
        "--raw-csv", action="store_true",
        help="with --format csv: keep text cells exactly (by default a cell starting with = + - @ tab or CR "
             "gets a leading ' so spreadsheets do not run it as a formula)",
    )


def print_table(table: pd.DataFrame, fmt: str = "table", *, out: TextIO | None = None, float_digits: int = 4) -> None:
    """Write a DataFrame as CSV (formulas neutralised unless ``--raw-csv``) or as an aligned text table
    (control and bidi characters dropped)."""
    import os

    from ..sanitize import clean_table_for_terminal, neutralise_formulas

    out = out or sys.stdout
    if fmt == "csv":
        if os.environ.get(RAW_CSV_ENV) != "1":
            table = neutralise_formulas(table)
        table.to_csv(out, index=False, lineterminator="\n")
        return
    table = clean_table_for_terminal(table)
    if table.empty:
        print("(no rows)", file=out)
        return
    with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200,
                           "display.max_colwidth", 80, "display.float_format", lambda v: f"{v:.{float_digits}g}"):
        print(table.to_string(index=False), file=out)
