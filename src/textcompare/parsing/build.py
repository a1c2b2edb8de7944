"""``build_corpus``: clean and parse what is missing or stale into ``corpus/derived/``.

One pass checks every document's cache entry (no cleaning, no model). The documents whose entry
is missing, stale or corrupt go, in batches, to :func:`process_batch`, which cleans and parses
them with ``nlp.pipe`` and returns the bytes of their cache files. Batches run in this process,
on a pool of forked worker processes (``processes=N``) or on Dask workers; every route runs the
same code, so the tables are identical. Each batch's files are written as soon as it returns and
at most two batches per worker are in flight, so memory does not grow with the corpus.

Cleaning and table extraction run inside the workers (not only the model), which is why
``processes=N`` uses its own process pool rather than ``nlp.pipe(n_process=N)``: with spaCy's
workers, cleaning and table extraction would stay serial in the parent.
"""
from __future__ import annotations

import functools
import itertools
import json
import math
import os
import sys
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CorpusError, InputError
from .cache import (LOCK, PROVENANCE, cached_ids, clean_relpath, dumps_json, key_path, parse_relpaths,
                    read_key, remove_entry, remove_temporaries, sha256_bytes, stale_reason, verify_files,
                    write_atomic)
from .settings import cleaner_fingerprint, parse_settings

MAX_WARNED = 10


class CacheWarning(UserWarning):
    """A cached entry was stale or corrupt and has been rebuilt."""


@dataclass(frozen=True)
class BuildSummary:
    """What a build did: documents in the manifest, how many were parsed now, how many came from the cache."""

    documents: int
    parsed: int
    cached: int
    seconds: float
    removed: int = 0
    rebuilt: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """``{"documents", "parsed", "cached", "seconds"}`` (seconds rounded to milliseconds)."""
        return {"documents": self.documents, "parsed": self.parsed, "cached": self.cached,
                "seconds": round(self.seconds, 3)}

    def __str__(self) -> str:
        text = f"{self.documents} documents: {self.parsed} parsed, {self.cached} cached"
        if self.removed:
            text += f", {self.removed} removed"
        return text + f" ({self.seconds:.1f} s)"


@dataclass(frozen=True)
class _Task:
    """One document to (re)build, and its previous cache key if any (picklable, sent to workers)."""

    doc_id: str
    raw_sha256: str
    key: dict | None


@dataclass(frozen=True)
class _Result:
    """What a worker made of one task: files to write, the new key, whether it parsed, why it rebuilt."""

    doc_id: str
    files: dict[str, bytes]
    key: dict
    parsed: bool
    reason: str | None


def _check_options(processes: int, dask: str | None) -> None:
    if isinstance(processes, bool) or not isinstance(processes, int) or processes < 1:
        raise InputError(f"processes must be a positive integer, not {processes!r}", fix="use processes=1 or more")
    if dask is not None and (not isinstance(dask, str) or not dask.strip()):
        raise InputError(f"dask must be 'local' or a scheduler address, not {dask!r}",
                         fix="use dask='local' or dask='tcp://HOST:8786'")


def _plan_one(corpus: Any, derived: Path, doc_id: str, settings: dict, fingerprint: str,
              force: bool) -> _Task | None:
    """None when the cached entry is complete and current (no cleaning, no model), else a task."""
    from ..corpus import read_raw_bytes

    key, _ = (None, None) if force else read_key(derived, doc_id)
    raw_sha = sha256_bytes(read_raw_bytes(corpus, doc_id))  # bounded, inside raw/, sha256 verified
    if (key is not None and key.get("raw_sha256") == raw_sha and key.get("cleaner") == fingerprint
            and stale_reason(key, key.get("body_sha256"), settings) is None
            and verify_files(derived, key, [clean_relpath(doc_id), *parse_relpaths(doc_id)]) is None):
        return None
    return _Task(doc_id, raw_sha, None if force else (key or _unreadable_key(derived, doc_id)))


def _unreadable_key(derived: Path, doc_id: str) -> dict | None:
    """A stand-in key carrying the problem of a key file that exists but cannot be read."""
    key, problem = read_key(derived, doc_id)
    return {"files": {}, "problem": problem} if problem else key


@functools.lru_cache(maxsize=4)
def _corpus_at(root: str, stamp: tuple[int, int]) -> Any:
    from ..corpus import load_corpus

    return load_corpus(root, validate=False)  # the building process validated the rows it sends


def _worker_corpus(root: str) -> Any:
    """The corpus at ``root``, read once per process and manifest version."""
    stat = (Path(root) / "manifest.csv").stat()
    return _corpus_at(root, (stat.st_mtime_ns, stat.st_size))


def _key(task: _Task, fingerprint: str, body_sha: str, settings: dict, hashes: dict[str, str]) -> dict:
    return {"doc_id": task.doc_id, "raw_sha256": task.raw_sha256, "cleaner": fingerprint,
            "body_sha256": body_sha, "parse": settings, "files": hashes}


def process_batch(root: str, model: str, settings: dict, fingerprint: str, tasks: list[_Task],
                  batch_size: int = 16) -> list[_Result]:
    """Clean (unless the cached clean text is current) and parse (unless the cached parse is) a batch.

    Runs in the building process, in pool workers or on Dask workers (which need the corpus
    directory at the same path); only bytes come back, the caller writes them.
    """
    from ..corpus import clean_article

    corpus = _worker_corpus(root)
    derived = Path(root) / "derived"
    results: dict[str, _Result] = {}
    to_parse: list[tuple[_Task, str, dict[str, bytes], dict[str, str], str, str | None]] = []
    for task in tasks:
        key, clean_rel = task.key, clean_relpath(task.doc_id)
        problem = key.get("problem") if key else None
        body = body_sha = None
        files: dict[str, bytes] = {}
        hashes: dict[str, str] = {}
        if key and not problem and key.get("raw_sha256") == task.raw_sha256 and key.get("cleaner") == fingerprint:
            problem = verify_files(derived, key, [clean_rel])
            if problem is None:
                body = json.loads((derived / clean_rel).read_bytes())["body"]
                body_sha, hashes[clean_rel] = key.get("body_sha256"), key["files"][clean_rel]
        if body is None:
            cleaned = clean_article(corpus, task.doc_id)
            body, files[clean_rel] = cleaned.body, dumps_json(cleaned.to_dict())
            body_sha, hashes[clean_rel] = sha256_bytes(body.encode("utf-8")), sha256_bytes(files[clean_rel])
        if key and not problem:
            problem = stale_reason(key, body_sha, settings) or verify_files(derived, key, parse_relpaths(task.doc_id))
            if problem is None:  # the cached parse still holds for this (re-cleaned, unchanged) body
                hashes.update({rel: key["files"][rel] for rel in parse_relpaths(task.doc_id)})
                results[task.doc_id] = _Result(task.doc_id, files, _key(task, fingerprint, body_sha, settings, hashes),
                                               parsed=False, reason=None)
                continue
        to_parse.append((task, body, files, hashes, body_sha, problem))
    if to_parse:
        from ..nlp import load_nlp
        from .serialize import parse_text, serialize_parse

        nlp = load_nlp(model)
        short = [k for k, item in enumerate(to_parse) if len(item[1]) <= nlp.max_length]
        docs = _pipe_bounded(nlp, [(to_parse[k][1], k) for k in short], max_docs=batch_size)
        long_docs = ((parse_text(nlp, to_parse[k][1]), k) for k in sorted(set(range(len(to_parse))) - set(short)))
        for doc, k in itertools.chain(docs, long_docs):
            task, _, files, hashes, body_sha, problem = to_parse[k]
            parsed = serialize_parse(doc, task.doc_id)
            files.update(parsed)
            hashes.update({rel: sha256_bytes(data) for rel, data in parsed.items()})
            results[task.doc_id] = _Result(task.doc_id, files, _key(task, fingerprint, body_sha, settings, hashes),
                                           parsed=True, reason=problem)
    return [results[task.doc_id] for task in tasks]


#: Characters given to one ``nlp.pipe`` call. The parser's and NER's working arrays grow with the
#: tokens of a pipe batch (32 dev-split articles, 222,000 characters, took 650 MB above the loaded
#: model), so batches are bounded by characters, not documents: at 50,000 characters the same
#: articles peaked at 546 MB instead of 1,100 MB at equal speed (benchmarks/RESULTS.md). A longer
#: document goes alone; one over ``nlp.max_length`` is parsed in paragraph pieces.
PIPE_CHARS = 50_000


def _pipe_bounded(nlp: Any, items: list[tuple[str, int]], *, max_docs: int,
                  max_chars: int = PIPE_CHARS) -> Iterator[tuple[Any, int]]:
    """``nlp.pipe`` over ``(text, key)`` items in groups of at most ``max_chars`` characters and ``max_docs`` texts."""
    from .serialize import prepare_doc

    group: list[tuple[str, int]] = []
    size = 0
    for text, key in [*items, (None, -1)]:
        if group and (text is None or size + len(text) > max_chars or len(group) >= max_docs):
            yield from nlp.pipe(((prepare_doc(nlp, t), k) for t, k in group), as_tuples=True, batch_size=len(group))
            group, size = [], 0
        if text is not None:
            group.append((text, key))
            size += len(text)


def _batch_size(n_docs: int, workers: int) -> int:
    return max(1, min(32, math.ceil(n_docs / (4 * workers))))


def _batches(tasks: list[_Task], size: int) -> Iterator[list[_Task]]:
    for start in range(0, len(tasks), size):
        yield tasks[start:start + size]


def _run_serial(args: tuple, tasks: list[_Task]) -> Iterator[_Result]:
    size = _batch_size(len(tasks), 1)
    for batch in _batches(tasks, size):
        yield from process_batch(*args, batch, size)


def die_with_parent(parent_pid: int, *, poll_seconds: float = 1.0) -> None:
    """Make this (worker) process end when ``parent_pid`` does, so a killed build leaves no worker parsing.

    On Linux the kernel sends SIGKILL when the parent dies (``prctl(PR_SET_PDEATHSIG)``, through
    ctypes because the standard library has no binding); everywhere, a daemon thread also checks
    once a second that the parent is still the parent, and exits otherwise. Hand-written: neither
    :mod:`concurrent.futures` nor :mod:`multiprocessing` ends workers whose parent was killed.
    """
    import threading

    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG = 1
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:  # the parent died before the signal was armed
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(poll_seconds)
        os._exit(1)

    threading.Thread(target=watch, name="textcompare-parent-watch", daemon=True).start()


def _run_pool(args: tuple, tasks: list[_Task], processes: int) -> Iterator[_Result]:
    """Batches on a pool of forked worker processes (the model is loaded once, before forking)."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    from ..nlp import load_nlp

    load_nlp(args[1])
    size = _batch_size(len(tasks), processes)
    source = _batches(tasks, size)
    with ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("fork"),
                             initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
        running = set()
        for batch in source:  # at most two batches in flight per worker
            running.add(pool.submit(process_batch, *args, batch, size))
            if len(running) >= 2 * processes:
                break
        while running:
            done, running = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                yield from future.result()
                batch = next(source, None)
                if batch is not None:
                    running.add(pool.submit(process_batch, *args, batch, size))


def _run_dask(args: tuple, tasks: list[_Task], address: str) -> Iterator[_Result]:
    """Batches on a Dask cluster: ``"local"`` starts a 2-worker LocalCluster; else a scheduler address."""
    import logging

    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if address == "local":
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.ERROR)
    client = Client(cluster if cluster is not None else address)
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        size = _batch_size(len(tasks), workers)
        source = _batches(tasks, size)
        running = as_completed()
        for batch in source:  # at most two batches in flight per worker
            running.add(client.submit(process_batch, *args, batch, size, pure=False))
            if running.count() >= 2 * workers:
                break
        for future in running:
            yield from future.result()
            future.release()
            batch = next(source, None)
            if batch is not None:
                running.add(client.submit(process_batch, *args, batch, size, pure=False))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _write_result(derived: Path, result: _Result) -> None:
    key_file = key_path(derived, result.doc_id)
    if result.parsed:
        key_file.unlink(missing_ok=True)  # no valid key while the entry is rewritten
    for rel, data in result.files.items():
        write_atomic(derived / rel, data)
    write_atomic(key_file, dumps_json(result.key))


def _provenance_bytes(corpus: Any, settings: dict) -> bytes:
    from .. import __version__

    provenance = {
        "manifest_sha256": sha256_bytes(corpus.manifest_path.read_bytes()),
        "documents": list(corpus.ids),
        "model": settings["model"],
        "model_version": settings["model_version"],
        "spacy_version": settings["spacy_version"],
        "textcompare_version": __version__,
    }
    return dumps_json(provenance)


def _provenance_current(corpus: Any, data: bytes) -> bool:
    path = corpus.derived / PROVENANCE
    try:
        return path.is_file() and path.read_bytes() == data
    except OSError:
        return False


def _write_provenance(corpus: Any, settings: dict) -> None:
    data = _provenance_bytes(corpus, settings)
    if not _provenance_current(corpus, data):
        write_atomic(corpus.derived / PROVENANCE, data)


def _up_to_date(corpus: Any, settings: dict, fingerprint: str) -> bool:
    """True when nothing would be written: every entry current, none stale, provenance current.

    Checked without the lock, so a fully built corpus can be read on a read-only file system.
    """
    derived = corpus.derived
    if not derived.is_dir() or cached_ids(derived) - set(corpus.ids):
        return False
    if any(_plan_one(corpus, derived, doc_id, settings, fingerprint, False) is not None for doc_id in corpus.ids):
        return False
    return _provenance_current(corpus, _provenance_bytes(corpus, settings))


def _lock(corpus: Any) -> Any:
    """The build lock, or a clear error when the corpus cannot be written (read-only file system or folder)."""
    from filelock import FileLock

    derived = corpus.derived
    try:
        derived.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(derived / LOCK))
        lock.acquire()
    except OSError as exc:
        raise CorpusError(f"cannot build: {exc.strerror or exc} (the corpus is read-only and not fully built)",
                          path=derived, fix="build it once where it is writable, or copy it to a writable folder "
                                            "and use --corpus COPY") from None
    return lock


def _warn_rebuilt(reasons: list[tuple[str, str]]) -> None:
    for doc_id, reason in reasons[:MAX_WARNED]:
        warnings.warn(f"cache entry of {doc_id!r} rebuilt: {reason}", CacheWarning, stacklevel=3)
    if len(reasons) > MAX_WARNED:
        warnings.warn(f"{len(reasons) - MAX_WARNED} more cache entries rebuilt (stale or corrupt)",
                      CacheWarning, stacklevel=3)


def build_corpus(corpus: Any = None, *, processes: int = 1, force: bool = False, dask: str | None = None,
                 progress: bool = True, model: str | None = None, skip_bad: bool = False) -> BuildSummary:
    """Clean and parse every document whose cache entry is missing, stale or corrupt.

    Writes, per document, ``derived/clean/ID.json``, ``derived/docs/ID.spacy`` and
    ``derived/tables/<table>/ID.parquet``, plus ``derived/provenance.json``. A cached entry is
    reused when the raw file, the cleaning code, the cleaned body and the pipeline (name,
    version, spaCy version, components) all match; a cache hit never runs the model. Stale or
    corrupt entries are rebuilt with a :class:`CacheWarning`; entries of documents no longer
    in the manifest are deleted.

    Parameters
    ----------
    corpus : Corpus, str or path, optional
        The corpus (default ``$TEXTCOMPARE_CORPUS`` or ``./corpus``).
    processes : int
        Worker processes (forked; each cleans, parses with ``nlp.pipe`` and extracts tables).
    force : bool
        Re-clean and re-parse every document.
    dask : str, optional
        ``"local"`` starts a two-worker ``distributed.LocalCluster``; any other value is a
        scheduler address (its workers must see the corpus directory at the same path).
        Overrides ``processes``. Local Dask workers are spawned, so a script calling this
        needs the ``if __name__ == "__main__":`` guard.
    progress : bool
        Show a progress bar on stderr when there is something to parse.
    model : str, optional
        spaCy pipeline name (default: :func:`textcompare.nlp.resolve_model_name`).
    skip_bad : bool
        Build without the documents whose manifest row or raw file cannot be used (each named
        in a :class:`~textcompare.corpus.SkippedDocumentWarning`); default: refuse with one line
        naming the first. See :func:`~textcompare.corpus.load_corpus`.

    Returns
    -------
    BuildSummary

    Examples
    --------
    >>> summary = build_corpus("corpus", progress=False)  # doctest: +SKIP
    >>> summary.to_dict()  # doctest: +SKIP
    {'documents': 2, 'parsed': 0, 'cached': 2, 'seconds': 0.01}
    """
    from ..corpus import load_corpus
    from ..nlp import resolve_model_name

    _check_options(processes, dask)
    started = time.perf_counter()
    corpus = load_corpus(corpus, skip_bad=skip_bad)
    derived = corpus.derived
    model_name = resolve_model_name(model)
    settings = parse_settings(model_name)
    fingerprint = cleaner_fingerprint()
    if not force and _up_to_date(corpus, settings, fingerprint):  # no lock, no write: works read-only
        return BuildSummary(documents=len(corpus.ids), parsed=0, cached=len(corpus.ids),
                            seconds=time.perf_counter() - started)
    lock = _lock(corpus)
    try:
        remove_temporaries(derived)
        removed = sum(remove_entry(derived, doc_id) for doc_id in sorted(cached_ids(derived) - set(corpus.ids)))
        tasks = [task for doc_id in corpus.ids
                 if (task := _plan_one(corpus, derived, doc_id, settings, fingerprint, force)) is not None]
        parsed: list[str] = []
        reasons: list[tuple[str, str]] = []
        if tasks:
            from tqdm import tqdm

            args = (str(corpus.root), model_name, settings, fingerprint)
            if dask is not None:
                results = _run_dask(args, tasks, dask.strip())
            elif processes > 1:
                results = _run_pool(args, tasks, processes)
            else:
                results = _run_serial(args, tasks)
            with tqdm(total=len(tasks), unit="doc", desc="building", file=sys.stderr, disable=not progress) as bar:
                for result in results:
                    _write_result(derived, result)
                    if result.parsed:
                        parsed.append(result.doc_id)
                        if result.reason:
                            reasons.append((result.doc_id, result.reason))
                    bar.update(1)
        _warn_rebuilt(sorted(reasons))
        _write_provenance(corpus, settings)
    finally:
        lock.release()
    return BuildSummary(documents=len(corpus.ids), parsed=len(parsed), cached=len(corpus.ids) - len(parsed),
                        seconds=time.perf_counter() - started, removed=removed,
                        rebuilt=tuple(sorted(doc_id for doc_id, _ in reasons)))
