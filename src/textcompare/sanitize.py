"""Making untrusted text safe where it is shown: terminals and spreadsheets.

Metadata and article text come from outside (a manifest from a colleague, a scraped page), so
before text reaches a terminal its control and bidirectional-override characters are dropped
(an ANSI escape could rewrite the screen; U+202E can make ``exe.txt`` read as ``txt.exe``),
and before it reaches a CSV meant for spreadsheets, a cell that a spreadsheet would run as a
formula is neutralised following OWASP's "CSV injection" rule: a text cell beginning with
``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading apostrophe. Numbers are never
touched, and neither is the manifest (see docs/trust.md).
"""
from __future__ import annotations

import re
import unicodedata

import pandas as pd

#: First characters that make a spreadsheet treat a cell as a formula (OWASP).
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

# C0/C1 controls except tab and newline, DEL, and the bidi embeddings, overrides and isolates.
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean_for_terminal(text: str) -> str:
    """``text`` without control characters (tab and newline kept) and bidi controls, in NFC.

    Examples
    --------
    >>> clean_for_terminal("\\x1b[31mred\\x1b[0m \\u202eabc")
    '[31mred[0m abc'
    """
    return _TERMINAL_UNSAFE.sub("", unicodedata.normalize("NFC", str(text)))


def neutralise_formula(value: object) -> object:
    """A text cell a spreadsheet would run as a formula, prefixed with ``'``; anything else unchanged.

    Examples
    --------
    >>> neutralise_formula('=HYPERLINK("http://x")')
    '\\'=HYPERLINK("http://x")'
    >>> neutralise_formula(-1.5), neutralise_formula("Iran")
    (-1.5, 'Iran')
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` with every text cell passed through :func:`neutralise_formula`.

    Only columns of object or string dtype are looked at, and within them only ``str`` values,
    so numeric columns keep their type and values (``-0.5`` stays a number).
    """
    out = table.copy()
    for column in out.columns:
        series = out[column]
        if series.dtype == object or isinstance(series.dtype, pd.StringDtype):
            out[column] = series.map(neutralise_formula, na_action="ignore")
    return out


def clean_table_for_terminal(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` whose text cells (and column names) went through :func:`clean_for_terminal`."""
    out = table.copy()
    for column in out.columns:
        series = out[column]
        if series.dtype == object or isinstance(series.dtype, pd.StringDtype):
            out[column] = series.map(lambda v: clean_for_terminal(v) if isinstance(v, str) else v, na_action="ignore")
    out.columns = [clean_for_terminal(c) if isinstance(c, str) else c for c in out.columns]
    return out


__all__ = ["FORMULA_PREFIXES", "clean_for_terminal", "neutralise_formula", "neutralise_formulas",
           "clean_table_for_terminal"]
