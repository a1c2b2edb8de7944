"""Agency: who does what to whom (Franzosi's semantic triplet), with passives mapped correctly.

Rules, per verb token (``pos == VERB``):

- **Active**: agent = ``nsubj``/``csubj``; patient = ``dobj`` (else ``dative``; for verbs of the
  coerce/attack class also the object of an "at/against/on/upon" preposition: "missiles at U.S.
  bases").
- **Passive** (an ``auxpass`` or ``nsubjpass`` child): patient = ``nsubjpass``; agent = the
  ``pobj`` of the ``agent`` ("by") phrase. "Soleimani was killed by a US strike" gives agent
  United States, patient Qassem Soleimani (textacy's SVO extractor reverses this, METHODS §4).
  A passive participle modifying a noun ("a general respected by Iranians", ``acl`` + VBN) has
  that noun as patient.
- **Missing subject**: a verb conjoined to another (``conj``) or controlled by it (``xcomp``)
  inherits its subject; a relative pronoun subject (who/which/that) is replaced by the noun the
  clause modifies.
- **Intransitives** keep their agent with no patient ("Iran retaliated"). A verb with neither
  agent nor patient gives no row.
- **Actors**: an apposition stands for the noun it renames. An argument is mapped to the canonical actor of an actor mention
  (:func:`~textcompare.entities.extract_doc_mentions`) inside its phrase (the phrase minus
  relative clauses, participial modifiers and appositions), preferring the mention that contains
  the argument's head, else the first one ("a US strike" -> United States). Otherwise: a named
  entity inside the phrase, else the head noun's text (``*_source`` says which). No coreference:
  pronouns stay pronouns.
- **Verb classes** come from ``data/verb_classes.csv`` (coerce_attack, cooperate_restrain,
  speak_claim; anything else is ``other``).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..paths import data_file
from ._docs import is_corpus_like, iter_docs, resolve_groups, sentence_index, sentences_of
from .lexicons import read_lexicon
from .scope import is_negative_argument, is_negator

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

VERB_CLASSES_FILE = "verb_classes.csv"
VERB_CLASSES = ("coerce_attack", "cooperate_restrain", "speak_claim", "other")
AGENCY_COLUMNS = [
    "doc_id", "sent_id", "verb_i", "verb", "verb_lemma", "verb_class", "voice", "negated",
    "agent", "agent_text", "agent_source", "patient", "patient_text", "patient_source", "sentence",
]
_EXCLUDED_DEPS = {"relcl", "acl", "appos", "advcl", "punct", "cc"}
_RELATIVE = {"who", "which", "that", "whom"}
_ATTACK_PREPS = {"at", "against", "on", "upon"}
_SEMI_MODALS = {"have", "need", "go", "ought"}


def load_verb_classes() -> pd.DataFrame:
    """The verb-class table: pattern (verb lemma), verb_class, kind, pos, rationale."""
    return read_lexicon(data_file(VERB_CLASSES_FILE), category="verb_class")


def _verb_class_map() -> dict[str, str]:
    table = load_verb_classes()
    return dict(zip(table["pattern"].str.lower(), table["verb_class"]))


def _argument_tokens(head: "Token") -> list["Token"]:
    """The argument phrase: head plus descendants, minus clauses/appositions hanging off it."""
    out = [head]
    stack = [c for c in head.children if c.dep_ not in _EXCLUDED_DEPS]
    while stack:
        tok = stack.pop()
        out.append(tok)
        stack.extend(c for c in tok.children if c.dep_ not in ("relcl", "acl", "appos"))
    return sorted(out, key=lambda t: t.i)


def _mention_at(i: int, mentions: list[tuple[int, int, str]]) -> str:
    return next((a for s, e, a in mentions if s <= i < e), "")


def _resolve_actor(head: "Token", mentions: list[tuple[int, int, str]]) -> tuple[str, str, str]:
    """(actor, text, source) for an argument headed by ``head``.

    Only actors fill the ``actor`` slot: the argument's head token must lie inside an actor
    mention (``source="mention"``), or the head must be renamed by an apposition that is one
    ("the top commander, Qassem Soleimani"). Possessors and other modifiers inside the phrase do
    not count ("Iran's regional policy" is a policy, not Iran). Otherwise the actor is empty and
    ``source`` is ``pronoun`` or ``noun``; ``text`` always holds the phrase.
    """
    doc = head.doc
    tokens = _argument_tokens(head)
    text = doc[tokens[0].i:tokens[-1].i + 1].text
    actor = _mention_at(head.i, mentions)
    if actor:
        return actor, text, "mention"
    for child in head.children:
        if child.dep_ == "appos" and _mention_at(child.i, mentions):
            return _mention_at(child.i, mentions), text, "mention"
    return "", text, "pronoun" if head.pos_ == "PRON" else "noun"


def _antecedent(tok: "Token", verb: "Token") -> "Token":
    """A relative pronoun stands for the noun its clause modifies."""
    node = verb
    for _ in range(4):
        if node.dep_ == "relcl":
            return node.head if tok.lower_ in _RELATIVE else tok
        if node.dep_ in ("conj", "xcomp") and node.head is not node:
            node = node.head
            continue
        break
    return tok


def _subject(verb: "Token") -> tuple["Token" | None, bool]:
    """(subject token, is_passive_subject).

    A verb without a subject takes it from the verb it is conjoined to (``conj``: voice is shared,
    "was killed and buried") or from the verb that controls it (``xcomp``: the understood subject,
    "Iran wants to avoid war", "China is expected to bridge the gap"; the controlled verb keeps
    its own voice). Under object control ("urged Iran to negotiate") the object is the subject.
    Relative pronouns are replaced by their antecedent.
    """
    node, inherited_via_xcomp = verb, False
    for _ in range(6):
        for child in node.children:
            if child.dep_ in ("nsubj", "csubj", "nsubjpass", "csubjpass"):
                subj = _antecedent(child, node)
                passive = child.dep_ in ("nsubjpass", "csubjpass") and not inherited_via_xcomp
                return subj, passive
        if node.dep_ == "xcomp" and node.head.pos_ in ("VERB", "AUX"):
            obj = next((c for c in node.head.children if c.dep_ == "dobj"), None)
            if obj is not None:
                return _antecedent(obj, node.head), False
            node, inherited_via_xcomp = node.head, True
            continue
        if node.dep_ == "conj" and node.head.pos_ in ("VERB", "AUX"):
            node = node.head
            continue
        break
    return None, False


def _own_negation(verb: "Token") -> bool:
    """A negator of the verb itself, or a negative subject or object (the rules of :mod:`.scope`)."""
    return any(is_negator(child) or (child.dep_ in ("nsubj", "nsubjpass", "dobj") and is_negative_argument(child))
               for child in verb.children)


def is_event_negated(verb: "Token") -> bool:
    """Whether the event of ``verb`` is negated, by syntax rather than a word window.

    Negated when the verb has its own ``neg`` dependent ("did not strike", "never retaliated",
    "cannot afford") or a negative subject/object ("no country", "nobody"). Not negated: a verb
    under a negated verb ("didn't expect the strike to produce": only "expect" is negated), the
    focus construction "not only ... but also", and a double negation across control ("cannot
    afford not to respond": "respond" is asserted). A conjoined verb without its own auxiliary
    shares the negation of the first ("did not retaliate or escalate").
    Hand-written: spaCy marks ``neg`` arcs but offers no event-level scope rule.
    """
    own = _own_negation(verb)
    if own and verb.dep_ == "xcomp" and _own_negation(verb.head):
        return False
    if not own and verb.dep_ == "conj" and not any(c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass") for c in verb.children):
        return _own_negation(verb.head)
    return own


def _is_semi_modal(verb: "Token") -> bool:
    """"have to", "need to", "going to", "ought to": the verb after "to" carries the event."""
    if verb.lemma_.lower() not in _SEMI_MODALS:
        return False
    return any(c.dep_ == "xcomp" and any(g.tag_ == "TO" for g in c.children) for c in verb.children)


def extract_doc_agency(doc: "Doc", *, doc_id: str = "", mentions: pd.DataFrame | None = None,
                       verb_classes: Mapping[str, str] | None = None, include_negated: bool = False) -> pd.DataFrame:
    """Agent–verb–patient rows of one doc (rules in the module docstring).

    Parameters
    ----------
    doc : Doc
        A parsed doc.
    mentions : DataFrame, optional
        Actor mentions of this doc (columns start, end, actor; ``kind`` if present: only
        ``actor`` rows count, demonyms do not); default
        :func:`~textcompare.entities.extract_doc_mentions` with the packaged alias table.
    verb_classes : mapping, optional
        verb lemma -> class; default the packaged ``data/verb_classes.csv``.
    include_negated : bool
        Keep negated events (default: leave them out; ``negated`` says which).

    Returns
    -------
    DataFrame with columns ``AGENCY_COLUMNS``, one row per verb whose agent or patient is an actor.
    """
    if mentions is None:
        from ..entities import extract_doc_mentions, load_alias_table

        mentions = extract_doc_mentions(doc, aliases=load_alias_table(), doc_id=doc_id)
    classes = _verb_class_map() if verb_classes is None else dict(verb_classes)
    spans: list[tuple[int, int, str]] = []
    if len(mentions):
        keep = mentions if "kind" not in mentions else mentions[mentions["kind"] == "actor"]
        spans = sorted((int(r.start), int(r.end), str(r.actor)) for r in keep.itertuples(index=False))
    sents = sentences_of(doc)
    sent_of = sentence_index(doc)
    rows = []
    for verb in doc:
        if verb.pos_ != "VERB" or _is_semi_modal(verb):
            continue
        negated = is_event_negated(verb)
        if negated and not include_negated:
            continue
        subj, subj_passive = _subject(verb)
        passive = subj_passive or any(c.dep_ == "auxpass" for c in verb.children)
        agent_tok = patient_tok = None

        def by_phrase() -> "Token" | None:
            for child in verb.children:
                if child.dep_ == "agent":
                    return next((g for g in child.children if g.dep_ == "pobj"), None)
            return None

        if passive:
            patient_tok, agent_tok = subj, by_phrase()
            if patient_tok is None and verb.dep_ == "acl" and verb.tag_ == "VBN":
                patient_tok = verb.head
        elif subj is None and verb.dep_ == "acl" and verb.tag_ == "VBN":
            passive, patient_tok, agent_tok = True, verb.head, by_phrase()
        else:
            agent_tok = subj
            patient_tok = next((c for c in verb.children if c.dep_ == "dobj"), None)
            patient_tok = patient_tok or next((c for c in verb.children if c.dep_ == "dative"), None)
            if patient_tok is not None:
                patient_tok = _antecedent(patient_tok, verb)
            if patient_tok is None and classes.get(verb.lemma_.lower()) == "coerce_attack":
                for prep in verb.children:
                    if prep.dep_ == "prep" and prep.lower_ in _ATTACK_PREPS:
                        patient_tok = next((g for g in prep.children if g.dep_ == "pobj"), None)
                        if patient_tok is not None:
                            break
        # "Soleimani, a general respected by Iranians": the apposition stands for its head.
        agent_tok = agent_tok.head if agent_tok is not None and agent_tok.dep_ == "appos" else agent_tok
        patient_tok = patient_tok.head if patient_tok is not None and patient_tok.dep_ == "appos" else patient_tok
        agent = _resolve_actor(agent_tok, spans) if agent_tok is not None else ("", "", "")
        patient = _resolve_actor(patient_tok, spans) if patient_tok is not None else ("", "", "")
        if not agent[0] and not patient[0]:
            continue
        k = sent_of[verb.i]
        rows.append({
            "doc_id": doc_id, "sent_id": k, "verb_i": verb.i, "verb": verb.text, "verb_lemma": verb.lemma_.lower(),
            "verb_class": classes.get(verb.lemma_.lower(), "other"), "voice": "passive" if passive else "active",
            "negated": negated,
            "agent": agent[0], "agent_text": agent[1], "agent_source": agent[2],
            "patient": patient[0], "patient_text": patient[1], "patient_source": patient[2],
            "sentence": sents[k].text.strip(),
        })
    return pd.DataFrame(rows, columns=AGENCY_COLUMNS).astype({"sent_id": "int64", "verb_i": "int64", "negated": bool})


def extract_agency(corpus: Any = None, *, aliases: pd.DataFrame | None = None,
                   include_negated: bool = False) -> pd.DataFrame:
    """Agent–verb–patient rows for every document (see :func:`extract_doc_agency`).

    Actor mentions come from :func:`~textcompare.entities.extract_doc_mentions` with the corpus's
    alias table (the packaged one for docs in memory). Negated events are left out unless
    ``include_negated``.

    Returns
    -------
    DataFrame with columns doc_id, sent_id, verb_i, verb, verb_lemma, verb_class, voice
    (active|passive), negated, agent, agent_text, agent_source, patient, patient_text,
    patient_source (mention|noun|pronoun, empty when absent), sentence. ``agent``/``patient`` is
    a canonical actor or empty (the phrase is in ``*_text``); every row has at least one actor.
    """
    from ..entities import extract_doc_mentions, load_alias_table

    aliases = load_alias_table(corpus if is_corpus_like(corpus) else None) if aliases is None else aliases
    classes = _verb_class_map()
    tables = []
    for doc_id, doc in iter_docs(corpus):
        mentions = extract_doc_mentions(doc, aliases=aliases, doc_id=doc_id)
        tables.append(extract_doc_agency(doc, doc_id=doc_id, mentions=mentions, verb_classes=classes,
                                         include_negated=include_negated))
    if not tables:
        return pd.DataFrame(columns=AGENCY_COLUMNS)
    return pd.concat(tables, ignore_index=True)


def count_agency(agency: pd.DataFrame, corpus: Any = None, *, by: str = "outlet",
                 groups: Mapping[str, str] | pd.Series | None = None, include_negated: bool = False,
                 include_pronouns: bool = False) -> pd.DataFrame:
    """Actor × role counts per group and verb class.

    Only actor arguments are counted (an empty ``agent``/``patient`` is not an actor). Negated
    events are left out unless ``include_negated``. ``include_pronouns`` is kept for compatibility:
    pronouns never name an actor without coreference, so it changes nothing.

    Parameters
    ----------
    agency : DataFrame
        Output of :func:`extract_agency`.
    corpus : corpus or docs, optional
        Used to label documents with the manifest column ``by`` (unless ``groups`` is given).

    Returns
    -------
    DataFrame with columns group, actor, verb_class (each class and ``all``), agent, patient
    (counts), total, agent_share (agent / total); sorted by group, total descending, actor.
    """
    labels = resolve_groups(corpus, agency["doc_id"], by=by, groups=groups) if len(agency) else pd.Series(dtype=str)
    table = agency if include_negated else agency[~agency["negated"]]
    long = pd.concat([
        table.assign(actor=table["agent"], role="agent", source=table["agent_source"]),
        table.assign(actor=table["patient"], role="patient", source=table["patient_source"]),
    ], ignore_index=True)
    long = long[(long["actor"] != "") & (include_pronouns | (long["source"] != "pronoun"))]
    long["group"] = long["doc_id"].map(labels)
    long = pd.concat([long, long.assign(verb_class="all")], ignore_index=True)
    counts = long.groupby(["group", "actor", "verb_class", "role"]).size().unstack("role", fill_value=0)
    counts = counts.reindex(columns=["agent", "patient"], fill_value=0).rename_axis(columns=None).reset_index()
    counts["total"] = counts["agent"] + counts["patient"]
    counts["agent_share"] = counts["agent"] / counts["total"]
    counts = counts.sort_values(["group", "verb_class", "total", "actor"], ascending=[True, True, False, True], kind="stable")
    return counts[["group", "actor", "verb_class", "agent", "patient", "total", "agent_share"]].reset_index(drop=True)
