"""Evidence sentences: one row per sentence with every match in it marked (for the CLI, the report
and the explorer)."""
from __future__ import annotations

import html

import pandas as pd

EVIDENCE_COLUMNS = ["group", "doc_id", "sent_id", "frames", "matches", "sentence", "marked"]
#: Markers around a match in plain text (terminal, CSV).
TEXT_MARKS = ("«", "»")


def mark_matches(sentence: str, matches: list[str], marks: tuple[str, str] = TEXT_MARKS, *,
                 escape: bool = False) -> str:
    """``sentence`` with each of ``matches`` wrapped in ``marks`` (the first occurrence of each;
    overlapping or touching matches are marked as one span, so a long match that contains a short
    one is marked whole; a match not found is skipped). ``escape`` HTML-escapes the text first, for
    marks such as ``("<mark>", "</mark>")``.

    Hand-written: the hits carry offsets in the document, not in the sentence, so each match is
    found by its text.
    """
    lowered = sentence.lower()
    found = sorted((at, at + len(m)) for m in {m.lower() for m in matches if m} if (at := lowered.find(m)) >= 0)
    spans: list[tuple[int, int]] = []
    for start, end in found:
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((start, end))
    out, last = [], 0
    wrap = html.escape if escape else (lambda t: t)
    for start, end in spans:
        out += [wrap(sentence[last:start]), marks[0], wrap(sentence[start:end]), marks[1]]
        last = end
    out.append(wrap(sentence[last:]))
    return "".join(out)


def collect_evidence(hits: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """One row per (document, sentence) of ``hits`` (``extract_frames`` rows): the frames and matches
    found in it and the sentence with every match marked (:data:`TEXT_MARKS`).

    Columns: :data:`EVIDENCE_COLUMNS`, sorted by group, doc_id, sent_id.
    """
    if hits.empty:
        return pd.DataFrame(columns=EVIDENCE_COLUMNS)
    rows = []
    ordered = hits.sort_values(["doc_id", "sent_id", "start_char"], kind="stable")
    for (doc_id, sent_id), part in ordered.groupby(["doc_id", "sent_id"], sort=False):
        sentence = str(part["sentence"].iloc[0])
        matches = [str(m) for m in part["match"] if str(m)]
        # a row of the case-frame model has no matched words: its rule ("model: p=0.83 >= 0.45") stands in
        shown = [str(m) if str(m) else f"{f} {r}" for m, f, r in zip(part["match"], part["frame"], part["rule"])]
        rows.append({"group": str(groups[doc_id]), "doc_id": doc_id, "sent_id": int(sent_id),
                     "frames": ", ".join(dict.fromkeys(part["frame"].astype(str))),
                     "matches": ", ".join(dict.fromkeys(shown)), "sentence": sentence,
                     "marked": mark_matches(sentence, matches)})
    table = pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)
    return table.sort_values(["group", "doc_id", "sent_id"], kind="stable").reset_index(drop=True)
