"""Text input: encodings detected (never guessed silently wrong), text kept as decoded, sentences."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from format_fixtures import SEED_PATH

from nlp_service.errors import BinaryInput, UndecodableText
from nlp_service.ingest import read
from nlp_service.ingest.sentences import split_sentences
from nlp_service.ingest.text import decode_text

SAMPLE = "一、项目情况\r\n２０２２年共发现问题２３个，预算收入５５万元。\n（一）整改情况\n整改完成率１００％；移交线索1件。\n"
SEED_TEXT = SEED_PATH.read_text(encoding="utf-8")
GB18030_ONLY = "本项目涉及䶮字地名，全年发现问题23个。"


@pytest.mark.parametrize(
    ("encoded", "expected_encoding"),
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"), "utf-8"),
        (SAMPLE.encode("gbk"), "gb18030"),
        (SAMPLE.encode("gb18030"), "gb18030"),
        (SAMPLE.encode("utf-16"), "utf-16"),
    ],
    ids=["utf8", "utf8-bom", "gbk", "gb18030", "utf16-bom"],
)
def test_ingest_text_decodes_each_encoding_unmodified(
    encoded: bytes, expected_encoding: str, tmp_path: Path
) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(encoded)
    document = read(path)
    assert document.text == SAMPLE  # full-width digits, \r\n and all: only the BOM is gone
    assert document.encoding == expected_encoding
    assert document.sha256 == hashlib.sha256(encoded).hexdigest()
    assert document.source == "report.txt"
    assert document.format == "txt"


def test_ingest_text_gb18030_four_byte_characters_roundtrip() -> None:
    document = read(GB18030_ONLY.encode("gb18030"), name="r.txt")
    assert document.text == GB18030_ONLY
    assert document.encoding == "gb18030"


def test_ingest_text_offsets_index_the_original_text() -> None:
    document = read(SAMPLE.encode("gbk"), name="r.txt")
    start = document.text.index("２３个")
    assert document.text[start : start + 3] == "２３个"
    for a, b in document.sentences:
        assert document.text[a:b].strip() == document.text[a:b]


@pytest.mark.parametrize(
    ("encoded", "error"),
    [
        (
            "本次績效自評報告由區紀委監委編製，全年發現問題二十三個，整改完成率百分之百。".encode("big5"),
            UndecodableText,
        ),
        ("Rapport d'évaluation: café, résumé, déjà vu, à la française".encode("latin-1"), UndecodableText),
        (b"\x00\x01\x02\x03binary\x00\x00", BinaryInput),
        (bytes(range(1, 32)) * 20, BinaryInput),
    ],
    ids=["big5", "latin1", "nul-bytes", "control-bytes"],
)
def test_ingest_text_refuses_bytes_it_cannot_decode_surely(encoded: bytes, error: type[Exception]) -> None:
    with pytest.raises(error, match="weird.txt"):
        decode_text(encoded, "weird.txt")


def test_ingest_text_string_source_is_the_text_itself() -> None:
    text = "本项目预算收入55万元。"
    document = read(text)
    assert document.text == text
    assert document.format == "txt"
    assert document.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_ingest_text_bytes_and_path_give_the_same_document(tmp_path: Path) -> None:
    path = tmp_path / "r.md"
    path.write_bytes(SAMPLE.encode("gb18030"))
    from_path, from_bytes = read(path), read(path.read_bytes(), name="r.md")
    assert (from_path.text, from_path.sha256, from_path.source) == (
        from_bytes.text,
        from_bytes.sha256,
        "r.md",
    )


def test_ingest_text_flattened_tables_of_the_seed_are_read() -> None:
    pytest.importorskip("nlp_service.ingest.flattened")
    document = read(SEED_TEXT)
    assert document.tables, "the seed's flattened performance table should be found"
    for table in document.tables:
        for cell in table.cells:
            assert document.text[cell.start : cell.end].strip() == cell.text.strip()


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("发现问题23个。移交线索1件！是否整改？", ["发现问题23个。", "移交线索1件！", "是否整改？"]),
        ("一是完善制度；二是加强监督。", ["一是完善制度；", "二是加强监督。"]),
        ("一、项目情况\n本项目预算55万元。", ["一、项目情况", "本项目预算55万元。"]),
        ("开展“品读红色家书。传承红色家风”主题活动。", ["开展“品读红色家书。传承红色家风”主题活动。"]),
        ("他说：“已经整改到位。”随后离开。", ["他说：“已经整改到位。”", "随后离开。"]),
        ("出台《规划（2022-2026年）》。完成。", ["出台《规划（2022-2026年）》。", "完成。"]),
        ("完成率为99.5%。\r\n\r\n  得分10分", ["完成率为99.5%。", "得分10分"]),
        ("真的吗？！是的。", ["真的吗？！", "是的。"]),
        ("未闭合的“引号。\n下一行。", ["未闭合的“引号。", "下一行。"]),
        ("", []),
    ],
)
def test_sentences_split_at_terminators_and_line_breaks(text: str, sentences: list[str]) -> None:
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == sentences


def test_sentences_of_the_seed_are_ordered_and_cover_its_text() -> None:
    spans = split_sentences(SEED_TEXT)
    assert all(a < b for a, b in spans)
    assert all(spans[i][1] <= spans[i + 1][0] for i in range(len(spans) - 1))
    covered = sum(b - a for a, b in spans)
    assert covered > 0.9 * len(SEED_TEXT.replace("\n", "").replace("\t", "").replace(" ", ""))
