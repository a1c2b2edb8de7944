"""Corpus edit commands: ``remove`` (articles, raw files and derived entries) and ``update`` (manifest fields)."""
from __future__ import annotations

import argparse

import pandas as pd

from .options import add_command, add_corpus_option, add_format_option, print_table


def register(subparsers) -> None:
    """Add ``remove`` and ``update``."""
    p = add_command(
        subparsers, "remove",
        help="remove articles: manifest rows, raw files and derived entries",
        description="Remove articles from the corpus: their manifest rows, their raw files and their derived "
                    "entries (cleaned text, parsed docs, tables). Every id must exist, else nothing changes.",
        example="textcompare remove 003_a1b2c3d4e5f60718 004_0f1e2d3c4b5a6978 --corpus corpus",
    )
    p.add_argument("ids", metavar="ID", nargs="+", help="document ids (see `textcompare list`)")
    add_corpus_option(p)
    add_format_option(p)
    p.set_defaults(func=run_remove)

    p = add_command(
        subparsers, "update",
        help="change manifest fields of an article (never its raw file; nothing is re-parsed)",
        description="Change manifest fields of one article. The raw file is never touched and the next build "
                    "re-parses nothing. --rehash records the raw file's current sha256 after you restored or "
                    "re-saved it (the fix `check` suggests for a sha256 mismatch).",
        example='textcompare update 003_a1b2c3d4e5f60718 --title "The Right Title" --set region=west',
    )
    p.add_argument("doc_id", metavar="ID", help="document id (see `textcompare list`)")
    p.add_argument("--title", help="new title")
    p.add_argument("--author", help='new author ("unknown" if not known)')
    p.add_argument("--outlet", help="new outlet")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="new publication date")
    p.add_argument("--url", help='new source address ("" clears it)')
    p.add_argument("--set", action="append", metavar="COLUMN=VALUE", dest="set_columns",
                   help="custom manifest column (repeatable)")
    p.add_argument("--rehash", action="store_true", help="record the raw file's current sha256")
    add_corpus_option(p)
    add_format_option(p)
    p.set_defaults(func=run_update)


def run_remove(args: argparse.Namespace) -> int:
    from ..corpus_edit import remove_articles

    removed = remove_articles(args.ids, corpus=args.corpus)
    print_table(removed[["id", "author", "outlet", "title", "date", "path"]], args.format)
    return 0


def run_update(args: argparse.Namespace) -> int:
    from ..corpus_edit import parse_assignments, update_article

    fields = {name: getattr(args, name) for name in ("title", "author", "outlet", "date", "url")}
    changes = update_article(args.doc_id, fields=fields, set_columns=parse_assignments(args.set_columns),
                             rehash=args.rehash, corpus=args.corpus)
    table = pd.DataFrame([{"id": args.doc_id, "column": k, "old": old, "new": new} for k, (old, new) in changes.items()],
                         columns=["id", "column", "old", "new"])
    print_table(table, args.format)
    return 0
