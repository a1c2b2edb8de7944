"""Near-duplicates: shingle Jaccard on the cleaned body, across .txt/.html and whitespace variants."""
from __future__ import annotations

import itertools
import random
from pathlib import Path

import numpy as np
import pytest

from synthetic_articles import article_body, article_html, article_text
from textcompare.cli import main
from textcompare.errors import InputError
from textcompare.ingest_batch import BatchError, add_articles
from textcompare.near_duplicates import (
    CACHE_NAME, build_signature, extract_shingles, find_near_duplicates, load_signatures, score_jaccard,
)


def _add(corpus: Path, *sources, **options):
    return add_articles(list(sources), outlet="Example Review", corpus=corpus, progress=False, **options)


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_shingles_and_jaccard_on_a_hand_checked_example() -> None:
    a = extract_shingles("One two three four five six.", size=5)
    b = extract_shingles("one  TWO three, four five seven", size=5)
    assert a == {"one two three four five", "two three four five six"}
    assert b == {"one two three four five", "two three four five seven"}
    assert score_jaccard(a, b) == pytest.approx(1 / 3)
    assert extract_shingles("too short", size=5) == {"too short"}
    assert score_jaccard(set(), set()) == 0.0


def test_minhash_estimate_tracks_the_exact_jaccard() -> None:
    base = extract_shingles(" ".join(article_body(1)))
    rng = random.Random(0)
    for keep in (1.0, 0.95, 0.8, 0.5):
        other = {s for s in base if rng.random() < keep}
        exact = score_jaccard(base, other)
        estimate = float((build_signature(base) == build_signature(other)).mean())
        assert abs(estimate - exact) < 0.12, (keep, exact, estimate)


def test_a_whitespace_variant_is_refused_with_the_existing_id(corpus_copy: Path, tmp_path: Path) -> None:
    first = _add(corpus_copy, _write(tmp_path, "a.txt", article_text(7))).added[0]
    variant = article_text(7).replace("\n\n", "\n\n\n").replace(". ", ".  ") + "\n\n\n"
    with pytest.raises(InputError, match=rf"b\.txt: near-duplicate of existing article '{first}' \(Jaccard 1\.00"):
        _add(corpus_copy, _write(tmp_path, "b.txt", variant))


def test_the_same_article_as_html_is_a_near_duplicate_of_the_text(corpus_copy: Path, tmp_path: Path) -> None:
    first = _add(corpus_copy, _write(tmp_path, "a.txt", article_text(8))).added[0]
    with pytest.raises(InputError, match=rf"near-duplicate of existing article '{first}'"):
        _add(corpus_copy, _write(tmp_path, "a.html", article_html(8)))


def test_allow_duplicate_accepts_it_and_check_lists_the_pair(corpus_copy: Path, tmp_path: Path, capsys) -> None:
    first = _add(corpus_copy, _write(tmp_path, "a.txt", article_text(9))).added[0]
    second = _add(corpus_copy, _write(tmp_path, "a.html", article_html(9)), allow_duplicate=True).added[0]
    _add(corpus_copy, _write(tmp_path, "c.txt", article_text(10)))
    pairs = find_near_duplicates(corpus_copy)
    assert pairs.to_dict("records") == [{"doc_id": first, "other_id": second, "jaccard": 1.0}]
    assert main(["check", "--corpus", str(corpus_copy)]) == 1
    out = capsys.readouterr().out
    assert f"{first!r} and {second!r} are near-duplicates" in out


def test_an_edited_article_below_the_threshold_is_not_a_near_duplicate(corpus_copy: Path, tmp_path: Path) -> None:
    """Replacing whole paragraphs drops the exact Jaccard below 0.9: accepted, and not listed by check."""
    _add(corpus_copy, _write(tmp_path, "a.txt", article_text(11)))
    original = article_text(11).split("\n\n")
    edited = original[:4] + article_body(99, paragraphs=2) + original[6:]  # two of four paragraphs replaced
    body_a = "\n\n".join(original[3:])
    body_b = "\n\n".join(edited[3:])
    assert score_jaccard(extract_shingles(body_a), extract_shingles(body_b)) < 0.9
    _add(corpus_copy, _write(tmp_path, "b.txt", "\n\n".join(edited)))
    assert find_near_duplicates(corpus_copy).empty


def test_near_duplicates_within_one_batch_are_refused(corpus_copy: Path, tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    _write(folder, "a.txt", article_text(12))
    _write(folder, "b.html", article_html(12))
    _write(folder, "c.txt", article_text(13))
    with pytest.raises(BatchError, match="1 of 3") as info:
        _add(corpus_copy, folder)
    problem = info.value.summary.set_index("item").loc[str(folder / "b.html"), "problem"]
    assert problem.startswith(f"near-duplicate of batch item {folder / 'a.txt'}")


def test_distinct_articles_are_never_paired() -> None:
    shingles = [extract_shingles(" ".join(article_body(seed))) for seed in range(20)]
    scores = [score_jaccard(a, b) for a, b in itertools.combinations(shingles, 2)]
    assert max(scores) < 0.05


def test_a_corrupt_signature_cache_is_ignored_and_rewritten(corpus_copy: Path, tmp_path: Path) -> None:
    first = _add(corpus_copy, _write(tmp_path, "a.txt", article_text(14))).added[0]
    cache = corpus_copy / "derived" / CACHE_NAME
    assert cache.is_file()
    cache.write_bytes(b"not a numpy file")
    signatures = load_signatures(corpus_copy, save=True)
    assert first in signatures.ids and signatures.matrix.shape == (3, 128)
    with np.load(cache, allow_pickle=False) as data:
        assert sorted(data["ids"].tolist()) == sorted(signatures.ids)
    with pytest.raises(InputError, match=rf"'{first}'"):
        _add(corpus_copy, _write(tmp_path, "b.html", article_html(14)))


def test_stored_bodies_come_from_a_valid_build_cache_only(corpus_copy: Path) -> None:
    import hashlib
    import json

    from textcompare.corpus import clean_article, load_corpus
    from textcompare.near_duplicates import load_body
    from textcompare.parsing.settings import cleaner_fingerprint

    corpus = load_corpus(corpus_copy)
    doc_id, sha = corpus.ids[0], corpus.manifest["sha256"].iloc[0]
    clean = corpus_copy / "derived" / "clean" / f"{doc_id}.json"
    clean.parent.mkdir(parents=True)
    clean.write_bytes(json.dumps({"body": "the cached body"}).encode())
    key = {"raw_sha256": sha, "cleaner": cleaner_fingerprint(),
           "files": {f"clean/{doc_id}.json": hashlib.sha256(clean.read_bytes()).hexdigest()}}
    (corpus_copy / "derived" / "keys").mkdir()
    (corpus_copy / "derived" / "keys" / f"{doc_id}.json").write_text(json.dumps(key))
    assert load_body(corpus, doc_id, sha) == "the cached body"
    real = clean_article(corpus, doc_id).body
    assert load_body(corpus, doc_id, "0" * 64) == real  # raw file changed since the build
    clean.write_bytes(json.dumps({"body": "tampered"}).encode())
    assert load_body(corpus, doc_id, sha) == real  # checksum mismatch


def test_the_library_add_article_refuses_a_near_duplicate_too(corpus_copy: Path, tmp_path: Path) -> None:
    from textcompare.ingest import add_article

    first = _add(corpus_copy, _write(tmp_path, "a.txt", article_text(9))).added[0]
    variant = _write(tmp_path, "b.txt", article_text(9).replace("\n\n", "\n\n\n") + "\n")
    before = sorted((p.name, p.read_bytes()) for p in (corpus_copy / "raw").iterdir())
    with pytest.raises(InputError, match=rf"b\.txt: near-duplicate of existing article '{first}'"):
        add_article(variant, outlet="Example Review", corpus=corpus_copy)
    assert sorted((p.name, p.read_bytes()) for p in (corpus_copy / "raw").iterdir()) == before
    result = add_article(variant, outlet="Example Review", corpus=corpus_copy, allow_duplicate=True)
    assert result.doc_id != first
