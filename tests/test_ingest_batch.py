"""Adding in bulk: folders, tables, stdin and URLs in one locked commit, all-or-nothing or --skip-bad."""
from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import http.server
import io
import json
import threading
from pathlib import Path

import pandas as pd
import pytest

from synthetic_articles import article_html, article_text
from test_add import tree_state
from textcompare import ingest
from textcompare.cli import main
from textcompare.corpus import check_corpus, document_groups, load_corpus
from textcompare.errors import InputError
from textcompare.ingest_batch import BatchError, add_articles

ARTICLES = Path(__file__).resolve().parent / "fixtures" / "articles"


def _folder(root: Path, n: int, *, html_every: int = 3, first_seed: int = 1000) -> Path:
    """``n`` distinct articles, every ``html_every``-th as .html, spread over two sub-folders."""
    for k in range(n):
        seed = first_seed + k
        sub = root / ("a" if k % 2 else "b" / Path("deeper"))
        sub.mkdir(parents=True, exist_ok=True)
        if k % html_every == 0:
            (sub / f"page{k:03d}.html").write_text(article_html(seed), encoding="utf-8")
        else:
            (sub / f"page{k:03d}.txt").write_text(article_text(seed), encoding="utf-8")
    return root


def _count_manifest_writes(monkeypatch) -> list[Path]:
    calls: list[Path] = []
    real = ingest._replace_manifest

    def counting(data, path, staging):
        calls.append(path)
        return real(data, path, staging)

    monkeypatch.setattr(ingest, "_replace_manifest", counting)
    return calls


def test_a_folder_of_100_mixed_files_is_added_in_one_manifest_write(corpus_copy: Path, tmp_path: Path,
                                                                     monkeypatch) -> None:
    folder = _folder(tmp_path / "exports", 100)
    (folder / "notes.md").write_text("not an article", encoding="utf-8")
    (folder / ".hidden.txt").write_text(article_text(5), encoding="utf-8")
    writes = _count_manifest_writes(monkeypatch)
    result = add_articles([folder], outlet="Example Review", corpus=corpus_copy, progress=False)
    assert writes == [corpus_copy / "manifest.csv"]
    assert len(result.added) == 100 and (result.summary["status"] == "added").all()
    manifest = load_corpus(corpus_copy).manifest
    assert len(manifest) == 102
    new = manifest[manifest["id"].isin(result.added)]
    assert new["path"].str.endswith(".html").sum() == 34 and new["path"].str.endswith(".txt").sum() == 66
    assert set(new["outlet"]) == {"Example Review"} and set(new["date"]) == {"2021-03-03"}
    for row in new.itertuples(index=False):  # stored exactly as received
        assert hashlib.sha256((corpus_copy / row.path).read_bytes()).hexdigest() == row.sha256
    assert check_corpus(corpus_copy) == []
    numbers = sorted(int(i.split("_")[0]) for i in result.added)
    assert numbers == list(range(numbers[0], numbers[0] + 100))  # ids continue the numbering


def test_a_100_row_csv_is_added_with_mapped_and_custom_columns(corpus_copy: Path, tmp_path: Path, capsys) -> None:
    table = tmp_path / "export.csv"
    with open(table, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["body", "headline", "author", "Source", "date", "region", "ignored col"])
        for k in range(100):
            writer.writerow([article_text(2000 + k), f"Headline {k}", f"Author {k % 7}",
                             "" if k % 10 == 0 else f"Outlet {k % 3}", "2020-01-0" + str(1 + k % 9),
                             "west" if k % 2 else "east", "x"])
    code = main(["add", str(table), "--text-column", "body", "--map", "headline=title", "--map", "Source=outlet",
                 "--map", "ignored col=", "--outlet", "Fallback Outlet", "--set", "batch=b1",
                 "--corpus", str(corpus_copy), "--format", "csv", "--no-progress"])
    out, err = capsys.readouterr()
    assert code == 0, err
    summary = pd.read_csv(io.StringIO(out))
    assert len(summary) == 100 and (summary["status"] == "added").all()
    assert summary["item"].iloc[0] == f"{table}:row 2"
    manifest = load_corpus(corpus_copy).manifest
    new = manifest[manifest["id"].isin(summary["id"])].set_index("title")
    assert list(manifest.columns[-2:]) == ["region", "batch"] or set(manifest.columns[-2:]) == {"region", "batch"}
    assert "ignored col" not in manifest.columns and "body" not in manifest.columns
    assert new.loc["Headline 0", "outlet"] == "Fallback Outlet"  # blank cell: the command-line default
    assert new.loc["Headline 1", "outlet"] == "Outlet 1"          # own value wins over the default
    assert new.loc["Headline 3", "region"] == "west" and new.loc["Headline 4", "region"] == "east"
    assert set(new["batch"]) == {"b1"}
    seeds = manifest[~manifest["id"].isin(summary["id"])]
    assert set(seeds["region"]) == {""}
    with pytest.raises(InputError, match=r"2 article\(s\) have no value .*000_5bbd669c0e0ac039"):
        document_groups(corpus_copy, by="region")


def test_jsonl_rows_and_stdin_are_items(corpus_copy: Path, tmp_path: Path, monkeypatch) -> None:
    lines = tmp_path / "export.jsonl"
    rows = [{"text": article_text(3000 + k), "title": f"J {k}", "outlet": "J Outlet", "wordcount": 100 + k}
            for k in range(3)]
    lines.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(article_text(3100).encode())))
    result = add_articles([lines, "-"], outlet="Default", corpus=corpus_copy, progress=False)
    assert list(result.summary["item"]) == [f"{lines}:line 1", f"{lines}:line 2", f"{lines}:line 3", "<stdin>"]
    manifest = load_corpus(corpus_copy).manifest.set_index("title")
    assert manifest.loc["J 2", "wordcount"] == "102" and manifest.loc["J 2", "outlet"] == "J Outlet"
    assert manifest.loc["Report number 3100 on the city budget", "outlet"] == "Default"


def test_one_bad_item_adds_nothing_and_lists_every_problem(corpus_copy: Path, tmp_path: Path) -> None:
    folder = _folder(tmp_path / "exports", 6)
    (folder / "empty.txt").write_bytes(b"   \n")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02" * 50)
    before = tree_state(corpus_copy, include_derived=True)
    with pytest.raises(BatchError, match=r"2 of 8 item\(s\) refused, nothing added") as info:
        add_articles([folder], outlet="X", corpus=corpus_copy, progress=False)
    summary = info.value.summary.set_index("item")
    assert summary.loc[str(folder / "empty.txt"), "problem"].startswith("is empty")
    assert "binary" in summary.loc[str(folder / "binary.txt"), "problem"]
    assert (summary["status"] == "refused").sum() == 2 and (summary["status"] == "ready").sum() == 6
    assert tree_state(corpus_copy, include_derived=True) == before


def test_skip_bad_adds_the_good_items_and_reports_the_rest(corpus_copy: Path, tmp_path: Path, capsys) -> None:
    folder = _folder(tmp_path / "exports", 4)
    (folder / "empty.txt").write_bytes(b"")
    code = main(["add", str(folder), "--outlet", "X", "--skip-bad", "--corpus", str(corpus_copy), "--no-progress"])
    out, err = capsys.readouterr()
    assert code == 1  # something was refused
    assert "added 4 of 5 article(s); 1 refused" in err
    assert "empty.txt" in out and "refused" in out
    assert len(load_corpus(corpus_copy)) == 6 and check_corpus(corpus_copy) == []


def test_a_batch_error_prints_the_problem_table_then_one_error_line(corpus_copy: Path, tmp_path: Path,
                                                                     capsys) -> None:
    folder = _folder(tmp_path / "exports", 2)
    (folder / "empty.txt").write_bytes(b"")
    code = main(["add", str(folder), "--corpus", str(corpus_copy), "--no-progress", "--format", "csv"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    last = err.strip().splitlines()[-1]
    assert last.startswith("textcompare add: error: 3 of 3 item(s) refused")  # no --outlet: all refused
    assert pd.read_csv(io.StringIO("\n".join(err.strip().splitlines()[:-1])))["problem"].str.len().gt(0).all()


@pytest.mark.parametrize("argv, message", [
    (["--set", "Region=west"], "invalid column name 'Region'"),
    (["--set", "region="], "blank value"),
    (["--set", "title=x"], "standard manifest column"),
    (["--set", "region"], "is not COLUMN=VALUE"),
    (["--map", "nocolon"], "is not COLUMN=FIELD"),
])
def test_bad_set_and_map_options_are_one_line_errors(argv, message, corpus_copy: Path, capsys) -> None:
    before = tree_state(corpus_copy, include_derived=True)
    code = main(["add", str(ARTICLES / "harbor_bridge.txt"), "--outlet", "X", *argv, "--corpus", str(corpus_copy)])
    err = capsys.readouterr().err
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1
    assert tree_state(corpus_copy, include_derived=True) == before


def test_table_problems_name_the_file(tmp_path: Path, corpus_copy: Path) -> None:
    bad_name = tmp_path / "bad.csv"
    bad_name.write_text("text,Region Name\nhello,x\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.csv: column 'Region Name' cannot be a manifest column.*--map"):
        add_articles([bad_name], outlet="X", corpus=corpus_copy, progress=False)
    no_text = tmp_path / "notext.csv"
    no_text.write_text("body,title\nhello,x\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"notext\.csv: no text column .*--text-column"):
        add_articles([no_text], outlet="X", corpus=corpus_copy, progress=False)
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"text": "a"}\n{"text": \n', encoding="utf-8")
    with pytest.raises(InputError, match=r"broken\.jsonl: line 2: invalid JSON"):
        add_articles([broken], outlet="X", corpus=corpus_copy, progress=False)


@pytest.fixture()
def local_site(tmp_path: Path):
    """A web server on 127.0.0.1 serving ``tmp_path / "site"`` (no internet needed)."""
    site = tmp_path / "site"
    site.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_url_is_downloaded_stored_raw_and_given_url_and_fetched(local_site, corpus_copy: Path) -> None:
    site, base = local_site
    page = (ARTICLES / "school_meals.html").read_bytes()
    (site / "meals.html").write_bytes(page)
    result = add_articles([f"{base}/meals.html"], outlet="Example Review", corpus=corpus_copy, progress=False,
                          allow_private_urls=True)
    row = load_corpus(corpus_copy).row(result.added[0])
    assert (corpus_copy / row["path"]).read_bytes() == page and row["path"].endswith(".html")
    assert row["url"] == f"{base}/meals.html"
    assert row["fetched"] == dt.datetime.now(dt.timezone.utc).date().isoformat()
    assert row["title"] == "Free School Meals Deserve a Fair Hearing"


def test_a_failed_download_is_an_error_naming_the_url(local_site, corpus_copy: Path) -> None:
    _, base = local_site
    before = tree_state(corpus_copy, include_derived=True)
    with pytest.raises(InputError, match=r"/missing\.html: download failed: HTTP status 404"):
        add_articles([f"{base}/missing.html"], outlet="X", corpus=corpus_copy, progress=False,
                     allow_private_urls=True)
    assert tree_state(corpus_copy, include_derived=True) == before


def test_private_addresses_are_refused_by_default(local_site, corpus_copy: Path) -> None:
    site, base = local_site
    (site / "meals.html").write_bytes((ARTICLES / "school_meals.html").read_bytes())
    with pytest.raises(InputError, match=r"meals\.html: download failed .*private address"):
        add_articles([f"{base}/meals.html"], outlet="X", corpus=corpus_copy, progress=False)


def test_a_killed_batch_is_rolled_back_by_the_next_add(corpus_copy: Path, tmp_path: Path, monkeypatch) -> None:
    folder = _folder(tmp_path / "exports", 3)
    before = tree_state(corpus_copy)

    def die(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(ingest, "_replace_manifest", die)
    with pytest.raises(KeyboardInterrupt):
        add_articles([folder], outlet="X", corpus=corpus_copy, progress=False)
    assert tree_state(corpus_copy) == before  # the failure path removed the linked raw files
    monkeypatch.undo()
    result = add_articles([folder], outlet="X", corpus=corpus_copy, progress=False)
    assert len(result.added) == 3 and check_corpus(corpus_copy) == []
