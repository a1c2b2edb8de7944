"""``textcompare build``: clean and parse what is missing into corpus/derived (cached)."""
from __future__ import annotations

import argparse
import json
import sys
import warnings

from .options import add_command, add_corpus_option


def register(subparsers) -> None:
    """Add the ``build`` subcommand."""
    parser = add_command(
        subparsers, "build",
        help="clean and parse the corpus into DIR/derived (only what is missing or stale)",
        example="textcompare build --corpus corpus --processes 2 --json",
    )
    add_corpus_option(parser)
    parser.add_argument("--processes", type=int, default=1, metavar="N",
                        help="worker processes for spaCy (default: %(default)s)")
    parser.add_argument("--dask", metavar="ADDRESS",
                        help="parse on a Dask cluster: a scheduler address, or 'local' for a 2-worker local cluster")
    parser.add_argument("--force", action="store_true", help="re-clean and re-parse every document")
    parser.add_argument("--model", metavar="NAME", help="spaCy pipeline to use (default: the installed English one)")
    parser.add_argument("--json", action="store_true",
                        help='print the summary as one JSON line: {"documents", "parsed", "cached", "seconds"}')
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..parsing import build_corpus
    from ..sanitize import clean_for_terminal

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        summary = build_corpus(args.corpus, processes=args.processes, force=args.force, dask=args.dask,
                               progress=True, model=args.model, skip_bad=args.skip_bad)
    for warning in caught:
        print(f"textcompare build: warning: {clean_for_terminal(str(warning.message))}", file=sys.stderr)
    if args.json:
        print(json.dumps(summary.to_dict()))
    else:
        print(summary)
    return 0
