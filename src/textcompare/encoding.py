"""Bytes in, text out: read an article as received and decode it, saying which encoding was used.

UTF-8 is tried first (a byte-order mark is dropped). A file that is mostly UTF-8 (more valid
multi-byte characters than invalid bytes) stays UTF-8 with each invalid byte replaced by U+FFFD
and counted in the encoding label. Anything else goes to charset-normalizer, whose guess is used
only when confident (chaos at most :data:`MAX_LEGACY_CHAOS`); the label names the code page.
Binary input (NUL bytes, or many control characters) and input no encoding fits raise
:class:`~textcompare.errors.InputError` naming the file and the problem.
"""
from __future__ import annotations

import codecs
import os
import re
import sys
import unicodedata

from .errors import InputError
from .fileio import read_bounded, read_stream_bounded

Source = str | os.PathLike[str] | bytes

STDIN_NAME = "<stdin>"
BYTES_NAME = "<bytes>"
HTML_SUFFIXES = (".html", ".htm")

# Share of control characters (other than tab, newline, carriage return, form feed) above which
# a decoded text is treated as binary.
MAX_CONTROL_SHARE = 0.01
# When charset-normalizer cannot tell single-byte code pages apart (often on short texts it ties
# cp1250, cp1252, cp1257 ...), prefer the WHATWG default for undeclared Western pages.
PREFERRED_FALLBACK = "cp1252"
# A whole-file legacy code page is used only when charset-normalizer's "chaos" (share of the
# decoded text that looks garbled) is at most this; otherwise the file is refused.
MAX_LEGACY_CHAOS = 0.1

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HTML_SNIFF = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_ALLOWED_CONTROLS = frozenset("\t\n\r\f")
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F)) + b"\t\n\r"


def read_article_bytes(source: Source) -> tuple[bytes, str]:
    """The bytes of an article exactly as received, and a name for messages.

    Parameters
    ----------
    source
        A path, ``"-"`` for standard input, or the bytes themselves. Files and standard input
        are read with a size limit (:func:`textcompare.fileio.read_bounded`: regular files
        only, at most ``--max-bytes``, default 5 MB).

    Returns
    -------
    (data, name)
        ``name`` is the path as given, ``"<stdin>"`` or ``"<bytes>"``.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), BYTES_NAME
    if isinstance(source, str) and source == "-":
        return read_stream_bounded(sys.stdin.buffer, name=STDIN_NAME), STDIN_NAME
    return read_bounded(source), os.fspath(source)


def decode_article(data: bytes, path: str | os.PathLike[str] | None = None) -> tuple[str, str]:
    """Decode raw article bytes; return ``(text, encoding)``.

    Parameters
    ----------
    data
        The bytes as received.
    path
        Named in error messages.

    Raises
    ------
    InputError
        Binary data (NUL bytes or more than 1% control characters) or bytes no encoding fits.

    Examples
    --------
    >>> decode_article("café".encode("utf-8"))
    ('café', 'utf-8')
    >>> decode_article("café".encode("cp1252"))[0]
    'café'
    >>> decode_article("Iran’s “café”".encode("utf-8") + b"\\xff")
    ('Iran’s “café”\ufffd', 'utf-8 with 1 invalid byte replaced by U+FFFD')
    """
    name = path if path is not None else BYTES_NAME
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(f"not valid {encoding} despite its byte-order mark ({exc.reason})", path=name) from exc
            return _check_text(text, name), "utf-8" if encoding == "utf-8-sig" else encoding
    if b"\x00" in data:
        raise InputError("looks like a binary file (contains NUL bytes), not a text or HTML article", path=name)
    try:
        return _check_text(data.decode("utf-8"), name), "utf-8"
    except UnicodeDecodeError:
        pass
    mostly = _mostly_utf8(data)
    if mostly is not None:
        text, invalid = mostly
        return _check_text(text, name), f"utf-8 with {invalid} invalid byte{'s' * (invalid != 1)} replaced by U+FFFD"
    text, encoding = _detect(data, name)
    return _check_text(text, name), encoding


def is_html(data: bytes, path: str | os.PathLike[str] | None = None) -> bool:
    """True for a ``.html``/``.htm`` file name or bytes that open like an HTML page."""
    if path is not None and os.fspath(path).lower().endswith(HTML_SUFFIXES):
        return True
    head = data[:4096]
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8):]
    return bool(_HTML_SNIFF.match(head))


def _mostly_utf8(data: bytes) -> tuple[str, int] | None:
    """``(text, invalid bytes)`` when valid multi-byte UTF-8 characters outnumber the invalid bytes.

    Such a file is UTF-8 with a few damaged bytes (a truncated copy, a stray cp1252 quote):
    decoding the whole file with a legacy code page would turn every ``’`` into mojibake, so
    only the invalid bytes become U+FFFD, each counted. A legacy file has (almost) no valid
    multi-byte sequences, so it is left to the detector.
    """
    escaped = data.decode("utf-8", errors="surrogateescape")
    invalid = sum(1 for ch in escaped if "\udc80" <= ch <= "\udcff")
    valid = sum(1 for ch in escaped if ord(ch) > 0x7F and not "\udc80" <= ch <= "\udcff")
    if invalid == 0 or valid <= invalid:
        return None
    return data.decode("utf-8", errors="replace"), invalid


def _detect(data: bytes, name: str | os.PathLike[str]) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    matches = [m for m in from_bytes(data) if _ascii_compatible(m.encoding)]
    if not matches:
        raise InputError("cannot decode: not UTF-8 and no known text encoding fits", path=name,
                         fix="convert it to UTF-8 first")
    best = min(match.chaos for match in matches)
    if best > MAX_LEGACY_CHAOS:
        raise InputError(f"cannot decode confidently: not UTF-8, and the best guess ({matches[0].encoding}) "
                         f"leaves {best:.0%} of the text garbled", path=name, fix="convert it to UTF-8 first")
    tied = [m for m in matches if m.chaos <= best]
    for match in tied:
        if PREFERRED_FALLBACK in match.could_be_from_charset:
            return data.decode(PREFERRED_FALLBACK), PREFERRED_FALLBACK
    match = tied[0]
    try:
        return data.decode(match.encoding), match.encoding
    except (LookupError, UnicodeDecodeError) as exc:
        raise InputError("cannot decode: not UTF-8 and no known text encoding fits", path=name,
                         fix="convert it to UTF-8 first") from exc


def _ascii_compatible(encoding: str) -> bool:
    """False for EBCDIC and other code pages where plain ASCII bytes mean something else."""
    try:
        return _PRINTABLE_ASCII.decode(encoding) == _PRINTABLE_ASCII.decode("ascii")
    except (LookupError, UnicodeDecodeError):
        return False


def _check_text(text: str, name: str | os.PathLike[str]) -> str:
    if "\x00" in text:
        raise InputError("looks like a binary file (contains NUL characters), not a text or HTML article", path=name)
    if text:
        controls = sum(1 for ch in text if ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) == "Cc")
        if controls / len(text) > MAX_CONTROL_SHARE:
            raise InputError(
                f"looks like a binary file ({controls} control characters in {len(text)}), not a text or HTML article",
                path=name)
    return text


__all__ = ["read_article_bytes", "decode_article", "is_html"]
