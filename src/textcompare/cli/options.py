"""Options and output shared by every command: --corpus, --format, --columns, table printing."""
from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Sequence
from typing import TextIO

import pandas as pd

from ..errors import InputError

FORMATS = ("table", "csv")
#: Width used when the output is not a terminal and ``COLUMNS`` is unset.
FALLBACK_WIDTH = 100
#: Text columns shrink to no less than this (or their header's length) before numbers are cut.
TEXT_MIN_WIDTH = 12
#: Identifiers are never cut (a cut id cannot be pasted into the next command).
NEVER_CUT = frozenset({"id", "doc_id", "other_doc_id"})


#: The documented default column set of each command in ``--format table`` (docs/columns.md);
#: ``--columns`` chooses others, ``--format csv`` prints every column.
DEFAULT_COLUMNS: dict[str, list[str]] = {
    "list": ["id", "outlet", "author", "date", "words_clean", "title"],
    "entities": ["group", "actor", "label", "mentions", "per_1k", "n_docs"],
    "entities --mentions": ["doc_id", "sent_id", "actor", "text", "label", "sentence"],
    "keyness": ["comparison", "side", "term", "count_a", "count_b", "docs_a", "docs_b", "g2", "log_ratio", "fw_z",
                "fw_q"],
    "terms": ["term", "score", "count", "rank"],
    "kwic": ["group", "doc_id", "paragraph_id", "sent_id", "left", "match", "right"],
    "collocations": ["collocate", "count", "expected", "frequency", "pmi", "t_score", "g2"],
    "frames": ["group", "versus", "frame", "sentences", "per_1k", "ci_low", "ci_high", "log2_ratio", "q_value",
               "scope", "caveat"],
    "evidence": ["group", "doc_id", "sent_id", "sentence"],
    "functions": ["group", "versus", "function", "hits", "per_1k", "ci_low", "ci_high", "log2_ratio", "q_value"],
    "functions --rows": ["doc_id", "sent_id", "function", "match", "sentence"],
    "agency": ["group", "actor", "verb_class", "agent", "patient", "total", "agent_share", "per_1k"],
    "agency --rows": ["doc_id", "sent_id", "agent", "verb_lemma", "patient", "verb_class", "sentence"],
    "stance": ["group", "versus", "marker", "hits", "per_1k", "ci_low", "ci_high", "log2_ratio", "q_value"],
    "stance --actors": ["group", "actor", "sentences", "compound_mean", "ci_low", "ci_high"],
    "stance --rows": ["doc_id", "sent_id", "category", "marker", "match", "sentence"],
    "align": ["group", "doc_id", "sent_id", "other_group", "other_doc_id", "other_sent_id", "similarity",
              "sentence"],
}


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


def add_by_option(parser: argparse.ArgumentParser) -> None:
    """``--by COLUMN``: the manifest column whose values are the groups (the same meaning in every command)."""
    parser.add_argument("--by", default="outlet", metavar="COLUMN", help="manifest column to group by (default: outlet)")


def add_format_option(parser: argparse.ArgumentParser, default: str = "table",
                      columns: Sequence[str] | None = None) -> None:
    """``--format table|csv`` and ``--columns``; ``columns`` is the command's documented default set for tables."""
    parser.add_argument(
        "--format", choices=FORMATS, default=default,
        help="table: fitted to the terminal for people; csv: every column, for scripts and spreadsheets "
             "(default: %(default)s)",
    )
    parser.add_argument(
        "--raw-csv", action="store_true",
        help="with --format csv: keep text cells exactly (by default a cell starting with = + - @ tab or CR "
             "gets a leading ' so spreadsheets do not run it as a formula)",
    )
    shown = ",".join(columns) if columns else "every column"
    parser.add_argument(
        "--columns", metavar="COL,COL", type=lambda s: [c.strip() for c in s.split(",") if c.strip()],
        help=f"columns to print, in this order (applies to csv too); table default: {shown} "
             "(docs/columns.md)",
    )
    parser.set_defaults(default_columns=list(columns) if columns else None)


def choose_columns(table: pd.DataFrame, fmt: str, columns: Sequence[str] | None,
                   default: Sequence[str] | None) -> pd.DataFrame:
    """The columns to print: ``columns`` if given (checked), else ``default`` for tables, else all."""
    if columns:
        unknown = [c for c in columns if c not in table.columns]
        if unknown:
            raise InputError(f"--columns: unknown column(s) {', '.join(unknown)}",
                             fix="available: " + ", ".join(map(str, table.columns)))
        return table[list(columns)]
    if fmt == "table" and default:
        return table[[c for c in default if c in table.columns]]
    return table


def emit(table: pd.DataFrame, args: argparse.Namespace, *, key: str | None = None, **kwargs) -> None:
    """Print ``table`` honouring ``args.format``, ``args.columns`` and the command's default columns
    (``DEFAULT_COLUMNS[key]`` when the command prints a different table in another mode)."""
    fmt = getattr(args, "format", "table")
    default = DEFAULT_COLUMNS[key] if key else getattr(args, "default_columns", None)
    shown = choose_columns(table, fmt, getattr(args, "columns", None), default)
    print_table(shown, fmt, **kwargs)


def terminal_width() -> int:
    """The terminal's width (``COLUMNS`` wins; :data:`FALLBACK_WIDTH` when there is no terminal)."""
    return shutil.get_terminal_size((FALLBACK_WIDTH, 24)).columns


def _cell(value, digits: int) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(value)


def print_table(table: pd.DataFrame, fmt: str = "table", *, out: TextIO | None = None, float_digits: int = 4,
                width: int | None = None, right: Sequence[str] = (), wrap: Sequence[str] = ()) -> None:
    """Write a DataFrame as CSV, or as a table fitted to the terminal width (rich).

    Text columns are left-aligned and cut with an ellipsis when the width runs out; numeric
    columns (and those named in ``right``) are right-aligned and never cut; text columns named in
    ``wrap`` are wrapped over several lines instead. CSV cells that a spreadsheet would run as a
    formula are neutralised unless ``--raw-csv``; control and bidi characters never reach the terminal.
    """
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
    from rich import box
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, width=width or terminal_width(), color_system=None, highlight=False,
                      emoji=False, markup=False, soft_wrap=False, force_terminal=False)
    numeric = [pd.api.types.is_numeric_dtype(table[c]) and not pd.api.types.is_bool_dtype(table[c])
               for c in table.columns]
    cells = {c: [_cell(v, float_digits) for v in table[c]] for c in table.columns}
    natural = [max([len(str(c))] + [len(v) for v in cells[c]]) for c in table.columns]
    fixed = [is_number or c in right or c in NEVER_CUT for c, is_number in zip(table.columns, numeric)]
    widths, dropped = fit_widths(natural, fixed, [len(str(c)) for c in table.columns], console.width)
    view = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, padding=(0, 0, 0, 1))
    kept = list(table.columns)[:len(widths)]
    for column, is_number, w in zip(kept, numeric, widths):
        view.add_column(str(column), justify="right" if is_number or column in right else "left", no_wrap=column not in wrap,
                        overflow="fold" if column in wrap else "ellipsis", width=w)
    for i in range(len(table)):
        view.add_row(*(cells[c][i] for c in kept))
    console.print(view)
    if dropped:
        console.print(f"({dropped} more column(s) do not fit in {console.width} characters: "
                      f"choose with --columns, or use --format csv)")


def fit_widths(natural: Sequence[int], fixed: Sequence[bool], header: Sequence[int], width: int,
               gap: int = 2) -> tuple[list[int], int]:
    """Column widths that fit ``width``: fixed (numeric) columns keep their natural width, text columns
    share what is left (none cut below its header or :data:`TEXT_MIN_WIDTH`); trailing columns that
    still do not fit are dropped. Returns (widths of the kept columns, number dropped).

    Hand-written because rich shrinks every column in proportion (numbers included, some to zero
    width) when no-wrap text overflows; here numbers are never cut.
    """
    n = len(natural)
    floor = [w if f else min(w, max(h, TEXT_MIN_WIDTH)) for w, f, h in zip(natural, fixed, header)]
    while n > 1 and sum(floor[:n]) + gap * (n - 1) > width:
        n -= 1
    widths = list(natural[:n])
    room = width - gap * (n - 1) - sum(w for w, f in zip(widths, fixed[:n]) if f)
    flexible = sorted((i for i in range(n) if not fixed[i]), key=lambda i: natural[i])
    for k, i in enumerate(flexible):  # water-filling: short text columns keep their width, long ones share the rest
        share = room // (len(flexible) - k)
        widths[i] = max(floor[i], min(natural[i], share))
        room -= widths[i]
    return widths, len(natural) - n
