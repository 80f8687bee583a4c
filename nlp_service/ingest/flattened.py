"""Tables flattened into plain text, found and rebuilt as `TableGrid`s with offsets into the text.

Plain-text reports carry their performance table in one of a few damaged layouts:

- **tab-led** (Word "save as text"): one cell per line that starts with a tab, a cell's text going
  on over the following lines (blank lines inside cells included), rows separated by blank lines,
  merged cells written as empty cells;
- **pipe** (HTML/markdown dumps): cells separated by `|`, one row per line, or one cell per line,
  a row sometimes broken over two lines;
- **line / whitespace** (PDF or OCR text): cells separated by runs of spaces on one line, or one
  cell per line, cells sometimes broken over lines;
- **glued** (text layers of document-sharing sites): a whole table run together on one line
  (`一级指标二级指标三级指标指标目标值产出指标数量指标免费开放天数=300天…`), cut back into cells
  at header and category words and at value expressions; each cell is a one-cell row.

Every layout yields a grid whose rows are what the text shows (a line, or a blank-line-separated
group for the tab layout); merged and broken cells are not guessed here. The table interpreter
(`nlp_service.tables`) aligns cells to header columns by what they contain, so a row that lost its
merged cells, or a stream of one-cell rows, still reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from nlp_service.ingest.document import Cell, TableGrid
from nlp_service.tables.vocab import to_simplified

__all__ = ["find_flattened_tables"]

# Words that only occur in performance tables: a line region holding some of them is a table.
_ANCHOR_RE = re.compile(
    r"一\s*级\s*指\s*标|二\s*级\s*指\s*标|三\s*级\s*指\s*标|年度指标值|指标值|资金总额|全年预算数|全年执行数"
    r"|年初预算数|预算执行率|执行率|预算数|执行数|计划安排资金|实际支出|项目资金|资金情况|绩效指标|實際完成值|一級指標"
)
_SPLIT_RE = re.compile(r"[ \t\u3000\xa0]+")
_MIN_ANCHORS = 2
_LIST_MARK_RE = re.compile(r"^([（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+[.、．])")


def find_flattened_tables(text: str) -> list[TableGrid]:
    """Every flattened table of `text`, in text order; regions of different layouts never overlap."""
    tables: list[TableGrid] = []
    taken: list[tuple[int, int]] = []
    for finder in (_tab_tables, _pipe_tables, _glued_tables, _line_tables):
        for grid in finder(text, taken):
            if grid.cells and not _overlaps(grid.start, grid.end, taken):
                tables.append(grid)
                taken.append((grid.start, grid.end))
    return sorted(tables, key=lambda g: g.start)


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(start < b and a < end for a, b in taken)


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, without its newline."""
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _trimmed(text: str, start: int, end: int) -> Cell:
    """A cell over text[start:end] with outer whitespace (full-width space included) trimmed."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Cell(row=0, col=0, text=text[start:end], start=start, end=end)


def _grid(rows: list[list[Cell]]) -> TableGrid:
    cells = [
        Cell(row=r, col=c, text=cell.text, start=cell.start, end=cell.end)
        for r, row in enumerate(rows)
        for c, cell in enumerate(row)
    ]
    spans = [c for c in cells if c.end > c.start] or cells
    if not spans:
        return TableGrid(cells=[], start=0, end=0)
    return TableGrid(cells=cells, start=min(c.start for c in spans), end=max(c.end for c in spans))


# ---------------------------------------------------------------- tab-led layout


def _tab_tables(text: str, taken: list[tuple[int, int]]) -> Iterator[TableGrid]:
    lines = _lines(text)
    i = 0
    while i < len(lines):
        if not text.startswith("\t", lines[i][0]):
            i += 1
            continue
        j = i
        last_tab = i
        while j < len(lines):
            start, end = lines[j]
            if text.startswith("\t", start):
                last_tab = j
            elif j - last_tab > 6 and start < end:
                break
            j += 1
        block = lines[i : last_tab + 1]
        end_line = _cell_tail(text, lines, last_tab)
        rows = _tab_rows(text, lines[i : end_line + 1])
        anchors = sum(
            1 for row in rows for cell in row if len(cell.text) <= 16 and _ANCHOR_RE.search(cell.text)
        )
        if anchors >= _MIN_ANCHORS:
            yield _grid(rows)
        i = max(last_tab + 1, i + len(block))


def _cell_tail(text: str, lines: list[tuple[int, int]], last_tab: int) -> int:
    """The last line of the table's last cell: continuation lines up to the first blank line."""
    k = last_tab
    while (
        k + 1 < len(lines)
        and lines[k + 1][1] > lines[k + 1][0]
        and not text[slice(*lines[k + 1])].startswith("\t")
    ):
        if len(text[slice(*lines[k + 1])].strip()) > 20:
            break
        k += 1
    return k


def _tab_rows(text: str, block: list[tuple[int, int]]) -> list[list[Cell]]:
    """Cells start at tab-led lines; a blank line before a tab-led line is a candidate row break."""
    candidates: list[list[Cell]] = [[]]
    cell_start: int | None = None
    cell_end = 0
    blank_before = False
    for start, end in block:
        line = text[start:end]
        if line.startswith("\t"):
            if cell_start is not None:
                candidates[-1].append(_trimmed(text, cell_start, cell_end))
            if blank_before and candidates[-1]:
                candidates.append([])
            cell_start, cell_end = start + 1, end
            blank_before = False
        elif not line.strip():
            blank_before = True
        elif cell_start is not None:
            cell_end = end
            blank_before = False
    if cell_start is not None:
        candidates[-1].append(_trimmed(text, cell_start, cell_end))
    return _merge_broken_rows([c for c in candidates if c])


def _merge_broken_rows(rows: list[list[Cell]]) -> list[list[Cell]]:
    """Join a short candidate row with its neighbour when together they make a row as wide as the
    rows around them (a blank line inside a cell looks like a row break)."""
    out = [list(r) for r in rows]
    i = 0
    while i + 1 < len(out):
        joined = len(out[i]) + len(out[i + 1])
        before = len(out[i - 1]) if i > 0 else 0
        after = len(out[i + 2]) if i + 2 < len(out) else 0
        if len(out[i]) < max(before, after, 3) and joined in (before, after) and joined > 2:
            out[i] = out[i] + out.pop(i + 1)
            continue
        i += 1
    return out


# ---------------------------------------------------------------- pipe layout


def _pipe_tables(text: str, taken: list[tuple[int, int]]) -> Iterator[TableGrid]:
    """Runs of lines with bars (a lone cell line between bar lines belongs to the run)."""
    lines = [(s, e) for s, e in _lines(text) if text[s:e].strip()]
    i = 0
    while i < len(lines):
        if "|" not in text[slice(*lines[i])]:
            i += 1
            continue
        j = i
        while j + 1 < len(lines) and (
            "|" in text[slice(*lines[j + 1])]
            or (j + 2 < len(lines) and "|" in text[slice(*lines[j + 2])] and "|" in text[slice(*lines[j])])
        ):
            j += 1
        first = i - 1 if i > 0 and text[slice(*lines[i])].strip() == "|" else i
        if j - i >= 2:
            yield _grid(_pipe_rows(text, lines[first][0], lines[j][1]))
        i = j + 1


def _pipe_rows(text: str, start: int, end: int) -> list[list[Cell]]:
    """Cells are the pieces between bars; a piece that starts on a new line starts a new row."""
    rows: list[list[Cell]] = []
    pos = start
    bars = [start + m.start() for m in re.finditer(r"\|", text[start:end])]
    for bar in [*bars, end]:
        piece = text[pos:bar]
        if bar == end and not piece.strip():
            break
        cell = _trimmed(text, pos, bar)
        lead = text[pos : cell.start] if cell.text else piece
        if not rows or "\n" in lead or (pos == start):
            rows.append([])
        rows[-1].append(cell if cell.text else Cell(0, 0, "", cell.start, cell.start))
        pos = bar + 1
    return [r for r in rows if r and not all(_RULE_RE.match(c.text) for c in r)]


_RULE_RE = re.compile(r"^[-:：=—]*$")  # markdown rule rows `|---|:--:|` (and empty rows)


# ---------------------------------------------------------------- glued layout

_GLUED_HEADER_RE = re.compile(r"一级指标\s*二级指标\s*三级指标")
_GLUED_WORD_RE = re.compile(
    r"一级指标|二级指标|三级指标|(?:年度|预期)?指标值(?:[(（][A-Z八][)）])?|指标目标值|实际完成值|全年实际值(?:[(（][A-Z][)）])?"
    r"|偏差原因分析及改进措施|未完成原因分析及改进措施|分值|得分|年度绩效指标|绩效指标"
    r"|(?:产出|效益|满意度|项目完成|项目效益)指标(?:[(（]\d+分[)）])?"
    r"|(?:数量|质量|时效|成本|经济效益|社会效益|生态效益|可持续影响|服务对象满意度|经济成本|社会成本|生态环境成本)指标(?:[(（]\d+分[)）])?"
)
# a funding header run together with its first row: `预算数(A)执行数(B)执行率(B/A)得分…资金总额10万`
_GLUED_FUNDING_HEADER_RE = re.compile(r"(年初|全年)?预算数\S{0,40}?执行数\S{0,60}?资金总额[:：]?(?=\d)")
_GLUED_FUNDING_WORD_RE = re.compile(
    r"(?:年初|全年)?预算数(?:[(（][A-Z][)）])?|(?:全年)?执行数(?:[(（][A-Z][)）])?|(?:预算)?执行率(?:[(（][^)）]{0,12}[)）])?"
    r"|分值(?:[(（][^)）]{0,12}[)）])?|得分(?:[(（][^)）]{0,12}[)）])?|(?:年度)?(?:财政)?资金总额[:：]?|其中[:：]"
)
_GLUED_MONEY_RE = re.compile(r"\d+(?:\.\d+)?(?:万元|万|元|%)")
_GLUED_VALUE_RE = re.compile(
    r"(?:[=＝≥≤<>＜＞]+|二(?=\d))\s*\d+(?:\.\d+)?\s*(?:百分比|%|％|人次|万元|元|天|个|人|次|项|户|亩|平方米|米|公里|台|套|份|批次|期|名|年|月|小时|件|所|家)?"
)


def _glued_tables(text: str, taken: list[tuple[int, int]]) -> Iterator[TableGrid]:
    for start, end in _lines(text):
        if "|" in text[start:end] or "\t" in text[start:end]:
            continue
        norm, index = _normalised(text, start, end)
        first = _glued_start(norm)
        if first is None:
            continue
        cells = _glued_cells(text, norm, index, first)
        if len(cells) >= 6:
            yield _grid([[cell] for cell in cells])


_PINYIN_RE = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+[)）]")


def _normalised(text: str, start: int, end: int) -> tuple[str, list[int]]:
    """The line in simplified script without pinyin glosses `(yù)`, and each character's offset."""
    keep: list[int] = []
    pos = start
    for m in _PINYIN_RE.finditer(text, start, end):
        keep.extend(range(pos, m.start()))
        pos = m.end()
    keep.extend(range(pos, end))
    return to_simplified("".join(text[k] for k in keep)), keep


def _glued_start(norm: str) -> int | None:
    """Where a glued table starts on the line: its funding header or its indicator header."""
    starts = []
    funding = _GLUED_FUNDING_HEADER_RE.search(norm)
    if funding is not None:
        starts.append(funding.start())
    header = _GLUED_HEADER_RE.search(norm)
    if header is not None and not _SPLIT_RE.search(header.group(0)):
        starts.append(header.start())  # spaced headers belong to the line layout
    return min(starts) if starts else None


def _glued_cells(text: str, norm: str, index: list[int], first: int) -> list[Cell]:
    """Cut at vocabulary words and value expressions; the pieces between are cells too."""
    cuts: list[tuple[int, int]] = []
    for pattern in (_GLUED_WORD_RE, _GLUED_FUNDING_WORD_RE, _GLUED_VALUE_RE, _GLUED_MONEY_RE):
        for m in pattern.finditer(norm, first):
            if not any(m.start() < b and a < m.end() for a, b in cuts):
                cuts.append((m.start(), m.end()))
    pieces: list[tuple[int, int]] = []
    pos = first
    for a, b in sorted(cuts):
        if a > pos:
            pieces.append((pos, a))
        pieces.append((a, b))
        pos = b
    if pos < len(norm):
        pieces.append((pos, len(norm)))
    cells = [_trimmed(text, index[a], index[b - 1] + 1) for a, b in pieces]
    return [c for c in cells if c.text]


# ---------------------------------------------------------------- line / whitespace layout


def _line_tables(text: str, taken: list[tuple[int, int]]) -> Iterator[TableGrid]:
    lines = _lines(text)
    counts = {
        k: _anchor_cells(text, s, e) for k, (s, e) in enumerate(lines) if not _overlaps(s, e + 1, taken)
    }
    anchors = [k for k, n in counts.items() if n]
    if sum(counts.values()) < _MIN_ANCHORS:
        return
    first = _region_start(text, lines, anchors[0])
    last = _region_end(text, lines, anchors[-1], taken)
    rows = []
    for s, e in lines[first : last + 1]:
        cells = _space_cells(text, s, e)
        if cells:
            rows.append(cells)
    if rows:
        yield _grid(rows)


def _anchor_cells(text: str, start: int, end: int) -> int:
    """Short cells of a line that are table header words (not a heading that mentions one)."""
    return sum(
        1
        for cell in _space_cells(text, start, end)
        if len(cell.text) <= 14 and _ANCHOR_RE.search(cell.text) and not _LIST_MARK_RE.match(cell.text)
    )


def _region_start(text: str, lines: list[tuple[int, int]], anchor: int) -> int:
    """Go back over the short lines above the first anchor (title, 项目名称, 主管部门 …)."""
    k, seen = anchor, 0
    while k > 0 and seen < 8:
        s, e = lines[k - 1]
        if e - s > 40:
            break
        seen += 1 if text[s:e].strip() else 0
        k -= 1
    return k


def _region_end(text: str, lines: list[tuple[int, int]], anchor: int, taken: list[tuple[int, int]]) -> int:
    """The table runs on past its last header to the first narrative heading or taken region."""
    k = anchor
    while k + 1 < len(lines):
        s, e = lines[k + 1]
        line = text[s:e].strip()
        if _overlaps(s, e + 1, taken) or re.match(
            r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|附件)", line
        ):
            break
        k += 1
    return k


def _space_cells(text: str, start: int, end: int) -> list[Cell]:
    """Cells of one line, separated by runs of spaces (a line without spaces is one cell)."""
    cells: list[Cell] = []
    pos = start
    for m in _SPLIT_RE.finditer(text, start, end):
        if m.start() > pos:
            cells.append(_trimmed(text, pos, m.start()))
        pos = m.end()
    if pos < end:
        cells.append(_trimmed(text, pos, end))
    return [c for c in cells if c.text]
