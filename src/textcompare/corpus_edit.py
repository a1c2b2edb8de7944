"""Changing a corpus after the fact: ``remove_articles``, ``update_article``, custom columns.

Both edits hold the same lock as :func:`~textcompare.ingest.add_article` and check everything
before writing; the manifest replace (:func:`os.replace`) is the commit point.

* **remove**: raw files of removed articles are deleted *after* the new manifest is in place.
  A marker in ``derived/.staging/pending.json`` lists them first, so a remove killed between
  the manifest replace and the deletions is finished by the next add, remove or update (the
  roll-back deletes raw files the manifest no longer lists, when their sha256 matches).
  Derived entries (cleaned text, parsed docs, tables) of removed ids are pruned afterwards.
* **update**: rewrites manifest fields only. Metadata is not part of any cache key, so the next
  build parses nothing again. ``rehash=True`` records the raw file's current sha256 (after the
  user restored or re-saved it); the build then re-cleans it and re-parses only if the body
  changed.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .errors import CorpusError, InputError
from .fileio import read_bounded
from .manifest import MANIFEST_COLUMNS, manifest_bytes, read_manifest, resolve_raw_path, validate_date
from .paths import DERIVED_DIR, MANIFEST_NAME, corpus_root

if TYPE_CHECKING:
    from .corpus import Corpus

EDITABLE_FIELDS = ("author", "outlet", "title", "date", "url")
REQUIRED_FIELDS = ("author", "outlet", "title", "date")
MAX_RAW_BYTES = 64 * 2**20

_COLUMN_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_SPACES = re.compile(r"\s+")


# --- custom columns --------------------------------------------------------------------------

def validate_column_name(name: str, *, path: str | os.PathLike[str] | None = None) -> str:
    """``name`` if it can be a custom manifest column: snake_case, not a standard column."""
    if not _COLUMN_RE.match(name):
        raise InputError(f"invalid column name {name!r}", path=path,
                         fix="use lower-case snake_case: a letter, then letters, digits or '_' (at most 64)")
    if name in MANIFEST_COLUMNS:
        hint = f"use --{name}" if name in EDITABLE_FIELDS else "it is set by textcompare"
        raise InputError(f"{name!r} is a standard manifest column, not a custom one", path=path, fix=hint)
    return name


def parse_assignments(values: Iterable[str] | None, *, option: str = "--set") -> dict[str, str]:
    """``["region=west", ...]`` -> ``{"region": "west"}``; a blank value is refused.

    Raises
    ------
    InputError
        No ``=``, an invalid column name, a blank value, or the same column twice.
    """
    result: dict[str, str] = {}
    for item in values or ():
        column, sep, value = item.partition("=")
        column, value = column.strip(), clean_value(value)
        if not sep:
            raise InputError(f"{option} {item!r} is not COLUMN=VALUE", fix=f"write {option} region=west")
        validate_column_name(column)
        if not value:
            raise InputError(f"{option} {column}= has a blank value", fix="give a value; blank grouping values are not allowed")
        if column in result:
            raise InputError(f"{option} sets {column!r} twice")
        result[column] = value
    return result


def clean_value(value: object) -> str:
    """A one-line manifest value: whitespace (newlines included) collapsed, ends stripped."""
    return "" if value is None else _SPACES.sub(" ", str(value)).strip()


# --- the lock --------------------------------------------------------------------------------

@contextlib.contextmanager
def manifest_lock(root: Path) -> Iterator[None]:
    """Hold the lock :func:`~textcompare.ingest.add_article` uses, and finish an interrupted edit."""
    from filelock import FileLock, Timeout

    from .ingest import LOCK_NAME, LOCK_TIMEOUT_SECONDS, _roll_back_pending

    (root / DERIVED_DIR).mkdir(parents=True, exist_ok=True)
    try:
        with FileLock(root / DERIVED_DIR / LOCK_NAME, timeout=LOCK_TIMEOUT_SECONDS):
            _roll_back_pending(root)
            yield
    except Timeout as exc:
        raise CorpusError("another add, remove or update has held the corpus lock for too long", path=exc.lock_file,
                          fix="wait for it to finish, or delete the lock file if none is running") from exc


def _existing_root(corpus: Corpus | str | os.PathLike[str] | None) -> Path:
    from .corpus import Corpus

    root = corpus.root if isinstance(corpus, Corpus) else corpus_root(corpus)
    if not (root / MANIFEST_NAME).is_file():
        raise CorpusError("no corpus here (no manifest.csv)", path=root, fix="pass --corpus DIR with a corpus directory")
    return root


def _unknown_ids(table: pd.DataFrame, ids: Iterable[str], manifest: Path) -> None:
    unknown = [i for i in ids if not (table["id"] == i).any()]
    if unknown:
        raise InputError(f"no article with id {', '.join(map(repr, unknown))}", path=manifest,
                         fix="see `textcompare list` for the ids")


# --- remove ----------------------------------------------------------------------------------

def remove_articles(ids: Iterable[str], *, corpus: Corpus | str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Remove articles: their manifest rows, raw files and derived entries.

    Parameters
    ----------
    ids
        Document ids; every one must exist (else nothing is removed).

    Returns
    -------
    pandas.DataFrame
        The removed manifest rows.

    Raises
    ------
    InputError
        An unknown id, or no id at all; nothing changed.

    Examples
    --------
    >>> tc.remove_articles(["003_a1b2c3d4e5f60718"], corpus="corpus")  # doctest: +SKIP
    """
    from .ingest import PENDING_NAME, STAGING_DIR, _replace_manifest, _unlink, _write_file
    from .parsing.cache import remove_entry

    ids = list(dict.fromkeys(str(i) for i in ids))
    if not ids:
        raise InputError("no id given", fix="pass one or more ids (see `textcompare list`)")
    root = _existing_root(corpus)
    manifest = root / MANIFEST_NAME
    _unknown_ids(read_manifest(manifest), ids, manifest)  # fail fast, checked again under the lock
    with manifest_lock(root):
        table = read_manifest(manifest)
        _unknown_ids(table, ids, manifest)
        gone = table["id"].isin(ids)
        removed, kept = table[gone].reset_index(drop=True), table[~gone].reset_index(drop=True)
        resolved = root.resolve()
        entries = []
        for row in removed.itertuples(index=False):
            raw = root / row.path
            if row.path and resolved in raw.resolve().parents and raw.is_file():
                entries.append({"id": row.id, "path": row.path, "sha256": hashlib.sha256(read_bounded(raw)).hexdigest()})
        staging = root / DERIVED_DIR / STAGING_DIR
        staging.mkdir(parents=True, exist_ok=True)
        marker = staging / PENDING_NAME
        _write_file(marker, json.dumps({"entries": entries}).encode(), 0o644)
        try:
            _replace_manifest(manifest_bytes(kept), manifest, staging)
        except BaseException:
            _unlink(marker)
            raise
        for entry in entries:
            _unlink(root / entry["path"])
        _unlink(marker)
        for doc_id in removed["id"]:
            remove_entry(root / DERIVED_DIR, doc_id)
    return removed


# --- update ----------------------------------------------------------------------------------

def update_article(
    doc_id: str,
    *,
    fields: Mapping[str, str | None] | None = None,
    set_columns: Mapping[str, str] | None = None,
    rehash: bool = False,
    corpus: Corpus | str | os.PathLike[str] | None = None,
) -> dict[str, tuple[str, str]]:
    """Change manifest fields of one article (never its raw file); nothing is re-parsed.

    Parameters
    ----------
    doc_id
        The article.
    fields
        New values of ``author``, ``outlet``, ``title``, ``date`` (YYYY-MM-DD) or ``url``
        (``""`` clears the url); ``None`` values are ignored.
    set_columns
        Custom columns (snake_case, not standard ones) and their non-blank values; a new
        column is added with ``""`` for the other articles.
    rehash
        Record the raw file's current sha256 (after restoring or re-saving it).

    Returns
    -------
    dict
        ``column -> (old, new)`` for every value that changed.

    Raises
    ------
    InputError
        Unknown id, unknown field, blank required field, bad date or column; nothing changed.
    """
    from .ingest import STAGING_DIR, _replace_manifest

    fields = {k: v for k, v in (fields or {}).items() if v is not None}
    root = _existing_root(corpus)
    manifest = root / MANIFEST_NAME
    new_values: dict[str, str] = {}
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise InputError(f"cannot update {name!r}", fix=f"update one of {', '.join(EDITABLE_FIELDS)}, or --set a custom column")
        value = clean_value(value)
        if name in REQUIRED_FIELDS and not value:
            raise InputError(f"--{name} cannot be blank", fix="give a value (use --author unknown for an anonymous piece)"
                             if name == "author" else "give a value")
        new_values[name] = validate_date(value) if name == "date" else value
    for column, value in (set_columns or {}).items():
        validate_column_name(column)
        value = clean_value(value)
        if not value:
            raise InputError(f"--set {column}= has a blank value", fix="give a value")
        new_values[column] = value
    if not new_values and not rehash:
        raise InputError("nothing to update", fix="pass --title, --author, --outlet, --date, --url, --set or --rehash")
    _unknown_ids(read_manifest(manifest), [doc_id], manifest)
    with manifest_lock(root):
        table = read_manifest(manifest)
        _unknown_ids(table, [doc_id], manifest)
        index = table.index[table["id"] == doc_id][0]
        if rehash:
            new_values["sha256"] = _raw_sha256(root, table.at[index, "path"], doc_id)
        changes = {}
        for column, value in new_values.items():
            if column not in table.columns:
                table[column] = ""
            old = str(table.at[index, column])
            if old != value:
                changes[column] = (old, value)
                table.at[index, column] = value
        if changes:
            staging = root / DERIVED_DIR / STAGING_DIR
            staging.mkdir(parents=True, exist_ok=True)
            _replace_manifest(manifest_bytes(table), manifest, staging)
    return changes


def _raw_sha256(root: Path, relpath: str, doc_id: str) -> str:
    """sha256 of a row's raw file, found and read like every raw file (``resolve_raw_path``, ``read_bounded``)."""
    raw = resolve_raw_path(root, relpath, doc_id=doc_id, manifest=root / MANIFEST_NAME)
    if not raw.is_file():
        raise CorpusError(f"raw file of {doc_id!r} is missing", path=raw, fix="restore it, then run update --rehash")
    return hashlib.sha256(read_bounded(raw, max_bytes=MAX_RAW_BYTES)).hexdigest()


__all__ = [
    "remove_articles", "update_article", "parse_assignments", "validate_column_name", "manifest_lock",
    "EDITABLE_FIELDS",
]
