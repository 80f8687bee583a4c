"""Plain text (.txt, .md): encoding detection that never guesses silently wrong.

Decoding tries, strictly and in order: a byte-order mark (UTF-8, UTF-16), UTF-8, then GB18030 (a
superset of GB2312 and GBK) accepted only if the result reads like Chinese. The text is kept exactly
as decoded (newlines included); only a byte-order mark is removed, so offsets index the original.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter

from nlp_service.errors import BinaryInput, EmptyInput, UndecodableText
from nlp_service.ingest.document import Document, TableGrid

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Share of Han characters that must fall in GB2312 (the common 6763) for a GB18030 reading to be
# believed: real simplified-Chinese text scores above 0.95; Big5, Latin-1 or random bytes decoded as
# GBK score far lower.
MIN_COMMON_HAN_SHARE = 0.8
MAX_CONTROL_SHARE = 0.01
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_ODD = re.compile(r"[\ue000-\uf8ff\U00010000-\U0001ffff\U00030000-\U0010ffff]")


def strip_bom(data: bytes) -> tuple[bytes, str | None]:
    """The bytes without a byte-order mark, and the codec the mark names (None if there is none)."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            return (data[len(bom) :] if codec == "utf-8-sig" else data), codec
    return data, None


def _control_share(text: str) -> float:
    return len(_CONTROL.findall(text)) / max(len(text), 1)


def _reads_like_chinese(text: str) -> bool:
    """Whether a GB18030 reading is plausible: mostly common Han characters, no private-use noise."""
    han = _HAN.findall(text)
    if _ODD.search(text) or _control_share(text) > MAX_CONTROL_SHARE:
        return False
    if not han:
        return True
    common = sum(n for ch, n in Counter(han).items() if _in_gb2312(ch))
    return common / len(han) >= MIN_COMMON_HAN_SHARE


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _first_bad_byte(data: bytes) -> str:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"byte 0x{data[exc.start]:02x} at offset {exc.start}"
    return "unknown position"


def decode_text(data: bytes, label: str) -> tuple[str, str]:
    """Decode the bytes of a text file; returns the text (without BOM) and the encoding's name."""
    body, bom_codec = strip_bom(data)
    if bom_codec:
        try:
            return body.decode(bom_codec), "utf-8" if bom_codec == "utf-8-sig" else "utf-16"
        except UnicodeDecodeError:
            raise UndecodableText(
                f"bytes after the {bom_codec} byte-order mark do not decode", source=label
            ) from None
    if b"\x00" in body:
        raise BinaryInput("binary file (NUL bytes), not text", source=label)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        _refuse_control_characters(text, label)
        return text, "utf-8"
    try:
        text = body.decode("gb18030")
    except UnicodeDecodeError:
        text = ""
    if text and _reads_like_chinese(text):
        return text, "gb18030"
    if _control_share(body.decode("latin-1")) > MAX_CONTROL_SHARE:
        raise BinaryInput("binary file (control bytes), not text", source=label)
    raise UndecodableText(
        f"text is neither UTF-8 nor GB18030/GBK ({_first_bad_byte(body)}); save it as UTF-8", source=label
    )


def _refuse_control_characters(text: str, label: str) -> None:
    if _control_share(text) > MAX_CONTROL_SHARE:
        raise BinaryInput("binary file (control characters), not text", source=label)


def require_content(text: str, label: str) -> None:
    """Refuse a document with no visible text."""
    if not text.strip():
        raise EmptyInput("no text: the input is empty or holds only whitespace", source=label)


def flattened_tables(text: str) -> list[TableGrid]:
    """Tables flattened into plain text (one cell per tab-led line), read by the tables helper's module."""
    try:
        from nlp_service.ingest.flattened import find_flattened_tables
    except ImportError:
        return []
    return list(find_flattened_tables(text))


def read_text_bytes(data: bytes, label: str) -> Document:
    """A `Document` from the bytes of a .txt/.md file."""
    text, encoding = decode_text(data, label)
    require_content(text, label)
    return Document(text=text, format="txt", encoding=encoding, tables=flattened_tables(text))
