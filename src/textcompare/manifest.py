"""The manifest: ``corpus/manifest.csv``, the one index of a corpus.

UTF-8 (a byte-order mark left by a spreadsheet is accepted on reading), comma-separated, ``\\n``
line endings, one row per article with the columns :data:`MANIFEST_COLUMNS`; every value is a
string (empty when unknown). ``path`` is relative to the corpus directory (``raw/ID.txt``).
Writes are atomic: a temporary file in the same directory, then :func:`os.replace`.
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
import os
import re
from pathlib import Path

import pandas as pd

from .errors import CorpusError, InputError
from .fileio import atomic_write_bytes

MANIFEST_COLUMNS = ("id", "author", "outlet", "title", "date", "url", "path", "sha256", "language")
REQUIRED_VALUES = ("id", "author", "outlet", "title", "date", "path", "sha256")
UNKNOWN_AUTHOR = "unknown"

_ID_RE = re.compile(r"^[A-Za-z0-9_.-]+$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBERED_ID = re.compile(r"^(\d+)_")
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")


def empty_manifest() -> pd.DataFrame:
    """A manifest with the standard columns and no rows."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in MANIFEST_COLUMNS})


def read_manifest(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a manifest as strings, rows sorted by id (columns in file order, extra ones kept).

    Raises
    ------
    CorpusError
        The file is missing, unreadable, or lacks a standard column.
    """
    path = Path(path)
    if not path.is_file():
        raise CorpusError("manifest not found", path=path,
                          fix="create a corpus with `textcompare add FILE --outlet NAME ... --corpus DIR`")
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise CorpusError(f"cannot read manifest: {exc}".splitlines()[0], path=path,
                          fix="save it as UTF-8 CSV with the header " + ",".join(MANIFEST_COLUMNS)) from exc
    missing = [c for c in MANIFEST_COLUMNS if c not in table.columns]
    if missing:
        raise CorpusError(f"manifest lacks column(s) {', '.join(missing)}", path=path,
                          fix="the header must include " + ",".join(MANIFEST_COLUMNS))
    table = table.astype(str)
    return table.sort_values("id", kind="stable").reset_index(drop=True)


def manifest_bytes(table: pd.DataFrame) -> bytes:
    """The exact bytes :func:`write_manifest` writes (standard columns first, then any extra ones)."""
    columns = list(MANIFEST_COLUMNS) + [c for c in table.columns if c not in MANIFEST_COLUMNS]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in table.reindex(columns=columns).fillna("").astype(str).itertuples(index=False):
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8")


def write_manifest(table: pd.DataFrame, path: str | os.PathLike[str], *, tmp_dir: Path | None = None) -> None:
    """Write ``table`` atomically to ``path`` (temporary file + fsync + :func:`os.replace`)."""
    atomic_write_bytes(Path(path), manifest_bytes(table), tmp_dir=tmp_dir)


def validate_id(doc_id: str, *, path: str | os.PathLike[str] | None = None) -> str:
    """``doc_id`` if it is a safe file name stem (``[A-Za-z0-9_.-]``, no ``..``, no leading dot)."""
    if not doc_id or not _ID_RE.match(doc_id) or ".." in doc_id or doc_id.startswith("."):
        raise InputError(f"invalid id {doc_id!r}", path=path,
                         fix="use letters, digits, '_', '-' and '.', not starting with '.' and without '..'")
    return doc_id


def validate_date(value: str, *, path: str | os.PathLike[str] | None = None) -> str:
    """``value`` if it is a real calendar date written YYYY-MM-DD."""
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        return value.isoformat()
    value = str(value).strip()
    try:
        if not _DATE_RE.match(value):
            raise ValueError
        _dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"invalid date {value!r}", path=path, fix="write a real date as YYYY-MM-DD") from None
    return value


def next_numbered_id(existing: list[str] | pd.Series, sha256: str) -> str:
    """The default id ``NNN_<first 16 hex of sha256>``: one more than the highest number in use.

    Numbers are never reused, so ids sort in the order articles were added.
    """
    numbers = [int(m.group(1)) for m in map(_NUMBERED_ID.match, existing) if m]
    number = max(numbers, default=-1) + 1
    return f"{number:03d}_{sha256[:16]}"


def check_manifest_rows(table: pd.DataFrame, *, path: str | os.PathLike[str]) -> list[str]:
    """Problems with the manifest's own values (ids, dates, hashes, empty required fields)."""
    problems: list[str] = []
    duplicated = sorted(set(table.loc[table["id"].duplicated(), "id"]))
    for doc_id in duplicated:
        problems.append(f"{path}: duplicate id {doc_id!r}")
    for row in table.itertuples(index=False):
        where = f"{path}: row {row.id!r}"
        for column in REQUIRED_VALUES:
            if not str(getattr(row, column)).strip():
                problems.append(f"{where}: empty {column}")
        if row.id and (not _ID_RE.match(row.id) or ".." in row.id or row.id.startswith(".")):
            problems.append(f"{where}: invalid id (use [A-Za-z0-9_.-], no '..')")
        if row.date:
            try:
                validate_date(row.date)
            except InputError:
                problems.append(f"{where}: invalid date {row.date!r} (write YYYY-MM-DD)")
        if row.sha256 and not _SHA_RE.match(row.sha256):
            problems.append(f"{where}: sha256 is not 64 lower-case hex digits")
    return problems


__all__ = [
    "MANIFEST_COLUMNS", "UNKNOWN_AUTHOR", "empty_manifest", "read_manifest", "write_manifest", "manifest_bytes",
    "validate_id", "validate_date", "next_numbered_id", "check_manifest_rows",
]
