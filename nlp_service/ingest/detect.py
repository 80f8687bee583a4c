"""Format detection from content (magic bytes, ZIP member names, HTML sniffing), checked against the
file's extension.

A DOCX, XLSX or PDF named as another format is refused (`FormatMismatch`), as is a text file named
.docx/.xlsx/.pdf: a reviewer must know which file was actually read. Text and HTML are told apart by
sniffing; a `.txt` holding an HTML page is read as HTML with a note.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from nlp_service.errors import BinaryInput, CorruptFile, EncryptedFile, FormatMismatch, UnsupportedFormat
from nlp_service.ingest.limits import check_zip_members
from nlp_service.ingest.text import strip_bom

EXTENSIONS: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "txt",
    ".markdown": "txt",
    ".docx": "docx",
    ".docm": "docx",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".shtml": "html",
}
LEGACY_OFFICE = {
    ".doc": "Word 97-2003 (.doc)",
    ".xls": "Excel 97-2003 (.xls)",
    ".wps": "WPS (.wps)",
    ".et": "WPS spreadsheet (.et)",
    ".ppt": "PowerPoint 97-2003 (.ppt)",
}
FORMAT_NAMES = {"txt": "plain text", "docx": "DOCX", "xlsx": "XLSX", "pdf": "PDF", "html": "HTML"}
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "a Windows executable"),
    (b"{\\rtf", "an RTF document"),
)
_HTML_SNIFF = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta\s|title>|table|div|p>)", re.IGNORECASE)
_HTML_START = re.compile(rb"^\s*<(?:!doctype\s+html|html|head|body|meta\s|!--)", re.IGNORECASE)


@dataclass
class Detected:
    format: str
    notes: list[str] = field(default_factory=list)


def extension_format(name: str | None) -> str | None:
    """The format a file name's extension claims (None for no or an unknown extension)."""
    if not name:
        return None
    return EXTENSIONS.get(PurePath(name).suffix.lower())


def _zip_format(data: bytes, label: str) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise CorruptFile(f"damaged ZIP container ({exc})", source=label) from None
    with archive:
        check_zip_members(archive, label)
        names = set(archive.namelist())
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "[Content_Types].xml" in names:
        raise UnsupportedFormat(
            "Office file that is neither a Word (.docx) nor an Excel (.xlsx) file", source=label
        )
    raise UnsupportedFormat("ZIP archive, not a DOCX or XLSX report", source=label)


def _ole2(data: bytes, name: str | None, label: str) -> str:
    if ENCRYPTED_PACKAGE in data:
        raise EncryptedFile(
            "password-protected Office file; remove the password and save it again", source=label
        )
    suffix = PurePath(name or "").suffix.lower()
    if EXTENSIONS.get(suffix) in ("docx", "xlsx"):
        raise EncryptedFile(
            f"not a plain {suffix} package but an OLE2 container: password-protected, or an Office 97-2003 "
            f"file renamed; remove the password or save it again as {suffix}",
            source=label,
        )
    legacy = LEGACY_OFFICE.get(suffix, "Office 97-2003 (.doc/.xls)")
    raise UnsupportedFormat(f"{legacy} format is not supported; save it as .docx or .xlsx", source=label)


def sniff_format(data: bytes, name: str | None, label: str) -> str:
    """The format the bytes are in, from their content alone."""
    if data[:1024].lstrip().startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _zip_format(data, label)
    if data.startswith(OLE2_MAGIC):
        return _ole2(data, name, label)
    for magic, what in BINARY_MAGIC:
        if data.startswith(magic):
            raise BinaryInput(f"binary file ({what}), not a report", source=label)
    body, _ = strip_bom(data)
    head = body[:4096]
    if _HTML_START.match(head) or (_HTML_SNIFF.search(head) and b"</" in body[:65536] and _tag_density(head)):
        return "html"
    return "txt"


def _tag_density(head: bytes) -> bool:
    """Whether markup dominates the start of a file (to tell an HTML page from text quoting a tag)."""
    tags = len(re.findall(rb"<[a-zA-Z/!][^<>]{0,200}>", head))
    return tags >= 5


def detect_format(data: bytes, name: str | None, label: str) -> Detected:
    """The format to read the bytes as, refusing content that contradicts the extension."""
    claimed = extension_format(name)
    suffix = PurePath(name or "").suffix.lower()
    if claimed is None and suffix in LEGACY_OFFICE and not data.startswith(OLE2_MAGIC):
        claimed = "unknown"
    actual = sniff_format(data, name, label)
    if actual == "html" and claimed == "txt" and not _HTML_START.match(strip_bom(data)[0][:4096]):
        actual = "txt"  # a text or Markdown file quoting some markup stays text
    if claimed is None or claimed == actual:
        return Detected(actual)
    if {claimed, actual} <= {"txt", "html"}:
        note = f"{label}: named as {FORMAT_NAMES[claimed]} but holds {FORMAT_NAMES[actual]}; read as {FORMAT_NAMES[actual]}"
        return Detected(actual, [note])
    claimed_name = FORMAT_NAMES.get(claimed, suffix or "unknown")
    raise FormatMismatch(
        f"extension says {claimed_name} ({suffix}) but the content is {FORMAT_NAMES[actual]}; "
        "rename the file or export it again",
        source=label,
    )
