"""Writing files so that readers see the old or the new content, never a mix."""
from __future__ import annotations

import os
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
