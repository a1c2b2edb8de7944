"""Files in and out: bounded reads of untrusted input, and writes readers see whole or not at all."""
from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def atomic_write_bytes(
    path: Path, data: bytes, *, tmp_dir: Path | None = None, mode: int = 0o644, durable: bool = True
) -> None:
    """Replace ``path`` with ``data`` through a temporary file and :func:`os.replace`.

    The temporary file goes to ``tmp_dir`` (same file system as ``path``; default its directory).
    ``durable=True`` also fsyncs before the rename (the manifest and raw files); derived, rebuildable
    files skip it for speed.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=tmp_dir or path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


#: Default largest input file read (bytes): generous for any article, small enough to refuse a dump.
DEFAULT_MAX_BYTES = 5_000_000
#: Environment variable holding the limit (``--max-bytes`` sets it, so worker processes see it too).
MAX_BYTES_ENV = "TEXTCOMPARE_MAX_BYTES"


def max_input_bytes() -> int:
    """The input size limit: ``$TEXTCOMPARE_MAX_BYTES`` if set to a positive integer, else 5 MB."""
    value = os.environ.get(MAX_BYTES_ENV, "")
    try:
        limit = int(value)
    except ValueError:
        return DEFAULT_MAX_BYTES
    return limit if limit > 0 else DEFAULT_MAX_BYTES


def read_bounded(path: str | os.PathLike[str], *, max_bytes: int | None = None,
                 name: str | os.PathLike[str] | None = None) -> bytes:
    """The bytes of a regular file of at most ``max_bytes`` (default :func:`max_input_bytes`).

    Hand-written because no library call both refuses FIFOs and devices without blocking and
    stops reading at a limit: the file is opened with ``O_NONBLOCK`` (so a FIFO cannot hang the
    open), checked with ``fstat`` on the open descriptor (so a swap between check and read is
    impossible), and read up to one byte past the limit (a file growing meanwhile is caught).

    Raises
    ------
    InputError
        Missing, not a regular file (directory, FIFO, device, socket), unreadable, or too large;
        the message names ``name`` (default ``path``) and the fix.
    """
    from .errors import InputError

    limit = max_input_bytes() if max_bytes is None else max_bytes
    shown = path if name is None else name
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputError("no such file", path=shown, fix="check the path") from None
    except IsADirectoryError:
        raise InputError("is a directory, not a regular file", path=shown) from None
    except OSError as exc:
        raise InputError(f"cannot open: {exc.strerror or exc}", path=shown) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = ("a directory" if stat.S_ISDIR(info.st_mode) else "a FIFO" if stat.S_ISFIFO(info.st_mode)
                    else "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else "a socket or special file")
            raise InputError(f"is {kind}, not a regular file", path=shown, fix="give a regular text or HTML file")
        if info.st_size > limit:
            raise _too_large(shown, info.st_size, limit)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise _too_large(shown, total, limit)
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=shown) from None
    finally:
        os.close(fd)


def read_stream_bounded(stream, *, max_bytes: int | None = None, name: str = "<stdin>") -> bytes:
    """At most ``max_bytes`` from a binary stream (standard input); :class:`InputError` beyond."""
    limit = max_input_bytes() if max_bytes is None else max_bytes
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise _too_large(name, len(data), limit, at_least=True)
    return data


def _too_large(name, size: int, limit: int, *, at_least: bool = False):
    from .errors import InputError

    return InputError(f"is {'over ' if at_least else ''}{size:,} bytes, over the {limit:,}-byte input limit",
                      path=name, fix="check it is one article; raise the limit with --max-bytes N "
                                     f"(or ${MAX_BYTES_ENV}) if it really is")
