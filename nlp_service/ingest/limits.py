"""Size limits for input files and for the members of DOCX/XLSX (ZIP) containers.

`NLP_SERVICE_MAX_BYTES` caps the size of one input (default 20 MB); the unpacked members of a ZIP
container may add up to `NLP_SERVICE_MAX_UNPACKED_BYTES` (default 10 times the input limit, at least
200 MB), and no sizeable member may unpack to more than `MAX_COMPRESSION_RATIO` times its packed size.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass

from nlp_service.errors import SetupError, TooLarge, ZipBomb

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_MIN_BYTES = 1024 * 1024
MAX_ZIP_MEMBERS = 10_000


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_unpacked_bytes: int


def _env_bytes(variable: str, default: int) -> int:
    raw = os.environ.get(variable, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SetupError(f"{variable}={raw!r} is not a whole number of bytes") from None
    if value <= 0:
        raise SetupError(f"{variable}={raw!r} must be a positive number of bytes")
    return value


def current_limits() -> Limits:
    """The limits in force now (read from the environment on every call, so tests can change them)."""
    max_bytes = _env_bytes("NLP_SERVICE_MAX_BYTES", DEFAULT_MAX_BYTES)
    unpacked = _env_bytes("NLP_SERVICE_MAX_UNPACKED_BYTES", max(10 * max_bytes, 200 * 1024 * 1024))
    return Limits(max_bytes=max_bytes, max_unpacked_bytes=unpacked)


def _megabytes(n: int) -> str:
    """A size for a message: MB from one megabyte up, bytes below."""
    return f"{n / 1_048_576:.1f} MB" if n >= 1_048_576 else f"{n} bytes"


def check_size(size: int, label: str) -> None:
    """Refuse an input of `size` bytes over the configured limit."""
    limit = current_limits().max_bytes
    if size > limit:
        raise TooLarge(
            f"file is {_megabytes(size)}, over the {_megabytes(limit)} limit (set NLP_SERVICE_MAX_BYTES to raise it)",
            source=label,
        )


def check_zip_members(archive: zipfile.ZipFile, label: str) -> None:
    """Refuse a ZIP container whose declared member sizes reveal a decompression bomb."""
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise ZipBomb(f"ZIP container holds {len(members)} members (limit {MAX_ZIP_MEMBERS})", source=label)
    total = sum(m.file_size for m in members)
    limit = current_limits().max_unpacked_bytes
    if total > limit:
        raise ZipBomb(
            f"ZIP container would unpack to {_megabytes(total)}, over the {_megabytes(limit)} limit "
            "(possible ZIP bomb)",
            source=label,
        )
    for member in members:
        if member.file_size >= RATIO_CHECK_MIN_BYTES:
            ratio = member.file_size / max(member.compress_size, 1)
            if ratio > MAX_COMPRESSION_RATIO:
                raise ZipBomb(
                    f"ZIP member {member.filename} is compressed {ratio:.0f}:1 (limit "
                    f"{MAX_COMPRESSION_RATIO}:1; possible ZIP bomb)",
                    source=label,
                )
