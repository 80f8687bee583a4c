"""Readers: bytes of any supported format in, one `Document` out.

`read(source)` takes a `Path` (the file is read), `bytes` (the format is detected from the content
and checked against `name`'s extension) or a `str` holding the text itself. Every reader returns a
`Document` whose offsets index `Document.text`; sections and sentences are added here, once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from nlp_service.errors import EmptyInput, FileMissing, InputError
from nlp_service.ingest.detect import detect_format
from nlp_service.ingest.document import Document
from nlp_service.ingest.limits import check_size
from nlp_service.ingest.sections import find_sections
from nlp_service.ingest.sentences import split_sentences
from nlp_service.ingest.text import flattened_tables, read_text_bytes, require_content

__all__ = ["Document", "read", "read_bytes"]

Reader = Callable[[bytes, str], Document]


def _reader(fmt: str) -> Reader:
    """The reader for a format, imported on first use (pdfplumber and openpyxl load slowly)."""
    if fmt == "docx":
        from nlp_service.ingest.docx import read_docx

        return read_docx
    if fmt == "xlsx":
        from nlp_service.ingest.xlsx import read_xlsx

        return read_xlsx
    if fmt == "pdf":
        from nlp_service.ingest.pdf import read_pdf

        return read_pdf
    if fmt == "html":
        from nlp_service.ingest.html import read_html

        return read_html
    return read_text_bytes


def read(source: Path | bytes | str, *, name: str | None = None) -> Document:
    """Read a report from a file path, its bytes, or its text; raise an `InputError` if it is not one."""
    if isinstance(source, Path):
        return read_bytes(_file_bytes(source), name=name or source.name, label=str(source))
    if isinstance(source, bytes | bytearray):
        return read_bytes(bytes(source), name=name, label=name or "<bytes>")
    return read_string(source, name=name)


def _file_bytes(path: Path) -> bytes:
    label = str(path)
    try:
        if path.is_dir():
            raise InputError("is a directory, not a report file", source=label)
        check_size(path.stat().st_size, label)
        return path.read_bytes()
    except FileNotFoundError:
        raise FileMissing("no such file", source=label) from None
    except PermissionError:
        raise InputError("permission denied", source=label) from None


def read_string(text: str, *, name: str | None = None) -> Document:
    """A `Document` from text given as a string (format txt)."""
    label = name or "<text>"
    data = text.encode("utf-8", errors="surrogatepass")
    check_size(len(data), label)
    require_content(text, label)
    document = Document(text=text, format="txt", tables=flattened_tables(text))
    return _finish(document, data, name)


def read_bytes(data: bytes, *, name: str | None = None, label: str | None = None) -> Document:
    """A `Document` from the bytes of a file; `name` (its file name) is checked against the content."""
    label = label or name or "<bytes>"
    check_size(len(data), label)
    if not data.strip():
        raise EmptyInput("file is empty" if not data else "file holds only whitespace", source=label)
    detected = detect_format(data, name, label)
    document = _reader(detected.format)(data, label)
    require_content(document.text, label)
    document.notes[:0] = detected.notes
    return _finish(document, data, name)


def _finish(document: Document, data: bytes, name: str | None) -> Document:
    document.source = name
    document.sha256 = hashlib.sha256(data).hexdigest()
    table_ranges = [(t.start, t.end) for t in document.tables]
    document.sections = find_sections(document.text, table_ranges)
    document.sentences = split_sentences(document.text)
    return document
