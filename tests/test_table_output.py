"""Terminal tables: fitted to the width, numbers right and never cut, text left with an ellipsis."""
from __future__ import annotations

import io

import pandas as pd
import pytest

from textcompare.cli.options import choose_columns, fit_widths, print_table
from textcompare.errors import InputError


def _render(table: pd.DataFrame, width: int, **kwargs) -> list[str]:
    out = io.StringIO()
    print_table(table, "table", out=out, width=width, **kwargs)
    return out.getvalue().splitlines()


TABLE = pd.DataFrame({"group": ["Harbor Post", "Valley Courier"], "doc_id": ["000_425d2d59f9f59650", "004_x"],
                      "per_1k": [1.23456, 123.5], "sentence": ["word " * 80, "short one"]})


@pytest.mark.parametrize("width", [64, 80, 120])
def test_table_fits_the_width_and_keeps_numbers_whole(width):
    lines = _render(TABLE, width)
    assert max(len(line) for line in lines) <= width
    assert "123.5" in lines[3] and "1.235" in lines[2]
    assert "000_425d2d59f9f59650" in lines[2]  # ids are never cut
    assert lines[2].rstrip().endswith("…")  # the long sentence is cut with an ellipsis
    header = lines[0]
    assert header.index("per_1k") + len("per_1k") == lines[3].index("123.5") + len("123.5")  # numbers right-aligned
    assert lines[2].index("Harbor") == 0  # text left-aligned


def test_wrapped_column_keeps_every_word():
    lines = _render(TABLE[["group", "sentence"]], 60, wrap=("sentence",))
    assert max(len(line) for line in lines) <= 60
    assert sum(line.count("word") for line in lines) == 80


def test_too_many_columns_are_dropped_with_a_note():
    wide = pd.DataFrame({f"column_{k}": [10 ** 6 + k] for k in range(12)})
    lines = _render(wide, 60)
    assert max(len(line) for line in lines) <= 60 and "do not fit" in " ".join(lines[-2:])


def test_fit_widths_gives_text_the_room_left_by_numbers():
    widths, dropped = fit_widths([10, 6, 200], [False, True, False], [5, 6, 8], 60)
    assert dropped == 0 and widths[1] == 6 and widths[0] == 10 and sum(widths) + 2 * 2 <= 60


def test_choose_columns_default_explicit_and_unknown():
    assert list(choose_columns(TABLE, "table", None, ["per_1k", "group"]).columns) == ["per_1k", "group"]
    assert list(choose_columns(TABLE, "csv", None, ["per_1k"]).columns) == list(TABLE.columns)  # csv unchanged
    assert list(choose_columns(TABLE, "csv", ["doc_id"], ["per_1k"]).columns) == ["doc_id"]
    with pytest.raises(InputError, match="unknown column"):
        choose_columns(TABLE, "table", ["nope"], None)


def test_csv_is_unchanged():
    out = io.StringIO()
    print_table(TABLE, "csv", out=out)
    assert out.getvalue() == TABLE.to_csv(index=False, lineterminator="\n")


def test_docs_default_columns_match_the_code():
    """docs/columns.md's table of default columns is the set each command prints."""
    import re
    from pathlib import Path

    from textcompare.cli.options import DEFAULT_COLUMNS

    text = (Path(__file__).resolve().parents[1] / "docs" / "columns.md").read_text(encoding="utf-8")
    table = text.split("| command | default columns |", 1)[1].split("\n\n", 1)[0]
    documented = {m.group(1): [c.strip() for c in re.sub(r"\(.*?\)", "", m.group(2)).split(",")]
                  for m in re.finditer(r"^\| ([a-z][a-z -]*?) \| (.+?) \|$", table, re.M)}
    assert documented == DEFAULT_COLUMNS
