"""Corpus commands: ``clean`` (preview cleaning), ``add`` (store an article), ``list``, ``check``.

``add`` creates the corpus directory with an empty manifest when ``--corpus DIR`` does not exist
(or is an empty directory); the other commands need an existing corpus.
"""
from __future__ import annotations

import argparse
import json
import sys

from .options import add_command, add_corpus_option, add_format_option, emit


def register(subparsers) -> None:
    """Add ``clean``, ``add``, ``list`` and ``check``."""
    p = add_command(
        subparsers, "clean",
        help="show what cleaning keeps of a scraped page (nothing is stored)",
        description="Decode and clean a scraped page (.txt, or .html/.htm) and print the article body, then "
                    "the removal report (what was found, each dropped block and why). Nothing is stored.",
        example="textcompare clean scraped.txt --json > cleaned.json",
    )
    p.add_argument("file", metavar="FILE", help="the scraped page, or - for standard input")
    p.add_argument("--body-only", action="store_true", help="print only the body (for piping into a file)")
    p.add_argument("--json", action="store_true",
                   help='print {"title","author","date","body","removed":[{"text","reason"}]} instead')
    p.set_defaults(func=run_clean)

    p = add_command(
        subparsers, "add",
        help="store an article in the corpus and add its manifest row",
        description="Store an article exactly as received in DIR/raw/, add its row to DIR/manifest.csv and "
                    "preview what cleaning kept. --title, --author and --date default to what cleaning finds "
                    "in the text; --outlet is always required. Use --author unknown for an anonymous piece. "
                    "If DIR does not exist, a new corpus (empty manifest) is created there. On any error "
                    "nothing is written.",
        example='textcompare add op-ed.txt --author "Jane Doe" --outlet "Example Review" '
                '--title "A Title" --date 2020-01-09',
    )
    p.add_argument("file", metavar="FILE", help="the article (.txt or .html), or - for standard input")
    p.add_argument("--author", help='author name; "unknown" if not known (default: found in the text)')
    p.add_argument("--outlet", help="where it was published (required)")
    p.add_argument("--title", help="title (default: found in the text)")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="publication date (default: found in the text)")
    p.add_argument("--url", help="source address (optional)")
    p.add_argument("--id", dest="doc_id", metavar="ID",
                   help="document id, [A-Za-z0-9_.-] (default: NNN_<first 16 hex of sha256>)")
    p.add_argument("--allow-language", action="store_true", help="accept a text not detected as English")
    add_corpus_option(p)
    p.set_defaults(func=run_add)

    p = add_command(
        subparsers, "list",
        help="list the articles in the corpus with raw and cleaned word counts",
        example="textcompare list --format csv > articles.csv",
    )
    add_corpus_option(p)
    add_format_option(p)
    p.set_defaults(func=run_list)

    p = add_command(
        subparsers, "check",
        help="check the corpus: missing files, sha256 mismatches, duplicate ids, bad dates",
        description="Check the corpus: missing files, sha256 mismatches, duplicate ids, bad dates or ids, raw "
                    "files not in the manifest, interrupted adds. Prints one problem per line; exits 1 if any.",
        example="textcompare check --corpus corpus",
    )
    add_corpus_option(p)
    p.set_defaults(func=run_check)


def run_clean(args: argparse.Namespace) -> int:
    from ..cleaning import clean_html, clean_text
    from ..encoding import decode_article, is_html, read_article_bytes
    from ..errors import InputError

    data, name = read_article_bytes(args.file)
    if not data.strip():
        raise InputError("is empty (or only whitespace)", path=name)
    text, encoding = decode_article(data, name)
    cleaned = clean_html(text) if is_html(data, None if args.file == "-" else name) else clean_text(text)
    if args.json:
        json.dump(cleaned.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(cleaned.body.rstrip("\n") + "\n")
        if not args.body_only:
            sys.stdout.write("\n" + _removal_report(cleaned) + "\n")
    if encoding != "utf-8":
        print(f"note: {name} is not UTF-8; decoded as {encoding}", file=sys.stderr)
    return 0


def _removal_report(cleaned) -> str:
    meta = ", ".join(f"{k}: {v}" for k, v in (("title", cleaned.title), ("author", cleaned.author),
                                             ("date", cleaned.date)) if v)
    lines = [f"--- found: {meta or 'no title, author or date'}",
             f"--- removed {len(cleaned.removed)} block(s)"]
    for block in cleaned.removed:
        text = " ".join(block.text.split())
        lines.append(f"[{block.reason}] {text if len(text) <= 100 else text[:97] + '...'}")
    return "\n".join(lines)


def run_add(args: argparse.Namespace) -> int:
    from ..ingest import add_article

    result = add_article(
        args.file, author=args.author, outlet=args.outlet, title=args.title, date=args.date, url=args.url,
        doc_id=args.doc_id, corpus=args.corpus, allow_language=args.allow_language,
    )
    print(result.preview())
    if result.encoding != "utf-8":
        print(f"note: {args.file} is not UTF-8; decoded as {result.encoding} (stored as received)", file=sys.stderr)
    return 0


def run_list(args: argparse.Namespace) -> int:
    from ..corpus import list_articles

    emit(list_articles(args.corpus), args, key="list")
    return 0


def run_check(args: argparse.Namespace) -> int:
    from ..corpus import check_corpus, load_corpus

    corpus = load_corpus(args.corpus)
    problems = check_corpus(corpus)
    for problem in problems:
        print(problem)
    if not problems:
        print(f"{corpus.root}: {len(corpus)} articles, no problems")
    return 1 if problems else 0
