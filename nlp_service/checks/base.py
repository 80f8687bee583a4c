"""What every check sees (`CheckContext`), what it returns (`Draft`), and shared helpers.

A check is a plain function `(CheckContext) -> list[Draft]`. `run_checks` numbers the drafts into
the contract's `FindingPublic` records. Numbers in messages are written as a reviewer reads them
(`55万元`, `99.5分`, `80.45%`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from nlp_service.ingest.document import Document
from nlp_service.schema import (
    ClaimPublic,
    EvidencePublic,
    FundingPublic,
    IndicatorPublic,
    LinkPublic,
    Severity,
)
from nlp_service.tables import TableReading

Requirement = Literal["none", "indicators", "scores", "funding"]


@dataclass
class Draft:
    """A finding before it is numbered."""

    code: str
    severity: Severity
    message: str
    evidence: list[EvidencePublic] = field(default_factory=list)


@dataclass
class CheckContext:
    document: Document
    claims: list[ClaimPublic]
    tables: TableReading
    links: list[LinkPublic] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.document.text

    @property
    def funding(self) -> FundingPublic | None:
        return self.tables.funding

    @property
    def indicators(self) -> list[IndicatorPublic]:
        return self.tables.indicators

    def has(self, requirement: Requirement) -> bool:
        """Whether the table reading holds what a check needs."""
        if requirement == "indicators":
            return bool(self.indicators)
        if requirement == "funding":
            return self.funding is not None
        if requirement == "scores":
            return has_scores(self.tables)
        return True


@dataclass(frozen=True)
class Check:
    """One rule: the finding code it raises, what it needs from the tables, and the function."""

    code: str
    requires: Requirement
    run: Callable[[CheckContext], list[Draft]]
    description: str


def has_scores(tables: TableReading) -> bool:
    funding_scored = tables.funding is not None and (
        tables.funding.score is not None or tables.funding.weight is not None
    )
    return (
        funding_scored
        or tables.total_score is not None
        or any(i.score is not None or i.weight is not None for i in tables.indicators)
    )


# --- numbers -------------------------------------------------------------------------------------


def close(a: float, b: float, tolerance: float = 1e-6) -> bool:
    """Equal up to `tolerance` (absolute) or a relative 1e-9, whichever is larger."""
    return abs(a - b) <= max(tolerance, 1e-9 * max(abs(a), abs(b)))


def num(value: float) -> str:
    """A number as a report writes it: no trailing zeros, no exponent."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def money(value: float) -> str:
    """An amount in 元, shown in 万元 when it is large."""
    if abs(value) >= 10000:
        return f"{num(value / 10000)}万元"
    return f"{num(value)}元"


def amount(value: float, unit: str | None) -> str:
    if unit == "元":
        return money(value)
    return f"{num(value)}{unit or ''}"


# --- evidence ------------------------------------------------------------------------------------


def claim_evidence(claim: ClaimPublic) -> EvidencePublic:
    return EvidencePublic(start=claim.start, end=claim.end, claim=claim.id)


def indicator_evidence(indicator: IndicatorPublic, note: str | None = None) -> EvidencePublic:
    return EvidencePublic(
        start=indicator.start, end=indicator.end, indicator=indicator.id, table_row=indicator.name, note=note
    )


def funding_evidence(funding: FundingPublic, field_name: str, row: str | None = None) -> EvidencePublic:
    """The funding cell `field_name` (of the main row, or of source row `row`)."""
    key = field_name if row is None else f"{row}.{field_name}"
    span = funding.cells.get(key) or (funding.cells.get(field_name) if row is None else None)
    start, end = (span[0], span[1]) if span and len(span) >= 2 else (None, None)
    return EvidencePublic(
        start=start, end=end, table_row=row or funding.row or "年度资金总额", note=field_name
    )


def row_evidence(row: str, note: str | None = None) -> EvidencePublic:
    return EvidencePublic(table_row=row, note=note)


def span_evidence(start: int, end: int, note: str | None = None) -> EvidencePublic:
    return EvidencePublic(start=start, end=end, note=note)
