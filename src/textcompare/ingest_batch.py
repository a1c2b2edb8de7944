"""Adding many articles at once: files, folders, CSV/JSONL tables, standard input and URLs.

``add_articles`` gathers the items, validates every one (the same checks as
:func:`~textcompare.ingest.add_article`, plus near-duplicates), then writes them in one locked
commit: every raw file is staged, a marker lists them, they are linked into ``raw/`` and the
manifest is replaced **once** (the commit point). A batch killed before the manifest replace is
rolled back by the next add, remove or update, exactly like a single add.

All-or-nothing by default: one bad item and nothing is added (:class:`BatchError` carries the
summary table listing every problem). ``skip_bad=True`` adds the good items and reports the rest.
"""
from __future__ import annotations

import datetime as _dt
import io
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .errors import InputError, TextcompareError
from .manifest import MANIFEST_COLUMNS, empty_manifest, manifest_bytes, next_numbered_id, read_manifest
from .paths import DERIVED_DIR, MANIFEST_NAME, RAW_DIR, corpus_root

if TYPE_CHECKING:
    from .corpus import Corpus

ARTICLE_SUFFIXES = (".txt", ".html", ".htm")
TABLE_SUFFIXES = (".csv", ".jsonl")
TABLE_FIELDS = ("text", "id", "author", "outlet", "title", "date", "url")
MAX_TABLE_BYTES = 512 * 2**20
FETCHED_COLUMN = "fetched"
SUMMARY_COLUMNS = ["item", "status", "id", "title", "words", "problem"]

_URL_RE = re.compile(r"^https?://", re.I)


class BatchError(InputError):
    """A batch was refused (nothing added); ``summary`` lists every item and its problem."""

    def __init__(self, problem: str, *, summary: pd.DataFrame, fix: str | None = None):
        super().__init__(problem, fix=fix)
        self.summary = summary


@dataclass
class BatchItem:
    """One article to add: its bytes (or why there are none) and its own metadata."""

    name: str
    data: bytes | None = None
    file_name: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    problem: str | None = None
    fix: str | None = None


@dataclass
class BatchResult:
    """What :func:`add_articles` did: ``summary`` (one row per item) and the added ids."""

    summary: pd.DataFrame
    added: list[str]
    created_corpus: bool = False
    results: list = field(default_factory=list, repr=False)

    @property
    def refused(self) -> int:
        return int((self.summary["status"] == "refused").sum())


# --- gathering items -------------------------------------------------------------------------

def parse_column_map(text_column: str | None, mapping: Iterable[str] | None) -> dict[str, str | None]:
    """``--text-column`` and ``--map column=field`` as ``{table column: field or custom column}``.

    ``--map column=`` (nothing after ``=``) drops that column.
    """
    from .corpus_edit import validate_column_name

    result: dict[str, str | None] = {}
    if text_column:
        result[text_column] = "text"
    for item in mapping or ():
        column, sep, target = item.partition("=")
        if not sep or not column:
            raise InputError(f"--map {item!r} is not COLUMN=FIELD", fix="write --map body=text or --map Source=outlet")
        target = target.strip()
        if target and target not in TABLE_FIELDS:
            validate_column_name(target)
        result[column] = target or None
    return result


def gather_items(sources: Sequence[str | os.PathLike[str]], *, column_map: Mapping[str, str | None] | None = None,
                 allow_private_urls: bool = False) -> list[BatchItem]:
    """Expand ``sources`` into items: files as given, folders recursively, table rows, ``-``, URLs.

    A folder contributes its ``.txt``/``.html``/``.htm`` files (hidden files and symbolic links
    skipped), sorted by path. A missing file or a failed download becomes an item with a problem,
    so the batch can list it with the others.
    """
    from .encoding import read_article_bytes

    items: list[BatchItem] = []
    for source in sources:
        text = os.fspath(source)
        if text == "-":
            data, name = read_article_bytes("-")
            items.append(BatchItem(name=name, data=data))
        elif _URL_RE.match(text):
            items.append(fetch_url_item(text, allow_private=allow_private_urls))
        else:
            path = Path(text)
            if path.is_dir():
                items.extend(_file_item(p) for p in _folder_files(path))
            elif path.suffix.lower() in TABLE_SUFFIXES and path.is_file():
                items.extend(read_table_items(path, column_map=column_map))
            else:
                items.append(_file_item(path))
    return items


def _folder_files(folder: Path) -> list[Path]:
    found = []
    for directory, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            path = Path(directory) / name
            if not name.startswith(".") and path.suffix.lower() in ARTICLE_SUFFIXES and not path.is_symlink():
                found.append(path)
    return sorted(found)


def _file_item(path: Path) -> BatchItem:
    from .encoding import read_article_bytes

    try:
        data, name = read_article_bytes(path)
    except InputError as exc:
        return BatchItem(name=os.fspath(path), problem=exc.problem, fix=exc.fix)
    return BatchItem(name=name, data=data, file_name=name)


def read_table_items(path: Path, *, column_map: Mapping[str, str | None] | None = None) -> list[BatchItem]:
    """One item per row of a ``.csv`` (header row) or ``.jsonl`` (one JSON object per line).

    Columns named like manifest fields (``text``, ``id``, ``author``, ``outlet``, ``title``,
    ``date``, ``url``) are used as such; ``column_map`` renames or drops others; every remaining
    column becomes a custom manifest column (its name must be snake_case).

    Raises
    ------
    InputError
        The table is unreadable, too large, has no text column or a column that cannot be a
        manifest column (one line naming the file).
    """
    from .corpus_edit import clean_value, validate_column_name

    column_map = dict(column_map or {})
    size = path.stat().st_size
    if size > MAX_TABLE_BYTES:
        raise InputError(f"table is larger than {MAX_TABLE_BYTES // 2**20} MB", path=path, fix="split it")
    table = _read_table(path)
    columns = {}
    for column in table.columns:
        target = column_map.get(column, column)
        if target is None:
            continue
        if target not in TABLE_FIELDS:
            try:
                validate_column_name(target)
            except InputError as exc:
                raise InputError(f"column {column!r} cannot be a manifest column: {exc.problem}", path=path,
                                 fix=f'rename it with --map "{column}=new_name", or drop it with --map "{column}="') from None
        if target in columns.values():
            raise InputError(f"two columns map to {target!r}", path=path, fix="drop one with --map COLUMN=")
        columns[column] = target
    unknown = sorted(set(column_map) - set(table.columns))
    if unknown:
        raise InputError(f"no column {', '.join(map(repr, unknown))} (columns: {', '.join(table.columns)})", path=path,
                         fix="check --text-column and --map")
    if "text" not in columns.values():
        raise InputError(f"no text column (columns: {', '.join(table.columns)})", path=path,
                         fix="name it text, or pass --text-column NAME")
    unit = "line" if path.suffix.lower() == ".jsonl" else "row"
    items = []
    for number, record in zip(table.index, table.to_dict("records")):
        meta = {columns[c]: clean_value(v) for c, v in record.items() if c in columns and columns[c] != "text"}
        text_value = next(v for c, v in record.items() if columns.get(c) == "text")
        text_value = "" if text_value is None else str(text_value)
        items.append(BatchItem(name=f"{path}:{unit} {number}", data=text_value.encode("utf-8"),
                               meta={k: v for k, v in meta.items() if v}))
    return items


#: A CSV/JSONL table may hold this many articles' worth of bytes (the per-article limit times this).
TABLE_MAX_FACTOR = 100


def _read_table(path: Path) -> pd.DataFrame:
    """The table as strings; the index is the row (CSV, from 2 after the header) or line number.

    Read like any input: a regular file only, at most ``TABLE_MAX_FACTOR`` times the article limit.
    """
    from .fileio import max_input_bytes, read_bounded

    data = read_bounded(path, max_bytes=TABLE_MAX_FACTOR * max_input_bytes())
    if path.suffix.lower() == ".csv":
        try:
            table = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig")
        except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
            raise InputError(f"cannot read CSV: {str(exc).splitlines()[0]}", path=path,
                             fix="save it as UTF-8 CSV with a header row") from exc
        table.index = range(2, len(table) + 2)
        return table
    records, numbers = [], []
    try:
        with io.StringIO(data.decode("utf-8-sig")) as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                record = json.loads(line)
                if not isinstance(record, dict) or any(isinstance(v, (dict, list)) for v in record.values()):
                    raise InputError(f"line {number} is not a flat JSON object", path=path,
                                     fix="one object per line, with string or number values")
                records.append({k: v for k, v in record.items()})
                numbers.append(number)
    except UnicodeDecodeError as exc:
        raise InputError("is not UTF-8", path=path, fix="save it as UTF-8") from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"line {number}: invalid JSON ({exc.msg})", path=path, fix="one JSON object per line") from exc
    table = pd.DataFrame.from_records(records, index=numbers) if records else pd.DataFrame()
    return table.astype(object).where(table.notna(), None) if not table.empty else table


def fetch_url_item(url: str, *, allow_private: bool = False, today: _dt.date | None = None) -> BatchItem:
    """Download ``url`` with trafilatura's downloader; the item keeps the bytes as received.

    The manifest gets ``url`` and ``fetched`` (the UTC date of the download). trafilatura caps
    the size (its ``MAX_FILE_SIZE``, 20 MB) and the time (``DOWNLOAD_TIMEOUT``) of a download.
    Its SSRF protection stays on (loopback, private and link-local addresses are refused) unless
    ``allow_private`` (intranet sites, tests); a certificate error is never retried unverified.
    """
    from copy import deepcopy

    from trafilatura.downloads import fetch_response
    from trafilatura.settings import DEFAULT_CONFIG

    config = deepcopy(DEFAULT_CONFIG)
    config["DEFAULT"]["INSECURE_SSL_FALLBACK"] = "off"
    config["DEFAULT"]["SSRF_PROTECTION"] = "off" if allow_private else "on"
    today = today or _dt.datetime.now(_dt.timezone.utc).date()
    response = fetch_response(url, config=config)
    if response is None or response.data is None:
        return BatchItem(name=url, problem="download failed (offline, refused, blocked as a private address, "
                                           "or larger than 20 MB)")
    if response.status != 200:
        return BatchItem(name=url, problem=f"download failed: HTTP status {response.status}")
    return BatchItem(name=url, data=bytes(response.data), file_name=None,
                     meta={"url": url, FETCHED_COLUMN: today.isoformat()})


# --- validating ------------------------------------------------------------------------------

@dataclass
class _Ready:
    item: BatchItem
    row: dict[str, str]
    data: bytes
    ext: str
    words: int
    signature: object
    cleaned: object = None
    encoding: str = "utf-8"
    shingles: set = field(default_factory=set, repr=False)


def add_articles(
    sources: Sequence[str | os.PathLike[str]] | Sequence[BatchItem],
    *,
    author: str | None = None,
    outlet: str | None = None,
    title: str | None = None,
    date: str | None = None,
    url: str | None = None,
    doc_id: str | None = None,
    set_columns: Mapping[str, str] | None = None,
    text_column: str | None = None,
    column_map: Iterable[str] | None = None,
    corpus: Corpus | str | os.PathLike[str] | None = None,
    allow_language: bool = False,
    allow_partial: bool = False,
    allow_duplicate: bool = False,
    allow_private_urls: bool = False,
    skip_bad: bool = False,
    processes: int = 1,
    progress: bool | None = None,
) -> BatchResult:
    """Add several articles in one locked commit (one manifest write).

    Parameters
    ----------
    sources
        Files, folders (recursive: ``.txt``, ``.html``, ``.htm``), ``.csv``/``.jsonl`` tables,
        ``"-"`` (standard input) and ``http(s)://`` URLs; or prepared :class:`BatchItem` objects.
    author, outlet, title, date, url
        Defaults for every item that lacks its own value (a table cell, what cleaning found).
    doc_id
        Only for a batch of one item.
    set_columns
        Custom manifest columns (``{"region": "west"}``) for items that lack their own value.
    text_column, column_map
        Table columns: which holds the text, and ``"column=field"`` renames (``"column="`` drops).
    allow_language, allow_partial
        Accept a text not detected as English / a paywall or login page (only part of the article saved).
    allow_duplicate
        Accept a near-duplicate (cleaned-body shingle Jaccard ≥ 0.9) of a stored or batch article.
        Byte-identical content is always refused.
    allow_private_urls
        Download from loopback, private and link-local addresses too (intranet sites; off by
        default against server-side request forgery).
    skip_bad
        Add the good items and report the bad ones, instead of adding nothing.
    processes
        Worker processes that decode, clean and check the language of items (the slow part);
        the duplicate checks and the write stay in this process.
    progress
        tqdm progress bar on stderr (``None``: only on a terminal).

    Returns
    -------
    BatchResult
        ``summary`` has one row per item: ``item, status, id, title, words, problem``.

    Raises
    ------
    BatchError
        Some item is bad and ``skip_bad`` is false, or no item is good; nothing was written.

    Examples
    --------
    >>> tc.add_articles(["exports/"], outlet="Example Review", corpus="corpus")  # doctest: +SKIP
    """
    from tqdm.auto import tqdm

    from .corpus import Corpus
    from .corpus_edit import parse_assignments
    from .ingest import _check_corpus_dir
    from .near_duplicates import NUM_PERM, Signatures, load_signatures

    if not isinstance(processes, int) or processes < 1:
        raise InputError(f"processes must be a whole number >= 1, got {processes!r}", fix="pass --processes 1 or 2")
    set_columns = dict(set_columns or {})
    parse_assignments([f"{k}={v}" for k, v in set_columns.items()])  # validates names and values
    if sources and all(isinstance(s, BatchItem) for s in sources):
        items = list(sources)
    else:
        items = gather_items(sources, column_map=parse_column_map(text_column, column_map),
                             allow_private_urls=allow_private_urls)
    if not items:
        raise InputError("nothing to add: no .txt, .html, .htm file or table row found in "
                         + ", ".join(map(os.fspath, sources or ["(no sources)"])))
    if doc_id is not None and len(items) != 1:
        raise InputError(f"--id needs exactly one article, got {len(items)}", fix="put an id column in the table")
    root = corpus.root if isinstance(corpus, Corpus) else corpus_root(corpus)
    created = _check_corpus_dir(root)
    table = empty_manifest() if created else read_manifest(root / MANIFEST_NAME)
    signatures = stored = None
    if not allow_duplicate and not created:
        stored = Corpus(root=root, manifest=table)
        signatures = load_signatures(stored)
    defaults = {"author": author, "outlet": outlet, "title": title, "date": date, "url": url, "id": doc_id}
    ready: list[_Ready] = []
    batch_matrix = np.zeros((len(items), NUM_PERM), dtype=np.uint64)  # signatures of ``ready``, in order
    problems: dict[int, str] = {}
    seen_sha: dict[str, str] = {sha: f"existing article {doc!r}" for sha, doc in zip(table["sha256"], table["id"])}
    seen_ids = set(table["id"])
    prepared = _prepare_all(items, (defaults, set_columns, allow_language, allow_partial), processes)
    bar = tqdm(zip(items, prepared), total=len(items), desc="checking", unit="article",
               disable=None if progress is None else not progress)
    for index, (item, outcome) in enumerate(bar):
        try:
            if isinstance(outcome, TextcompareError):
                raise outcome
            row, cleaned, encoding, html, shingles, signature = outcome
            ready_item = _check_item(item, row, cleaned.body, html, seen_sha, seen_ids, ready, signatures, root,
                                     allow_duplicate, stored, batch_matrix, shingles, signature)
            ready_item.cleaned, ready_item.encoding = cleaned, encoding
        except TextcompareError as exc:
            if len(items) == 1:
                raise  # one article: its own one-line error
            problems[index] = (exc.problem + (f" ({exc.fix})" if exc.fix else "")) if exc.path == item.name else str(exc)
            continue
        seen_sha[row["sha256"]] = f"batch item {item.name}"
        if row["id"]:
            seen_ids.add(row["id"])
        ready.append(ready_item)
    summary_ready = {id(r.item): r for r in ready}
    if problems and not skip_bad or not ready:
        summary = _summary(items, summary_ready, problems, "ready" if problems else "refused")
        bad = len(problems)
        first = next(iter(problems.items()))
        raise BatchError(f"{bad} of {len(items)} item(s) refused, nothing added; first: {items[first[0]].name}: "
                         f"{first[1]}", summary=summary,
                         fix="fix or drop them, or pass --skip-bad to add the rest" if len(items) > 1 else None)
    if created:
        signatures = Signatures([], [], np.zeros((0, NUM_PERM), dtype=np.uint64))
    _commit_batch(root, ready, signatures)
    from .ingest import AddResult

    results = [AddResult(doc_id=r.row["id"], path=root / r.row["path"], row=r.row, cleaned=r.cleaned,
                         encoding=r.encoding, created_corpus=created) for r in ready]
    for r in ready:
        r.shingles, r.data = set(), b""
    return BatchResult(summary=_summary(items, summary_ready, problems, "added"),
                       added=[r.row["id"] for r in ready], created_corpus=created, results=results)


def _check_item(item: BatchItem, row: dict[str, str], body: str, html: bool, seen_sha: dict[str, str],
                seen_ids: set[str], ready: list[_Ready], signatures, root: Path, allow_duplicate: bool,
                stored, batch_matrix, shingles: set[str], signature) -> _Ready:
    from .near_duplicates import NEAR_DUPLICATE_JACCARD, Signatures, find_near_duplicate, score_jaccard

    if row["sha256"] in seen_sha:
        where = seen_sha[row["sha256"]]
        raise InputError(f"same content as {where} (sha256 {row['sha256'][:16]}...)", path=item.name,
                         fix="it is already in the corpus" if where.startswith("existing") else "drop one of them")
    if row["id"] and row["id"] in seen_ids:
        raise InputError(f"id {row['id']!r} is already used", path=item.name, fix="choose another id")
    if row["id"]:
        for suffix in ARTICLE_SUFFIXES:
            if (root / RAW_DIR / f"{row['id']}{suffix}").exists():
                raise InputError(f"id {row['id']!r} clashes with an existing raw file", path=item.name,
                                 fix="choose another id")
    if not allow_duplicate:
        if signatures is not None:
            match = find_near_duplicate(body, stored, signatures, shingles=shingles, signature=signature)
            if match:
                raise InputError(f"near-duplicate of existing article {match[0]!r} (Jaccard {match[1]:.2f} "
                                 f"≥ {NEAR_DUPLICATE_JACCARD})", path=item.name,
                                 fix="pass --allow-duplicate to add it anyway")
        batch = Signatures([str(i) for i in range(len(ready))], [], batch_matrix[:len(ready)])
        for index in batch.candidates(signature):
            other = ready[int(index)]
            score = score_jaccard(shingles, other.shingles)
            if score >= NEAR_DUPLICATE_JACCARD:
                raise InputError(f"near-duplicate of batch item {other.item.name} (Jaccard {score:.2f})",
                                 path=item.name, fix="pass --allow-duplicate to add both")
    batch_matrix[len(ready)] = signature
    result = _Ready(item=item, row=row, data=item.data, ext=".html" if html else ".txt",
                    words=len(body.split()), signature=signature, shingles=shingles)
    return result


def _prepare_one(item: BatchItem, options: tuple) -> tuple | tuple[str, str, str | None, str | None]:
    """Validate and clean one item (in a worker when ``processes > 1``); errors come back as a tuple."""
    from .ingest import _prepare
    from .near_duplicates import build_signature, extract_shingles

    defaults, set_columns, allow_language, allow_partial = options
    try:
        if item.problem:
            raise InputError(item.problem, path=item.name, fix=item.fix)
        values = {k: item.meta.get(k) or defaults[k] for k in defaults}
        row, cleaned, encoding, html = _prepare(
            item.data, item.name, item.file_name, author=values["author"], outlet=values["outlet"],
            title=values["title"], date=values["date"], url=values["url"], doc_id=values["id"],
            allow_language=allow_language, allow_partial=allow_partial)
    except TextcompareError as exc:
        return ("error", type(exc).__name__, exc.problem, exc.path, exc.fix)
    for column, value in {**set_columns, **{k: v for k, v in item.meta.items() if k not in defaults}}.items():
        row[column] = value
    shingles = extract_shingles(cleaned.body)
    return row, cleaned, encoding, html, shingles, build_signature(shingles)


def _prepare_all(items: list[BatchItem], options: tuple, processes: int):
    """Outcomes of :func:`_prepare_one` in item order: a tuple, or the :class:`TextcompareError`."""
    from . import errors

    def outcome(result):
        if result[0] == "error":
            return getattr(errors, result[1], InputError)(result[2], path=result[3], fix=result[4])
        return result

    if processes <= 1 or len(items) < 2:
        for item in items:
            yield outcome(_prepare_one(item, options))
        return
    import functools
    import multiprocessing

    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    with context.Pool(processes) as pool:
        for result in pool.imap(functools.partial(_prepare_one, options=options), items, chunksize=8):
            yield outcome(result)


def _summary(items: list[BatchItem], ready: dict[int, _Ready], problems: dict[int, str], ok_status: str) -> pd.DataFrame:
    rows = []
    for index, item in enumerate(items):
        done = ready.get(id(item))
        rows.append({
            "item": item.name, "status": "refused" if index in problems else ok_status,
            "id": done.row["id"] if done else "", "title": done.row["title"] if done else "",
            "words": done.words if done else pd.NA, "problem": problems.get(index, ""),
        })
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS).astype({"words": "Int64"})


# --- the write -------------------------------------------------------------------------------

def _commit_batch(root: Path, ready: list[_Ready], signatures) -> None:
    """Assign ids, stage raw files, link them into raw/, replace the manifest once."""
    from .corpus_edit import manifest_lock
    from .ingest import PENDING_NAME, RAW_FILE_MODE, STAGING_DIR, _move_into_raw, _replace_manifest, _unlink, _write_file

    root.mkdir(parents=True, exist_ok=True)
    with manifest_lock(root):
        manifest_file = root / MANIFEST_NAME
        table = read_manifest(manifest_file) if manifest_file.exists() else empty_manifest()
        shas, ids = set(table["sha256"]), set(table["id"])
        number = None
        for r in ready:  # checked again under the lock (a concurrent add may have won)
            if r.row["sha256"] in shas:
                raise InputError("same content was added meanwhile", path=r.item.name)
            if r.row["id"]:
                if r.row["id"] in ids:
                    raise InputError(f"id {r.row['id']!r} was taken meanwhile", path=r.item.name)
            else:
                if number is None:
                    number = int(next_numbered_id(table["id"], "0" * 16).split("_")[0])
                else:
                    number += 1
                r.row["id"] = f"{number:03d}_{r.row['sha256'][:16]}"
            ids.add(r.row["id"])
            r.row["path"] = f"{RAW_DIR}/{r.row['id']}{r.ext}"
        rows = pd.DataFrame([r.row for r in ready])
        new_table = pd.concat([table, rows], ignore_index=True).fillna("")
        columns = list(MANIFEST_COLUMNS) + [c for c in new_table.columns if c not in MANIFEST_COLUMNS]
        new_table = new_table[columns].sort_values("id", kind="stable").reset_index(drop=True)
        new_bytes = manifest_bytes(new_table)

        staging = root / DERIVED_DIR / STAGING_DIR
        staging.mkdir(parents=True, exist_ok=True)
        marker = staging / PENDING_NAME
        staged = [staging / Path(r.row["path"]).name for r in ready]
        moved: list[Path] = []
        try:
            _write_files(staged, [r.data for r in ready], RAW_FILE_MODE)
            _write_file(marker, json.dumps({"entries": [{"id": r.row["id"], "path": r.row["path"],
                                                         "sha256": r.row["sha256"]} for r in ready]}).encode(), 0o644)
            (root / RAW_DIR).mkdir(exist_ok=True)
            for r, path in zip(ready, staged):
                final = root / r.row["path"]
                _move_into_raw(path, final)
                moved.append(final)
            _replace_manifest(new_bytes, manifest_file, staging)
        except BaseException:
            for path in moved + staged:
                _unlink(path)
            _unlink(marker)
            raise
        _unlink(marker)
        if signatures is not None:
            _save_signatures(root, signatures, ready)


def _write_files(paths: list[Path], contents: list[bytes], mode: int) -> None:
    """Write and fsync staged raw files, the fsyncs in a few threads (each waits on the disk, not the CPU).

    Sequential fsyncs cost ~7 ms each on a shared disk: 7 s for 1,000 files; overlapping them in
    8 threads cuts the wait without giving up durability.
    """
    from concurrent.futures import ThreadPoolExecutor

    from .ingest import _write_file

    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in pool.map(_write_file, paths, contents, [mode] * len(paths)):
            pass


def _save_signatures(root: Path, signatures, ready: list[_Ready]) -> None:
    from .near_duplicates import Signatures, save_signatures

    combined = Signatures(signatures.ids + [r.row["id"] for r in ready], signatures.sha256 + [r.row["sha256"] for r in ready],
                          np.vstack([signatures.matrix, *[r.signature[None, :] for r in ready]]))
    try:
        save_signatures(root / DERIVED_DIR, combined)
    except OSError:
        pass


__all__ = ["BatchError", "BatchItem", "BatchResult", "add_articles", "gather_items", "read_table_items",
           "fetch_url_item", "parse_column_map"]
