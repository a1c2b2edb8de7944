"""Which language an article is written in (py3langid: deterministic, offline, ISO 639-1 codes)."""
from __future__ import annotations

import functools
import os

from .errors import InputError

SUPPORTED_LANGUAGES = ("en",)


@functools.cache
def _identifier():
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str, float]:
    """The most likely language of ``text`` as ``(iso_639_1_code, probability)``.

    Examples
    --------
    >>> detect_language("The council voted on the budget after a long debate.")[0]
    'en'
    """
    code, probability = _identifier().classify(text)
    return str(code), float(probability)


def check_language(text: str, *, path: str | os.PathLike[str] | None = None, allow_language: bool = False) -> str:
    """The language code of ``text``; raises :class:`InputError` if it is not supported.

    The analyses (spaCy's English pipeline, English lexicons) only make sense for English, so
    other languages are refused unless ``allow_language=True``.
    """
    code, probability = detect_language(text)
    if code not in SUPPORTED_LANGUAGES and not allow_language:
        raise InputError(
            f"the text looks like language {code!r} (p={probability:.2f}), not English",
            path=path,
            fix="pass --allow-language (allow_language=True) to add it anyway",
        )
    return code


__all__ = ["detect_language", "check_language", "SUPPORTED_LANGUAGES"]
