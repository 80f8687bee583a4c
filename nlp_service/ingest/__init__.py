"""Readers: bytes of any supported format in, one `Document` out."""

from __future__ import annotations

import hashlib
from pathlib import Path

from nlp_service.ingest.document import Document

__all__ = ["Document", "read"]


def read(source: Path | bytes | str, *, name: str | None = None) -> Document:
    """PLACEHOLDER until the readers land: UTF-8 text only."""
    if isinstance(source, Path):
        data = source.read_bytes()
        name = name or source.name
        text = data.decode("utf-8-sig")
    elif isinstance(source, bytes):
        data = source
        text = data.decode("utf-8-sig")
    else:
        text = source
        data = text.encode("utf-8")
    return Document(text=text, source=name, sha256=hashlib.sha256(data).hexdigest())
