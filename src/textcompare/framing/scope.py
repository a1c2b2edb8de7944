"""Dependency scope of a frame hit: is it negated, and is force described as avoided or limited?

The codebook codes a frame whenever a sentence engages it, whether it affirms, warns of or denies
it, with one exception: a sentence that says conflict is being avoided, limited or wound down is
de-escalation, not escalation ("Neither side wants war"). These rules decide that exception from
the parse, not from a window of neighbouring words, so "no" in "no one doubts Iran will strike
back" does not reach "strike back", and "not" in "does not want to go to war" does.

The *governing chain* of a hit is its syntactic root and the heads above it up to the verb of its
clause; open complements and infinitival modifiers ("want *to avoid*", "no plans *to attack*") pass on
to the word above them.
Hand-written because spaCy has no negation-scope component; the word lists are general English.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

NEGATIVE_WORDS = frozenset({"not", "n't", "no", "never", "neither", "nor", "without", "cannot", "nobody", "none",
                            "nothing", "nowhere"})
NEGATIVE_SUBJECTS = frozenset({"nobody", "none", "neither", "nothing", "noone"})
AVOIDING_LEMMAS = frozenset({
    "avoid", "avert", "prevent", "forestall", "preclude", "refrain", "stop", "halt", "end", "limit", "minimize",
    "minimise", "reduce", "defuse", "de-escalate", "deescalate", "contain", "shun", "eschew", "resist",
    "renounce", "forgo", "forego", "wind", "avoidance", "prevention", "reluctant", "reluctance",
    "unwilling", "averse", "aversion", "wary",
})
LIMITING_WORDS = frozenset({"limited", "symbolic", "measured", "proportionate", "proportional", "restrained",
                            "calibrated", "token", "pinprick", "face-saving", "carefully", "telegraphed"})
#: "not only ... but also" focuses, it does not negate.
FOCUS_WORDS = frozenset({"only", "just", "merely", "simply"})
CLAUSE_HEADS = ("VERB", "AUX")
PASS_ON = ("xcomp", "acl", "pcomp")  # "want *to strike*", "plans *to strike*", "intention of *striking*"


def governing_chain(doc: "Doc", start: int, end: int) -> list["Token"]:
    """The hit's root and its heads up to the verb of its clause (through ``xcomp`` verbs)."""
    node = doc[start:end].root
    chain = [node]
    while node.head.i != node.i and not (node.pos_ in CLAUSE_HEADS and node.dep_ not in PASS_ON):
        node = node.head
        chain.append(node)
    return chain


def _outside(tok: "Token", start: int, end: int) -> bool:
    return not (start <= tok.i < end)


def is_negator(child: "Token") -> bool:
    """Whether ``child`` negates its head: a ``neg`` arc or a negative determiner, adverb or
    conjunction ("no", "never", "neither", "nor"), except the focus "not only / not just"."""
    if not (child.dep_ == "neg" or (child.dep_ in ("det", "advmod", "preconj", "cc") and child.lower_ in NEGATIVE_WORDS)):
        return False
    following = child.doc[child.i + 1] if child.i + 1 < len(child.doc) else None
    return not (following is not None and following.lower_ in FOCUS_WORDS)


def is_negative_argument(child: "Token") -> bool:
    """Whether an argument is negative: "nobody", "nothing", "neither", or headed by "no"/"neither" ("no country")."""
    return child.lower_ in NEGATIVE_SUBJECTS or any(
        g.dep_ in ("det", "preconj") and g.lower_ in ("no", "neither") for g in child.children)


def is_negated_in_scope(doc: "Doc", start: int, end: int) -> bool:
    """Whether a negator governs ``doc[start:end]``.

    A negator counts when it is a dependent (``neg``, a determiner such as "no"/"neither", or
    "without"/"never") of a token in the governing chain, a negative subject ("nobody",
    "neither side") of a verb in the chain, or a chain token itself ("without war"). A negator
    inside the hit ("no casualties") does not negate it, nor does the focus "not only". The same
    predicates (:func:`is_negator`, :func:`is_negative_argument`) decide event negation in
    :mod:`textcompare.framing.agency`.
    """
    chain = governing_chain(doc, start, end)
    for node in chain:
        if _outside(node, start, end) and node.lower_ in NEGATIVE_WORDS:
            return True
        for child in node.children:
            if not _outside(child, start, end):
                continue
            if is_negator(child) or (child.dep_ in ("nsubj", "nsubjpass") and is_negative_argument(child)):
                return True
    return False


def force_restraint(doc: "Doc", start: int, end: int) -> str:
    """How a force-related hit is restrained: ``"negated"``, ``"avoided"``, ``"limited"`` or ``""``.

    - negated: :func:`is_negated_in_scope` ("does not want war", "neither side wants a
      confrontation");
    - avoided: a chain token is a verb, noun or adjective of avoiding, stopping or limiting
      ("to avert war", "reluctant to retaliate", "ruled out a strike");
    - limited: the hit or its head is modified by a limiting word ("a limited, symbolic strike").
    """
    if is_negated_in_scope(doc, start, end):
        return "negated"
    chain = governing_chain(doc, start, end)
    for node in chain[1:]:
        if _outside(node, start, end) and (node.lemma_.lower() in AVOIDING_LEMMAS or node.lower_ in AVOIDING_LEMMAS):
            return "avoided"
    root = chain[0]
    for node in (root, root.head):
        for child in node.children:
            if _outside(child, start, end) and child.lower_ in LIMITING_WORDS and child.dep_ in ("amod", "advmod", "acomp", "conj"):
                return "limited"
    if root.dep_ in ("nsubj", "nsubjpass"):
        for child in root.head.children:
            if child.dep_ in ("acomp", "attr", "oprd") and (child.lower_ in LIMITING_WORDS
                                                            or any(g.lower_ in LIMITING_WORDS for g in child.subtree)):
                return "limited"
    return ""


__all__ = ["force_restraint", "governing_chain", "is_negated_in_scope", "is_negative_argument", "is_negator"]
