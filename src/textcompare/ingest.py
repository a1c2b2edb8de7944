"""Adding an article to a corpus: validate everything first, then store it atomically.

``add_article`` is the only function that writes into ``corpus/raw`` and ``corpus/manifest.csv``.

What a failed add leaves behind: nothing outside ``derived/``. Every check on the input (empty,
binary, undecodable, nothing left after cleaning, not English, missing metadata, bad date or
id) runs before anything is written; duplicate content and id clashes are checked before and
again under the lock.

How the write is made safe:

* **Lock.** A :class:`filelock.FileLock` on ``derived/.manifest.lock`` serialises the
  read-modify-write of the manifest, so concurrent adds (processes or threads) lose no rows.
  ``derived/`` is git-ignored and disposable; the empty lock file may stay there and is safe to
  delete when no add is running. (Not ``corpus/.lock``: the corpus proper stays exactly the
  raw files plus the manifest.)
* **Staging.** The raw bytes and the new manifest are first written and fsynced in
  ``derived/.staging/``; then the raw file is renamed into ``raw/`` and the manifest replaced
  with :func:`os.replace` (the commit point). If replacing the manifest fails, the raw file is
  removed again, so the corpus is byte-for-byte as before.
* **Interrupted adds.** A process killed before the raw rename leaves the corpus untouched
  (only staging files under ``derived/``). Killed in the short window between the raw rename and
  the manifest replace, it leaves a raw file the manifest does not list, recorded in
  ``derived/.staging/pending.json``; :func:`~textcompare.corpus.check_corpus` reports it and
  the next add rolls it back (deletes that raw file if its sha256 matches) before doing its own
  work. An add killed after the manifest replace is complete.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .cleaning import CleanedText, clean_html, clean_text
from .encoding import Source, decode_article, is_html, read_article_bytes
from .errors import CorpusError, InputError
from .fileio import read_bounded
from .language import check_language
from .manifest import (
    MANIFEST_COLUMNS, atomic_write_bytes, empty_manifest, id_problem, manifest_bytes, next_numbered_id,
    read_manifest, resolve_raw_path, validate_date, validate_id,
)
from .paths import DERIVED_DIR, MANIFEST_NAME, RAW_DIR, corpus_root

LOCK_NAME = ".manifest.lock"
STAGING_DIR = ".staging"
PENDING_NAME = "pending.json"
LOCK_TIMEOUT_SECONDS = 120.0
RAW_FILE_MODE = 0o444  # raw articles are immutable once added
MAX_MARKER_BYTES = 1_000_000  # a staging marker lists paths and hashes, never text

_SPACES = re.compile(r"\s+")

if TYPE_CHECKING:
    from .corpus import Corpus


@dataclass(frozen=True)
class AddResult:
    """What :func:`add_article` stored, and what cleaning kept (for a preview)."""

    doc_id: str
    path: Path
    row: dict[str, str]
    cleaned: CleanedText
    encoding: str
    created_corpus: bool = False

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.cleaned.body.split("\n\n") if p.strip()]

    def removed_counts(self) -> dict[str, int]:
        """Number of removed blocks per reason, sorted by reason."""
        counts: dict[str, int] = {}
        for block in self.cleaned.removed:
            counts[block.reason] = counts.get(block.reason, 0) + 1
        return dict(sorted(counts.items()))

    def preview(self, *, width: int = 300) -> str:
        """A few lines showing what was stored and what cleaning kept."""
        paragraphs = self.paragraphs
        removed = ", ".join(f"{reason} {n}" for reason, n in self.removed_counts().items()) or "none"
        lines = [
            f"added {self.doc_id} -> {self.path}" + (" (new corpus)" if self.created_corpus else ""),
            f"  title:    {self.row['title']}",
            f"  author:   {self.row['author']}",
            f"  outlet:   {self.row['outlet']}",
            f"  date:     {self.row['date']}",
            f"  encoding: {self.encoding}; language: {self.row['language']}",
            f"  kept:     {len(paragraphs)} paragraphs, {len(self.cleaned.body.split())} words",
            f"  removed:  {removed}",
        ]
        if paragraphs:
            lines.append(f"  first:    {_shorten(paragraphs[0], width)}")
            lines.append(f"  last:     {_shorten(paragraphs[-1], width)}")
        return "\n".join(lines)


def add_article(
    source: Source,
    *,
    author: str | None = None,
    outlet: str | None = None,
    title: str | None = None,
    date: str | None = None,
    url: str | None = None,
    doc_id: str | None = None,
    corpus: Corpus | str | os.PathLike[str] | None = None,
    allow_language: bool = False,
    allow_partial: bool = False,
    allow_duplicate: bool = False,
) -> AddResult:
    """Store one article exactly as received and add its manifest row.

    Parameters
    ----------
    source
        A file path, ``"-"`` for standard input, or the bytes.
    author, title, date
        Default to what cleaning extracted from the text; each must be known in the end.
        Pass ``author="unknown"`` explicitly for an anonymous piece (it is then grouped by outlet).
    outlet
        Always required.
    date
        ``YYYY-MM-DD``.
    doc_id
        Default ``NNN_<first 16 hex digits of sha256>``, NNN one more than the highest in use.
    corpus
        Corpus directory (or :class:`~textcompare.corpus.Corpus`); created with an empty
        manifest if it does not exist or is an empty directory.
    allow_language
        Accept a text that is not detected as English.
    allow_partial
        Accept a page the cleaner reports as a paywall or login page
        (:attr:`CleanedText.paywall`: only part of the article was saved).
    allow_duplicate
        Accept a near-duplicate of a stored article (cleaned-body shingle Jaccard ≥ 0.9,
        :mod:`textcompare.near_duplicates`). Byte-identical content is always refused.

    Raises
    ------
    InputError
        One-line message naming the file and the problem; nothing was written.

    Examples
    --------
    >>> tc.add_article("op-ed.txt", author="Jane Doe", outlet="Example Review",
    ...                title="A Title", date="2020-01-09")  # doctest: +SKIP
    """
    data, name = read_article_bytes(source)
    file_name = None if isinstance(source, (bytes, bytearray, memoryview)) or source == "-" else name
    row, cleaned, encoding, html = _prepare(
        data, name, file_name, author=author, outlet=outlet, title=title, date=date, url=url, doc_id=doc_id,
        allow_language=allow_language, allow_partial=allow_partial)
    from .corpus import Corpus

    root = corpus.root if isinstance(corpus, Corpus) else corpus_root(corpus)
    ext = ".html" if html else ".txt"

    created = _check_corpus_dir(root)
    if not created:  # fail fast, before touching anything (checked again under the lock)
        _check_unique(read_manifest(root / MANIFEST_NAME), row, name, root, ext)
        if not allow_duplicate:
            _check_near_duplicate(root, cleaned.body, name)

    from filelock import FileLock, Timeout

    root.mkdir(parents=True, exist_ok=True)
    staging = root / DERIVED_DIR / STAGING_DIR
    staging.mkdir(parents=True, exist_ok=True)
    try:
        with FileLock(root / DERIVED_DIR / LOCK_NAME, timeout=LOCK_TIMEOUT_SECONDS):
            _roll_back_pending(root)
            manifest_file = root / MANIFEST_NAME
            table = read_manifest(manifest_file) if manifest_file.exists() else empty_manifest()
            if not row["id"]:
                row["id"] = next_numbered_id(table["id"], row["sha256"])
            row["path"] = f"{RAW_DIR}/{row['id']}{ext}"
            _check_unique(table, row, name, root, ext)
            _commit(root, staging, table, row, data)
    except Timeout as exc:
        raise CorpusError("another add has held the corpus lock for too long", path=exc.lock_file,
                          fix="wait for it to finish, or delete the lock file if no add is running") from exc
    return AddResult(doc_id=row["id"], path=root / row["path"], row=row, cleaned=cleaned, encoding=encoding,
                     created_corpus=created)


def pending_add(corpus_dir: str | os.PathLike[str]) -> str | None:
    """The raw path left by an add killed between its raw rename and its manifest write, if any.

    ``None`` when no add was interrupted, or when an interrupted add left no trace in the corpus
    (killed before the rename: only staging files under ``derived/`` remain).
    """
    root = Path(corpus_dir)
    paths = [entry["path"] for entry in _read_pending(root) if (root / entry["path"]).is_file()]
    if not paths:
        return None
    try:
        listed = set(read_manifest(root / MANIFEST_NAME)["path"])
    except CorpusError:
        listed = set()
    return next((path for path in paths if path not in listed), None)


def _pending_entries(marker: dict) -> list[dict]:
    """The raw files a marker names: one add (``{"id","path","sha256"}``) or a batch/remove (``{"entries": [...]}``)."""
    return list(marker["entries"]) if "entries" in marker else [marker]


# --- validation (before anything is written) ------------------------------------------------

def _prepare(data: bytes, name: str, file_name: str | None, *, author, outlet, title, date, url, doc_id,
             allow_language: bool, allow_partial: bool = False) -> tuple[dict[str, str], CleanedText, str, bool]:
    if not data.strip():
        raise InputError("is empty (or only whitespace)", path=name)
    text, encoding = decode_article(data, name)
    if not text.strip():
        raise InputError("is empty (or only whitespace)", path=name)
    html = is_html(data, file_name)
    cleaned = clean_html(text) if html else clean_text(text)
    if not cleaned.body.strip():
        raise InputError("nothing is left after cleaning (no article body found)", path=name,
                         fix="check the file with `textcompare clean FILE`")
    if cleaned.paywall and not allow_partial:
        raise InputError(f"looks like a paywall or login page ({_shorten(cleaned.paywall, 60)!r}): only part of "
                         "the article was saved", path=name,
                         fix="save the full article, or pass --allow-partial to add it anyway")
    language = check_language(cleaned.body, path=name, allow_language=allow_language)

    outlet = _field(outlet)
    if not outlet:
        raise InputError("no outlet given", path=name, fix="pass --outlet NAME")
    author = _field(author) or _field(cleaned.author)
    if not author:
        raise InputError("no author given and none found in the text", path=name,
                         fix="pass --author NAME (or --author unknown if it is not known)")
    title = _field(title) or _field(cleaned.title)
    if not title:
        raise InputError("no title given and none found in the text", path=name, fix="pass --title TITLE")
    if date is None or (isinstance(date, str) and not date.strip()):
        date = cleaned.date
    if date is None:
        raise InputError("no date given and none found in the text", path=name, fix="pass --date YYYY-MM-DD")
    date = validate_date(date, path=name)
    if doc_id is not None:
        validate_id(str(doc_id), path=name)
    row = {
        "id": str(doc_id) if doc_id is not None else "",
        "author": author, "outlet": outlet, "title": title, "date": date, "url": _field(url),
        "path": "", "sha256": hashlib.sha256(data).hexdigest(), "language": language,
    }
    return row, cleaned, encoding, html


def _field(value) -> str:
    """A one-line manifest value: whitespace (including newlines) collapsed, ends stripped, Unicode NFC."""
    return "" if value is None else unicodedata.normalize("NFC", _SPACES.sub(" ", str(value)).strip())


def _check_corpus_dir(root: Path) -> bool:
    """True if the corpus must be created (``root`` missing or empty); error if it is not a corpus."""
    if not root.exists():
        return True
    if not root.is_dir():
        raise CorpusError("is not a directory", path=root, fix="pass --corpus DIR with a corpus directory")
    if (root / MANIFEST_NAME).is_file():
        return False
    if not any(p for p in root.iterdir() if p.name != DERIVED_DIR):
        return True
    raise CorpusError("directory has no manifest.csv but is not empty, so it is not a corpus", path=root,
                      fix="pass --corpus with a corpus directory or a new (missing or empty) one")


def _check_unique(table: pd.DataFrame, row: dict[str, str], name: str, root: Path, ext: str) -> None:
    same = table.loc[table["sha256"] == row["sha256"], "id"]
    if not same.empty:
        raise InputError(f"same content as existing article {same.iloc[0]!r} (sha256 {row['sha256'][:16]}...)",
                         path=name, fix="it is already in the corpus")
    if row["id"]:
        if (table["id"] == row["id"]).any():
            raise InputError(f"id {row['id']!r} is already used", path=name, fix="pass another --id")
        for suffix in (".txt", ".html", ext):
            target = root / RAW_DIR / f"{row['id']}{suffix}"
            if target.exists():
                raise InputError(f"id {row['id']!r} clashes with existing file {target}", path=name,
                                 fix="pass another --id")


# --- the write -------------------------------------------------------------------------------

def _commit(root: Path, staging: Path, table: pd.DataFrame, row: dict[str, str], data: bytes) -> None:
    """Stage, then rename the raw file and replace the manifest; undo the raw file on failure."""
    final = root / row["path"]
    staged = staging / final.name
    new_table = pd.concat([table, pd.DataFrame([row], columns=list(MANIFEST_COLUMNS))], ignore_index=True)
    new_table = new_table.sort_values("id", kind="stable").reset_index(drop=True)
    new_bytes = manifest_bytes(new_table)

    _write_file(staged, data, RAW_FILE_MODE)
    marker = staging / PENDING_NAME
    _write_file(marker, json.dumps({"id": row["id"], "path": row["path"], "sha256": row["sha256"]}).encode(), 0o644)
    moved = False
    try:
        (root / RAW_DIR).mkdir(exist_ok=True)
        _move_into_raw(staged, final)
        moved = True
        _replace_manifest(new_bytes, root / MANIFEST_NAME, staging)
    except BaseException:
        if moved:
            _unlink(final)
        _unlink(staged)
        _unlink(marker)
        raise
    _unlink(marker)


def _write_file(path: Path, data: bytes, mode: int) -> None:
    _unlink(path)
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(path, mode)


def _move_into_raw(staged: Path, final: Path) -> None:
    """Rename the staged raw file into ``raw/`` (refusing to overwrite)."""
    try:
        os.link(staged, final)  # fails if ``final`` exists: raw files are never overwritten
    except FileExistsError:
        raise
    except OSError:  # no hard links on this file system
        if final.exists():
            raise FileExistsError(final) from None
        os.rename(staged, final)
    _unlink(staged)
    _fsync_dir(final.parent)


def _replace_manifest(data: bytes, path: Path, staging: Path) -> None:
    """The commit point: the new manifest replaces the old one atomically."""
    atomic_write_bytes(path, data, tmp_dir=staging)
    _fsync_dir(path.parent)


def _roll_back_pending(root: Path) -> None:
    """Undo an add that was killed between the raw rename and the manifest replace (under the lock)."""
    staging = root / DERIVED_DIR / STAGING_DIR
    entries = _read_pending(root)
    if entries:
        manifest_file = root / MANIFEST_NAME
        table = read_manifest(manifest_file) if manifest_file.exists() else empty_manifest()
        for pending in entries:
            committed = (table["path"] == pending["path"]).any()  # still (or now) listed: keep it
            raw = root / pending["path"]
            try:
                data = read_bounded(raw)
            except InputError:
                data = None
            if not committed and data is not None and hashlib.sha256(data).hexdigest() == pending["sha256"]:
                _unlink(raw)
    if staging.is_dir():
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True, exist_ok=True)


def _check_near_duplicate(root: Path, body: str, name: str) -> None:
    """Refuse ``body`` when a stored article's cleaned body is a near-duplicate (as ``add_articles`` does)."""
    import warnings

    from .corpus import SkippedDocumentWarning, load_corpus
    from .near_duplicates import NEAR_DUPLICATE_JACCARD, find_near_duplicate, load_signatures

    with warnings.catch_warnings():  # unusable rows cannot be compared; `check` lists them
        warnings.simplefilter("ignore", SkippedDocumentWarning)
        stored = load_corpus(root, skip_bad=True)
    match = find_near_duplicate(body, stored, load_signatures(stored))
    if match:
        raise InputError(f"near-duplicate of existing article {match[0]!r} (Jaccard {match[1]:.2f} "
                         f"≥ {NEAR_DUPLICATE_JACCARD})", path=name, fix="pass --allow-duplicate to add it anyway")


def _read_pending(root: Path) -> list[dict[str, str]]:
    """The entries of an interrupted write's marker that are safe to act on ([] when absent or unreadable).

    A marker names one add (``{"id","path","sha256"}``) or a batch/remove (``{"entries": [...]}``).
    """
    marker = root / DERIVED_DIR / STAGING_DIR / PENDING_NAME
    try:
        entries = _pending_entries(json.loads(read_bounded(marker, max_bytes=MAX_MARKER_BYTES).decode("utf-8")))
    except (InputError, ValueError, KeyError, TypeError):
        return []
    return [entry for entry in entries if pending_entry_ok(root, entry)]


def pending_entry_ok(root: Path, entry: object) -> bool:
    """True when a staging-marker entry is one an add of ours could have written.

    The marker is input like the manifest: its id must be valid, its path a file directly inside
    ``raw/`` (after following links, :func:`~textcompare.manifest.resolve_raw_path`) and its
    sha256 well formed, so a crafted marker can never make a roll-back delete anything else.
    """
    if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in ("id", "path", "sha256")):
        return False
    if id_problem(entry["id"]) or not re.fullmatch(r"[0-9a-f]{64}", entry["sha256"]):
        return False
    try:
        resolve_raw_path(root, entry["path"])
    except CorpusError:
        return False
    return True


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _fsync_dir(path: Path) -> None:
    """Make a rename durable (best effort; not possible on every platform)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _shorten(text: str, width: int) -> str:
    text = _SPACES.sub(" ", text).strip()
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."


__all__ = ["AddResult", "add_article", "pending_add"]
