"""A corpus on disk: the manifest, the raw articles it indexes, and read-only views of them.

``load_corpus`` reads the manifest; ``clean_article`` decodes and cleans one stored article;
``document_groups`` labels documents by a manifest column; ``check_corpus`` lists problems;
``list_articles`` is the table behind ``textcompare list``. The only writer of a corpus is
:func:`textcompare.ingest.add_article`.
"""
from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from .cleaning import CleanedText, clean_html, clean_text
from .encoding import HTML_SUFFIXES, decode_article
from .errors import CorpusError, InputError, TextcompareError
from .fileio import read_bounded
from .manifest import (
    MANIFEST_COLUMNS, UNKNOWN_AUTHOR, check_manifest_rows, manifest_row_problems, raw_path_problem, read_manifest,
    resolve_raw_path, verify_sha256,
)
from .paths import DERIVED_DIR, MANIFEST_NAME, RAW_DIR, corpus_root

#: Set to ``1`` (by ``--skip-bad``) to make ``skip_bad`` the default of :func:`load_corpus`.
SKIP_BAD_ENV = "TEXTCOMPARE_SKIP_BAD"
SKIP_BAD_FIX = ("correct or remove the row, or go on without it: add --skip-bad to the command "
                "(`textcompare build --skip-bad`)")


class SkippedDocumentWarning(UserWarning):
    """A document was left out of the corpus because its row or raw file cannot be used (``skip_bad``)."""


@dataclass(eq=False)
class Corpus:
    """A corpus directory and its manifest (one row per article, sorted by id, all values str).

    ``skipped`` maps the ids left out by ``load_corpus(..., skip_bad=True)`` to their problem.
    """

    root: Path
    manifest: pd.DataFrame
    skipped: dict[str, str] = field(default_factory=dict)
    files_checked: bool = field(default=False, repr=False)

    @property
    def ids(self) -> list[str]:
        """Document ids in manifest (sorted) order."""
        return self.manifest["id"].tolist()

    @property
    def derived(self) -> Path:
        """The disposable folder for cleaned text, parsed docs and tables."""
        return self.root / DERIVED_DIR

    @property
    def manifest_path(self) -> Path:
        return self.root / MANIFEST_NAME

    def row(self, doc_id: str) -> pd.Series:
        """The manifest row of ``doc_id``; :class:`CorpusError` if there is none.

        A dictionary from id to position, made once per manifest object, answers the lookup: a
        scan of the manifest per call made a build of N documents O(N²).
        """
        cached = self.__dict__.get("_positions")
        if cached is None or cached[0] is not self.manifest or cached[1] != len(self.manifest):
            positions: dict[str, int] = {}
            for k, value in enumerate(self.manifest["id"].tolist()):
                positions.setdefault(value, k)  # the first row of a duplicated id, as before
            cached = (self.manifest, len(self.manifest), positions)
            self.__dict__["_positions"] = cached
        k = cached[2].get(doc_id)
        if k is None:
            raise CorpusError(f"no article with id {doc_id!r}", path=self.manifest_path,
                              fix="see `textcompare list` for the ids")
        return self.manifest.iloc[k]

    def raw_path(self, doc_id: str) -> Path:
        """Where the raw bytes of ``doc_id`` are stored (refused unless directly inside ``raw/``)."""
        return resolve_raw_path(self.root, self.row(doc_id)["path"], doc_id=doc_id, manifest=self.manifest_path)

    def __len__(self) -> int:
        return len(self.manifest)

    def __repr__(self) -> str:
        return f"Corpus(root={str(self.root)!r}, articles={len(self)})"


def load_corpus(corpus_dir: Corpus | str | os.PathLike[str] | None = None, *, skip_bad: bool | None = None,
                validate: bool = True) -> Corpus:
    """Read the corpus at ``corpus_dir`` (default ``$TEXTCOMPARE_CORPUS`` or ``./corpus``).

    The manifest is untrusted input: every row's id, path, date, hash and required values are
    checked (:func:`~textcompare.manifest.manifest_row_problems`), duplicate ids included.
    Passing a :class:`Corpus` returns it unchanged (``skip_bad=True`` filters it).

    Parameters
    ----------
    skip_bad : bool, optional
        Leave out, with a :class:`SkippedDocumentWarning` each, the rows with a problem and the
        rows whose raw file is missing, not a regular file, too large, fails its sha256 or cannot
        be decoded (the file checks read every raw file once). Default: refuse the corpus at the first bad row,
        unless ``$TEXTCOMPARE_SKIP_BAD`` is ``1`` (what the CLI's ``--skip-bad`` sets).
    validate : bool
        ``False`` reads the manifest without refusing bad rows (for ``check``, which lists them).

    Raises
    ------
    CorpusError
        The directory or its manifest is missing or unreadable, or a row is bad (one line
        naming the manifest, the row, the problem and the fix).

    Examples
    --------
    >>> corpus = load_corpus("corpus")  # doctest: +SKIP
    >>> corpus.ids[:1]  # doctest: +SKIP
    ['000_5bbd669c0e0ac039']
    """
    if skip_bad is None:
        skip_bad = os.environ.get(SKIP_BAD_ENV) == "1"
    if isinstance(corpus_dir, Corpus):
        return _without_bad_files(corpus_dir) if skip_bad and not corpus_dir.files_checked else corpus_dir
    root = corpus_root(corpus_dir)
    if not root.is_dir():
        raise CorpusError("no corpus directory here", path=root,
                          fix=f"`textcompare add FILE --outlet NAME ... --corpus {root}` creates one")
    corpus = Corpus(root=root, manifest=read_manifest(root / MANIFEST_NAME))
    if not validate:
        return corpus
    problems = manifest_row_problems(corpus.manifest)
    if problems and not skip_bad:
        first = next(iter(problems.values()))[0]
        more = sum(map(len, problems.values())) - 1
        raise CorpusError(first + (f" (and {more} more problem(s): see `textcompare check`)" if more else ""),
                          path=corpus.manifest_path, fix=SKIP_BAD_FIX)
    if skip_bad:
        skipped = {}
        for position, found in problems.items():
            skipped[str(corpus.manifest.iloc[position]["id"])] = f"{corpus.manifest_path}: {found[0]}"
        keep = [position not in problems for position in range(len(corpus.manifest))]
        corpus = replace(corpus, manifest=corpus.manifest.loc[keep].reset_index(drop=True), skipped=skipped)
        corpus = _without_bad_files(corpus)
    return corpus


def _without_bad_files(corpus: Corpus) -> Corpus:
    """``corpus`` without the documents whose raw file cannot be read whole, verified and decoded."""
    skipped = dict(corpus.skipped)
    keep = []
    for doc_id in corpus.ids:
        row = corpus.row(doc_id)
        try:  # read_row_bytes, not read_raw_bytes: that would load (and filter) the corpus again
            data = read_row_bytes(corpus.root, doc_id, row["path"], row["sha256"], manifest=corpus.manifest_path)
            decode_article(data, corpus.raw_path(doc_id))
            keep.append(True)
        except TextcompareError as exc:
            skipped.setdefault(doc_id, str(exc))
            keep.append(False)
    for doc_id in sorted(set(skipped) - set(corpus.skipped)):
        warnings.warn(f"skipped {doc_id!r}: {skipped[doc_id]}", SkippedDocumentWarning, stacklevel=3)
    return replace(corpus, manifest=corpus.manifest.loc[keep].reset_index(drop=True), skipped=skipped,
                   files_checked=True)


def read_raw_bytes(corpus: Corpus | str | os.PathLike[str] | None, doc_id: str) -> bytes:
    """The raw bytes of ``doc_id``: a bounded read of a regular file inside ``raw/``, sha256 verified.

    Raises
    ------
    CorpusError
        The path leaves ``raw/``; the file is missing, not a regular file, unreadable or larger
        than the input limit; or its sha256 differs from the manifest's (the fix names
        ``textcompare update ID --rehash``).
    """
    corpus = load_corpus(corpus)
    row = corpus.row(doc_id)
    return read_row_bytes(corpus.root, doc_id, row["path"], row["sha256"], manifest=corpus.manifest_path)


def read_row_bytes(root: str | os.PathLike[str], doc_id: str, path_value: str, sha256: str, *,
                   manifest: str | os.PathLike[str] | None = None) -> bytes:
    """The verified raw bytes a manifest row (``id``, ``path``, ``sha256``) names; see :func:`read_raw_bytes`."""
    path = resolve_raw_path(root, path_value, doc_id=doc_id, manifest=manifest)
    try:
        data = read_bounded(path)
    except InputError as exc:
        problem = f"missing raw file for {doc_id!r}" if exc.problem == "no such file" else \
            f"raw file of {doc_id!r} {exc.problem}"
        raise CorpusError(problem, path=path,
                          fix=(exc.fix if exc.fix and "max-bytes" in exc.fix else
                               "restore it from a backup, or `textcompare build --skip-bad` to go on without it")
                          ) from None
    verify_sha256(data, sha256, doc_id=doc_id, path=path)
    return data


def read_raw_text(corpus: Corpus | str | os.PathLike[str] | None, doc_id: str) -> tuple[str, str]:
    """The decoded raw text of ``doc_id`` and the encoding used (see :func:`read_raw_bytes`)."""
    text, encoding, _ = _read_raw(load_corpus(corpus), doc_id)
    return text, encoding


def _read_raw(corpus: Corpus, doc_id: str) -> tuple[str, str, Path]:
    """Decoded text, encoding and path of ``doc_id``: one row lookup, one path check, one read."""
    row = corpus.row(doc_id)
    data = read_row_bytes(corpus.root, doc_id, row["path"], row["sha256"], manifest=corpus.manifest_path)
    path = Path(corpus.root) / row["path"]  # what resolve_raw_path returned inside read_row_bytes
    text, encoding = decode_article(data, path)
    return text, encoding, path


def clean_article(corpus: Corpus | str | os.PathLike[str] | None, doc_id: str) -> CleanedText:
    """Decode and clean one stored article (``clean_html`` for .html/.htm, else ``clean_text``)."""
    text, _, path = _read_raw(load_corpus(corpus), doc_id)
    if path.suffix.lower() in HTML_SUFFIXES:
        return clean_html(text)
    return clean_text(text)


def document_groups(corpus: Corpus | str | os.PathLike[str] | None, by: str = "outlet") -> pd.Series:
    """Group label of every document: the value of manifest column ``by``.

    A missing or ``"unknown"`` author falls back to the outlet, so an anonymous piece is labelled
    by where it appeared rather than guessed. Any other blank value is an :class:`InputError`
    naming the ids (never a group called ``""``).

    Returns
    -------
    pandas.Series
        Index ``doc_id`` (manifest order), values the group labels, named ``by``.
    """
    corpus = load_corpus(corpus)
    table = corpus.manifest
    if by not in table.columns:
        allowed = ", ".join(c for c in table.columns if c not in ("path", "sha256"))
        raise InputError(f"cannot group by {by!r}: not a manifest column", path=corpus.manifest_path,
                         fix=f"use one of {allowed}")
    labels = table[by].astype(str).str.strip()
    if by == "author":
        unknown = labels.eq("") | labels.str.casefold().eq(UNKNOWN_AUTHOR)
        labels = labels.where(~unknown, table["outlet"].astype(str).str.strip())
    blank = table.loc[labels.eq("").to_numpy(), "id"].tolist()
    if blank:
        shown = ", ".join(blank[:5]) + (f" and {len(blank) - 5} more" if len(blank) > 5 else "")
        raise InputError(f"cannot group by {by!r}: {len(blank)} article(s) have no value ({shown})",
                         path=corpus.manifest_path,
                         fix=f"set it with `textcompare update ID --set {by}=VALUE`" if by not in MANIFEST_COLUMNS
                         else f"set it with `textcompare update ID --{by} VALUE`")
    return pd.Series(labels.to_numpy(), index=pd.Index(table["id"].to_numpy(), name="doc_id"), name=by)


def check_corpus(corpus: Corpus | str | os.PathLike[str] | None = None) -> list[str]:
    """Problems with a corpus, one line each (empty list: all good).

    Checks duplicate ids, empty required fields, bad ids, paths and dates, raw files that are
    missing, outside ``raw/``, not regular files, over the size limit, fail their sha256 or
    cannot be decoded, raw files the manifest does not list, and an interrupted add that the
    next add will roll back.
    """
    if not isinstance(corpus, Corpus):
        corpus = load_corpus(corpus, validate=False)
    root = corpus.root
    problems = check_manifest_rows(corpus.manifest, path=corpus.manifest_path)
    listed: set[Path] = set()
    for row in corpus.manifest.itertuples(index=False):
        if raw_path_problem(row.path):
            continue  # listed above; such a path is never followed
        try:
            path = resolve_raw_path(root, row.path, doc_id=row.id, manifest=corpus.manifest_path)
        except CorpusError as exc:
            problems.append(str(exc))
            continue
        listed.add(path.resolve())
        try:
            decode_article(read_row_bytes(root, row.id, row.path, row.sha256, manifest=corpus.manifest_path), path)
        except TextcompareError as exc:
            problems.append(str(exc))
    raw = root / RAW_DIR
    if raw.is_dir():
        for path in sorted(raw.iterdir()):
            if path.is_file() and path.resolve() not in listed:
                problems.append(f"{path}: raw file not listed in the manifest")
    from .ingest import pending_add

    pending = pending_add(root)
    if pending:
        problems.append(f"{root}: an interrupted add of {pending!r} was not finished (the next add rolls it back)")
    return problems


def list_articles(corpus: Corpus | str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """One row per article: id, author, outlet, title, date, url, path, words_raw, words_clean.

    ``path`` is relative to the current directory when the file lies inside it, else absolute.
    ``words_raw`` and ``words_clean`` count whitespace-separated words in the decoded raw text and
    in the cleaned body (``<NA>`` when the raw file cannot be read).
    """
    corpus = load_corpus(corpus)
    cwd = Path.cwd().resolve()
    rows = []
    for row in corpus.manifest.itertuples(index=False):
        words_raw = words_clean = pd.NA
        try:
            path = corpus.raw_path(row.id).resolve()
        except TextcompareError:  # e.g. a symlink out of raw/: shown as written, never followed
            path, shown = Path(row.path), row.path
        else:
            shown = path.relative_to(cwd) if cwd in path.parents else path
        try:
            text, _ = read_raw_text(corpus, row.id)
            words_raw = len(text.split())
            cleaned = clean_html(text) if path.suffix.lower() in HTML_SUFFIXES else clean_text(text)
            words_clean = len(cleaned.body.split())
        except TextcompareError:
            pass
        rows.append({
            "id": row.id, "author": row.author, "outlet": row.outlet, "title": row.title, "date": row.date,
            "url": row.url, "path": str(shown), "words_raw": words_raw, "words_clean": words_clean,
        })
    columns = ["id", "author", "outlet", "title", "date", "url", "path", "words_raw", "words_clean"]
    table = pd.DataFrame(rows, columns=columns)
    return table.astype({"words_raw": "Int64", "words_clean": "Int64"})


CLEANED_COLUMNS = ["doc_id", "title", "author", "date", "words", "body"]
REMOVED_COLUMNS = ["doc_id", "block", "reason", "words", "chars", "text"]


def load_cleaned_texts(corpus: Corpus | str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """What cleaning kept of every article: ``doc_id, title, author, date, words, body``.

    ``title``, ``author`` and ``date`` are what the cleaner found in the page (the manifest may
    say otherwise); ``words`` counts whitespace-separated words of the body.
    """
    corpus = load_corpus(corpus)
    rows = []
    for doc_id in corpus.ids:
        cleaned = clean_article(corpus, doc_id)
        rows.append({"doc_id": doc_id, "title": cleaned.title, "author": cleaned.author,
                     "date": cleaned.date.isoformat() if cleaned.date else None,
                     "words": len(cleaned.body.split()), "body": cleaned.body})
    return pd.DataFrame(rows, columns=CLEANED_COLUMNS)


def extract_removed_blocks(corpus: Corpus | str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """One row per block cleaning removed: ``doc_id, block, reason, words, chars, text``.

    ``block`` numbers the removed blocks of a document in page order (from 0).
    """
    corpus = load_corpus(corpus)
    rows = [
        {"doc_id": doc_id, "block": i, "reason": block.reason, "words": len(block.text.split()),
         "chars": len(block.text), "text": block.text}
        for doc_id in corpus.ids
        for i, block in enumerate(clean_article(corpus, doc_id).removed)
    ]
    return pd.DataFrame(rows, columns=REMOVED_COLUMNS).astype({"block": "int64", "words": "int64", "chars": "int64"})


__all__ = [
    "Corpus", "MANIFEST_COLUMNS", "SkippedDocumentWarning", "load_corpus", "clean_article", "read_raw_bytes",
    "read_raw_text", "document_groups",
    "check_corpus", "list_articles", "load_cleaned_texts", "extract_removed_blocks",
]
