"""Excel (.xlsx): every sheet, merged ranges read as spans, values shown as the sheet shows them.

Each sheet starts with its name on a line of its own; leading rows holding a single cell across the
used width (a title such as 2022年度项目支出绩效自评表) become paragraphs, the rest one table.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from openpyxl import load_workbook

from nlp_service.errors import CorruptFile
from nlp_service.ingest.document import Document
from nlp_service.ingest.render import RawCell, TextBuilder


def read_xlsx(data: bytes, label: str) -> Document:
    """A `Document` from the bytes of an .xlsx file."""
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True, read_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged package
        raise CorruptFile(
            f"damaged XLSX file ({type(exc).__name__}: {exc})".splitlines()[0], source=label
        ) from None
    builder = TextBuilder()
    for sheet in workbook.worksheets:
        cells = sheet_cells(sheet)
        if not any(c.text.strip() for c in cells):
            continue
        builder.add_paragraph(str(sheet.title))
        titles, table = split_title_rows(cells)
        for title in titles:
            builder.add_paragraph(title)
        if max((c.col + c.colspan for c in table), default=0) <= 1:
            for cell in sorted(table, key=lambda c: c.row):
                builder.add_paragraph(cell.text)
        else:
            builder.add_table(table)
        builder.add_blank_line()
    workbook.close()
    return Document(text=builder.text, format="xlsx", encoding=None, tables=builder.tables)


def format_value(value: Any, number_format: str = "General") -> str:
    """A cell value as text the way a reader sees it (55, 70.56%, 2023-04-27)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, int | float):
        if "%" in (number_format or ""):
            return _plain_number(value * 100) + "%"
        return _plain_number(value)
    return str(value)


def _plain_number(value: float) -> str:
    rounded = round(float(value), 10)
    if rounded.is_integer():
        return str(int(rounded))
    return f"{rounded:.10f}".rstrip("0").rstrip(".")


def sheet_cells(sheet: Any) -> list[RawCell]:
    """The non-empty area of a sheet as cells, merged ranges as one cell each, rows and columns from 0."""
    merged = {(m.min_row, m.min_col): m for m in sheet.merged_cells.ranges}
    covered = {
        (r, c)
        for m in merged.values()
        for r in range(m.min_row, m.max_row + 1)
        for c in range(m.min_col, m.max_col + 1)
    } - set(merged)
    raw: list[RawCell] = []
    for row in sheet.iter_rows():
        for cell in row:
            key = (cell.row, cell.column)
            if key in covered:
                continue
            text = format_value(cell.value, cell.number_format)
            span = merged.get(key)
            rowspan = span.max_row - span.min_row + 1 if span else 1
            colspan = span.max_col - span.min_col + 1 if span else 1
            raw.append(RawCell(cell.row, cell.column, text, rowspan, colspan))
    return _trim(raw)


def _trim(cells: list[RawCell]) -> list[RawCell]:
    """Drop the empty border around the used area and renumber rows and columns from 0."""
    used = [c for c in cells if c.text.strip() or c.rowspan > 1 or c.colspan > 1]
    if not used:
        return []
    top, left = min(c.row for c in used), min(c.col for c in used)
    bottom = max(c.row + c.rowspan - 1 for c in used)
    right = max(c.col + c.colspan - 1 for c in used)
    inside = [c for c in cells if top <= c.row <= bottom and left <= c.col <= right]
    return [
        RawCell(c.row - top, c.col - left, c.text, c.rowspan, min(c.colspan, right - c.col + 1))
        for c in inside
    ]


def split_title_rows(cells: list[RawCell]) -> tuple[list[str], list[RawCell]]:
    """Leading rows that are one cell across the whole width (a table title) as paragraphs, and the table below them."""
    titles: list[str] = []
    row = 0
    n_rows = max((c.row + c.rowspan for c in cells), default=0)
    n_cols = max((c.col + c.colspan for c in cells), default=0)
    while row < n_rows - 1:
        filled = [c for c in cells if c.row == row and c.text.strip()]
        if len(filled) != 1 or filled[0].rowspan != 1 or filled[0].colspan < n_cols:
            break
        titles.append(filled[0].text)
        row += 1
    table = [RawCell(c.row - row, c.col, c.text, c.rowspan, c.colspan) for c in cells if c.row >= row]
    return titles, table
