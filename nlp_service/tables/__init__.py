"""Performance tables (绩效自评表): grids read into `indicators` and `funding`.

`read_tables(document, claims)` reads every table grid of the document (the reader's grids, or
those `find_flattened_tables` rebuilds from plain text) by header words:

- the funding block (`funding.read_funding`): 年初预算数 / 全年预算数 / 全年执行数 / 分值 / 执行率 /
  得分, money in 元, sub-rows into `FundingPublic.sources`, cell ranges in `FundingPublic.cells`;
- the indicator block (`indicators.align_rows`): 一级/二级/三级指标, 年度指标值, 实际完成值, 分值,
  得分, 偏差原因, categories carried down, declared category weights (`产出指标(50分)`) read;
- the 总分 row (total weight and score) and the 年度总体目标 cells.

Claims standing in structural cells are dropped; claims in free-text cells are marked
`source="table"` and attached to their indicator (`claims.place_claims`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nlp_service.ingest.document import Document, TableGrid
from nlp_service.schema import ActualPublic, ClaimPublic, FundingPublic, IndicatorPublic, TablePublic
from nlp_service.tables.funding import declared_scale, read_funding
from nlp_service.tables.indicators import (
    HEADERLESS_KINDS,
    ITEM_WEIGHT_RE,
    IndicatorRow,
    align_rows,
    block_end,
    find_headerless_start,
    find_indicator_header,
)
from nlp_service.tables.stream import Token, grid_tokens, join_broken
from nlp_service.tables.targets import (
    first_quantities,
    is_bare_value,
    parse_quantity,
    parse_target,
    target_met,
)
from nlp_service.tables.vocab import category_weight, compact, is_level1, squash, strip_category_weight

__all__ = ["TableReading", "read_tables"]

_NUMBER_RE = re.compile(r"^\d{1,3}(\.\d+)?分?$")
_GOAL_RE = re.compile(r"^(年度总体目标|总体目标|年度目标|年度总体目标完成情况|总体目标完成情况)")


@dataclass
class TableReading:
    """What the tables of a document say, and the document's claims placed relative to them.

    - `claims`: the pipeline's claim list with claims in structural table cells removed and claims
      in free-text cells (实际完成值 sentences, 年度总体目标 text) marked `source="table"`.
    - `funding`: the funding row, money in 元 (a 万元 header or a 万 suffix multiplied out);
      `sources` the sub-rows by label (`其中：` dropped: `当年财政拨款`, `上年结转资金`, `其他资金`,
      `基本支出` …); `cells` maps `row` and each field to its [start, end], and for a sub-row
      `LABEL` (its label cell) and `LABEL.field` (its value cells).
    - `indicators`: one per indicator row, `start`/`end` the row's range, `actual.start/end` the
      actual-value cell, `actual.claims` the ids of the claims standing in that cell.
    - `tables`: one `TablePublic` per table read, with its notes.
    - `notes`: what could not be read, for the reviewer.
    - `total_weight` / `total_score`: the 总分 row's figures (None when the table has none).
    - `category_weights`: declared level-1 weights, `{"产出指标": 50.0}` from `产出指标(50分)`.
    - `structural_spans` / `free_text_spans`: [start, end] of the table cells whose numbers are
      table fields (target, weight, score, funding, bare actual values) and of the cells holding
      sentences (actual values, overall goals); checks use them to tell table from narrative.
    - `total_cells`: [start, end] of the 总分 row's weight and score cells, for evidence.
    - `goal_cells`: the 年度总体目标 text cells as (side, start, end), side `expected` (预期目标),
      `actual` (实际完成情况) or `goal` where the layout does not tell.
    - `table_spans`: [start, end] of each table as far as it was read (from its first cell to the
      last cell read); claims there that stand in no structural cell are marked `source="table"`.
    - `converted_scores`: indicator id → its 折算得分 (a score column split into 单项指标得分 /
      权重占比 / 折算得分).
    - `indicator_cells`: indicator id → {"weight" | "score" | "converted": [start, end] of the cell}.
    """

    claims: list[ClaimPublic]
    funding: FundingPublic | None = None
    indicators: list[IndicatorPublic] = field(default_factory=list)
    tables: list[TablePublic] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    total_weight: float | None = None
    total_score: float | None = None
    category_weights: dict[str, float] = field(default_factory=dict)
    structural_spans: list[tuple[int, int]] = field(default_factory=list)
    free_text_spans: list[tuple[int, int]] = field(default_factory=list)
    total_cells: list[tuple[int, int]] = field(default_factory=list)
    table_spans: list[tuple[int, int]] = field(default_factory=list)
    goal_cells: list[tuple[str, int, int]] = field(default_factory=list)
    converted_scores: dict[str, float] = field(default_factory=dict)
    indicator_cells: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)


def read_tables(document: Document, claims: list[ClaimPublic]) -> TableReading:
    """Read the document's performance tables and place its claims (see the module docstring)."""
    grids = document.tables or _flattened(document.text)
    reading = TableReading(claims=list(claims))
    for grid in grids:
        _read_grid(grid, reading, document.text[max(0, grid.start - _CAPTION_REACH) : grid.start])
    from nlp_service.tables.claims import place_claims

    reading.claims = place_claims(claims, reading)
    return reading


def _flattened(text: str) -> list[TableGrid]:
    from nlp_service.ingest.flattened import find_flattened_tables

    return find_flattened_tables(text)


_CAPTION_REACH = 200  # characters before a table searched for its declared unit (金额单位：万元)


def _read_grid(grid: TableGrid, reading: TableReading, caption: str) -> None:
    tokens = join_broken(grid_tokens(grid))
    marks = len(reading.structural_spans), len(reading.free_text_spans)
    notes: list[str] = []
    has_funding = _read_funding_block(tokens, reading, notes, declared_scale(caption))
    _read_goals(tokens, reading)
    has_indicators = _read_indicator_blocks(tokens, reading, notes)
    if not (has_funding or has_indicators):
        notes.append(f"table at {grid.start}-{grid.end}: no funding or indicator header found, not read")
    _record_extent(grid, reading, marks)
    reading.notes += notes
    reading.tables.append(
        TablePublic(
            kind=_table_kind(tokens, has_funding or has_indicators),
            start=grid.start,
            end=grid.end,
            rows=grid.n_rows,
            columns=grid.n_cols,
            notes=notes,
        )
    )


def _read_funding_block(tokens: list[Token], reading: TableReading, notes: list[str], scale: float) -> bool:
    funding, funding_notes = read_funding(tokens, scale)
    notes += funding_notes
    if funding is None:
        return False
    if reading.funding is None:
        reading.funding = funding
        reading.structural_spans += [(s, e) for key, (s, e) in funding.cells.items() if key != "row"]
    return True


def _read_indicator_blocks(tokens: list[Token], reading: TableReading, notes: list[str]) -> bool:
    """Every header-led indicator block of the grid; failing those, headerless category rows."""
    begin = 0
    found = False
    while (header := find_indicator_header(tokens, begin)) is not None:
        found = True
        kinds = list(header.kinds)
        body_start = header.last + 1
        if "score" not in kinds and "weight" not in kinds and _bare_number_follows(tokens, body_start):
            kinds.append("score")
            body_start += 1
        if "deduct" in kinds and "score" not in kinds:
            notes.append("scores computed as 分值 − 扣分")
        end = block_end(tokens, body_start)
        before = len(reading.indicators)
        one_level = "level1" not in kinds and "level2" not in kinds and _one_level(tokens, header.first)
        _add_indicators(align_rows(tokens[body_start:end], kinds), reading, one_level=one_level)
        if len(reading.indicators) == before:
            notes.append(f"indicator header at {tokens[header.first].start} has no readable rows")
        _read_total(tokens, end, reading)
        begin = max(end, header.last + 1)
    if not found and (start := find_headerless_start(tokens)) is not None:
        rows = align_rows(tokens[start : block_end(tokens, start)], HEADERLESS_KINDS)
        _add_indicators(rows, reading, one_level=False)
        notes.append("indicator rows without a header read as 一级/二级/三级指标, 指标值, 实际完成值")
        found = True
    return found


def _table_kind(tokens: list[Token], read: bool) -> str:
    """`department` (部门整体支出绩效自评表), `performance` (any other table read), `other`."""
    if not read:
        return "other"
    return "department" if "部门整体" in "".join(t.body for t in tokens[:12]) else "performance"


def _record_extent(grid: TableGrid, reading: TableReading, marks: tuple[int, int]) -> None:
    """The table's range as far as it was read: from its first cell to the last cell read."""
    read = reading.structural_spans[marks[0] :] + reading.free_text_spans[marks[1] :]
    if read:
        reading.table_spans.append((grid.start, max(end for _, end in read)))


def _one_level(tokens: list[Token], first: int) -> bool:
    """A header whose item column is headed 一级指标 (a one-level score table)."""
    return squash(tokens[first].text).endswith("一级指标") or any(
        squash(t.text).endswith("一级指标") for t in tokens[first : first + 3]
    )


def _bare_number_follows(tokens: list[Token], k: int) -> bool:
    """An unlabelled score column: the header run is followed by a lone number (`… 实际完成值 50`)."""
    return k < len(tokens) and bool(_NUMBER_RE.match(tokens[k].body))


def _read_goals(tokens: list[Token], reading: TableReading) -> None:
    """The 年度总体目标 cells: long text cells after the goal header, up to the indicator header.

    Within a row the first text cell is the expected goal (预期目标) and the last the reported
    completion (实际完成情况); a text cell alone in its row is recorded as `goal` (side unknown)."""
    for i, token in enumerate(tokens):
        if not _GOAL_RE.match(token.body):
            continue
        texts: list[Token] = []
        for nxt in tokens[i + 1 : i + 12]:
            if find_indicator_header([nxt]) is not None or squash(nxt.text) in ("一级指标", "绩效指标"):
                break
            if len(nxt.body) >= 12:
                texts.append(nxt)
        reading.free_text_spans += [(t.start, t.end) for t in texts]
        reading.goal_cells += _goal_sides(texts)
        return


def _goal_sides(texts: list[Token]) -> list[tuple[str, int, int]]:
    rows: list[list[Token]] = []
    for token in texts:
        if token.row_start or not rows:
            rows.append([])
        rows[-1].append(token)
    out: list[tuple[str, int, int]] = []
    for row in rows:
        if len(row) == 1:
            out.append(("goal", row[0].start, row[0].end))
            continue
        out.append(("expected", row[0].start, row[0].end))
        out += [("actual", t.start, t.end) for t in row[1:]]
    return out


def _read_total(tokens: list[Token], end: int, reading: TableReading) -> None:
    """`总分 | 100 | 100`: the total weight then the total score."""
    if end >= len(tokens) or not tokens[end].body.startswith(("总分", "合计", "总计")):
        return
    row = [tokens[end]]
    for token in tokens[end + 1 : end + 12]:
        if token.row_start and len(row) > 1 and any(t.body for t in row[1:]):
            break
        row.append(token)
    numbers = [t for t in row[1:] if _NUMBER_RE.match(t.body)]
    if numbers and reading.total_weight is None:
        reading.total_weight = float(numbers[0].body.rstrip("分"))
        reading.total_cells.append((numbers[0].start, numbers[0].end))
        reading.structural_spans.append((numbers[0].start, numbers[0].end))
    if len(numbers) > 1 and reading.total_score is None:
        reading.total_score = float(numbers[1].body.rstrip("分"))
        reading.total_cells.append((numbers[1].start, numbers[1].end))
        reading.structural_spans.append((numbers[1].start, numbers[1].end))


def _add_indicators(rows: list[IndicatorRow], reading: TableReading, one_level: bool) -> None:
    level1: str | None = None
    level2: str | None = None
    first = len(reading.indicators)
    for row in rows:
        cells = row.cells
        if "level1" in cells and cells["level1"].body:
            new_level1 = _category(cells["level1"], reading)
            if level1 is None and new_level1 and not ("level2" in cells and cells["level2"].body):
                _backfill_level1(reading.indicators[first:], new_level1)
            elif new_level1 != level1 and not ("level2" in cells and cells["level2"].body):
                level2 = None
            level1 = new_level1 or level1
        if "level2" in cells and cells["level2"].body:
            if is_level1(cells["level2"].text) and "level1" not in cells:
                level1, level2 = _category(cells["level2"], reading), None
            else:
                level2 = strip_category_weight(cells["level2"].text) or level2
        name = _clean(cells["name"].text)
        if not name:
            continue
        item_weight = _item_weight(cells)
        if item_weight is not None:
            item, weight, holder = item_weight
            if holder == "weight":  # `前期工作 | 任务分解 (2分)`: the row's first cell is its category
                level1 = compact(name)
            name = item
        elif one_level:
            level1 = strip_category_weight(name)
        indicator = _indicator(row, f"i{len(reading.indicators) + 1}", level1, level2, name, reading)
        if item_weight is not None:
            indicator.weight = item_weight[1]
        reading.indicators.append(indicator)
        _record_score_cells(row, indicator.id, reading)


def _record_score_cells(row: IndicatorRow, ident: str, reading: TableReading) -> None:
    """Where the row's weight, score and converted score stand, and the converted score's value."""
    for kind in ("weight", "score", "converted"):
        token = row.cells.get(kind)
        value = _score_value(token)
        if token is None or value is None:
            continue
        reading.indicator_cells.setdefault(ident, {})[kind] = (token.start, token.end)
        if kind == "converted":
            reading.converted_scores[ident] = value


def _item_weight(cells: dict[str, Token]) -> tuple[str, float, str] | None:
    """An item written with its weight, `任务分解 (2分)`, in the weight or the name column."""
    for holder in ("weight", "name"):
        token = cells.get(holder)
        if token is None or (holder == "name" and "weight" in cells and cells["weight"].body):
            continue
        m = ITEM_WEIGHT_RE.match(compact(token.text))
        if m:
            return m.group("item"), float(m.group("weight")), holder
    return None


def _backfill_level1(indicators: list[IndicatorPublic], level1: str) -> None:
    """A vertically merged category written mid-block (centred) also covers the rows above it."""
    for indicator in indicators:
        if indicator.level1 is None:
            indicator.level1 = level1


def _category(token: Token, reading: TableReading) -> str | None:
    name = strip_category_weight(token.text) or None
    weight = category_weight(token.text)
    if name and weight is not None:
        reading.category_weights.setdefault(name, weight)
    return name


def _clean(text: str) -> str:
    return re.sub(r"\s*\n\s*", "", text).strip()


def _indicator(
    row: IndicatorRow, ident: str, level1: str | None, level2: str | None, name: str, reading: TableReading
) -> IndicatorPublic:
    cells = row.cells
    target_text = _clean(cells["target"].text) if "target" in cells else None
    if (
        target_text
        and "unit" in cells
        and cells["unit"].body
        and not target_text.endswith(cells["unit"].body)
    ):
        target_text += _clean(cells["unit"].text)
    target = parse_target(target_text or None)
    actual = _actual(cells.get("actual"))
    for key, token in cells.items():
        if token.body and key not in ("actual", "deviation"):
            reading.structural_spans.append((token.start, token.end))
    if "deviation" in cells and cells["deviation"].body:
        reading.free_text_spans.append((cells["deviation"].start, cells["deviation"].end))
    if "actual" in cells and cells["actual"].body:
        spans = reading.structural_spans if is_bare_value(cells["actual"].body) else reading.free_text_spans
        spans.append((cells["actual"].start, cells["actual"].end))
    weight = _score_value(cells.get("weight"))
    score = _score_value(cells.get("score"))
    if score is None and "deduct" in cells and weight is not None:
        deduct = _score_value(cells["deduct"])
        score = weight - deduct if deduct is not None else None
    deviation = _clean(cells["deviation"].text) if "deviation" in cells and cells["deviation"].body else None
    return IndicatorPublic(
        id=ident,
        level1=level1,
        level2=level2,
        name=name,
        target=target,
        actual=actual,
        weight=weight,
        score=score,
        deviation=deviation,
        met=target_met(target, actual),
        start=row.start,
        end=row.end,
    )


def _score_value(token: Token | None) -> float | None:
    if token is None or not _NUMBER_RE.match(token.body):
        return None
    return float(token.body.rstrip("分"))


def _actual(token: Token | None) -> ActualPublic:
    """The actual-value cell: a bare value read as such, a sentence's first quantity as its value."""
    if token is None or not token.body:
        return ActualPublic()
    raw = _clean(token.text)
    if is_bare_value(token.body):
        quantity = parse_quantity(re.sub(r"^[<>=≥≤＞＜]+", "", token.body))
        return ActualPublic(
            raw=raw,
            value=quantity.value if quantity else None,
            unit=quantity.unit if quantity else None,
            start=token.start,
            end=token.end,
        )
    quantities = first_quantities(raw)
    primary = quantities[0] if quantities else None
    return ActualPublic(
        raw=raw,
        value=primary.value if primary else None,
        unit=primary.unit if primary else None,
        start=token.start,
        end=token.end,
    )
