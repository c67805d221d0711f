"""Where uploaded files and Parquet snapshots live, and how they are written safely.

Every file is written beside its final name and renamed into place, so a crash or a
kill leaves either the complete file or nothing under the final name.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

import polars as pl
from django.conf import settings
from django.utils import timezone

CHUNK = 1024 * 1024


def data_dir() -> Path:
    path = Path(settings.DATA_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def uploads_dir() -> Path:
    path = data_dir() / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def snapshots_dir(district_code: uuid.UUID) -> Path:
    path = data_dir() / "snapshots" / str(district_code)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _sibling_temp(final: Path) -> Path:
    return final.with_name(f".{final.name}.{uuid.uuid4().hex}.tmp")


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def save_stream(chunks: Iterable[bytes], suffix: str, *, max_bytes: int) -> tuple[Path, str, int]:
    """Store an upload under a server-chosen name; returns (path, sha256, size).

    Raises ValueError when the stream is larger than ``max_bytes``; nothing is kept then.
    """
    final = uploads_dir() / f"{uuid.uuid4().hex}{suffix}"
    temp = _sibling_temp(final)
    digest, size = hashlib.sha256(), 0
    try:
        with temp.open("wb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise ValueError(f"larger than {max_bytes // CHUNK} MB")
                digest.update(chunk)
                out.write(chunk)
        _fsync(temp)
        temp.replace(final)
    finally:
        temp.unlink(missing_ok=True)
    return final, digest.hexdigest(), size


def save_local(path: Path) -> tuple[Path, str, int]:
    """Copy a file on this machine among the uploads (no size limit: operators trust it)."""
    with path.open("rb") as handle:
        chunks = iter(lambda: handle.read(CHUNK), b"")
        return save_stream(chunks, "".join(path.suffixes[-2:]), max_bytes=2**62)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def write_parquet(frame: pl.DataFrame, final: Path) -> str:
    """Write a snapshot atomically and return its checksum."""
    final.parent.mkdir(parents=True, exist_ok=True)
    temp = _sibling_temp(final)
    try:
        frame.write_parquet(temp, compression="zstd", statistics=True)
        _fsync(temp)
        temp.replace(final)
    finally:
        temp.unlink(missing_ok=True)
    return sha256_of(final)


def remove_quietly(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def prune_uploads(days: int) -> int:
    """Delete uploaded originals older than ``days``; they hold full student records."""
    cutoff = (timezone.now() - timedelta(days=days)).timestamp()
    removed = 0
    for path in uploads_dir().iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
