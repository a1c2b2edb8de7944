"""Coding sheets: a blind, stratified sample of sentences to code by hand, and reading it back.

A sheet is a plain CSV that opens in any spreadsheet: ``sent_key, doc_id, group, sentence,
before, after``, one 0/1 column per frame id, then ``coder``. It holds no prediction (blind
coding). Its provenance (corpus manifest hash, codebook and tagger versions, seed, design) is
written next to it as ``<sheet>.meta.json``: a comment row above the header would break
spreadsheets and ``pandas.read_csv``.

A row counts as coded when ``coder`` is filled in; its empty frame cells then mean 0.
"""
from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ..fileio import atomic_write_bytes

BASE_COLUMNS = ["sent_key", "doc_id", "group", "sentence", "before", "after"]
CODER_COLUMN = "coder"
META_SUFFIX = ".meta.json"
MAX_SHEET_BYTES = 50_000_000
NO_FRAME = "(none)"


def read_sheet_csv(path: str | Path, *, what: str = "coding sheet",
                   fix: str | None = "create one with `textcompare sample --out FILE`",
                   nrows: int | None = None) -> pd.DataFrame:
    """A CSV file of the coding loop (sheet, codes file) as strings: a regular file of at most
    ``MAX_SHEET_BYTES``, UTF-8 (a BOM is dropped).

    Raises
    ------
    InputError
        Missing (``fix`` says how to make one), too large, or not a readable UTF-8 CSV.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{what} not found", path=path, fix=fix)
    if path.stat().st_size > MAX_SHEET_BYTES:
        raise InputError(f"{what} larger than {MAX_SHEET_BYTES // 1_000_000} MB", path=path)
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", nrows=nrows)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"not a readable UTF-8 CSV ({type(exc).__name__})", path=path,
                         fix="save the sheet as CSV UTF-8 from your spreadsheet") from exc


def sheet_columns(frames: list[str]) -> list[str]:
    """The columns of a coding sheet for these frame ids."""
    return [*BASE_COLUMNS, *frames, CODER_COLUMN]


def make_sent_key(doc_id: str, sent_id: int) -> str:
    """The key of a sentence in sheets: ``doc_id:sent_id``."""
    return f"{doc_id}:{int(sent_id)}"


def split_sent_key(key: str) -> tuple[str, int]:
    """Inverse of :func:`make_sent_key`."""
    doc_id, _, number = str(key).rpartition(":")
    if not doc_id or not number.isdigit():
        raise InputError(f"bad sent_key {key!r}", fix="sent_key is doc_id:sent_id, as `textcompare sample` writes it")
    return doc_id, int(number)


def sample_strata(predicted: pd.DataFrame, frames: list[str]) -> pd.Series:
    """Sampling stratum of each sentence: its rarest predicted frame (corpus-wide), or ``(none)``.

    Stratifying on the rarest predicted frame puts every frame the tagger ever predicts into the
    sample even when it is rare; the same function is re-applied when the sample is weighted.
    """
    matrix = predicted[frames].to_numpy(int)
    totals = matrix.sum(axis=0)
    order = sorted(range(len(frames)), key=lambda k: (totals[k], k))
    strata = np.full(len(predicted), NO_FRAME, dtype=object)
    for k in reversed(order):  # rarest frame written last wins
        strata[matrix[:, k] == 1] = frames[k]
    return pd.Series(strata, index=predicted.index, name="stratum")


def allocate(sizes: dict[Any, int], n: int) -> dict[Any, int]:
    """Split ``n`` draws over strata: equal shares first (rare strata filled), the rest in proportion to size.

    Hand-written because the rule is two lines and no library states it this way; every stratum
    gets at most its size.
    """
    left = min(n, sum(sizes.values()))
    take = {k: 0 for k in sizes}
    keys = sorted(sizes, key=str)
    while left > 0:
        open_ = [k for k in keys if take[k] < sizes[k]]
        share = max(1, left // (2 * len(open_))) if left >= len(open_) else 1
        for k in open_:
            if left == 0:
                break
            add = min(share, sizes[k] - take[k], left)
            take[k] += add
            left -= add
    return take


def build_sample_sheet(sentences: pd.DataFrame, predicted: pd.DataFrame, groups: pd.Series, *, n: int = 200,
                       seed: int = 0, frames: list[str]) -> pd.DataFrame:
    """A blind coding sheet: ``n`` sentences stratified by group and by predicted frame.

    Parameters
    ----------
    sentences : DataFrame
        doc_id, sent_id, sentence of every sentence in the corpus, in text order.
    predicted : DataFrame
        doc_id, sent_id and one 0/1 column per frame (the tagger's predictions; used only to
        stratify, never written to the sheet).
    groups : Series
        doc_id -> group label.
    n : int
        Sentences to draw; split equally over groups, then over strata within each group.
    seed : int
        Seed of the draw and of the row order.
    frames : list of str
        Frame ids (one empty column each).

    Returns
    -------
    DataFrame with :func:`sheet_columns`, rows in random order (so coders do not read the sample
    as a text), frame and coder cells empty.
    """
    if n < 1:
        raise InputError(f"--n must be at least 1 (got {n})")
    table = sentences[["doc_id", "sent_id", "sentence"]].reset_index(drop=True).copy()
    table["before"] = table.groupby("doc_id")["sentence"].shift(1).fillna("")
    table["after"] = table.groupby("doc_id")["sentence"].shift(-1).fillna("")
    table["group"] = table["doc_id"].map(groups).astype(str)
    keyed = table.merge(predicted[["doc_id", "sent_id", *frames]], on=["doc_id", "sent_id"], how="left")
    keyed[frames] = keyed[frames].fillna(0).astype(int)
    keyed["stratum"] = sample_strata(keyed, frames)
    rng = np.random.default_rng(seed)
    group_sizes = keyed.groupby("group").size().to_dict()
    per_group = allocate(group_sizes, n)
    chosen = []
    for group in sorted(per_group):
        part = keyed[keyed["group"] == group]
        sizes = part.groupby("stratum").size().to_dict()
        for stratum, k in sorted(allocate(sizes, per_group[group]).items(), key=lambda kv: str(kv[0])):
            rows = part.index[part["stratum"] == stratum].to_numpy()
            chosen.extend(rng.choice(rows, size=k, replace=False).tolist())
    sample = keyed.loc[chosen]
    sample = sample.iloc[rng.permutation(len(sample))]
    out = pd.DataFrame({
        "sent_key": [make_sent_key(d, s) for d, s in zip(sample["doc_id"], sample["sent_id"])],
        "doc_id": sample["doc_id"].to_numpy(), "group": sample["group"].to_numpy(),
        "sentence": sample["sentence"].to_numpy(), "before": sample["before"].to_numpy(),
        "after": sample["after"].to_numpy(),
    })
    for frame in frames:
        out[frame] = ""
    out[CODER_COLUMN] = ""
    return out[sheet_columns(frames)].reset_index(drop=True)


def table_version(table: pd.DataFrame) -> str:
    """First 12 hex digits of the SHA-256 of a table's CSV: a version that changes with any edit."""
    return hashlib.sha256(table.to_csv(index=False, lineterminator="\n").encode()).hexdigest()[:12]


def meta_path(path: str | Path) -> Path:
    """Where a sheet's provenance lives: ``<sheet>.meta.json``."""
    path = Path(path)
    return path.with_name(path.name + META_SUFFIX)


def save_sheet(sheet: pd.DataFrame, path: str | Path, *, meta: dict[str, Any] | None = None) -> Path:
    """Write a sheet (and its ``.meta.json`` when ``meta`` is given) atomically: a reader or a crash
    sees the old file or the new one, never half of one."""
    path = Path(path)
    if path.exists() and path.is_dir():
        raise InputError("is a directory", path=path, fix="give a file name such as sheet.csv")
    buffer = io.StringIO()
    sheet.to_csv(buffer, index=False, lineterminator="\n")
    atomic_write_bytes(path, buffer.getvalue().encode("utf-8"), durable=True)
    if meta is not None:
        text = json.dumps(meta, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        atomic_write_bytes(meta_path(path), text.encode("utf-8"), durable=True)
    return path


def load_sheet_meta(path: str | Path) -> dict[str, Any]:
    """A sheet's provenance (empty when the sidecar is missing)."""
    side = meta_path(path)
    if not side.exists():
        return {}
    if side.stat().st_size > 1_000_000:
        raise InputError("provenance file too large", path=side, fix="regenerate it with `textcompare sample`")
    try:
        meta = json.loads(side.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"not valid JSON ({exc})", path=side, fix="delete it or regenerate the sheet") from exc
    if not isinstance(meta, dict):
        raise InputError("not a JSON object", path=side, fix="delete it or regenerate the sheet")
    return meta


def load_coding_sheet(path: str | Path, *, frames: list[str], coded_only: bool = False) -> pd.DataFrame:
    """Read and check a coding sheet; frame cells become 0/1 integers (-1 where not yet coded).

    Parameters
    ----------
    path : path
        The CSV (any extra columns are kept; missing frame columns are an error).
    frames : list of str
        Frame ids the sheet must have.
    coded_only : bool
        Keep only rows whose ``coder`` is filled in.

    Raises
    ------
    InputError
        Unreadable file, missing columns, a cell that is not 0, 1 or empty, a duplicate
        (sent_key, coder) pair, or a bad sent_key.
    """
    path = Path(path)
    table = read_sheet_csv(path)
    missing = [c for c in ["sent_key", "sentence", *frames, CODER_COLUMN] if c not in table.columns]
    if missing:
        raise InputError(f"coding sheet lacks column(s) {', '.join(missing)}", path=path,
                         fix="columns are: " + ", ".join(sheet_columns(frames)))
    for key in table["sent_key"]:
        try:
            split_sent_key(key)
        except InputError as exc:
            raise InputError(exc.problem, path=path, fix=exc.fix) from None
    if "doc_id" not in table.columns:
        table["doc_id"] = [split_sent_key(k)[0] for k in table["sent_key"]]
    table[CODER_COLUMN] = table[CODER_COLUMN].str.strip()
    coded = table[CODER_COLUMN] != ""
    for frame in frames:
        cells = table[frame].str.strip()
        bad = ~cells.isin(["", "0", "1", "0.0", "1.0"])
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0]) + 2
            raise InputError(f"row {row}, column {frame}: {cells[bad].iloc[0]!r} is not 0, 1 or empty", path=path,
                             fix="mark a frame with 1, leave it empty (or 0) otherwise")
        values = cells.replace({"": "0", "0.0": "0", "1.0": "1"}).astype(int)
        table[frame] = np.where(coded, values, -1)
    dup = table[coded].duplicated(["sent_key", CODER_COLUMN])
    if dup.any():
        key = table[coded][dup]["sent_key"].iloc[0]
        raise InputError(f"sentence {key} coded twice by the same coder", path=path, fix="keep one row per coder")
    if coded_only:
        table = table[coded]
    return table.reset_index(drop=True)


def load_coding_sheets(paths: list[str | Path] | str | Path, *, frames: list[str]) -> pd.DataFrame:
    """The coded rows of one or more sheets, stacked, with a ``source`` column (the file)."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    parts = [load_coding_sheet(p, frames=frames, coded_only=True).assign(source=str(p)) for p in paths]
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=[*sheet_columns(frames), "source"])
    dup = table.duplicated(["sent_key", CODER_COLUMN])
    if dup.any():
        raise InputError(f"sentence {table[dup]['sent_key'].iloc[0]} coded twice by the same coder across sheets",
                         fix="give each coder's sheet a distinct coder name, or drop the duplicate")
    if table.empty:
        raise InputError("no coded rows in " + ", ".join(map(str, paths)),
                         fix="fill in the coder column of every row you have coded")
    return table


def _normalize(text: str) -> str:
    return " ".join(str(text).split())


def load_frame_codes(path: str | Path, *, frames: list[str]) -> pd.DataFrame:
    """Codes kept in a file: columns ``sentence`` and ``frames`` (ids joined by ``|``, empty = none).

    The file a headless run codes from (notebook 05, tests), in the codebook's output format; a
    coded sheet (``sent_key, sentence, <frames>, coder``) is read as such a file too.
    """
    path = Path(path)
    table = read_sheet_csv(path, what="codes file", fix=None)
    if "frames" not in table.columns and {"sent_key", "sentence", CODER_COLUMN} <= set(table.columns):
        sheet = load_coding_sheet(path, frames=frames, coded_only=True)  # a coded sheet works too
        table = pd.DataFrame({"sentence": sheet["sentence"],
                              "frames": ["|".join(f for f in frames if row[f] == 1) for _, row in sheet.iterrows()]})
    if not {"sentence", "frames"} <= set(table.columns):
        raise InputError("codes file needs columns sentence, frames (or a coded sheet)", path=path)
    codes = [{f.strip() for f in value.split("|") if f.strip()} for value in table["frames"]]
    unknown = sorted(set().union(*codes) - set(frames)) if codes else []
    if unknown:
        raise InputError(f"unknown frame(s) {', '.join(unknown)}", path=path, fix="valid: " + ", ".join(frames))
    return pd.DataFrame({"sentence": table["sentence"].map(_normalize), "codes": codes})


def apply_frame_codes(sheet_path: str | Path, codes_path: str | Path | list[str | Path], *, coder: str,
                      frames: list[str]) -> int:
    """Code the rows of a sheet whose sentence is in a codes file (or in any of several; text compared
    with whitespace collapsed); the sheet is rewritten atomically. Returns the number of rows coded."""
    sheet_path = Path(sheet_path)
    load_coding_sheet(sheet_path, frames=frames)  # validate before writing
    sheet = read_sheet_csv(sheet_path)
    paths = [codes_path] if isinstance(codes_path, (str, Path)) else list(codes_path)
    codes = pd.concat([load_frame_codes(p, frames=frames) for p in paths], ignore_index=True)
    codes = codes.drop_duplicates("sentence", keep="last")
    lookup = dict(zip(codes["sentence"], codes["codes"]))
    coded = 0
    for i, sentence in enumerate(sheet["sentence"]):
        found = lookup.get(_normalize(sentence))
        if found is None:
            continue
        for frame in frames:
            sheet.at[i, frame] = "1" if frame in found else "0"
        sheet.at[i, CODER_COLUMN] = coder
        coded += 1
    save_sheet(sheet, sheet_path)
    return coded
