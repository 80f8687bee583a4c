"""DOCX, XLSX, HTML (GBK) and PDF readers: the seed's performance table, written by the tests with
real merged cells, comes back as one grid with the right spans and texts, and every cell's offsets
index the document text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import format_fixtures as ff
import pytest

from nlp_service.extractor import extract
from nlp_service.ingest import read
from nlp_service.ingest.document import Document, TableGrid
from nlp_service.ingest.html import decode_html, read_html
from nlp_service.ingest.pdf import CellRect, PdfTable, table_cells
from nlp_service.ingest.render import RawCell, TextBuilder
from nlp_service.schema import Extraction

WRITERS: dict[str, Callable[[Path], Path]] = {
    "docx": ff.write_docx,
    "xlsx": ff.write_xlsx,
    "html": ff.write_html_gbk,
    "pdf": ff.write_pdf,
}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("formats")
    extensions = {"docx": "docx", "xlsx": "xlsx", "html": "html", "pdf": "pdf"}
    return {fmt: writer(folder / f"seed.{extensions[fmt]}") for fmt, writer in WRITERS.items()}


@pytest.fixture(scope="module")
def documents(written: dict[str, Path]) -> dict[str, Document]:
    return {fmt: read(path) for fmt, path in written.items()}


def signature(grid: TableGrid) -> set[tuple[int, int, int, int, str]]:
    return {(c.row, c.col, c.rowspan, c.colspan, c.text.replace("\n", "")) for c in grid.cells}


def performance_table(document: Document) -> TableGrid:
    grids = [g for g in document.tables if g.n_cols == ff.N_COLS]
    assert len(grids) == 1, (
        f"expected one performance table, got {[(g.n_rows, g.n_cols) for g in document.tables]}"
    )
    return grids[0]


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_ingest_formats_read_the_performance_table_with_spans(
    fmt: str, documents: dict[str, Document]
) -> None:
    grid = performance_table(documents[fmt])
    assert signature(grid) == ff.spec_signature(ff.SEED_TABLE)
    assert (grid.n_rows, grid.n_cols) == (ff.N_ROWS, ff.N_COLS)
    merged_down, merged_across = grid.at(15, 1), grid.at(20, 3)
    assert merged_down is not None and merged_down.text.startswith("效益指标")  # 6 rows
    assert merged_across is not None and merged_across.text == "总分"  # 6 columns


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_ingest_formats_cell_offsets_index_the_text(fmt: str, documents: dict[str, Document]) -> None:
    document = documents[fmt]
    assert document.format == fmt
    for grid in document.tables:
        assert document.text[grid.start : grid.end].startswith("\t")
        for cell in grid.cells:
            assert document.text[cell.start : cell.end] == cell.text
            assert grid.start <= cell.start <= cell.end <= grid.end


@pytest.mark.parametrize("fmt", ["docx", "html", "pdf"])
def test_ingest_formats_keep_paragraphs_in_document_order(fmt: str, documents: dict[str, Document]) -> None:
    text = documents[fmt].text
    positions = [text.find(p) for p in [*ff.NARRATIVE, ff.TITLE]]
    assert all(p >= 0 for p in positions), positions
    assert positions == sorted(positions)
    assert text.find(ff.TITLE) < performance_table(documents[fmt]).start
    assert [s.heading for s in documents[fmt].sections][:2] == ["一、项目情况", "（一）项目资金使用情况"]


def test_ingest_formats_render_tables_like_the_seed_flattening(documents: dict[str, Document]) -> None:
    text = documents["docx"].text
    grid = performance_table(documents["docx"])
    block = text[grid.start : grid.end]
    assert block.startswith("\t项目名称\n\t中国共产党益阳市资阳区纪律检查委员会巡察专项支出\n\n")
    # a row under cells merged from above: one empty tab-led line per covering cell, as in the seed
    assert "\n\t\n\t\n\t\n\t违规举债和虚假化债专项巡察成效\n" in block
    assert block.endswith("\t总分\n\t100\n\t100\n\t\n\n")


def test_ingest_formats_pdf_joins_the_table_across_pages_and_drops_running_lines(
    written: dict[str, Path], documents: dict[str, Document]
) -> None:
    import pdfplumber

    with pdfplumber.open(written["pdf"]) as pdf:
        pages_with_tables = [p.page_number for p in pdf.pages if p.find_tables()]
    assert len(pages_with_tables) >= 2, "the fixture must put the table across a page break"
    text = documents["pdf"].text
    assert ff.HEADER_TEXT not in text.replace(ff.NARRATIVE[2], "")
    assert "- 1 -" not in text and "- 2 -" not in text
    assert len(documents["pdf"].tables) == 1
    filler = (
        "本次绩效自评按照规定程序开展，评价工作组对项目资料进行了核查，并结合实地了解的情况形成评价意见。"
    )
    assert text.count(filler + "\n") == 14  # lines wrapped by the layout joined into paragraphs


def test_ingest_formats_pdf_continues_a_merged_cell_split_by_a_page_break() -> None:
    first = PdfTable(
        [CellRect(0, 0, 10, 20, "效益指标"), CellRect(10, 0, 20, 10, "a"), CellRect(10, 10, 20, 20, "b")],
        0,
        20,
        0,
    )
    second = [CellRect(0, 0, 10, 10, ""), CellRect(10, 0, 20, 10, "c")]
    joined = PdfTable(
        first.rects + [CellRect(r.x0, r.top + 20, r.x1, r.bottom + 20, r.text) for r in second],
        0,
        20,
        0,
        joins=[20],
    )
    cells = {(c.row, c.col): c for c in table_cells(joined)}
    assert cells[(0, 0)].rowspan == 3 and (2, 0) not in cells
    assert cells[(2, 1)].text == "c"


def test_ingest_formats_docx_dedupes_merged_cells(
    written: dict[str, Path], documents: dict[str, Document]
) -> None:
    import docx

    table = docx.Document(str(written["docx"])).tables[0]
    repeated = sum(len(row.cells) for row in table.rows)  # python-docx repeats merged cells
    assert repeated == ff.N_ROWS * ff.N_COLS
    assert len(performance_table(documents["docx"]).cells) == len(ff.SEED_TABLE)


def test_ingest_formats_xlsx_reads_every_sheet_and_formats_numbers(documents: dict[str, Document]) -> None:
    text = documents["xlsx"].text
    assert text.startswith("绩效自评表\n" + ff.TITLE + "\n\t项目名称")
    assert "说明\n本表金额单位为万元。\n" in text
    assert "\t70.56%\n" in text and "\t55\n" in text


def test_ingest_formats_html_drops_scripts_navigation_and_footer(documents: dict[str, Document]) -> None:
    document = documents["html"]
    assert document.encoding == "gb18030"
    for dropped in ("var nav", "td {", "网站首页", "政务公开", "版权所有"):
        assert dropped not in document.text


@pytest.mark.parametrize(
    ("charset", "encoding", "expected"),
    [
        ("gb2312", "gbk", "gb18030"),
        ("GBK", "gb18030", "gb18030"),
        ("utf-8", "utf-8", "utf-8"),
        ("", "gbk", "gb18030"),
        ("utf-8", "gbk", "gb18030"),
    ],
    ids=["gb2312-declared", "gbk-declared", "utf8", "undeclared-gbk", "wrongly-declared"],
)
def test_ingest_formats_html_charsets(charset: str, encoding: str, expected: str) -> None:
    page = ff.html_page(charset).replace('charset=">', '">')
    text, used, notes = decode_html(page.encode(encoding), "page.html")
    assert (text, used) == (page, expected)
    assert bool(notes) == (charset == "utf-8" and encoding == "gbk")


def test_ingest_formats_html_layout_tables_are_text_and_spans_follow_the_browser() -> None:
    body = (
        "本项目预算收入55万元，资金来源为纳入一般公共预算的财政拨款，全年执行率百分之百，绩效目标全部完成。"
        * 2
    )
    page = (
        f"<html><body><table><tr><td><table><tr><td rowspan='2'>A</td><td colspan=2>B</td></tr>"
        f"<tr><td>c</td><td>d</td></tr></table><p>{body}</p></td></tr></table></body></html>"
    )
    document = read_html(page.encode("utf-8"), "layout.html")
    assert len(document.tables) == 1
    cells = {(c.row, c.col, c.rowspan, c.colspan, c.text) for c in document.tables[0].cells}
    assert cells == {(0, 0, 2, 1, "A"), (0, 1, 1, 2, "B"), (1, 1, 1, 1, "c"), (1, 2, 1, 1, "d")}
    assert body in document.text


def test_ingest_formats_builder_places_each_merged_cell_once() -> None:
    builder = TextBuilder()
    builder.add_paragraph("标题")
    grid = builder.add_table([RawCell(0, 0, "甲", rowspan=2), RawCell(0, 1, "乙"), RawCell(1, 1, "丙\n\n丁")])
    assert builder.text == "标题\n\t甲\n\t乙\n\n\t\n\t丙\n丁\n\n"
    assert grid is not None and [c.text for c in grid.cells] == ["甲", "乙", "丙\n丁"]


def _table_facts(result: Extraction) -> tuple[list[dict[str, object]], dict[str, object] | None]:
    """What the performance table says, without offsets (they differ from one format to another)."""
    indicators: list[dict[str, object]] = [
        {
            "level1": i.level1,
            "level2": i.level2,
            "name": i.name,
            "target": i.target.model_dump(),
            "actual": (i.actual.raw, i.actual.value, i.actual.unit),
            "weight": i.weight,
            "score": i.score,
            "met": i.met,
        }
        for i in result.indicators
    ]
    funding: dict[str, object] | None = (
        result.funding.model_dump(exclude={"cells"}) if result.funding else None
    )
    return indicators, funding


@pytest.fixture(scope="module")
def seed_facts() -> tuple[list[dict[str, object]], dict[str, object] | None]:
    return _table_facts(extract(ff.SEED_PATH, use_models=False))


@pytest.mark.slow
@pytest.mark.parametrize("fmt", list(WRITERS))
def test_ingest_formats_extract_reads_the_same_indicators_and_funding_as_the_text(
    fmt: str, written: dict[str, Path], seed_facts: tuple[list[dict[str, object]], dict[str, object] | None]
) -> None:
    seed_indicators, seed_funding = seed_facts
    assert len(seed_indicators) == 10 and seed_funding is not None
    indicators, funding = _table_facts(extract(written[fmt], use_models=False))
    assert indicators == seed_indicators
    assert funding == seed_funding


def test_ingest_formats_html_table_laying_out_the_page_is_read_as_text() -> None:
    report = "一、项目情况\n" + "本项目预算收入55万元，资金来源为纳入一般公共预算的财政拨款。" * 30
    paragraphs = "".join(f"<p>{line}</p>" for line in report.split("\n"))
    page = f"<html><body><table><tr><td>栏目导航</td><td>{paragraphs}</td></tr></table></body></html>"
    document = read(page.encode("utf-8"), name="layout.html")
    assert document.tables == []
    assert [s.heading for s in document.sections] == ["一、项目情况"]


def _numbered_docx() -> bytes:
    """A DOCX whose headings are numbered by Word (一、 （一） 1.), not typed."""
    import io

    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    numbering = document.part.numbering_part.element
    levels = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")]
    lvl_xml = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    numbering.insert(
        0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{lvl_xml}</w:abstractNum>')
    )
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for level, text in [
        (0, "项目情况"),
        (1, "项目概况"),
        (2, "资金"),
        (2, "目标"),
        (1, "实施情况"),
        (0, "评价结论"),
    ]:
        paragraph = document.add_paragraph(text)
        paragraph._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
        )
        document.add_paragraph("正文。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_ingest_formats_docx_automatic_numbering_makes_headings() -> None:
    document = read(_numbered_docx(), name="numbered.docx")
    assert [(s.level, s.heading) for s in document.sections] == [
        (1, "一、项目情况"),
        (2, "（一）项目概况"),
        (3, "1.资金"),
        (3, "2.目标"),
        (2, "（二）实施情况"),
        (1, "二、评价结论"),
    ]


@pytest.mark.parametrize(
    ("n", "fmt", "shown"),
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (12, "chineseCountingThousand", "十二"),
        (21, "chineseCounting", "二十一"),
        (105, "chineseCounting", "一百零五"),
        (3, "decimal", "3"),
        (3, "decimalFullWidth", "３"),
        (2, "decimalEnclosedCircle", "②"),
        (28, "lowerLetter", "ab"),
        (14, "upperRoman", "XIV"),
    ],
)
def test_ingest_formats_docx_number_formats(n: int, fmt: str, shown: str) -> None:
    from nlp_service.ingest.docx_numbering import format_number

    assert format_number(n, fmt) == shown


def test_ingest_formats_docx_paragraph_text_follows_tracked_changes() -> None:
    import io

    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    paragraph = document.add_paragraph("发现问题")
    paragraph._p.append(
        parse_xml(f'<w:ins {nsdecls("w")} w:id="1" w:author="a"><w:r><w:t>23个</w:t></w:r></w:ins>')
    )
    paragraph._p.append(
        parse_xml(
            f'<w:del {nsdecls("w")} w:id="2" w:author="a"><w:r><w:delText>20个</w:delText></w:r></w:del>'
        )
    )
    paragraph._p.append(parse_xml(f"<w:r {nsdecls('w')}><w:t>，</w:t><w:br/><w:t>移交线索</w:t></w:r>"))
    tabs = f'<w:tabs {nsdecls("w")}><w:tab w:val="left" w:pos="720"/></w:tabs>'
    paragraph._p.get_or_add_pPr().append(parse_xml(tabs))
    buffer = io.BytesIO()
    document.save(buffer)
    assert read(buffer.getvalue(), name="tracked.docx").text == "发现问题23个，\n移交线索\n"
