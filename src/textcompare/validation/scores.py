"""Scoring a tagger against hand codes: P/R/F1 with document-resampling intervals, errors, agreement.

Measurement layer only: it compares 0/1 codes per sentence and frame, and knows nothing of groups.
"""
from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

from ..errors import InputError
from ..framing.evaluation import score_prf
from .sheet import CODER_COLUMN, split_sent_key

SCORE_COLUMNS = [
    "frame", "support", "predicted", "tp", "fp", "fn", "tn", "precision", "precision_ci_low", "precision_ci_high",
    "recall", "recall_ci_low", "recall_ci_high", "f1", "f1_ci_low", "f1_ci_high", "n_sentences", "n_documents",
]
ERROR_COLUMNS = ["sent_key", "doc_id", "frame", "error", "sentence"]
AGREEMENT_COLUMNS = ["frame", "coder_a", "coder_b", "n_sentences", "f1", "alpha", "n_coders"]
DEFAULT_RESAMPLES = 2_000


def gold_codes(coded: pd.DataFrame, frames: list[str]) -> pd.DataFrame:
    """One row per sentence: sent_key, doc_id, sentence, n_coders and the gold 0/1 code per frame.

    With several coders the gold code is the majority; a tie counts as present (with two coders
    who disagree, the sentence is kept as a candidate rather than silently dropped).
    """
    if coded.empty:
        raise InputError("no coded sentences", fix="fill in the coder column of the rows you coded")
    grouped = coded.groupby("sent_key", sort=True)
    gold = grouped[frames].mean().ge(0.5).astype(int)
    first = grouped[["doc_id", "sentence"]].first()
    out = first.join(gold).join(grouped[CODER_COLUMN].nunique().rename("n_coders")).reset_index()
    return out[["sent_key", "doc_id", "sentence", "n_coders", *frames]]


def join_predictions(gold: pd.DataFrame, predicted: pd.DataFrame, frames: list[str]) -> pd.DataFrame:
    """Gold codes beside the predictions of the same sentences (columns ``<frame>`` and ``<frame>_pred``).

    Raises :class:`InputError` when a coded sentence is not in the corpus or its text differs
    (the sheet was drawn from another build or corpus).
    """
    keys = [split_sent_key(k) for k in gold["sent_key"]]
    left = gold.assign(_doc=[d for d, _ in keys], _sent=[s for _, s in keys])
    right = predicted.rename(columns={f: f"{f}_pred" for f in frames} | {"sentence": "_corpus_sentence"})
    merged = left.merge(right, left_on=["_doc", "_sent"], right_on=["doc_id", "sent_id"], how="left",
                        suffixes=("", "_corpus"))
    absent = merged["_corpus_sentence"].isna()
    if absent.any():
        raise InputError(f"coded sentence {merged.loc[absent, 'sent_key'].iloc[0]} is not in the corpus",
                         fix="validate against the corpus the sheet was sampled from (--corpus DIR)")
    differs = merged["_corpus_sentence"].str.strip() != merged["sentence"].str.strip()
    if differs.any():
        raise InputError(f"sentence {merged.loc[differs, 'sent_key'].iloc[0]} in the sheet differs from the corpus",
                         fix="the corpus was rebuilt or changed since sampling: draw a new sheet")
    merged[[f"{f}_pred" for f in frames]] = merged[[f"{f}_pred" for f in frames]].astype(int)
    return merged.drop(columns=["_doc", "_sent", "_corpus_sentence"] + [c for c in merged if c.endswith("_corpus")])


def _prf(y: np.ndarray, p: np.ndarray) -> tuple[float, float, float]:
    return score_prf(float((y & p).sum()), float((~y & p).sum()), float((y & ~p).sum()))


def _two_stage_indices(doc_codes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Resample documents with replacement, then sentences within each drawn document."""
    docs = np.unique(doc_codes)
    members = [np.flatnonzero(doc_codes == d) for d in docs]
    picks = rng.integers(0, len(docs), len(docs))
    return np.concatenate([rng.choice(members[i], size=len(members[i]), replace=True) for i in picks])


def score_validation(joined: pd.DataFrame, frames: list[str], *, n_resamples: int = DEFAULT_RESAMPLES,
                     seed: int = 0, confidence: float = 0.95) -> pd.DataFrame:
    """Per frame: support, tp/fp/fn/tn, precision, recall, F1 and percentile bootstrap intervals.

    The bootstrap is two-stage (documents with replacement, then sentences within each drawn
    document), so sentences of one document are not treated as independent evidence. F1 is
    ``2tp / (2tp + fp + fn)``; precision is NaN when nothing was predicted, recall when there is no
    gold sentence. Rows ``micro`` and ``macro`` follow (macro: mean of the frames' point values).

    Examples
    --------
    >>> score_validation(joined, ["enmity"], n_resamples=200)  # doctest: +SKIP
    """
    docs = joined["doc_id"].astype(str).to_numpy()
    _, doc_codes = np.unique(docs, return_inverse=True)
    rng = np.random.default_rng(seed)
    draws = [_two_stage_indices(doc_codes, rng) for _ in range(n_resamples)]
    tail = (1 - confidence) / 2 * 100
    rows = []
    for frame in frames:
        y = joined[frame].to_numpy(int).astype(bool)
        p = joined[f"{frame}_pred"].to_numpy(int).astype(bool)
        precision, recall, f1 = _prf(y, p)
        boot = np.array([_prf(y[i], p[i]) for i in draws]) if n_resamples else np.full((1, 3), np.nan)
        with np.errstate(all="ignore"):
            low = [np.nanpercentile(boot[:, j], tail) if np.isfinite(boot[:, j]).any() else np.nan for j in range(3)]
            high = [np.nanpercentile(boot[:, j], 100 - tail) if np.isfinite(boot[:, j]).any() else np.nan
                    for j in range(3)]
        rows.append({
            "frame": frame, "support": int(y.sum()), "predicted": int(p.sum()), "tp": int((y & p).sum()),
            "fp": int((~y & p).sum()), "fn": int((y & ~p).sum()), "tn": int((~y & ~p).sum()),
            "precision": precision, "precision_ci_low": low[0], "precision_ci_high": high[0],
            "recall": recall, "recall_ci_low": low[1], "recall_ci_high": high[1],
            "f1": f1, "f1_ci_low": low[2], "f1_ci_high": high[2],
            "n_sentences": len(joined), "n_documents": int(len(np.unique(docs))),
        })
    table = pd.DataFrame(rows, columns=SCORE_COLUMNS)
    tp, fp, fn = (int(table[c].sum()) for c in ("tp", "fp", "fn"))
    precision, recall, f1 = score_prf(tp, fp, fn)
    micro = {"frame": "micro", "support": int(table["support"].sum()), "predicted": int(table["predicted"].sum()),
             "tp": tp, "fp": fp, "fn": fn, "tn": int(table["tn"].sum()),
             "precision": precision, "recall": recall, "f1": f1,
             "n_sentences": len(joined), "n_documents": int(len(np.unique(docs)))}
    macro = {**micro, "frame": "macro", "precision": table["precision"].mean(), "recall": table["recall"].mean(),
             "f1": table["f1"].mean()}
    return pd.concat([table, pd.DataFrame([micro, macro])], ignore_index=True)[SCORE_COLUMNS]


def extract_errors(joined: pd.DataFrame, frames: list[str]) -> pd.DataFrame:
    """The sentences the tagger got wrong: one row per sentence and frame, ``error`` is
    ``false_positive`` (predicted, not coded) or ``false_negative`` (coded, not predicted)."""
    rows = []
    for frame in frames:
        y, p = joined[frame].astype(int), joined[f"{frame}_pred"].astype(int)
        for kind, mask in (("false_positive", (p == 1) & (y == 0)), ("false_negative", (p == 0) & (y == 1))):
            part = joined.loc[mask, ["sent_key", "doc_id", "sentence"]].assign(frame=frame, error=kind)
            rows.append(part)
    table = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=ERROR_COLUMNS)
    return table[ERROR_COLUMNS].sort_values(["frame", "error", "sent_key"], kind="stable").reset_index(drop=True)


def score_agreement(coded: pd.DataFrame, frames: list[str]) -> pd.DataFrame:
    """Agreement between coders on the sentences several of them coded.

    Per frame and pair of coders: the sentences both coded, F1 of one against the other
    (symmetric), and Krippendorff's α (nominal, over all coders; the ``krippendorff`` package).
    Empty when no sentence has two coders.
    """
    import krippendorff

    coders = sorted(coded[CODER_COLUMN].unique())
    shared = coded.groupby("sent_key")[CODER_COLUMN].nunique()
    keys = shared.index[shared >= 2]
    if len(coders) < 2 or not len(keys):
        return pd.DataFrame(columns=AGREEMENT_COLUMNS)
    part = coded[coded["sent_key"].isin(keys)]
    rows = []
    for frame in frames:
        wide = part.pivot(index="sent_key", columns=CODER_COLUMN, values=frame).reindex(columns=coders)
        data = wide.T.to_numpy(float)
        values = data[np.isfinite(data)]
        if len(np.unique(values)) < 2:
            alpha = np.nan  # no variation at all: alpha is undefined (0/0), not perfect
        else:
            alpha = float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
        for a, b in combinations(coders, 2):
            both = wide[[a, b]].dropna().astype(int)
            if both.empty:
                continue
            _, _, f1 = _prf(both[a].to_numpy(bool), both[b].to_numpy(bool))
            rows.append({"frame": frame, "coder_a": a, "coder_b": b, "n_sentences": len(both), "f1": f1,
                         "alpha": alpha, "n_coders": len(coders)})
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)
