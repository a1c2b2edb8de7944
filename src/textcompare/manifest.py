"""The manifest: ``corpus/manifest.csv``, the one index of a corpus.

UTF-8 (a byte-order mark left by a spreadsheet is accepted on reading), comma-separated, ``\\n``
line endings, one row per article with the columns :data:`MANIFEST_COLUMNS`; every value is a
string (empty when unknown). ``path`` is relative to the corpus directory (``raw/ID.txt``).
Writes are atomic: a temporary file in the same directory, then :func:`os.replace`.
"""
from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import io
import os
import re
import unicodedata
from pathlib import Path, PurePosixPath, PureWindowsPath

import pandas as pd

from .errors import CorpusError, InputError
from .fileio import atomic_write_bytes
from .paths import RAW_DIR as RAW_DIR_NAME

MANIFEST_COLUMNS = ("id", "author", "outlet", "title", "date", "url", "path", "sha256", "language")
REQUIRED_VALUES = ("id", "author", "outlet", "title", "date", "path", "sha256")
UNKNOWN_AUTHOR = "unknown"

_ID_RE = re.compile(r"^[A-Za-z0-9_.-]+$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBERED_ID = re.compile(r"^(\d+)_")
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")

#: Longest id accepted: ``derived/tables/noun_chunks/ID.parquet`` must stay a legal file name (255 bytes).
MAX_ID_LENGTH = 100
#: Names Windows reserves for devices, in any case and with any extension (``CON``, ``nul.txt``).
RESERVED_NAMES = frozenset(
    ["con", "prn", "aux", "nul", "conin$", "conout$"]
    + [f"{kind}{n}" for kind in ("com", "lpt") for n in "0123456789"]
)
#: Columns kept byte for byte on reading (everything else is normalised to Unicode NFC).
VERBATIM_COLUMNS = ("path", "sha256")
ID_RULE = ("use 1-100 letters, digits, '_', '-' and '.', starting with a letter or digit, without '..', "
           "not ending with '.', and not a reserved device name such as CON or NUL")


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
    for column in table.columns:
        if column not in VERBATIM_COLUMNS:
            table[column] = [unicodedata.normalize("NFC", value) for value in table[column]]
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


def id_problem(doc_id: object) -> str | None:
    """Why ``doc_id`` is not a safe id, or None when it is (the one rule every entry point applies).

    A safe id is a portable file name stem: 1-100 characters of ``[A-Za-z0-9_.-]``, starting
    with a letter or digit (so never an option like ``-rf`` nor a hidden file), without ``..``,
    not ending with ``.``, and not a Windows device name (``CON``, ``nul``, ``com1.x``).
    """
    if not isinstance(doc_id, str) or not doc_id:
        return "empty id"
    if len(doc_id) > MAX_ID_LENGTH:
        return f"id is {len(doc_id)} characters long (at most {MAX_ID_LENGTH})"
    if not _ID_RE.match(doc_id) or not doc_id[0].isalnum():
        return "id has characters other than letters, digits, '_', '-', '.' or does not start with a letter or digit"
    if ".." in doc_id or doc_id.endswith("."):
        return "id contains '..' or ends with '.'"
    if doc_id.split(".", 1)[0].casefold() in RESERVED_NAMES:
        return "id is a reserved device name"
    return None


def validate_id(doc_id: str, *, path: str | os.PathLike[str] | None = None) -> str:
    """``doc_id`` if it is a safe id (see :func:`id_problem`), else :class:`InputError`."""
    problem = id_problem(doc_id)
    if problem:
        raise InputError(f"invalid id {str(doc_id)[:MAX_ID_LENGTH + 20]!r}: {problem}", path=path, fix=ID_RULE)
    return doc_id


def raw_path_problem(value: object) -> str | None:
    """Why a manifest ``path`` value is not a file directly inside ``raw/``, or None.

    Only the text is checked here (relative, POSIX, ``raw/NAME``, no ``..``, no NUL); symlinks
    are checked against the disk by :func:`resolve_raw_path`.
    """
    if not isinstance(value, str) or not value:
        return "empty path"
    if "\x00" in value or "\\" in value:
        return f"path {value[:200]!r} contains a NUL or a backslash"
    posix = PurePosixPath(value)
    if posix.is_absolute() or PureWindowsPath(value).drive:
        return f"path {value[:200]!r} is absolute (write raw/NAME)"
    parts = value.split("/")
    if len(parts) != 2 or parts[0] != RAW_DIR_NAME or parts[1] in ("", ".", "..") or parts[1].startswith("."):
        return f"path {value[:200]!r} is not a file directly inside {RAW_DIR_NAME}/ (write {RAW_DIR_NAME}/NAME)"
    return None


def resolve_raw_path(root: str | os.PathLike[str], value: str, *, doc_id: str | None = None,
                     manifest: str | os.PathLike[str] | None = None) -> Path:
    """The file a manifest ``path`` names, refused unless it lies directly inside ``ROOT/raw/``.

    Symlinks are followed before the check, so a link in ``raw/`` pointing elsewhere is refused
    too. The file need not exist (readers check that with a bounded read).

    Raises
    ------
    CorpusError
        Naming the manifest, the row and the problem.
    """
    root = Path(root)
    where = f"row {doc_id!r}: " if doc_id is not None else ""
    problem = raw_path_problem(value)
    if problem is None:
        raw = (root / RAW_DIR_NAME).resolve()
        target = root / value
        resolved = target.resolve()
        if resolved.parent != raw:
            problem = f"path {value[:200]!r} leads outside {RAW_DIR_NAME}/ (a symlink?)"
    if problem:
        raise CorpusError(where + problem, path=manifest if manifest is not None else root / "manifest.csv",
                          fix="correct the row (paths are raw/ID.txt or raw/ID.html), "
                              "or `textcompare build --skip-bad` to go on without it")
    return target


def verify_sha256(data: bytes, expected: str, *, doc_id: str, path: str | os.PathLike[str]) -> str:
    """The sha256 of ``data``, refused with a one-line fix when it is not the manifest's ``expected``.

    Raises
    ------
    CorpusError
        ``PATH: sha256 ABC... does not match the manifest (DEF...) for 'ID' (restore the file, or
        accept the edit with `textcompare update ID --rehash`)``.
    """
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        raise CorpusError(
            f"sha256 {actual[:16]}... does not match the manifest ({str(expected)[:16]}...) for {doc_id!r}",
            path=path, fix=f"restore the file, or accept the edit with `textcompare update {doc_id} --rehash`")
    return actual


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
    """Problems with the manifest's own values (ids, paths, dates, hashes, empty required fields)."""
    return [f"{path}: {problem}" for problems in manifest_row_problems(table).values() for problem in problems]


def manifest_row_problems(table: pd.DataFrame) -> dict[int, list[str]]:
    """Problems of each row (by position) that the values alone show; rows without problems are left out.

    Every row sharing a duplicated id is a problem row: which of them is right is not for a
    program to guess.
    """
    problems: dict[int, list[str]] = {}
    duplicated = table["id"].duplicated(keep=False).to_numpy()
    for position, row in enumerate(table.itertuples(index=False)):
        found: list[str] = []
        where = f"row {str(row.id)[:MAX_ID_LENGTH + 20]!r}"
        if duplicated[position]:
            found.append(f"{where}: duplicate id {row.id!r}")
        for column in REQUIRED_VALUES:
            if not str(getattr(row, column)).strip():
                found.append(f"{where}: empty {column}")
        if row.id:
            problem = id_problem(row.id)
            if problem:
                found.append(f"{where}: invalid id: {problem}")
        if row.path:
            problem = raw_path_problem(row.path)
            if problem:
                found.append(f"{where}: {problem}")
        if row.date:
            try:
                validate_date(row.date)
            except InputError:
                found.append(f"{where}: invalid date {row.date[:40]!r} (write YYYY-MM-DD)")
        if row.sha256 and not _SHA_RE.match(row.sha256):
            found.append(f"{where}: sha256 is not 64 lower-case hex digits")
        if found:
            problems[position] = found
    return problems


__all__ = [
    "MANIFEST_COLUMNS", "UNKNOWN_AUTHOR", "empty_manifest", "read_manifest", "write_manifest", "manifest_bytes",
    "validate_id", "validate_date", "next_numbered_id", "check_manifest_rows", "manifest_row_problems",
    "id_problem", "raw_path_problem", "resolve_raw_path", "verify_sha256", "MAX_ID_LENGTH",
]
