"""PDF (pdfplumber): the text layer in reading order, ruled tables as grids with merged cells.

Per page, ruled tables are found (`find_tables`), their cell rectangles turned into a grid with row
and column spans (pdfplumber leaves `None` where a merged cell covers a position; spans are read
from the rectangles' edges instead); the text outside the tables is read line by line and wrapped
lines are joined into paragraphs. Running headers and footers (a line repeated in the top or bottom
margin of several pages) and page numbers are dropped; a table that ends one page and starts the
next with the same columns is joined into one grid.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pdfplumber
from pdfplumber.utils import extract_text

from nlp_service.errors import CorruptFile, EncryptedFile, NoTextLayer
from nlp_service.ingest.document import Document
from nlp_service.ingest.render import RawCell, TextBuilder
from nlp_service.ingest.sections import match_marker

MARGIN_SHARE = 0.1
MAX_UNMAPPED_SHARE = 0.3
EDGE_TOLERANCE = 3.0
_PAGE_NUMBER = re.compile(
    r"^[-—–_\s]*(?:第\s*)?[0-9０-９]+\s*(?:页)?\s*(?:[/／]\s*[0-9]+|共\s*[0-9]+\s*页)?[-—–_\s]*$"
    r"|^(?:page\s*)?[0-9]+\s*(?:of\s*[0-9]+)?$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"[0-9０-９]+")
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\uffef]")


@dataclass
class Line:
    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    in_margin: bool


@dataclass
class CellRect:
    x0: float
    top: float
    x1: float
    bottom: float
    text: str


@dataclass
class PdfTable:
    """A ruled table as cell rectangles; parts continued on later pages are stacked below (`joins`)."""

    rects: list[CellRect]
    left: float
    right: float
    top: float
    joins: list[float] = field(default_factory=list)

    @property
    def bottom(self) -> float:
        return max(r.bottom for r in self.rects)


@dataclass
class PageItems:
    """A page's lines and tables in reading order (top to bottom)."""

    items: list[Line | PdfTable] = field(default_factory=list)
    right: float = 0.0
    left: float = 0.0
    chars: int = 0
    images: int = 0
    unmapped: int = 0  # glyphs without a Unicode mapping, read by pdfminer as "(cid:123)"


def read_pdf(data: bytes, label: str) -> Document:
    """A `Document` from the bytes of a PDF."""
    pages = _read_pages(data, label)
    if not pages:
        raise CorruptFile("PDF without pages", source=label)
    if not any(page.chars for page in pages):
        raise NoTextLayer("scanned PDF: no text layer, and OCR is not supported", source=label)
    unmapped, total = sum(p.unmapped for p in pages), sum(p.chars for p in pages)
    if unmapped > total * MAX_UNMAPPED_SHARE:
        raise NoTextLayer(
            f"the text layer cannot be read: {unmapped} of {total} characters use fonts without a Unicode "
            "mapping; export the PDF again with fonts embedded (OCR is not supported)",
            source=label,
        )
    notes = _scanned_pages_note(pages, label)
    _drop_running_lines(pages)
    builder = TextBuilder()
    for block in _join_blocks(pages):
        if isinstance(block, PdfTable):
            builder.add_table(table_cells(block))
        else:
            builder.add_paragraph(block)
    return Document(text=builder.text, format="pdf", encoding=None, tables=builder.tables, notes=notes)


def _scanned_pages_note(pages: list[PageItems], label: str) -> list[str]:
    """A note naming the pages that are images without text (their content is missing)."""
    scanned = [str(n) for n, page in enumerate(pages, start=1) if page.images and not page.chars]
    if not scanned:
        return []
    return [
        f"{label}: page(s) {', '.join(scanned)} are scanned images without a text layer and were not read "
        "(OCR is not supported)"
    ]


def _read_pages(data: bytes, label: str) -> list[PageItems]:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = []
            for page in pdf.pages:
                pages.append(_page_items(page))
                page.close()  # frees the page's cached layout objects
            return pages
    except Exception as exc:  # pdfminer raises many kinds on a damaged file, wrapped by pdfplumber
        chain = _exception_chain(exc)
        if any(isinstance(e, PDFPasswordIncorrect | PDFEncryptionError) for e in chain):
            raise EncryptedFile(
                "password-protected PDF; remove the password and export it again", source=label
            ) from None
        cause = chain[1] if len(chain) > 1 and not str(exc) else exc
        message = f"damaged PDF file ({type(cause).__name__}: {cause})".splitlines()[0]
        raise CorruptFile(message, source=label) from None


def _exception_chain(exc: BaseException) -> list[BaseException]:
    """The exception, then what it wraps (pdfplumber wraps pdfminer's errors), outermost first."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        wrapped = next((a for a in current.args if isinstance(a, BaseException)), None)
        current = wrapped or current.__cause__ or current.__context__
    return chain


def _page_items(page: Any) -> PageItems:
    page = page.dedupe_chars()  # text drawn twice (simulated bold) read once
    tables = [t for t in page.find_tables() if len(t.cells) > 1]
    boxes = [t.bbox for t in tables]

    def outside(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)

    height = float(page.height)
    lines = [_line(raw, height) for raw in page.filter(outside).extract_text_lines(return_chars=True)]
    lines = [line for line in lines if line.text.strip()]
    items: list[Line | PdfTable] = [*lines, *(_table(page, t) for t in tables)]
    items.sort(key=lambda item: item.top)
    body = [line for line in lines if not line.in_margin]
    return PageItems(
        items,
        max((x.x1 for x in body), default=0.0),
        min((x.x0 for x in body), default=0.0),
        chars=sum(1 for c in page.chars if str(c.get("text", "")).strip()),
        unmapped=sum(1 for c in page.chars if str(c.get("text", "")).startswith("(cid:")),
        images=len(page.images),
    )


def _line(raw: dict[str, Any], height: float) -> Line:
    sizes = [float(c.get("size", 0)) for c in raw.get("chars", [])] or [10.0]
    top, bottom = float(raw["top"]), float(raw["bottom"])
    in_margin = bottom < height * MARGIN_SHARE or top > height * (1 - MARGIN_SHARE)
    return Line(str(raw["text"]), top, bottom, float(raw["x0"]), float(raw["x1"]), max(sizes), in_margin)


# ---------------------------------------------------------------- tables


def _cluster(values: list[float]) -> list[float]:
    """Sorted distinct coordinates, values closer than the tolerance taken as one."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > EDGE_TOLERANCE:
            out.append(v)
    return out


def _index(edges: list[float], value: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


def _table(page: Any, table: Any) -> PdfTable:
    chars = page.chars
    rects = [
        CellRect(x0, top, x1, bottom, _cell_text(chars, (x0, top, x1, bottom)))
        for x0, top, x1, bottom in table.cells
    ]
    x0, top, x1, _ = table.bbox
    return PdfTable(rects, float(x0), float(x1), float(top))


def table_cells(table: PdfTable) -> list[RawCell]:
    """The grid of a (possibly joined) table: positions and spans from the rectangles' edges."""
    xs = _cluster([r.x0 for r in table.rects] + [r.x1 for r in table.rects])
    ys = _cluster([r.top for r in table.rects] + [r.bottom for r in table.rects])
    cells = []
    for r in table.rects:
        row, col = _index(ys, r.top), _index(xs, r.x0)
        cells.append(
            RawCell(row, col, r.text, max(_index(ys, r.bottom) - row, 1), max(_index(xs, r.x1) - col, 1))
        )
    for join in table.joins:
        cells = _continue_merged_cells(cells, _index(ys, join))
    return sorted(cells, key=lambda c: (c.row, c.col))


def _continue_merged_cells(cells: list[RawCell], row: int) -> list[RawCell]:
    """An empty cell opening a continued table, under a merged cell that ran to the page's end,
    continues that merged cell (Word and WPS split merged cells at page breaks)."""
    ending = {(c.col, c.colspan): c for c in cells if c.row + c.rowspan == row}
    kept = []
    for cell in cells:
        above = ending.get((cell.col, cell.colspan))
        if (
            cell.row == row
            and not cell.text.strip()
            and above is not None
            and above.text.strip()
            and above.rowspan > 1
        ):
            above.rowspan += cell.rowspan
            continue
        kept.append(cell)
    return kept


def _cell_text(chars: list[dict[str, Any]], box: tuple[float, float, float, float]) -> str:
    x0, top, x1, bottom = box
    inside = [
        c
        for c in chars
        if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom
    ]
    return join_wrapped(str(extract_text(inside)).split("\n")) if inside else ""


def join_wrapped(lines: list[str]) -> str:
    """Lines wrapped by the layout joined again: no space between CJK characters, one between words."""
    out = ""
    for line in (x.strip() for x in lines):
        if not line:
            continue
        if out and not (_CJK.match(out[-1]) or _CJK.match(line[0])):
            out += " "
        out += line
    return out


def _same_frame(a: PdfTable, b: PdfTable) -> bool:
    return abs(a.left - b.left) <= EDGE_TOLERANCE and abs(a.right - b.right) <= EDGE_TOLERANCE


def _first_row(table: PdfTable) -> list[CellRect]:
    top = min(r.top for r in table.rects)
    return sorted((r for r in table.rects if abs(r.top - top) <= EDGE_TOLERANCE), key=lambda r: r.x0)


def join_tables(first: PdfTable, second: PdfTable) -> PdfTable:
    """A table continued on the next page stacked below its first part; a repeated header row dropped."""
    rects = second.rects
    head, repeat = _first_row(first), _first_row(second)
    if (
        [r.text for r in head] == [r.text for r in repeat]
        and any(r.text for r in head)
        and len(rects) > len(repeat)
    ):
        rects = [r for r in rects if r not in repeat]
    shift = first.bottom - min(r.top for r in rects)
    moved = [CellRect(r.x0, r.top + shift, r.x1, r.bottom + shift, r.text) for r in rects]
    return PdfTable(first.rects + moved, first.left, first.right, first.top, [*first.joins, first.bottom])


# ---------------------------------------------------------------- running headers, paragraphs


def _signature(text: str) -> str:
    return _DIGITS.sub("#", re.sub(r"\s+", "", text))


def _drop_running_lines(pages: list[PageItems]) -> None:
    """Remove page numbers and lines repeated in the top or bottom margin of several pages."""
    seen: dict[str, int] = {}
    for page in pages:
        for sig in {_signature(x.text) for x in page.items if isinstance(x, Line) and x.in_margin}:
            seen[sig] = seen.get(sig, 0) + 1
    repeated = {sig for sig, n in seen.items() if n >= 2}
    for page in pages:
        page.items = [
            x
            for x in page.items
            if not (
                isinstance(x, Line)
                and x.in_margin
                and (_signature(x.text) in repeated or _PAGE_NUMBER.match(x.text.strip()))
            )
        ]


def _continues(prev: Line, page: PageItems, nxt: Line, next_page: PageItems) -> bool:
    """Whether `nxt` continues the paragraph that `prev` wraps out of."""
    reaches_edge = prev.x1 >= page.right - 2 * prev.size
    indented = nxt.x0 > next_page.left + 1.2 * nxt.size
    return reaches_edge and not indented and match_marker(nxt.text.lstrip()) is None


def _join_blocks(pages: list[PageItems]) -> Iterator[str | PdfTable]:
    """Paragraph texts and tables in reading order, wrapped lines and split tables joined."""
    pending: list[tuple[Line, PageItems]] = []
    table: PdfTable | None = None
    for page in pages:
        for item in page.items:
            if isinstance(item, PdfTable):
                if pending:
                    yield join_wrapped([line.text for line, _ in pending])
                    pending = []
                if table is not None and _same_frame(table, item):
                    table = join_tables(table, item)
                    continue
                if table is not None:
                    yield table
                table = item
                continue
            if table is not None:
                yield table
                table = None
            if pending and not _continues(pending[-1][0], pending[-1][1], item, page):
                yield join_wrapped([line.text for line, _ in pending])
                pending = []
            pending.append((item, page))
    if table is not None:
        yield table
    if pending:
        yield join_wrapped([line.text for line, _ in pending])
