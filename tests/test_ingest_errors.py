"""Bad input: each gets its own error class and a one-line message naming the file and the reason;
the CLI prints that line and exits non-zero without a traceback."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import format_fixtures as ff
import pytest

from nlp_service.errors import (
    BinaryInput,
    CorruptFile,
    EmptyInput,
    EncryptedFile,
    FileMissing,
    FormatMismatch,
    InputError,
    NoReportContent,
    NoTextLayer,
    TooLarge,
    UndecodableText,
    UnsupportedFormat,
    ZipBomb,
)
from nlp_service.ingest import read

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _docx_bytes(tmp: Path) -> bytes:
    return ff.write_docx(tmp / "real.docx").read_bytes()


def _scanned_pdf(tmp: Path) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.rect(50, 50, 400, 600, fill=1)  # an image-like page without any text
    page.showPage()
    page.save()
    return buffer.getvalue()


def _encrypted_pdf(tmp: Path) -> bytes:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, encrypt=pdfencrypt.StandardEncryption("secret", canPrint=0))
    page.drawString(100, 100, "report")
    page.showPage()
    page.save()
    return buffer.getvalue()


def _text_pdf(tmp: Path) -> bytes:
    return ff.write_pdf(tmp / "real.pdf", filler_paragraphs=0).read_bytes()


def _bomb(tmp: Path) -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\0" * (4 * 1024 * 1024)})


Maker = Callable[[Path], bytes]
CASES: list[tuple[str, Maker, type[InputError], str]] = [
    ("empty.txt", lambda t: b"", EmptyInput, "empty"),
    ("blank.txt", lambda t: " \n\t\u3000\n".encode(), EmptyInput, "whitespace"),
    ("nul.txt", lambda t: b"abc\x00\x00def", BinaryInput, "binary"),
    ("photo.txt", lambda t: b"\x89PNG\r\n\x1a\n" + bytes(64), BinaryInput, "PNG"),
    (
        "latin.txt",
        lambda t: "café résumé déjà".encode("latin-1"),
        UndecodableText,
        "neither UTF-8 nor GB18030",
    ),
    ("damaged.docx", lambda t: _docx_bytes(t)[:4000], CorruptFile, "damaged"),
    (
        "badxml.docx",
        lambda t: _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document"}),
        CorruptFile,
        "damaged DOCX",
    ),
    (
        "badxml.xlsx",
        lambda t: _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook"}),
        CorruptFile,
        "damaged XLSX",
    ),
    (
        "locked.docx",
        lambda t: OLE2 + bytes(504) + "EncryptedPackage".encode("utf-16-le"),
        EncryptedFile,
        "password-protected",
    ),
    ("locked.xlsx", lambda t: OLE2 + bytes(1024), EncryptedFile, "password-protected"),
    ("old.doc", lambda t: OLE2 + bytes(1024), UnsupportedFormat, ".doc"),
    ("archive.docx", lambda t: _zip({"readme.txt": b"hello"}), UnsupportedFormat, "ZIP archive"),
    ("scan.pdf", _scanned_pdf, NoTextLayer, "OCR is not supported"),
    ("locked.pdf", _encrypted_pdf, EncryptedFile, "password-protected PDF"),
    ("broken.pdf", lambda t: b"%PDF-1.4\n1 0 obj garbage", CorruptFile, "damaged PDF"),
    (
        "notfound.html",
        lambda t: (
            b"<html><head><script>var a;</script></head><body><nav>\xe9\xa6\x96\xe9\xa1\xb5</nav>"
            b"<p>404 Not Found</p></body></html>"
        ),
        NoReportContent,
        "no report text",
    ),
    ("pdf-inside.docx", _text_pdf, FormatMismatch, "extension says DOCX (.docx) but the content is PDF"),
    ("docx-inside.xlsx", _docx_bytes, FormatMismatch, "content is DOCX"),
    ("text-inside.pdf", lambda t: "本项目预算收入55万元。".encode(), FormatMismatch, "content is plain text"),
    ("bomb.docx", _bomb, ZipBomb, "ZIP bomb"),
]


@pytest.mark.parametrize(("name", "make", "error", "reason"), CASES, ids=[c[0] for c in CASES])
def test_ingest_errors_name_the_file_and_the_reason(
    name: str, make: Maker, error: type[InputError], reason: str, tmp_path: Path
) -> None:
    path = tmp_path / name
    path.write_bytes(make(tmp_path))
    with pytest.raises(error) as caught:
        read(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert reason in message
    assert "\n" not in message


def test_ingest_errors_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(FileMissing, match="no such file"):
        read(tmp_path / "absent.txt")
    with pytest.raises(InputError, match="directory"):
        read(tmp_path)


def test_ingest_errors_size_limit_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NLP_SERVICE_MAX_BYTES", "100")
    path = tmp_path / "big.txt"
    path.write_text("本项目预算收入55万元。" * 20, encoding="utf-8")
    with pytest.raises(TooLarge, match=r"big\.txt: file is \d+ bytes, over the 100 bytes limit"):
        read(path)
    with pytest.raises(TooLarge):
        read(path.read_bytes(), name="big.txt")
    with pytest.raises(TooLarge):
        read(path.read_text(encoding="utf-8"))


def test_ingest_errors_unpacked_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NLP_SERVICE_MAX_UNPACKED_BYTES", "1000")
    data = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": "正文".encode() * 1000})
    with pytest.raises(ZipBomb, match="would unpack to"):
        read(data, name="report.docx")


def test_ingest_errors_bytes_and_text_are_named_too() -> None:
    with pytest.raises(EmptyInput, match="^<text>: "):
        read("   ")
    with pytest.raises(BinaryInput, match="^upload.txt: "):
        read(b"\x00\x01", name="upload.txt")


def test_ingest_errors_html_named_txt_is_read_as_html_with_a_note() -> None:
    page = ff.html_page("utf-8").encode("utf-8")
    document = read(page, name="page.txt")
    assert document.format == "html"
    assert any("read as HTML" in note for note in document.notes)


CLI_CASES = ["empty.txt", "pdf-inside.docx", "scan.pdf", "bomb.docx", "locked.xlsx"]


def _bad_file(name: str, folder: Path) -> Path:
    make = next(c[1] for c in CASES if c[0] == name)
    path = folder / name
    path.write_bytes(make(folder))
    return path


@pytest.mark.parametrize("name", CLI_CASES)
def test_ingest_errors_cli_main_prints_one_line_and_exits_non_zero(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from nlp_service.cli import main

    path = _bad_file(name, tmp_path)
    monkeypatch.setattr(sys, "argv", ["nlp-service", "extract", str(path), "--no-models"])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code not in (0, None)
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0]


def test_ingest_errors_cli_process_has_no_traceback(tmp_path: Path) -> None:
    path = _bad_file("pdf-inside.docx", tmp_path)
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "from nlp_service.cli import main; main()",
            "extract",
            str(path),
            "--no-models",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode != 0
    assert run.stdout == ""
    assert run.stderr.strip().splitlines() == [
        f"nlp-service: error: {path}: extension says DOCX (.docx) but the content is PDF; "
        "rename the file or export it again"
    ]


def test_ingest_errors_html_page_of_links_is_no_report() -> None:
    links = "".join(
        f'<li><a href="/a{i}">关于印发2022年度部门整体支出绩效自评报告的通知第{i}号</a></li>'
        for i in range(30)
    )
    page = f"<html><body><ul>{links}</ul></body></html>".encode()
    with pytest.raises(NoReportContent, match="^list.html: HTML page holds no report text"):
        read(page, name="list.html")
