"""Word (.docx): paragraphs and tables in document order, merged cells resolved from the XML.

python-docx repeats a merged cell at every grid position it covers; this reader walks the table XML
instead (`w:gridBefore`, `w:gridSpan`, `w:vMerge`, legacy `w:hMerge`) and yields each merged cell
once, at its top-left position, with its row and column span. Automatic list numbers (一、 （一） 1.)
are written in front of their paragraphs, so headings numbered by Word are seen as headings.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from docx import Document as open_docx
from docx.oxml.ns import qn

from nlp_service.errors import CorruptFile
from nlp_service.ingest.document import Document
from nlp_service.ingest.docx_numbering import Numbering
from nlp_service.ingest.render import RawCell, TextBuilder

W_P, W_TBL, W_SDT, W_SDT_CONTENT = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")
W_TR, W_TC, W_TC_PR, W_TR_PR = qn("w:tr"), qn("w:tc"), qn("w:tcPr"), qn("w:trPr")
W_VAL = qn("w:val")
W_T, W_TAB, W_BR, W_CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
W_NO_BREAK_HYPHEN, W_SOFT_HYPHEN = qn("w:noBreakHyphen"), qn("w:softHyphen")
SKIPPED_CONTAINERS = frozenset(
    {
        qn("w:pPr"),
        qn("w:txbxContent"),
        qn("w:del"),
        qn("w:moveFrom"),
        "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",
    }
)


def read_docx(data: bytes, label: str) -> Document:
    """A `Document` from the bytes of a .docx file."""
    try:
        package = open_docx(io.BytesIO(data))
        body = package.element.body
    except Exception as exc:  # python-docx raises many kinds on a damaged package
        raise CorruptFile(
            f"damaged DOCX file ({type(exc).__name__}: {exc})".splitlines()[0], source=label
        ) from None
    builder = TextBuilder()
    numbering = _numbering(package)
    for element in _blocks(body):
        if element.tag == W_P:
            builder.add_paragraph(_numbered(numbering.label(element), _paragraph_text(element)))
        else:
            builder.add_table(table_cells(element))
    return Document(text=builder.text, format="docx", encoding=None, tables=builder.tables)


def _numbering(package: Any) -> Numbering:
    """The document's list definitions (absent parts read as no numbering)."""
    part = package.part
    try:
        numbering_xml = part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        numbering_xml = None
    try:
        styles_xml = part.styles.element
    except (KeyError, NotImplementedError, AttributeError):
        styles_xml = None
    return Numbering(numbering_xml, styles_xml)


def _numbered(label: str, text: str) -> str:
    """A paragraph's text behind its automatic number (no space after 一、 or （一）, one after 1)."""
    if not label or not text.strip():
        return text
    return label + ("" if label[-1] in "、.．)）:：" else " ") + text.lstrip()


def _blocks(parent: Any) -> Iterator[Any]:
    """Paragraphs and tables of a body, content controls (`w:sdt`) opened, in document order."""
    for child in parent.iterchildren():
        if child.tag in (W_P, W_TBL):
            yield child
        elif child.tag == W_SDT:
            content = child.find(W_SDT_CONTENT)
            if content is not None:
                yield from _blocks(content)


def _paragraph_text(p: Any) -> str:
    """A paragraph's visible text: runs anywhere inside it (hyperlinks, tracked insertions, smart tags),
    not deleted text, field codes, or text boxes (whose fallback copy would repeat them)."""
    parts: list[str] = []
    for node in p.iter(W_T, W_TAB, W_BR, W_CR, W_NO_BREAK_HYPHEN, W_SOFT_HYPHEN):
        if _inside_skipped(node, p):
            continue
        if node.tag == W_T:
            parts.append(node.text or "")
        elif node.tag == W_TAB:
            parts.append("\t")
        elif node.tag == W_NO_BREAK_HYPHEN:
            parts.append("-")
        elif node.tag == W_CR or (
            node.tag == W_BR and node.get(qn("w:type"), "textWrapping") == "textWrapping"
        ):
            parts.append("\n")
    return "".join(parts)


def _inside_skipped(node: Any, stop: Any) -> bool:
    for ancestor in node.iterancestors():
        if ancestor is stop:
            return False
        if ancestor.tag in SKIPPED_CONTAINERS:
            return True
    return False


def _cell_text(tc: Any) -> str:
    """All paragraphs of a cell, nested tables included, one per line."""
    return "\n".join(_paragraph_text(p) for p in tc.iter(W_P) if not _inside_skipped(p, tc))


def _int_property(parent: Any, tag: str, default: int) -> int:
    if parent is None:
        return default
    node = parent.find(qn(tag))
    if node is None:
        return default
    try:
        return int(node.get(W_VAL, default))
    except ValueError:
        return default


def _merge_state(tc_pr: Any, tag: str) -> str | None:
    """'restart', 'continue' or None for a cell's `w:vMerge` / `w:hMerge`."""
    if tc_pr is None:
        return None
    node = tc_pr.find(qn(tag))
    if node is None:
        return None
    return "restart" if node.get(W_VAL) == "restart" else "continue"


def _row_cells(tr: Any) -> Iterator[Any]:
    for child in tr.iterchildren():
        if child.tag == W_TC:
            yield child
        elif child.tag == W_SDT:
            content = child.find(W_SDT_CONTENT)
            if content is not None:
                yield from (tc for tc in content.iterchildren() if tc.tag == W_TC)


def table_cells(tbl: Any) -> list[RawCell]:
    """The cells of a `w:tbl`, each merged cell once with its span."""
    cells: list[RawCell] = []
    owner: dict[tuple[int, int], RawCell] = {}
    rows = [tr for tr in tbl.iterchildren() if tr.tag == W_TR]
    for r, tr in enumerate(rows):
        col = _int_property(tr.find(W_TR_PR), "w:gridBefore", 0)
        for tc in _row_cells(tr):
            tc_pr = tc.find(W_TC_PR)
            span = max(_int_property(tc_pr, "w:gridSpan", 1), 1)
            cell = _place_cell(r, col, span, tc, tc_pr, owner)
            if cell is not None:
                cells.append(cell)
            col += span
    return cells


def _place_cell(
    row: int, col: int, span: int, tc: Any, tc_pr: Any, owner: dict[tuple[int, int], RawCell]
) -> RawCell | None:
    """Record one `w:tc`; returns the new cell, or None when it continues a merged one."""
    above = owner.get((row - 1, col))
    left = owner.get((row, col - 1))
    if _merge_state(tc_pr, "w:vMerge") == "continue" and above is not None:
        above.rowspan = row - above.row + 1
        target = above
    elif _merge_state(tc_pr, "w:hMerge") == "continue" and left is not None:
        left.colspan += span
        target = left
    else:
        target = RawCell(row, col, _cell_text(tc), colspan=span)
    for c in range(col, col + span):
        owner[(row, c)] = target
    return target if target.row == row and target.col == col else None
