"""The on-disk cache in ``corpus/derived/``: layout, cache keys, verification, atomic writes.

Layout (every file per document, so documents are added, rebuilt and removed one at a time)::

    derived/
      clean/ID.json                 cleaned text (CleanedText.to_dict())
      docs/ID.spacy                 parsed doc (DocBin with one doc)
      tables/<table>/ID.parquet     tokens, sentences, noun_chunks, entities
      keys/ID.json                  cache key of the entry + sha256 of each file above
      provenance.json               manifest hash, documents, model, versions

A key records what the entry was built from: the raw file's sha256 and a fingerprint of the
cleaning code (for ``clean/``), and sha256 of the cleaned body plus the parse settings (model,
model version, spaCy version, pipeline, table version) for ``docs/`` and ``tables/``. Each file's
sha256 is recorded too, so a truncated or altered file is detected without deserialising it.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ..fileio import atomic_write_bytes
from .tables import TABLE_NAMES

CLEAN_DIR = "clean"
DOCS_DIR = "docs"
TABLES_DIR = "tables"
KEYS_DIR = "keys"
PROVENANCE = "provenance.json"
LOCK = ".build.lock"
_SUFFIXES = (".json", ".spacy", ".parquet")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    return sha256_bytes(path.read_bytes())


def clean_relpath(doc_id: str) -> str:
    return f"{CLEAN_DIR}/{doc_id}.json"


def doc_relpath(doc_id: str) -> str:
    return f"{DOCS_DIR}/{doc_id}.spacy"


def table_relpath(table: str, doc_id: str) -> str:
    return f"{TABLES_DIR}/{table}/{doc_id}.parquet"


def parse_relpaths(doc_id: str) -> list[str]:
    """The files a parse produces for one document (DocBin and the four tables)."""
    return [doc_relpath(doc_id)] + [table_relpath(name, doc_id) for name in TABLE_NAMES]


def key_path(derived: Path, doc_id: str) -> Path:
    return derived / KEYS_DIR / f"{doc_id}.json"


def write_atomic(path: Path, data: bytes) -> None:
    """Write a derived file atomically (no fsync: derived data is rebuildable)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, data, durable=False)


def dumps_json(value: Any) -> bytes:
    """Stable JSON bytes (sorted keys, UTF-8, trailing newline)."""
    return (json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def read_key(derived: Path, doc_id: str) -> tuple[dict | None, str | None]:
    """The stored key of one document: ``(key, None)``, ``(None, None)`` if absent, ``(None, problem)`` if unreadable."""
    path = key_path(derived, doc_id)
    try:
        key = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None, None
    except (OSError, ValueError) as exc:
        return None, f"unreadable cache key ({type(exc).__name__})"
    if not isinstance(key, dict) or not isinstance(key.get("files"), dict):
        return None, "malformed cache key"
    return key, None


def verify_files(derived: Path, key: dict, relpaths: list[str]) -> str | None:
    """None when every file exists with the sha256 recorded in ``key``, else the first problem."""
    files = key.get("files", {})
    for rel in relpaths:
        expected = files.get(rel)
        if expected is None:
            return f"{rel} not recorded in its cache key"
        try:
            actual = sha256_file(derived / rel)
        except FileNotFoundError:
            return f"{rel} is missing"
        except OSError as exc:
            return f"{rel} is unreadable ({exc.strerror})"
        if actual != expected:
            return f"{rel} is corrupt (checksum mismatch)"
    return None


def stale_reason(key: dict, body_sha256: str, settings: dict) -> str | None:
    """Why the parse cached under ``key`` no longer matches, or None when it does."""
    if key.get("body_sha256") != body_sha256:
        return "cleaned text changed"
    old = key.get("parse") or {}
    for field, label in (("model", "model changed"), ("model_version", "model version changed"),
                         ("spacy_version", "spaCy version changed")):
        if old.get(field) != settings.get(field):
            return f"{label} ({old.get(field)} -> {settings.get(field)})"
    if old != settings:
        return "pipeline settings changed"
    return None


def remove_entry(derived: Path, doc_id: str) -> bool:
    """Delete every derived file of one document; True when something was deleted."""
    removed = False
    for rel in [f"{KEYS_DIR}/{doc_id}.json", clean_relpath(doc_id), *parse_relpaths(doc_id)]:
        try:
            (derived / rel).unlink()
            removed = True
        except FileNotFoundError:
            pass
    return removed


def cached_ids(derived: Path) -> set[str]:
    """Ids that have any derived file (keys, clean text, docs or tables)."""
    found: set[str] = set()
    folders = [derived / KEYS_DIR, derived / CLEAN_DIR, derived / DOCS_DIR]
    folders += [derived / TABLES_DIR / name for name in TABLE_NAMES]
    for folder in folders:
        if folder.is_dir():
            for entry in folder.iterdir():
                if entry.is_file() and not entry.name.startswith(".") and entry.suffix in _SUFFIXES:
                    found.add(entry.name[: -len(entry.suffix)])
    return found


def remove_temporaries(derived: Path) -> None:
    """Delete temporary files left behind by an interrupted write."""
    for folder in [derived / KEYS_DIR, derived / CLEAN_DIR, derived / DOCS_DIR,
                   *(derived / TABLES_DIR / name for name in TABLE_NAMES)]:
        if folder.is_dir():
            for entry in folder.glob(".*.tmp"):
                entry.unlink(missing_ok=True)
