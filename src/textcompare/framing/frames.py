"""Frame tagging: lexicon hits per sentence, and the tagger's validation against hand codes.

The tagger applies the codebook (docs/codebook.md) with lexicons built from its definitions and
general English. A sentence "has" a frame when at least one *counted* hit of that frame occurs in
it. Following the codebook, a hit counts whether the sentence affirms, warns of or denies the
frame, with one exception: an escalation hit whose force is negated, avoided or limited in its
dependency scope (:mod:`~textcompare.framing.scope`) does not count as escalation and is counted
as de-escalation instead ("Neither side wants war"). By default the packaged case-frame model
then decides each sentence's case frames (:func:`tag_doc_frames`; held-out figures in
docs/framing.md), and the lexicon hits remain as evidence.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ..paths import data_file
from ._docs import iter_docs, sentence_index, sentences_of
from .evaluation import score_prf
from .lexicons import LexiconMatcher, frame_matcher, load_frame_definitions, load_frame_lexicon
from .scope import force_restraint, is_negated_in_scope

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

FRAME_COLUMNS = [
    "doc_id", "sent_id", "frame", "frame_type", "match", "pattern", "start", "end",
    "start_char", "end_char", "negated", "rule", "counted", "sentence",
]
RESTRAINED_FRAME = "escalation"
RESTRAINT_FRAME = "deescalation"
SCORE_COLUMNS = ["frame", "support", "predicted", "tp", "fp", "fn", "precision", "recall", "f1"]
ANNOTATIONS_FILE = "annotations/seed_case_frames.csv"
TAGGERS = ("model", "lexicon")
#: The case-frame decision rule: the packaged model (encoder + lexicon), or the lexicon alone.
DEFAULT_TAGGER = "model"


def extract_doc_frames(doc: "Doc", *, doc_id: str = "", matcher: LexiconMatcher | None = None) -> pd.DataFrame:
    """Frame hits in one doc, one row per hit (negated hits included, flagged).

    ``negated`` says whether a negator governs the hit in the parse; ``counted`` whether the hit
    counts under the codebook. An escalation hit whose force is negated, avoided or limited gets
    ``counted=False`` and ``rule`` set to how (``negated``/``avoided``/``limited``), and a second
    row, frame ``deescalation`` with the same match, ``rule="from escalation: <how>"`` and
    ``counted=True``.

    Parameters
    ----------
    doc : Doc
        A parsed doc (lemmas and dependencies are used).
    doc_id : str
        Written into the ``doc_id`` column.
    matcher : LexiconMatcher, optional
        Default: the packaged frame lexicon (:func:`~textcompare.framing.lexicons.frame_matcher`).

    Returns
    -------
    DataFrame with columns ``FRAME_COLUMNS``, in text order.
    """
    matcher = matcher or frame_matcher()
    types = dict(load_frame_definitions()[["frame", "frame_type"]].itertuples(index=False))
    sents = sentences_of(doc)
    sent_of = sentence_index(doc)
    rows = []
    for hit in matcher(doc):
        span = doc[hit.start:hit.end]
        k = sent_of[hit.start]
        negated = is_negated_in_scope(doc, hit.start, hit.end)
        rule = force_restraint(doc, hit.start, hit.end) if hit.category == RESTRAINED_FRAME else ""
        row = {
            "doc_id": doc_id, "sent_id": k, "frame": hit.category, "frame_type": types.get(hit.category, ""),
            "match": span.text, "pattern": hit.pattern, "start": hit.start, "end": hit.end,
            "start_char": span.start_char, "end_char": span.end_char,
            "negated": negated, "rule": rule, "counted": not rule, "sentence": sents[k].text.strip(),
        }
        rows.append(row)
        if rule:
            rows.append(row | {"frame": RESTRAINT_FRAME, "frame_type": types.get(RESTRAINT_FRAME, ""),
                               "rule": f"from escalation: {rule}", "counted": True})
    table = pd.DataFrame(rows, columns=FRAME_COLUMNS)
    return table.astype({c: "int64" for c in ("sent_id", "start", "end", "start_char", "end_char")} | {"negated": bool, "counted": bool})


def check_tagger(tagger: str) -> str:
    if tagger not in TAGGERS:
        raise InputError(f"unknown frame tagger {tagger!r}", fix="use 'model' (default) or 'lexicon'")
    return tagger


def docs_for_tagger(corpus: Any, tagger: str) -> Any:
    """``(doc_id, Doc)`` pairs to tag: under the model, with each chunk's sentences encoded in one go."""
    if tagger == "model":
        from .encoder_model import prefetch_embeddings

        return prefetch_embeddings(corpus)
    return iter_docs(corpus)


def tag_doc_frames(doc: "Doc", *, doc_id: str = "", matcher: LexiconMatcher | None = None,
                   tagger: str = DEFAULT_TAGGER) -> pd.DataFrame:
    """Frame hits in one doc under the chosen tagger (``FRAME_COLUMNS``, text order).

    ``tagger="lexicon"`` is :func:`extract_doc_frames`. ``tagger="model"`` (default) lets the
    packaged case-frame model (:mod:`~textcompare.framing.encoder_model`) decide which case frames
    each sentence has: a lexicon hit of a case frame the model rejects for its sentence keeps its
    row as evidence with ``counted=False`` and ``rule="model: p=… < threshold"``; a case frame the
    model finds in a sentence without a counted lexicon hit gets one row spanning the sentence,
    ``pattern="model"``, ``rule="model: p=… >= threshold"``, ``counted=True``. Policy frames are
    the lexicon's either way.
    """
    check_tagger(tagger)
    table = extract_doc_frames(doc, doc_id=doc_id, matcher=matcher)
    if tagger == "lexicon" or not len(doc):
        return table
    from .encoder_model import load_encoder_frame_model, sentence_hit_counts

    model = load_encoder_frame_model()
    sents = sentences_of(doc)
    index = {f: k for k, f in enumerate(model.frames)}
    counts = sentence_hit_counts(table, model.frames, len(sents))
    proba = model.predict_proba_sentences([s.text.strip() for s in sents], counts)
    decide = proba >= model.thresholds
    table = table.copy()
    for i, row in table.iterrows():
        k = index.get(row["frame"])
        if k is not None and row["counted"] and not decide[row["sent_id"], k]:
            p, t = proba[row["sent_id"], k], model.thresholds[k]
            table.at[i, "counted"] = False
            table.at[i, "rule"] = (f"{row['rule']}; " if row["rule"] else "") + f"model: p={p:.2f} < {t:.2f}"
    extra = []
    for sent_id, k in zip(*np.nonzero(decide & (counts == 0))):
        sent = sents[sent_id]
        extra.append({"doc_id": doc_id, "sent_id": int(sent_id), "frame": model.frames[k],
                      "frame_type": "case", "match": "", "pattern": "model", "start": sent.start, "end": sent.end,
                      "start_char": sent.start_char, "end_char": sent.end_char, "negated": False,
                      "rule": f"model: p={proba[sent_id, k]:.2f} >= {model.thresholds[k]:.2f}", "counted": True,
                      "sentence": sent.text.strip()})
    if extra:
        table = pd.concat([table, pd.DataFrame(extra, columns=FRAME_COLUMNS)], ignore_index=True)
        table = table.sort_values(["start_char", "frame", "end_char"], kind="stable").reset_index(drop=True)
    return table.astype({c: "int64" for c in ("sent_id", "start", "end", "start_char", "end_char")} | {"negated": bool, "counted": bool})


def extract_frames(corpus: Any = None, *, frame_type: str | None = None, include_negated: bool = True,
                   lexicon: pd.DataFrame | None = None, nlp: "Language" | None = None,
                   tagger: str = DEFAULT_TAGGER) -> pd.DataFrame:
    """Frame hits in every document, one row per hit.

    Parameters
    ----------
    corpus : Corpus, path, None, or ``(doc_id, Doc)`` pairs
        Where the docs come from (a corpus is built on demand).
    frame_type : {"case", "policy"} or None
        Keep only case frames or only Policy Frames Codebook dimensions.
    include_negated : bool
        Keep the hits that do not count under the codebook (``counted=False``: escalation whose
        force is negated, avoided or limited); counts elsewhere exclude them.
    lexicon : DataFrame, optional
        A custom lexicon (columns pattern, frame, kind, pos, rationale).
    tagger : {"model", "lexicon"}
        Who decides a sentence's case frames (:func:`tag_doc_frames`): the packaged model
        (default; lexicon hits stay as evidence) or the lexicon alone.

    Returns
    -------
    DataFrame with columns doc_id, sent_id, frame, frame_type (case|policy), match, pattern,
    start, end (token indices), start_char, end_char (offsets into the cleaned body), negated,
    rule, counted, sentence; sorted by doc_id, start_char, frame.

    Examples
    --------
    >>> hits = extract_frames("corpus", frame_type="case")   # doctest: +SKIP
    """
    matcher = frame_matcher(nlp, lexicon=lexicon) if (lexicon is not None or nlp is not None) else None
    check_tagger(tagger)
    tables = [tag_doc_frames(doc, doc_id=doc_id, matcher=matcher, tagger=tagger)
              for doc_id, doc in docs_for_tagger(corpus, tagger)]
    table = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=FRAME_COLUMNS)
    if frame_type is not None:
        check_frame_type(frame_type)
        table = table[table["frame_type"] == frame_type]
    if not include_negated:
        table = table[table["counted"].astype(bool)]
    return table.sort_values(["doc_id", "start_char", "frame", "end_char"], kind="stable").reset_index(drop=True)


def check_frame_type(frame_type: str | None) -> None:
    if frame_type not in (None, "case", "policy"):
        raise InputError(f"unknown frame type {frame_type!r}", fix="use 'case' or 'policy'")


def frame_ids(frame_type: str | None = None) -> list[str]:
    """Frame ids in definition order (case frames first)."""
    check_frame_type(frame_type)
    table = load_frame_definitions()
    if frame_type is not None:
        table = table[table["frame_type"] == frame_type]
    return table["frame"].tolist()


def load_frame_annotations(path: str | None = None) -> pd.DataFrame:
    """Hand-coded case frames per sentence: doc_id, sentence, frames (``;``-separated), annotator, note.

    Default: the packaged seed annotation (single coder, in-sample; see docs/framing.md).
    """
    path = path or data_file(ANNOTATIONS_FILE)
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in ("doc_id", "sentence", "frames") if c not in table.columns]
    if missing:
        raise InputError(f"annotation file lacks column(s) {', '.join(missing)}", path=path,
                         fix="columns must be: doc_id, sentence, frames, annotator, note")
    return table


def tag_sentences(sentences: list[str], *, nlp: "Language" | None = None, matcher: LexiconMatcher | None = None,
                  frame_type: str | None = "case") -> list[set[str]]:
    """The set of frames (counted hits) the tagger finds in each sentence text, parsed alone."""
    from ..nlp import load_nlp

    nlp = nlp or load_nlp()
    matcher = matcher or frame_matcher(nlp)
    allowed = set(frame_ids(frame_type))
    found = []
    for doc in nlp.pipe(sentences):
        hits = extract_doc_frames(doc, matcher=matcher)
        hits = hits[hits["counted"] & hits["frame"].isin(allowed)]
        found.append(set(hits["frame"]))
    return found


def score_frame_tagger(annotations: pd.DataFrame | None = None, *, nlp: "Language" | None = None,
                       matcher: LexiconMatcher | None = None, frame_type: str = "case") -> pd.DataFrame:
    """Precision, recall and F1 of the frame tagger per frame against hand-coded sentences.

    Each annotated sentence is parsed on its own and tagged; a frame is predicted when the
    sentence has at least one counted hit. Scoring does not depend on how a build splits
    sentences.

    Parameters
    ----------
    annotations : DataFrame, optional
        Columns sentence and frames (``;``-separated ids); default :func:`load_frame_annotations`.
    frame_type : {"case", "policy"}
        Which frames to score (the packaged annotation codes case frames only).

    Returns
    -------
    DataFrame with columns frame, support (gold sentences), predicted, tp, fp, fn, precision,
    recall, f1: one row per frame, then ``micro`` and ``macro`` rows. Precision is NaN when
    nothing was predicted, recall NaN when there is no gold sentence.
    """
    annotations = load_frame_annotations() if annotations is None else annotations
    frames = frame_ids(frame_type)
    gold = [{f for f in str(codes).split(";") if f.strip()} for codes in annotations["frames"]]
    unknown = sorted(set().union(*gold) - set(frames)) if gold else []
    if unknown:
        raise InputError(f"annotation uses unknown frame(s) {', '.join(unknown)}", fix="valid: " + ", ".join(frames))
    predicted = tag_sentences(annotations["sentence"].tolist(), nlp=nlp, matcher=matcher, frame_type=frame_type)
    rows = []
    for frame in frames:
        tp = sum(frame in g and frame in p for g, p in zip(gold, predicted))
        fp = sum(frame not in g and frame in p for g, p in zip(gold, predicted))
        fn = sum(frame in g and frame not in p for g, p in zip(gold, predicted))
        rows.append(_scores(frame, tp, fp, fn))
    table = pd.DataFrame(rows)
    micro = _scores("micro", int(table["tp"].sum()), int(table["fp"].sum()), int(table["fn"].sum()))
    macro = {"frame": "macro", "support": int(table["support"].sum()), "predicted": int(table["predicted"].sum()),
             "tp": int(table["tp"].sum()), "fp": int(table["fp"].sum()), "fn": int(table["fn"].sum()),
             "precision": float(table["precision"].mean()), "recall": float(table["recall"].mean()),
             "f1": float(table["f1"].mean())}
    return pd.concat([table, pd.DataFrame([micro, macro])], ignore_index=True)[SCORE_COLUMNS]


def _scores(frame: str, tp: int, fp: int, fn: int) -> dict[str, Any]:
    precision, recall, f1 = score_prf(tp, fp, fn)
    return {"frame": frame, "support": tp + fn, "predicted": tp + fp, "tp": tp, "fp": fp, "fn": fn,
            "precision": precision, "recall": recall, "f1": f1}


__all__ = [
    "DEFAULT_TAGGER", "FRAME_COLUMNS", "TAGGERS", "extract_doc_frames", "extract_frames", "tag_doc_frames", "frame_ids", "load_frame_annotations",
    "load_frame_definitions", "load_frame_lexicon", "score_frame_tagger", "tag_sentences",
]
