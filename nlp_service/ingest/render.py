"""Building a reader's text: paragraphs, and tables rendered as the seed report flattens them.

A table is rendered one cell per tab-led line, a cell's own lines following without a tab, each row
ended by a blank line; a position covered by a cell merged down from an earlier row shows as an
empty tab-led line (as Word's text export writes it). The `TableGrid` is built at the same time, so
every cell's `(start, end)` indexes the produced text and `text[start:end] == cell.text`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp_service.ingest.document import Cell, TableGrid

_BLANK_LINES = re.compile(r"\n\s*\n+")
_SPACES = re.compile(r"[ \t\u00a0]+")


@dataclass
class RawCell:
    """A cell as a reader finds it: top-left grid position, span and text (not yet placed in text)."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1


def clean_cell_text(text: str) -> str:
    """Cell text on lines of its own: no tabs, no blank lines inside, no surrounding whitespace."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n", "\n".join(line for line in lines if line)).strip()


def clean_paragraph(text: str) -> str:
    """A paragraph on one line: line breaks inside it kept as they are, tabs turned to spaces."""
    return text.replace("\t", " ").replace("\r\n", "\n").replace("\r", "\n").strip("\n")


class TextBuilder:
    """Accumulates a document's text and the table grids placed in it."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self.tables: list[TableGrid] = []

    def _append(self, piece: str) -> None:
        self._parts.append(piece)
        self._length += len(piece)

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def _ensure_line_start(self) -> None:
        if self._parts and not self._parts[-1].endswith("\n"):
            self._append("\n")

    def add_paragraph(self, text: str) -> None:
        """One paragraph, ended by a line break; empty paragraphs are skipped."""
        text = clean_paragraph(text)
        if text.strip():
            self._ensure_line_start()
            self._append(text + "\n")

    def add_blank_line(self) -> None:
        self._ensure_line_start()
        if self._parts and not self.text.endswith("\n\n"):
            self._append("\n")

    def add_table(self, raw_cells: list[RawCell]) -> TableGrid | None:
        """Render a table and record its grid; returns None for a table without cells."""
        if not raw_cells:
            return None
        self._ensure_line_start()
        start = self._length
        cells: list[Cell] = []
        by_row: dict[int, list[RawCell]] = {}
        for raw in raw_cells:
            by_row.setdefault(raw.row, []).append(raw)
        n_rows = max(c.row + c.rowspan for c in raw_cells)
        for row in range(n_rows):
            self._render_row(row, by_row.get(row, []), raw_cells, cells)
        grid = TableGrid(cells=cells, start=start, end=self._length)
        self.tables.append(grid)
        return grid

    def _render_row(
        self, row: int, starting: list[RawCell], all_cells: list[RawCell], out: list[Cell]
    ) -> None:
        continuing = [c for c in all_cells if c.row < row < c.row + c.rowspan]
        entries = sorted(
            [(c.col, c, True) for c in starting] + [(c.col, c, False) for c in continuing], key=lambda e: e[0]
        )
        for _, raw, starts_here in entries:
            self._append("\t")
            if not starts_here:
                self._append("\n")
                continue
            text = clean_cell_text(raw.text)
            cell_start = self._length
            self._append(text + "\n")
            out.append(
                Cell(
                    row=raw.row,
                    col=raw.col,
                    text=text,
                    start=cell_start,
                    end=cell_start + len(text),
                    rowspan=raw.rowspan,
                    colspan=raw.colspan,
                )
            )
        self._append("\n")
