"""Stance: hedges, boosters, attitude markers, prediction vs prescription, epistemic distance,
evidentials (Hyland 2005; Biber et al. 1999), and VADER sentiment of sentences about each actor.

Markers come from ``data/stance/markers.csv``. Reading rules reject some lexicon matches
(issue 11): "could" of ability is not a hedge (:func:`could_of_ability`); "going to" predicts
only before a bare verb ("go to the table" is motion); "will have to" counts once, as deontic;
a booster adverb of manner ("expressed very clearly", :func:`is_manner_adverb`) is not a booster;
"would" in the complement of a past reporting verb is the future in the past
(:func:`is_future_in_past`); "should the escalation result ..." opens a condition
(:func:`is_conditional_inversion`); "seem/appear" hedge only with a complement; "never" boosts
only a modal statement ("will never agree"), "almost always" is not a booster; booster verbs
(show, prove, establish, know ...) count only when they assert a proposition (not passive or
participial, no nominal object); a speakerless "to say" is not an evidential.
Deontic modals are disambiguated before they are
counted (METHODS §5), with these rules:

- "must/should/ought + have + past participle" and "may well" are epistemic;
- an expletive subject (it/there) with a copular main verb ("there must be a reason") is epistemic;
- otherwise must/should/ought/shall/have to/need to/had better are deontic. Epistemic readings
  are counted as ``hedge`` (should, ought) or ``booster`` (must); deontic rows record the
  ``subject`` (who is told) and the ``verb`` (what to do), which feed Entman's treatment
  recommendation. Hand-check the hits: the rules are simple.

VADER (Hutto & Gilbert 2014) limits: tuned on microblogs; no notion of target, so topic words
(killing, war, hatred) score negative whatever the author's stance, and a sentence's score is
attributed to every actor it mentions. Read actor sentiment as "tone of the sentences around X".
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ._docs import is_corpus_like, iter_docs, resolve_groups, sentence_index, sentences_of
from .lexicons import is_negated, packaged_matcher

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

MARKERS_FILE = "stance/markers.csv"
STANCE_CATEGORIES = ("hedge", "booster", "attitude", "prediction", "epistemic_distance", "evidential", "deontic")
STANCE_COLUMNS = [
    "doc_id", "sent_id", "category", "marker", "reading", "subject", "verb", "match", "start", "end",
    "start_char", "end_char", "negated", "sentence",
]
SENTIMENT_COLUMNS = ["doc_id", "sent_id", "compound", "pos", "neu", "neg", "sentence"]
ACTOR_SENTIMENT_COLUMNS = ["group", "actor", "sentences", "compound_mean", "ci_low", "ci_high",
                           "negative_share", "positive_share"]
_MODALS = {"must", "should", "ought", "shall"}
_COPULAS = {"be", "seem", "appear", "remain"}
_EXPLETIVES = {"it", "there"}


def _main_verb(tok: "Token") -> "Token":
    """The verb a modal or semi-modal belongs to ("should end" -> end, "have to unlock" -> unlock)."""
    if tok.lemma_.lower() in ("have", "need") and tok.pos_ in ("VERB", "AUX"):
        xcomp = next((c for c in tok.children if c.dep_ == "xcomp"), None)
        if xcomp is not None:
            return xcomp
    return tok.head if tok.dep_ in ("aux", "auxpass") else tok


def _subject_of(verb: "Token") -> "Token" | None:
    node = verb
    for _ in range(4):
        subj = next((c for c in node.children if c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj")), None)
        if subj is not None:
            return subj
        if node.dep_ in ("xcomp", "conj") and node.head is not node:
            node = node.head
            continue
        return None
    return None


_PERCEPTION = {"see", "hear", "feel", "understand", "find", "tell", "notice", "sense", "smell", "taste", "recall", "remember",
               "predict", "foresee", "imagine", "guess", "anticipate"}
# Past reporting and cognition verbs: "would" in their complement is the future in the past.
_REPORTING = {"say", "tell", "know", "expect", "warn", "fear", "think", "believe", "predict", "announce", "claim",
              "promise", "hope", "assume", "realize", "realise", "suggest", "argue", "insist", "declare", "decide"}
_BOOSTER_VERBS = {"show", "demonstrate", "prove", "establish", "know", "realize", "realise"}
_HEDGE_VERBS = {"seem", "appear"}
_CAUSATIVES = {"make", "let", "have", "help"}
_LIMITERS = {"almost", "nearly", "not"}
_DEGREE = {"very", "so", "too", "quite", "more", "most", "less", "least", "rather", "fairly", "pretty", "extremely"}
_PREDICTIVE = {"will", "'ll", "wo", "shall"}


def could_of_ability(tok: "Token") -> bool:
    """Whether "could" is the past or conditional of ability, not an epistemic hedge.

    Ability: "could not/couldn't" with a non-copular verb ("Iran could not respond"), perception
    and cognition verbs ("we could see"), and purpose or manner clauses ("so that they could
    leave", "how it could win"). Everything else ("this could escalate") is epistemic possibility
    and counted as a hedge.
    """
    verb = tok.head if tok.dep_ in ("aux", "auxpass") else tok
    lemma = verb.lemma_.lower()
    if any(c.dep_ == "neg" for c in verb.children) and lemma not in _COPULAS:
        return True
    if lemma in _PERCEPTION:
        return True
    # purpose clause: "so (that) they could leave"
    return any(d.lower_ == "so" for d in tok.doc[max(0, tok.i - 4):tok.i]) and verb.dep_ in ("advcl", "ccomp")


def is_manner_adverb(tok: "Token") -> bool:
    """Whether a booster adverb ("clearly", "certainly") describes manner, not the writer's certainty.

    Manner: graded by a degree adverb ("very clearly") or placed after the verb it modifies
    ("expressed it clearly"). A stance adverb precedes its verb ("Iran clearly wants").
    """
    if tok.pos_ != "ADV":
        return False
    if any(c.dep_ == "advmod" and c.lower_ in _DEGREE for c in tok.children):
        return True
    return tok.dep_ == "advmod" and tok.head.pos_ == "VERB" and tok.head.i < tok.i


def is_future_in_past(tok: "Token") -> bool:
    """"would" in the complement of a past reporting or cognition verb ("said it would", "knew
    that relations would devolve") is the past of "will", not a hedge."""
    verb = tok.head if tok.dep_ in ("aux", "auxpass") else tok
    node = verb
    for _ in range(3):
        if node.dep_ not in ("ccomp", "conj", "xcomp") or node.head is node:
            return False
        node = node.head
        if node.lemma_.lower() in _REPORTING and (node.tag_ in ("VBD", "VBN") or any(
                c.dep_ == "aux" and c.tag_ == "VBD" for c in node.children)):
            return True
    return False


def is_conditional_inversion(tok: "Token") -> bool:
    """"should the escalation result in casualties, ...": "should" before its own subject opens a
    condition; it is neither deontic nor a recommendation."""
    if tok.lower_ != "should":
        return False
    verb = tok.head if tok.dep_ in ("aux", "auxpass") else tok
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)
    return subj is not None and subj.i > tok.i and verb.dep_ in ("advcl", "ccomp", "conj", "parataxis")


def _skip_hit(doc: "Doc", start: int, end: int, category: str) -> bool:
    """Hits that the lexicon matches but the reading rules reject (module docstring)."""
    tok = doc[start]
    nxt = [t for t in doc[end:end + 2]]
    lemma = tok.lemma_.lower()
    if category == "hedge" and tok.lower_ == "could":
        return could_of_ability(tok)
    if category == "hedge" and tok.lower_ == "would":
        return is_future_in_past(tok)
    if category == "hedge" and lemma in _HEDGE_VERBS and end - start == 1:
        # "seem/appear" hedge only with a complement ("seems intentional", "appears to have");
        # "appeared in the media" is physical, "make options seem palatable" is causative
        has_complement = any(c.dep_ in ("xcomp", "ccomp", "acomp", "attr", "oprd") for c in tok.children) \
            or any(c.dep_ == "expl" for c in tok.children)
        return not has_complement or (tok.dep_ in ("ccomp", "xcomp") and tok.head.lemma_.lower() in _CAUSATIVES)
    if category == "deontic" and is_conditional_inversion(tok):
        return True
    if category == "booster" and tok.lower_ == "never":
        # emphatic only in a prediction or modal statement ("will never agree"), else temporal negation
        return not any(c.dep_ == "aux" and c.tag_ == "MD" for c in tok.head.children)
    if category == "booster" and tok.lower_ == "always":
        return any(c.lower_ in _LIMITERS for c in tok.children)
    if category == "booster" and lemma in _BOOSTER_VERBS and tok.pos_ == "VERB":
        # a booster verb asserts a proposition: not passive or participial ("posts established by",
        # "formally known as", "if this is proved"), not with a nominal object ("establish mechanisms")
        passive = tok.tag_ == "VBN" and (tok.dep_ in ("acl", "amod") or any(c.dep_ == "auxpass" for c in tok.children))
        nominal = any(c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN") for c in tok.children)
        return passive or nominal
    if category == "evidential" and tok.pos_ == "VERB" and end - start == 1:
        # "To say that ..." with no speaker is not attribution; nor is a nominal object ("assert legitimacy")
        speakerless = tok.tag_ == "VB" and any(c.tag_ == "TO" for c in tok.children) and tok.dep_ in ("csubj", "advcl")
        return speakerless or (lemma == "assert" and any(c.dep_ == "dobj" for c in tok.children))
    if category == "prediction" and tok.lemma_.lower() == "go":
        # "going to" + a bare verb predicts; "go to the table" is motion
        return not (end < len(doc) and doc[end - 1].lower_ == "to" and doc[end].tag_ == "VB")
    if category == "prediction" and tok.lower_ in _PREDICTIVE:
        # "will have to" counts once, as deontic
        return len(nxt) == 2 and nxt[0].lemma_.lower() in ("have", "need") and nxt[1].lower_ == "to"
    if category == "booster" and end - start == 1:
        return is_manner_adverb(tok)
    return False


def modal_reading(doc: "Doc", start: int, end: int) -> tuple[str, str, str]:
    """(reading, subject, verb) for a deontic-candidate span; reading is ``deontic`` or ``epistemic``."""
    first = doc[start]
    lower = first.lower_
    if lower == "may":
        return "epistemic", "", ""
    verb = _main_verb(first)
    if first.lemma_.lower() in ("have", "need") and verb is first:
        return "deontic", "", ""  # "have to" without a parsed complement
    nxt = doc[end] if end < len(doc) else None
    if lower in _MODALS and nxt is not None and nxt.lower_ == "have" and end + 1 < len(doc) and doc[end + 1].tag_ == "VBN":
        return "epistemic", "", ""
    subj = _subject_of(verb)
    subj_text = ""
    if subj is not None:
        subj_text = doc[subj.left_edge.i:subj.right_edge.i + 1].text if subj.dep_ != "expl" else subj.text
    is_passive = any(c.dep_ == "auxpass" for c in verb.children)
    if subj is not None and subj.lower_ in _EXPLETIVES and verb.lemma_.lower() in _COPULAS and not is_passive:
        return "epistemic", subj_text, verb.lemma_.lower()
    return "deontic", subj_text, verb.lemma_.lower()


def extract_doc_stance(doc: "Doc", *, doc_id: str = "", include_negated: bool = False) -> pd.DataFrame:
    """Stance markers of one doc, one row per hit (rules in the module docstring).

    Negated hits are left out unless ``include_negated`` (``negated`` says which).

    Returns
    -------
    DataFrame with columns ``STANCE_COLUMNS``: category (``STANCE_CATEGORIES``), marker (the
    lexicon pattern), reading (deontic|epistemic for modals, else empty), subject and verb of
    deontic hits, match, token and char offsets, negated, sentence.
    """
    from ..nlp import load_nlp

    matcher = packaged_matcher("stance", MARKERS_FILE, "category", load_nlp())
    sents = sentences_of(doc)
    sent_of = sentence_index(doc)
    rows = []
    for hit in matcher(doc):
        category, reading, subject, verb = hit.category, "", "", ""
        if _skip_hit(doc, hit.start, hit.end, category):
            continue
        if category == "deontic" and (doc[hit.start].lower_ in _MODALS | {"have", "has", "had", "having", "need", "needs", "needed"}):
            reading, subject, verb = modal_reading(doc, hit.start, hit.end)
            if reading == "epistemic":
                category = "booster" if doc[hit.start].lower_ == "must" else "hedge"
        elif category == "deontic":
            reading = "deontic"
        span = doc[hit.start:hit.end]
        k = sent_of[hit.start]
        rows.append({
            "doc_id": doc_id, "sent_id": k, "category": category,
            "marker": span.text.lower() if hit.pattern.startswith("[") else hit.pattern, "reading": reading,
            "subject": subject, "verb": verb, "match": span.text, "start": hit.start, "end": hit.end,
            "start_char": span.start_char, "end_char": span.end_char,
            "negated": is_negated(doc, hit.start, hit.end), "sentence": sents[k].text.strip(),
        })
    table = pd.DataFrame(rows, columns=STANCE_COLUMNS)
    # The same tokens can match a category twice (e.g. "may" and "may well"): keep one row per
    # category and start token, the longest.
    table = table.sort_values(["start", "category", "end"], ascending=[True, True, False], kind="stable")
    table = table.drop_duplicates(["start", "category"]).sort_values(["start", "category"], kind="stable")
    if not include_negated:
        table = table[~table["negated"].astype(bool)]
    return table.astype({c: "int64" for c in ("sent_id", "start", "end", "start_char", "end_char")} | {"negated": bool}).reset_index(drop=True)


def extract_stance(corpus: Any = None, *, include_negated: bool = False) -> pd.DataFrame:
    """Stance markers in every document (see :func:`extract_doc_stance` for the columns); negated
    hits are left out unless ``include_negated``."""
    tables = [extract_doc_stance(doc, doc_id=doc_id, include_negated=include_negated) for doc_id, doc in iter_docs(corpus)]
    return pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=STANCE_COLUMNS)


def extract_sentence_sentiment(corpus: Any = None) -> pd.DataFrame:
    """VADER scores of every sentence: doc_id, sent_id, compound, pos, neu, neg, sentence."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    rows = []
    for doc_id, doc in iter_docs(corpus):
        for k, sent in enumerate(sentences_of(doc)):
            text = sent.text.strip()
            scores = analyzer.polarity_scores(text)
            rows.append({"doc_id": doc_id, "sent_id": k, **{c: scores[c] for c in ("compound", "pos", "neu", "neg")},
                         "sentence": text})
    return pd.DataFrame(rows, columns=SENTIMENT_COLUMNS)


def score_actor_sentiment(corpus: Any = None, *, by: str = "outlet", groups: Mapping[str, str] | pd.Series | None = None,
                          n_resamples: int = 9_999, seed: int = 0) -> pd.DataFrame:
    """Mean VADER compound of the sentences that mention each actor, per group.

    A sentence counts once per actor however often the actor is named. ``ci_low``/``ci_high`` is
    a percentile bootstrap interval of the mean over sentences (:func:`scipy.stats.bootstrap`,
    seeded; NaN under 2 sentences). ``negative_share``/``positive_share``: sentences with compound
    <= -0.05 / >= 0.05. See the module docstring for VADER's limits.

    Returns
    -------
    DataFrame with columns group, actor, sentences, compound_mean, ci_low, ci_high,
    negative_share, positive_share; sorted by group, sentences descending, actor.
    """
    from scipy import stats as sps

    from ..entities import extract_doc_mentions, load_alias_table

    docs = corpus if is_corpus_like(corpus) else list(iter_docs(corpus))
    sentiment = extract_sentence_sentiment(docs)
    aliases = load_alias_table(docs if is_corpus_like(docs) else None)
    mentions = [extract_doc_mentions(doc, aliases=aliases, doc_id=doc_id) for doc_id, doc in iter_docs(docs)]
    mentions = pd.concat(mentions, ignore_index=True) if mentions else pd.DataFrame(columns=["doc_id", "sent_id", "actor", "kind"])
    mentions = mentions[mentions["kind"] == "actor"].drop_duplicates(["doc_id", "sent_id", "actor"])
    table = mentions[["doc_id", "sent_id", "actor"]].merge(sentiment, on=["doc_id", "sent_id"])
    labels = resolve_groups(docs, sentiment["doc_id"], by=by, groups=groups)
    table["group"] = table["doc_id"].map(labels)
    rows = []
    for (group, actor), part in table.groupby(["group", "actor"], sort=True):
        values = part["compound"].to_numpy(float)
        low = high = np.nan
        if len(values) >= 2 and np.ptp(values) > 0:
            ci = sps.bootstrap((values,), np.mean, n_resamples=n_resamples, method="percentile",
                               rng=np.random.default_rng(seed)).confidence_interval
            low, high = float(ci.low), float(ci.high)
        rows.append({"group": group, "actor": actor, "sentences": len(values), "compound_mean": float(values.mean()),
                     "ci_low": low, "ci_high": high, "negative_share": float((values <= -0.05).mean()),
                     "positive_share": float((values >= 0.05).mean())})
    out = pd.DataFrame(rows, columns=ACTOR_SENTIMENT_COLUMNS)
    return out.sort_values(["group", "sentences", "actor"], ascending=[True, False, True], kind="stable").reset_index(drop=True)


def compare_stance(corpus: Any = None, *, by: str = "outlet", groups: Mapping[str, str] | pd.Series | None = None,
                   pairwise: bool = False, n_resamples: int = 9_999, seed: int = 0,
                   include_negated: bool = False) -> pd.DataFrame:
    """Stance categories per group (negated hits only with ``include_negated``): columns group, versus, marker (the category),
    then the statistics of :func:`~textcompare.framing.compare.compare_rates`."""
    from .compare import compare_rates, stream_hits, stream_rate_units

    docs = corpus if is_corpus_like(corpus) else list(iter_docs(corpus))

    def counted(doc_id: str, doc: "Doc") -> pd.DataFrame:
        table = extract_doc_stance(doc, doc_id=doc_id, include_negated=include_negated)
        return table.assign(marker=lambda t: t["category"])

    hits = stream_hits(docs, counted, feature="marker")
    sentences = stream_rate_units(docs)
    labels = resolve_groups(docs, sentences["doc_id"], by=by, groups=groups)
    return compare_rates(hits, sentences, labels, feature="marker", features=list(STANCE_CATEGORIES),
                         pairwise=pairwise, n_resamples=n_resamples, seed=seed)
