"""Near-duplicate articles: the same cleaned body up to whitespace, markup or a few edits.

Two articles are near-duplicates when the Jaccard similarity of their cleaned bodies' word
5-gram shingles is at least :data:`NEAR_DUPLICATE_JACCARD` (0.9). Comparing on the *cleaned*
body catches the same piece saved as ``.txt`` and as ``.html``, or with extra blank lines.

How: a MinHash signature per body (:class:`datasketch.MinHash`, 128 permutations, fixed seed)
finds candidates cheaply (estimated Jaccard ≥ :data:`CANDIDATE_JACCARD`, vectorised over the whole
corpus with numpy); every candidate is then confirmed with the exact shingle Jaccard, so the
0.9 threshold is exact, not an estimate. Within-corpus pairs (``check``) use
:class:`datasketch.MinHashLSH` to avoid comparing all pairs.

Stored bodies come from the build's cleaned-text cache when it is valid, else are cleaned again.
Signatures of stored articles are cached in ``derived/near_duplicates.npz`` (ids, raw sha256,
signatures, cleaner fingerprint). The cache is untrusted: a file that does not load with the
expected arrays, or rows whose sha256 or fingerprint do not match, are recomputed.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from .corpus import Corpus

NEAR_DUPLICATE_JACCARD = 0.9
CANDIDATE_JACCARD = 0.7
SHINGLE_WORDS = 5
NUM_PERM = 128
SEED = 1
SCHEME = "affine32"  # datasketch's hashing scheme, pinned so cached signatures stay comparable
CACHE_NAME = "near_duplicates.npz"
MAX_CACHE_BYTES = 256 * 2**20
PAIR_COLUMNS = ["doc_id", "other_id", "jaccard"]

_WORD = re.compile(r"\w+", re.UNICODE)


def extract_shingles(body: str, *, size: int = SHINGLE_WORDS) -> set[str]:
    """Word ``size``-grams of ``body``, lower-cased, punctuation and whitespace ignored.

    A body shorter than ``size`` words gives one shingle (all its words).
    """
    words = [w.casefold() for w in _WORD.findall(body)]
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def score_jaccard(a: set[str], b: set[str]) -> float:
    """Exact Jaccard similarity of two shingle sets (0.0 when both are empty)."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def build_signature(shingles: Iterable[str]) -> np.ndarray:
    """The MinHash signature (``NUM_PERM`` uint64 values, seed :data:`SEED`) of a shingle set."""
    from datasketch import MinHash

    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    minhash.update_batch([s.encode("utf-8") for s in shingles])
    return minhash.hashvalues.astype(np.uint64)


@dataclass
class Signatures:
    """Signatures of stored articles: ``ids[i]`` has raw sha256 ``sha256[i]`` and row ``matrix[i]``."""

    ids: list[str]
    sha256: list[str]
    matrix: np.ndarray

    def candidates(self, signature: np.ndarray, *, threshold: float = CANDIDATE_JACCARD) -> list[str]:
        """Ids whose estimated Jaccard with ``signature`` is at least ``threshold``."""
        if not self.ids:
            return []
        estimate = (self.matrix == signature[None, :]).mean(axis=1)
        return [self.ids[i] for i in np.flatnonzero(estimate >= threshold)]


def load_body(corpus: Corpus, doc_id: str, sha256: str) -> str:
    """The cleaned body of a stored article: from the build's ``derived/clean/ID.json`` when its
    cache key matches (same raw sha256 and cleaner, file checksum verified), else cleaned now."""
    import json

    from .corpus import clean_article
    from .parsing.cache import clean_relpath, read_key, verify_files
    from .parsing.settings import cleaner_fingerprint

    derived = corpus.derived
    key, _ = read_key(derived, doc_id)
    if (key is not None and key.get("raw_sha256") == sha256 and key.get("cleaner") == cleaner_fingerprint()
            and verify_files(derived, key, [clean_relpath(doc_id)]) is None):
        try:
            path = derived / clean_relpath(doc_id)
            if path.stat().st_size <= MAX_CACHE_BYTES:
                body = json.loads(path.read_bytes()).get("body")
                if isinstance(body, str):
                    return body
        except (OSError, ValueError, AttributeError):
            pass
    return clean_article(corpus, doc_id).body


def _fingerprint() -> str:
    from .parsing.settings import cleaner_fingerprint

    return f"{cleaner_fingerprint()}:{SCHEME}:{NUM_PERM}:{SEED}:{SHINGLE_WORDS}"


def _read_cache(path: Path, fingerprint: str) -> dict[str, tuple[str, np.ndarray]]:
    """``id -> (sha256, signature)`` from the cache; empty when missing, stale or malformed."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_CACHE_BYTES:
            return {}
        with np.load(path, allow_pickle=False) as data:
            if str(data["fingerprint"]) != fingerprint:
                return {}
            ids, shas, matrix = data["ids"], data["sha256"], data["signatures"]
            if (ids.ndim != 1 or shas.shape != ids.shape or matrix.dtype != np.uint64
                    or matrix.shape != (len(ids), NUM_PERM)):
                return {}
            return {str(i): (str(s), matrix[k].copy()) for k, (i, s) in enumerate(zip(ids, shas))}
    except (OSError, ValueError, KeyError, TypeError, EOFError):
        return {}


def save_signatures(derived: Path, signatures: Signatures) -> None:
    """Write the signature cache atomically (derived data: no fsync)."""
    import io

    from .fileio import atomic_write_bytes

    buffer = io.BytesIO()
    np.savez(buffer, fingerprint=np.array(_fingerprint()), ids=np.array(signatures.ids, dtype=str),
             sha256=np.array(signatures.sha256, dtype=str),
             signatures=signatures.matrix.astype(np.uint64).reshape(len(signatures.ids), NUM_PERM))
    derived.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(derived / CACHE_NAME, buffer.getvalue(), durable=False)


def load_signatures(corpus: Corpus | str | os.PathLike[str] | None = None, *, save: bool = False) -> Signatures:
    """Signatures of every stored article, from the cache where valid, else cleaned and hashed.

    ``save=True`` writes the cache back when something was recomputed (callers that must leave
    the corpus untouched on failure pass it only after their own commit).
    """
    from .corpus import load_corpus
    from .errors import TextcompareError

    corpus = load_corpus(corpus)
    cached = _read_cache(corpus.derived / CACHE_NAME, _fingerprint())
    ids, shas, rows, changed = [], [], [], False
    for row in corpus.manifest.itertuples(index=False):
        hit = cached.get(row.id)
        if hit is not None and hit[0] == row.sha256:
            signature = hit[1]
        else:
            changed = True
            try:
                signature = build_signature(extract_shingles(load_body(corpus, row.id, row.sha256)))
            except TextcompareError:
                continue  # unreadable raw file: `check` reports it
        ids.append(row.id)
        shas.append(row.sha256)
        rows.append(signature)
    changed = changed or len(cached) != len(ids)
    matrix = np.vstack(rows) if rows else np.zeros((0, NUM_PERM), dtype=np.uint64)
    signatures = Signatures(ids, shas, matrix)
    if save and changed:
        try:
            save_signatures(corpus.derived, signatures)
        except OSError:
            pass  # a read-only corpus still works; the cache is only a speed-up
    return signatures


def find_near_duplicate(body: str, corpus: Corpus, signatures: Signatures, *,
                        threshold: float = NEAR_DUPLICATE_JACCARD, shingles: set[str] | None = None,
                        signature: np.ndarray | None = None) -> tuple[str, float] | None:
    """The stored article most similar to ``body`` if its exact Jaccard is ≥ ``threshold``.

    ``shingles`` and ``signature`` of ``body`` may be passed when already computed.
    """
    shingles = extract_shingles(body) if shingles is None else shingles
    signature = build_signature(shingles) if signature is None else signature
    best: tuple[str, float] | None = None
    sha = dict(zip(signatures.ids, signatures.sha256))
    for doc_id in signatures.candidates(signature):
        score = score_jaccard(shingles, extract_shingles(load_body(corpus, doc_id, sha[doc_id])))
        if score >= threshold and (best is None or score > best[1]):
            best = (doc_id, score)
    return best


def find_near_duplicates(corpus: Corpus | str | os.PathLike[str] | None = None, *,
                         threshold: float = NEAR_DUPLICATE_JACCARD) -> pd.DataFrame:
    """Pairs of stored articles whose cleaned bodies are near-duplicates.

    Returns
    -------
    pandas.DataFrame
        ``doc_id, other_id, jaccard`` (exact shingle Jaccard, rounded to 4 places), one row per
        pair with ``doc_id < other_id``, sorted.
    """
    from datasketch import MinHash, MinHashLSH

    from .corpus import load_corpus

    corpus = load_corpus(corpus)
    signatures = load_signatures(corpus)
    sha = dict(zip(signatures.ids, signatures.sha256))
    def minhash(k: int) -> MinHash:  # made when needed, not kept: each carries its own permutation arrays
        return MinHash(num_perm=NUM_PERM, seed=SEED, hashvalues=signatures.matrix[k], scheme=SCHEME)

    lsh = MinHashLSH(threshold=CANDIDATE_JACCARD, num_perm=NUM_PERM)
    for k, doc_id in enumerate(signatures.ids):
        lsh.insert(doc_id, minhash(k))
    shingles: dict[str, set[str]] = {}

    def shingles_of(doc_id: str) -> set[str]:
        if doc_id not in shingles:
            shingles[doc_id] = extract_shingles(load_body(corpus, doc_id, sha[doc_id]))
        return shingles[doc_id]

    rows = []
    for k, doc_id in enumerate(signatures.ids):
        for other in sorted(lsh.query(minhash(k))):
            if other <= doc_id:
                continue
            score = score_jaccard(shingles_of(doc_id), shingles_of(other))
            if score >= threshold:
                rows.append({"doc_id": doc_id, "other_id": other, "jaccard": round(score, 4)})
    table = pd.DataFrame(rows, columns=PAIR_COLUMNS)
    return table.sort_values(["doc_id", "other_id"], kind="stable").reset_index(drop=True)


__all__ = [
    "NEAR_DUPLICATE_JACCARD", "Signatures", "extract_shingles", "score_jaccard", "build_signature",
    "load_signatures", "save_signatures", "find_near_duplicate", "find_near_duplicates",
]
