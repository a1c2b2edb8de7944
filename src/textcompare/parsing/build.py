"""``build_corpus``: clean and parse what is missing or stale into ``corpus/derived/``.

One pass checks every document's cache entry (no model needed); a second pass parses only the
documents whose entry is missing, stale or corrupt, streaming them through ``nlp.pipe`` (one
or more processes) or a Dask cluster, and writes each document's files as soon as it is parsed,
so at most one batch of parsed docs is held in memory.
"""
from __future__ import annotations

import json
import math
import os
import sys
import time
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from .cache import (LOCK, PROVENANCE, cached_ids, clean_relpath, dumps_json, key_path, parse_relpaths,
                    read_key, remove_entry, remove_temporaries, sha256_bytes, stale_reason, verify_files,
                    write_atomic)
from .settings import cleaner_fingerprint, parse_settings, settings_of

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
class _Pending:
    doc_id: str
    raw_sha256: str
    body_sha256: str
    clean_sha256: str


def _check_options(processes: int, dask: str | None) -> None:
    if isinstance(processes, bool) or not isinstance(processes, int) or processes < 1:
        raise InputError(f"processes must be a positive integer, not {processes!r}", fix="use processes=1 or more")
    if dask is not None and (not isinstance(dask, str) or not dask.strip()):
        raise InputError(f"dask must be 'local' or a scheduler address, not {dask!r}",
                         fix="use dask='local' or dask='tcp://HOST:8786'")


def _plan_one(corpus: Any, derived: Path, doc_id: str, settings: dict, fingerprint: str,
              force: bool) -> tuple[_Pending | None, str | None]:
    """Check one entry: ``(None, None)`` if cached, else ``(pending parse, reason to warn or None)``."""
    from ..corpus import clean_article

    key, problem = (None, None) if force else read_key(derived, doc_id)
    raw_sha = sha256_bytes(corpus.raw_path(doc_id).read_bytes())
    clean_rel = clean_relpath(doc_id)
    clean_sha = body_sha = None
    if key is not None and key.get("raw_sha256") == raw_sha and key.get("cleaner") == fingerprint:
        problem = verify_files(derived, key, [clean_rel])
        if problem is None:
            clean_sha, body_sha = key["files"][clean_rel], key.get("body_sha256")
    clean_bytes = None
    if body_sha is None:
        cleaned = clean_article(corpus, doc_id)
        clean_bytes = dumps_json(cleaned.to_dict())
        clean_sha, body_sha = sha256_bytes(clean_bytes), sha256_bytes(cleaned.body.encode("utf-8"))
    if key is not None and problem is None:
        problem = stale_reason(key, body_sha, settings) or verify_files(derived, key, parse_relpaths(doc_id))
        if problem is None:  # parse still valid; record a re-cleaned (identical) body
            if clean_bytes is not None:
                write_atomic(derived / clean_rel, clean_bytes)
                key = {**key, "raw_sha256": raw_sha, "cleaner": fingerprint,
                       "files": {**key["files"], clean_rel: clean_sha}}
                write_atomic(key_path(derived, doc_id), dumps_json(key))
            return None, None
    key_path(derived, doc_id).unlink(missing_ok=True)  # no valid key while the entry is rewritten
    if clean_bytes is not None:
        write_atomic(derived / clean_rel, clean_bytes)
    return _Pending(doc_id, raw_sha, body_sha, clean_sha), problem


def _bodies(derived: Path, pending: Iterable[_Pending]) -> Iterator[tuple[str, str]]:
    for item in pending:
        body = json.loads((derived / clean_relpath(item.doc_id)).read_bytes())["body"]
        yield item.doc_id, body


def _batch_size(n_docs: int, workers: int) -> int:
    return max(1, min(32, math.ceil(n_docs / (4 * workers))))


def _parse_local(model: str, settings: dict, items: Iterator[tuple[str, str]], n_docs: int,
                 processes: int) -> Iterator[tuple[str, dict[str, bytes]]]:
    from ..nlp import load_nlp
    from .serialize import prepare_doc, serialize_parse

    nlp = load_nlp(model)
    if settings_of(nlp) != settings:
        warnings.warn(f"pipeline {model!r} reports settings that differ from its meta.json; "
                      "its cache entries may be rebuilt on every run", CacheWarning, stacklevel=3)
    docs = ((prepare_doc(nlp, body), doc_id) for doc_id, body in items)
    for doc, doc_id in nlp.pipe(docs, as_tuples=True, n_process=processes,
                                batch_size=_batch_size(n_docs, processes)):
        yield doc_id, serialize_parse(doc, doc_id)


def _parse_dask(model: str, address: str, items: Iterator[tuple[str, str]],
                n_docs: int) -> Iterator[tuple[str, dict[str, bytes]]]:
    import logging

    from distributed import Client, LocalCluster, as_completed

    from .serialize import parse_batch

    cluster = None
    if address == "local":
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.ERROR)
    client = Client(cluster if cluster is not None else address)
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        size = _batch_size(n_docs, workers)

        def batches() -> Iterator[list[tuple[str, str]]]:
            batch: list[tuple[str, str]] = []
            for item in items:
                batch.append(item)
                if len(batch) == size:
                    yield batch
                    batch = []
            if batch:
                yield batch

        source = batches()
        running = as_completed()
        for batch in source:  # at most two batches in flight per worker
            running.add(client.submit(parse_batch, model, batch, size, pure=False))
            if running.count() >= 2 * workers:
                break
        for future in running:
            for result in future.result():
                yield result
            future.release()
            batch = next(source, None)
            if batch is not None:
                running.add(client.submit(parse_batch, model, batch, size, pure=False))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _write_parse(derived: Path, item: _Pending, settings: dict, fingerprint: str, files: dict[str, bytes]) -> None:
    hashes = {clean_relpath(item.doc_id): item.clean_sha256}
    for rel, data in files.items():
        write_atomic(derived / rel, data)
        hashes[rel] = sha256_bytes(data)
    key = {"doc_id": item.doc_id, "raw_sha256": item.raw_sha256, "cleaner": fingerprint,
           "body_sha256": item.body_sha256, "parse": settings, "files": hashes}
    write_atomic(key_path(derived, item.doc_id), dumps_json(key))


def _write_provenance(corpus: Any, settings: dict) -> None:
    from .. import __version__

    provenance = {
        "manifest_sha256": sha256_bytes(corpus.manifest_path.read_bytes()),
        "documents": list(corpus.ids),
        "model": settings["model"],
        "model_version": settings["model_version"],
        "spacy_version": settings["spacy_version"],
        "textcompare_version": __version__,
    }
    path = corpus.derived / PROVENANCE
    data = dumps_json(provenance)
    if not path.is_file() or path.read_bytes() != data:
        write_atomic(path, data)


def _warn_rebuilt(reasons: list[tuple[str, str]]) -> None:
    for doc_id, reason in reasons[:MAX_WARNED]:
        warnings.warn(f"cache entry of {doc_id!r} rebuilt: {reason}", CacheWarning, stacklevel=3)
    if len(reasons) > MAX_WARNED:
        warnings.warn(f"{len(reasons) - MAX_WARNED} more cache entries rebuilt (stale or corrupt)",
                      CacheWarning, stacklevel=3)


def build_corpus(corpus: Any = None, *, processes: int = 1, force: bool = False, dask: str | None = None,
                 progress: bool = True, model: str | None = None) -> BuildSummary:
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
        Worker processes for ``nlp.pipe(..., n_process=processes)``.
    force : bool
        Re-clean and re-parse every document.
    dask : str, optional
        ``"local"`` starts a two-worker ``distributed.LocalCluster`` for the parse; any other
        value is a scheduler address. Overrides ``processes``.
    progress : bool
        Show a progress bar on stderr when there is something to parse.
    model : str, optional
        spaCy pipeline name (default: :func:`textcompare.nlp.resolve_model_name`).

    Returns
    -------
    BuildSummary

    Examples
    --------
    >>> summary = build_corpus("corpus", progress=False)  # doctest: +SKIP
    >>> summary.to_dict()  # doctest: +SKIP
    {'documents': 2, 'parsed': 0, 'cached': 2, 'seconds': 0.01}
    """
    from filelock import FileLock

    from ..corpus import load_corpus
    from ..nlp import resolve_model_name

    _check_options(processes, dask)
    started = time.perf_counter()
    corpus = load_corpus(corpus)
    derived = corpus.derived
    derived.mkdir(parents=True, exist_ok=True)
    model_name = resolve_model_name(model)
    settings = parse_settings(model_name)
    fingerprint = cleaner_fingerprint()
    with FileLock(str(derived / LOCK)):
        remove_temporaries(derived)
        removed = sum(remove_entry(derived, doc_id) for doc_id in sorted(cached_ids(derived) - set(corpus.ids)))
        pending: list[_Pending] = []
        reasons: list[tuple[str, str]] = []
        for doc_id in corpus.ids:
            item, reason = _plan_one(corpus, derived, doc_id, settings, fingerprint, force)
            if item is not None:
                pending.append(item)
                if reason:
                    reasons.append((doc_id, reason))
        _warn_rebuilt(reasons)
        if pending:
            by_id = {item.doc_id: item for item in pending}
            items = _bodies(derived, pending)
            if dask is not None:
                results = _parse_dask(model_name, dask.strip(), items, len(pending))
            else:
                results = _parse_local(model_name, settings, items, len(pending), processes)
            from tqdm import tqdm

            with tqdm(total=len(pending), unit="doc", desc="parsing", file=sys.stderr,
                      disable=not progress) as bar:
                for doc_id, files in results:
                    _write_parse(derived, by_id[doc_id], settings, fingerprint, files)
                    bar.update(1)
        _write_provenance(corpus, settings)
    return BuildSummary(documents=len(corpus.ids), parsed=len(pending), cached=len(corpus.ids) - len(pending),
                        seconds=time.perf_counter() - started, removed=removed,
                        rebuilt=tuple(doc_id for doc_id, _ in reasons))
