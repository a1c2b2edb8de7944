"""The ``textcompare`` command: thin wrappers over the library.

Each command lives in a small module of this package with a ``register(subparsers)`` function.
Errors a user can act on (:class:`~textcompare.errors.TextcompareError`) print one line to stderr
and exit 2; anything unexpected prints one line too (set ``TEXTCOMPARE_DEBUG=1`` for the traceback).
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys
import warnings
from collections.abc import Sequence

from ..errors import TextcompareError

# Command modules, in the order their commands appear in --help.
COMMAND_MODULES: tuple[str, ...] = (
    "corpus_cmds",    # clean, add, list, check
    "corpus_edit_cmds",  # remove, update
    "build_cmd",      # build
    "analysis_cmds",  # entities, keyness, terms, kwic, collocations
    "actors_cmd",     # actors (which aliases matched what)
    "framing_cmds",   # frames, evidence, functions, agency, stance, align
    "validation_cmds",  # sample, validate, train
    "report_cmds",    # figures / reproduce helpers
)

EPILOG = """examples:
  textcompare list
  textcompare add article.txt --author "Jane Doe" --outlet "Example Review" --date 2020-01-09
  textcompare build
  textcompare keyness --by outlet --top 20
  textcompare frames --by outlet --format csv > frames.csv
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="textcompare",
        description="Compare how different authors frame the same event.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    from .. import __version__

    parser.add_argument("--version", action="version", version=f"textcompare {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__name__}.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``textcompare`` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    from ..corpus import SKIP_BAD_ENV
    from ..fileio import MAX_BYTES_ENV
    from ..sanitize import clean_for_terminal
    from .options import RAW_CSV_ENV

    settings = {MAX_BYTES_ENV: getattr(args, "max_bytes", None),
                SKIP_BAD_ENV: "1" if getattr(args, "skip_bad", False) else None,
                RAW_CSV_ENV: "1" if getattr(args, "raw_csv", False) else None}
    saved = {name: os.environ.get(name) for name in settings}
    for name, value in settings.items():  # read by the library, and by worker processes
        if value is not None:
            os.environ[name] = str(value)
    def show_warning(message, category, *_args, **_kwargs) -> None:
        print(f"textcompare {args.command}: warning: {clean_for_terminal(str(message))}", file=sys.stderr)

    try:
        with warnings.catch_warnings():  # warnings as one clean line each (restored afterwards)
            warnings.showwarning = show_warning
            result = args.func(args)
    except TextcompareError as exc:
        print(f"textcompare {args.command}: error: {clean_for_terminal(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"textcompare {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the CLI never shows a bare traceback
        if os.environ.get("TEXTCOMPARE_DEBUG"):
            raise
        print(
            f"textcompare {args.command}: internal error: {type(exc).__name__}: {clean_for_terminal(str(exc))} "
            "(set TEXTCOMPARE_DEBUG=1 to see the traceback, and please report it)",
            file=sys.stderr,
        )
        return 1
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return int(result or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
