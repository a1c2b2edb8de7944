"""Adding articles: stored as received, validated first, atomic, safe under kills and concurrency."""
from __future__ import annotations

import hashlib
import io
import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import SEEDS
from textcompare import ingest
from textcompare.corpus import check_corpus, load_corpus
from textcompare.errors import CorpusError, InputError
from textcompare.ingest import add_article, pending_add

ARTICLES = Path(__file__).resolve().parent / "fixtures" / "articles"
HARBOR = ARTICLES / "harbor_bridge.txt"
NO_TITLE = (b"the council voted to borrow money for the bridge, and critics said the state should pay its share "
            b"of the cost of repairs.\n\nsupporters said closing the bridge would push traffic onto residential "
            b"streets, which would be worse for everyone in the area.\n")
NOTHING_LEFT = b"Share this article\n\nSubscribe to our newsletter\n\nFollow us on social\n"
FULL = {"author": "Jane Doe", "outlet": "Example Review", "title": "A Title", "date": "2021-03-03"}


def tree_state(root: Path, *, include_derived: bool = False) -> dict[str, tuple[str, int] | None]:
    """Every file and directory under ``root``: path -> (sha256, mode) for files, None for directories."""
    state: dict[str, tuple[str, int] | None] = {}
    if not root.exists():
        return state
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if not include_derived and (rel == "derived" or rel.startswith("derived/")):
            continue
        if path.is_dir():
            state[rel] = None
        else:
            state[rel] = (hashlib.sha256(path.read_bytes()).hexdigest(), stat.S_IMODE(path.stat().st_mode))
    return state


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- success ---------------------------------------------------------------------------------

def test_add_stores_the_raw_bytes_exactly_and_appends_a_row(corpus_copy: Path) -> None:
    before = (corpus_copy / "manifest.csv").read_text(encoding="utf-8").splitlines()
    data = HARBOR.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    result = add_article(HARBOR, outlet="Example Review", corpus=corpus_copy)

    assert result.doc_id == f"005_{sha[:16]}"  # one more than the highest seed number (004)
    stored = corpus_copy / "raw" / f"{result.doc_id}.txt"
    assert result.path == stored
    assert stored.read_bytes() == data
    assert not os.access(stored, os.W_OK) or os.geteuid() == 0
    assert stat.S_IMODE(stored.stat().st_mode) == 0o444
    corpus = load_corpus(corpus_copy)
    row = corpus.manifest.set_index("id").loc[result.doc_id]
    assert row.to_dict() == {
        "author": "Jane Doe", "outlet": "Example Review",
        "title": "The Harbor Bridge Vote Shows How Cities Borrow Against the Future", "date": "2021-03-03",
        "url": "", "path": f"raw/{result.doc_id}.txt", "sha256": sha, "language": "en",
    }
    after = (corpus_copy / "manifest.csv").read_text(encoding="utf-8").splitlines()
    assert after[:3] == before  # the seed rows are untouched, the new row sorts last
    assert check_corpus(corpus_copy) == []


def test_add_preview_shows_what_cleaning_kept(corpus_copy: Path) -> None:
    result = add_article(HARBOR, outlet="Example Review", corpus=corpus_copy)
    preview = result.preview()
    assert len(result.paragraphs) == 4
    assert "4 paragraphs" in preview
    assert "first:    The city council voted on Tuesday" in preview
    assert "last:     The vote is an illustration" in preview
    assert "byline 1" in preview and "newsletter/subscribe 1" in preview
    assert sum(result.removed_counts().values()) == len(result.cleaned.removed)


def test_explicit_metadata_overrides_what_cleaning_found(corpus_copy: Path) -> None:
    result = add_article(HARBOR, author="unknown", outlet=" Example\nReview ", title="Another Title",
                         date="2021-03-04", url="https://example.org/a", doc_id="harbor-2021", corpus=corpus_copy)
    assert result.doc_id == "harbor-2021"
    row = load_corpus(corpus_copy).manifest.set_index("id").loc["harbor-2021"]
    assert (row["author"], row["outlet"], row["title"], row["date"], row["url"]) == (
        "unknown", "Example Review", "Another Title", "2021-03-04", "https://example.org/a")


def test_cp1252_article_is_stored_as_received_and_reports_its_encoding(corpus_copy: Path) -> None:
    path = ARTICLES / "rail_strike_cp1252.txt"
    result = add_article(path, author="Sam Lee", outlet="Example Review", date="2021-06-01", corpus=corpus_copy)
    assert result.encoding == "cp1252"
    assert result.path.read_bytes() == path.read_bytes()
    assert result.row["title"] == "Rail Workers’ Strike Leaves Commuters Weighing Their Options"


def test_html_article_is_stored_with_an_html_extension(corpus_copy: Path) -> None:
    result = add_article(ARTICLES / "school_meals.html", outlet="Example Review", corpus=corpus_copy)
    assert result.path.suffix == ".html"
    assert (result.row["author"], result.row["date"]) == ("Sam Lee", "2021-05-10")
    assert "<p>" not in result.cleaned.body and "Copyright" not in result.cleaned.body
    assert check_corpus(corpus_copy) == []


def test_bytes_and_stdin_sources_are_sniffed_for_html(corpus_copy: Path, monkeypatch) -> None:
    html = (ARTICLES / "school_meals.html").read_bytes()
    assert add_article(html, outlet="Example Review", corpus=corpus_copy).path.suffix == ".html"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(HARBOR.read_bytes())))
    result = add_article("-", outlet="Example Review", corpus=corpus_copy)
    assert result.path.suffix == ".txt"
    assert result.path.read_bytes() == HARBOR.read_bytes()


@pytest.mark.parametrize("make", [lambda p: p / "new" / "corpus", lambda p: p / "empty"])
def test_add_creates_a_new_corpus_when_the_directory_is_missing_or_empty(tmp_path: Path, make) -> None:
    (tmp_path / "empty").mkdir()
    root = make(tmp_path)
    result = add_article(HARBOR, outlet="Example Review", corpus=root)
    assert result.created_corpus
    assert result.doc_id.startswith("000_")
    corpus = load_corpus(root)
    assert corpus.ids == [result.doc_id]
    assert (root / "manifest.csv").read_text(encoding="utf-8").startswith(
        "id,author,outlet,title,date,url,path,sha256,language\n000_")
    assert check_corpus(corpus) == []


def test_a_non_empty_directory_without_manifest_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("my notes")
    before = tree_state(tmp_path, include_derived=True)
    with pytest.raises(CorpusError, match="no manifest.csv but is not empty"):
        add_article(HARBOR, outlet="Example Review", corpus=tmp_path)
    assert tree_state(tmp_path, include_derived=True) == before


# --- refusals: nothing written ---------------------------------------------------------------

BAD_INPUTS = {
    "empty": (b"", {}, "is empty"),
    "whitespace": (b" \n\t\r\n  \n", {}, "is empty"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), {}, "binary"),
    "undecodable": (bytes(range(0x80, 0x100)) * 3, {}, "cannot decode"),
    "not_english": ((ARTICLES / "german_article.txt").read_bytes(), {}, "not English"),
    "nothing_left": (NOTHING_LEFT, {}, "nothing is left after cleaning"),
    "bad_date": (HARBOR.read_bytes(), {"date": "2021-02-30"}, "invalid date '2021-02-30'"),
    "bad_date_format": (HARBOR.read_bytes(), {"date": "3 March 2021"}, "invalid date"),
    "id_traversal": (HARBOR.read_bytes(), {"doc_id": "../evil"}, "invalid id"),
    "id_separator": (HARBOR.read_bytes(), {"doc_id": "a/b"}, "invalid id"),
    "id_characters": (HARBOR.read_bytes(), {"doc_id": "bad id!"}, "invalid id"),
    "id_clash": (HARBOR.read_bytes(), {"doc_id": sorted(SEEDS)[0]}, "is already used"),
    "no_outlet": (HARBOR.read_bytes(), {"outlet": None}, "no outlet given"),
    "no_author": ((ARTICLES / "library_hours.txt").read_bytes(), {"author": None}, "no author given"),
    "no_title": (NO_TITLE, {"title": None}, "no title given"),
    "no_date": ((ARTICLES / "library_hours.txt").read_bytes(), {"date": None}, "no date given"),
    "duplicate_seed": ((Path(__file__).resolve().parents[1] / "corpus" / "raw" / f"{sorted(SEEDS)[1]}.txt").read_bytes(),
                       {}, f"same content as existing article '{sorted(SEEDS)[1]}'"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_refused_with_a_message_naming_the_file_and_nothing_written(
        case: str, corpus_copy: Path, tmp_path: Path) -> None:
    data, overrides, problem = BAD_INPUTS[case]
    source = _write(tmp_path, f"{case}.txt", data)
    kwargs = {"author": "Jane Doe", "outlet": "Example Review", "title": "A Title", "date": "2021-03-03"}
    kwargs = {k: v for k, v in kwargs.items() if k not in overrides}
    kwargs.update({k: v for k, v in overrides.items() if v is not None})
    before = tree_state(corpus_copy, include_derived=True)
    with pytest.raises(InputError) as info:
        add_article(source, corpus=corpus_copy, **kwargs)
    message = str(info.value)
    assert message.startswith(f"{source}: ") and problem in message and "\n" not in message
    assert tree_state(corpus_copy, include_derived=True) == before


def test_non_english_is_accepted_with_allow_language(corpus_copy: Path) -> None:
    result = add_article(ARTICLES / "german_article.txt", allow_language=True, corpus=corpus_copy, **FULL)
    assert result.row["language"] == "de"


def test_adding_the_same_content_twice_names_the_existing_id(corpus_copy: Path, tmp_path: Path) -> None:
    first = add_article(HARBOR, outlet="Example Review", corpus=corpus_copy)
    before = tree_state(corpus_copy)
    copy = _write(tmp_path, "copy.txt", HARBOR.read_bytes())
    with pytest.raises(InputError, match=f"same content as existing article '{first.doc_id}'"):
        add_article(copy, outlet="Other Outlet", doc_id="other", corpus=corpus_copy)
    assert tree_state(corpus_copy) == before


def test_an_id_clashing_with_an_unlisted_raw_file_is_refused(corpus_copy: Path) -> None:
    (corpus_copy / "raw" / "taken.html").write_text("someone put this here")
    before = tree_state(corpus_copy, include_derived=True)
    with pytest.raises(InputError, match="clashes with existing file"):
        add_article(HARBOR, doc_id="taken", corpus=corpus_copy, outlet="Example Review")
    assert tree_state(corpus_copy, include_derived=True) == before


def test_a_failed_manifest_write_removes_the_raw_file(corpus_copy: Path, monkeypatch) -> None:
    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ingest, "_replace_manifest", fail)
    before = tree_state(corpus_copy)
    with pytest.raises(OSError, match="No space left"):
        add_article(HARBOR, outlet="Example Review", corpus=corpus_copy)
    assert tree_state(corpus_copy) == before
    assert pending_add(corpus_copy) is None
    assert check_corpus(corpus_copy) == []


# --- kills and concurrency (real processes) --------------------------------------------------

KILL_SCRIPT = textwrap.dedent("""
    import sys, time
    import textcompare.ingest as ingest

    hook, source, corpus = sys.argv[1:4]
    original = getattr(ingest, hook)

    def paused(*args, **kwargs):
        print("PAUSED", flush=True)
        time.sleep(120)
        return original(*args, **kwargs)

    setattr(ingest, hook, paused)
    ingest.add_article(source, outlet="Example Review", corpus=corpus)
""")


def _add_and_kill_at(hook: str, corpus: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, hook, str(HARBOR), str(corpus)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.strip() == "PAUSED", proc.stderr.read()
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def test_an_add_killed_before_the_raw_rename_leaves_the_corpus_untouched(corpus_copy: Path) -> None:
    before = tree_state(corpus_copy)
    _add_and_kill_at("_move_into_raw", corpus_copy)
    assert tree_state(corpus_copy) == before  # staging files may remain under derived/ only
    assert check_corpus(corpus_copy) == []
    result = add_article(HARBOR, outlet="Example Review", corpus=corpus_copy)
    assert result.doc_id.startswith("005_")
    assert check_corpus(corpus_copy) == []
    assert not [p for p in (corpus_copy / "derived" / ".staging").iterdir()]


def test_an_add_killed_before_the_manifest_replace_is_rolled_back_by_the_next_add(corpus_copy: Path) -> None:
    manifest = (corpus_copy / "manifest.csv").read_bytes()
    _add_and_kill_at("_replace_manifest", corpus_copy)
    # The manifest is the old one; the only trace is a raw file it does not list, recorded as pending.
    assert (corpus_copy / "manifest.csv").read_bytes() == manifest
    stray = pending_add(corpus_copy)
    assert stray is not None and (corpus_copy / stray).is_file()
    problems = "\n".join(check_corpus(corpus_copy))
    assert "raw file not listed in the manifest" in problems and "interrupted add" in problems
    assert load_corpus(corpus_copy).ids == sorted(SEEDS)  # readers are unaffected

    result = add_article(ARTICLES / "river_cleanup.txt", author="Sam Lee", outlet="Example Review",
                         date="2021-04-01", corpus=corpus_copy)
    assert not (corpus_copy / stray).exists() or stray == f"raw/{result.doc_id}.txt"
    assert load_corpus(corpus_copy).ids == sorted([*SEEDS, result.doc_id])
    assert check_corpus(corpus_copy) == []


def test_concurrent_adds_lose_no_rows(corpus_copy: Path, tmp_path: Path) -> None:
    base = (ARTICLES / "river_cleanup.txt").read_text(encoding="utf-8")
    sources = []
    for i in range(6):
        extra = f"\nThis column first appeared in edition number {i} of the weekend paper.\n"
        sources.append(_write(tmp_path, f"river_{i}.txt", (base + extra).encode("utf-8")))
    code = "import sys; from textcompare.cli import main; sys.exit(main(sys.argv[1:]))"
    procs = [
        subprocess.Popen([sys.executable, "-c", code, "add", str(src), "--author", "Sam Lee", "--outlet",
                          "Example Review", "--date", "2021-04-01", "--corpus", str(corpus_copy)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for src in sources
    ]
    outputs = [proc.communicate(timeout=300) for proc in procs]
    assert [proc.returncode for proc in procs] == [0] * 6, [err for _, err in outputs]
    corpus = load_corpus(corpus_copy)
    assert len(corpus.ids) == 8
    assert sorted(corpus.ids)[2:] == sorted(corpus.ids[2:])
    assert sorted(i[:3] for i in corpus.ids if i not in SEEDS) == [f"{n:03d}" for n in range(5, 11)]
    assert set(corpus.manifest["sha256"]) >= {hashlib.sha256(s.read_bytes()).hexdigest() for s in sources}
    assert check_corpus(corpus) == []
