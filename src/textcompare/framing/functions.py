"""Entman's (1993) four framing functions coded per sentence by documented rules (METHODS §4).

- **problem_definition**: an issue noun from ``data/functions/cues.csv`` (crisis, conflict,
  threat, tension ...); ``agent`` lists the actors the sentence mentions (what is at stake for whom).
- **causal_attribution**: a causal connective (because, as a result, due to, in retaliation for)
  or a causal verb (cause, provoke, trigger, lead to ...); for verbs, ``agent`` is the actor of
  the verb's subject (who is said to cause it) and ``target`` its object.
- **moral_evaluation**: an evaluative adjective/noun or attitude marker from the cue file.
- **treatment_recommendation**: a deontic modal read as deontic by
  :func:`~textcompare.framing.stance.modal_reading` (should, must, have to, need to, ought to),
  with ``agent`` = who is told (its subject's actor) and ``target`` = what to do (the verb), or a
  directive (urge, recommend, call for, "the best policy"). "will/would have to" predicts a
  constraint and is not a recommendation ("Iran will have to keep a low profile"), nor is a
  narrated past obligation ("had to be released") or a conditional "should the escalation ...".
  A causal verb as a purpose infinitive ("to create ...") is an aim, not a causal attribution. ``agent`` is
  a canonical actor or empty: "that", "those" or "steps" name no actor.

Cues are counted unless negated (``negated`` flag). These are retrieval rules, not a validated
coder: hand-check the evidence sentences.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from ._docs import is_corpus_like, iter_docs, resolve_groups, sentence_index, sentences_of
from .agency import _resolve_actor
from .lexicons import is_negated, packaged_matcher

if TYPE_CHECKING:
    from spacy.tokens import Doc

CUES_FILE = "functions/cues.csv"
# "Iran will have to keep a low profile" predicts a constraint; it recommends nothing.
_PREDICTED_NECESSITY = {"will", "'ll", "would", "'d", "may", "might"}
# Causal verbs that, as a purpose infinitive, state an aim rather than attribute a cause.
_AIM_VERBS = {"create", "generate", "produce", "cause", "trigger", "spark", "prompt", "provoke"}
FUNCTIONS = ("problem_definition", "causal_attribution", "moral_evaluation", "treatment_recommendation")
FUNCTION_COLUMNS = [
    "doc_id", "sent_id", "function", "cue", "match", "agent", "target", "start", "end",
    "start_char", "end_char", "negated", "sentence",
]


def extract_doc_functions(doc: "Doc", *, doc_id: str = "", mentions: pd.DataFrame | None = None,
                          include_negated: bool = False) -> pd.DataFrame:
    """Entman function cues of one doc, one row per cue (rules in the module docstring).

    Parameters
    ----------
    mentions : DataFrame, optional
        Actor mentions of this doc (start, end, actor, kind) used to name agents; default
        :func:`~textcompare.entities.extract_doc_mentions` with the packaged alias table.
    include_negated : bool
        Keep negated cues (default: leave them out).
    """
    from ..nlp import load_nlp
    from .stance import _MODALS, is_conditional_inversion, modal_reading

    matcher = packaged_matcher("functions", CUES_FILE, "function", load_nlp())
    if mentions is None:
        from ..entities import extract_doc_mentions, load_alias_table

        mentions = extract_doc_mentions(doc, aliases=load_alias_table(), doc_id=doc_id)
    spans: list[tuple[int, int, str]] = []
    if len(mentions):
        keep = mentions if "kind" not in mentions else mentions[mentions["kind"] == "actor"]
        spans = sorted((int(r.start), int(r.end), str(r.actor)) for r in keep.itertuples(index=False))
    sents = sentences_of(doc)
    sent_of = sentence_index(doc)
    hits = [(h.start, h.end, h.category, h.pattern) for h in matcher(doc)]
    # deontic modals -> treatment recommendation
    for tok in doc:
        semi = tok.lemma_.lower() in ("have", "need") and tok.i + 1 < len(doc) and doc[tok.i + 1].tag_ == "TO"
        if tok.lower_ in _MODALS or semi:
            hits.append((tok.i, tok.i + (2 if semi else 1), "treatment_recommendation", "deontic modal"))
    rows = []
    for start, end, function, cue in sorted(set(hits)):
        span = doc[start:end]
        agent = target = ""
        if function == "treatment_recommendation" and cue == "deontic modal":
            reading, _, verb = modal_reading(doc, start, end)
            before = [t.lower_ for t in doc[max(0, start - 3):start] if t.pos_ in ("AUX", "VERB", "ADV", "PART")]
            # "had to be released", "have had to recognise": a past obligation, narrated
            narrated = doc[start].tag_ == "VBD" or (doc[start].tag_ == "VBN" and doc[start].lemma_.lower() == "have")
            if reading != "deontic" or set(before) & _PREDICTED_NECESSITY or narrated \
                    or is_conditional_inversion(doc[start]):
                continue
            target = verb
            head = span.root.head if span.root.dep_ in ("aux", "auxpass") else span.root
            subj = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            agent = _resolve_actor(subj, spans)[0] if subj is not None else ""
        elif function == "causal_attribution" and span.root.pos_ == "VERB":
            verb = span.root
            if verb.tag_ == "VB" and any(c.tag_ == "TO" for c in verb.children) and cue in _AIM_VERBS:
                continue  # "to create a homogeneous population": an aim, not a cause of what happened
            subj = next((c for c in verb.children if c.dep_ in ("nsubj", "csubj")), None)
            obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
            agent = _resolve_actor(subj, spans)[0] if subj is not None else ""
            target = _resolve_actor(obj, spans)[1] if obj is not None else ""
        elif function == "problem_definition":
            k = sent_of[start]
            agent = ";".join(dict.fromkeys(a for s, e, a in spans if sents[k].start <= s < sents[k].end))
        k = sent_of[start]
        rows.append({
            "doc_id": doc_id, "sent_id": k, "function": function, "cue": cue, "match": span.text,
            "agent": agent, "target": target, "start": start, "end": end, "start_char": span.start_char,
            "end_char": span.end_char, "negated": is_negated(doc, start, end), "sentence": sents[k].text.strip(),
        })
    table = pd.DataFrame(rows, columns=FUNCTION_COLUMNS)
    table = table.drop_duplicates(["start", "function"]).sort_values(["start", "function"], kind="stable")
    if not include_negated:
        table = table[~table["negated"].astype(bool)]
    return table.astype({c: "int64" for c in ("sent_id", "start", "end", "start_char", "end_char")} | {"negated": bool}).reset_index(drop=True)


def extract_functions(corpus: Any = None, *, aliases: pd.DataFrame | None = None,
                      include_negated: bool = False) -> pd.DataFrame:
    """Entman function cues in every document (negated cues left out unless ``include_negated``).

    Returns
    -------
    DataFrame with columns doc_id, sent_id, function (``FUNCTIONS``), cue (lexicon pattern or
    "deontic modal"), match, agent (actor: who causes / who is told; actors mentioned for problem
    definitions), target (what is caused / what to do), start, end, start_char, end_char,
    negated, sentence.
    """
    from ..entities import extract_doc_mentions, load_alias_table

    aliases = load_alias_table(corpus if is_corpus_like(corpus) else None) if aliases is None else aliases
    tables = []
    for doc_id, doc in iter_docs(corpus):
        mentions = extract_doc_mentions(doc, aliases=aliases, doc_id=doc_id)
        tables.append(extract_doc_functions(doc, doc_id=doc_id, mentions=mentions, include_negated=include_negated))
    return pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=FUNCTION_COLUMNS)


def compare_functions(corpus: Any = None, *, by: str = "outlet", groups: Mapping[str, str] | pd.Series | None = None,
                      pairwise: bool = False, n_resamples: int = 9_999, seed: int = 0,
                   include_negated: bool = False) -> pd.DataFrame:
    """Entman functions per group (negated cues only with ``include_negated``): group, versus, function, then the statistics
    of :func:`~textcompare.framing.compare.compare_rates`."""
    from ..entities import extract_doc_mentions, load_alias_table
    from .compare import compare_rates, stream_hits, stream_rate_units

    docs = corpus if is_corpus_like(corpus) else list(iter_docs(corpus))
    aliases = load_alias_table(docs if is_corpus_like(docs) else None)

    def counted(doc_id: str, doc: "Doc") -> pd.DataFrame:
        mentions = extract_doc_mentions(doc, aliases=aliases, doc_id=doc_id)
        return extract_doc_functions(doc, doc_id=doc_id, mentions=mentions, include_negated=include_negated)

    hits = stream_hits(docs, counted, feature="function")
    sentences = stream_rate_units(docs)
    labels = resolve_groups(docs, sentences["doc_id"], by=by, groups=groups)
    return compare_rates(hits, sentences, labels, feature="function", features=list(FUNCTIONS),
                         pairwise=pairwise, n_resamples=n_resamples, seed=seed)
