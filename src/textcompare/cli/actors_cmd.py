"""``textcompare actors``: which alias rows and rules matched what (a thin wrapper over
:func:`textcompare.entities.count_alias_matches`)."""
from __future__ import annotations

import argparse

from .options import add_command, add_corpus_option, add_format_option, print_table


def register(subparsers) -> None:
    """Add the ``actors`` subcommand to ``subparsers``."""
    p = add_command(subparsers, "actors",
                    help="which aliases (corpus/actors.csv, packaged table) and rules matched which text, per actor",
                    example="textcompare actors --actor 'United States'\n  textcompare actors --unmatched --format csv > aliases.csv")
    add_corpus_option(p)
    p.add_argument("--actor", metavar="NAME", help="only this canonical actor")
    p.add_argument("--kind", choices=("actor", "demonym", "all"), default="all",
                   help="actors, demonyms/attitudes, or both (default: all)")
    p.add_argument("--unmatched", action="store_true", help="also list alias rows that matched nothing")
    add_format_option(p)
    p.set_defaults(func=run_actors)


def run_actors(args: argparse.Namespace) -> int:
    from ..corpus import load_corpus
    from ..entities import count_alias_matches, extract_mentions, load_alias_table

    corpus = load_corpus(args.corpus)
    aliases = load_alias_table(corpus)
    table = count_alias_matches(extract_mentions(corpus, aliases=aliases), aliases, unmatched=args.unmatched)
    if args.kind != "all":
        table = table[table["kind"] == args.kind]
    if args.actor is not None:
        table = table[table["actor"] == args.actor]
    print_table(table.reset_index(drop=True), args.format)
    return 0
