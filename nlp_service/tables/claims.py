"""Claims relative to the tables: dropped in structural cells, marked and attached in free text.

A number in a structural cell (指标值, 分值, 得分, 预算数, 执行数, 执行率, a bare actual value such as
`70.56%`) is a table field, not a claim. A claim inside a free-text cell (an 实际完成值 sentence,
the 年度总体目标 text) stays a claim with `source="table"`; its id goes to the indicator's
`actual.claims`, and the claim whose unit matches the target's becomes the actual's primary value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nlp_service.schema import ClaimPublic, IndicatorPublic
from nlp_service.tables.targets import target_met

if TYPE_CHECKING:
    from nlp_service.tables import TableReading

__all__ = ["place_claims"]


def _inside(claim: ClaimPublic, spans: list[tuple[int, int]]) -> bool:
    return any(start <= claim.start and claim.end <= end for start, end in spans)


def place_claims(claims: list[ClaimPublic], reading: TableReading) -> list[ClaimPublic]:
    """The claim list with structural-cell claims removed and free-text-cell claims marked."""
    kept: list[ClaimPublic] = []
    in_cells: dict[str, list[ClaimPublic]] = {}
    for claim in claims:
        if _inside(claim, reading.structural_spans):
            continue
        if _inside(claim, reading.free_text_spans) or _inside(claim, reading.table_spans):
            claim = claim.model_copy(update={"source": "table"})
            indicator = _cell_owner(claim, reading.indicators)
            if indicator is not None:
                indicator.actual.claims.append(claim.id)
                in_cells.setdefault(indicator.id, []).append(claim)
        kept.append(claim)
    for indicator in reading.indicators:
        _choose_primary(indicator, in_cells.get(indicator.id, []))
    return kept


def _cell_owner(claim: ClaimPublic, indicators: list[IndicatorPublic]) -> IndicatorPublic | None:
    for indicator in indicators:
        actual = indicator.actual
        if actual.start is not None and actual.end is not None and actual.start <= claim.start < actual.end:
            return indicator
    return None


def _bigrams(text: str | None) -> set[str]:
    text = text or ""
    return {text[k : k + 2] for k in range(len(text) - 1)}


def _relevance(claim: ClaimPublic, indicator: IndicatorPublic) -> float:
    """Unit agreement with the target, then words shared with the indicator's name."""
    name = _bigrams(indicator.name)
    shared = len(name & (_bigrams(claim.object) | _bigrams(claim.predicate)))
    unit = indicator.target.unit
    return (2.0 if unit is not None and claim.unit == unit else 0.0) + shared


def _choose_primary(indicator: IndicatorPublic, claims: list[ClaimPublic]) -> None:
    """The actual's value: the cell's claim most relevant to the indicator (first among equals)."""
    candidates = [c for c in claims if c.value is not None]
    if not candidates:
        return
    best = max(candidates, key=lambda c: (_relevance(c, indicator), -c.start))
    indicator.actual.value, indicator.actual.unit = best.value, best.unit
    indicator.met = target_met(indicator.target, indicator.actual)
