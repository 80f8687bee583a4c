"""The reader-independent document: text, sections, sentences and table grids.

Every reader (txt, docx, pdf, html, xlsx) produces a `Document`. Offsets are Python string indices
into `Document.text`, so `text[cell.start:cell.end]` is the cell's text as it stands in the document.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    """A heading and the text range it governs (up to the next heading of the same or a higher level)."""

    start: int
    end: int
    heading: str
    level: int
    path: tuple[str, ...]


@dataclass(frozen=True)
class Cell:
    """One (possibly merged) table cell: its top-left grid position, its span and its text range."""

    row: int
    col: int
    text: str
    start: int
    end: int
    rowspan: int = 1
    colspan: int = 1


@dataclass
class TableGrid:
    """A table as a grid of cells. `cells` holds each merged cell once, at its top-left position."""

    cells: list[Cell]
    start: int
    end: int
    n_rows: int = 0
    n_cols: int = 0

    def __post_init__(self) -> None:
        if self.cells and not self.n_rows:
            self.n_rows = max(c.row + c.rowspan for c in self.cells)
        if self.cells and not self.n_cols:
            self.n_cols = max(c.col + c.colspan for c in self.cells)

    def at(self, row: int, col: int) -> Cell | None:
        """The cell covering grid position (row, col), merged cells included."""
        for c in self.cells:
            if c.row <= row < c.row + c.rowspan and c.col <= col < c.col + c.colspan:
                return c
        return None

    def rows(self) -> list[list[Cell]]:
        """Cells grouped by the row they start in, left to right."""
        out: list[list[Cell]] = [[] for _ in range(self.n_rows)]
        for c in sorted(self.cells, key=lambda c: (c.row, c.col)):
            out[c.row].append(c)
        return out


@dataclass
class Document:
    text: str
    source: str | None = None
    format: str = "txt"
    encoding: str | None = None
    sha256: str = ""
    sections: list[Section] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    tables: list[TableGrid] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
