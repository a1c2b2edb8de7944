"""Validating frames on your own corpus: sample, code, score, correct the estimates, train.

- :mod:`.sheet` — blind stratified coding sheets (``build_sample_sheet``, ``load_coding_sheet``, atomic ``save_sheet``);
- :mod:`.scores` — tagger vs codes: P/R/F1 with document-resampling intervals, errors, coder agreement;
- :mod:`.ppi` — prediction-powered corrected prevalence with valid intervals;
- :mod:`.widget` — the ipywidgets coder (and its headless :class:`CodingSession`);
- :mod:`.predictions` — adapters to the tagger (predictions per sentence, version stamps).

The corpus-level entry points below are what the CLI and notebook 05 call.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .ppi import PREVALENCE_COLUMNS, estimate_frame_prevalence, ppi_mean, ppi_stratified
from .predictions import (case_frames, codebook_version, corpus_version, frame_definitions, predict_sentence_frames,
                          tagger_version)
from .scores import extract_errors, gold_codes, join_predictions, score_agreement, score_validation
from .widget import CodingSession, build_coding_widget
from .sheet import (apply_frame_codes, build_sample_sheet, load_frame_codes, load_coding_sheet, load_sheet_meta, load_coding_sheets, make_sent_key, meta_path,
                    save_sheet, sheet_columns)

PathLike = str | Path


def _groups(corpus: Any, doc_ids: pd.Series, by: str, groups: Mapping[str, str] | pd.Series | None) -> pd.Series:
    from ..framing._docs import resolve_groups

    return resolve_groups(corpus, doc_ids, by=by, groups=groups)


def build_coding_sheet(corpus: Any, out: PathLike | None = None, *, n: int = 200, by: str = "outlet",
                       seed: int = 0, model: Any = None, frames: list[str] | None = None,
                       groups: Mapping[str, str] | pd.Series | None = None) -> pd.DataFrame:
    """Draw a blind coding sheet from a corpus and (if ``out`` is given) write it with its provenance.

    Parameters
    ----------
    corpus : Corpus or path
    out : path, optional
        Where to write the CSV; ``<out>.meta.json`` gets corpus, codebook and tagger versions.
    n : int
        Sentences to draw (stratified by group and by predicted frame).
    by : str
        Manifest column defining the groups.
    seed : int
    model : FrameClassifier or path, optional
        Stratify on a trained classifier's predictions instead of the default tagger's.

    Returns
    -------
    The sheet (see :func:`~.sheet.build_sample_sheet`).

    Examples
    --------
    >>> build_coding_sheet("corpus", "sheet.csv", n=100, seed=1)  # doctest: +SKIP
    """
    frames = case_frames() if frames is None else list(frames)
    predicted = predict_sentence_frames(corpus, frames=frames, model=model)
    labels = _groups(corpus, predicted["doc_id"], by, groups)
    sheet = build_sample_sheet(predicted, predicted, labels, n=n, seed=seed, frames=frames)
    if out is not None:
        save_sheet(sheet, out, meta=provenance(corpus, model=model) | {
            "n": len(sheet), "by": by, "seed": seed, "frames": frames,
            "design": "stratified by group (equal shares) and by rarest predicted frame (equal shares, then "
                      "proportional); rows in random order; no predictions in the sheet",
        })
    return sheet


def provenance(corpus: Any, *, model: Any = None) -> dict[str, str]:
    """Corpus, codebook and tagger versions (what a sheet or a validation table records)."""
    from .. import __version__

    return {"corpus_manifest_sha256": corpus_version(corpus), "codebook_version": codebook_version(),
            "tagger_version": tagger_version(model), "textcompare_version": __version__}


@dataclass
class ValidationResult:
    """What ``textcompare validate`` reports: scores, errors, agreement and provenance tables."""

    scores: pd.DataFrame
    errors: pd.DataFrame
    agreement: pd.DataFrame
    provenance: pd.DataFrame
    gold: pd.DataFrame = field(repr=False)


def score_coding_sheets(sheets: PathLike | list[PathLike] | pd.DataFrame, corpus: Any, *, model: Any = None,
                        frames: list[str] | None = None, n_resamples: int = 2_000, seed: int = 0) -> ValidationResult:
    """Score the tagger (or a trained model) against one or more coded sheets.

    Parameters
    ----------
    sheets : path, list of paths, or DataFrame of coded rows
    corpus : Corpus or path
        The corpus the sheets were drawn from (the sentences must match).
    model : FrameClassifier or path, optional
        Score a trained classifier instead of the default tagger.
    n_resamples, seed : int
        Document-resampling bootstrap of P/R/F1.

    Returns
    -------
    :class:`ValidationResult`.
    """
    frames = case_frames() if frames is None else list(frames)
    coded = sheets if isinstance(sheets, pd.DataFrame) else load_coding_sheets(sheets, frames=frames)
    gold = gold_codes(coded, frames)
    predicted = predict_sentence_frames(corpus, frames=frames, model=model)
    joined = join_predictions(gold, predicted, frames)
    meta = provenance(corpus, model=model)
    sources = sorted(set(coded["source"])) if "source" in coded else []
    recorded = [load_sheet_meta(s) for s in sources]
    rows = [{"item": k, "value": v} for k, v in meta.items()]
    rows += [{"item": f"sheet {s}: {k}", "value": str(m.get(k, ""))} for s, m in zip(sources, recorded)
             for k in ("codebook_version", "tagger_version", "corpus_manifest_sha256") if m]
    rows += [{"item": "coded sentences", "value": str(len(gold))},
             {"item": "coders", "value": ", ".join(sorted(coded["coder"].unique()))}]
    return ValidationResult(scores=score_validation(joined, frames, n_resamples=n_resamples, seed=seed),
                            errors=extract_errors(joined, frames), agreement=score_agreement(coded, frames),
                            provenance=pd.DataFrame(rows, columns=["item", "value"]), gold=gold)


def compare_corrected_frames(corpus: Any, validation: PathLike | list[PathLike] | pd.DataFrame, *,
                             by: str = "outlet", groups: Mapping[str, str] | pd.Series | None = None,
                             model: Any = None, frames: list[str] | None = None, alpha: float = 0.05,
                             n_resamples: int = 2_000, seed: int = 0) -> pd.DataFrame:
    """Each group's frame prevalence (share of sentences), raw and corrected for the tagger's errors.

    Returns
    -------
    DataFrame with ``PREVALENCE_COLUMNS`` (see :func:`~.ppi.estimate_frame_prevalence`).

    Examples
    --------
    >>> compare_corrected_frames("corpus", "sheet.csv", by="outlet")  # doctest: +SKIP
    """
    frames = case_frames() if frames is None else list(frames)
    coded = validation if isinstance(validation, pd.DataFrame) else load_coding_sheets(validation, frames=frames)
    gold = gold_codes(coded, frames)
    predicted = predict_sentence_frames(corpus, frames=frames, model=model)
    join_predictions(gold, predicted, frames)  # checks that the coded sentences are this corpus's
    labels = _groups(corpus, predicted["doc_id"], by, groups)
    return estimate_frame_prevalence(predicted, gold, labels, frames=frames, alpha=alpha,
                                     n_resamples=n_resamples, seed=seed)


def train_from_sheets(sheets: PathLike | list[PathLike], *, frames: list[str] | None = None, n_splits: int = 5,
                      out: PathLike | None = None) -> Any:
    """Train a :class:`~textcompare.framing.classifier.FrameClassifier` on coded sheets (gold codes
    of the sentences, grouped CV by document); saved to ``out`` (a directory) when given."""
    from ..framing.classifier import train_frame_classifier

    paths = [sheets] if isinstance(sheets, (str, Path)) else list(sheets)
    frames = case_frames() if frames is None else list(frames)
    gold = gold_codes(load_coding_sheets(paths, frames=frames), frames)
    model = train_frame_classifier(gold["sentence"].tolist(), gold[frames], gold["doc_id"].tolist(), frames=frames,
                                   n_splits=n_splits, meta={"sheets": [Path(p).name for p in paths]})
    if out is not None:
        model.save(out)
    return model


def summarize_validation(scores: pd.DataFrame, corrected: pd.DataFrame | None = None) -> str:
    """Markdown bullets generated from the validation tables (for notebooks and reports: no number typed by hand)."""
    frames = scores[~scores["frame"].isin(["micro", "macro"])].dropna(subset=["f1"])
    macro = scores.set_index("frame").loc["macro"]
    lines = [f"- {int(macro['n_sentences'])} coded sentences in {int(macro['n_documents'])} documents; "
             f"macro-F1 {macro['f1']:.2f} (precision {macro['precision']:.2f}, recall {macro['recall']:.2f})."]
    if len(frames):
        best, worst = frames.loc[frames["f1"].idxmax()], frames.loc[frames["f1"].idxmin()]
        lines.append(f"- Best frame: {best['frame']} (F1 {best['f1']:.2f}, interval {best['f1_ci_low']:.2f}–"
                     f"{best['f1_ci_high']:.2f}); worst: {worst['frame']} (F1 {worst['f1']:.2f}, interval "
                     f"{worst['f1_ci_low']:.2f}–{worst['f1_ci_high']:.2f}).")
    if corrected is not None and corrected["corrected_share"].notna().any():
        shift = (corrected["corrected_share"] - corrected["raw_share"]).abs()
        top = corrected.loc[shift.idxmax()]
        lines.append(f"- Largest correction: {top['frame']} in {top['group']}, raw share {top['raw_share']:.2f} → "
                     f"corrected {top['corrected_share']:.2f} ({top['corrected_ci_low']:.2f}–"
                     f"{top['corrected_ci_high']:.2f}, {int(top['n_coded'])} coded sentences).")
        lines.append(f"- Median interval width {corrected['ci_width'].median():.2f} with a median of "
                     f"{int(corrected['n_coded'].median())} coded sentences per group.")
    return "\n".join(lines)


def add_corrected_columns(table: pd.DataFrame, corrected: pd.DataFrame) -> pd.DataFrame:
    """``compare_frames``' table with n_coded, raw_share, corrected_share, corrected_ci_low/high, ci_width
    joined on group and frame (NaN for frames the sheet did not code)."""
    keep = ["group", "frame", "n_coded", "raw_share", "corrected_share", "corrected_ci_low", "corrected_ci_high",
            "ci_width"]
    return table.merge(corrected[keep], on=["group", "frame"], how="left")


__all__ = [
    "CodingSession", "PREVALENCE_COLUMNS", "apply_frame_codes", "load_frame_codes", "ValidationResult", "build_coding_widget", "add_corrected_columns", "build_coding_sheet", "build_sample_sheet",
    "case_frames", "compare_corrected_frames", "estimate_frame_prevalence", "extract_errors", "frame_definitions",
    "gold_codes", "join_predictions", "load_coding_sheet", "load_sheet_meta", "load_coding_sheets", "make_sent_key",
    "meta_path", "ppi_mean", "ppi_stratified", "predict_sentence_frames", "provenance", "save_sheet",
    "score_agreement", "score_coding_sheets", "score_validation", "sheet_columns", "summarize_validation",
    "train_from_sheets",
]
