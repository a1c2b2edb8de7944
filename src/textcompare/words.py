"""What counts as a *word*: every token that is neither punctuation nor whitespace.

Rates per 1,000 words, document lengths, keyness counts and concordances all use this one
definition, on token tables (:func:`word_mask`) and on spaCy tokens (:func:`is_word`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


def word_mask(tokens: "pd.DataFrame") -> "pd.Series":
    """Boolean mask of the rows of a token table (``is_punct``, ``is_space`` columns) that are words."""
    return ~(tokens["is_punct"].astype(bool) | tokens["is_space"].astype(bool))


def is_word(token: Any) -> bool:
    """Whether a spaCy ``Token`` is a word (not punctuation, not whitespace)."""
    return not (token.is_punct or token.is_space)
