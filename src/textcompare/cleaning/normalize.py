"""Text normalisation: Unicode NFC, whitespace, conservative mojibake repair.

Typographic quotes and dashes are kept as they are (no "uncurling").
Mojibake is repaired with ftfy only for blocks that ftfy's own badness
heuristic flags, so clean text is never touched by the repair step.
"""
from __future__ import annotations

import re
import unicodedata

from .memo import memo

try:  # ftfy is a declared dependency, but the cleaner must still work without it.
    import ftfy
    from ftfy.badness import is_bad as _is_bad
except ImportError:  # pragma: no cover
    ftfy = None
    _is_bad = None

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_HSPACE = re.compile(r"[^\S\n]+")  # any whitespace except newline
_BLANK_RUN = re.compile(r"\n\s*\n\s*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@memo
def repair_mojibake(text: str) -> str:
    """Fix encoding mix-ups (e.g. ``â€™`` -> ``’``) only where ftfy detects them."""
    if ftfy is None or not text or text.isascii():
        return text
    try:
        if _is_bad(text):
            return ftfy.fix_encoding(text)
    except Exception:  # ftfy must never make cleaning fail
        return text
    return text


@memo
def normalize_line(line: str) -> str:
    """NFC, invisible characters removed, runs of spaces/tabs collapsed, stripped."""
    line = _INVISIBLE.sub("", line)
    line = _CONTROL.sub(" ", line)
    line = _HSPACE.sub(" ", line)
    return unicodedata.normalize("NFC", line).strip()


@memo
def normalize_text(raw: str) -> str:
    """Normalise a whole page: newlines, per-block mojibake repair, per-line spacing.

    The result has blocks separated by exactly one blank line and no blank
    lines inside a block.  Applying it twice changes nothing.
    """
    if not raw:
        return ""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    blocks = []
    for block in _BLANK_RUN.split(text):
        block = repair_mojibake(block)
        lines = [normalize_line(line) for line in block.split("\n")]
        lines = [line for line in lines if line]
        if lines:
            blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


__all__ = ["normalize_line", "normalize_text", "repair_mojibake"]
